"""Lesson 9's questions: every answer checked by brute force, not by the formula it uses."""

import numpy as np
import pytest

from cnnviz.explain.fgsm import fgsm
from cnnviz.nn import CNNConfig, TinyCNN
from cnnviz.nn.backprop import forward_keep, gradient_wrt_input
from cnnviz.quiz.what_it_looks_at import (
    field_question,
    occlusion_question,
    what_it_looks_at_questions,
)


def support_width(kernel_size: int, n_blocks: int, layer: str) -> int:
    """Rows of input pixels a central unit's gradient reaches, in a positive network with
    average pooling on a large input (so the field is not clipped and has no holes)."""
    config = CNNConfig(
        input_shape=(1, 128, 128), filters=(1,) * n_blocks, kernel_size=kernel_size, pool="avg"
    )
    model = TinyCNN.create(config, np.random.default_rng(0))
    model.params = {k: np.abs(v) + 1 for k, v in model.params.items()}
    trace = forward_keep(model, np.ones((1, 1, 128, 128), np.float32), until=layer)
    dout = np.zeros_like(trace[layer])
    h = dout.shape[2]
    dout[0, 0, h // 2, h // 2] = 1
    dx, _ = gradient_wrt_input(model, trace, layer, dout)
    rows = np.nonzero((dx[0, 0] != 0).any(axis=1))[0]
    return rows.max() - rows.min() + 1


@pytest.mark.parametrize(
    ("kernel_size", "n_blocks", "layer"),
    [
        (3, 2, "pool2"),
        (3, 2, "conv2"),
        (5, 1, "relu1"),
        (1, 3, "pool3"),
        (7, 4, "pool4"),
        (3, 3, "conv3"),
    ],
)
def test_receptive_field_answer_is_the_gradient_support(kernel_size, n_blocks, layer):
    config = CNNConfig(filters=(2,) * n_blocks, kernel_size=kernel_size, input_shape=(1, 16, 16))
    question = field_question(config, layer)
    assert question.answer == support_width(kernel_size, n_blocks, layer)
    assert question.is_correct(question.answer) and not question.is_correct(question.answer + 1)


def test_default_network_questions():
    field, occlusion, stack, nudge = what_it_looks_at_questions(CNNConfig())
    assert field.answer == 10 and "pool2: r = 8 + (2 − 1)·1·2 = 10" in field.explanation
    assert occlusion.answer == 49 and "7 × 7 = 49 copies" in occlusion.explanation
    assert stack.answer == 2 * 9 * 8 * 8 and "25·8² = 1,600" in stack.explanation
    assert nudge.answer == pytest.approx(0.1) and nudge.is_correct(0.1)


def count_positions(n, patch, stride):
    count, top = 0, 0
    while top + patch <= n:
        count, top = count + 1, top + stride
    return count


@pytest.mark.parametrize(
    ("H", "W", "patch", "stride"), [(8, 8, 2, 1), (28, 28, 7, 3), (9, 5, 3, 2), (8, 8, 8, 1)]
)
def test_occlusion_count_is_the_number_of_patch_positions(H, W, patch, stride):
    question = occlusion_question(H, W, patch, stride)
    assert question.answer == count_positions(H, patch, stride) * count_positions(W, patch, stride)


def test_stacked_weights_are_those_of_real_arrays():
    for channels in (1, 8, 16):
        (question,) = [
            q
            for q in what_it_looks_at_questions(CNNConfig(filters=(channels, 4)))
            if "stacked" in q.prompt
        ]
        two_layers = 2 * np.zeros((channels, channels, 3, 3)).size
        assert question.answer == two_layers


@pytest.mark.parametrize("eps", [0.01, 0.1, 0.25])
def test_fgsm_answer_is_the_largest_change_of_a_real_nudge(eps):
    model = TinyCNN.create(CNNConfig(), np.random.default_rng(0))
    x = np.random.default_rng(1).uniform(0.3, 0.7, (1, 8, 8)).astype(np.float32)
    largest = float(np.abs(fgsm(model, x, 3, eps).adversarial.astype(np.float64) - x).max())
    question = what_it_looks_at_questions(CNNConfig(), eps=eps)[-1]
    assert question.is_correct(largest) and largest <= eps
    assert "−" in question.explanation and "-" not in question.explanation.replace("0..1", "")
