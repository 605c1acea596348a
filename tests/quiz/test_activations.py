"""Lesson 6's "Check yourself" questions: answers equal what the library computes."""

import numpy as np

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
