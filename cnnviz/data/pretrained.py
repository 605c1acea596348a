"""The pre-trained network of lesson 8: its recipe, how it is trained, and loading it.

`scripts/build_assets.py` calls `pretrain(RECIPE)` and writes the network to
``assets/pretrained/glyphs_cnn.npz`` (`cnnviz.nn.save`, with the glyphs as class names) and the
recipe with its held-out test accuracy to ``assets/pretrained/glyphs_cnn.json``. The app only
loads them (`load_pretrained`). Deterministic: the same recipe gives the same weights on the
same NumPy/OpenCV build.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from cnnviz.data import glyphs
from cnnviz.data.samples import ASSETS_DIR
from cnnviz.nn.model import CNNConfig, TinyCNN
from cnnviz.nn.optim import Adam
from cnnviz.nn.serialize import load_named
from cnnviz.nn.train import evaluate, train_steps

PRETRAINED_DIR = ASSETS_DIR / "pretrained"
WEIGHTS_PATH = PRETRAINED_DIR / "glyphs_cnn.npz"
INFO_PATH = PRETRAINED_DIR / "glyphs_cnn.json"

RECIPE = {
    "data": "cnnviz.data.glyphs.make_glyphs (Hershey-font glyphs, 32 × 32 gray, light on dark)",
    "classes": len(glyphs.CLASSES),
    "train_per_class": 400,
    "test_per_class": 40,
    "seed": 2024,
    "filters": [16, 32, 64],
    "kernel_size": 3,
    "pool": "max",
    "optimizer": "adam",
    "lr": 0.002,
    "lr_last_epochs": 0.0005,
    "batch_size": 64,
    "epochs": 8,
    "augment": "none (every training image is drawn once, with its own random style)",
}


def pretrain(recipe: dict = RECIPE, log: Callable[[str], None] = print) -> tuple[TinyCNN, dict]:
    """Train a TinyCNN on freshly drawn glyphs; returns it and the recipe with its results
    ("test_accuracy" on `test_per_class` new images of each class, "train_seconds")."""
    rng = np.random.default_rng(recipe["seed"])
    train = glyphs.make_glyphs(recipe["train_per_class"], rng)
    test = glyphs.make_glyphs(recipe["test_per_class"], rng)
    x, y = _input(train.images), train.labels.astype(np.intp)
    x_test, y_test = _input(test.images), test.labels.astype(np.intp)
    config = CNNConfig(
        input_shape=(1, glyphs.SIZE, glyphs.SIZE),
        filters=tuple(recipe["filters"]),
        kernel_size=recipe["kernel_size"],
        pool=recipe["pool"],
        n_classes=len(glyphs.CLASSES),
    )
    model = TinyCNN.create(config, rng)
    optimizer = Adam(recipe["lr"])
    steps = train_steps(
        model, (x, y), batch_size=recipe["batch_size"], optimizer=optimizer, rng=rng
    )
    per_epoch = -(-len(x) // recipe["batch_size"])
    start = time.perf_counter()
    for epoch in range(recipe["epochs"]):
        if epoch >= recipe["epochs"] - 2:
            optimizer.lr = recipe["lr_last_epochs"]
        losses = [next(steps).loss for _ in range(per_epoch)]
        accuracy = evaluate(model, x_test, y_test).accuracy
        log(f"epoch {epoch + 1}: loss {np.mean(losses):.3f}, test accuracy {accuracy:.3f}")
    seconds = time.perf_counter() - start
    result = evaluate(model, x_test, y_test)
    info = dict(recipe) | {
        "class_chars": "".join(glyphs.CLASSES),
        "test_accuracy": round(result.accuracy, 4),
        "test_images": len(y_test),
        "train_images": len(y),
        "train_seconds": round(seconds, 1),
    }
    return model, info


def _input(images: np.ndarray) -> np.ndarray:
    return (images.astype(np.float32) / np.float32(255))[:, None]


@lru_cache(maxsize=1)
def load_pretrained() -> tuple[TinyCNN, dict]:
    """The shipped pre-trained network (class names = its glyphs) and its recipe/results.

    Cached: callers copy its layers (`cnnviz.nn.transfer.copy_layers`) and never change it.
    """
    model, names = load_named(WEIGHTS_PATH.read_bytes())
    info = json.loads(INFO_PATH.read_text(encoding="utf-8"))
    info["class_names"] = names
    return model, info
