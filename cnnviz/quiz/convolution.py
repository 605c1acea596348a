""" "Check yourself" for lesson 2 (convolution), from the step the player shows.

A pure function of the numbers on screen (no Streamlit), so the answer is always the one the
page itself computes.
"""

from __future__ import annotations

from cnnviz.ops import conv
from cnnviz.quiz.question import Question


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
