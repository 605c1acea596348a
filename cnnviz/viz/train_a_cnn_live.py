"""Lesson 7's live charts — the curves and the first layer's filters while training plays.

They are Vega-Lite specs (plain dicts), not plotly figures, for one reason: Streamlit
re-mounts a plotly chart whenever its figure changes (the element's id hashes the whole
figure), so a chart redrawn on every training tick went blank while it was rebuilt. A
Vega-Lite chart whose spec stays the same and whose data changes is updated in place. So every
builder here returns a spec whose numbers all sit in its ``datasets`` and whose rest depends
only on the layout (`layout_of` is what must stay equal between two ticks). A dataset is a
dict of equal-length columns (NumPy arrays; NaN is a missing value).
"""

from __future__ import annotations

import math

import numpy as np

TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#d62728"
MAX_CURVE_POINTS = 400
"""Longer histories are averaged into this many points (the payload stays small)."""
NEGATIVE, ZERO, POSITIVE = "#2166ac", "#ffffff", "#b2182b"
"""Weights have either sign: blue negative, white 0, red positive (as the plotly mosaics)."""
FONT = '"Source Sans", "Source Sans Pro", sans-serif'
CURVE_HEIGHT_PX = 300


def layout_of(spec: dict) -> dict:
    """The spec without its data: equal for two ticks means the chart is updated in place."""
    return {k: v for k, v in spec.items() if k != "datasets"}


