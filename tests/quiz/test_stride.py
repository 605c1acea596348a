"""Lesson 4's questions: every answer is the size the library really produces."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.ops import conv, shapes
from cnnviz.quiz import stride_questions
from cnnviz.ui import strideview


def width_of(n, k, stride, pad, dilation):
    return conv.correlate2d(np.zeros((1, n)), np.zeros((1, k)), stride, pad, dilation).shape[1]


def new_width(W, k, dilation):
    """The width of the generated problems, read back from the first "new problem" prompt."""
    (question,) = [
        q for q in stride_questions(W, k, 1, 0, dilation) if q.prompt.startswith("A new problem")
    ]
    return int(re.search(r"input width (\d+)", question.prompt).group(1))


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
    n = new_width(W, k, dilation)
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
    k, d = max(k, 1), max(dilation, 1)
    assert new.answer == width_of(new_width(W, k, d), k, max(stride, 1) + 1, 0, d)


def test_uneven_same_padding_is_explained():
    same = stride_questions(8, 4, 1, 0, 1)[-1]
    assert same.answer == 3
    assert "the extra zero goes right" in same.explanation


def test_a_large_dilated_kernel_still_gives_a_fitting_problem():
    """Review bug: k=7, d=4 spans 25 pixels, wider than W + 2k + 1 = 23 — it used to raise."""
    questions = stride_questions(8, 7, 2, 0, 4)
    new = questions[-2]
    n = int(re.search(r"input width (\d+)", new.prompt).group(1))
    assert n >= shapes.kernel_span(7, 4) == 25
    assert new.answer == width_of(n, 7, 3, 0, 4) >= 1


# Every value the page's sliders and padding list allow, including the impossible ones
# (stride 0, dilation 0, a window wider than the padded input).
@settings(max_examples=300, deadline=None)
@given(
    W=st.integers(1, strideview.MAX_SIDE),
    k=st.integers(1, strideview.MAX_KERNEL),
    stride=st.integers(0, strideview.MAX_STRIDE),
    pad=st.sampled_from(strideview.PADDINGS),
    dilation=st.integers(0, strideview.MAX_DILATION),
)
def test_questions_never_raise_and_answer_with_real_sizes(W, k, stride, pad, dilation):
    pad_value = int(pad) if pad.isdigit() else pad
    questions = stride_questions(W, k, stride, pad_value, dilation)
    assert len(questions) >= 2
    try:
        expected = width_of(W, k, stride, pad_value, dilation)
    except ValueError:
        expected = None
    if expected is None:
        assert not questions[0].prompt.endswith("How many columns does the output have?")
    else:
        assert (
            questions[0].answer == expected == shapes.output_size(W, k, stride, pad_value, dilation)
        )
    new, same = questions[-2], questions[-1]
    n = int(re.search(r"input width (\d+)", new.prompt).group(1))
    ks, s2, d = max(k, 1), max(stride, 1) + 1, max(dilation, 1)
    assert new.answer == width_of(n, ks, s2, 0, d) == shapes.output_size(n, ks, s2, 0, d) >= 1
    assert width_of(n, ks, 1, "same", d) == n  # "same" really keeps the width
    before, after = shapes.resolve_padding(n, ks, 1, "same", d)
    assert same.answer == before + after
    for q in questions:
        assert q.is_correct(q.answer)
        assert "-" not in q.explanation.replace("k − 1", "")  # real minus signs only
