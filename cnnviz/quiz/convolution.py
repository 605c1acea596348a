""" "Check yourself" for lesson 2 (convolution), from the step the player shows.

A pure function of the numbers on screen (no Streamlit), so the answer is always the one the
page itself computes. Answers are graded against the numbers as the page prints them: a
kernel of 1/9 is shown as 0.11, and a sum of the printed numbers must count as right.
"""

from __future__ import annotations

import numpy as np

from cnnviz.ops import conv
from cnnviz.quiz.question import Question
from cnnviz.viz.matrices import decimals_needed

BIAS_DECIMALS = 3
"""The step view prints the bias with `formulas.text_number`, at most 3 decimals."""


def convolution_questions(
    trace: conv.ConvTrace, step: int, input_shape: tuple[int, int]
) -> list[Question]:
    """Questions for lesson 2 from the trace on screen.

    trace : the 2-D trace the player shows; step : its current step (0-based).
    input_shape : (H, W) of the input before padding.
    """
    questions = []
    if step + 1 < trace.n_steps:
        questions.append(_next_value_question(trace, step))
    questions.append(_output_cells_question(trace, input_shape))
    return questions


def reading_slack(patch: np.ndarray, kernel: np.ndarray, bias: float) -> float:
    """How far a sum computed from the printed numbers can be from the true output value.

    patch, kernel : (KH, KW). The kernel grid prints `decimals_needed(kernel)` decimals, the
    bias is printed with BIAS_DECIMALS; the input values are whole numbers, printed exactly.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    printed = np.round(kernel, decimals_needed(kernel))
    weight_error = float(np.sum(np.abs(np.asarray(patch)) * np.abs(printed - kernel)))
    return weight_error + abs(round(bias, BIAS_DECIMALS) - bias)


def _next_value_question(trace: conv.ConvTrace, step: int) -> Question:
    """The value the window writes at the step after ``step``."""
    following = trace.step(step + 1)
    KH, KW = trace.kernel.shape[:2]
    slack = reading_slack(following.patch, trace.kernel, trace.bias)
    return Question(
        prompt=f"The window is at step {step + 1}. Where it moves next (output row "
        f"{following.out_row}, column {following.out_col}), what value will it write? "
        "Read the numbers under the window and the weights.",
        answer=round(following.value, 2),
        tolerance=0.01 + slack,
        explanation=f"The {KH * KW} products add up to "
        f"{following.total:.4g}; plus the bias {trace.bias:g} gives "
        f"{following.value:.4g}. Press Next to check it on the page."
        + (
            " (A sum of the rounded weights as printed counts as right too.)"
            if slack > 0.005
            else ""
        ),
    )


def _output_cells_question(trace: conv.ConvTrace, input_shape: tuple[int, int]) -> Question:
    """How many cells the output has, from the sizes stated in the prompt."""
    H_out, W_out = trace.output.shape
    KH, KW = trace.kernel.shape[:2]
    (top, bottom), (left, right) = trace.pad_rows, trace.pad_cols
    H, W = input_shape
    s, d = trace.stride, trace.dilation
    return Question(
        prompt=f"The input is {H}×{W}, padded with {top}+{bottom} rows and {left}+{right} "
        f"columns of zeros, the kernel is {KH}×{KW}, stride {s}, dilation "
        f"{d}. How many cells does the output have in total?",
        answer=H_out * W_out,
        explanation=f"Rows: floor(({H} + {top + bottom} − {d}·({KH}−1) − 1) / {s}) + 1 = "
        f"{H_out}; columns: floor(({W} + {left + right} − {d}·({KW}−1) − 1) / {s}) + 1 = "
        f"{W_out}; {H_out}·{W_out} = {H_out * W_out} cells.",
    )
