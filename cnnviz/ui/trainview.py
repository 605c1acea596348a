"""Lesson 7's Streamlit glue: settings, the live training loop, and the views of the network.

One learner's model, optimiser and history live in a `Trainer` in ``st.session_state`` (never
in module globals or shared caches). Training runs in bounded slices inside
``st.fragment(run_every=…)``: each tick pulls steps from `cnnviz.nn.train_steps` for
`TICK_BUDGET` seconds, then redraws the progress, the curves and the filters. The timer exists
only while playing (Play/Pause rerun the whole page, which re-creates the fragment with or
without ``run_every``, as `cnnviz.ui.player` does), so pause takes effect within one tick and a
paused page costs the server nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import streamlit as st

from cnnviz import imageio, nn
from cnnviz.data import augment as augment_data
from cnnviz.data import datasets, preprocess
from cnnviz.nn.optim import SGD, Adam, Momentum, Optimizer
from cnnviz.ui import cached, page, state, widgets
from cnnviz.viz import train_a_cnn as figures
from cnnviz.viz import train_a_cnn_curves
from cnnviz.viz.activations import probability_bars_figure
from cnnviz.viz.formulas import plural

DATASETS = {"digits": "Handwritten digits (8 × 8)", "shapes": "Shapes (28 × 28)"}
FILTER_CHOICES = ("1", "2", "4", "8", "16", "32")
DEFAULT_FILTERS = ("8", "16", "32")
MAX_BLOCKS = 3
KERNELS = ("1", "3", "5", "7")
POOLS = {"max": "Max pooling", "avg": "Average pooling"}
DROPOUTS = ("0", "0.25", "0.5")
OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}
LEARNING_RATES = ("0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10", "100")
BATCHES = ("8", "16", "32", "64", "128")
AUGMENTS = {"none": "None", "shift": "Random shifts (±1 pixel)"}
TICK_SECONDS = 0.6
"""Time between two training ticks while playing."""
TICK_BUDGET = 0.15
"""Seconds of training per tick; the rest of a tick redraws."""
EVAL_EVERY = 25
"""Steps between two evaluations on the test set while playing."""
SHAPES_TRAIN, SHAPES_TEST, SHAPES_SEED = 3000, 600, 7


@dataclass(frozen=True)
class Settings:
    """What the learner chose. `architecture` decides the weights; the rest only training."""

    dataset: str
    filters: tuple[int, ...]
    kernel: int
    pool: str
    dropout: float
    optimizer: str
    lr: float
    batch: int
    augment: str
    seed: int

    @property
    def architecture(self) -> tuple:
        return (self.dataset, self.filters, self.kernel, self.pool, self.seed)

    @property
    def training(self) -> tuple:
        return (self.optimizer, self.lr, self.batch, self.augment)


@dataclass
class Trainer:
    """One learner's training run: model, optimiser, step generator and history."""

    settings: Settings
    model: nn.TinyCNN
    optimizer: Optimizer
    rng: np.random.Generator
    steps: Iterator[nn.StepStats] | None = None
    history: dict[str, list[float]] = field(
        default_factory=lambda: {"step": [], "loss": [], "accuracy": []}
    )
    tests: dict[str, list[float]] = field(
        default_factory=lambda: {"step": [], "loss": [], "accuracy": []}
    )
    evaluation: nn.Evaluation | None = None
    step: int = 0
    epoch: float = 0.0
    images: int = 0
    rate: float = 0.0
    diverged_step: int | None = None
    worst_loss: float = 0.0

    @property
    def diverged(self) -> bool:
        return self.diverged_step is not None


# --- data and settings ------------------------------------------------------------------------


@st.cache_resource(max_entries=2, show_spinner="Preparing the data set…")
def dataset(name: str) -> datasets.Dataset:
    """The training data, shared read-only by every session (never changed in place)."""
    data = (
        datasets.digits_dataset()
        if name == "digits"
        else datasets.shapes_dataset(SHAPES_TRAIN, SHAPES_TEST, np.random.default_rng(SHAPES_SEED))
    )
    for array in (data.x_train, data.y_train, data.x_test, data.y_test):
        array.flags.writeable = False
    return data


THINGS = {"digits": "digit", "shapes": "shape"}
"""What one image of each data set shows, for sentences that follow the data set."""
TEST_NOTES = {
    "digits": "One caution: the 1,797 UCI digits were written by just 13 people, and the test "
    "images come from the same writers as the training images — so this accuracy is optimistic "
    "for a new writer's digits (yours, for instance).",
    "shapes": "The test shapes come from the same program as the training shapes, so this "
    "accuracy says how well the network knows *these* shapes, not shapes drawn by hand.",
}


def narrative(section: str, dataset_name: str) -> str:
    """A section of the lesson text with its data-set words filled in ({classes}, {thing}…)."""
    data = dataset(dataset_name)
    thing = THINGS[dataset_name]
    return page.lesson_text("train_a_cnn", section).format(
        classes=len(data.class_names),
        thing=thing,
        things=f"{thing}s",
        n_train=f"{len(data.y_train):,}",
        n_test=f"{len(data.y_test):,}",
        test_note=TEST_NOTES[dataset_name],
    )


