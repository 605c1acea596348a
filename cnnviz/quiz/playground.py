""" "Check yourself" for lesson 3 (filter playground), from the kernel and result on screen.

A pure function of the numbers on screen (no Streamlit), so the answer is always the one the
page itself computes.
"""

from __future__ import annotations

import numpy as np

from cnnviz.ops import display
from cnnviz.quiz.question import Question


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
