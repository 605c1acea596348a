""" "Check yourself" for lesson 1 (pixels), from the region and digit on screen.

A pure function of the numbers on screen (no Streamlit), so the answer is always the one the
page itself computes.
"""

from __future__ import annotations

import numpy as np

from cnnviz.ops import pixels
from cnnviz.quiz.question import Question


def pixels_questions(
    region: np.ndarray, digit: np.ndarray, digit_label: str, resize_side: int
) -> list[Question]:
    """Questions for lesson 1 about the numbers currently on screen.

    region : (h, w, 3) uint8, the zoomed crop; its top-left pixel is asked about.
    digit : (H, W) the digit grid on screen (the drawn 4 or a UCI digit), flattened row by row.
    digit_label : what the digit is, e.g. "4" (the questions name it).
    resize_side : the side of the square the image is resized to.
    """
    h, w = region.shape[:2]
    questions = [
        Question(
            prompt=f"The zoomed region is {h}×{w} pixels with 3 colour channels. "
            "How many numbers does the computer store for it?",
            answer=h * w * 3,
            explanation=f"{h} rows × {w} columns × 3 channels = {h * w * 3} numbers.",
        ),
        _grayscale_question(*(int(v) for v in region[0, 0])),
        *_digit_questions(np.asarray(digit), digit_label),
        Question(
            prompt=f"You resize the colour image to {resize_side}×{resize_side}. "
            "How many numbers go into the network?",
            answer=resize_side * resize_side * 3,
            explanation=f"{resize_side}·{resize_side}·3 = {resize_side**2 * 3}, whatever the "
            "size of the original photo — that is why every input is resized first.",
        ),
    ]
    return questions


def _grayscale_question(r: int, g: int, b: int) -> Question:
    """Gray value of one pixel, rounded; exactly halfway, both neighbours count."""
    gray = pixels.grayscale_value(r, g, b)
    whole = pixels.grayscale_whole(r, g, b)
    rounded = " or ".join(str(v) for v in whole)
    return Question(
        prompt=f"The top-left pixel of the region is R = {r}, G = {g}, B = {b}. "
        "What is its grayscale value, rounded to a whole number?",
        answer=sum(whole) / len(whole),
        tolerance=0.5 if len(whole) == 2 else 0.0,
        explanation=f"0.299·{r} + 0.587·{g} + 0.114·{b} = {gray:.3f}, which rounds to {rounded}.",
    )


def _digit_questions(digit: np.ndarray, label: str) -> list[Question]:
    """Where the digit on screen lands in the flattened list (positions counted from 0).

    digit : (H, W), H >= 2. Asks where its ink starts and where the pixel below its
    brightest pixel (above the last row) lands.
    """
    H, W = digit.shape
    if H < 2:
        raise ValueError(f"the digit needs at least 2 rows, got shape {digit.shape}")
    questions = []
    ink_rows, ink_cols = np.nonzero(digit)  # row-major order: the first is the first ink
    if ink_rows.size:
        r, c = int(ink_rows[0]), int(ink_cols[0])
        empty = f"rows 0–{r - 1} hold no ink, so " if r > 0 else ""
        questions.append(
            Question(
                prompt=f"The {H}×{W} grid shows a {label}. Flattened row after row into one "
                "list (positions counted from 0), at which position is its first ink — the "
                "first value that is not 0?",
                answer=r * W + c,
                explanation=f"{empty.capitalize()}the first ink is in row {r}, column {c}: "
                f"{r}·{W} + {c} = {r * W + c}.",
            )
        )
    above_last = digit[:-1]  # (H - 1, W): every pixel here has one below it
    if above_last.max() > 0:
        r, c = (int(i) for i in np.unravel_index(np.argmax(above_last), above_last.shape))
        questions.append(
            Question(
                prompt=f"The brightest pixel of the {label} above the last row (the first one, "
                f"reading row by row) is in row {r}, column {c}, value {digit[r, c]:g}. In the "
                "flattened list, at which position is the pixel directly below it?",
                answer=(r + 1) * W + c,
                explanation=f"The pixel below is in row {r + 1}, column {c}: {r + 1}·{W} + {c} "
                f"= {(r + 1) * W + c} — {W} places after its neighbour at {r * W + c}. "
                "Neighbours in a column end up far apart.",
            )
        )
    return questions