def chosen_dataset() -> str:
    """The data set chosen now (valid once `urlstate.restore` has seeded the settings)."""
    return st.session_state.get(state.TRAIN_DATASET) or "digits"


def settings_panel() -> Settings:
    """Every training setting, in two rows; returns what is chosen now."""
    data_col, net_col, opt_col = st.columns([3, 4, 4], gap="medium")
    with data_col:
        dataset_name = st.radio(
            "Data set", tuple(DATASETS), key=state.TRAIN_DATASET, format_func=DATASETS.get
        )
        augment = st.selectbox(
            "Augmentation", tuple(AUGMENTS), key=state.TRAIN_AUGMENT, format_func=AUGMENTS.get
        )
        dropout = st.select_slider(
            "Dropout before the dense layer", DROPOUTS, key=state.TRAIN_DROPOUT
        )
    with net_col:
        blocks = st.slider(
            "Conv blocks (conv → ReLU → pool)", 1, MAX_BLOCKS, key=state.TRAIN_BLOCKS
        )
        filter_cols = st.columns(MAX_BLOCKS)
        filters = tuple(
            int(
                filter_cols[i].select_slider(
                    f"Filters, block {i + 1}", FILTER_CHOICES, key=f"{state.TRAIN_FILTERS}_{i + 1}"
                )
            )
            for i in range(blocks)
        )
        kernel_col, pool_col = st.columns(2)
        kernel = kernel_col.selectbox(
            "Kernel size", KERNELS, key=state.TRAIN_KERNEL, format_func=lambda k: f"{k} × {k}"
        )
        pool = pool_col.selectbox(
            "Pooling", tuple(POOLS), key=state.TRAIN_POOL, format_func=POOLS.get
        )
    with opt_col:
        optimizer = st.radio(
            "Optimiser",
            tuple(OPTIMIZERS),
            key=state.TRAIN_OPTIMIZER,
            format_func=OPTIMIZERS.get,
            horizontal=True,
        )
        lr = st.select_slider("Learning rate", LEARNING_RATES, key=state.TRAIN_LR)
        batch_col, seed_col = st.columns(2)
        batch = batch_col.select_slider("Batch size", BATCHES, key=state.TRAIN_BATCH)
        seed = seed_col.number_input(
            "Random seed",
            0,
            9999,
            step=1,
            key=state.TRAIN_SEED,
            help="Decides the starting weights and the order of the batches.",
        )
    return Settings(
        dataset_name,
        filters,
        int(kernel),
        pool,
        float(dropout),
        optimizer,
        float(lr),
        int(batch),
        augment,
        int(seed),
    )


def config_for(settings: Settings) -> nn.CNNConfig:
    """The architecture; raises ValueError (with a reason) for one that cannot be built."""
    data = dataset(settings.dataset)
    return nn.CNNConfig(
        input_shape=data.input_shape,
        filters=settings.filters,
        kernel_size=settings.kernel,
        pool=settings.pool,
        dropout=settings.dropout,
        n_classes=len(data.class_names),
    )


def new_trainer(settings: Settings, model: nn.TinyCNN | None = None) -> Trainer:
    """Fresh random weights from the seed (or `model`), a new optimiser, empty history."""
    rng = np.random.default_rng(settings.seed)
    model = model or nn.TinyCNN.create(config_for(settings), rng)
    trainer = Trainer(settings, model, nn.make_optimizer(settings.optimizer, settings.lr), rng)
    evaluate(trainer)
    return trainer


def current_trainer(settings: Settings) -> Trainer:
    """The learner's trainer for these settings: kept, adjusted, or started over (with a note).

    A new architecture (data set, filters, kernel, pooling, seed) means new weights. A new
    optimiser, learning rate, batch size or augmentation keeps the weights and continues.
    """
    trainer: Trainer | None = st.session_state.get(state.TRAIN_TRAINER)
    if trainer is None or trainer.settings.architecture != settings.architecture:
        if trainer is not None:
            _note(
                "The architecture or data set changed, so the old weights do not fit: training "
                "starts over with fresh random weights.",
                "restart_alt",
            )
            st.session_state[state.TRAIN_PLAYING] = "pause"
        trainer = new_trainer(settings)
    elif trainer.settings.training != settings.training:
        if trainer.settings.optimizer != settings.optimizer:
            trainer.optimizer = nn.make_optimizer(settings.optimizer, settings.lr)
        trainer.optimizer.lr = settings.lr
        trainer.steps = None  # a new batch size or augmentation needs a new generator
        _note(
            f"Training continues from the current weights with {OPTIMIZERS[settings.optimizer]}, "
            f"learning rate {settings.lr:g}, batch size {settings.batch}.",
            "tune",
        )
    if trainer.settings.dropout != settings.dropout:  # dropout acts in training only
        trainer.model.config = replace(trainer.model.config, dropout=settings.dropout)
        trainer.steps = None
    trainer.settings = settings
    st.session_state[state.TRAIN_TRAINER] = trainer
    return trainer


def _note(text: str, icon: str) -> None:
    st.session_state[state.TRAIN_NOTE] = (text, icon)


def show_note() -> None:
    """A message left by the last change (architecture reset, loaded weights…), shown once."""
    note = st.session_state.pop(state.TRAIN_NOTE, None)
    if note:
        st.info(note[0], icon=f":material/{note[1]}:")


