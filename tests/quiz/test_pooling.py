"""Lesson 5's generated questions: answers equal what the library computes."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz import quiz
from cnnviz.ops import pool

X = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])


def test_answers_for_the_worked_example():
    questions = quiz.pooling_questions(X, 2, 2, (24, 24, 6))
    answers = [q.answer for q in questions]
    assert answers == [4.0, 2.0, 12 * 12 * 6, 3.0]  # max, average, 24×24×6 -> 12×12×6, 12/4
    assert all(q.is_correct(q.answer) for q in questions)
    assert "rows 2–3, columns 2–3" in questions[0].prompt


def test_overlapping_windows_and_a_map_too_small_to_pool():
    x = np.random.default_rng(0).integers(-9, 10, size=(7, 7))
    questions = quiz.pooling_questions(x, 3, 2, (2, 2))
    assert len(questions) == 3  # no size question: a 3×3 window does not fit a 2×2 map
    assert questions[0].answer == pool.pool2d(x, 3, 2)[-1, -1]
    assert questions[1].is_correct(round(float(pool.pool2d(x, 3, 2, "avg")[-1, -1]), 2))


# Every setting lesson 5's widgets allow: matrix side 4-8, values from each VALUE_RANGES choice,
# window 1-4, stride 1-4; the real map is a photo or an upload of any size, gray or colour.
@settings(max_examples=300, deadline=None)
@given(
    side=st.integers(4, 8),
    value_range=st.sampled_from([(0, 9), (0, 3), (-9, 9)]),
    size=st.integers(1, 4),
    stride=st.integers(1, 4),
    map_shape=st.one_of(
        st.tuples(st.integers(1, 300), st.integers(1, 300)),  # a gray map
        st.tuples(st.integers(1, 300), st.integers(1, 300), st.just(3)),  # a colour photo
    ),
    seed=st.integers(0, 9999),
)
def test_every_answer_matches_a_brute_force_loop(side, value_range, size, stride, map_shape, seed):
    x = np.random.default_rng(seed).integers(value_range[0], value_range[1] + 1, (side, side))
    questions = quiz.pooling_questions(x, size, stride, map_shape)
    # The windows, enumerated by hand: top-left corners 0, s, 2s, ... while the window fits.
    starts = [i for i in range(0, side) if i + size <= side][::stride]
    last = x[starts[-1] : starts[-1] + size, starts[-1] : starts[-1] + size]
    max_q, avg_q = questions[0], questions[1]
    assert "max pooling" in max_q.prompt and max_q.answer == last.max()
    assert "average pooling" in avg_q.prompt
    assert avg_q.is_correct(round(sum(last.ravel().tolist()) / size**2, 2))
    gradient_q = next(q for q in questions if "upstream gradient" in q.prompt)
    assert gradient_q.is_correct(round(12 / (size * size), 2))
    H, W = map_shape[:2]
    C = map_shape[2] if len(map_shape) == 3 else 1
    rows = len(range(0, H - size + 1, stride)) if size <= H else 0
    cols = len(range(0, W - size + 1, stride)) if size <= W else 0
    size_qs = [q for q in questions if "How many numbers does the output hold" in q.prompt]
    if rows and cols:
        (size_q,) = size_qs
        assert size_q.answer == rows * cols * C
    else:  # the window does not fit the map: no size question
        assert size_qs == []
    for q in questions:
        assert q.is_correct(q.answer)
