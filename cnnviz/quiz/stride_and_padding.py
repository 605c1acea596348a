""" "Check yourself" questions for lesson 4 (stride, padding, dilation), from its settings.

Pure functions of the numbers on screen (no Streamlit); answers come from `cnnviz.ops.shapes`,
the same code that sizes the page's arrays.
"""

from __future__ import annotations

from cnnviz.numbers import plural, text_number
from cnnviz.ops import shapes, windows
from cnnviz.quiz.question import Question


def _formula(n: int, k: int, stride: int, pad: tuple[int, int], dilation: int) -> str:
    before, after = pad
    top = n + before + after - dilation * (k - 1) - 1
    out = top // stride + 1
    return (
        f"floor(({n} + {before + after} − {dilation}·({k} − 1) − 1) / {stride}) + 1 = "
        f"floor({text_number(top)}/{stride}) + 1 = {text_number(out)}"
    )


def index_list(indices: tuple[int, ...]) -> str:
    """``1, 3, 5`` or ``0–2, 7``: indices with consecutive runs written as ranges."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _where(name: str, indices: tuple[int, ...], verb: str) -> str:
    """``Column 7 comes`` / ``Columns 1, 3 come``: the indices and a verb that agrees."""
    if len(indices) == 1:
        return f"{name.capitalize()} {indices[0]} {verb}s"
    return f"{name.capitalize()}s {index_list(indices)} {verb}"


def unread_notes(axis: windows.AxisWindows, stride: int, name: str = "column") -> list[str]:
    """Why each unread index of one axis is never read, one sentence per kind (none if all read).

    axis : the window positions (`windows.window_positions`); stride : its step;
    name : "column" or "row". Three kinds: the stride jumps over indices between windows
    (stride > span), dilation leaves indices between one window's taps that no other window's
    tap hits, and the floor drops a last window that would run past the edge.
    """
    notes = []
    if axis.between_windows:
        skipped = stride - axis.span
        notes.append(
            f"{_where(name, axis.between_windows, 'lie')} between windows: each window "
            f"spans {plural(axis.span, name)} and the next one starts {stride} later (stride "
            f"{stride} > span {axis.span}), so every step jumps over {plural(skipped, name)}."
        )
    if axis.between_taps:
        pronoun = "it" if len(axis.between_taps) == 1 else "them"
        notes.append(
            f"{_where(name, axis.between_taps, 'lie')} inside windows but between their taps: "
            f"dilation {axis.dilation} puts the taps {axis.dilation} {name}s apart, and moving "
            f"by stride {stride} never brings a tap onto {pronoun}."
        )
    if axis.left_out:
        spare = axis.padded - axis.span
        notes.append(
            f"{_where(name, axis.left_out, 'come')} after the last window: "
            f"({axis.padded} − {axis.span}) / {stride} = {spare} / {stride} is not whole, so "
            f"after {plural(axis.n_out - 1, 'full step')} the last window starts at "
            f"{axis.starts[-1]} and ends at {axis.reach - 1}; the floor drops a window that "
            "would run past the edge."
        )
    return notes


def stride_questions(W: int, k: int, stride: int, pad: int | str, dilation: int) -> list[Question]:
    """Output-size questions about the width axis of the current settings (and a variation).

    W : input width; k : kernel size; stride, pad, dilation : as in `shapes.output_size`.
    Settings that do not work (stride 0, a kernel wider than the padded input, …) are
    replaced by the nearest working ones for the generated problems; at least one question
    is always returned.
    """
    questions = []
    try:
        axis = windows.window_positions(W, k, stride, pad, dilation)
    except ValueError:  # ShapeError: stride or dilation 0, a window wider than the input, …
        axis = None
    if axis is not None:
        questions.append(
            Question(
                prompt=f"Input width {W}, kernel {k}, stride {stride}, padding {pad!r} "
                f"({plural(axis.pad[0], 'zero')} left, {axis.pad[1]} right), dilation {dilation}. "
                "How many columns does the output have?",
                answer=axis.n_out,
                explanation=_formula(W, k, stride, axis.pad, dilation) + ".",
            )
        )
        if axis.unread:
            questions.append(_unread_question(axis, stride))
    questions += _variations(W, max(k, 1), max(stride, 1), max(dilation, 1))
    return questions


def _unread_question(axis: windows.AxisWindows, stride: int) -> Question:
    """How many columns of the padded input no window reads (gaps and the floor's drop)."""
    count = len(axis.unread)
    verb = "is" if count == 1 else "are"
    return Question(
        prompt="With these settings, how many columns of the padded input does no window ever "
        "read? (Look for gaps between windows as well as columns at the end.)",
        answer=count,
        explanation=f"{count} of the {axis.padded} columns {verb} never read. "
        + " ".join(unread_notes(axis, stride)),
    )


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
            f"{plural(shapes.kernel_span(k, dilation), 'column')}; to get {n} outputs at stride "
            f"1 the padded width must be {n} + {before + after}, so the zeros split {before} "
            f"left and {after} right"
            + (
                " (an even span cannot be split evenly: the extra zero goes right)."
                if before != after
                else "."
            ),
        ),
    ]
