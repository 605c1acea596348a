"""Lesson 8's two networks (transfer and from scratch), read from its session state, never
changed: each is offered once it has trained at least one step and its weights are finite.

Lesson 8 keeps ``{"scratch": TrainingRun, "transfer": TrainingRun}`` under its `RUNS_KEY`;
each run's data holds the learner's class names and held-out examples, (N, C, 32, 32) float32
0..1 with C = 1 (gray) or 3 (RGB). A drawing or upload is prepared as lesson 8 prepares its
examples: `cnnviz.data.own_classes.prepare` with the network's channels and lesson 8's
polarity rule (`PREPARE_FROM`). Missing or partial state means the network is not offered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from cnnviz.data import own_classes
from cnnviz.lessons.your_own_classes.settings import PREPARE_FROM, RUNS_KEY
from cnnviz.nn.model import TinyCNN

NAME = "own"
"""`OwnData.name`: what the views test to word things for the learner's own classes."""


@dataclass(frozen=True, eq=False)
class OwnData:
    """A lesson-8 network's held-out examples, read only.

    x_test : (N, C, 32, 32) float32 0..1.  y_test : (N,) labels.  class_names : the learner's.
    channels : C (1 gray, 3 RGB).  polarity : `own_classes.prepare`'s rule.
    """

    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    channels: int
    polarity: str = PREPARE_FROM
    name: str = NAME

    def prepare(self, image: np.ndarray) -> np.ndarray:
        """A drawing or photo as lesson 8 prepares it: (1, C, 32, 32) float32 0..1."""
        return own_classes.prepare(image, self.channels, self.polarity).input[None]


def runs() -> dict:
    """Lesson 8's runs in this session by name ("transfer", "scratch"); {} when there are none."""
    found = st.session_state.get(RUNS_KEY)
    if not isinstance(found, dict):
        return {}
    return {name: run for name, run in found.items() if name in ("transfer", "scratch")}


def explainable(run) -> bool:
    """A run whose network can be explained: trained ≥ 1 step, not diverged, finite weights,
    and held-out examples to explain."""
    model = getattr(run, "model", None)
    data = getattr(run, "data", None)
    if not isinstance(model, TinyCNN) or getattr(run, "step", 0) < 1:
        return False
    if getattr(run, "diverged", False):
        return False
    if not all(np.isfinite(value).all() for value in model.params.values()):
        return False
    try:
        return len(data.y_test) > 0 and len(data.class_names) == model.config.n_classes
    except (AttributeError, TypeError):
        return False


def own_data(run) -> OwnData:
    """The run's held-out examples and class names, copied (lesson 8 may rebuild its data)."""
    x = np.array(run.data.x_test, dtype=np.float32)
    y = np.array(run.data.y_test, dtype=np.int64)
    x.flags.writeable = y.flags.writeable = False
    return OwnData(x, y, tuple(run.data.class_names), int(run.model.config.input_shape[0]))


def about(name: str, run, model: TinyCNN) -> str:
    """One sentence saying which lesson-8 network this is."""
    data, config = run.data, model.config
    accuracy = run.evaluation.accuracy if run.evaluation else float("nan")
    colour = "gray" if config.input_shape[0] == 1 else "RGB"
    filters = " → ".join(str(f) for f in config.filters)
    how = (
        "the pre-trained conv layers copied (and frozen) with a new dense layer"
        if name == "transfer"
        else "every weight learned from scratch"
    )
    return (
        f"**Your {'transfer' if name == 'transfer' else 'from-scratch'} network from lesson "
        f"8**: {config.n_blocks} conv blocks ({filters} filters), {how}, trained for "
        f"{run.step:,} steps on your classes ({', '.join(data.class_names)}) as 32 × 32 "
        f"{colour} images, {100 * accuracy:.1f} % right on the held-out examples."
    )
