"""Small networks and inputs for the lesson-9 tests."""

from __future__ import annotations

import numpy as np

from cnnviz.nn import CNNConfig, TinyCNN


def float64_copy(model: TinyCNN) -> TinyCNN:
    """The same network in float64, for numerical gradients."""
    return TinyCNN(model.config, {k: v.astype(np.float64) for k, v in model.params.items()})


def tiny_model(seed: int = 0, dtype=np.float64, **config) -> TinyCNN:
    """A random TinyCNN (default: 1×8×8 input, filters (3, 4), 3 classes)."""
    config = {"filters": (3, 4), "n_classes": 3} | config
    model = TinyCNN.create(CNNConfig(**config), np.random.default_rng(seed))
    return float64_copy(model) if dtype == np.float64 else model


def images(model: TinyCNN, n: int, seed: int = 1) -> np.ndarray:
    """(n, C, H, W) uniform 0..1 in the model's dtype."""
    shape = (n, *model.config.input_shape)
    return np.random.default_rng(seed).random(shape).astype(model.params["dense.b"].dtype)
