"""The fast gradient sign method (FGSM): the smallest-looking nudge that raises the loss most.

Move every pixel by ε in the direction that increases the cross-entropy loss L of the true
label, then clip to the valid range::

    x' = clip(x + ε · sign(∂L/∂x), lo, hi)

No pixel changes by more than ε (clipping can only shrink a change; a zero gradient leaves the
pixel alone). The gradient is taken once at x, so a sweep over ε is one backward pass and one
batched forward pass of every nudged copy.

Layout: an image is (C, H, W) or (1, C, H, W), pixels in 0..1 (`INPUT_RANGE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cnnviz.nn.backprop import forward_keep, gradient_wrt_input, one_image
from cnnviz.nn.layers import softmax, softmax_cross_entropy
from cnnviz.nn.model import TinyCNN

INPUT_RANGE = (0.0, 1.0)
"""Pixel range of the lesson-7 data (`cnnviz.data.datasets.to_input` scales to 0..1)."""
DEFAULT_EPS_GRID = tuple(round(0.01 * i, 2) for i in range(1, 51))
"""ε = 0.01, 0.02, …, 0.5: the sweep's steps, in pixel units of the 0..1 range."""


@dataclass(frozen=True)
class Nudge:
    """One FGSM step.

    eps : ε
    image, adversarial : (C, H, W), before and after
    sign : (C, H, W), sign(∂L/∂x) in {−1, 0, 1}
    changed : (C, H, W) bool, pixels that moved (not at a range limit already, gradient ≠ 0)
    label : the true class the loss uses
    prediction, adversarial_prediction : the network's answer before and after
    probabilities, adversarial_probabilities : (K,) softmax before and after
    loss, adversarial_loss : cross-entropy of `label` before and after
    """

    eps: float
    image: np.ndarray
    adversarial: np.ndarray
    sign: np.ndarray
    changed: np.ndarray
    label: int
    prediction: int
    adversarial_prediction: int
    probabilities: np.ndarray
    adversarial_probabilities: np.ndarray
    loss: float
    adversarial_loss: float

    @property
    def flipped(self) -> bool:
        """True when the nudge changed the network's answer."""
        return self.prediction != self.adversarial_prediction


def loss_gradient(model: TinyCNN, x: np.ndarray, label: int) -> tuple[np.ndarray, np.ndarray]:
    """∂L/∂x of the cross-entropy of `label` for one image, and its logits.

    x : (C, H, W) or (1, C, H, W). Returns (gradient (C, H, W), logits (K,)).
    """
    image = one_image(model, x)
    K = model.config.n_classes
    if not 0 <= label < K:
        raise ValueError(f"label must be 0..{K - 1}, got {label}")
    trace = forward_keep(model, image, until="dense")
    _, dlogits = softmax_cross_entropy(trace["dense"], np.array([label]))
    dx, _ = gradient_wrt_input(model, trace, "dense", dlogits)
    return dx[0], trace["dense"][0]


def nudge(x: np.ndarray, sign: np.ndarray, eps: float, lo: float, hi: float) -> np.ndarray:
    """``clip(x + eps·sign, lo, hi)`` in x's dtype; x, sign : (..., C, H, W) broadcastable.

    Rounding x + eps to float32 can land a hair past eps (0.1 is not a float32); such values
    are stepped back towards x one representable number, so no change ever exceeds eps.
    """
    out = np.clip(x + x.dtype.type(eps) * sign, lo, hi).astype(x.dtype)
    x = np.broadcast_to(x, out.shape)
    while (too_far := _past_eps(out, x, eps, lo, hi)).any():
        out[too_far] = np.nextafter(out[too_far], x[too_far])
    return out


def _past_eps(out: np.ndarray, x: np.ndarray, eps: float, lo: float, hi: float) -> np.ndarray:
    """Changes larger than eps by rounding (a pixel clipped from outside the range is not)."""
    return (np.abs(out.astype(np.float64) - x) > eps) & (out != lo) & (out != hi)


def fgsm(
    model: TinyCNN, x: np.ndarray, label: int, eps: float, lo: float = 0.0, hi: float = 1.0
) -> Nudge:
    """One FGSM nudge of size `eps` for image `x` (C, H, W) with true class `label`."""
    if eps < 0:
        raise ValueError(f"eps must be >= 0, got {eps}")
    image = one_image(model, x)[0]
    gradient, logits = loss_gradient(model, image, label)
    sign = np.sign(gradient)
    adversarial = nudge(image, sign, eps, lo, hi)
    adv_logits = model.forward(adversarial[None])[0]
    probs, adv_probs = softmax(logits[None])[0], softmax(adv_logits[None])[0]
    return Nudge(
        float(eps), image, adversarial, sign, adversarial != image, int(label),
        int(probs.argmax()), int(adv_probs.argmax()), probs, adv_probs,
        _loss(logits, label), _loss(adv_logits, label),
    )  # fmt: skip


@dataclass(frozen=True)
class EpsSweep:
    """FGSM at every ε of a grid.

    eps : (E,) the grid
    predictions : (E,) int, the answer for each ε
    probabilities : (E, K) softmax for each ε
    prediction : the answer for the untouched image
    flip_eps : the first ε whose answer differs from `prediction`, or None
    """

    eps: np.ndarray
    predictions: np.ndarray
    probabilities: np.ndarray
    prediction: int
    flip_eps: float | None


def fgsm_sweep(
    model: TinyCNN,
    x: np.ndarray,
    label: int,
    eps_grid: Sequence[float] = DEFAULT_EPS_GRID,
    lo: float = 0.0,
    hi: float = 1.0,
) -> EpsSweep:
    """FGSM for every ε of `eps_grid` (ascending), in one batched forward pass."""
    image = one_image(model, x)[0]
    gradient, logits = loss_gradient(model, image, label)
    sign = np.sign(gradient)
    eps = np.asarray(eps_grid, dtype=np.float64)
    copies = np.stack([nudge(image, sign, e, lo, hi) for e in eps]) if len(eps) else image[:0]
    probs = softmax(model.forward(copies)) if len(eps) else np.zeros((0, len(logits)))
    predictions = probs.argmax(axis=1)
    prediction = int(logits.argmax())
    flips = np.flatnonzero(predictions != prediction)
    flip_eps = float(eps[flips[0]]) if len(flips) else None
    return EpsSweep(eps, predictions, probs, prediction, flip_eps)


def smallest_flipping_eps(
    model: TinyCNN, x: np.ndarray, label: int, eps_grid: Sequence[float] = DEFAULT_EPS_GRID
) -> float | None:
    """The first ε of `eps_grid` whose FGSM nudge changes the network's answer, or None."""
    return fgsm_sweep(model, x, label, eps_grid).flip_eps


def _loss(logits: np.ndarray, label: int) -> float:
    """Cross-entropy of `label` from logits (K,), without underflow for confident answers."""
    return softmax_cross_entropy(logits[None], np.array([label]))[0]
