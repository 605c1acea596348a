"""TrainingRun: reset or continue after each kind of change, bounded history, divergence,
evaluation cadence and step budgets — without Streamlit."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from cnnviz.nn import Adam, Momentum, TinyCNN
from cnnviz.nn.session import (
    EVAL_EVERY,
    Change,
    Curve,
    RunSettings,
    TrainingRun,
    change_between,
    config_for,
    fair_tick_seconds,
)


def toy_data(side: int = 8, n_classes: int = 10, n: int = 96, seed: int = 0):
    """A small labelled set shaped like the digits: x (N, 1, side, side) 0..1, y (N,)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 1, side, side), dtype=np.float32)
    y = rng.integers(0, n_classes, n)
    return SimpleNamespace(
        x_train=x, y_train=y, x_test=x[:32], y_test=y[:32],
        class_names=tuple(str(k) for k in range(n_classes)),
    )  # fmt: skip


DATA = toy_data()
SETTINGS = RunSettings(batch_size=16)


def ticking_clock():
    """A clock that advances one second per reading: ``seconds=n + 1`` allows n steps."""
    counter = itertools.count()
    return lambda: float(next(counter))


@pytest.fixture
def run() -> TrainingRun:
    run = TrainingRun.start(SETTINGS, DATA)
    run.train(max_steps=2)
    return run


def test_settings_are_typed_keyword_only_with_one_set_of_defaults():
    settings = RunSettings()
    assert settings.filters == (8, 16, 32) and settings.layer_filters == (8, 16)
    assert isinstance(settings.lr, float) and isinstance(settings.batch_size, int)
    with pytest.raises(TypeError):
        RunSettings("digits")  # keyword-only
    with pytest.raises(ValueError, match="blocks must be between 1 and 3"):
        RunSettings(blocks=4)
    with pytest.raises(ValueError, match="lr must be a number > 0"):
        RunSettings(lr=0.0)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        RunSettings(optimizer="rmsprop")


def test_a_new_run_has_fresh_weights_from_the_seed_and_an_evaluation():
    run = TrainingRun.start(replace(SETTINGS, seed=3), DATA)
    fresh = TinyCNN.create(config_for(run.settings, DATA), np.random.default_rng(3))
    np.testing.assert_array_equal(run.model.params["conv1.w"], fresh.params["conv1.w"])
    assert run.step == 0 and len(run.history) == 0 and len(run.tests) == 0
    assert run.evaluation is not None and isinstance(run.optimizer, Adam)


@pytest.mark.parametrize(
    "change",
    [
        {"blocks": 1},
        {"blocks": 3},
        {"filters": (4, 16, 32)},
        {"kernel_size": 5},
        {"pool": "avg"},
        {"seed": 1},
    ],
)
def test_an_architecture_change_starts_over(run, change):
    new = replace(run.settings, **change)
    after, kind = run.follow(new, DATA)
    assert kind is Change.RESET and after is not run
    assert after.step == 0 and len(after.history) == 0 and after.settings == new
    assert after.model.config.filters == new.layer_filters
    fresh = TinyCNN.create(after.model.config, np.random.default_rng(new.seed))
    np.testing.assert_array_equal(after.model.params["conv1.w"], fresh.params["conv1.w"])


def test_a_new_data_set_starts_over_with_its_shapes(run):
    shapes = toy_data(side=12, n_classes=6)
    after, kind = run.follow(replace(run.settings, dataset="shapes"), shapes)
    assert kind is Change.RESET and after.data is shapes
    assert after.model.config.input_shape == (1, 12, 12) and after.model.config.n_classes == 6


def test_a_filter_count_of_an_unused_block_changes_nothing(run):
    after, kind = run.follow(replace(run.settings, filters=(8, 16, 4)), DATA)
    assert kind is Change.NONE and after is run and run.step == 2


@pytest.mark.parametrize(
    "change", [{"optimizer": "momentum"}, {"lr": 0.001}, {"batch_size": 64}, {"augment": "shift"}]
)
def test_a_training_change_continues_from_the_same_weights(run, change):
    weights, step = run.model.params["conv1.w"].copy(), run.step
    new = replace(run.settings, **change)
    after, kind = run.follow(new, DATA, augment=(lambda x, rng: x) if "augment" in change else None)
    assert kind is Change.CONTINUE and after is run and run.settings == new
    assert run.step == step and run.steps is None  # a new generator on the next step
    np.testing.assert_array_equal(run.model.params["conv1.w"], weights)
    assert run.optimizer.lr == new.lr and run.optimizer.name == new.optimizer
    run.train(max_steps=1)
    assert run.step == step + 1 and len(run.history) == step + 1


def test_a_new_optimiser_is_made_only_when_its_kind_changes(run):
    adam = run.optimizer
    run.follow(replace(run.settings, lr=0.1), DATA)
    assert run.optimizer is adam and adam.lr == 0.1
    run.follow(replace(run.settings, optimizer="momentum"), DATA)
    assert isinstance(run.optimizer, Momentum) and run.optimizer.lr == 0.1


def test_a_dropout_change_keeps_the_weights_quietly(run):
    weights = run.model.params["conv1.w"].copy()
    after, kind = run.follow(replace(run.settings, dropout=0.5), DATA)
    assert kind is Change.DROPOUT and after is run
    assert run.model.config.dropout == 0.5 and run.steps is None
    np.testing.assert_array_equal(run.model.params["conv1.w"], weights)


def test_a_reset_wins_over_a_training_change():
    old = RunSettings()
    assert change_between(old, replace(old, lr=0.1, seed=2)) is Change.RESET
    assert change_between(old, replace(old, lr=0.1, dropout=0.25)) is Change.CONTINUE
    assert change_between(old, old) is Change.NONE


