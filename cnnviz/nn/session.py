"""One learner's training run as a plain object: what a settings change does, history, divergence.

`RunSettings` is what a learner chose (keyword-only, typed, the defaults in one place).
`TrainingRun` holds the model, the optimiser, the step generator of `train_steps`, a bounded
history of the loss and accuracy curves, the last test evaluation and whether training diverged.
`TrainingRun.follow` applies new settings by the rule a learner sees on the page:

- a new data set, number of blocks, filter count, kernel size, pooling mode or seed: the old
  weights do not fit, so the run starts over (`Change.RESET`);
- a new optimiser, learning rate, batch size or augmentation: the weights are kept and training
  continues (`Change.CONTINUE`);
- a new dropout rate: kept weights, no message (dropout acts only in training, `Change.DROPOUT`).

Transfer learning (lesson 8): a run may keep layers ``frozen`` and scale layers' learning rates
(``lr_scale``); every optimiser it makes (at the start, and when `follow` changes the
optimiser) honours both. A ``model_factory(settings, data, rng)`` builds the starting network
(e.g. pre-trained conv layers copied into a new network), at the start and on every reset.

No Streamlit and no `cnnviz.data` here: the data set comes in as an object with ``x_train``,
``y_train``, ``x_test``, ``y_test`` and ``class_names`` (e.g. `cnnviz.data.datasets.Dataset`),
augmentation as a function ``f(x_batch, rng) -> x_batch``. Arrays are (N, C, H, W) float32.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

import numpy as np

from cnnviz.nn.model import CNNConfig, TinyCNN
from cnnviz.nn.optim import OPTIMIZERS, Optimizer, make_optimizer
from cnnviz.nn.pooling import POOL_MODES
from cnnviz.nn.train import Augment, Evaluation, StepStats, evaluate, train_steps

EVAL_EVERY = 25
"""Steps between two evaluations on the test set while training runs on a timer."""
HISTORY_CAP = 2000
"""Most points a curve stores; a full curve keeps every other point (see `Curve`)."""


@dataclass(frozen=True, kw_only=True)
class RunSettings:
    """What the learner chose. The defaults here are the page's defaults (and its link's).

    dataset : name of the data set, e.g. "digits" or "shapes"
    blocks : conv blocks used, 1 <= blocks <= len(filters)
    filters : filters of each possible block; block i uses ``filters[i]``
    kernel_size, pool : every conv block's kernel side and pooling mode ("max" or "avg")
    dropout : in [0, 1), before the dense layer, in training only
    optimizer : "sgd", "momentum" or "adam";  lr : learning rate > 0
    batch_size : images per step >= 1;  augment : name of an augmentation ("none" = off)
    seed : decides the starting weights and the order of the batches
    """

    dataset: str = "digits"
    blocks: int = 2
    filters: tuple[int, ...] = (8, 16, 32)
    kernel_size: int = 3
    pool: str = "max"
    dropout: float = 0.0
    optimizer: str = "adam"
    lr: float = 0.01
    batch_size: int = 32
    augment: str = "none"
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", tuple(int(f) for f in self.filters))
        problems = [
            f"blocks must be between 1 and {len(self.filters)}, got {self.blocks}"
            if not 1 <= self.blocks <= len(self.filters)
            else "",
            f"filters must all be >= 1, got {self.filters}" if min(self.filters) < 1 else "",
            f"pool must be one of {POOL_MODES}, got {self.pool!r}"
            if self.pool not in POOL_MODES
            else "",
            f"dropout must be in [0, 1), got {self.dropout}" if not 0 <= self.dropout < 1 else "",
            f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}"
            if self.optimizer not in OPTIMIZERS
            else "",
            f"lr must be a number > 0, got {self.lr}" if not 0 < self.lr < math.inf else "",
            f"batch_size must be >= 1, got {self.batch_size}" if self.batch_size < 1 else "",
            f"seed must be >= 0, got {self.seed}" if self.seed < 0 else "",
        ]
        if any(problems):
            raise ValueError("; ".join(p for p in problems if p))

    @property
    def layer_filters(self) -> tuple[int, ...]:
        """Filters of the blocks in use: ``filters[:blocks]``."""
        return self.filters[: self.blocks]

    @property
    def architecture(self) -> tuple:
        """What decides the weights' shapes and starting values."""
        return (self.dataset, self.layer_filters, self.kernel_size, self.pool, self.seed)

    @property
    def training(self) -> tuple:
        """What changes how training continues, not the weights."""
        return (self.optimizer, self.lr, self.batch_size, self.augment)


