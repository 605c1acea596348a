"""Lesson 5's generated questions: answers equal what the library computes."""

import numpy as np

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
