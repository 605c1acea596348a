"""Activation functions, their derivatives, and softmax.

Every function works element-wise on an array of any shape (a number, a (H, W) feature map, an
(N, C, H, W) batch) and returns float64 of the same shape, except `softmax`, which turns each
row of scores along ``axis`` (the last, by default) into probabilities. Derivatives are
``<name>_grad(x)``: the slope ``f'(x)`` at every element, which backpropagation multiplies by
the upstream gradient (``dx = dout * relu_grad(x)``).

At x = 0 ReLU has a corner; like the deep-learning libraries, ``relu_grad(0)`` is 0 and
``leaky_relu_grad(0)`` is ``slope``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

FLOAT64_EXP_LIMIT = math.log(np.finfo(np.float64).max)
"""``exp(x)`` overflows to infinity in float64 above this (about 709.78)."""

MAX_SCORES = 10
MIN_SCORES = 2
MAX_ABS_SCORE = 1e6
"""Larger typed scores are refused: no network produces them, and they only hide the lesson."""


class ScoresError(ValueError):
    """Typed scores that cannot be used, explained so the learner can fix them."""


def relu(x: np.ndarray) -> np.ndarray:
    """Rectified linear unit: ``max(0, x)``, element-wise. x : any shape -> same shape."""
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """Slope of ReLU: 1 where x > 0, else 0. x : any shape -> same shape."""
    return (np.asarray(x, dtype=np.float64) > 0).astype(np.float64)


def leaky_relu(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU: ``x`` where x > 0, else ``slope * x``. x : any shape -> same shape."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, slope * x)


def leaky_relu_grad(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """Slope of leaky ReLU: 1 where x > 0, else ``slope``. x : any shape -> same shape."""
    return np.where(np.asarray(x, dtype=np.float64) > 0, 1.0, float(slope))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, element-wise, without overflow.

    For x < 0 the same value is computed as ``exp(x) / (1 + exp(x))``, so ``exp`` only ever
    sees numbers <= 0 and no warning or NaN appears however large |x| is.

    x : any shape -> same shape, values in [0, 1].
    """
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Slope of the sigmoid: ``s * (1 - s)`` with ``s = sigmoid(x)``; at most 0.25 (at x = 0)."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent ``(e^x - e^-x) / (e^x + e^-x)``, element-wise; values in [-1, 1].

    Equal to ``2 * sigmoid(2x) - 1``. NumPy's ``np.tanh`` is already stable for large |x|.
    """
    return np.tanh(np.asarray(x, dtype=np.float64))


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """Slope of tanh: ``1 - tanh(x)**2``; 1 at x = 0, close to 0 for large |x|."""
    t = tanh(x)
    return 1.0 - t * t


def _check_temperature(temperature: float) -> float:
    temperature = float(temperature)
    if not math.isfinite(temperature) or temperature <= 0:
        raise ValueError(
            f"The temperature must be a positive number, got {temperature:g}: "
            "small values sharpen the probabilities, large ones flatten them."
        )
    return temperature


def softmax(scores: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """Turn scores (logits) into probabilities that are positive and sum to 1 along ``axis``.

    ``p_i = exp(z_i / T) / sum_j exp(z_j / T)``, computed as ``exp(z_i/T - m) / sum_j
    exp(z_j/T - m)`` with ``m = max_j z_j/T``: the same value (the ``exp(-m)`` cancels), but
    every exponent is <= 0, so nothing overflows however large the scores.

    Parameters
    ----------
    scores : (..., K) finite numbers, K >= 1 classes along ``axis``
    temperature : T > 0. T -> 0 puts all probability on the largest score (ties share it);
        T -> infinity makes every class equally likely; T = 1 is the plain softmax.
    axis : the axis of the classes

    Returns
    -------
    (..., K) float64 probabilities, each row summing to 1.
    """
    T = _check_temperature(temperature)
    scaled = np.asarray(scores, dtype=np.float64) / T
    shifted = scaled - scaled.max(axis=axis, keepdims=True)  # the largest becomes 0
    exps = np.exp(shifted)  # in (0, 1]
    return exps / exps.sum(axis=axis, keepdims=True)


def softmax_jacobian(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Derivatives of the probabilities with respect to the scores, for one score vector.

    ``d p_i / d z_j = p_i * ([i == j] - p_j) / T``.

    scores : (K,)  ->  (K, K), entry [i, j] is ``d p_i / d z_j``; every column sums to 0.
    """
    p = softmax(np.ravel(scores), temperature)
    return (np.diag(p) - np.outer(p, p)) / _check_temperature(temperature)


