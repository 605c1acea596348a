"""Figures of lesson 5: a small matrix with its pooling windows, winners and averages.

Arrays are (H, W) small matrices (values printed in the cells, row 0 at the top); the numbers
come from `cnnviz.ops.pool`, these functions only draw them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.featuremaps import HOVER_TEMPLATE, RAW_COLORSCALE, raw_map_figure
from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import (
    MAX_PRINTED,
    decimals_needed,
    format_number,
    matrix_figure,
    region_outline,
)

WINNER_COLOR = "#ff9f1c"
"""Orange: the element that won its max window (and receives its gradient)."""
WINDOW_LINE = "#2b8cff"
"""Bright blue: the window borders (visible on black and white cells alike)."""
LEFTOVER_FILL = "rgba(120, 120, 140, 0.35)"
GRADIENT_SCALE = "RdBu_r"
HIGHLIGHT = "#d62728"
"""Red: the window spelled out below the figures."""
MIN_PRINTED_CELL_PX = 18
"""Values are printed in a real map's cells only when each cell gets at least this many px."""
COLORBAR_PX = 90
"""Room a colour bar with its tick labels and title takes from a chart's width."""


def pool_input_figure(
    x: np.ndarray,
    *,
    size: int,
    stride: int,
    winners: np.ndarray | None = None,
    highlight: tuple[int, int] | None = None,
    title: str = "",
    colorscale: str = "gray",
    zmin: float | None = None,
    zmax: float | None = None,
    decimals: int | None = None,
) -> go.Figure:
    """The input with its pooling windows drawn, leftovers shaded and max winners marked.

    x : (H, W) values.
    size, stride : the pooling window and step; window borders are drawn when the windows do
        not overlap (stride >= size); rows/columns that no window covers are shaded.
    winners : (H_out, W_out, 2) row/column of each max window's winner (`max_pool_winners`);
        each winner gets an orange frame and a bold number.
    highlight : (out_row, out_col) of one window to outline thickly.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"pool_input_figure needs a 2-D array, got shape {x.shape}")
    H, W = x.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    fig = matrix_figure(
        x, title=title, colorscale=colorscale, zmin=zmin, zmax=zmax, decimals=decimals
    )
    shapes = []  # collected and set once: add_shape per shape is slow in plotly
    if stride >= size:
        for r in range(H_out):
            for c in range(W_out):
                box = region_outline(r * stride, c * stride, size, size, color=WINDOW_LINE)
                box["line"]["width"] = 3
                shapes.append(box)
    for r, c in zip(*np.nonzero(~_covered(H, W, size, stride)), strict=True):
        shapes.append(
            {
                "type": "rect",
                **_cell(int(r), int(c), 0.5),
                "fillcolor": LEFTOVER_FILL,
                "line": {"width": 0},
                "layer": "above",
            }
        )
    if winners is not None:
        shapes += _mark_winners(fig, np.asarray(winners))
    if highlight is not None:
        r, c = highlight
        shapes.append(region_outline(r * stride, c * stride, size, size, color=HIGHLIGHT))
    fig.update_layout(shapes=shapes)
    return fig


def _covered(H: int, W: int, size: int, stride: int) -> np.ndarray:
    """(H, W) bool: True where at least one window reads the number."""
    rows = np.zeros(H, dtype=bool)
    cols = np.zeros(W, dtype=bool)
    for start in range(0, H - size + 1, stride):
        rows[start : start + size] = True
    for start in range(0, W - size + 1, stride):
        cols[start : start + size] = True
    return rows[:, None] & cols[None, :]


def _cell(r: int, c: int, half: float) -> dict:
    return {"x0": c - half, "x1": c + half, "y0": r - half, "y1": r + half}


def _mark_winners(fig: go.Figure, winners: np.ndarray) -> list[dict]:
    """Bold each winner's number; return an orange frame per winner (each cell once)."""
    cells = sorted({(int(r), int(c)) for r, c in winners.reshape(-1, 2)})
    text = np.array(fig.data[0].text, dtype=object)
    frames = []
    for r, c in cells:
        # Inset a little, so the frame stays visible next to a window border.
        frames.append(
            {"type": "rect", **_cell(r, c, 0.4), "line": {"color": WINNER_COLOR, "width": 3}}
        )
        text[r, c] = f"<b>{text[r, c]}</b>"
    fig.data[0].text = text
    return frames


