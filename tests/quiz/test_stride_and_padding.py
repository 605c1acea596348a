"""Lesson 4's questions: every answer is the size the library really produces."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.lessons import stride_and_padding as lesson
from cnnviz.ops import conv, shapes
from cnnviz.quiz import stride_questions


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
    assert left_out.explanation.startswith("1 of the 8 columns is never read. Column 7 comes")
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


EVERY_WIDGET_VALUE = {
    "W": st.integers(1, lesson.MAX_SIDE),
    "k": st.integers(1, lesson.MAX_KERNEL),
    "stride": st.integers(0, lesson.MAX_STRIDE),
    "pad": st.sampled_from(lesson.PADDINGS),
    "dilation": st.integers(0, lesson.MAX_DILATION),
}
"""Every value lesson 4's sliders and padding list allow, the impossible ones included."""


# Every value the page's sliders and padding list allow, including the impossible ones
# (stride 0, dilation 0, a window wider than the padded input).
@settings(max_examples=300, deadline=None)
@given(**EVERY_WIDGET_VALUE)
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


# --- issue 10 item 1: every unread column, not only the floor's drop ---------------------------


def unread_question(questions):
    found = [q for q in questions if "does no window ever read" in q.prompt]
    assert len(found) <= 1
    return found[0] if found else None


def test_gaps_between_windows_count_as_unread():
    """The issue's example: width 8, k 1, s 2, no padding reads [1,0,1,0,1,0,1,0] → 4."""
    q = unread_question(stride_questions(8, 1, 2, 0, 1))
    assert q.answer == 4 and q.is_correct(4) and not q.is_correct(1)
    assert q.explanation.startswith("4 of the 8 columns are never read.")
    assert "Columns 1, 3, 5 lie between windows" in q.explanation
    assert "stride 2 > span 1" in q.explanation and "jumps over 1 column." in q.explanation
    assert "Column 7 comes after the last window" in q.explanation
    assert "floor drops a window" in q.explanation


def test_dilation_gaps_count_as_unread():
    # k 3, d 2 on 9 columns at stride 2: taps at 0, 2, 4 / 2, 4, 6 / 4, 6, 8 → odd ones unread
    q = unread_question(stride_questions(9, 3, 2, 0, 2))
    assert q.answer == 4
    assert "Columns 1, 3, 5, 7 lie inside windows but between their taps" in q.explanation
    assert "after the last window" not in q.explanation


def test_plurals_in_the_explanations():
    """Issue 10 item 29: "1 zero(s)" and "1 columns" read as 1 zero, 1 column."""
    first, *_, same = stride_questions(8, 3, 2, 1, 1)
    assert "(1 zero left, 1 right)" in first.prompt
    assert "(s)" not in " ".join(q.prompt + q.explanation for q in stride_questions(8, 1, 2, 1, 1))
    same = stride_questions(8, 1, 1, 0, 1)[-1]
    assert "= 1 column;" in same.explanation


# --- issue 10 item 4: every answer against an independent brute force ---------------------------


def brute_windows(n, k, stride, before, after, dilation):
    """(number of windows, reads per padded column), by sliding a window with a plain loop."""
    padded, span = n + before + after, dilation * (k - 1) + 1
    reads, starts, start = [0] * padded, [], 0
    while start + span <= padded:
        for tap in range(k):
            reads[start + tap * dilation] += 1
        starts.append(start)
        start += stride
    return starts, reads


def brute_padding(n, k, stride, pad, dilation):
    """Zeros (before, after) without `resolve_padding`: "same" = fewest zeros for ceil(n / s)."""
    span = dilation * (k - 1) + 1
    if isinstance(pad, int):
        return pad, pad
    if pad == "valid":
        return 0, 0
    if pad == "full":
        return span - 1, span - 1
    wanted = -(-n // stride)
    total = 0
    while len(brute_windows(n, k, stride, 0, total, dilation)[0]) < wanted:
        total += 1
    return total // 2, total - total // 2


def brute_unread_kinds(starts, reads, span):
    """Unread columns split into between windows, between taps, and after the last window."""
    end = starts[-1] + span
    unread = [i for i, r in enumerate(reads) if r == 0]
    spanned = {i for s in starts for i in range(s, s + span)}
    return (
        [i for i in unread if i < end and i not in spanned],
        [i for i in unread if i < end and i in spanned],
        [i for i in unread if i >= end],
    )


def runs_text(indices):
    """The index list as the explanation writes it: ranges for runs of three or more."""
    from cnnviz.quiz.stride_and_padding import index_list

    return index_list(tuple(indices))


@settings(max_examples=400, deadline=None)
@given(**EVERY_WIDGET_VALUE)
def test_every_answer_matches_a_brute_force(W, k, stride, pad, dilation):
    pad_value = int(pad) if pad.isdigit() else pad
    questions = stride_questions(W, k, stride, pad_value, dilation)
    works = stride >= 1 and dilation >= 1
    if works:
        before, after = brute_padding(W, k, stride, pad_value, dilation)
        starts, reads = brute_windows(W, k, stride, before, after, dilation)
        works = bool(starts)
    current = questions[:-2]  # the last two are always the new problems
    if not works:
        assert current == []
    else:
        size = current[0]
        assert size.answer == len(starts)
        assert f"({before} zero" in size.prompt and f" {after} right)" in size.prompt
        unread = unread_question(questions)
        if reads.count(0) == 0:
            assert unread is None
        else:
            assert unread.answer == reads.count(0)
            padded = W + before + after
            assert unread.explanation.startswith(f"{reads.count(0)} of the {padded} columns")
            sentences = unread.explanation.split(". ")
            span = dilation * (k - 1) + 1
            for kind, words in zip(
                brute_unread_kinds(starts, reads, span),
                ("between windows", "inside windows but between their taps", "after the last"),
                strict=True,
            ):
                said = [x for x in sentences if words in x]
                if kind:
                    (sentence,) = said
                    assert f" {runs_text(kind)} " in sentence, (kind, sentence)
                else:
                    assert not said
    # the two new problems, each checked by sliding the window by hand
    new, same = questions[-2], questions[-1]
    n = int(re.search(r"input width (\d+)", new.prompt).group(1))
    ks, s2, d = max(k, 1), max(stride, 1) + 1, max(dilation, 1)
    assert f"kernel {ks}, stride {s2}, no padding, dilation {d}" in new.prompt
    assert new.answer == len(brute_windows(n, ks, s2, 0, 0, d)[0]) >= 1
    total = 0
    while len(brute_windows(n, ks, 1, 0, total, d)[0]) < n:
        total += 1
    assert same.answer == total
