"""Lesson 7's settings, each declared once: its session key, link name, label, choices, default.

Every default comes from `cnnviz.nn.session.RunSettings` (the one place defaults live); the
widgets keep their values as the strings the link shows ("0.01", "32"), and `settings_panel`
turns them into a typed `RunSettings`. `SETTINGS` is the restore order of the link.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.nn.session import RunSettings
from cnnviz.ui import settings
from cnnviz.ui.drawing import Canvas
from cnnviz.ui.settings import ChoiceSetting, IntSetting

DEFAULT = RunSettings()
"""A first visit's settings (and every link parameter's default)."""

DATASETS = {"digits": "Handwritten digits (8 × 8)", "shapes": "Shapes (28 × 28)"}
FILTER_CHOICES = ("1", "2", "4", "8", "16", "32")
MAX_BLOCKS = len(DEFAULT.filters)
KERNELS = ("1", "3", "5", "7")
POOLS = {"max": "Max pooling", "avg": "Average pooling"}
DROPOUTS = ("0", "0.25", "0.5")
OPTIMIZERS = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}
LEARNING_RATES = ("0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10", "100")
BATCHES = ("8", "16", "32", "64", "128")
AUGMENTS = {"none": "None", "shift": "Random shifts (±1 pixel)"}
SEED_MAX = 9999
VIEWS = {
    "layers": "Layer by layer",
    "confusion": "Confusion & mistakes",
    "draw": "Draw your own",
    "step": "Inside one step",
}


def _text(value: float) -> str:
    """A number as a choice and the link write it: 0.01 -> "0.01", 0.0 -> "0"."""
    return f"{value:g}"


# --- the link's settings, in restore order ------------------------------------------------------

DATASET = ChoiceSetting(
    key="train_dataset", url="data", label="Data set", default=DEFAULT.dataset,
    choices=tuple(DATASETS), labels=DATASETS,
)  # fmt: skip
BLOCKS = IntSetting(
    key="train_blocks", url="blocks", label="Conv blocks (conv → ReLU → pool)",
    default=DEFAULT.blocks, lo=1, hi=MAX_BLOCKS,
)  # fmt: skip
FILTERS = tuple(
    ChoiceSetting(
        key=f"train_filters_{i}",
        url=f"f{i}",
        label=f"Filters, block {i}",
        default=str(DEFAULT.filters[i - 1]),
        choices=FILTER_CHOICES,
    )  # fmt: skip
    for i in range(1, MAX_BLOCKS + 1)
)
KERNEL = ChoiceSetting(
    key="train_kernel", url="kernel", label="Kernel size", default=str(DEFAULT.kernel_size),
    choices=KERNELS, labels=lambda k: f"{k} × {k}",
)  # fmt: skip
POOL = ChoiceSetting(
    key="train_pool", url="pool", label="Pooling", default=DEFAULT.pool, choices=tuple(POOLS),
    labels=POOLS,
)  # fmt: skip
DROPOUT = ChoiceSetting(
    key="train_dropout", url="dropout", label="Dropout before the dense layer",
    default=_text(DEFAULT.dropout), choices=DROPOUTS,
)  # fmt: skip
OPTIMIZER = ChoiceSetting(
    key="train_optimizer", url="opt", label="Optimiser", default=DEFAULT.optimizer,
    choices=tuple(OPTIMIZERS), labels=OPTIMIZERS,
)  # fmt: skip
LR = ChoiceSetting(
    key="train_lr", url="lr", label="Learning rate", default=_text(DEFAULT.lr),
    choices=LEARNING_RATES,
)  # fmt: skip
BATCH = ChoiceSetting(
    key="train_batch", url="batch", label="Batch size", default=str(DEFAULT.batch_size),
    choices=BATCHES,
)  # fmt: skip
AUGMENT = ChoiceSetting(
    key="train_augment", url="augment", label="Augmentation", default=DEFAULT.augment,
    choices=tuple(AUGMENTS), labels=AUGMENTS,
)  # fmt: skip
SEED = IntSetting(
    key="train_seed", url="seed", label="Random seed", default=DEFAULT.seed, lo=0, hi=SEED_MAX,
    help="Decides the starting weights and the order of the batches.",
)  # fmt: skip
VIEW = ChoiceSetting(
    key="train_view", url="view", label="View", default="layers", choices=tuple(VIEWS),
    labels=VIEWS,
)  # fmt: skip

SETTINGS = (
    DATASET, BLOCKS, *FILTERS, KERNEL, POOL, DROPOUT, OPTIMIZER, LR, BATCH, AUGMENT, SEED, VIEW,
)  # fmt: skip

# --- session keys outside the link ------------------------------------------------------------

RUN_KEY = "train_trainer"
"""The learner's `TrainingRun` (model, optimiser, history), one per session."""
PLAYING_KEY = "train_playing"
""""play" or "pause"."""
STOP_KEY = "train_stop"
NOTE_KEY = "train_note"
IMAGE_KEY = "train_image"
CONFUSION_CHART_KEY = "train_confusion_chart"
CELL_KEY = "train_cell"
CANVAS_KEY = "train_canvas"
CANVAS_CLEARS = "train_canvas_clears"
"""How often the learner cleared the canvas: part of its key, so a new key is a blank canvas."""
UPLOAD_KEY = "train_upload"
WEIGHTS_UPLOAD_KEY = "train_weights_upload"
STEP_LAYER_KEY = "train_step_layer"
STEP_FILTER_KEY = "train_step_filter"
STEP_CHANNEL_KEY = "train_step_channel"
TEST_IMAGE = IntSetting(key=IMAGE_KEY, label="Test image", default=0, lo=0, hi=100_000)
"""Which test image the layer view follows; its upper bound is the test set's size."""
STEP_FILTER = IntSetting(key=STEP_FILTER_KEY, label="Filter", default=0, lo=0, hi=1024)
STEP_CHANNEL = IntSetting(key=STEP_CHANNEL_KEY, label="Input channel", default=0, lo=0, hi=1024)
QUIZ_KEY = "train_quiz"
STEP_BUTTON, RESET_BUTTON = "train_step_button", "train_reset_button"
CLEAR_BUTTON, DOWNLOAD_BUTTON = "train_canvas_clear", "train_download"
CANVAS = Canvas(key=CANVAS_KEY, clears=CANVAS_CLEARS, clear_button=CLEAR_BUTTON)
"""The "Draw your own" canvas and its Clear button."""
SOURCES = {"draw": "Draw", "upload": "Upload an image"}
SOURCE = ChoiceSetting(
    key="train_source", label="Input", default="draw", choices=tuple(SOURCES), labels=SOURCES
)