def update_rule(optimizer: Optimizer) -> None:
    """The update rule of the optimiser that Play and Step really run, with its constants."""
    name = OPTIMIZERS[optimizer.name]
    st.markdown(f"**The update rule that runs: {name}**, learning rate η = {optimizer.lr:g}.")
    st.latex(optimizer_latex(optimizer))
    st.caption(OPTIMIZER_WORDS[optimizer.name])
    if optimizer.name == "adam":
        st.caption("t is the number of steps taken so far (1 on the first step).")


OPTIMIZER_WORDS = {
    "sgd": "Plain SGD (stochastic gradient descent): every weight moves against its gradient, "
    "η times the gradient. This is the rule w ← w − η · dL/dw from the introduction.",
    "momentum": "Momentum: the step v remembers 0.9 of the previous step and adds −η times this "
    "gradient, so steps keep going in directions the gradient keeps pointing to. Plain SGD "
    "(w ← w − η · dL/dw) is the special case μ = 0.",
    "adam": "Adam: m and v are running means of the gradient and of its square; m̂ and v̂ correct "
    "their start at 0; dividing by √v̂ makes every weight move about η per step, whatever the "
    "size of its gradient. This is not plain SGD's w ← w − η · dL/dw.",
}
GRAD = r"\frac{\partial L}{\partial w}"