def binned(steps: np.ndarray, values: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """Average consecutive points so at most `most` remain (NaN/inf stay visible as gaps).

    steps, values : (T,);  returns (≤ most,) each: the last step of a bin and the bin's mean
    """
    if len(steps) <= most:
        return steps, values
    size = math.ceil(len(steps) / most)
    n = len(steps) // size * size
    return steps[:n].reshape(-1, size)[:, -1], values[:n].reshape(-1, size).mean(axis=1)


def _finite_positive(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)


def _points(steps, values) -> dict[str, np.ndarray]:
    """Columns step (int) and value (float; NaN, a non-finite loss, is a gap in the line)."""
    values = np.asarray(values, dtype=np.float64)
    return {
        "step": np.asarray(steps, dtype=np.int64),
        "value": np.where(np.isfinite(values), values, np.nan),
    }


def curve_specs(
    steps: np.ndarray,
    loss: np.ndarray,
    accuracy: np.ndarray,
    test_steps: np.ndarray,
    test_loss: np.ndarray,
    test_accuracy: np.ndarray,
    *,
    diverged_step: int | None = None,
) -> tuple[dict, dict]:
    """The loss chart (log scale) and the accuracy chart (%), train batches and the test set.

    steps, loss, accuracy : (T,) each training step's batch loss and accuracy (0..1); long
        histories are averaged into at most `MAX_CURVE_POINTS` points
    test_steps, test_loss, test_accuracy : (E,) the evaluations on the test split
    diverged_step : a vertical rule where training diverged
    """
    steps = np.asarray(steps, dtype=np.float64)
    if not len(steps) == len(loss) == len(accuracy):
        raise ValueError("steps, loss and accuracy need the same length")
    if not len(test_steps) == len(test_loss) == len(test_accuracy):
        raise ValueError("test_steps, test_loss and test_accuracy need the same length")
    s, train_loss = binned(steps, _finite_positive(loss), MAX_CURVE_POINTS)
    _, train_acc = binned(steps, 100 * np.asarray(accuracy, dtype=np.float64), MAX_CURVE_POINTS)
    test_acc = 100 * np.asarray(test_accuracy, dtype=np.float64)
    diverged = {"step": np.array([] if diverged_step is None else [diverged_step], np.int64)}
    loss_data = {
        "train": _points(s, train_loss),
        "test": _points(test_steps, _finite_positive(test_loss)),
        "diverged": diverged,
    }
    accuracy_data = {
        "train": _points(s, train_acc),
        "test": _points(test_steps, test_acc),
        "diverged": diverged,
    }
    loss_axis = {"title": "loss (log scale)", "format": "~g", "labelFontSize": 12}
    loss_scale = {"type": "log"}
    accuracy_axis = {"title": "accuracy (%)", "labelFontSize": 12}
    return (
        _curve_spec("Loss", loss_data, loss_axis, loss_scale),
        _curve_spec("Accuracy", accuracy_data, accuracy_axis, {"domain": [0, 100]}),
    )


def _curve_spec(title: str, datasets: dict, y_axis: dict, y_scale: dict) -> dict:
    x = {"field": "step", "type": "quantitative", "title": "step",
         "axis": {"labelFontSize": 12, "format": ",d", "tickMinStep": 1}}  # fmt: skip
    y = {"field": "value", "type": "quantitative", "axis": y_axis, "scale": y_scale}
    colour = {
        "datum": "train (batches)",
        "type": "nominal",
        "scale": {"domain": ["train (batches)", "test"], "range": [TRAIN_COLOR, TEST_COLOR]},
        "legend": {"orient": "top", "title": None, "labelFontSize": 12},
    }
    tooltip = [{"field": "step", "format": ",d"}, {"field": "value", "format": ".4~g"}]
    train = {
        "data": {"name": "train"},
        "mark": {"type": "line", "strokeWidth": 2, "interpolate": "linear"},
        "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip},
    }
    test = {
        "data": {"name": "test"},
        "mark": {"type": "line", "strokeWidth": 2, "point": True},
        "encoding": {"x": x, "y": y, "color": {**colour, "datum": "test"}, "tooltip": tooltip},
    }
    rule = {
        "data": {"name": "diverged"},
        "mark": {"type": "rule", "color": "#888", "strokeDash": [4, 3]},
        "encoding": {"x": {"field": "step", "type": "quantitative"}},
    }
    return {
        "title": {"text": title, "anchor": "start", "fontSize": 14, "font": FONT},
        "height": CURVE_HEIGHT_PX,
        "datasets": datasets,
        "layer": [train, test, rule],
        "config": {"font": FONT, "view": {"stroke": None}},
    }


def filter_grid_spec(
    maps: np.ndarray,
    *,
    columns: int,
    printed: bool,
    decimals: int,
    cell_px: int,
    title: str,
) -> dict:
    """F small kernels (k × k) side by side in a grid, each weight a coloured cell.

    maps : (F, k, k) finite weights;  columns : tiles per row
    printed : write each weight in its cell (`decimals` places, real minus signs)
    cell_px : pixel size of one cell; a blank cell separates the tiles
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 3 or not np.isfinite(maps).all():
        raise ValueError(f"need (F, k, k) finite weights, got shape {maps.shape}")
    F, H, W = maps.shape
    columns = max(1, min(columns, F))
    rows = math.ceil(F / columns)
    wide, tall = columns * (W + 1) - 1, rows * (H + 1) - 1
    limit = float(np.abs(maps).max()) or 1.0
    n, r, c = (a.ravel() for a in np.indices((F, H, W)))
    cells = {
        "filter": n + 1,
        "row": r,
        "col": c,
        "x": (n % columns) * (W + 1) + c,
        "y": (n // columns) * (H + 1) + r,
        "w": maps.ravel(),
        "dark": np.abs(maps.ravel()) > 0.6 * limit,
    }
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [0, wide]}}
    y = {"field": "y", "type": "quantitative", "axis": None,
         "scale": {"domain": [0, tall], "reverse": True}}  # fmt: skip
    colour = {
        "field": "w",
        "type": "quantitative",
        "title": "weight",
        "scale": {"domainMid": 0, "range": [NEGATIVE, ZERO, POSITIVE], "interpolate": "rgb"},
        "legend": {"orient": "right", "gradientLength": max(60, tall * cell_px - 20)},
    }
    tooltip = [
        {"field": "filter"},
        {"field": "row"},
        {"field": "col", "title": "column"},
        {"field": "w", "title": "weight", "format": ".4f"},
    ]
    layers = [
        {
            "mark": {"type": "rect", "stroke": "#fff", "strokeWidth": 0.5},
            "encoding": {
                "x": x,
                "x2": {"field": "x1"},
                "y": y,
                "y2": {"field": "y1"},
                "color": colour,
                "tooltip": tooltip,
            },
            "transform": [
                {"calculate": "datum.x + 1", "as": "x1"},
                {"calculate": "datum.y + 1", "as": "y1"},
            ],  # fmt: skip
        }
    ]
    if printed:
        layers.append(
            {
                "mark": {"type": "text", "fontSize": max(9, min(13, cell_px // 3)), "font": FONT},
                "transform": [
                    {"calculate": "datum.x + 0.5", "as": "xc"},
                    {"calculate": "datum.y + 0.5", "as": "yc"},
                ],  # fmt: skip
                "encoding": {
                    "x": {**x, "field": "xc"},
                    "y": {**y, "field": "yc"},
                    "text": {"field": "w", "type": "quantitative", "format": f".{decimals}f"},
                    "color": {
                        "condition": {"test": "datum.dark", "value": "#ffffff"},
                        "value": "#1b1f24",
                    },  # fmt: skip
                    "tooltip": tooltip,
                },
            }
        )
    return {
        "title": {"text": title, "anchor": "start", "fontSize": 14, "font": FONT},
        "width": wide * cell_px,
        "height": tall * cell_px,
        "datasets": {"weights": cells},
        "data": {"name": "weights"},
        "layer": layers,
        "autosize": {"type": "pad"},  # the size is the cells' size, title and legend extra
        "config": {"font": FONT, "view": {"stroke": None}},
    }
