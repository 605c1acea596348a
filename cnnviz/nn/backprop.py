"""Backpropagation from any layer of a `TinyCNN` down to its input pixels.

Training never needs the gradient with respect to the input (the data is not updated, so
conv1 skips its dx). The explanation views of lesson 9 do: saliency, Grad-CAM, the input a
filter wants and adversarial nudges all follow a gradient back to the image. This module runs
a forward pass that keeps every cache (`forward_keep`) and a backward pass from any named layer
to the input (`gradient_wrt_input`), calling the same layer functions as the model.

Layout: (N, C, H, W). Layer names are those of ``TinyCNN.forward(return_activations=True)``:
"input", "conv1", "relu1", "pool1", …, "flatten", "dense" (the logits) and "softmax". The
order is the textbook one, conv → ReLU → pool (training pools first when that is exact); dropout
is off (evaluation mode), so it is the identity here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cnnviz.nn import layers as L
from cnnviz.nn import pooling as P
from cnnviz.nn.model import POOL_SIZE, CNNConfig, TinyCNN


def activation_names(config: CNNConfig) -> tuple[str, ...]:
    """Every activation's name in forward order: "input", "conv1", "relu1", "pool1", …,
    "flatten", "dense", "softmax"."""
    names = ["input"]
    for i in range(1, config.n_blocks + 1):
        names += [f"conv{i}", f"relu{i}", f"pool{i}"]
    return (*names, "flatten", "dense", "softmax")


@dataclass
class Trace:
    """A forward pass with everything the backward pass needs.

    Attributes
    ----------
    names : the layers computed, in forward order (all of `activation_names`, or up to ``until``)
    activations : name -> array: "input" (N, C, H, W), "conv<i>"/"relu<i>"/"pool<i>"
        (N, F_i, H_i, W_i), "flatten" (N, D), "dense" logits (N, K), "softmax" (N, K)
    caches : name -> the layer function's cache (internal to `gradient_wrt_input`)
    """

    names: tuple[str, ...]
    activations: dict[str, np.ndarray]
    caches: dict[str, object] = field(repr=False)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.activations[name]


def as_batch(model: TinyCNN, x: np.ndarray) -> np.ndarray:
    """`x` as an (N, C, H, W) batch in the parameters' dtype; one image (C, H, W) becomes N=1.

    Raises ValueError naming the expected shape when `x` does not fit the network.
    """
    x = np.asarray(x, dtype=model.params["dense.b"].dtype)
    if x.ndim == 3:
        x = x[None]
    if x.ndim != 4 or x.shape[1:] != model.config.input_shape:
        expected = ", ".join(map(str, model.config.input_shape))
        raise ValueError(
            f"expected an image ({expected}) or a batch (N, {expected}), got {x.shape}"
        )
    return x


def one_image(model: TinyCNN, x: np.ndarray) -> np.ndarray:
    """`as_batch` for a single image: (1, C, H, W); ValueError for a batch of several."""
    batch = as_batch(model, x)
    if len(batch) != 1:
        raise ValueError(f"explain one image at a time, got a batch of {len(batch)}")
    return batch


def forward_keep(model: TinyCNN, x: np.ndarray, until: str | None = None) -> Trace:
    """Evaluation-mode forward pass keeping every activation and cache.

    Parameters
    ----------
    model : TinyCNN (float32, or float64 in gradient checks)
    x : (N, C, H, W) or one image (C, H, W)
    until : stop after this layer (e.g. "relu2"); None runs to "softmax"

    Returns
    -------
    Trace ; ``trace["dense"]`` equals ``model.forward(x)``
    """
    names = activation_names(model.config)
    if until is not None and until not in names:
        raise ValueError(f"unknown layer {until!r}; the layers are {', '.join(names)}")
    last = names.index(until) if until is not None else len(names) - 1
    p, pad, pool = model.params, model.config.pad, model.config.pool
    h = as_batch(model, x)
    acts, caches = {"input": h}, {}
    for name in names[1 : last + 1]:
        kind = name.rstrip("0123456789")
        i = name[len(kind) :]  # the block number, "" for flatten/dense/softmax
        if kind == "conv":
            h, caches[name] = L.conv_forward(h, p[f"conv{i}.w"], p[f"conv{i}.b"], 1, pad)
        elif kind == "relu":
            h, caches[name] = L.relu_forward(h)
        elif kind == "pool":
            h, caches[name] = P.pool_forward(h, POOL_SIZE, POOL_SIZE, pool)
        elif kind == "flatten":
            h, caches[name] = L.flatten_forward(h)
        elif kind == "dense":
            h, caches[name] = L.dense_forward(h, p["dense.w"], p["dense.b"])
        else:  # softmax
            h = L.softmax(h)
        acts[name] = h
    return Trace(names[: last + 1], acts, caches)


def _backward_one(name: str, dout: np.ndarray, trace: Trace) -> np.ndarray:
    """Gradient with respect to the input of layer `name`, given that of its output."""
    cache = trace.caches.get(name)
    if name.startswith("conv"):
        dx, _, _ = L.conv_backward(dout, cache, need_dx=True)
        return dx
    if name.startswith("relu"):
        return L.relu_backward(dout, cache)
    if name.startswith("pool"):
        return P.pool_backward(dout, cache)
    if name == "flatten":
        return L.flatten_backward(dout, cache)
    if name == "dense":
        return L.dense_backward(dout, cache)[0]
    # softmax: dz = p * (dout - sum(dout * p)), the softmax Jacobian applied row by row
    probs = trace.activations["softmax"]
    return probs * (dout - np.sum(dout * probs, axis=1, keepdims=True))


def gradient_wrt_input(
    model: TinyCNN, trace: Trace, layer: str, dout: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Backpropagate `dout` from `layer`'s output down to the input pixels.

    Parameters
    ----------
    model : the TinyCNN that made `trace` (kept for symmetry with `forward_keep`)
    trace : from ``forward_keep(model, x)`` (with `layer` computed)
    layer : any name in ``trace.names``, e.g. "dense" for logits or "relu2"
    dout : shaped like ``trace[layer]``: the gradient of some scalar with respect to it
        (e.g. one-hot on a class for that class's score)

    Returns
    -------
    dx : (N, C, H, W), the gradient with respect to the input
    grads : name -> gradient with respect to that activation, for `layer` and every layer
        below it down to "input" (each shaped like its activation)
    """
    del model  # the caches hold every weight the backward pass needs
    if layer not in trace.names:
        raise ValueError(f"layer {layer!r} was not computed; this trace has {trace.names}")
    dout = np.asarray(dout, dtype=trace.activations["input"].dtype)
    if dout.shape != trace[layer].shape:
        raise ValueError(f"dout must be shaped like {layer} {trace[layer].shape}, got {dout.shape}")
    grads = {layer: dout}
    index = trace.names.index(layer)
    for i in range(index, 0, -1):  # layer i's input is layer i - 1's output
        below, name = trace.names[i - 1], trace.names[i]
        grads[below] = _backward_one(name, grads[name], trace)
    return grads["input"], grads


def class_score_gradient(
    model: TinyCNN, x: np.ndarray, class_index: int
) -> tuple[np.ndarray, Trace, dict[str, np.ndarray]]:
    """Gradient of one class's score (its logit) with respect to every activation.

    x : (N, C, H, W) or (C, H, W); class_index : 0..K-1.
    Returns dx (N, C, H, W), the trace and the gradients of every layer (see
    `gradient_wrt_input`).
    """
    K = model.config.n_classes
    if not 0 <= class_index < K:
        raise ValueError(f"class_index must be 0..{K - 1}, got {class_index}")
    trace = forward_keep(model, x, until="dense")
    dlogits = np.zeros_like(trace["dense"])
    dlogits[:, class_index] = 1
    dx, grads = gradient_wrt_input(model, trace, "dense", dlogits)
    return dx, trace, grads
