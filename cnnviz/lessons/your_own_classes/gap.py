"""Overfitting made visible in one click: the from-scratch network trained on only `FEW`
examples of each of 3 starter symbols, with and without augmentation and dropout, and its
accuracy on those few examples vs on `TEST` new ones per class (measured on this server when
first asked, then shared by every learner: `st.cache_data`).

Why a fixed task and not the learner's classes: with 8 training examples of 3 easy classes
both networks usually reach 100 % on the 6 held-out examples too, so the live curves show no
gap, and 6 held-out examples are too few to see what augmentation or dropout change. Measured
(RGB, 4 seeds, 60 steps, 6.6 s on 2 cores): a gap of 12 points without either (seeds 9–16),
6 with 5 augmented copies (6–7), 10 with dropout 0.5 (9–11), 7 with both (6–10); gray: 12, 4,
10, 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from cnnviz import nn
from cnnviz.data import own_classes, starter_set
from cnnviz.data.augment import augment_copies
from cnnviz.lessons.your_own_classes.settings import (
    BATCH_SIZE,
    CHANNELS,
    FILTERS,
    GAP_BUTTON,
    GAP_KEY,
    PREPARE_FROM,
)

CLASSES = ("arrow", "star", "heart")
FEW = 5
"""Training examples of each class."""
TEST = 30
"""New examples of each class that test it (enough that one is worth about 1 point)."""
STEPS = 60
"""Adam steps of each training (lr `LR`): 100 % on the few training examples every time."""
LR = 0.003
SEEDS = (0, 1, 2, 3)
"""Each case is trained once per seed (other starting weights, batches and copies)."""
CASES = ((0, 0.0), (5, 0.0), (0, 0.5), (5, 0.5))
"""(augmented copies of each training example, dropout) of each row."""


@dataclass(frozen=True)
class GapRow:
    """One case over the seeds: mean accuracies in 0..1, each seed's gap in points."""

    copies: int
    dropout: float
    train: float
    held: float
    gaps: tuple[float, ...]


def _one(x, y, test, copies: int, dropout: float, seed: int, n_steps: int) -> tuple[float, float]:
    """Train a fresh scratch network on (x, y); its (train, test) accuracy in 0..1.

    x : (N, C, H, W) float32 0..1;  y : (N,) int labels 0..K-1;  test : (x, y) the same way
    """
    rng = np.random.default_rng(seed)
    xt, yt = augment_copies(x, y, copies, rng)
    config = nn.CNNConfig(
        input_shape=x.shape[1:], filters=FILTERS, dropout=dropout, n_classes=int(y.max()) + 1
    )
    model = nn.TinyCNN.create(config, rng)
    optimizer = nn.make_optimizer("adam", LR)
    steps = nn.train_steps(model, (xt, yt), batch_size=BATCH_SIZE, optimizer=optimizer, rng=rng)
    for _ in range(n_steps):
        next(steps)
    return nn.evaluate(model, x, y).accuracy, nn.evaluate(model, *test).accuracy


def measure_gap(train, test, *, seeds: tuple[int, ...], steps: int) -> list[GapRow]:
    """Every case of `CASES`, each trained once per seed (deterministic).

    train, test : (x (N, C, H, W) float32 0..1, y (N,) int) — the few and the new examples
    """
    rows = []
    for copies, dropout in CASES:
        found = np.array([_one(*train, test, copies, dropout, s, steps) for s in seeds])  # (S, 2)
        rows.append(GapRow(
            copies, dropout, float(found[:, 0].mean()), float(found[:, 1].mean()),
            tuple(float(g) for g in 100 * (found[:, 0] - found[:, 1])),
        ))  # fmt: skip
    return rows


@st.cache_data(max_entries=2, show_spinner=False)
def measured(channels: int) -> list[GapRow]:
    """The experiment for gray (1) or RGB (3) inputs, once per server and colour."""
    drawings = starter_set.starter_classes(CLASSES, FEW + TEST, seed=1)
    x = own_classes.prepare_batch([i for c in drawings for i in c.examples], channels, PREPARE_FROM)
    y = np.repeat(np.arange(len(CLASSES)), FEW + TEST)
    few = np.tile(np.arange(FEW + TEST) < FEW, len(CLASSES))
    return measure_gap((x[few], y[few]), (x[~few], y[~few]), seeds=SEEDS, steps=STEPS)


def gap_view() -> list[GapRow] | None:
    """A button that runs (or recalls) the experiment, and its table."""
    channels = 1 if CHANNELS.value == "gray" else 3
    if st.button(
        f"Measure the gap: {FEW} examples per class", icon=":material/science:", key=GAP_BUTTON,
        help=f"{len(CASES) * len(SEEDS)} short trainings (about 10 s the first time, then "
        "remembered for everyone).",
    ):  # fmt: skip
        with st.spinner(f"Training {len(CASES) * len(SEEDS)} small networks…"):
            st.session_state[GAP_KEY] = channels, measured(channels)
    kept = st.session_state.get(GAP_KEY)
    if kept is None:
        return None
    _table(kept[1], kept[0])
    return kept[1]


def _gap(row: GapRow) -> float:
    return 100 * (row.train - row.held)


def _table(rows: list[GapRow], channels: int) -> None:
    lines = [  # short columns: the table fits a phone
        "| augmented copies | dropout | accuracy: training | new examples | gap |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.copies} | {r.dropout:g} | {100 * r.train:.0f} % | {100 * r.held:.0f} % "
            f"| **{_gap(r):.0f} points** |"
        )
    st.markdown("\n".join(lines))
    colour = "gray" if channels == 1 else "RGB"
    plain, more, drop, both = (_gap(r) for r in rows)
    st.markdown(
        f"Here the gap was **{plain:.0f} points** without either; augmented copies made it "
        f"**{more:.0f}**, dropout **{drop:.0f}**, both **{both:.0f}**."
    )
    st.caption(
        f"From scratch, {FEW} training examples of each of {', '.join(CLASSES)} ({colour}), "
        f"{TEST} new ones of each to test, {STEPS} Adam steps (lr {LR}), the mean of "
        f"{len(SEEDS)} seeds (each seed's gap, row by row: "
        f"{'; '.join(', '.join(f'{g:.0f}' for g in r.gaps) for r in rows)}). Measured on this "
        "server, not written in advance."
    )
