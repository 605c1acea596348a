"""Lesson 8's figures: two networks' curves on one live chart, and pictures of examples.

The curve charts are Vega-Lite specs (see `cnnviz.viz.train_a_cnn_live`: same layout from tick
to tick, so the browser updates them in place): each network has its colour, the training
batches are a thin line and the held-out examples a thick line with points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.viz.train_a_cnn_live import CURVE_HEIGHT_PX, FONT, MAX_CURVE_POINTS, binned

COLOURS = ("#7f7f7f", "#e6550d")
"""Scratch gray, transfer orange."""


@dataclass(frozen=True)
class Curves:
    """One run's curves: training batches (T,) and held-out evaluations (E,); accuracy 0..1."""

    steps: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    held_steps: np.ndarray
    held_loss: np.ndarray
    held_accuracy: np.ndarray


def _column(steps, values) -> dict[str, np.ndarray]:
    values = np.asarray(values, dtype=np.float64)
    return {
        "step": np.asarray(steps, dtype=np.int64),
        "value": np.where(np.isfinite(values), values, np.nan),
    }


def comparison_specs(curves: dict[str, Curves], labels: dict[str, str]) -> tuple[dict, dict]:
    """The accuracy chart (%) and the loss chart of several runs, each with its
    training-batch curve and its held-out curve.

    curves : {name: Curves}, at most len(COLOURS) runs;  labels : {name: legend label}
    Long histories are averaged into at most `MAX_CURVE_POINTS` points.
    """
    if len(curves) > len(COLOURS):
        raise ValueError(f"at most {len(COLOURS)} runs, got {len(curves)}")
    accuracy, loss = {}, {}
    for name, c in curves.items():
        steps = np.asarray(c.steps, dtype=np.float64)
        s, acc = binned(steps, 100 * np.asarray(c.accuracy, dtype=np.float64), MAX_CURVE_POINTS)
        _, batch_loss = binned(steps, np.asarray(c.loss, np.float64), MAX_CURVE_POINTS)
        accuracy[f"{name}_train"] = _column(s, acc)
        accuracy[f"{name}_held"] = _column(c.held_steps, 100 * np.asarray(c.held_accuracy))
        loss[f"{name}_train"] = _column(s, batch_loss)
        loss[f"{name}_held"] = _column(c.held_steps, c.held_loss)
    names = list(curves)
    y_acc = {"axis": {"title": "accuracy (%)"}, "scale": {"domain": [0, 100]}}
    # Linear, from 0: the gap between training and held-out loss is what matters here, and a
    # log scale turns a memorised batch (loss 1e-9, or exactly 0) into spikes and gaps.
    y_loss = {"axis": {"title": "loss", "format": "~g"}, "scale": {"zero": True}}
    return (
        _spec("Accuracy: training batches and held-out", accuracy, names, labels, y_acc),
        _spec("Loss", loss, names, labels, y_loss),
    )


def _spec(title: str, datasets: dict, names: list[str], labels: dict, y: dict) -> dict:
    x = {"field": "step", "type": "quantitative", "title": "step",
         "axis": {"format": ",d", "tickMinStep": 1}}  # fmt: skip
    domain = [labels[n] for n in names]
    layers = []
    for name in names:
        colour = {
            "datum": labels[name],
            "type": "nominal",
            "title": "network",
            "scale": {"domain": domain, "range": list(COLOURS[: len(names)])},
            "legend": {"orient": "top", "labelFontSize": 12},
        }
        for split, mark in (
            ("train", {"type": "line", "strokeWidth": 1.2, "opacity": 0.6, "strokeDash": [4, 2]}),
            ("held", {"type": "line", "strokeWidth": 3, "point": True}),
        ):
            which = "training batches" if split == "train" else "held-out"
            tooltip = [
                {"datum": f"{labels[name]}, {which}", "title": "curve"},
                {"field": "step", "format": ",d"},
                {"field": "value", "format": ".4~g"},
            ]  # fmt: skip
            layers.append({
                "data": {"name": f"{name}_{split}"},
                "mark": mark,
                "encoding": {
                    "x": x, "y": {"field": "value", "type": "quantitative", **y},
                    "color": colour, "tooltip": tooltip,
                },
            })  # fmt: skip
    return {
        "title": {
            "text": title,
            "anchor": "start",
            "fontSize": 14,
            "font": FONT,
            "subtitle": "thin dashed: training batches · thick with points: held-out examples",
        },  # fmt: skip
        "height": CURVE_HEIGHT_PX,
        "datasets": datasets,
        "layer": layers,
        "config": {"font": FONT, "view": {"stroke": None}},
    }


def pictures(x: np.ndarray) -> list[np.ndarray]:
    """Network inputs (N, C, H, W) in 0..1 as pictures: (H, W) gray or (H, W, 3) uint8 each."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4 or x.shape[1] not in (1, 3):
        raise ValueError(f"expected (N, 1 or 3, H, W) inputs, got shape {x.shape}")
    pixels = np.round(np.clip(x, 0, 1) * 255).astype(np.uint8)  # (N, C, H, W)
    return [p[0] if p.shape[0] == 1 else p.transpose(1, 2, 0) for p in pixels]
