"""Figures of lesson 4: where a kernel goes over a padded input, and which cells no window reads.

Coordinates are those of the *padded* input (row 0 is the first padding row, if any), as in
`cnnviz.viz.convolution`. The numbers printed in the cells are real: how many windows read each
cell.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cnnviz.ops.windows import AxisWindows
from cnnviz.viz.convolution import WINDOW_COLOR, padded_input_figure
from cnnviz.viz.matrices import SIDE_MARGINS_PX, matrix_figure, region_outline, text_fits

LEFT_OUT_FILL = "rgba(230, 57, 70, 0.30)"
"""Red: rows and columns that no window reads (gaps and what the floor leaves out)."""
LEFT_OUT_LINE = "#e63946"
COVERAGE_SCALE = [[0.0, "#ffffff"], [1.0, "#5b8def"]]
"""White (never read) to blue (read by many windows)."""
CENTRE_COLOR = "#1f2a44"
INPUT_FRAME = "#1f2a44"
"""Dark frame round the real input when there is padding."""
CENTRE_OFFSET = 0.3
"""Window-centre dots sit this far (in cells) up and left of the cell centre."""
MIN_TEXT_CELL_PX = 18
"""Narrowest cell (px) that still gets its number printed; narrower grids print nothing and
show their values on hover only. Stricter than `cnnviz.viz.matrices.text_fits` for one digit
(14 px): a whole grid of window counts in cells that narrow reads as one smear."""


def values_fit(n_cols: int, width_px: int | None, longest_chars: int = 1) -> bool:
    """Whether ``n_cols`` cells in a chart ``width_px`` wide are wide enough to print numbers
    of up to ``longest_chars`` characters (e.g. 3 for step 196).

    width_px : the width (px) the chart really gets on the page; None means "unknown" (print).
    """
    if width_px is None:
        return True
    n_cols = max(n_cols, 1)
    cell = (width_px - SIDE_MARGINS_PX) / n_cols
    return cell >= MIN_TEXT_CELL_PX and text_fits(
        n_cols, width_px, longest_chars, margins_px=SIDE_MARGINS_PX
    )


def _fit_to_width(
    fig: go.Figure, n_rows: int, n_cols: int, width_px: int | None, longest_chars: int = 1
) -> None:
    """Hide the printed values when the cells would be too narrow; size the height to the width.

    Square cells (``scaleanchor``) in a ``width_px`` chart are at most
    (width_px − margins) / n_cols wide, so the height is cut to match (no empty band).
    """
    if width_px is None:
        return
    heatmap = fig.data[0]
    if not values_fit(n_cols, width_px, longest_chars):
        heatmap.text, heatmap.texttemplate = None, None
        heatmap.xgap, heatmap.ygap = 0, 0
    margin = fig.layout.margin
    current = (fig.layout.height - margin.t - margin.b) / n_rows
    cell = min(current, (width_px - SIDE_MARGINS_PX) / n_cols)
    fig.update_layout(height=int(round(n_rows * cell)) + margin.t + margin.b)


def window_grid_figure(
    rows: AxisWindows,
    cols: AxisWindows,
    coverage: np.ndarray,
    *,
    step: int | None = None,
    title: str = "",
    cell_px: int | None = None,
    width_px: int | None = None,
) -> go.Figure:
    """The padded input as a grid: per cell, how many windows read it; padding shaded.

    rows, cols : the window positions along the height and the width.
    coverage : (Hp, Wp) int, windows reading each cell (`cnnviz.ops.windows.coverage_2d`).
    step : row-major window number to outline (its taps, as the kernel reads them); None shows
        every window at once, as a dot at its centre.
    cell_px : shrink the cells to this many pixels (for small side-by-side figures).
    width_px : the width (px) the chart gets on the page; if its cells would be narrower than
        ``MIN_TEXT_CELL_PX`` the numbers are not printed (hover shows them), see `values_fit`.
    Rows and columns no window reads are filled red (dotted: gaps between windows or taps;
    dashed: what the floor leaves out at the end); every window centre is a dot; with padding, a
    dark frame marks where the real input ends.
    """
    coverage = np.asarray(coverage)
    if coverage.shape != (rows.padded, cols.padded):
        raise ValueError(
            f"coverage must be (Hp, Wp) = ({rows.padded}, {cols.padded}), got {coverage.shape}"
        )
    if step is not None and not 0 <= step < rows.n_out * cols.n_out:
        raise ValueError(f"step must be in [0, {rows.n_out * cols.n_out}), got {step}")
    taps = (None, None)
    if step is not None:
        out_row, out_col = divmod(step, cols.n_out)
        taps = (np.array(rows.taps(out_row)), np.array(cols.taps(out_col)))
    fig = padded_input_figure(coverage, rows.pad, cols.pad, rows=taps[0], cols=taps[1], title=title)
    fig.data[0].colorscale = COVERAGE_SCALE
    fig.data[0].hovertemplate = "row %{y}, col %{x}<br>windows reading it: %{z}<extra></extra>"
    if any(rows.pad + cols.pad):  # a frame round the real input, inside the padding ring
        top, left = rows.pad[0], cols.pad[0]
        frame = region_outline(top, left, rows.n, cols.n, color=INPUT_FRAME)
        frame["line"]["width"] = 2
        fig.add_shape(**frame)
    _unread_bands(fig, rows, cols)
    _window_centres(fig, rows, cols, step)
    if cell_px is not None:
        margin = fig.layout.margin
        fig.update_layout(height=rows.padded * cell_px + margin.t + margin.b)
        fig.data[0].textfont.size = int(np.clip(cell_px * 0.5, 7, 14))
    _fit_to_width(fig, rows.padded, cols.padded, width_px)
    return fig


def _runs(indices: tuple[int, ...]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive indices: ``(1, 2, 5)`` → ``[(1, 2), (5, 5)]``."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(first, last) for first, last in runs]


def _unread_bands(fig: go.Figure, rows: AxisWindows, cols: AxisWindows) -> None:
    """A red band over every run of rows and of columns that no window reads.

    Dashed: after the last window (the floor drops them); dotted: gaps between windows or
    between a dilated kernel's taps.
    """
    for axis, along, other in (("y", rows, cols), ("x", cols, rows)):
        for indices, dash in ((along.gaps, "dot"), (along.left_out, "dash")):
            for first, last in _runs(indices):
                band = {f"{axis}0": first - 0.5, f"{axis}1": last + 0.5}
                across = "x" if axis == "y" else "y"
                band |= {f"{across}0": -0.5, f"{across}1": other.padded - 0.5}
                fig.add_shape(
                    type="rect",
                    fillcolor=LEFT_OUT_FILL,
                    line={"color": LEFT_OUT_LINE, "width": 2, "dash": dash},
                    **band,
                )


def _window_centres(fig: go.Figure, rows: AxisWindows, cols: AxisWindows, step: int | None) -> None:
    """A dot in the centre cell of every window; the current one (if any) orange and larger.

    The dot sits in the cell's top-left corner (``CENTRE_OFFSET``), clear of the printed number.
    """
    centre_r = np.array(rows.starts) + (rows.span - 1) / 2  # (H_out,)
    centre_c = np.array(cols.starts) + (cols.span - 1) / 2  # (W_out,)
    y, x = np.meshgrid(centre_r, centre_c, indexing="ij")  # (H_out, W_out) each
    out_r, out_c = np.indices(y.shape)
    sizes = np.full(y.size, 6.0)
    colors = np.full(y.size, CENTRE_COLOR, dtype=object)
    if step is not None:
        sizes[step], colors[step] = 10.0, WINDOW_COLOR
    fig.add_trace(
        go.Scatter(
            x=x.ravel() - CENTRE_OFFSET,
            y=y.ravel() - CENTRE_OFFSET,
            mode="markers",
            marker={"size": sizes, "color": colors, "line": {"width": 1, "color": "#ffffff"}},
            customdata=np.stack([out_r.ravel(), out_c.ravel()], axis=-1),
            hovertemplate="window centre → output row %{customdata[0]}, col %{customdata[1]}"
            "<extra></extra>",
            showlegend=False,
        )
    )


def output_order_figure(
    output_shape: tuple[int, int],
    *,
    step: int | None = None,
    title: str = "Output",
    width_px: int | None = None,
) -> go.Figure:
    """The output grid, each cell numbered with the step (1, 2, …) whose window fills it.

    output_shape : (H_out, W_out).  step : 0-based step to outline, or None.
    width_px : the chart's width on the page; step numbers are printed only if they fit
        (`values_fit`), otherwise they show on hover.
    """
    H_out, W_out = output_shape
    order = np.arange(1, H_out * W_out + 1, dtype=np.float64).reshape(H_out, W_out)
    fig = matrix_figure(order, title=title, zmin=0, zmax=order.max())
    fig.data[0].colorscale = COVERAGE_SCALE
    fig.data[0].hovertemplate = "output row %{y}, col %{x}<br>step %{z}<extra></extra>"
    if step is not None:
        row, col = divmod(step, W_out)
        fig.add_shape(**region_outline(row, col, 1, 1, color=WINDOW_COLOR))
    _fit_to_width(fig, H_out, W_out, width_px, longest_chars=len(str(H_out * W_out)))
    return fig