def test_a_curve_keeps_at_most_cap_evenly_spaced_points():
    curve = Curve(cap=8)
    for step in range(1, 101):
        curve.add(step, 1.0 / step, 0.5)
    assert len(curve) < 8 and curve.step[0] == 1
    gaps = np.diff(curve.step)
    assert (gaps == gaps[0]).all() and curve.stride == gaps[0]
    assert curve.step[-1] > 100 - curve.stride
    with pytest.raises(ValueError):
        Curve(cap=7)


def test_the_history_of_a_long_run_is_bounded():
    run = TrainingRun.start(SETTINGS, DATA, history_cap=10)
    run.train(max_steps=60)
    assert run.step == 60 and 5 <= len(run.history) < 10
    assert run.history.step[0] == 1 and len(run.history.loss) == len(run.history.step)


def test_a_step_budget_is_kept_and_a_budget_is_required():
    run = TrainingRun.start(SETTINGS, DATA)
    assert run.train(max_steps=3) == 3 and run.step == 3
    assert run.images == 3 * SETTINGS.batch_size
    assert run.epoch == pytest.approx(3 * SETTINGS.batch_size / len(DATA.y_train))
    assert run.rate == 0.0  # one Step measures no throughput
    with pytest.raises(ValueError, match="budget"):
        run.train()


def test_a_time_budget_counts_the_clock_and_measures_a_rate():
    run = TrainingRun.start(SETTINGS, DATA)
    assert run.train(seconds=6, clock=ticking_clock()) == 5
    assert run.rate > 0


def test_timed_training_evaluates_every_eval_every_steps():
    run = TrainingRun.start(SETTINGS, DATA)
    run.train(seconds=EVAL_EVERY - 4, clock=ticking_clock())  # 20 steps: too early
    assert run.tests.step == []
    run.train(seconds=11, clock=ticking_clock())  # 30 steps: the test set is evaluated
    assert run.tests.step == [run.step] == [30]
    run.train(max_steps=1)  # a single Step always evaluates
    assert run.tests.step == [30, 31]
    run.evaluate()  # the same step is not added twice
    assert run.tests.step == [30, 31]


def test_divergence_stops_training_and_evaluates():
    settings = replace(SETTINGS, optimizer="sgd", lr=1e6)
    run = TrainingRun.start(settings, DATA)
    taken = run.train(max_steps=50)
    assert run.diverged and run.diverged_step == taken <= 50
    assert run.worst_loss > 20 * np.log(10)
    assert run.tests.last_step == run.diverged_step
    assert run.train(max_steps=5) == 0  # stays stopped until a reset
    fresh = run.restarted()
    assert not fresh.diverged and fresh.step == 0 and fresh.settings == settings


def test_a_tick_trains_a_fair_share_of_the_cores():
    assert fair_tick_seconds(1, cores=2, interval=0.6) == 0.15  # alone: the most
    assert fair_tick_seconds(30, cores=2, interval=0.6) == pytest.approx(0.02)  # 2 × 0.6 × ½ / 30
    assert fair_tick_seconds(10_000, cores=2, interval=0.6) == 0.005  # never nothing
    shares = [fair_tick_seconds(n, cores=2, interval=0.6) for n in range(1, 60)]
    assert shares == sorted(shares, reverse=True)
    with pytest.raises(ValueError):
        fair_tick_seconds(0, cores=2, interval=0.6)


def test_a_cpu_time_budget_trains_whatever_the_wall_clock_says(run):
    """Under load a tick's wall time is mostly waiting for the other sessions; the tick's
    budget counts this thread's CPU time, so a busy server still trains every session."""
    before = run.step
    taken = run.train(seconds=0.02, clock=time.thread_time)
    assert taken >= 1 and run.step == before + taken
    assert run.train(seconds=0.5, clock=ticking_clock()) == 0  # a racing wall clock: nothing


def test_interrupt_stops_training_in_another_thread_and_waits_for_it(run):
    """Pause or Step start a new page run in a new thread while the last tick may still be
    training: after `interrupt` returns no step is taken any more, and Step trains exactly one."""
    started = threading.Event()
    real_record = run._record

    def record(stats):
        real_record(stats)
        started.set()

    run._record = record
    tick = threading.Thread(target=run.train, kwargs={"seconds": 30.0})
    tick.start()
    assert started.wait(10)
    run.interrupt()
    paused_at = run.step
    tick.join(timeout=5)
    assert not tick.is_alive()  # the 30-second tick ended early
    assert run.step == paused_at  # nothing after the interrupt returned
    assert run.train(max_steps=3) == 3 and run.step == paused_at + 3


def test_two_threads_never_train_at_once(run):
    inside, overlaps = [0], []
    real_record = run._record

    def record(stats):
        inside[0] += 1
        overlaps.append(inside[0])
        time.sleep(0.001)
        real_record(stats)
        inside[0] -= 1

    run._record = record
    threads = [threading.Thread(target=run.train, kwargs={"max_steps": 20}) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert run.step == 2 + 60 and max(overlaps) == 1


def test_a_tick_interrupted_while_waiting_for_its_turn_takes_no_step(run):
    """A tick notes the interrupt count, then may wait for a turn to train; a Pause in that
    wait must not be followed by a whole tick of training."""
    ticket = run.interrupts
    run.interrupt()  # the learner paused while the tick waited
    assert run.train(seconds=30.0, interrupts=ticket) == 0
    assert run.train(max_steps=2, interrupts=run.interrupts) == 2