def optimizer_latex(optimizer: Optimizer) -> str:
    """LaTeX of `optimizer`'s rule, one line per assignment, its own constants substituted.

    The same rules as `cnnviz.nn.optim` (the optimiser's ``_update``), for one weight w.
    """
    lr = f"{optimizer.lr:g}"
    # Constants go on short lines of their own: beside the rule they cut it off on a phone.
    if isinstance(optimizer, Momentum):
        lines = [
            rf"v &\leftarrow \mu\, v - \eta\,{GRAD}",
            r"w &\leftarrow w + v",
            rf"&\mu = {optimizer.momentum:g},\ \eta = {lr}",
        ]
    elif isinstance(optimizer, Adam):
        lines = [
            rf"m &\leftarrow \beta_1 m + (1 - \beta_1)\,{GRAD}",
            rf"v &\leftarrow \beta_2 v + (1 - \beta_2)\left({GRAD}\right)^2",
            r"\hat m &= \frac{m}{1 - \beta_1^{\,t}}, \quad \hat v = \frac{v}{1 - \beta_2^{\,t}}",
            r"w &\leftarrow w - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}",
            rf"&\beta_1 = {optimizer.beta1:g},\ \beta_2 = {optimizer.beta2:g}",
            rf"&\eta = {lr},\ \epsilon = 10^{{{round(math.log10(optimizer.eps))}}}",
        ]
    elif isinstance(optimizer, SGD):
        lines = [rf"w &\leftarrow w - \eta\,{GRAD}", rf"&\eta = {lr}"]
    else:
        raise ValueError(f"no rule to show for optimiser {optimizer.name!r}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


# --- training ---------------------------------------------------------------------------------


def evaluate(trainer: Trainer) -> None:
    """Evaluate on the test split and add the point to the test curve."""
    data = dataset(trainer.settings.dataset)
    trainer.evaluation = nn.evaluate(trainer.model, data.x_test, data.y_test)
    if trainer.step and (not trainer.tests["step"] or trainer.tests["step"][-1] != trainer.step):
        trainer.tests["step"].append(trainer.step)
        trainer.tests["loss"].append(float(trainer.evaluation.loss))
        trainer.tests["accuracy"].append(trainer.evaluation.accuracy)


def _generator(trainer: Trainer) -> Iterator[nn.StepStats]:
    if trainer.steps is None:
        shift = augment_data.random_shift if trainer.settings.augment == "shift" else None
        trainer.steps = nn.train_steps(
            trainer.model,
            dataset(trainer.settings.dataset),
            batch_size=trainer.settings.batch,
            optimizer=trainer.optimizer,
            rng=trainer.rng,
            augment=shift,
        )
    return trainer.steps


def train_for(trainer: Trainer, budget: float, max_steps: int | None = None) -> int:
    """Train until `budget` seconds have passed (or `max_steps` steps); returns steps taken.

    Stops at once when the loss diverges. Evaluates on the test set every `EVAL_EVERY` steps.
    """
    if trainer.diverged:
        return 0
    steps, n_train = _generator(trainer), len(dataset(trainer.settings.dataset).y_train)
    start, taken, images = time.perf_counter(), 0, 0
    while time.perf_counter() - start < budget and (max_steps is None or taken < max_steps):
        stats = next(steps)
        taken += 1
        images += stats.batch_size
        trainer.step += 1
        trainer.images += stats.batch_size
        trainer.epoch = trainer.images / n_train
        trainer.history["step"].append(trainer.step)
        trainer.history["loss"].append(stats.loss)
        trainer.history["accuracy"].append(stats.accuracy)
        trainer.worst_loss = max(trainer.worst_loss, np.nan_to_num(stats.loss, nan=np.inf))
        if stats.diverged:
            trainer.diverged_step = trainer.step
            break
    elapsed = time.perf_counter() - start
    # A rate means something only for timed playback: one Step is no throughput measurement.
    trainer.rate = images / elapsed if max_steps is None and elapsed > 0 else 0.0
    last_eval = trainer.tests["step"][-1] if trainer.tests["step"] else 0
    if trainer.diverged or max_steps is not None or trainer.step - last_eval >= EVAL_EVERY:
        evaluate(trainer)
    return taken


def training_panel() -> None:
    """Play / Pause / Step / Reset, and the live part: progress, curves and first filters.

    Play/Pause is a two-state control outside the fragment, not a button: its value travels
    with every request (also the timer's), so a click that lands while a tick is busy is never
    lost. A tick that finds the state changed re-creates the fragment with the timer on or off.
    """
    if st.session_state.pop(state.TRAIN_STOP, False):  # a tick saw training diverge
        st.session_state[state.TRAIN_PLAYING] = "pause"
    _controls(st.session_state[state.TRAIN_TRAINER])
    timer_on = is_playing()

    @st.fragment(run_every=TICK_SECONDS if timer_on else None)
    def live() -> None:
        if is_playing() != timer_on:
            st.rerun()  # Play/Pause changed while a tick was busy: redraw page and timer
        trainer: Trainer = st.session_state[state.TRAIN_TRAINER]
        if timer_on:
            train_for(trainer, TICK_BUDGET)
            if trainer.diverged:  # stop the timer and grey out Play
                st.session_state[state.TRAIN_STOP] = True
                st.rerun()
        _progress(trainer)
        widgets.chart(curves(trainer))
        filters_view(trainer.model, layers=(1,))

    live()
    deeper = range(2, st.session_state[state.TRAIN_TRAINER].model.config.n_blocks + 1)
    if deeper:
        st.caption("The deeper layers' filters (they refresh when you pause or step):")
        filters_view(st.session_state[state.TRAIN_TRAINER].model, layers=deeper)


def is_playing() -> bool:
    """True while the learner has training switched on."""
    return st.session_state.get(state.TRAIN_PLAYING) == "play"


PLAY_STATES = {"play": ":material/play_arrow: Play", "pause": ":material/pause: Pause"}


def _controls(trainer: Trainer) -> None:
    st.session_state.setdefault(state.TRAIN_PLAYING, "pause")
    play, step, reset, _ = st.columns([2, 1, 1, 2], vertical_alignment="bottom")
    play.segmented_control(
        "Training",
        tuple(PLAY_STATES),
        key=state.TRAIN_PLAYING,
        format_func=PLAY_STATES.get,
        required=True,
        disabled=trainer.diverged,
        label_visibility="collapsed",
    )
    step.button(
        "Step",
        icon=":material/skip_next:",
        key="train_step_button",
        on_click=_step_once,
        disabled=trainer.diverged,
        width="stretch",
        help="Train on one batch, then stop.",
    )
    reset.button(
        "Reset",
        icon=":material/restart_alt:",
        key="train_reset_button",
        on_click=_reset,
        width="stretch",
        help="Fresh random weights from the seed; the history is cleared.",
    )


def _step_once() -> None:
    st.session_state[state.TRAIN_PLAYING] = "pause"
    train_for(st.session_state[state.TRAIN_TRAINER], budget=math.inf, max_steps=1)


def _reset() -> None:
    st.session_state[state.TRAIN_PLAYING] = "pause"
    old: Trainer = st.session_state[state.TRAIN_TRAINER]
    st.session_state[state.TRAIN_TRAINER] = new_trainer(old.settings)
    _note("Reset: fresh random weights, empty history.", "restart_alt")


def _progress(trainer: Trainer) -> None:
    test = trainer.evaluation
    parts = [
        f"**Step {trainer.step:,}**",
        f"epoch {trainer.epoch:.2f}",
        f"{trainer.rate:,.0f} images/s" if trainer.rate else "",
        f"test accuracy **{100 * test.accuracy:.1f} %**" if test else "",
    ]
    st.markdown(" · ".join(p for p in parts if p))
    if trainer.diverged:
        st.warning(
            f"**Training diverged at step {trainer.diverged_step:,}.** The loss shot up to "
            f"{_loss_text(trainer.worst_loss)}: with learning rate {trainer.settings.lr:g} each "
            "step jumps past the bottom of the valley and lands higher up the other side, and "
            "the next jump is bigger still. Training has stopped. Press **Reset** and try a "
            "smaller learning rate.",
            icon=":material/trending_up:",
        )


def _loss_text(loss: float) -> str:
    return (
        "infinity (too large for a computer number)" if not math.isfinite(loss) else f"{loss:.3g}"
    )


def curves(trainer: Trainer):
    """The loss and accuracy curves of this run."""
    h, t = trainer.history, trainer.tests
    return train_a_cnn_curves.curves_figure(
        np.asarray(h["step"]),
        np.asarray(h["loss"]),
        np.asarray(h["accuracy"]),
        np.asarray(t["step"]),
        np.asarray(t["loss"]),
        np.asarray(t["accuracy"]),
        title="Loss and accuracy — train batches and the test set",
        diverged_step=trainer.diverged_step,
    )


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
        maps = _finite(w.reshape(F * C, k, k))
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


def _finite(values: np.ndarray) -> np.ndarray:
    """Values for drawing: non-finite entries (a diverged network) become 0."""
    return np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)


