""" "Check yourself" for lesson 1 (pixels), from the region and digit on screen.

A pure function of the numbers on screen (no Streamlit), so the answer is always the one the
page itself computes.
"""

from __future__ import annotations

import numpy as np

from cnnviz.ops import pixels
from cnnviz.quiz.question import Question


def pixels_questions(
    region: np.ndarray, digit_shape: tuple[int, int], resize_side: int
) -> list[Question]:
    """Questions for lesson 1 about the numbers currently on screen.

    region : (h, w, 3) uint8, the zoomed crop; its top-left pixel is asked about.
    digit_shape : (H, W) of the digit grid being flattened.
    resize_side : the side of the square the image is resized to.
    """
    h, w = region.shape[:2]
    r, g, b = (int(v) for v in region[0, 0])
    gray = pixels.grayscale_value(r, g, b)
    digit_h, digit_w = digit_shape
    row, col = digit_h // 2, digit_w - 2
    return [
        Question(
            prompt=f"The zoomed region is {h}×{w} pixels with 3 colour channels. "
            "How many numbers does the computer store for it?",
            answer=h * w * 3,
            explanation=f"{h} rows × {w} columns × 3 channels = {h * w * 3} numbers.",
        ),
        Question(
            prompt=f"The top-left pixel of the region is R = {r}, G = {g}, B = {b}. "
            "What is its grayscale value, rounded to a whole number?",
            answer=round(gray),
            tolerance=0.5,
            explanation=f"0.299·{r} + 0.587·{g} + 0.114·{b} = {gray:.2f}, which rounds to "
            f"{round(gray)}.",
        ),
        Question(
            prompt=f"The {digit_h}×{digit_w} digit is flattened row by row into one list, "
            f"counting from 0. At which position does the pixel in row {row}, column {col} land?",
            answer=row * digit_w + col,
            explanation=f"{row} full rows of {digit_w} come before it, then {col} more: "
            f"{row}·{digit_w} + {col} = {row * digit_w + col}.",
        ),
        Question(
            prompt=f"You resize the colour image to {resize_side}×{resize_side}. "
            "How many numbers go into the network?",
            answer=resize_side * resize_side * 3,
            explanation=f"{resize_side}·{resize_side}·3 = {resize_side**2 * 3}, whatever the "
            "size of the original photo — that is why every input is resized first.",
        ),
    ]