class Change(Enum):
    """What `TrainingRun.follow` did with new settings."""

    NONE = "none"
    DROPOUT = "dropout"
    CONTINUE = "continue"
    RESET = "reset"


def change_between(old: RunSettings, new: RunSettings) -> Change:
    """The kind of change from ``old`` to ``new`` (a reset wins over the others)."""
    if old.architecture != new.architecture:
        return Change.RESET
    if old.training != new.training:
        return Change.CONTINUE
    if old.dropout != new.dropout:
        return Change.DROPOUT
    return Change.NONE


def config_for(settings: RunSettings, data: Any) -> CNNConfig:
    """The network for ``settings`` on ``data``; ValueError (with a reason) if it cannot be built.

    data : has x_train (N, C, H, W) and class_names (K names)
    """
    return CNNConfig(
        input_shape=tuple(data.x_train.shape[1:]),
        filters=settings.layer_filters,
        kernel_size=settings.kernel_size,
        pool=settings.pool,
        dropout=settings.dropout,
        n_classes=len(data.class_names),
    )


@dataclass
class Curve:
    """One curve's points (step, loss, accuracy), never more than ``cap`` of them.

    When the curve is full, every other point is dropped and from then on only every
    ``stride``-th offered point is kept (the stride doubles each time), so a long run keeps an
    evenly spaced summary from its first step to its last in bounded memory.
    """

    cap: int = HISTORY_CAP
    step: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    stride: int = 1
    offered: int = 0

    def __post_init__(self) -> None:
        if self.cap < 2 or self.cap % 2:
            raise ValueError(f"a curve's cap must be an even number >= 2, got {self.cap}")

    def add(self, step: int, loss: float, accuracy: float) -> None:
        """Offer one point; it is stored if it falls on the current stride."""
        self.offered += 1
        if (self.offered - 1) % self.stride:
            return
        self.step.append(step)
        self.loss.append(loss)
        self.accuracy.append(accuracy)
        if len(self.step) >= self.cap:
            self.step, self.loss, self.accuracy = self.step[::2], self.loss[::2], self.accuracy[::2]
            self.stride *= 2

    @property
    def last_step(self) -> int | None:
        """The step of the newest stored point (None for an empty curve)."""
        return self.step[-1] if self.step else None

    def __len__(self) -> int:
        return len(self.step)


ModelFactory = Callable[[RunSettings, Any, np.random.Generator], TinyCNN]
"""Builds a run's starting network from its settings, data set and seeded generator."""


