"""Figures of one convolution step: padded input with the window, kernel, output filling in.

All take plain arrays (the parts of a `cnnviz.ops.conv.ConvTrace`), so lesson 4 can reuse them.
Coordinates are those of the *padded* input: row 0 is the first padding row, if any.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnnviz.viz import formulas
from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import matrix_figure, region_outline

WINDOW_COLOR = "#ff9f1c"
"""Orange, the colour of 'where the kernel is now' on every figure."""
PADDING_FILL = "rgba(120, 120, 140, 0.35)"
DIVERGING = "RdBu_r"
"""Negative blue, zero white, positive red: weights and outputs can have either sign."""


def padded_input_figure(
    padded: np.ndarray,
    pad_rows: tuple[int, int],
    pad_cols: tuple[int, int],
    *,
    rows: np.ndarray | None = None,
    cols: np.ndarray | None = None,
    title: str = "",
    zmax: float | None = None,
) -> go.Figure:
    """The input with its zero padding shaded and the cells under the kernel outlined.

    padded : (Hp, Wp) values including the padding ring.
    pad_rows, pad_cols : (before, after) padding on each side.
    rows, cols : (KH,), (KW,) indices into ``padded`` the kernel touches now (dilation leaves
        gaps between them); None draws no window.
    """
    padded = np.asarray(padded)
    if padded.ndim != 2:
        raise ValueError(f"padded_input_figure needs a 2-D array, got shape {padded.shape}")
    top = float(np.max(padded)) if zmax is None else zmax
    fig = matrix_figure(padded, title=title, zmin=0, zmax=max(top, 1e-9))
    for band in _padding_bands(padded.shape, pad_rows, pad_cols):
        fig.add_shape(type="rect", **band, fillcolor=PADDING_FILL, line_width=0, layer="above")
    if rows is not None and cols is not None:
        _outline_window(fig, np.asarray(rows), np.asarray(cols))
    return fig


def _padding_bands(shape: tuple[int, int], pad_rows, pad_cols) -> list[dict]:
    """Rectangles (x0, x1, y0, y1 in cell coordinates) covering the padding ring."""
    Hp, Wp = shape
    (top, bottom), (left, right) = pad_rows, pad_cols
    edges = (-0.5, Wp - 0.5, -0.5, Hp - 0.5)
    bands = [
        (edges[0], edges[1], edges[2], top - 0.5) if top else None,
        (edges[0], edges[1], Hp - bottom - 0.5, edges[3]) if bottom else None,
        (edges[0], left - 0.5, top - 0.5, Hp - bottom - 0.5) if left else None,
        (Wp - right - 0.5, edges[1], top - 0.5, Hp - bottom - 0.5) if right else None,
    ]
    return [dict(zip(("x0", "x1", "y0", "y1"), band, strict=True)) for band in bands if band]


def _outline_window(fig: go.Figure, rows: np.ndarray, cols: np.ndarray) -> None:
    """A thick frame around the window's span, and thin frames round each touched cell."""
    span_h, span_w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    fig.add_shape(**region_outline(int(rows[0]), int(cols[0]), int(span_h), int(span_w)))
    dilated = span_h > len(rows) or span_w > len(cols)
    if dilated:  # show which cells inside the span the kernel really reads
        for r in rows:
            for c in cols:
                cell = region_outline(int(r), int(c), 1, 1, color=WINDOW_COLOR)
                cell["line"] = {"color": WINDOW_COLOR, "width": 2, "dash": "dot"}
                fig.add_shape(**cell)


def kernel_figure(
    kernel: np.ndarray, *, title: str = "Kernel", cell_px: int | None = None
) -> go.Figure:
    """The kernel's weights on a diverging scale (blue negative, red positive), values printed.

    kernel : (KH, KW).  cell_px : cell size (default: from the matrix size); a smaller one
        also shrinks the printed values, for a figure in a narrow column.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    limit = float(np.max(np.abs(kernel))) or 1.0
    return matrix_figure(
        kernel, title=title, colorscale=DIVERGING, zmin=-limit, zmax=limit, cell_px=cell_px
    )


def feature_stack_figure(
    maps: np.ndarray, *, names: list[str], title: str = "", columns: int = 5
) -> go.Figure:
    """F feature maps side by side — the F slices of one layer's output volume.

    maps : (H_out, W_out, F), one map per filter. Each slice gets its own diverging colour
        range (±its own max |value|): a blur and an edge filter differ in scale by a factor of
        hundreds, and one shared range would paint the weaker ones flat. Hover shows the true
        values.
    names : F short names, one per map.
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 3 or maps.shape[2] != len(names) or maps.size == 0:
        raise ValueError(
            f"feature_stack_figure needs (H, W, F) maps and F names, got "
            f"{maps.shape} and {len(names)} names"
        )
    F = maps.shape[2]
    per_row = min(columns, F)
    rows = -(-F // per_row)
    fig = make_subplots(
        rows=rows,
        cols=per_row,
        subplot_titles=names,
        horizontal_spacing=0.02,
        vertical_spacing=0.12 / rows,
    )
    for f in range(F):
        limit = float(np.max(np.abs(maps[:, :, f]))) or 1.0
        fig.add_trace(
            go.Heatmap(
                z=maps[:, :, f].astype(np.float32),  # half the bytes; hover shows 4 digits
                colorscale=DIVERGING,
                zmin=-limit,
                zmax=limit,
                showscale=False,
                hovertemplate=f"{names[f]}<br>row %{{y}}, col %{{x}}<br>value %{{z:.4~g}}"
                "<extra></extra>",
            ),
            row=f // per_row + 1,
            col=f % per_row + 1,
        )
    title_settings, top = titled_top_margin(title)
    fig.update_layout(
        title=title_settings,
        height=180 * rows + top + 20,
        margin={"l": 10, "r": 10, "t": top + 10, "b": 10},
    )
    fig.update_annotations(font_size=12)
    fig.update_xaxes(showticklabels=False, constrain="domain")
    fig.update_yaxes(showticklabels=False, autorange="reversed")
    for f in range(F):  # square pixels: each y axis keeps the scale of its own x axis
        axis = "" if f == 0 else str(f + 1)
        fig.layout[f"yaxis{axis}"].scaleanchor = f"x{axis}"
    return fig


def output_size_lines_latex(
    n: int, k: int, stride: int, pad: tuple[int, int], dilation: int, *, name: str = "n"
) -> str:
    """`formulas.output_size_latex` on three aligned lines: symbols, numbers, result.

    KaTeX never wraps display maths, so the one-line form is cut off on a phone (the
    result "= 3" disappears off the right edge). Each line here fits a 390 px screen; with
    uneven padding (p_before + p_after) the left side "n_out" goes on a line of its own and
    the formula is set a size smaller.
    pad : (before, after) zeros on the two sides of this axis.
    """
    lhs, *steps = formulas.output_size_latex(n, k, stride, pad, dilation, name=name).split(" = ")
    body = r" \\ ".join(rf"&= {step}" for step in steps)
    if pad[0] != pad[1]:  # p_before + p_after is wide: the left side gets a line of its own
        return rf"\small \begin{{aligned}} &{lhs} \\ {body} \end{{aligned}}"
    return rf"\begin{{aligned}} {lhs} {body} \end{{aligned}}"
