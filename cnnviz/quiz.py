""" "Check yourself" questions generated from a lesson's current settings.

A question is plain data; :mod:`cnnviz.ui.widgets` asks it. Generators are pure functions of
the numbers on screen, so the answer is always the one the page itself computes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.ops import conv, display, pixels


@dataclass(frozen=True)
class Question:
    """A predict-then-reveal question with a numeric answer.

    tolerance : how far an answer may be from ``answer`` and still count as right.
    """

    prompt: str
    answer: float
    explanation: str
    tolerance: float = 0.0

    def is_correct(self, guess: float) -> bool:
        """True when ``guess`` is within ``tolerance`` of the answer."""
        return abs(guess - self.answer) <= self.tolerance + 1e-9


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


def convolution_questions(
    trace: conv.ConvTrace, step: int, input_shape: tuple[int, int]
) -> list[Question]:
    """Questions for lesson 2 from the trace on screen.

    trace : the 2-D trace the player shows; step : its current step (0-based).
    input_shape : (H, W) of the input before padding.
    """
    H_out, W_out = trace.output.shape
    KH, KW = trace.kernel.shape[:2]
    (top, bottom), (left, right) = trace.pad_rows, trace.pad_cols
    questions = []
    if step + 1 < trace.n_steps:
        following = trace.step(step + 1)
        questions.append(
            Question(
                prompt=f"The window is at step {step + 1}. Where it moves next (output row "
                f"{following.out_row}, column {following.out_col}), what value will it write? "
                "Read the numbers under the window and the weights.",
                answer=round(following.value, 2),
                tolerance=0.01,
                explanation=f"The {KH * KW} products add up to "
                f"{following.total:.4g}; plus the bias {trace.bias:g} gives "
                f"{following.value:.4g}. Press Next to check it on the page.",
            )
        )
    H, W = input_shape
    questions.append(
        Question(
            prompt=f"The input is {H}×{W}, padded with {top}+{bottom} rows and {left}+{right} "
            f"columns of zeros, the kernel is {KH}×{KW}, stride {trace.stride}, dilation "
            f"{trace.dilation}. How many cells does the output have in total?",
            answer=H_out * W_out,
            explanation=f"floor(({H} + {top + bottom} − {trace.dilation}·({KH}−1) − 1) / "
            f"{trace.stride}) + 1 = {H_out} rows and likewise {W_out} columns: "
            f"{H_out}·{W_out} = {H_out * W_out} cells.",
        )
    )
    return questions


def playground_questions(
    kernel: np.ndarray, pixel_value: float, raw_range: dict[str, float]
) -> list[Question]:
    """Questions for lesson 3 from the kernel and the result on screen.

    kernel : (KH, KW) weights in use.  pixel_value : the raw value of the inspected pixel.
    raw_range : `cnnviz.ops.filtering.range_summary` of the raw result (its min and max).
    """
    total = float(np.sum(kernel))
    flat = 100 * total
    clipped = float(display.clip_to_uint8(np.array([[pixel_value]]))[0, 0])
    low, high = raw_range["min"], raw_range["max"]
    questions = [
        Question(
            prompt="Imagine a perfectly flat patch of the photo where every pixel is 100. "
            "What does your kernel output there?",
            answer=round(flat, 2),
            tolerance=0.01,
            explanation=f"Every product is 100 × a weight, so the sum is 100 × (sum of the "
            f"weights) = 100 × {total:.4g} = {flat:.4g}.",
        ),
        Question(
            prompt=f"The inspected pixel's raw value is {pixel_value:.4g}. What number does the "
            "clipped view show for it?",
            answer=clipped,
            explanation=f"Clipping rounds and keeps values inside 0–255: {pixel_value:.4g} → "
            f"{clipped:g}.",
        ),
    ]
    if high > low:
        stretched = float(display.normalise_to_uint8(np.array([[low, pixel_value, high]]))[0, 1])
        questions.append(
            Question(
                prompt=f"The raw result runs from {low:.4g} to {high:.4g}. Which gray level "
                f"(0–255) does the normalised view give the inspected pixel ({pixel_value:.4g})?",
                answer=stretched,
                tolerance=1,
                explanation=f"255 × ({pixel_value:.4g} − ({low:.4g})) / ({high:.4g} − "
                f"({low:.4g})) = {stretched:g} after rounding (±1 counts as right).",
            )
        )
    return questions
