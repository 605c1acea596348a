"""Lesson 8's figures: two networks' curves on one live chart, and pictures of examples
(network inputs as pictures, a numbered sheet of a class's thumbnails).

The curve charts are Vega-Lite specs (see `cnnviz.viz.train_a_cnn_live`: same layout from tick
to tick, so the browser updates them in place): each network has its colour, the training
batches are a thin line and the held-out examples a thick line with points.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
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
            "subtitle": ["thin dashed: training batches", "thick with points: held-out examples"],
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


def thumbnail_sheet(
    images: list[np.ndarray], *, cols: int = 4, side: int = 48, gap: int = 6, label_px: int = 16
) -> np.ndarray:
    """Thumbnails in a grid on white, each numbered underneath (1, 2, …): one picture for a
    whole class (one image element instead of one per example).

    images : (H, W, 3) uint8 RGB each, any sizes (each is fitted into side × side, centred)
    Returns (rows·(side + label_px + gap), cols·(side + gap) − gap, 3) uint8;  rows = ⌈n/cols⌉
    """
    if not images:
        raise ValueError("no images for a thumbnail sheet")
    rows = -(-len(images) // cols)
    cell_h = side + label_px + gap
    sheet = np.full((rows * cell_h, cols * (side + gap) - gap, 3), 255, np.uint8)
    for i, image in enumerate(images):
        if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise ValueError(f"expected (H, W, 3) uint8 images, got {image.shape} {image.dtype}")
        H, W = image.shape[:2]
        scale = side / max(H, W)
        h, w = max(1, round(H * scale)), max(1, round(W * scale))
        small = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
        top, left = (i // cols) * cell_h, (i % cols) * (side + gap)
        y, x = top + (side - h) // 2, left + (side - w) // 2
        sheet[y : y + h, x : x + w] = small
        text = str(i + 1)
        (tw, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.4, 1)
        at = (left + (side - tw) // 2, top + side + label_px - 4)
        cv2.putText(sheet, text, at, cv2.FONT_HERSHEY_SIMPLEX, 0.4, (60, 60, 60), 1, cv2.LINE_AA)
    return sheet
