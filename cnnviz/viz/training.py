"""Figures of lesson 7: training curves, filter and feature-map mosaics, confusion matrix.

Arrays in, ``go.Figure`` out; nothing here trains or evaluates. Maps are (N, H, W) with row 0
at the top. A mosaic draws N small maps as one heatmap with blank gaps between them (one trace,
so a figure of 64 maps costs what one map costs); each cell's hover names its map, row, column
and value. Values are printed in the cells when a map has at most `PRINT_SIDE` cells per side
and there are few enough of them to read; larger maps rely on hover (and on the single-map
inspector of the page, which prints up to 32×32).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import format_number

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
TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#d62728"
MAX_CURVE_POINTS = 400
"""Longer histories are averaged into this many points (the payload stays small)."""


def _check_maps(maps: np.ndarray) -> np.ndarray:
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3 or 0 in maps.shape:
        raise ValueError(f"expected maps of shape (N, H, W) with N, H, W >= 1, got {maps.shape}")
    return maps


def mosaic_layout(n: int, columns: int | None = None) -> tuple[int, int]:
    """(rows, columns) of a grid for `n` tiles: at most 8 columns, as square as that allows."""
    columns = columns or min(n, 8, max(1, math.ceil(math.sqrt(n * 2))))
    return math.ceil(n / columns), columns


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
) -> go.Figure:
    """N maps side by side in a grid, as one heatmap with a blank cell between maps.

    Parameters
    ----------
    maps : (N, H, W) finite numbers (NaN cells are drawn blank)
    captions : one short text per map, written above it (e.g. "true 7 → 1")
    symmetric : colour limits ±max|maps| so white is 0 (for weights and activations)
    printed : print each value in its cell; default when H, W <= PRINT_SIDE, at most
        MAX_PRINTED_CELLS values in all and the mosaic at most MAX_PRINTED_WIDTH cells wide
    cell_px : pixel size of a cell; default `width_px` divided by the mosaic's width in cells
    width_px : the width the figure will be shown at (a third of a page is about 300)
    map_name : what hover calls one tile ("filter", "channel", "image")
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
    cell_px = cell_px or int(np.clip(width_px // max(wide, 1), 3, 44))
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
        # plotly.js formats the numbers (with a true minus sign): far cheaper than text arrays
        heatmap.texttemplate = f"%{{z:.{decimals}f}}"
        heatmap.textfont = {"size": int(np.clip(cell_px * 0.34, 7, 15))}
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


def _binned(steps: np.ndarray, values: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """Average consecutive points so at most `most` remain (NaN/inf stay visible as gaps)."""
    if len(steps) <= most:
        return steps, values
    size = math.ceil(len(steps) / most)
    n = len(steps) // size * size
    return steps[:n].reshape(-1, size)[:, -1], values[:n].reshape(-1, size).mean(axis=1)


def curves_figure(
    steps: np.ndarray,
    loss: np.ndarray,
    accuracy: np.ndarray,
    test_steps: np.ndarray,
    test_loss: np.ndarray,
    test_accuracy: np.ndarray,
    *,
    title: str = "Loss and accuracy",
    diverged_step: int | None = None,
) -> go.Figure:
    """Loss (left, log scale) and accuracy in % (right) against the training step.

    steps, loss, accuracy : (T,) every training step's batch loss and batch accuracy (0..1)
    test_steps, test_loss, test_accuracy : (E,) the evaluations on the test set
    diverged_step : mark where training diverged (non-finite losses are left out as gaps;
        huge ones climb off the chart's top, which is the point)
    """
    steps = np.asarray(steps, dtype=np.float64)
    if not len(steps) == len(loss) == len(accuracy):
        raise ValueError("steps, loss and accuracy need the same length")
    if not len(test_steps) == len(test_loss) == len(test_accuracy):
        raise ValueError("test_steps, test_loss and test_accuracy need the same length")
    loss = np.asarray(loss, dtype=np.float64)
    loss = np.where(np.isfinite(loss) & (loss > 0), loss, np.nan)
    s, l_ = _binned(steps, loss, MAX_CURVE_POINTS)
    _, a = _binned(steps, 100 * np.asarray(accuracy, dtype=np.float64), MAX_CURVE_POINTS)
    t_steps = np.asarray(test_steps, dtype=np.float64)
    t_loss = np.asarray(test_loss, dtype=np.float64)
    t_loss = np.where(np.isfinite(t_loss) & (t_loss > 0), t_loss, np.nan)
    t_acc = 100 * np.asarray(test_accuracy, dtype=np.float64)

    def line(x, y, name, colour, axis, legend, mode="lines"):
        return go.Scatter(
            x=x.astype(np.float32),
            y=y.astype(np.float32),
            name=name,
            mode=mode,
            line={"color": colour, "width": 2},
            xaxis=f"x{axis}",
            yaxis=f"y{axis}",
            showlegend=legend,
            legendgroup=name,
            hovertemplate=f"{name}<br>step %{{x}}: %{{y:.4g}}<extra></extra>",
        )

    data = [
        line(s, l_, "train (batches)", TRAIN_COLOR, "", True),
        line(t_steps, t_loss, "test", TEST_COLOR, "", True, "lines+markers"),
        line(s, a, "train (batches)", TRAIN_COLOR, "2", False),
        line(t_steps, t_acc, "test", TEST_COLOR, "2", False, "lines+markers"),
    ]
    title_settings, top = titled_top_margin(title)
    shapes = []
    if diverged_step is not None:
        for ref in ("x", "x2"):
            shapes.append(_vertical_line(ref, diverged_step))
    grid = {"gridcolor": "#eee", "zeroline": False}
    layout = {
        "title": title_settings,
        "height": 320,
        "margin": {"l": 60, "r": 16, "t": top, "b": 46},
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        "xaxis": {**grid, "domain": [0, 0.45], "title": {"text": "step"}, "rangemode": "tozero"},
        "yaxis": {**grid, "type": "log", "title": {"text": "loss (log scale)"}},
        "xaxis2": {**grid, "domain": [0.55, 1], "title": {"text": "step"}, "rangemode": "tozero"},
        "yaxis2": {**grid, "anchor": "x2", "range": [0, 102], "title": {"text": "accuracy (%)"}},
        "shapes": shapes,
    }
    return go.Figure(data, layout=layout)


def _vertical_line(xref: str, x: float) -> dict:
    yref = "y domain" if xref == "x" else "y2 domain"
    return {
        "type": "line",
        "xref": xref,
        "yref": yref,
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#ff9f1c", "width": 3, "dash": "dot"},
    }


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
    data = [
        go.Heatmap(
            z=mistakes,
            x=list(class_names),
            y=list(class_names),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14, "color": "#000000"},
            colorscale=[[0, "#fff5eb"], [1, "#f98e4a"]],
            zmin=0,
            zmax=max(1.0, float(np.nan_to_num(mistakes).max())),
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate=hover,
        ),
        go.Heatmap(
            z=right,
            x=list(class_names),
            y=list(class_names),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14, "color": "#000000"},
            colorscale=[[0, "#c7e9c0"], [1, "#c7e9c0"]],
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate=hover,
        ),
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