# --- architecture -----------------------------------------------------------------------------


def architecture_table(config: nn.CNNConfig) -> None:
    """The layers with output shapes and parameter counts, and an MLP of the same width."""
    rows = nn.layer_table(config)
    lines = ["| # | layer | output shape | parameters |", "|---:|---|---|---:|"]
    for row in rows:
        shape = " × ".join(str(n) for n in row["output_shape"])
        lines.append(f"| {row['index']} | {row['description']} | {shape} | {row['params']:,} |")
    mlp = nn.mlp_comparison(config)
    total = sum(row["params"] for row in rows)
    lines.append(f"| | **total** | | **{total:,}** |")
    st.markdown("\n".join(lines))
    widths = " → ".join(f"{w:,}" for w in mlp["widths"])
    st.markdown(
        f"A fully connected network with as many neurons per layer ({widths}) would need "
        f"**{mlp['params']:,}** weights and biases — **{mlp['params'] / total:,.0f}×** as many "
        f"as this CNN's {total:,}. Convolution shares each small kernel across every position."
    )


# --- views of the trained network -------------------------------------------------------------


def layer_trip(model: nn.TinyCNN, x: np.ndarray, class_names: tuple[str, ...]) -> np.ndarray:
    """Every layer's output for one input x (1, C, H, W), input first, softmax last.

    Returns the probabilities (K,). Conv, ReLU and pool of a block share a row.
    """
    with np.errstate(all="ignore"):
        _, acts = model.forward(x, return_activations=True)
    named = dict(acts)
    st.markdown("**Input**")
    widgets.chart(
        figures.mosaic_figure(
            x[0],
            title=f"input {_shape(x.shape[1:])}",
            colorscale=figures.INK,
            symmetric=False,
            zmin=0,
            zmax=1,
            map_name="channel",
        )
    )
    for i in range(1, model.config.n_blocks + 1):
        st.markdown(f"**Block {i}** — convolution, ReLU, {model.config.pool}-pooling")
        columns = st.columns(3, gap="small")
        for column, name in zip(columns, (f"conv{i}", f"relu{i}", f"pool{i}"), strict=True):
            a = _finite(named[name][0])  # (C, H, W)
            with column:
                widgets.chart(
                    figures.mosaic_figure(
                        a, title=f"{name} {_shape(a.shape)}", map_name="channel", width_px=300
                    )
                )
    flat, scores, probs = (_finite(named[n][0]) for n in ("flatten", "dense", "softmax"))
    left, middle, right = st.columns([4, 3, 3], gap="medium")
    with left:
        widgets.chart(figures.vector_figure(flat, title=f"flatten: {flat.size} numbers"))
    with middle:
        widgets.chart(figures.scores_figure(scores, list(class_names), title="dense: scores"))
    with right:
        widgets.chart(
            probability_bars_figure(probs, labels=list(class_names), title="softmax: probabilities")
        )
    return probs


def _shape(shape: tuple[int, int, int]) -> str:
    """A map's shape (C, H, W), as the lessons write it: "(H × W × C)"."""
    C, H, W = shape
    return f"({H} × {W} × {C})"


def test_image_view(trainer: Trainer) -> None:
    """One test image of the learner's choice through every layer."""
    data = dataset(trainer.settings.dataset)
    n = len(data.y_test)
    index = widgets.bounded_slider("Test image", key=state.TRAIN_IMAGE, lo=0, hi=n - 1)
    label = data.class_names[int(data.y_test[index])]
    st.markdown(f"Test image {index} is a **{label}** (the network never trained on it).")
    probs = layer_trip(trainer.model, data.x_test[index : index + 1], data.class_names)
    _verdict(probs, data.class_names, truth=label)


def _verdict(probs: np.ndarray, class_names: tuple[str, ...], truth: str | None = None) -> None:
    if not np.isfinite(probs).all():
        st.warning("The network's outputs are not numbers any more (it diverged): press Reset.")
        return
    best = int(np.argmax(probs))
    text = f"The network says **{class_names[best]}** with {100 * probs[best]:.1f} % probability"
    if truth is not None:
        text += " — right" if class_names[best] == truth else f" — wrong, it is a {truth}"
    st.markdown(text + ".")


def confusion_view(trainer: Trainer) -> None:
    """The confusion matrix (click a cell to see its images) and the misclassified examples."""
    data, test = dataset(trainer.settings.dataset), trainer.evaluation
    names = list(data.class_names)
    left, right = st.columns([5, 6], gap="large")
    with left:
        st.plotly_chart(
            figures.confusion_figure(
                test.confusion, names, title=f"Confusion matrix — test set, step {trainer.step:,}"
            ),
            key=state.TRAIN_CONFUSION_CHART,
            on_select=_cell_clicked,
            selection_mode="points",
            config=widgets.CHART_CONFIG,
        )
        st.caption("Rows: the true class. Columns: what the network said. Click a cell.")
    with right:
        true, predicted = st.session_state.get(state.TRAIN_CELL) or _worst_cell(test.confusion)
        chosen = np.flatnonzero((data.y_test == true) & (test.predictions == predicted))
        what = f"true {names[true]}, predicted {names[predicted]}"
        if chosen.size == 0:
            st.info(f"No test image is {what}.")
        else:
            _examples(data, test, chosen, f"{plural(chosen.size, 'test image')}: {what}")
    wrong = np.flatnonzero(data.y_test != test.predictions)
    verb = "is" if wrong.size == 1 else "are"
    st.markdown(
        f"**{wrong.size:,} of {plural(len(data.y_test), 'test image')} {verb} misclassified.**"
        + (" Here are the first ones:" if wrong.size else "")
    )
    if wrong.size:
        _examples(data, test, wrong, "Misclassified: true → predicted")


