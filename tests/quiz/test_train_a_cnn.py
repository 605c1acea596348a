"""Lesson 7's questions: every answer confirmed by brute force over everything the page allows.

The settings range over the page's own widget choices (`cnnviz.lessons.train_a_cnn`): data set,
blocks, filters, kernel size, batch size, learning rate. Parameter counts come from the real
model's arrays, block-1 outputs from running the real layers on a real input, epoch lengths from
the real training generator, and the SGD answer from applying the update by hand, in exact
decimal arithmetic, to the numbers the question prints.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz import nn, quiz
from cnnviz.data import datasets
from cnnviz.lessons import train_a_cnn as lesson
from cnnviz.quiz import train_a_cnn as training_quiz

INPUTS = {"digits": (1, 8, 8), "shapes": (1, 28, 28)}
CLASSES = {"digits": 10, "shapes": 6}
N_TRAIN = {"digits": len(datasets.digits_dataset().y_train), "shapes": lesson.SHAPES_TRAIN}


@st.composite
def architectures(draw) -> tuple[str, nn.CNNConfig]:
    data = draw(st.sampled_from(tuple(lesson.DATASETS)))
    blocks = draw(st.integers(1, lesson.MAX_BLOCKS))
    filters = tuple(int(draw(st.sampled_from(lesson.FILTER_CHOICES))) for _ in range(blocks))
    config = nn.CNNConfig(
        input_shape=INPUTS[data],
        filters=filters,
        kernel_size=int(draw(st.sampled_from(lesson.KERNELS))),
        pool=draw(st.sampled_from(tuple(lesson.POOLS))),
        n_classes=CLASSES[data],
    )
    return data, config


def steps_in_one_epoch(n_train: int, batch_size: int) -> int:
    """Run the real training generator on a tiny network and count the steps of epoch 0."""
    model = nn.TinyCNN.create(nn.CNNConfig(filters=(1,), kernel_size=1), np.random.default_rng(0))
    x = np.zeros((n_train, 1, 8, 8), dtype=np.float32)
    y = np.zeros(n_train, dtype=np.intp)
    steps = nn.train_steps(
        model,
        (x, y),
        batch_size=batch_size,
        optimizer=nn.make_optimizer("sgd", 1e-4),
        rng=np.random.default_rng(0),
    )
    for count, stats in enumerate(steps):
        if stats.epoch > 0:
            return count
    raise AssertionError("unreachable: the generator never ends")


@settings(max_examples=60)
@given(arch=architectures(), batch=st.sampled_from(lesson.BATCHES))
def test_every_answer_matches_the_real_network(arch, batch):
    data, config = arch
    params, block1, epoch = quiz.train_a_cnn_questions(config, N_TRAIN[data], int(batch))
    model = nn.TinyCNN.create(config, np.random.default_rng(0))
    assert params.answer == model.params["conv1.w"].size + model.params["conv1.b"].size
    x = np.random.default_rng(1).random((1, *config.input_shape), dtype=np.float32)
    _, activations = model.forward(x, return_activations=True)
    assert block1.answer == dict(activations)["pool1"][0].size
    assert str(config.filters[0]) in block1.prompt and f"{config.kernel_size} × " in block1.prompt


@pytest.mark.parametrize("data", sorted(N_TRAIN))
@pytest.mark.parametrize("batch", lesson.BATCHES)
def test_epoch_length_is_what_the_generator_does(data, batch):
    (_, _, epoch) = quiz.train_a_cnn_questions(nn.CNNConfig(), N_TRAIN[data], int(batch))
    assert epoch.answer == steps_in_one_epoch(N_TRAIN[data], int(batch))


def shown_numbers(prompt: str) -> tuple[Decimal, Decimal, Decimal]:
    """η, w and dL/dw exactly as the question prints them."""
    (lr,) = re.findall(r"learning rate η = ([\d.e+-]+):", prompt)
    w, g = re.findall(r"is (−?\d+(?:\.\d+)?)", prompt)
    return tuple(Decimal(t.replace("−", "-")) for t in (lr, w, g))


def fake_step(w: float, g: float, lr: float, optimizer: str = "sgd") -> nn.FilterStep:
    """A one-weight step as the engine records it (float32 arrays, w_after = w − lr·g)."""
    w32, g32 = np.float32(w), np.float32(g)
    after = np.float32(w32 + g32 * np.float32(-lr))
    return nn.FilterStep(
        grad=np.full((1, 1, 1), g32),
        update=np.full((1, 1, 1), after - w32),
        w_before=np.full((1, 1, 1), w32),
        w_after=np.full((1, 1, 1), after),
        bias_grad=0.0,
        bias_before=0.0,
        bias_after=0.0,
        lr=lr,
        optimizer=optimizer,
    )


@settings(max_examples=300)
@given(
    w=st.floats(-3, 3, allow_nan=False, width=32),
    g=st.floats(-20, 20, allow_nan=False, width=32),
    lr=st.sampled_from(lesson.LEARNING_RATES),
)
def test_the_honest_sgd_answer_from_the_shown_numbers_is_right(w, g, lr):
    """Item 3: at any learning rate the page offers (up to 100), computing w − η·g from the
    printed numbers and rounding to 4 decimals (either way) is marked right; one more unit off
    in the 4th decimal twice over is wrong."""
    question = training_quiz.sgd_question(fake_step(w, g, float(lr)))
    eta, w_shown, g_shown = shown_numbers(question.prompt)
    assert eta == Decimal(lr)
    exact = w_shown - eta * g_shown  # exact decimal arithmetic on what the learner sees
    for rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN):
        honest = float(exact.quantize(Decimal("0.0001"), rounding=rounding))
        assert question.is_correct(honest), (question.prompt, honest, question.answer)
    assert question.is_correct(float(exact))
    assert not question.is_correct(float(exact) + 2.5e-4)
    assert not question.is_correct(float(exact) - 2.5e-4)


def test_after_a_real_sgd_step_the_update_is_asked_and_checked():
    data = datasets.digits_dataset()
    model = nn.TinyCNN.create(nn.CNNConfig(), np.random.default_rng(0))
    optimizer = nn.make_optimizer("sgd", 10.0)
    next(
        nn.train_steps(
            model, data, batch_size=16, optimizer=optimizer, rng=np.random.default_rng(1)
        )
    )
    step = nn.filter_step(model, optimizer, "conv1", 0)
    question = quiz.train_a_cnn_questions(model.config, 1438, 16, step)[-1]
    eta, w_shown, g_shown = shown_numbers(question.prompt)
    assert question.is_correct(float(w_shown - eta * g_shown))
    assert not question.is_correct(float(step.w_before[0, 0, 0]) + 1)
    adam = nn.make_optimizer("adam", 0.01)
    next(nn.train_steps(model, data, batch_size=16, optimizer=adam, rng=np.random.default_rng(1)))
    adam_step = nn.filter_step(model, adam, "conv1", 0)
    assert len(quiz.train_a_cnn_questions(model.config, 1438, 16, adam_step)) == 3


def test_the_rounding_gap_of_the_old_grading_is_closed():
    """The issue's case: at η = 10 the unrounded answer is up to 4e-4 from the honest one."""
    step = fake_step(0.123449, -0.0123449, 10.0)  # shown as 0.1234 and −0.0123
    question = training_quiz.sgd_question(step)
    assert "0.1234" in question.prompt and "−0.0123" in question.prompt
    assert question.is_correct(0.1234 + 10 * 0.0123)  # 0.2464, from the shown numbers
    assert "unrounded" in question.explanation  # says why the network's weight differs
