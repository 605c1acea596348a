"""Padding modes side by side: valid, same and full for the window settings on screen, how often
each input pixel is read under each, and what "same" needs for a kernel of either parity.

The zeros come from `cnnviz.ops.shapes.resolve_padding`, the positions from
`cnnviz.ops.windows`; this module wires them to widgets.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.lessons.stride_and_padding.settings import WindowSettings
from cnnviz.lessons.stride_and_padding.windows import MODE_PX, Windows, grid_figure, windows_of
from cnnviz.numbers import plural
from cnnviz.ops import shapes
from cnnviz.ops.windows import window_positions
from cnnviz.ui import widgets
from cnnviz.viz import stride_and_padding as figures


def padding_modes(s: WindowSettings) -> None:
    """valid / same / full for the current input, kernel, stride and dilation, side by side."""
    if s.stride < 1 or s.dilation < 1:
        st.caption("Choose a stride and a dilation of at least 1 to compare the padding modes.")
        return
    columns = st.columns(len(shapes.PAD_MODES), gap="medium")
    for column, mode in zip(columns, shapes.PAD_MODES, strict=True):
        try:
            w = windows_of(s, mode)
        except shapes.ShapeError as error:  # only "valid" can fail: the kernel is too large
            column.markdown(f"**{mode}** — does not work here. {error}")
            continue
        (top, bottom), (left, right) = w.rows.pad, w.cols.pad
        cell_px = min(300 // max(w.rows.padded, w.cols.padded), 28)
        with column:
            st.markdown(
                f"**{mode}** — zeros: {top} top, {bottom} bottom, {left} left, {right} right → "
                f"output **{w.output_shape[0]} × {w.output_shape[1]}**"
            )
            widgets.chart(
                grid_figure(
                    s.height, s.width, s.kernel, s.stride, mode, s.dilation, None, cell_px=cell_px
                )
            )
    if any(not figures.values_fit(_padded_width(s, mode), MODE_PX) for mode in shapes.PAD_MODES):
        st.caption("Grids too wide to print a number in every cell: hover a cell for the numbers.")
    st.markdown(reads_per_pixel_text(s))
    st.markdown(same_padding_text(s.kernel, s.dilation))


def input_reads(w: Windows) -> np.ndarray:
    """(H, W) int: how many windows read each real input pixel (the padding ring cut off)."""
    (top, _), (left, _) = w.rows.pad, w.cols.pad
    return w.coverage[top : top + w.rows.n, left : left + w.cols.n]


def reads_per_pixel_text(s: WindowSettings) -> str:
    """How often the top-left corner and the most-read input pixel are read, per padding mode."""
    parts = []
    for mode in shapes.PAD_MODES:
        try:
            reads = input_reads(windows_of(s, mode))
        except shapes.ShapeError:
            continue
        corner, most = int(reads[0, 0]), int(reads.max())
        if reads.min() == most:
            parts.append(f"{mode}: every pixel {most}×")
        else:
            parts.append(f"{mode}: the corner pixel {corner}×, the most-read pixel {most}×")
    return "**How often each input pixel is read** (the grids above, inside the frame) — " + (
        "; ".join(parts) + "."
    )


def _padded_width(s: WindowSettings, mode: str) -> int:
    """Padded width under a padding mode (0 if the mode does not work here)."""
    try:
        return window_positions(s.width, s.kernel, s.stride, mode, s.dilation).padded
    except ValueError:
        return 0


def same_padding_text(k: int, dilation: int) -> str:
    """What "same" needs for this kernel and for one of the other parity (at stride 1)."""
    lines = []
    for taps in (k, k + 1):
        span = shapes.kernel_span(taps, dilation)
        before, after = shapes.resolve_padding(max(span, 1), taps, 1, "same", dilation)
        split = (
            f"{before} on each side"
            if before == after
            else f"{before} before and {after} after — an odd total cannot be split evenly, so "
            "the extra zero goes to the bottom/right (TensorFlow's rule)"
        )
        lines.append(
            f"- a kernel of {taps} (spanning {span}) needs {plural(before + after, 'zero')}: "
            f"{split}."
        )
    return "At stride 1, “same” adds span − 1 zeros per axis:\n" + "\n".join(lines)
