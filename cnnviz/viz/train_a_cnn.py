"""Figures of lesson 7: filter and feature-map mosaics, confusion matrix, scores (the training
live curves and first filters are in `cnnviz.viz.train_a_cnn_live`).

Arrays in, ``go.Figure`` out; nothing here trains or evaluates. Maps are (N, H, W) with row 0
at the top. A mosaic draws N small maps as one heatmap with blank gaps between them (one trace,
so a figure of 64 maps costs what one map costs); each cell's hover names its map, row, column
and value. Values are printed in the cells when a map has at most `PRINT_SIDE` cells per side
and there are few enough of them to read; larger maps rely on hover (and on the single-map
inspector of the page, which prints up to 32×32). A number is printed only where it is legible
at the narrowest width the chart is drawn at (`cnnviz.viz.matrices.text_fits`); tiny values
are printed in units of a power of ten named in the title (`unit_format`), never as 0.0000.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import (
    CHAR_WIDTH_EM,
    MIN_FONT_PX,
    MINUS,
    TEXT_PAD_PX,
    format_number,
    text_fits,
)
from cnnviz.viz.train_a_cnn_live import TRAIN_COLOR

DIVERGING = "RdBu_r"
"""Weights and activations can have either sign: blue negative, white 0, red positive."""
INK = [[0.0, "#ffffff"], [1.0, "#000000"]]
"""Digits and shapes as on paper: 0 white, full ink black."""
PRINT_SIDE = 8
"""Maps up to this side print their values inside a mosaic."""
MAX_PRINTED_CELLS = 1200
"""…as long as the whole mosaic prints at most this many numbers…"""
MAX_PRINTED_WIDTH = 12
"""…and is at most this many cells wide, so each number has room in a third of a page."""
MOSAIC_MARGINS_PX = 16
"""Left + right margin of a mosaic: width its cells do not get."""
PHONE_WIDTH_PX = 358
"""Content width on a 390 px phone (Streamlit pads the page 16 px each side): the narrowest
width a full-width chart is drawn at."""
SIGNIFICANT = 4
"""Significant digits `unit_format` keeps for the largest value of a map."""
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _check_maps(maps: np.ndarray) -> np.ndarray:
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3 or 0 in maps.shape:
        raise ValueError(f"expected maps of shape (N, H, W) with N, H, W >= 1, got {maps.shape}")
    return maps


def mosaic_layout(n: int, columns: int | None = None) -> tuple[int, int]:
    """(rows, columns) of a grid for `n` tiles: at most 8 columns, as square as that allows."""
    columns = columns or min(n, 8, max(1, math.ceil(math.sqrt(n * 2))))
    return math.ceil(n / columns), columns


def unit_format(values: np.ndarray) -> tuple[int, int]:
    """(exponent, decimals) that print `values` readably with `SIGNIFICANT` digits.

    values : any shape. Maps whose largest magnitude lies in [0.1, 10000) print as they are
    (exponent 0) with enough decimals for 4 significant digits of the largest value; smaller or
    larger ones print in units of 10**exponent with 3 decimals (−4.613 in units of 10⁻⁵), so no
    cell reads 0.0000 while its value is not 0.
    """
    finite = np.abs(np.asarray(values, dtype=np.float64))
    finite = finite[np.isfinite(finite)]
    largest = float(finite.max()) if finite.size else 0.0
    if largest == 0:
        return 0, 0
    e = math.floor(math.log10(largest))
    if float(f"{largest:.{SIGNIFICANT - 1}e}") >= 10.0 ** (e + 1):  # 9.99996 rounds to 10.00
        e += 1
    if -1 <= e <= 3:
        return 0, SIGNIFICANT - 1 - e
    return e, SIGNIFICANT - 1


def unit_title(exponent: int) -> str:
    """What a title adds for values printed in units of 10**exponent: " (× 10⁻⁵)" or ""."""
    return f" (× 10{str(exponent).translate(SUPERSCRIPTS)})" if exponent else ""


def scaled_text(value: float, exponent: int, decimals: int) -> str:
    """``value`` as a cell in units of 10**exponent prints it, with a real minus sign."""
    return format_number(float(value) / 10.0**exponent, decimals)


def scaled_latex(value: float, exponent: int, decimals: int) -> str:
    """The same number as `scaled_text`, for LaTeX: ``-4.613 \\times 10^{-5}``."""
    text = scaled_text(value, exponent, decimals).replace(MINUS, "-")
    return rf"{text} \times 10^{{{exponent}}}" if exponent else text


def fitting_columns(
    n: int, tile_width: int, longest_chars: int, width_px: int, most: int = 8
) -> int | None:
    """Most tiles per row (≤ `most`) whose numbers still fit at `width_px`; None if none do.

    A row of c tiles is c·(tile_width + 1) − 1 cells wide (one blank cell between tiles).
    """
    for columns in range(min(n, most), 0, -1):
        wide = columns * (tile_width + 1) - 1
        if text_fits(wide, width_px, longest_chars, margins_px=MOSAIC_MARGINS_PX):
            return columns
    return None


def fitted_columns(maps: np.ndarray, *, decimals: int, width_px: int, max_rows: int) -> int | None:
    """Tiles per row for a printed mosaic of `maps` that stays legible at `width_px`.

    maps : (N, H, W). None when even one tile per row is too wide for its numbers, or when the
    tiles would need more than `max_rows` rows: then print nothing (hover only).
    """
    maps = _check_maps(maps)
    N, _, W = maps.shape
    columns = fitting_columns(N, W, _longest_text(maps, 0, decimals), width_px)
    if columns is None or math.ceil(N / columns) > max_rows:
        return None
    return columns


def _longest_text(maps: np.ndarray, exponent: int, decimals: int) -> int:
    finite = maps[np.isfinite(maps)]
    return max((len(scaled_text(v, exponent, decimals)) for v in finite), default=1)


def mosaic_figure(
    maps: np.ndarray,
    *,
    title: str = "",
    captions: list[str] | None = None,
    columns: int | None = None,
    colorscale: str | list = DIVERGING,
    symmetric: bool = True,
    zmin: float | None = None,
    zmax: float | None = None,
    printed: bool | None = None,
    decimals: int = 2,
    cell_px: int | None = None,
    width_px: int = 640,
    map_name: str = "map",
    unit_exponent: int = 0,
) -> go.Figure:
    """N maps side by side in a grid, as one heatmap with a blank cell between maps.

    Parameters
    ----------
    maps : (N, H, W) finite numbers (NaN cells are drawn blank)
    captions : one short text per map, written above it (e.g. "true 7 → 1")
    symmetric : colour limits ±max|maps| so white is 0 (for weights and activations)
    printed : print each value in its cell; default when H, W <= PRINT_SIDE, at most
        MAX_PRINTED_CELLS values in all and the mosaic at most MAX_PRINTED_WIDTH cells wide.
        Either way values are printed only if they are legible at `width_px` (`text_fits`)
    cell_px : pixel size of a cell; default `width_px` divided by the mosaic's width in cells;
        never wider than `width_px` allows when values are printed
    width_px : the narrowest width the figure is shown at (a third of a page is about 300)
    map_name : what hover calls one tile ("filter", "channel", "image")
    unit_exponent : print values in units of 10**unit_exponent (the title should say so, see
        `unit_title`); hover always shows the true value
    """
    maps = _check_maps(maps)
    N, H, W = maps.shape
    rows, cols = mosaic_layout(N, columns)
    gap = 1
    tall, wide = rows * (H + gap) - gap, cols * (W + gap) - gap
    z = np.full((tall, wide), np.nan, dtype=np.float32)
    index = np.full((tall, wide, 3), -1, dtype=np.int32)  # map, row, col under each cell
    r_idx, c_idx = np.meshgrid(np.arange(H), np.arange(W), indexing="ij")
    for n in range(N):
        top, left = (n // cols) * (H + gap), (n % cols) * (W + gap)
        z[top : top + H, left : left + W] = maps[n]
        index[top : top + H, left : left + W] = np.stack([np.full_like(r_idx, n), r_idx, c_idx], -1)
    finite = maps[np.isfinite(maps)]
    if symmetric and zmin is None and zmax is None:
        limit = float(np.abs(finite).max()) if finite.size else 1.0
        zmin, zmax = -(limit or 1.0), limit or 1.0
    if printed is None:
        printed = (
            max(H, W) <= PRINT_SIDE and N * H * W <= MAX_PRINTED_CELLS and wide <= MAX_PRINTED_WIDTH
        )
    longest = _longest_text(maps, unit_exponent, decimals) if printed else 0
    printed = printed and text_fits(wide, width_px, longest, margins_px=MOSAIC_MARGINS_PX)
    cell_px = cell_px or int(np.clip(width_px // max(wide, 1), 3, 44))
    if printed:  # the cells keep this size down to `width_px`, so the font checked still fits
        cell_px = min(cell_px, (width_px - MOSAIC_MARGINS_PX) // wide)
    heatmap = go.Heatmap(
        z=z,
        customdata=index,
        colorscale=colorscale,
        zmin=zmin,
        zmax=zmax,
        showscale=False,
        hoverongaps=False,
        hovertemplate=f"{map_name} %{{customdata[0]}}, row %{{customdata[1]}}, "
        "col %{customdata[2]}<br>value %{z:.4g}<extra></extra>",
    )
    if printed:
        # The same function as the page's equations, so a cell and a formula agree to the digit,
        # with a real minus sign (plotly.js's own number format prints a hyphen).
        text = np.vectorize(lambda v: scaled_text(v, unit_exponent, decimals), otypes=[object])
        heatmap.text = text(z)
        heatmap.texttemplate = "%{text}"
    if printed:  # as large as the cell allows, never below the legible minimum
        room = (cell_px - TEXT_PAD_PX) / (max(longest, 1) * CHAR_WIDTH_EM)
        heatmap.textfont = {"size": int(np.clip(min(cell_px * 0.5, room), MIN_FONT_PX, 15))}
    caption_px = 18 if captions else 0
    title_settings, top = titled_top_margin(title)
    annotations = [
        {
            "x": (n % cols) * (W + gap) + (W - 1) / 2,
            "y": (n // cols) * (H + gap) - 0.5,
            "text": text,
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 13},
        }
        for n, text in enumerate(captions or [])
    ]
    axis = {"showgrid": False, "zeroline": False, "showticklabels": False, "constrain": "domain"}
    layout = {
        "title": title_settings,
        "height": tall * cell_px + top + rows * caption_px + 10,
        "margin": {"l": 8, "r": 8, "t": top - 10 + caption_px, "b": 8},
        "plot_bgcolor": "#ffffff",
        "xaxis": axis,
        "yaxis": {**axis, "autorange": "reversed", "scaleanchor": "x"},
        "annotations": annotations,
    }
    return go.Figure(heatmap, layout=layout)


def confusion_figure(
    confusion: np.ndarray, class_names: list[str], *, title: str = "Confusion matrix"
) -> go.Figure:
    """Counts of (true class, predicted class) on the test set, each count printed.

    confusion : (K, K) int, confusion[true, predicted]. Clicking a cell selects its point
    (x = predicted, y = true), so a page can show those examples.
    """
    confusion = np.asarray(confusion)
    K = len(class_names)
    if confusion.shape != (K, K):
        raise ValueError(f"expected a {K}×{K} confusion matrix, got shape {confusion.shape}")
    # Off-diagonal cells are the mistakes: colour them by count, leave the diagonal pale green.
    mistakes = confusion.astype(np.float32).copy()
    np.fill_diagonal(mistakes, np.nan)
    right = np.full((K, K), np.nan, dtype=np.float32)
    np.fill_diagonal(right, np.diag(confusion))
    text = confusion.astype(str).astype(object)
    cell_px = 44 if K <= 10 else 30
    title_settings, top = titled_top_margin(title)
    hover = "true %{y}, predicted %{x}<br>%{z} test images<extra></extra>"
    axis = {"type": "category", "showgrid": False, "tickfont": {"size": 14}}
    # Two layers on one grid: mistakes in orange (darker = more), the diagonal in green.
    shared = {
        "x": list(class_names), "y": list(class_names), "text": text, "texttemplate": "%{text}",
        "textfont": {"size": 14, "color": "#000000"}, "showscale": False, "xgap": 1, "ygap": 1,
        "hovertemplate": hover,
    }  # fmt: skip
    data = [
        go.Heatmap(
            z=mistakes,
            colorscale=[[0, "#fff5eb"], [1, "#f98e4a"]],
            zmin=0,
            zmax=max(1.0, float(np.nan_to_num(mistakes).max())),
            **shared,
        ),  # fmt: skip
        go.Heatmap(z=right, colorscale=[[0, "#c7e9c0"], [1, "#c7e9c0"]], **shared),
    ]
    layout = {
        "title": title_settings,
        "height": K * cell_px + top + 92,
        "margin": {"l": 90, "r": 10, "t": top + 22, "b": 10},  # room for "predicted" on top
        "plot_bgcolor": "#ffffff",
        "xaxis": {**axis, "side": "top", "title": {"text": "predicted", "standoff": 4}},
        "yaxis": {**axis, "autorange": "reversed", "title": {"text": "true"}},
        "clickmode": "event+select",
    }
    return go.Figure(data, layout=layout)


def vector_figure(values: np.ndarray, *, title: str = "", width: int = 32) -> go.Figure:
    """A long vector (n,) wrapped into rows of `width`, each cell hovering its index and value.

    Used for the flattened features the dense layer reads.
    """
    values = np.asarray(values, dtype=np.float32).ravel()
    if values.size == 0:
        raise ValueError("vector_figure needs at least one value")
    width = min(width, values.size)
    rows = math.ceil(values.size / width)
    z = np.full(rows * width, np.nan, dtype=np.float32)
    z[: values.size] = values
    position = np.arange(rows * width, dtype=np.int32).reshape(rows, width)
    limit = float(np.abs(values).max()) or 1.0
    cell_px = int(np.clip(640 // width, 8, 30))
    title_settings, top = titled_top_margin(title)
    axis = {"showgrid": False, "zeroline": False, "showticklabels": False}
    heatmap = go.Heatmap(
        z=z.reshape(rows, width),
        customdata=position,
        colorscale=DIVERGING,
        zmin=-limit,
        zmax=limit,
        showscale=False,
        hoverongaps=False,
        xgap=1,
        ygap=1,
        hovertemplate="feature %{customdata}<br>value %{z:.4g}<extra></extra>",
    )
    layout = {
        "title": title_settings,
        "height": rows * cell_px + top + 10,
        "margin": {"l": 8, "r": 8, "t": top - 16, "b": 8},
        "plot_bgcolor": "#ffffff",
        "xaxis": axis,
        "yaxis": {**axis, "autorange": "reversed", "scaleanchor": "x"},
    }
    return go.Figure(heatmap, layout=layout)


def scores_figure(scores: np.ndarray, class_names: list[str], *, title: str = "") -> go.Figure:
    """The dense layer's raw scores (logits), one bar per class, each value printed.

    scores : (K,) any real numbers; softmax turns them into the probabilities.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.shape != (len(class_names),):
        raise ValueError(f"expected {len(class_names)} scores, got shape {scores.shape}")
    title_settings, top = titled_top_margin(title)
    colours = np.where(scores == scores.max(), TRAIN_COLOR, "#9ab7d3")
    return go.Figure(
        go.Bar(
            x=list(class_names),
            y=scores,
            text=[format_number(v, 2) for v in scores],
            textposition="outside",
            cliponaxis=False,
            marker_color=list(colours),
            hovertemplate="class %{x}: score %{y:.4g}<extra></extra>",
        ),
        layout={
            "title": title_settings,
            "height": 300,
            "margin": {"l": 50, "r": 10, "t": top - 10, "b": 40},
            "plot_bgcolor": "#ffffff",
            "xaxis": {"type": "category"},
            "yaxis": {"gridcolor": "#eee", "zerolinecolor": "#888", "title": {"text": "score"}},
        },
    )
