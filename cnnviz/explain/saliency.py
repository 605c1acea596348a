"""Saliency: how much each input pixel moves a class's score, ∂(score)/∂(pixel).

The score is the class's logit (the dense layer's output before softmax), so the map says how
the evidence for that class changes, not how its probability trades off against the others.
One backward pass from the logit to the input gives every pixel's derivative at once; a
finite difference, ``(score(x + h) − score(x − h)) / 2h`` for one pixel, checks it.

Layout: an image is (C, H, W) (or a batch of one, (1, C, H, W)), as `cnnviz.nn` takes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.nn.backprop import class_score_gradient, one_image
from cnnviz.nn.model import TinyCNN


@dataclass(frozen=True)
class Saliency:
    """The gradient of one class's score with respect to the input.

    gradient : (C, H, W), ∂ score / ∂ x
    map : (H, W), ``max over channels of |gradient|`` (what the heat map shows)
    score : the class's logit for this image
    class_index : the class explained
    """

    gradient: np.ndarray
    map: np.ndarray
    score: float
    class_index: int


def saliency(model: TinyCNN, x: np.ndarray, class_index: int) -> Saliency:
    """∂(logit of `class_index`)/∂(input) for one image.

    x : (C, H, W) or (1, C, H, W); class_index : 0..K-1.
    """
    x = one_image(model, x)
    dx, trace, _ = class_score_gradient(model, x, class_index)
    gradient = dx[0]
    return Saliency(gradient, np.abs(gradient).max(axis=0), float(trace["dense"][0, class_index]),
                    class_index)  # fmt: skip


@dataclass(frozen=True)
class FiniteDifference:
    """One pixel's derivative two ways.

    pixel : (channel, row, col)
    h : the nudge added and subtracted
    score_plus, score_minus : the logit with the pixel at x + h and at x − h
    numeric : ``(score_plus − score_minus) / (2h)``
    analytic : the backward pass's value for that pixel
    """

    pixel: tuple[int, int, int]
    h: float
    score_plus: float
    score_minus: float
    numeric: float
    analytic: float

    @property
    def difference(self) -> float:
        """|numeric − analytic|."""
        return abs(self.numeric - self.analytic)


def finite_difference(
    model: TinyCNN,
    x: np.ndarray,
    class_index: int,
    pixel: tuple[int, int] | tuple[int, int, int],
    h: float = 1e-4,
) -> FiniteDifference:
    """Check one pixel of the saliency gradient by a central difference.

    Both runs use float64 copies of the parameters: in float32 the rounding of the score
    (about 1e-7 of its size) would swamp a difference over a small h.

    Parameters
    ----------
    x : (C, H, W) or (1, C, H, W)
    class_index : 0..K-1
    pixel : (row, col) of channel 0, or (channel, row, col)
    h : the nudge; the network is piecewise linear, so any small h that crosses no ReLU or
        max-pool switch gives the exact slope
    """
    model64 = TinyCNN(model.config, {k: v.astype(np.float64) for k, v in model.params.items()})
    x64 = one_image(model64, x).copy()
    where = (0, *pixel) if len(pixel) == 2 else tuple(pixel)
    if len(where) != 3 or not all(0 <= i < n for i, n in zip(where, x64.shape[1:], strict=True)):
        raise ValueError(f"pixel {pixel} is outside an image of shape {x64.shape[1:]}")
    dx, _, _ = class_score_gradient(model64, x64, class_index)
    scores = []
    for sign in (1, -1):
        nudged = x64.copy()
        nudged[(0, *where)] += sign * h
        scores.append(float(model64.forward(nudged)[0, class_index]))
    numeric = (scores[0] - scores[1]) / (2 * h)
    return FiniteDifference(where, h, scores[0], scores[1], numeric, float(dx[(0, *where)]))