@dataclass(eq=False)
class TrainingRun:
    """One learner's run. Create it with `TrainingRun.start`; train with `train`.

    history : the train batches' loss and accuracy;  tests : the test set's, at evaluations
    evaluation : the last evaluation on the test split
    step, images : steps and training images so far;  rate : images per second of the last
        timed training call (0 after a fixed number of steps)
    diverged_step : the step at which the loss diverged (None while it has not)
    worst_loss : the largest batch loss so far (inf for a non-finite one)

    One thread trains at a time (`lock`). A web server may start a learner's next page run
    (Pause, Step) in a new thread while the last tick is still training in the old one:
    `interrupt` stops that training after its current step and waits for it, so no step is
    taken after a Pause is shown and two threads never update the weights at once.
    """

    settings: RunSettings
    data: Any
    model: TinyCNN
    optimizer: Optimizer
    rng: np.random.Generator
    augment: Augment | None = None
    history: Curve = field(default_factory=Curve)
    tests: Curve = field(default_factory=Curve)
    evaluation: Evaluation | None = None
    step: int = 0
    images: int = 0
    rate: float = 0.0
    diverged_step: int | None = None
    worst_loss: float = 0.0
    eval_every: int = EVAL_EVERY
    steps: Iterator[StepStats] | None = field(default=None, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    interrupts: int = 0
    frozen: frozenset[str] = frozenset()
    lr_scale: dict[str, float] | None = None
    model_factory: ModelFactory | None = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        settings: RunSettings,
        data: Any,
        *,
        augment: Augment | None = None,
        model: TinyCNN | None = None,
        history_cap: int = HISTORY_CAP,
        frozen: frozenset[str] = frozenset(),
        lr_scale: dict[str, float] | None = None,
        model_factory: ModelFactory | None = None,
        eval_every: int = EVAL_EVERY,
    ) -> TrainingRun:
        """Fresh random weights from the seed (or ``model``, or ``model_factory``'s network), a
        new optimiser, empty history, evaluated once on the test split.

        frozen : layer names that never change;  lr_scale : layer -> learning-rate multiplier
        model_factory : ``f(settings, data, rng) -> TinyCNN``, also used by every reset
        eval_every : steps between two evaluations while training on a timer
        """
        rng = np.random.default_rng(settings.seed)
        if model is None:
            model = (
                model_factory(settings, data, rng)
                if model_factory is not None
                else TinyCNN.create(config_for(settings, data), rng)
            )
        optimizer = make_optimizer(
            settings.optimizer, settings.lr, frozen=frozenset(frozen), lr_scale=lr_scale
        )
        run = cls(
            settings, data, model, optimizer, rng, augment,
            history=Curve(history_cap), tests=Curve(history_cap), eval_every=eval_every,
            frozen=frozenset(frozen), lr_scale=lr_scale, model_factory=model_factory,
        )  # fmt: skip
        run.evaluate()
        return run

    def _same_kind(self) -> dict[str, Any]:
        """What a reset keeps: history length, freezing, learning-rate scales, the factory."""
        return {
            "history_cap": self.history.cap,
            "frozen": self.frozen,
            "lr_scale": self.lr_scale,
            "model_factory": self.model_factory,
            "eval_every": self.eval_every,
        }

    @property
    def diverged(self) -> bool:
        """True once the loss has diverged (training stops until a reset)."""
        return self.diverged_step is not None

    @property
    def epoch(self) -> float:
        """Passes over the training split so far (fractional)."""
        return self.images / len(self.data.y_train)

    def restarted(self) -> TrainingRun:
        """The same settings from fresh weights (Reset)."""
        return TrainingRun.start(
            self.settings, self.data, augment=self.augment, **self._same_kind()
        )

    def follow(
        self, settings: RunSettings, data: Any, *, augment: Augment | None = None
    ) -> tuple[TrainingRun, Change]:
        """The run for new ``settings``: a new run (RESET) or this one, adjusted.

        data, augment : the data set and augmentation function ``settings`` name.
        """
        change = change_between(self.settings, settings)
        if change is Change.RESET:
            return TrainingRun.start(settings, data, augment=augment, **self._same_kind()), change
        if change is Change.CONTINUE:
            if self.settings.optimizer != settings.optimizer:
                self.optimizer = make_optimizer(
                    settings.optimizer, settings.lr, frozen=self.frozen, lr_scale=self.lr_scale
                )
            self.optimizer.lr = settings.lr
            self.steps = None  # a new batch size or augmentation needs a new generator
        if self.settings.dropout != settings.dropout:
            self.model.config = replace(self.model.config, dropout=settings.dropout)
            self.steps = None
        self.settings, self.augment = settings, augment
        return self, change

    def evaluate(self) -> Evaluation:
        """Evaluate on the test split; a new step adds a point to the test curve."""
        self.evaluation = evaluate(self.model, self.data.x_test, self.data.y_test)
        if self.step and self.tests.last_step != self.step:
            self.tests.add(self.step, float(self.evaluation.loss), self.evaluation.accuracy)
        return self.evaluation

    def _generator(self) -> Iterator[StepStats]:
        if self.steps is None:
            self.steps = train_steps(
                self.model, self.data, batch_size=self.settings.batch_size,
                optimizer=self.optimizer, rng=self.rng, augment=self.augment,
            )  # fmt: skip
        return self.steps

    def train(
        self,
        *,
        seconds: float = math.inf,
        max_steps: int | None = None,
        clock: Callable[[], float] = time.perf_counter,
        interrupts: int | None = None,
    ) -> int:
        """Train until ``seconds`` have passed on ``clock`` or ``max_steps`` steps; returns the
        steps taken (0 once diverged).

        interrupts : the run's `interrupts` count when the caller decided to train (it may wait
            for its turn first): an `interrupt` since then means no step at all.

        Stops at once when the loss diverges. A timed call (no ``max_steps``) measures the rate
        and evaluates every `eval_every` steps; a fixed number of steps (a Step button)
        measures no rate and always evaluates, as does divergence.
        """
        if seconds == math.inf and max_steps is None:
            raise ValueError("give a time budget (seconds) or a step budget (max_steps)")
        with self.lock:
            return self._train(seconds, max_steps, clock, interrupts)

    def interrupt(self) -> None:
        """Stop training going on in another thread after its current step, and wait for it."""
        self.interrupts += 1
        with self.lock:
            pass

    def _train(
        self,
        seconds: float,
        max_steps: int | None,
        clock: Callable[[], float],
        interrupts: int | None,
    ) -> int:
        if self.diverged:
            return 0
        steps = self._generator()
        interrupts = self.interrupts if interrupts is None else interrupts
        start, taken, images = clock(), 0, 0
        while (
            clock() - start < seconds
            and (max_steps is None or taken < max_steps)
            and self.interrupts == interrupts
        ):
            stats = next(steps)
            taken += 1
            images += stats.batch_size
            self._record(stats)
            if stats.diverged:
                self.diverged_step = self.step
                break
        elapsed = clock() - start
        # A rate means something only for timed playback: one Step is no throughput measurement.
        self.rate = images / elapsed if max_steps is None and elapsed > 0 else 0.0
        since = self.step - (self.tests.last_step or 0)
        interrupted = self.interrupts != interrupts  # the caller waits: no evaluation now
        if self.diverged or max_steps is not None or (since >= self.eval_every and not interrupted):
            self.evaluate()
        return taken

    def _record(self, stats: StepStats) -> None:
        self.step += 1
        self.images += stats.batch_size
        self.history.add(self.step, stats.loss, stats.accuracy)
        self.worst_loss = max(self.worst_loss, float(np.nan_to_num(stats.loss, nan=np.inf)))


TICK_SECONDS = 0.6
"""Time between two training ticks of a learner alone."""


def fair_tick_seconds(
    n_training: int,
    *,
    cores: float,
    interval: float,
    share: float = 0.5,
    most: float = 0.15,
    least: float = 0.005,
) -> float:
    """CPU seconds one session's tick may train when ``n_training`` sessions train at once.

    The server has ``cores × interval`` CPU seconds per tick interval; ``share`` of them go to
    training (the rest draw pages and answer clicks), split evenly between the sessions, within
    [least, most]. One learner alone gets ``most``; a class of 30 on 2 cores (0.6 s ticks)
    gets 20 ms each: every session keeps training, and no tick waits long behind the others.
    """
    if n_training < 1 or not cores > 0 or interval <= 0:
        raise ValueError(f"need n_training >= 1, cores > 0, interval > 0, got {n_training, cores}")
    return min(most, max(least, cores * interval * share / n_training))