def _cell_clicked() -> None:
    event = st.session_state[state.TRAIN_CONFUSION_CHART]
    points = event.selection.points if event else []
    trainer: Trainer | None = st.session_state.get(state.TRAIN_TRAINER)
    if not points or trainer is None:
        return
    names = list(dataset(trainer.settings.dataset).class_names)
    x, y = str(points[0].get("x")), str(points[0].get("y"))
    if x in names and y in names:
        st.session_state[state.TRAIN_CELL] = (names.index(y), names.index(x))


def _worst_cell(confusion: np.ndarray) -> tuple[int, int]:
    """The most frequent mistake (or the first class's correct cell when there is none)."""
    mistakes = confusion.copy()
    np.fill_diagonal(mistakes, 0)
    if mistakes.max() == 0:
        return 0, 0
    true, predicted = np.unravel_index(np.argmax(mistakes), mistakes.shape)
    return int(true), int(predicted)


def _examples(data: datasets.Dataset, test: nn.Evaluation, indices: np.ndarray, title: str) -> None:
    shown = indices[:24]
    names = data.class_names
    captions = [f"{names[data.y_test[i]]}→{names[test.predictions[i]]}" for i in shown]
    if len(names[0]) > 2:  # long class names: number the tiles, names on hover would clutter
        captions = [f"#{i}" for i in shown]
    widgets.chart(
        figures.mosaic_figure(
            data.x_test[shown, 0],
            title=title,
            captions=captions,
            colorscale=figures.INK,
            symmetric=False,
            zmin=0,
            zmax=1,
            printed=False,
            map_name="image",
            columns=min(len(shown), 8),
            cell_px=88 // data.x_test.shape[-1] + 1,  # 12 px for 8×8 digits, 4 px for 28×28
        )
    )


# --- your own input ---------------------------------------------------------------------------

CANVAS_SIDE = 224
SOURCES = {"draw": "Draw", "upload": "Upload an image"}


def own_input_view(trainer: Trainer) -> None:
    """Draw (or upload) an input, preprocess it like the training data, send it through."""
    data = dataset(trainer.settings.dataset)
    thing = "digit" if data.name == "digits" else "shape (" + ", ".join(data.class_names) + ")"
    source = st.radio(
        "Input", tuple(SOURCES), key=state.TRAIN_SOURCE, format_func=SOURCES.get, horizontal=True
    )
    draw_col, prep_col = st.columns([2, 3], gap="large")
    with draw_col:
        image = _drawing(thing) if source == "draw" else _upload()
    if image is None:
        return
    try:
        x = _preprocess(image, data.name, prep_col)
    except preprocess.PreprocessError as error:
        prep_col.warning(f"This input cannot be used: {error}.", icon=":material/draw:")
        return
    probs = layer_trip(trainer.model, x, data.class_names)
    _verdict(probs, data.class_names)


def _drawing(thing: str) -> np.ndarray | None:
    from streamlit_drawable_canvas import st_canvas  # registers its component on first use

    st.markdown(f"Draw a {thing} with the mouse (or a finger), large and centred.")
    result = st_canvas(
        stroke_width=18,
        stroke_color="#ffffff",
        background_color="#000000",
        height=CANVAS_SIDE,
        width=CANVAS_SIDE,
        return_image_data=True,
        key=canvas_key(),
    )
    st.button(
        "Clear the drawing",
        icon=":material/ink_eraser:",
        key="train_canvas_clear",
        on_click=_clear_canvas,
        help="Start a new drawing on an empty canvas.",
    )
    try:
        image = result.image_data
    except (ValueError, OSError):  # a damaged drawing from the browser: ask for a new one
        image = None
    if image is None or not (result.json_data or {}).get("objects"):
        st.caption("Nothing drawn yet.")
        return None
    return np.asarray(image, dtype=np.uint8)


CANVAS_CLEARS = state.TRAIN_CANVAS_CLEARS
"""How often the learner cleared the canvas: part of its key, so a new key is a blank canvas."""


def canvas_key() -> str:
    """The drawing canvas's widget key now: `state.TRAIN_CANVAS`, then one per Clear."""
    clears = st.session_state.get(CANVAS_CLEARS, 0)
    return state.TRAIN_CANVAS if clears == 0 else f"{state.TRAIN_CANVAS}_{clears}"


def _clear_canvas() -> None:
    # A component keeps its drawing in the browser; only a new key gives a blank canvas.
    st.session_state.pop(canvas_key(), None)
    st.session_state[CANVAS_CLEARS] = st.session_state.get(CANVAS_CLEARS, 0) + 1


