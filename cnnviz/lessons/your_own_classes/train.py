"""Step 4 of lesson 8: two networks trained side by side on the same examples — one from
scratch, one by transfer — with lesson 7's live panel (`train_a_cnn.live.live_training`).

The runs are `cnnviz.nn.session.TrainingRun`s under `RUNS_KEY`. The transfer run starts from
`cnnviz.nn.transfer.transfer_network` (the shipped glyph network's conv layers, copied) through
its model factory, so Reset copies the pre-trained layers again; it keeps them frozen (or
fine-tunes conv3 at 0.1 × the learning rate) in every optimiser it makes.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz import quiz
from cnnviz.data import own_classes
from cnnviz.data.pretrained import load_pretrained
from cnnviz.lessons.train_a_cnn.live import LiveKeys, live_training
from cnnviz.lessons.your_own_classes import state
from cnnviz.lessons.your_own_classes.settings import (
    EVAL_EVERY,
    FINE_TUNE,
    HELD,
    NETWORKS,
    PLAYING_KEY,
    RESET_BUTTON,
    RUNS_KEY,
    START_KEY,
    STEP_BUTTON,
    STOP_KEY,
    run_settings,
)
from cnnviz.nn import CNNConfig, TinyCNN, transfer
from cnnviz.nn.session import Change, RunSettings, TrainingRun
from cnnviz.numbers import plural
from cnnviz.ui import page, widgets
from cnnviz.viz import your_own_classes as figures

KEYS = LiveKeys(PLAYING_KEY, STOP_KEY, STEP_BUTTON, RESET_BUTTON)


@st.cache_resource(show_spinner="Loading the pre-trained network…")
def pretrained() -> tuple[TinyCNN, dict]:
    """The shipped glyph network and its recipe, read-only and shared (copies are trained)."""
    return load_pretrained()


def _transfer_model(settings: RunSettings, data, rng: np.random.Generator) -> TinyCNN:
    """The transfer network: the pre-trained conv layers copied, a new dense layer from rng."""
    return transfer.transfer_network(
        pretrained()[0], data.input_shape, len(data.class_names), rng, dropout=settings.dropout
    )


def plan(config: CNNConfig) -> transfer.TransferPlan:
    """Which layers of the transfer network train (the setting now)."""
    return transfer.frozen_plan(config, fine_tune_last=FINE_TUNE.value == "finetune")


def start_run(name: str, settings: RunSettings, data, model: TinyCNN | None = None) -> TrainingRun:
    if name == "scratch":
        return TrainingRun.start(settings, data, model=model, eval_every=EVAL_EVERY)
    first = model or _transfer_model(settings, data, np.random.default_rng(settings.seed))
    how = plan(first.config)
    return TrainingRun.start(
        settings, data, model=first, frozen=how.frozen, lr_scale=how.lr_scale,
        model_factory=_transfer_model, eval_every=EVAL_EVERY,
    )  # fmt: skip


def current_runs(data: state.TrainingData) -> dict[str, TrainingRun]:
    """Both runs for the data and settings now: kept, adjusted, or started over (with a note)."""
    settings = run_settings(data.key)
    runs: dict[str, TrainingRun] | None = st.session_state.get(RUNS_KEY)
    if runs is None:
        runs = {name: start_run(name, settings, data) for name in NETWORKS}
    else:
        for run in runs.values():
            run.interrupt()  # a tick may still be training in another thread
        changes = set()
        for name, run in list(runs.items()):
            runs[name], change = run.follow(settings, data)
            changes.add(change)
        if Change.RESET in changes:
            state.note(
                "The examples or the data settings changed, so both networks start over "
                "(the transfer network from the pre-trained layers again).",
                "restart_alt",
                "train",
            )
            st.session_state[PLAYING_KEY] = "pause"
        how = plan(runs["transfer"].model.config)
        if runs["transfer"].frozen != how.frozen:
            runs["transfer"] = start_run("transfer", settings, data)
            state.note(
                "The transfer network starts over with the new choice of frozen layers.",
                "restart_alt",
                "train",
            )
    st.session_state[RUNS_KEY] = runs
    starts = st.session_state.setdefault(START_KEY, {})
    for name, run in runs.items():
        if run.step == 0:  # the run keeps no test point at step 0: remember it for the curve
            starts[name] = (run.model, run.evaluation.loss, run.evaluation.accuracy)
    return runs


def _runs() -> list[TrainingRun]:
    return [st.session_state[RUNS_KEY][name] for name in NETWORKS]


def step_both() -> None:
    """Step: pause and train each network on one batch."""
    st.session_state[PLAYING_KEY] = "pause"
    for run in _runs():
        run.interrupt()
        run.train(max_steps=1)


def reset_both() -> None:
    """Reset: pause; the scratch network gets fresh random weights, the transfer network the
    pre-trained layers again and a fresh dense layer; both histories are cleared."""
    st.session_state[PLAYING_KEY] = "pause"
    runs = st.session_state[RUNS_KEY]
    for name, run in runs.items():
        run.interrupt()
        runs[name] = run.restarted()
    state.note(
        "Reset: both networks start over, the histories are cleared.", "restart_alt", "train"
    )


def training_panel() -> None:
    """Play / Pause / Step / Reset for both networks, their progress and curves (live)."""
    live_training(
        KEYS, _runs, _draw_live, step=step_both, reset=reset_both,
        reset_help="Scratch: fresh random weights. Transfer: the pre-trained layers again.",
    )  # fmt: skip


def _draw_live(runs: list[TrainingRun], others: int) -> None:
    parts = []
    for name, run in zip(NETWORKS, runs, strict=True):
        test = run.evaluation
        parts.append(
            f"**{NETWORKS[name]}**: step {run.step:,}, held-out accuracy "
            f"**{100 * test.accuracy:.0f} %**"
        )
    line = " · ".join(parts)
    if runs[1].step > runs[0].step:
        line += (
            "  \n:gray[Both get the same training time; a transfer step is cheaper (no "
            "gradients for the frozen layers), so it takes more steps.]"
        )
    if others > 0:
        line += (
            f"  \n:gray[The server is shared: {plural(others, 'other learner')} train too, so "
            "each tick trains a fair slice.]"
        )
    st.markdown(line)
    if any(run.diverged for run in runs):
        st.warning("A network diverged: press **Reset** and try a smaller learning rate.")
    accuracy, loss = figures.comparison_specs(
        {name: _curves(name, run) for name, run in zip(NETWORKS, runs, strict=True)}, NETWORKS
    )
    left, right = st.columns(2)
    with left:
        widgets.live_chart(accuracy, width="stretch")
    with right:
        widgets.live_chart(loss, width="stretch")


def _curves(name: str, run: TrainingRun) -> figures.Curves:
    """The run's curves; the held-out one starts at step 0 when this page saw that step."""
    h, t = run.history, run.tests
    steps, loss, accuracy = list(t.step), list(t.loss), list(t.accuracy)
    start = st.session_state.get(START_KEY, {}).get(name)
    if start is not None and start[0] is run.model and (not steps or steps[0] > 0):
        steps, loss, accuracy = [0, *steps], [start[1], *loss], [start[2], *accuracy]
    return figures.Curves(
        np.asarray(h.step), np.asarray(h.loss), np.asarray(h.accuracy),
        np.asarray(steps), np.asarray(loss), np.asarray(accuracy),
    )  # fmt: skip


def counts_table(runs: dict[str, TrainingRun]) -> None:
    """Trained vs frozen weights and biases of each network."""
    lines = ["| network | trained | frozen | total |", "|---|---:|---:|---:|"]
    for name, run in runs.items():
        n = transfer.param_counts(run.model, run.frozen)
        lines.append(f"| {NETWORKS[name]} | {n['trained']:,} | {n['frozen']:,} | {n['total']:,} |")
    st.markdown("\n".join(lines))


def train_text() -> str:
    """The lesson text of step 4 with the pre-trained network's test accuracy filled in."""
    accuracy = 100 * pretrained()[1]["test_accuracy"]
    return page.lesson_text("your_own_classes", "train").format(accuracy=f"{accuracy:.1f}")


def questions(runs: dict[str, TrainingRun], data: state.TrainingData) -> list:
    """ "Check yourself" for the networks and examples on screen."""
    return quiz.your_own_classes_questions(
        runs["transfer"].model.config,
        [min(len(c.examples), own_classes.MAX_EXAMPLES) for c in state.classes()],
        held=int(HELD.value),
        copies=data.copies,
        fine_tune=FINE_TUNE.value == "finetune",
    )
