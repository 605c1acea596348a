""" "Check yourself" questions for lesson 6 (activations and softmax), from the numbers on screen.

Pure functions of the page's arrays and settings (no Streamlit); answers are computed by the
same library functions the page uses.
"""

from __future__ import annotations

import numpy as np

from cnnviz.numbers import text_number as number
from cnnviz.ops import activations
from cnnviz.quiz.question import Question

SCORE_SHIFT = 10.0
"""Added to every score in the shift question: softmax does not change."""


def activation_questions(
    crop: np.ndarray,
    name: str,
    title: str,
    slope: float,
    scores: np.ndarray | None,
    temperature: float,
) -> list[Question]:
    """Questions about the enlarged feature-map crop and the softmax scores on screen.

    crop : (h, w) raw feature-map values before the activation (the printed map).
    name, title : the chosen activation (`activations.ACTIVATIONS` name and display title).
    slope : leaky ReLU's slope.
    scores : (K,) the softmax scores, or None while the typed scores are unusable.
    """
    crop = np.asarray(crop, dtype=np.float64)
    h, w = crop.shape
    zeros = int(np.count_nonzero(crop <= 0))
    row, col = np.unravel_index(int(np.argmin(crop)), crop.shape)
    v = float(np.round(crop[row, col], 2))  # the value as printed in its cell
    f_v = float(activations.activate(name, v, slope))
    questions = [
        Question(
            prompt=f"The enlarged map has {h}×{w} = {h * w} values before the activation. "
            "How many of them are 0 after **ReLU**?",
            answer=zeros,
            explanation=f"ReLU sets every value ≤ 0 to 0: count the blue (and white) cells of "
            f"the map before — there are {zeros}.",
        ),
        Question(
            prompt=f"The smallest value in the enlarged map is {number(v, 2)} (row {row}, "
            f"column {col} of the crop). What does **{title}** turn it into? "
            "(Two decimals are enough.)",
            answer=round(f_v, 2),
            tolerance=0.011,
            explanation=f"{title}({number(v, 2)}) = {number(f_v, 4)}"
            + (f" with slope {number(slope)}." if name == "leaky_relu" else "."),
        ),
    ]
    if scores is not None:
        p = activations.softmax(scores, temperature)
        top = int(np.argmax(p))
        questions.append(
            Question(
                prompt=f"Add {SCORE_SHIFT:g} to every softmax score above (temperature "
                f"{number(temperature)}). What will the largest probability be, in percent? "
                "(One decimal is enough.)",
                answer=round(100 * float(p[top]), 1),
                tolerance=0.051,
                explanation=f"Unchanged: {100 * float(p[top]):.1f}% for class “{top}”. Adding a "
                "constant multiplies every e^z by the same factor, which cancels in the "
                "division — that is why subtracting the maximum is allowed.",
            )
        )
    return questions
