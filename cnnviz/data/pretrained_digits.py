"""The shipped pre-trained digits network: lesson 7's default network, trained once, for lesson 9.

Lesson 9 explains a trained network. A learner who arrives there without training one in lesson
7 gets this one: the lesson-7 default architecture (`cnnviz.nn.CNNConfig()`, conv 3×3 × 8 → ReLU
→ max-pool → conv 3×3 × 16 → ReLU → max-pool → dense) trained on the lesson-7 split of the UCI
digits (`cnnviz.data.datasets.digits_dataset()`), with a fixed seed, so the same recipe gives the
same weights on the same NumPy build.

`scripts/build_assets.py` writes it with ``pretrained_digits.write()`` (or run
``python -m cnnviz.data.pretrained_digits``): the weights to ``assets/pretrained/digits_cnn.npz``
(`cnnviz.nn.save`, fixed zip dates, the digits as class names) and the recipe with its test
accuracy to ``assets/pretrained/digits_cnn.json``. The app only loads them (`load_digits_cnn`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from cnnviz.data.datasets import digits_dataset
from cnnviz.data.samples import ASSETS_DIR
from cnnviz.nn.model import CNNConfig, TinyCNN
from cnnviz.nn.optim import Adam
from cnnviz.nn.serialize import load_named, save
from cnnviz.nn.train import evaluate, train_steps

PRETRAINED_DIR = ASSETS_DIR / "pretrained"
WEIGHTS_PATH = PRETRAINED_DIR / "digits_cnn.npz"
INFO_PATH = PRETRAINED_DIR / "digits_cnn.json"

RECIPE = {
    "data": "cnnviz.data.datasets.digits_dataset() (UCI digits 8 × 8, lesson 7's 80/20 split)",
    "architecture": "CNNConfig() — lesson 7's default: conv 3×3×8, max-pool, conv 3×3×16, "
    "max-pool, dense",
    "seed": 0,
    "optimizer": "adam",
    "lr": 0.01,
    "lr_last_steps": 0.002,
    "batch_size": 32,
    "steps": 1500,
    "last_steps": 300,
    "augment": "none",
}


def pretrain(recipe: dict = RECIPE, log: Callable[[str], None] = print) -> tuple[TinyCNN, dict]:
    """Train `CNNConfig()` on the digits as `recipe` says; returns the model and the recipe with
    its results ("test_accuracy" on the lesson-7 test split, the split's sizes)."""
    data = digits_dataset()
    rng = np.random.default_rng(recipe["seed"])
    model = TinyCNN.create(CNNConfig(), rng)
    optimizer = Adam(recipe["lr"])
    steps = train_steps(model, data, batch_size=recipe["batch_size"], optimizer=optimizer, rng=rng)
    start = time.perf_counter()
    for step in range(1, recipe["steps"] + 1):
        if step > recipe["steps"] - recipe["last_steps"]:
            optimizer.lr = recipe["lr_last_steps"]  # settle into the minimum
        next(steps)
        if step % 250 == 0:
            accuracy = evaluate(model, data.x_test, data.y_test).accuracy
            log(f"step {step}: test accuracy {accuracy:.3f}")
    seconds = time.perf_counter() - start
    result = evaluate(model, data.x_test, data.y_test)
    info = dict(recipe) | {
        "test_accuracy": round(result.accuracy, 4),
        "test_images": len(data.y_test),
        "train_images": len(data.y_train),
    }
    log(f"trained in {seconds:.1f} s")  # not in the file: the same recipe gives the same bytes
    return model, info


def write(recipe: dict = RECIPE, log: Callable[[str], None] = print) -> dict:
    """Train and write the weights and the recipe (with results) into ``assets/pretrained``."""
    model, info = pretrain(recipe, log)
    PRETRAINED_DIR.mkdir(parents=True, exist_ok=True)
    WEIGHTS_PATH.write_bytes(save(model, [str(d) for d in range(model.config.n_classes)]))
    INFO_PATH.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {WEIGHTS_PATH.name} and {INFO_PATH.name}: test accuracy {info['test_accuracy']}")
    return info


@lru_cache(maxsize=1)
def load_digits_cnn() -> tuple[TinyCNN, dict]:
    """The shipped pre-trained digits network and its recipe/results (with "class_names").

    Cached and shared: callers only read it (explanations never change a model's weights).
    """
    model, names = load_named(WEIGHTS_PATH.read_bytes(), CNNConfig())
    for value in model.params.values():
        value.flags.writeable = False  # shared by every session: reading only
    info = json.loads(INFO_PATH.read_text(encoding="utf-8"))
    info["class_names"] = tuple(names or (str(d) for d in range(model.config.n_classes)))
    return model, info


if __name__ == "__main__":
    write()
