"""Lesson 4's questions: every answer is the size the library really produces."""

import numpy as np
import pytest

from cnnviz.ops import conv, shapes
from cnnviz.quiz import stride_questions


def width_of(n, k, stride, pad, dilation):
    return conv.correlate2d(np.zeros((1, n)), np.zeros((1, k)), stride, pad, dilation).shape[1]


def test_default_settings_questions():
    questions = stride_questions(8, 3, 2, 0, 1)
    first, left_out, new, same = questions
    assert first.answer == width_of(8, 3, 2, 0, 1) == 3
    assert "floor((8 + 0 − 1·(3 − 1) − 1) / 2) + 1 = floor(5/2) + 1 = 3" in first.explanation
    assert left_out.answer == 1
    assert new.prompt.startswith("A new problem: input width 15, kernel 3, stride 3")
    assert new.answer == width_of(15, 3, 3, 0, 1)
    assert same.answer == 2


@pytest.mark.parametrize(
    ("W", "k", "stride", "pad", "dilation"),
    [
        (8, 3, 2, 0, 1),
        (7, 4, 1, "same", 1),
        (12, 3, 3, "full", 2),
        (5, 5, 1, 1, 1),
        (32, 3, 1, 0, 1),
    ],
)
def test_answers_are_library_sizes(W, k, stride, pad, dilation):
    questions = stride_questions(W, k, stride, pad, dilation)
    assert questions[0].answer == width_of(W, k, stride, pad, dilation)
    for q in questions:
        assert q.is_correct(q.answer) and not q.is_correct(q.answer + 1)
    same = questions[-1]
    n = W + 2 * k + 1
    before, after = shapes.resolve_padding(n, k, 1, "same", dilation)
    assert same.answer == before + after
    assert width_of(n, k, 1, "same", dilation) == n  # "same" really keeps the width


@pytest.mark.parametrize(
    ("W", "k", "stride", "pad", "dilation"),
    [(8, 3, 0, 0, 1), (8, 3, 2, 0, 0), (3, 9, 1, 0, 1), (4, 3, 1, "valid", 4)],
)
def test_impossible_settings_still_give_questions(W, k, stride, pad, dilation):
    questions = stride_questions(W, k, stride, pad, dilation)
    assert len(questions) == 2
    assert all(q.prompt.startswith(("A new problem", "Input width")) for q in questions)
    new = questions[0]
    assert new.answer == width_of(W + 2 * k + 1, k, max(stride, 1) + 1, 0, max(dilation, 1))


def test_uneven_same_padding_is_explained():
    same = stride_questions(8, 4, 1, 0, 1)[-1]
    assert same.answer == 3
    assert "the extra zero goes right" in same.explanation