@dataclass(frozen=True)
class SoftmaxSteps:
    """Every intermediate number of `softmax` for one score vector, each of shape (K,).

    scaled : z / T.   shifted : z / T - max(z / T).   exps : exp(shifted).
    total : sum of exps (>= 1: the largest term is exp(0) = 1).   probabilities : exps / total.
    naive_exps : exp(z / T) without the shift (``inf`` where it overflows).
    """

    scores: np.ndarray
    temperature: float
    scaled: np.ndarray
    shifted: np.ndarray
    exps: np.ndarray
    total: float
    probabilities: np.ndarray
    naive_exps: np.ndarray

    @property
    def naive_overflows(self) -> bool:
        """True when exp without the shift gives infinity, so the naive softmax is NaN."""
        return bool(np.isinf(self.naive_exps).any())

    @property
    def naive_probabilities(self) -> np.ndarray:
        """``exp(z/T) / sum exp(z/T)`` computed naively: NaN where inf / inf happens."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self.naive_exps / self.naive_exps.sum()


def softmax_steps(scores: np.ndarray, temperature: float = 1.0) -> SoftmaxSteps:
    """`softmax` of one score vector (K,), keeping every intermediate for display."""
    T = _check_temperature(temperature)
    scores = np.ravel(np.asarray(scores, dtype=np.float64))
    scaled = scores / T
    shifted = scaled - scaled.max()
    exps = np.exp(shifted)
    total = float(exps.sum())
    with np.errstate(over="ignore"):  # the overflow is what the lesson shows
        naive = np.exp(scaled)
    return SoftmaxSteps(scores, T, scaled, shifted, exps, total, exps / total, naive)


def parse_scores(text: str) -> np.ndarray:
    """Read 2-10 scores typed as numbers separated by commas, semicolons or spaces.

    ``"2, 1, 0.1"`` -> array([2. , 1. , 0.1]). A typographic minus (−) is accepted.
    Raises `ScoresError` with a sentence saying what to change: no numbers, a word, NaN or
    infinity, too few or too many numbers, or a number beyond ±1,000,000.
    """
    parts = [p for p in re.split(r"[,;\s]+", str(text).replace("\u2212", "-")) if p]
    if not parts:
        raise ScoresError("Type some scores, for example 2, 1, 0.1.")
    values = []
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            raise ScoresError(
                f"“{part[:20]}” is not a number. Type numbers separated by commas."
            ) from None
        if not math.isfinite(value):
            raise ScoresError(f"“{part[:20]}” is not a finite number; scores must be real numbers.")
        if abs(value) > MAX_ABS_SCORE:
            raise ScoresError(
                f"{value:g}".replace("-", "\u2212")
                + " is too large: keep every score between −1,000,000 and 1,000,000."
            )
        values.append(value)
    if not MIN_SCORES <= len(values) <= MAX_SCORES:
        raise ScoresError(
            f"You typed {len(values)} score{'s' * (len(values) != 1)}; softmax here needs "
            f"between {MIN_SCORES} and {MAX_SCORES} (one per class)."
        )
    return np.array(values)


def format_scores(scores: np.ndarray) -> str:
    """Scores as the text `parse_scores` reads back: ``"2, 1, 0.1"`` (up to 6 digits each)."""
    return ", ".join(f"{float(v):.6g}" for v in np.ravel(scores))


ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh")
"""Names accepted by `activate` and `activate_grad`."""


def activate(name: str, x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """Apply the activation called ``name`` (one of `ACTIVATIONS`); ``slope`` is leaky ReLU's.

    x : any shape -> same shape.
    """
    if name == "leaky_relu":
        return leaky_relu(x, slope)
    return _by_name(name)[0](x)


def activate_grad(name: str, x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """The slope ``f'(x)`` of the activation called ``name``. x : any shape -> same shape."""
    if name == "leaky_relu":
        return leaky_relu_grad(x, slope)
    return _by_name(name)[1](x)


def _by_name(name: str):
    table = {
        "relu": (relu, relu_grad),
        "sigmoid": (sigmoid, sigmoid_grad),
        "tanh": (tanh, tanh_grad),
    }
    if name not in table:
        raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}.")
    return table[name]
