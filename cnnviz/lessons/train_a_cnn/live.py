"""Lesson 7's live panel: Play / Pause / Step / Reset, progress, curves and the filters.

The learner's `TrainingRun` lives in ``st.session_state`` (never in module globals or shared
caches). Training runs in bounded slices inside ``st.fragment(run_every=…)``: each tick trains
for a fair share of the server's CPU (`nn.session.fair_tick_seconds`, at most `TICK_BUDGET`
seconds of this thread's CPU time, fewer when more learners train at once, see
`cnnviz.ui.classroom`), then redraws the progress, the curves and the first filters. The
curves and filters are Vega-Lite charts whose spec stays the same from tick to tick, so the
browser updates them in place (a changed plotly figure is re-mounted and blinks). The
timer exists only while playing (Play/Pause rerun the whole page, which
re-creates the fragment with or without ``run_every``, as `cnnviz.ui.player` does), so pause
takes effect within one tick and a paused page costs the server nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from cnnviz import nn
from cnnviz.lessons.train_a_cnn.run import reset, step_once
from cnnviz.lessons.train_a_cnn.settings import (
    PLAYING_KEY,
    RESET_BUTTON,
    RUN_KEY,
    STEP_BUTTON,
    STOP_KEY,
)
from cnnviz.nn.session import TICK_SECONDS, TrainingRun, fair_tick_seconds
from cnnviz.numbers import plural
from cnnviz.ui import classroom, widgets
from cnnviz.viz import train_a_cnn as figures
from cnnviz.viz import train_a_cnn_live as live_figures

TICK_BUDGET = 0.15
"""Most CPU seconds of training per tick (a learner alone); the rest of a tick redraws."""
CORES = classroom.server_cores()
"""Cores this server process may use: the training share of a tick is split between learners."""


def training_panel() -> None:
    """Play / Pause / Step / Reset, and the live part: progress, curves and first filters."""
    live_training(
        LESSON_KEYS,
        lambda: [st.session_state[RUN_KEY]],
        _draw_live,
        step=step_once,
        reset=reset,
    )
    deeper = range(2, st.session_state[RUN_KEY].model.config.n_blocks + 1)
    if deeper:
        st.caption("The deeper layers' filters (they refresh when you pause or step):")
        filters_view(st.session_state[RUN_KEY].model, layers=deeper)


def _draw_live(runs: list[TrainingRun], others: int) -> None:
    """Lesson 7's live part of a tick: progress, loss and accuracy curves, conv1's filters."""
    (run,) = runs
    _progress(run, others=others)
    loss_chart, accuracy_chart = curve_charts(run)
    loss_column, accuracy_column = st.columns(2)
    with loss_column:
        widgets.live_chart(loss_chart, width="stretch")
    with accuracy_column:
        widgets.live_chart(accuracy_chart, width="stretch")
    widgets.live_chart(first_filters(run.model), width="content")


@dataclass(frozen=True)
class LiveKeys:
    """Session keys of one live training panel.

    playing : "play" or "pause" (the Play | Pause control's own key)
    stop : set by a tick that saw training diverge
    step_button, reset_button : the buttons' widget keys
    """

    playing: str
    stop: str
    step_button: str
    reset_button: str


LESSON_KEYS = LiveKeys(PLAYING_KEY, STOP_KEY, STEP_BUTTON, RESET_BUTTON)


def live_training(
    keys: LiveKeys,
    runs: Callable[[], list[TrainingRun]],
    draw: Callable[[list[TrainingRun], int], None],
    *,
    step: Callable[[], None],
    reset: Callable[[], None],
    reset_help: str = "Fresh random weights from the seed; the history is cleared.",
) -> None:
    """Play / Pause / Step / Reset over one or more runs trained side by side, and a fragment
    that trains them on a timer and calls ``draw(runs, others)`` on every tick.

    runs : the runs in the session now (read again on every tick: Reset replaces them)
    draw : redraws what changed (Vega-Lite live charts, a progress line); ``others`` is how
        many other learners train on this server (0 alone, or while paused)
    step, reset : the buttons' callbacks (they pause first, see `run.step_once`)

    Play/Pause is a two-state control outside the fragment, not a button: its value travels
    with every request (also the timer's), so a click that lands while a tick is busy is never
    lost. A tick that finds the state changed re-creates the fragment with the timer on or off.
    A tick's fair share of CPU time is split evenly between the runs.
    """
    if st.session_state.pop(keys.stop, False):  # a tick saw training diverge
        st.session_state[keys.playing] = "pause"
    _controls(keys, runs(), step, reset, reset_help)
    timer_on = is_playing(keys.playing)

    floor, me = classroom.training_floor(), classroom.session_id()
    if not timer_on:
        floor.leave(me)

    @st.fragment(run_every=TICK_SECONDS if timer_on else None)
    def live() -> None:
        if is_playing(keys.playing) != timer_on:
            st.rerun()  # Play/Pause changed while a tick was busy: redraw page and timer
        current = runs()
        training = 0
        if timer_on:
            training = floor.check_in(me)
            # CPU time of this thread, not wall time: on a busy server a wall-clock budget
            # shrinks to almost no work; each session gets its fair share of the cores instead.
            budget = fair_tick_seconds(training, cores=CORES, interval=TICK_SECONDS)
            share = min(budget, TICK_BUDGET) / len(current)
            tickets = [run.interrupts for run in current]  # a Pause while waiting: no step
            with floor.turn():
                for run, ticket in zip(current, tickets, strict=True):
                    run.train(seconds=share, clock=time.thread_time, interrupts=ticket)
            if any(run.diverged for run in current):  # stop the timer and grey out Play
                st.session_state[keys.stop] = True
                st.rerun()
        draw(current, max(training - 1, 0))

    live()


def is_playing(key: str = PLAYING_KEY) -> bool:
    """True while the learner has training switched on (lesson 7's panel unless ``key``)."""
    return st.session_state.get(key) == "play"


PLAY_STATES = {"play": ":material/play_arrow: Play", "pause": ":material/pause: Pause"}


def _controls(
    keys: LiveKeys,
    runs: list[TrainingRun],
    step: Callable[[], None],
    reset: Callable[[], None],
    reset_help: str,
) -> None:
    st.session_state.setdefault(keys.playing, "pause")
    diverged = any(run.diverged for run in runs)
    play_col, step_col, reset_col, _ = st.columns([2, 1, 1, 2], vertical_alignment="bottom")
    play_col.segmented_control(
        "Training",
        tuple(PLAY_STATES),
        key=keys.playing,
        format_func=PLAY_STATES.get,
        required=True,
        disabled=diverged,
        label_visibility="collapsed",
    )
    step_col.button(
        "Step",
        icon=":material/skip_next:",
        key=keys.step_button,
        on_click=step,
        disabled=diverged,
        width="stretch",
        help="Train on one batch, then stop.",
    )
    reset_col.button(
        "Reset",
        icon=":material/restart_alt:",
        key=keys.reset_button,
        on_click=reset,
        width="stretch",
        help=reset_help,
    )


def _progress(run: TrainingRun, *, others: int = 0) -> None:
    """The step line, and under load how many others share the server (one element, so the
    charts below keep their places and are updated, not rebuilt)."""
    test = run.evaluation
    parts = [
        f"**Step {run.step:,}**",
        f"epoch {run.epoch:.2f}",
        f"{run.rate:,.0f} images/s" if run.rate else "",
        f"test accuracy **{100 * test.accuracy:.1f} %**" if test else "",
    ]
    line = " · ".join(p for p in parts if p)
    if others > 0:
        line += (
            f"  \n:gray[The server is shared: {plural(others, 'other learner')} "
            f"{'is' if others == 1 else 'are'} training too, so each tick trains a fair slice "
            "and the curves grow a little slower.]"
        )
    st.markdown(line)
    if run.diverged:
        st.warning(
            f"**Training diverged at step {run.diverged_step:,}.** The loss shot up to "
            f"{_loss_text(run.worst_loss)}: with learning rate {run.settings.lr:g} each "
            "step jumps past the bottom of the valley and lands higher up the other side, and "
            "the next jump is bigger still. Training has stopped. Press **Reset** and try a "
            "smaller learning rate.",
            icon=":material/trending_up:",
        )


def _loss_text(loss: float) -> str:
    return (
        "infinity (too large for a computer number)" if not math.isfinite(loss) else f"{loss:.3g}"
    )


def curve_charts(run: TrainingRun) -> tuple[dict, dict]:
    """The loss and accuracy charts of this run (Vega-Lite: updated in place on every tick)."""
    h, t = run.history, run.tests
    return live_figures.curve_specs(
        np.asarray(h.step),
        np.asarray(h.loss),
        np.asarray(h.accuracy),
        np.asarray(t.step),
        np.asarray(t.loss),
        np.asarray(t.accuracy),
        diverged_step=run.diverged_step,
    )


def first_filters(model: nn.TinyCNN) -> dict:
    """conv1's weights as a grid of tiles, the numbers printed when they are legible on a phone.

    The layout depends only on the architecture (numbers of up to 4 characters are assumed),
    so it stays the same from tick to tick and the chart is updated in place.
    """
    w = model.params["conv1.w"]  # (F, C, k, k)
    F, C, k, _ = w.shape
    maps = finite(w.reshape(F * C, k, k))
    planned = maps.copy()
    planned[0, 0, 0] = -0.99  # the layout plans for "−0.99" wherever the weights are now
    columns = C if C > 1 else None
    if C == 1 and k <= 3:
        columns = figures.fitted_columns(
            planned, decimals=FILTER_DECIMALS,
            width_px=figures.PHONE_WIDTH_PX, max_rows=FILTER_ROWS,
        )  # fmt: skip
    printed = columns is not None and C == 1
    columns = columns or min(F * C, 8)
    cell_px = FILTER_CELL_PX if printed else max(6, min(24, 640 // (columns * (k + 1))))
    return live_figures.filter_grid_spec(
        maps, columns=columns, printed=printed, decimals=FILTER_DECIMALS, cell_px=cell_px,
        title=f"conv1: {F} filters of {k}×{k}×{C}" + (" (one row per filter)" if C > 1 else ""),
    )  # fmt: skip


FILTER_DECIMALS = 2
"""Decimals of the printed weights of a one-channel layer (the first)."""
FILTER_ROWS = 4
"""Most rows of filters whose weights are printed (more: hover only, the chart stays short)."""
FILTER_CELL_PX = 40


def filters_view(model: nn.TinyCNN, layers) -> None:
    """The weights of the conv layers numbered `layers` (1 = first), side by side.

    A one-channel layer's small kernels print their numbers, laid out so that they stay legible
    on a phone (`figures.fitted_columns`); when they cannot, they are not printed (hover).
    """
    columns = st.columns(max(len(layers), 1), gap="medium")
    for i, column in zip(layers, columns, strict=False):
        w = model.params[f"conv{i}.w"]  # (F, C, k, k)
        F, C, k, _ = w.shape
        maps = finite(w.reshape(F * C, k, k))
        title = f"conv{i}: {F} filters of {k}×{k}×{C}"
        if C == 1:
            tiles = None
            if k <= 3:
                tiles = figures.fitted_columns(
                    maps,
                    decimals=FILTER_DECIMALS,
                    width_px=figures.PHONE_WIDTH_PX,
                    max_rows=FILTER_ROWS,
                )
            layout = {
                "columns": tiles,
                "printed": tiles is not None,
                "decimals": FILTER_DECIMALS,
                "width_px": figures.PHONE_WIDTH_PX if tiles else 640,
                "cell_px": FILTER_CELL_PX if tiles else None,
            }
        else:  # deep layers: one row per filter, ~10 px per weight
            layout = {"columns": C, "width_px": 8 * C + 280}
        with column:
            widgets.chart(
                figures.mosaic_figure(
                    maps, title=title, map_name="filter·channel" if C > 1 else "filter", **layout
                )
            )
            if C > 1:
                st.caption(f"One row per filter, one tile per input channel ({C}).")


def finite(values: np.ndarray) -> np.ndarray:
    """Values for drawing: non-finite entries (a diverged network) become 0."""
    return np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