def _upload() -> np.ndarray | None:
    upload = st.file_uploader(
        "A photo or scan of one handwritten digit or shape (PNG, JPEG…), up to 5 MB. "
        "It stays in your browser session.",
        key=state.TRAIN_UPLOAD,
        max_upload_size=5,
    )
    if upload is None:
        return None
    try:
        return cached.uploaded_image(upload.getvalue()).pixels
    except imageio.ImageLoadError as error:
        st.error(f"**{upload.name}** could not be used. {error}", icon=":material/block:")
        return None


def _preprocess(image: np.ndarray, name: str, column) -> np.ndarray:
    """The network's input (1, 1, H, W) 0..1 from an image, each stage shown in `column`."""
    with column:
        if name == "digits":
            digit = preprocess.uci_digit(image)
            st.markdown(
                "Prepared like the UCI digits: the ink's bounding box, scaled into a 32 × 32 "
                "bitmap, then the ink counted in each 4 × 4 block → 8 × 8 values from 0 to 16."
            )
            left, right = st.columns(2)
            with left:
                widgets.chart(
                    figures.mosaic_figure(
                        digit.bitmap[None],
                        title="32 × 32 bitmap",
                        colorscale=figures.INK,
                        symmetric=False,
                        zmin=0,
                        zmax=1,
                        map_name="bitmap",
                        cell_px=8,
                    )
                )
            with right:
                widgets.chart(
                    figures.mosaic_figure(
                        digit.counts[None].astype(np.float32),
                        title="8 × 8 counts (0–16)",
                        colorscale=figures.INK,
                        symmetric=False,
                        zmin=0,
                        zmax=16,
                        decimals=0,
                        map_name="input",
                        cell_px=32,
                    )
                )
            return digit.counts[None, None].astype(np.float32) / preprocess.INK_MAX
        shape = preprocess.toy_shape(image)
        st.markdown("Prepared like the shapes: light strokes on black, resized to 28 × 28.")
        widgets.chart(
            figures.mosaic_figure(
                shape[None].astype(np.float32),
                title="28 × 28 input (0–255)",
                colorscale=figures.INK,
                symmetric=False,
                zmin=0,
                zmax=255,
                map_name="input",
            )
        )
        return shape[None, None].astype(np.float32) / 255


# --- one step, up close -----------------------------------------------------------------------


def inside_step_view(trainer: Trainer) -> nn.FilterStep | None:
    """The gradient and the update of one filter in the last step, with real numbers."""
    config = trainer.model.config
    layer_col, filter_col, channel_col = st.columns(3)
    layer = layer_col.selectbox(
        "Conv layer",
        [f"conv{i}" for i in range(1, config.n_blocks + 1)],
        key=state.TRAIN_STEP_LAYER,
    )
    F, C = trainer.model.params[f"{layer}.w"].shape[:2]
    with filter_col:
        index = widgets.bounded_slider("Filter", key=state.TRAIN_STEP_FILTER, lo=0, hi=F - 1)
    with channel_col:
        channel = widgets.bounded_slider(
            "Input channel", key=state.TRAIN_STEP_CHANNEL, lo=0, hi=C - 1
        )
    try:
        step = nn.filter_step(trainer.model, trainer.optimizer, layer, index)
    except ValueError:
        st.info(
            "No training step has been taken yet (or the optimiser changed since): press "
            "**Step** to train on one batch, then look here.",
            icon=":material/skip_next:",
        )
        return None
    for column, (title, values) in zip(st.columns(4, gap="small"), _panels(step), strict=True):
        exponent, decimals = figures.unit_format(values[channel])
        with column:
            widgets.chart(
                figures.mosaic_figure(
                    values[channel][None],
                    title=title + figures.unit_title(exponent),
                    printed=True,
                    decimals=decimals,
                    unit_exponent=exponent,
                    map_name="weight",
                    cell_px=58,
                    width_px=STEP_TILE_PX,
                )
            )
    st.latex(update_latex(step, channel))
    st.caption(_update_words(step))
    return step


STEP_TILE_PX = 200
"""Narrowest width of one of the four tiles of "Inside one step" (a quarter of a laptop page)."""


def _panels(step: nn.FilterStep) -> tuple[tuple[str, np.ndarray], ...]:
    """The four tiles of one step, (C, k, k) each: weights, gradient, change, new weights."""
    return (
        ("w before", step.w_before),
        ("dL/dw", step.grad),
        ("change", step.update),
        ("w after", step.w_after),
    )


def update_latex(step: nn.FilterStep, channel: int) -> str:
    """The update of the filter's top-left weight, one line per equals sign.

    Every number is written exactly as its tile prints it (`figures.unit_format` of that tile),
    so the equation and the tiles show the same numbers; long lines are broken (aligned) so the
    formula fits a laptop's quarter page.
    """
    w0, g, change, w1 = (_as_tile(values, channel) for _, values in _panels(step))
    lr = f"{step.lr:g}"
    if step.optimizer == "sgd":
        delta = [rf"\Delta w &= -\eta\,{GRAD}", rf"&= -{lr} \cdot {_paren(g)} = {change}"]
    elif step.optimizer == "momentum":
        delta = [rf"\Delta w = v &\leftarrow \mu\, v - \eta\,{GRAD}", rf"&= {change}"]
    else:
        delta = [
            r"\Delta w &= -\eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}",
            rf"&= {change}",
        ]
    lines = [
        rf"{GRAD} &= {g}",
        *delta,
        r"w_{\text{after}} &= w + \Delta w",
        rf"&= {w0} + {_paren(change)}",
        rf"&= {w1}",
    ]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def _as_tile(values: np.ndarray, channel: int) -> str:
    """The top-left value of `values[channel]` in LaTeX, as its tile prints it."""
    exponent, decimals = figures.unit_format(values[channel])
    return figures.scaled_latex(float(values[channel, 0, 0]), exponent, decimals)


