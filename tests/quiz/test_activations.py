"""Lesson 6's "Check yourself" questions: answers equal what the library computes."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnviz import quiz
from cnnviz.ops import activations as act

CROP = np.array([[-1.234, 0.0], [0.5, 2.0]])


def test_questions_count_zeros_apply_the_activation_and_shift_the_scores():
    zeros, smallest, shift = quiz.activation_questions(
        CROP, "leaky_relu", "Leaky ReLU", 0.2, np.array([2.0, 1.0, 0.1]), 1.0
    )
    assert zeros.answer == 2 and zeros.is_correct(2) and not zeros.is_correct(1)
    assert "−1.23" in smallest.prompt or "-1.23" in smallest.prompt
    assert smallest.answer == round(-1.23 * 0.2, 2) and smallest.is_correct(-0.25)
    assert shift.answer == round(100 * act.softmax([12.0, 11.0, 10.1]).max(), 1) == 65.9
    assert shift.is_correct(65.9) and not shift.is_correct(70)


def test_no_softmax_question_without_usable_scores():
    questions = quiz.activation_questions(CROP, "sigmoid", "Sigmoid", 0.1, None, 1.0)
    assert len(questions) == 2
    assert questions[1].answer == round(float(act.sigmoid(-1.23)), 2)


def _by_hand(name: str, v: float, a: float) -> float:
    """Each activation from its textbook formula, with Python's math module."""
    return {
        "relu": max(0.0, v),
        "leaky_relu": v if v > 0 else a * v,
        "sigmoid": 1 / (1 + math.exp(-v)),
        "tanh": math.tanh(v),
    }[name]


# Every setting lesson 6's widgets allow: crop 4-16 of a filtered photo (pixels 0-1, any preset),
# any activation, slope 0-0.5, 2-10 scores within ±1,000,000, temperature 0.1-10.
@settings(max_examples=300, deadline=None)
@given(
    crop=st.integers(4, 16).flatmap(
        lambda n: arrays(np.float64, (n, n), elements=st.floats(-12, 12, width=32))
    ),
    name=st.sampled_from(["relu", "leaky_relu", "sigmoid", "tanh"]),
    slope=st.integers(0, 50).map(lambda i: i / 100),
    scores=st.one_of(
        st.none(),
        st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=10).map(np.array),
    ),
    temperature=st.integers(1, 100).map(lambda i: i / 10),
)
def test_every_answer_matches_a_brute_force_check(crop, name, slope, scores, temperature):
    questions = quiz.activation_questions(crop, name, name, slope, scores, temperature)
    zeros_q, smallest_q = questions[0], questions[1]
    after_relu = [max(0.0, v) for v in crop.ravel().tolist()]
    assert zeros_q.answer == after_relu.count(0.0)
    smallest = min(crop.ravel().tolist())
    shown = round(smallest, 2)  # the enlarged map prints two decimals
    assert smallest_q.is_correct(round(_by_hand(name, shown, slope), 2))
    assert not smallest_q.is_correct(round(_by_hand(name, shown, slope), 2) + 0.03)
    if scores is None:
        assert len(questions) == 2
        return
    (shift_q,) = questions[2:]
    shifted = [(s + quiz.activations.SCORE_SHIFT) / temperature for s in scores.tolist()]
    top = max(shifted)
    exps = [math.exp(s - top) for s in shifted]
    assert shift_q.is_correct(round(100 * max(exps) / sum(exps), 1))