def settings_panel() -> RunSettings:
    """Every training setting, in three columns; returns what is chosen now."""
    data_col, net_col, opt_col = st.columns([3, 4, 4], gap="medium")
    with data_col:
        settings.radio(DATASET, horizontal=False)
        settings.select(AUGMENT)
        settings.select_slider(DROPOUT)
    with net_col:
        blocks = settings.slider(BLOCKS)
        for setting, column in zip(FILTERS[:blocks], st.columns(MAX_BLOCKS), strict=False):
            settings.select_slider(setting, container=column)
        kernel_col, pool_col = st.columns(2)
        settings.select(KERNEL, container=kernel_col)
        settings.select(POOL, container=pool_col)
    with opt_col:
        settings.radio(OPTIMIZER)
        settings.select_slider(LR)
        batch_col, seed_col = st.columns(2)
        settings.select_slider(BATCH, container=batch_col)
        settings.number(SEED, container=seed_col)
    return chosen()


def chosen() -> RunSettings:
    """The settings chosen now, typed (valid once the link has been restored)."""
    return RunSettings(
        dataset=DATASET.value,
        blocks=int(BLOCKS.value),
        filters=tuple(int(setting.value) for setting in FILTERS),
        kernel_size=int(KERNEL.value),
        pool=POOL.value,
        dropout=float(DROPOUT.value),
        optimizer=OPTIMIZER.value,
        lr=float(LR.value),
        batch_size=int(BATCH.value),
        augment=AUGMENT.value,
        seed=int(SEED.value),
    )


def view_picker() -> str:
    """Which view of the network "Look inside" shows."""
    return st.segmented_control(
        VIEW.label, VIEW.choices, key=VIEW.key, format_func=VIEW.label_of, required=True
    )
