"""What a filter wants: the input that makes one filter (or one class) respond most.

Gradient ascent on the pixels, starting from a flat grey image. The objective for filter f of a
conv layer is the mean of its map before the ReLU (so a filter that is silent on grey still has
a gradient) or, with ``where="centre"``, the one unit in the middle of the map; for "dense" it
is a class's logit. A small penalty keeps the image near grey::

    J(x) = objective(x) − l2 · mean((x − grey)²)
    x ← clip(x + step · g / max|g|, 0, 1)           g = ∂J/∂x

Dividing by the largest |g| makes `step` the most any pixel moves in one step; clipping keeps
the image in 0..1, the range of the lesson-7 data (`cnnviz.data.datasets`). No randomness: the
same network gives the same picture. `top_examples` finds the real images that excite the same
unit most, measured the same way (mean activation, or logit).

Layout: images (N, C, H, W).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cnnviz.nn.backprop import as_batch, forward_keep, gradient_wrt_input
from cnnviz.nn.model import TinyCNN

INPUT_RANGE = (0.0, 1.0)
"""Pixel range of the lesson-7 data: `cnnviz.data.datasets.to_input` scales to 0..1."""
GREY = 0.5
WHERE = ("mean", "centre")
"""What of a filter's map is maximised: its mean, or its centre unit alone."""


@dataclass(frozen=True)
class FilterWants:
    """The result of gradient ascent for one or more units of one layer.

    layer : "conv<i>" (a filter's mean activation) or "dense" (a class's logit)
    indices : the filters (or classes), one per image
    images : (K, C, H, W), the final inputs, in 0..1
    objective : (steps + 1, K), the objective (without the penalty) before each step and at
        the end: row 0 is the grey start, row -1 the result
    steps, step_size, l2, where : the settings used
    """

    layer: str
    indices: tuple[int, ...]
    images: np.ndarray
    objective: np.ndarray
    steps: int
    step_size: float
    l2: float
    where: str = "mean"


def _check_unit(model: TinyCNN, layer: str, index: int) -> None:
    n_blocks = model.config.n_blocks
    if layer == "dense":
        count = model.config.n_classes
    elif layer.startswith("conv") and layer[4:].isdigit() and 1 <= int(layer[4:]) <= n_blocks:
        count = model.config.filters[int(layer[4:]) - 1]
    else:
        raise ValueError(f"choose a conv layer (conv1..conv{n_blocks}) or dense, got {layer!r}")
    if not 0 <= index < count:
        raise ValueError(f"{layer} has {count} units (0..{count - 1}), got {index}")


def unit_objective(
    model: TinyCNN, x: np.ndarray, layer: str, indices: Sequence[int], where: str = "mean"
):
    """Per image n, map ``indices[n]`` of `layer` summed up as `where` says (or that class's
    logit for "dense").

    x : (N, C, H, W) with N = len(indices). where : "mean" (the map's mean) or "centre" (the
    one unit at (h // 2, w // 2), which sees only its receptive field). Returns (objective
    (N,), trace, dout) where dout is ∂(sum of the objectives)/∂(layer's output), ready for
    `gradient_wrt_input`.
    """
    if where not in WHERE:
        raise ValueError(f"where must be one of {WHERE}, got {where!r}")
    trace = forward_keep(model, x, until=layer)
    out = trace[layer]  # (N, F, h, w) or (N, K)
    rows, picked_maps = np.arange(len(x)), np.asarray(indices)
    dout = np.zeros_like(out)
    if out.ndim == 4 and where == "centre":
        h, w = out.shape[2] // 2, out.shape[3] // 2
        objective = out[rows, picked_maps, h, w]
        dout[rows, picked_maps, h, w] = 1
        return objective, trace, dout
    picked = out[rows, picked_maps]  # (N, h, w) or (N,)
    objective = picked.reshape(len(x), -1).mean(axis=1)
    dout[rows, picked_maps] = 1.0 / (picked[0].size or 1)
    return objective, trace, dout


def filter_wants(
    model: TinyCNN,
    layer: str,
    index: int | Sequence[int],
    steps: int = 40,
    step_size: float = 0.05,
    l2: float = 0.05,
    where: str = "mean",
) -> FilterWants:
    """Gradient ascent from grey for filter `index` of `layer` (several at once if a sequence).

    Parameters
    ----------
    layer : "conv1".."conv<n>" or "dense"
    index : a filter (class) number, or several (one image each, in one batch)
    steps : ascent steps
    step_size : the largest change of any pixel per step
    l2 : weight of the pull back to grey
    where : "mean" of the filter's map, or its "centre" unit alone (see `unit_objective`).
        A conv1 filter is linear, so its mean grows with uniform brightness and the "mean"
        picture of conv1 is often flat white or black; the "centre" picture shows the pattern
        inside one receptive field (the filter's weights, for conv1) with grey around it
    """
    indices = (index,) if np.isscalar(index) else tuple(index)
    for i in indices:
        _check_unit(model, layer, int(i))
    C, H, W = model.config.input_shape
    x = as_batch(model, np.full((len(indices), C, H, W), GREY))
    history = []
    for _ in range(steps):
        objective, trace, dout = unit_objective(model, x, layer, indices, where)
        history.append(objective)
        dx, _ = gradient_wrt_input(model, trace, layer, dout)
        dx -= l2 * 2 * (x - GREY) / (C * H * W)  # ∂/∂x of −l2·mean((x − grey)²)
        largest = np.abs(dx).reshape(len(x), -1).max(axis=1)[:, None, None, None]
        x = np.clip(x + step_size * dx / np.maximum(largest, 1e-12), *INPUT_RANGE).astype(x.dtype)
    history.append(unit_objective(model, x, layer, indices, where)[0])
    return FilterWants(layer, indices, x, np.array(history), steps, step_size, l2, where)


def top_examples(
    model: TinyCNN, x: np.ndarray, layer: str, index: int, k: int = 6, batch_size: int = 512
) -> tuple[np.ndarray, np.ndarray]:
    """The k images of `x` that excite unit `index` of `layer` most.

    x : (N, C, H, W), e.g. the test set; the score is the unit's `unit_objective` (mean map
    of a conv filter before ReLU, or a class's logit). Ties keep the lower index first.
    Returns (indices (k,) int, scores (k,)), highest first (fewer if N < k).
    """
    _check_unit(model, layer, index)
    x = as_batch(model, x)
    scores = np.zeros(len(x))
    for start in range(0, len(x), batch_size):
        batch = x[start : start + batch_size]
        scores[start : start + len(batch)] = unit_objective(
            model, batch, layer, [index] * len(batch)
        )[0]
    order = np.argsort(-scores, kind="stable")[:k]
    return order, scores[order]
