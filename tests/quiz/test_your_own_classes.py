"""Lesson 8's questions, answers checked by brute force: a real transfer network's parameters,
the real stratified split, the real augmented training set."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.data.augment import augment_copies
from cnnviz.nn import CNNConfig, TinyCNN, stratified_split, transfer
from cnnviz.quiz import your_own_classes_questions


def network(channels: int, classes: int) -> TinyCNN:
    config = CNNConfig(input_shape=(channels, 32, 32), filters=(16, 32, 64), kernel_size=3,
                       pool="max", n_classes=classes)  # fmt: skip
    return TinyCNN.create(config, np.random.default_rng(0))


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("fine_tune", [False, True])
@pytest.mark.parametrize("classes", [2, 5])
def test_trained_and_frozen_counts_are_the_networks_own(channels, fine_tune, classes):
    model = network(channels, classes)
    plan = transfer.frozen_plan(model.config, fine_tune_last=fine_tune)
    counts = transfer.param_counts(model, plan.frozen)
    trained, frozen, *_ = your_own_classes_questions(
        model.config, [5] * classes, held=2, copies=0, fine_tune=fine_tune
    )
    assert trained.answer == counts["trained"]
    assert frozen.answer == counts["frozen"]
    assert trained.is_correct(counts["trained"]) and not trained.is_correct(counts["total"])


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(1, 12), min_size=2, max_size=5),
    held=st.integers(1, 4),
    copies=st.sampled_from([0, 2, 5, 10]),
)
def test_held_out_and_epoch_sizes_match_the_split_and_the_copies(counts, held, copies):
    labels = np.repeat(np.arange(len(counts)), counts)
    train, held_out = stratified_split(labels, held, seed=0)
    *_, held_q, copies_q = your_own_classes_questions(
        network(1, len(counts)).config, counts, held=held, copies=copies, fine_tune=False
    )
    assert held_q.answer == len(held_out)
    x = np.zeros((len(train), 1, 4, 4), np.float32)
    x_aug, _ = augment_copies(x, labels[train], copies, np.random.default_rng(0), max_shift=1)
    assert copies_q.answer == len(x_aug)
