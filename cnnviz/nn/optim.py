"""Optimisers that update a dict of parameter arrays in place: SGD, momentum, Adam.

Each keeps its state per parameter name and remembers the last step (`last_grads`,
`last_update`, the change it made to each array) so a lesson can show one update with real
numbers. Arrays are float32; state arrays are allocated once, on the first step.

Transfer learning: `frozen` layer names ("conv1", …, "dense") are never changed, even when a
gradient for them is passed in, and `lr_scale` multiplies the learning rate of a layer (e.g.
``{"conv2": 0.1}`` fine-tunes conv2 ten times more gently than the dense layer).
"""

from __future__ import annotations

import math

import numpy as np

OPTIMIZERS = ("sgd", "momentum", "adam")


class Optimizer:
    """Base class: ``step(params, grads)`` changes every ``params[name]`` in place."""

    name = "optimizer"

    def __init__(
        self,
        lr: float,
        *,
        frozen: frozenset[str] = frozenset(),
        lr_scale: dict[str, float] | None = None,
    ):
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise ValueError(f"the learning rate must be a positive number, got {lr!r}")
        self.lr = float(lr)
        self.t = 0  # steps taken
        self.frozen = frozenset(frozen)
        self.lr_scale = dict(lr_scale or {})
        for layer, scale in self.lr_scale.items():
            if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
                raise ValueError(f"the learning-rate multiplier of {layer} must be > 0: {scale}")
        self.last_grads: dict[str, np.ndarray] = {}
        self.last_update: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Apply one update to every parameter that has a gradient and is not frozen."""
        self.t += 1
        self.last_grads = {n: g for n, g in grads.items() if layer_of(n) not in self.frozen}
        self.last_update = {}
        for name, grad in self.last_grads.items():
            lr = self.lr * self.lr_scale.get(layer_of(name), 1.0)
            update = self._update(name, grad, lr)  # the change: new w = old w + update
            params[name] += update
            self.last_update[name] = update

    def _update(self, name: str, grad: np.ndarray, lr: float) -> np.ndarray:
        raise NotImplementedError


def layer_of(name: str) -> str:
    """The layer a parameter belongs to: "conv2.w" -> "conv2"."""
    return name.split(".", 1)[0]


class SGD(Optimizer):
    """Plain gradient descent: w ← w − lr · dw."""

    name = "sgd"

    def _update(self, name, grad, lr):
        return grad * np.float32(-lr)


class Momentum(Optimizer):
    """SGD with momentum: v ← μ · v − lr · dw;  w ← w + v."""

    name = "momentum"

    def __init__(self, lr: float, momentum: float = 0.9, **layers):
        super().__init__(lr, **layers)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.momentum = momentum
        self.velocity: dict[str, np.ndarray] = {}

    def _update(self, name, grad, lr):
        v = self.velocity.get(name)
        if v is None:
            v = self.velocity[name] = np.zeros_like(grad)
        v *= np.float32(self.momentum)
        v -= np.float32(lr) * grad
        return v.copy()


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction.

    m ← β1·m + (1−β1)·dw;  v ← β2·v + (1−β2)·dw²;
    w ← w − lr · m̂ / (√v̂ + ε),  m̂ = m / (1−β1^t),  v̂ = v / (1−β2^t).
    """

    name = "adam"

    def __init__(
        self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps=1e-8, **layers
    ):
        super().__init__(lr, **layers)
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1 and eps > 0):
            raise ValueError(f"need 0 <= beta1, beta2 < 1 and eps > 0, got {beta1}, {beta2}, {eps}")
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def _update(self, name, grad, lr):
        m, v = self.m.get(name), self.v.get(name)
        if m is None:
            m = self.m[name] = np.zeros_like(grad)
            v = self.v[name] = np.zeros_like(grad)
        b1, b2 = self.beta1, self.beta2
        m *= np.float32(b1)
        m += np.float32(1 - b1) * grad
        v *= np.float32(b2)
        v += np.float32(1 - b2) * (grad * grad)
        # Fold both bias corrections into one step size: lr·m̂/(√v̂+ε) with ε scaled to match.
        c2 = math.sqrt(1 - b2**self.t)
        step = lr * c2 / (1 - b1**self.t)
        denom = np.sqrt(v)
        denom += np.float32(self.eps * c2)
        return m / denom * np.float32(-step)


def make_optimizer(
    name: str,
    lr: float,
    *,
    frozen: frozenset[str] = frozenset(),
    lr_scale: dict[str, float] | None = None,
) -> Optimizer:
    """ "sgd", "momentum" (μ = 0.9) or "adam" (β1 0.9, β2 0.999) with learning rate `lr`;
    `frozen` layers are never updated, `lr_scale` multiplies a layer's learning rate."""
    layers = {"frozen": frozen, "lr_scale": lr_scale}
    if name == "sgd":
        return SGD(lr, **layers)
    if name == "momentum":
        return Momentum(lr, **layers)
    if name == "adam":
        return Adam(lr, **layers)
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {name!r}")
