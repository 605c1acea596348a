"""Lesson 1's questions: every marked answer is confirmed by reading the arrays by hand.

Settings span what the page allows: any RGB region of 2…32 pixels a side, the drawn 4 or any
of the 1,797 UCI digits, a resize side of 4…128.
"""

import re
from fractions import Fraction

import cv2
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnviz.data import digits, synthetic
from cnnviz.quiz import pixels_questions

UCI = digits.load_digits()
DIGITS = [("4", synthetic.digit_four())] + [
    (str(label), image) for label, image in zip(UCI.labels, UCI.images, strict=True)
]


def by_prompt(questions, start):
    (question,) = [q for q in questions if start in q.prompt]
    return question


def marks_only(question, right: set[int], candidates: range) -> None:
    """The question accepts exactly the whole numbers in ``right`` among ``candidates``."""
    accepted = {n for n in candidates if question.is_correct(n)}
    assert accepted == right, (question.prompt, accepted, right)


def flattened_with_positions(digit: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(position, row, col, value) of every pixel, writing the rows one after another."""
    out = []
    for row_index, row in enumerate(digit.tolist()):
        for col_index, value in enumerate(row):
            out.append((len(out), row_index, col_index, value))
    return out


@settings(max_examples=200, deadline=None)
@given(
    region=st.tuples(st.integers(2, 32), st.integers(2, 32)).flatmap(
        lambda hw: arrays(np.uint8, (*hw, 3))
    ),
    side=st.integers(4, 128),
    digit_index=st.integers(0, len(DIGITS) - 1),
)
@example(  # 0.114 · 250 = 28.5 exactly: 28 and 28 + 1 both count
    region=np.full((2, 2, 3), (0, 0, 250), np.uint8), side=4, digit_index=0
)
def test_every_answer_matches_a_brute_force_reading(region, side, digit_index):
    label, digit = DIGITS[digit_index]
    questions = pixels_questions(region, digit, label, side)

    stored = sum(1 for row in region for pixel in row for _ in pixel)
    marks_only(
        by_prompt(questions, "How many numbers does the computer store"),
        {stored},
        range(stored - 3, stored + 4),
    )

    r, g, b = (int(v) for v in region[0, 0])
    exact = Fraction(299, 1000) * r + Fraction(587, 1000) * g + Fraction(114, 1000) * b
    nearest = {n for n in range(256) if abs(n - exact) <= Fraction(1, 2)}
    gray = by_prompt(questions, "grayscale value")
    assert f"R = {r}, G = {g}, B = {b}" in gray.prompt
    marks_only(gray, nearest, range(256))

    resized = cv2.resize(np.zeros((37, 53, 3), np.uint8), (side, side))
    network = by_prompt(questions, "How many numbers go into the network")
    marks_only(network, {resized.size}, range(resized.size - 3, resized.size + 4))


def test_digit_questions_match_every_digit_the_page_can_show():
    """The drawn 4 and all 1,797 UCI digits."""
    for label, digit in DIGITS:
        check_digit_questions(label, digit)


def check_digit_questions(label: str, digit: np.ndarray) -> None:
    questions = pixels_questions(np.zeros((2, 2, 3), np.uint8), digit, label, 28)
    cells = flattened_with_positions(digit)

    first = by_prompt(questions, "first ink")
    assert f"shows a {label}." in first.prompt
    first_ink = next(position for position, _, _, value in cells if value != 0)
    marks_only(first, {first_ink}, range(64))

    below = by_prompt(questions, "directly below")
    brightest = max(value for _, row, _, value in cells if row < digit.shape[0] - 1)
    _, r, c, _ = next(
        cell for cell in cells if cell[1] < digit.shape[0] - 1 and cell[3] == brightest
    )
    shown = re.search(r"row (\d+), column (\d+), value (\d+)", below.prompt)
    assert tuple(int(n) for n in shown.groups()) == (r, c, brightest)
    under = next(p for p, row, col, _ in cells if (row, col) == (r + 1, c))
    marks_only(below, {under}, range(64))
