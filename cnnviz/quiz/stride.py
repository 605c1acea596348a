""" "Check yourself" questions for lesson 4 (stride, padding, dilation), from its settings.

Pure functions of the numbers on screen (no Streamlit); answers come from `cnnviz.ops.shapes`,
the same code that sizes the page's arrays.
"""

from __future__ import annotations

from cnnviz.ops import shapes
from cnnviz.quiz.question import Question
from cnnviz.viz.formulas import text_number


def _formula(n: int, k: int, stride: int, pad: tuple[int, int], dilation: int) -> str:
    before, after = pad
    top = n + before + after - dilation * (k - 1) - 1
    out = top // stride + 1
    return (
        f"floor(({n} + {before + after} − {dilation}·({k} − 1) − 1) / {stride}) + 1 = "
        f"floor({text_number(top)}/{stride}) + 1 = {text_number(out)}"
    )


def stride_questions(W: int, k: int, stride: int, pad: int | str, dilation: int) -> list[Question]:
    """Output-size questions about the width axis of the current settings (and a variation).

    W : input width; k : kernel size; stride, pad, dilation : as in `shapes.output_size`.
    Settings that do not work (stride 0, a kernel wider than the padded input, …) are
    replaced by the nearest working ones for the generated problems; at least one question
    is always returned.
    """
    questions = []
    try:
        axis = shapes.window_positions(W, k, stride, pad, dilation)
    except ValueError:  # ShapeError: stride or dilation 0, a window wider than the input, …
        axis = None
    if axis is not None:
        questions.append(
            Question(
                prompt=f"Input width {W}, kernel {k}, stride {stride}, padding {pad!r} "
                f"({axis.pad[0]} + {axis.pad[1]} zeros), dilation {dilation}. "
                "How many columns does the output have?",
                answer=axis.n_out,
                explanation=_formula(W, k, stride, axis.pad, dilation) + ".",
            )
        )
        if axis.left_out:
            questions.append(
                Question(
                    prompt="With these settings, how many columns of the padded input does "
                    "no window ever reach?",
                    answer=len(axis.left_out),
                    explanation=f"The last window starts at column {axis.starts[-1]} and covers "
                    f"{axis.span} columns, up to column {axis.reach - 1}; the padded input has "
                    f"{axis.padded} columns, so {len(axis.left_out)} are left out — the floor "
                    "drops a window that would not fit.",
                )
            )
    questions += _variations(W, max(k, 1), max(stride, 1), max(dilation, 1))
    return questions


def _variations(W: int, k: int, stride: int, dilation: int) -> list[Question]:
    """Two new problems built from the current numbers (always valid).

    The new width is a little wider than the input on screen *and* than the dilated window's
    span ``d·(k − 1) + 1``, so the window always fits, whatever k and d are.
    """
    n = max(W + 2 * k + 1, shapes.kernel_span(k, dilation) + k + 1)
    s = stride + 1
    out = shapes.output_size(n, k, s, 0, dilation)
    before, after = shapes.resolve_padding(n, k, 1, "same", dilation)
    return [
        Question(
            prompt=f"A new problem: input width {n}, kernel {k}, stride {s}, no padding, "
            f"dilation {dilation}. How wide is the output?",
            answer=out,
            explanation=_formula(n, k, s, (0, 0), dilation) + ".",
        ),
        Question(
            prompt=f"Input width {n}, kernel {k}, dilation {dilation}, stride 1. How many zeros "
            "in total (left + right) does “same” padding add, so the output is as wide as the "
            "input?",
            answer=before + after,
            explanation=f"The window spans {dilation}·({k} − 1) + 1 = "
            f"{shapes.kernel_span(k, dilation)} columns; to get {n} outputs at stride 1 the "
            f"padded width must be {n} + {before + after}, so {before} zero(s) go left and "
            f"{after} right"
            + (
                " (an even span cannot be split evenly: the extra zero goes right)."
                if before != after
                else "."
            ),
        ),
    ]