def output_cell_px(shape: tuple[int, int]) -> int:
    """Cell size for a pooled output: larger than the input's, so ``13 ÷ 4`` fits (48–80 px)."""
    return int(np.clip(240 // max(shape), 48, 80))


def average_figure(
    sums: np.ndarray, count: int, *, title: str = "", zmin=None, zmax=None
) -> go.Figure:
    """Each average written as its sum ÷ count over the result, e.g. ``13 ÷ 4`` / ``3.25``.

    sums : (H_out, W_out) window sums (`avg_pool_sums`); count : numbers per window.
    """
    sums = np.asarray(sums, dtype=np.float64)
    if sums.ndim != 2 or sums.size == 0:
        raise ValueError(f"average_figure needs a non-empty 2-D array, got shape {sums.shape}")
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    averages = sums / count
    decimals = decimals_needed(averages)
    cell_px = output_cell_px(sums.shape)
    fig = matrix_figure(
        averages, title=title, zmin=zmin, zmax=zmax, decimals=decimals, cell_px=cell_px
    )
    text = np.empty(sums.shape, dtype=object)
    for index, total in np.ndenumerate(sums):
        mean = format_number(averages[index], decimals)
        text[index] = f"{format_number(total, decimals_needed(sums))} ÷ {count}<br><b>{mean}</b>"
    longest = max(len(t.split("<br>")[0]) for t in text.ravel())
    size = int(np.clip(min(cell_px / 3.5, cell_px * 1.6 / longest), 8, 18))
    fig.update_traces(text=text, textfont={"size": size})
    fig.update_traces(hovertemplate="row %{y}, col %{x}<br>%{text}<extra></extra>")
    return fig


def gradient_figure(
    grad: np.ndarray, *, title: str = "", winners: np.ndarray | None = None
) -> go.Figure:
    """A gradient on a diverging scale (white = 0), values printed; optional winner frames.

    grad : (H, W) float.  winners : (H_out, W_out, 2), as in `pool_input_figure`.
    """
    grad = np.asarray(grad, dtype=np.float64)
    limit = float(np.max(np.abs(grad))) if grad.size else 0.0
    limit = limit or 1.0
    fig = matrix_figure(grad, title=title, colorscale=GRADIENT_SCALE, zmin=-limit, zmax=limit)
    if winners is not None:
        fig.update_layout(shapes=_mark_winners(fig, np.asarray(winners)))
    return fig


def real_map_figure(
    values: np.ndarray,
    *,
    title: str = "",
    limit: float | None = None,
    chart_width_px: int = 280,
    height_px: int = 340,
) -> go.Figure:
    """A real (pooled) feature map on the diverging scale, values printed only where they fit.

    values : (H, W) finite numbers.
    limit : colour limits ``±limit`` (share one limit between maps to compare their strength);
        default ``max|values|``.
    chart_width_px : the width the chart will actually get on the page. The values are written
        into the cells only when a cell is at least `MIN_PRINTED_CELL_PX` wide there (and the
        map is at most 32 per side); otherwise the colours show them and hover gives each one.
    height_px : figure height when the values are not printed.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.size == 0 or not np.isfinite(values).all():
        raise ValueError(f"real_map_figure needs a finite (H, W) map, got shape {values.shape}")
    H, W = values.shape
    limit = float(limit) if limit else (float(np.abs(values).max()) or 1.0)
    plot_px = chart_width_px - 46 - COLORBAR_PX  # margins and the colour bar
    cell_px = plot_px // W
    printed = max(H, W) <= MAX_PRINTED and cell_px >= MIN_PRINTED_CELL_PX
    if not printed and max(H, W) > MAX_PRINTED:
        return raw_map_figure(values, title=title, limit=limit, height_px=height_px)
    if not printed:  # as tall as the larger maps beside it
        _, top = titled_top_margin(title)
        cell_px = max(1, (height_px - top - 20) // H)
    fig = matrix_figure(
        values,
        title=title,
        show_values=printed,
        colorscale=RAW_COLORSCALE,
        zmin=-limit,
        zmax=limit,
        cell_px=max(1, min(cell_px, 48)),
        hovertemplate=HOVER_TEMPLATE,
    )
    fig.data[0].update(
        showscale=True, colorbar={"title": {"text": "raw value", "side": "right"}, "thickness": 14}
    )
    return fig
