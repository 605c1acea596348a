"""Where the window goes: the window grid and the output order, stepped through by the player
or all at once, the size formulas, and which rows and columns no window reads (and why).

The positions are `cnnviz.ops.windows`, the output array `cnnviz.ops.conv`, the figures
`cnnviz.viz.stride_and_padding`; this module wires them to widgets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.lessons.stride_and_padding.settings import PLAYER_KEY, STEP, VIEW, WindowSettings
from cnnviz.numbers import plural
from cnnviz.ops import conv
from cnnviz.ops import windows as ops_windows
from cnnviz.ops.windows import AxisWindows
from cnnviz.quiz.stride_and_padding import index_list, unread_notes
from cnnviz.ui import player, widgets
from cnnviz.ui import settings as kit
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import stride_and_padding as figures

GRID_PX = 520
ORDER_PX = 340
MODE_PX = 280
"""Widths (px) the window grid, the output grid and one padding-mode grid get on a 1366 px
laptop (about 900 px of content: columns 3 : 2, then three columns). Cells narrower than
`cnnviz.viz.stride_and_padding.MIN_TEXT_CELL_PX` at these widths show their numbers on hover
only."""
HOVER = "hover for the numbers"


@dataclass(frozen=True, eq=False)
class Windows:
    """Where the window goes along both axes, and the output array the library produced."""

    rows: AxisWindows
    cols: AxisWindows
    coverage: np.ndarray  # (Hp, Wp) int: windows reading each padded cell
    output_shape: tuple[int, int]  # shape of correlate2d's real output


@st.cache_data(max_entries=128, show_spinner=False)
def windows(height: int, width: int, k: int, stride: int, pad: int | str, dilation: int) -> Windows:
    """Window positions on both axes, coverage, and the shape of the real output array."""
    rows = ops_windows.window_positions(height, k, stride, pad, dilation)
    cols = ops_windows.window_positions(width, k, stride, pad, dilation)
    output = conv.correlate2d(np.zeros((height, width)), np.zeros((k, k)), stride, pad, dilation)
    return Windows(rows, cols, ops_windows.coverage_2d(rows, cols), output.shape)


def windows_of(s: WindowSettings, pad: int | str | None = None) -> Windows:
    """`windows` of the settings on screen (with ``pad`` instead of theirs, if given)."""
    pad = s.pad_value if pad is None else pad
    return windows(s.height, s.width, s.kernel, s.stride, pad, s.dilation)


# Built figures are cached as objects (unpickling a plotly figure re-validates it and costs as
# much as building it). They are read-only: st.plotly_chart only reads them (to_dict / to_json).
@st.cache_resource(max_entries=256, show_spinner=False)
def grid_figure(
    height: int,
    width: int,
    k: int,
    stride: int,
    pad: int | str,
    dilation: int,
    step: int | None,
    *,
    cell_px: int | None = None,
) -> go.Figure:
    """`cnnviz.viz.stride_and_padding.window_grid_figure` of these settings (cached, never
    mutate it)."""
    w = windows(height, width, k, stride, pad, dilation)
    width_px = GRID_PX if cell_px is None else MODE_PX
    printed = figures.values_fit(w.cols.padded, width_px)
    size = f"{w.rows.padded} × {w.cols.padded}"
    if cell_px is not None:
        title = f"“{pad}”: {size}" + ("" if printed else " · hover")
    else:
        title = f"Padded input {size} · " + ("windows per cell" if printed else HOVER)
    return figures.window_grid_figure(
        w.rows, w.cols, w.coverage, step=step, title=title, cell_px=cell_px, width_px=width_px
    )


@st.cache_resource(max_entries=256, show_spinner=False)
def order_figure(output_shape: tuple[int, int], step: int | None) -> go.Figure:
    """`cnnviz.viz.stride_and_padding.output_order_figure` (cached, never mutate it)."""
    H_out, W_out = output_shape
    printed = figures.values_fit(W_out, ORDER_PX, len(str(H_out * W_out)))
    return figures.output_order_figure(
        output_shape,
        step=step,
        title=f"Output {H_out} × {W_out} · " + ("step numbers" if printed else HOVER),
        width_px=ORDER_PX,
    )


def size_formulas(s: WindowSettings, w: Windows) -> None:
    """The output-size formula for height and width with the current numbers in."""
    for axis, n, along in (("H", s.height, w.rows), ("W", s.width, w.cols)):
        # On aligned lines: the one-line form is cut off on a phone.
        st.latex(
            conv_figures.output_size_lines_latex(
                n, s.kernel, s.stride, along.pad, s.dilation, name=axis
            )
        )


# --- the window grid ----------------------------------------------------------------------------


def window_view(s: WindowSettings, w: Windows) -> None:
    """Step through the windows with the player, or see all of them at once."""
    view = kit.radio(VIEW)
    n_steps = w.output_shape[0] * w.output_shape[1]
    if view == "step":
        player.step_player(
            n_steps, key=PLAYER_KEY, draw=lambda step: _draw(s, w, step), url_param=STEP.url
        )
    else:
        _draw(s, w, None)
    st.markdown(left_out_text(s, w))


def _draw(s: WindowSettings, w: Windows, step: int | None) -> None:
    H_out, W_out = w.output_shape
    left, right = st.columns([3, 2], gap="medium")
    with left:
        widgets.chart(
            grid_figure(s.height, s.width, s.kernel, s.stride, s.pad_value, s.dilation, step)
        )
    with right:
        widgets.chart(order_figure(w.output_shape, step))
    if step is None:
        st.markdown(
            f"**{H_out * W_out} windows** ({H_out} down × {W_out} across), one dot at the centre "
            "of each; the number in a cell says how many windows read it."
        )
        return
    out_row, out_col = divmod(step, W_out)
    rows = _span_text("row", w.rows.starts[out_row], w.rows.span)
    cols = _span_text("column", w.cols.starts[out_col], w.cols.span)
    st.markdown(
        f"**Step {step + 1} of {H_out * W_out}** — the window covers {rows} and {cols} of the "
        f"padded input and fills output row {out_row}, column {out_col}. Next it moves "
        f"{plural(s.stride, 'column')} right (or, at the end of a row, {s.stride} down)."
    )


def _span_text(name: str, start: int, span: int) -> str:
    """``rows 2–4``, or ``row 2`` for a window one pixel wide."""
    return f"{name} {start}" if span == 1 else f"{name}s {start}–{start + span - 1}"


# --- what no window reads -----------------------------------------------------------------------


def _unread_axis(name: str, along: AxisWindows, stride: int) -> str:
    """The unread rows (or columns) of one axis: where, why for each kind, and what is lost."""
    count = len(along.unread)
    real = along.unread_input
    if not real:
        lost = "only padding zeros are lost"
    elif len(real) == count:
        lost = (
            f"it is a real input {name}: its pixels never reach the output"
            if count == 1
            else f"they are real input {name}s: their pixels never reach the output"
        )
    else:
        lost = f"{len(real)} of them are real input {name}s (the rest padding), never read"
    where = f"{name} {along.unread[0]}" if count == 1 else f"{name}s {index_list(along.unread)}"
    headline = (
        f"**The windows never read {plural(count, name)}** ({where} of the padded input, red)."
    )
    return " ".join([headline, *unread_notes(along, stride, name), f"Here {lost}."])


def _unread_fixes(axes: list[AxisWindows]) -> str:
    fixes = []
    if any(a.between_windows for a in axes):
        fixes.append("a stride no larger than the window's span closes the gaps between windows")
    if any(a.between_taps for a in axes):
        fixes.append("stride 1 brings a tap onto every pixel inside the windows")
    if any(a.left_out for a in axes):
        fixes.append(
            "a stride that divides (padded size − span), or a little more padding, uses the "
            "ones at the end"
        )
    return "To read them: " + "; ".join(fixes) + "."


def left_out_text(s: WindowSettings, w: Windows) -> str:
    """Every row and column no window reads on each axis, and why, or that all are read."""
    axes = [(name, along) for name, along in (("row", w.rows), ("column", w.cols)) if along.unread]
    if not axes:
        return (
            "**Every row and column is read**: no stride jumps over a pixel, no dilation leaves "
            "one between taps, and (padded size − span) is a multiple of the stride on both "
            "axes, so the floor drops nothing."
        )
    notes = [_unread_axis(name, along, s.stride) for name, along in axes]
    return "\n\n".join([*notes, _unread_fixes([along for _, along in axes])])
