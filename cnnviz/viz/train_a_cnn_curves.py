"""Lesson 7's training curves: loss (log scale) and accuracy against the step, train and test.

Arrays in, ``go.Figure`` out. Long histories are averaged into at most `MAX_CURVE_POINTS`
points so the payload of a live chart stays small; the loss axis labels read as numbers.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import MINUS

TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#d62728"
MAX_CURVE_POINTS = 400
"""Longer histories are averaged into this many points (the payload stays small)."""


def log_ticks(values: np.ndarray) -> tuple[list[float], list[str]]:
    """Tick positions and labels for a log axis over `values`, each label its true value.

    values : any shape; only the finite positive ones count (none: the decade 0.1 to 10).
    Within one decade every 1..9 multiple is a tick, up to three decades 1, 2 and 5 times a power
    of ten, beyond that powers of ten (at most 8). Labels read as numbers — "0.5", "2", "10⁶" —
    never the bare mantissa plotly writes on its minor ticks ("5" for 0.5).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.1, 10.0)
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    b = max(b, a + 1)
    decades = math.log10(hi / lo)
    mantissas = range(1, 10) if decades <= 1 else (1, 2, 5) if decades <= 3 else (1,)
    every = math.ceil((b - a + 1) / 8)
    ticks = [float(f"{m}e{k}") for k in range(a, b + 1, every) for m in mantissas]
    ticks = [t for t in ticks if t <= 10.0**b]
    return ticks, [_tick_label(t) for t in ticks]


def _tick_label(value: float) -> str:
    if 1e-4 <= value < 1e5:
        return f"{value:g}"
    mantissa, exponent = f"{value:e}".split("e")
    power = f"10<sup>{int(exponent)}</sup>".replace("-", MINUS)
    m = float(mantissa)
    return power if m == 1 else f"{m:g}×{power}"


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
    loss_ticks, loss_labels = log_ticks(np.concatenate([l_, t_loss]))
    shapes = []
    if diverged_step is not None:
        for ref in ("x", "x2"):
            shapes.append(_vertical_line(ref, diverged_step))
    grid = {"gridcolor": "#eee", "zeroline": False}
    layout = {
        "title": title_settings,
        "height": 320,
        "margin": {"l": 60, "r": 60, "t": top, "b": 46},
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        "xaxis": {**grid, "domain": [0, 0.45], "title": {"text": "step"}, "rangemode": "tozero"},
        "yaxis": {
            **grid,
            "type": "log",
            "title": {"text": "loss (log scale)"},
            "tickmode": "array",
            "tickvals": loss_ticks,
            "ticktext": loss_labels,
        },
        "xaxis2": {**grid, "domain": [0.55, 1], "title": {"text": "step"}, "rangemode": "tozero"},
        # On the right: in the gap between the panels its title ran into the loss panel on a phone.
        "yaxis2": {
            **grid,
            "anchor": "x2",
            "side": "right",
            "range": [0, 102],
            "title": {"text": "accuracy (%)"},
        },  # fmt: skip
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