def _paren(latex: str) -> str:
    return f"({latex})" if latex.startswith("-") or r"\times" in latex else latex


def _prose(value: float) -> str:
    """One number for a sentence, as readable as a tile: −0.1234, 4.613 × 10⁻⁵."""
    exponent, decimals = figures.unit_format(np.array([value]))
    text = figures.scaled_text(value, exponent, decimals)
    return text + figures.unit_title(exponent).replace(" (", " ").rstrip(")")


def _update_words(step: nn.FilterStep) -> str:
    if step.optimizer == "sgd":
        return (
            f"Plain SGD: every weight moves against its gradient, by the learning rate "
            f"{step.lr:g} times the gradient. The bias too: {_prose(step.bias_before)} − "
            f"{step.lr:g} · ({_prose(step.bias_grad)}) = {_prose(step.bias_after)}."
        )
    if step.optimizer == "momentum":
        return (
            "Momentum: the change v is 0.9 × the previous change minus the learning rate × this "
            "gradient, so steps keep going in directions the gradient keeps pointing to."
        )
    return (
        "Adam: the change divides a running mean of the gradient (m̂) by the square root of a "
        "running mean of its square (v̂), so every weight moves about the learning rate per step "
        "whatever the size of its gradient."
    )


# --- weights in and out -----------------------------------------------------------------------


def weights_io(trainer: Trainer) -> None:
    """Download the weights; upload weights to continue training or to inspect them."""
    down, up = st.columns(2, gap="large")
    with down:
        st.download_button(
            "Download the weights (.npz)",
            data=nn.save(trainer.model) if not trainer.diverged else b"",
            file_name=f"tinycnn-{trainer.settings.dataset}-step{trainer.step}.npz",
            mime="application/octet-stream",
            icon=":material/download:",
            key="train_download",
            disabled=trainer.diverged,
            on_click="ignore",
        )
        st.caption("The architecture and every weight, as NumPy arrays (np.load reads it).")
    with up:
        st.file_uploader(
            "Upload weights saved here (.npz) to continue training or inspect them",
            type=["npz"],
            key=state.TRAIN_WEIGHTS_UPLOAD,
            on_change=_weights_uploaded,
            max_upload_size=16,
        )


def _weights_uploaded() -> None:
    upload = st.session_state.get(state.TRAIN_WEIGHTS_UPLOAD)
    if upload is None:
        return
    try:
        model = nn.load(upload.getvalue())
        dataset_name = _dataset_of(model.config)
    except nn.ModelFileError as error:
        _note(f"**{upload.name}** could not be loaded: {error}", "block")
        return
    config = model.config
    keys = {
        state.TRAIN_DATASET: dataset_name,
        state.TRAIN_BLOCKS: config.n_blocks,
        state.TRAIN_KERNEL: str(config.kernel_size),
        state.TRAIN_POOL: config.pool,
        state.TRAIN_DROPOUT: _closest(DROPOUTS, config.dropout),
    }
    for i, F in enumerate(config.filters, start=1):
        keys[f"{state.TRAIN_FILTERS}_{i}"] = str(F)
    st.session_state.update(keys)
    st.session_state[state.TRAIN_PLAYING] = "pause"
    old: Trainer | None = st.session_state.get(state.TRAIN_TRAINER)
    settings = replace(
        old.settings if old else default_settings(),
        dataset=dataset_name,
        filters=config.filters,
        kernel=config.kernel_size,
        pool=config.pool,
        dropout=float(keys[state.TRAIN_DROPOUT]),
    )
    model.config = replace(config, dropout=settings.dropout)
    st.session_state[state.TRAIN_TRAINER] = new_trainer(settings, model)
    _note(
        f"Loaded **{upload.name}**: test accuracy "
        f"{100 * st.session_state[state.TRAIN_TRAINER].evaluation.accuracy:.1f} %. The settings "
        "now match its architecture; press Play to continue training or look around.",
        "upload_file",
    )


def _dataset_of(config: nn.CNNConfig) -> str:
    for name in DATASETS:
        data = dataset(name)
        fits = config.input_shape == data.input_shape and config.n_classes == len(data.class_names)
        if fits and all(str(F) in FILTER_CHOICES for F in config.filters):
            return name
    C, H, W = config.input_shape
    raise nn.ModelFileError(
        f"these weights are for a network this page cannot build (input {H} × {W} × {C}, "
        f"filters {list(config.filters)}, {config.n_classes} classes)"
    )


def _closest(choices: tuple[str, ...], value: float) -> str:
    return min(choices, key=lambda c: abs(float(c) - value))


def default_settings() -> Settings:
    """The settings of a first visit (the URL defaults)."""
    return Settings("digits", (8, 16), 3, "max", 0.0, "adam", 0.01, 32, "none", 0)
