"""Lesson 8's settings, each declared once (session key, link name, label, choices, default),
and its other session keys. `SETTINGS` is the restore order of the link."""

from __future__ import annotations

import streamlit as st

from cnnviz.nn.session import RunSettings
from cnnviz.ui import settings
from cnnviz.ui.drawing import Canvas
from cnnviz.ui.settings import ChoiceSetting, IntSetting

CHANNELS = ChoiceSetting(
    key="own_channels", url="channels", label="Colour", default="rgb", choices=("gray", "rgb"),
    labels={"gray": "Gray (1 channel)", "rgb": "RGB (3 channels)"},
)  # fmt: skip
HELD = IntSetting(
    key="own_held", url="held", label="Held out per class", default=2, lo=1, hi=4,
    help="Examples of each class the networks never train on (each class keeps at least one).",
)  # fmt: skip
COPIES = ChoiceSetting(
    key="own_copies", url="copies", label="Augmented copies of each training example",
    default="0", choices=("0", "2", "5", "10"),
)  # fmt: skip
DROPOUT = ChoiceSetting(
    key="own_dropout", url="dropout", label="Dropout before the dense layer", default="0.5",
    choices=("0", "0.25", "0.5"),
)  # fmt: skip
FINE_TUNE = ChoiceSetting(
    key="own_fine_tune", url="finetune", label="Transfer network", default="frozen",
    choices=("frozen", "finetune"),
    labels={"frozen": "All conv layers frozen", "finetune": "Fine-tune conv3 (0.1 × lr)"},
)  # fmt: skip
LR = ChoiceSetting(
    key="own_lr", url="lr", label="Learning rate (Adam)", default="0.01",
    choices=("0.001", "0.003", "0.01", "0.03"),
)  # fmt: skip
SEED = IntSetting(
    key="own_seed", url="seed", label="Random seed", default=0, lo=0, hi=9999,
    help="Decides the starting weights, the held-out examples, the batches and the copies.",
)  # fmt: skip
ADD_SOURCES = {
    "starter": "Starter set",
    "draw": "Draw",
    "upload": "Upload files",
    "camera": "Camera",
}
ADD_SOURCE = ChoiceSetting(
    key="own_add_source", url="add", label="Add examples from", default="starter",
    choices=tuple(ADD_SOURCES), labels=ADD_SOURCES,
)  # fmt: skip
USE_SOURCES = {
    "held": "A held-out example",
    "draw": "Draw",
    "upload": "Upload",
    "camera": "Camera",
}
USE_SOURCE = ChoiceSetting(
    key="own_use_source", url="use", label="Try the networks on", default="held",
    choices=tuple(USE_SOURCES), labels=USE_SOURCES,
)  # fmt: skip

SETTINGS = (CHANNELS, HELD, COPIES, DROPOUT, FINE_TUNE, LR, SEED, ADD_SOURCE, USE_SOURCE)

NETWORKS = {"scratch": "From scratch", "transfer": "Transfer"}
"""The two networks trained side by side, in the order they are shown."""
BATCH_SIZE = 24
FILTERS = (16, 32, 64)
"""The pre-trained network's filters: the scratch network has the same architecture."""
EVAL_EVERY = 5
"""Steps between two held-out evaluations (a few examples: cheap, and the curve fills in)."""
PREPARE_FROM = "auto"
"""Polarity rule of `cnnviz.data.own_classes.prepare`: light paper is inverted."""


def run_settings(data_key: str) -> RunSettings:
    """The runs' settings now; ``data_key`` names the training data (a new one resets)."""
    return RunSettings(
        dataset=data_key,
        blocks=len(FILTERS),
        filters=FILTERS,
        kernel_size=3,
        pool="max",
        dropout=float(DROPOUT.value),
        optimizer="adam",
        lr=float(LR.value),
        batch_size=BATCH_SIZE,
        seed=int(SEED.value),
    )


# --- session keys outside the link ------------------------------------------------------------

SLOTS_KEY = "own_slots"
"""The learner's classes: a list of `state.Slot` (an id and an `OwnClass`)."""
VERSION_KEY = "own_version"
"""Counts every change to the examples (added, removed, classes added or removed)."""
NEXT_ID_KEY = "own_next_id"
DATA_KEY = "own_data"
RUNS_KEY = "own_runs"
"""{"scratch": TrainingRun, "transfer": TrainingRun}."""
PLAYING_KEY, STOP_KEY, NOTE_KEY = "own_playing", "own_stop", "own_note"
STEP_BUTTON, RESET_BUTTON = "own_step_button", "own_reset_button"
TARGET_KEY = "own_target"
STARTER_NAMES_KEY, STARTER_COUNT_KEY, STARTER_BUTTON = "own_starter", "own_starter_n", "own_fill"
UPLOADS_KEY, UPLOAD_ROUND_KEY = "own_uploads", "own_upload_round"
CAMERA_KEY = "own_camera"
CANVAS_KEY, CANVAS_CLEARS, ADD_DRAWING = "own_canvas", "own_canvas_clears", "own_add_drawing"
ADD_CLASS_BUTTON = "own_add_class"
EXAMPLE_CLASS_KEY, EXAMPLE_INDEX_KEY, PIXEL_CHANNEL_KEY = "own_ex_class", "own_ex_index", "own_px"
USE_HELD_KEY, USE_UPLOAD_KEY, USE_CAMERA_KEY = "own_use_held", "own_use_upload", "own_use_camera"
USE_CANVAS_KEY, USE_CANVAS_CLEARS = "own_use_canvas", "own_use_canvas_clears"
CANVAS = Canvas(
    key=CANVAS_KEY, clears=CANVAS_CLEARS, clear_button="own_canvas_clear", stroke_width=14
)
"""The canvas that adds a drawing to a class (Clear, or adding it, gives a blank one)."""
USE_CANVAS = Canvas(
    key=USE_CANVAS_KEY, clears=USE_CANVAS_CLEARS, clear_button="own_use_clear", stroke_width=14
)
"""The canvas of a drawing to classify."""
KEEP_WHICH_KEY, DOWNLOAD_BUTTON, WEIGHTS_UPLOAD_KEY = "own_keep", "own_download", "own_weights"
QUIZ_KEY = "own_quiz"
GAP_KEY, GAP_BUTTON = "own_gap", "own_gap_button"
MEMO_KEY, MAPS_OPEN_KEY = "own_memo", "own_maps_open"
SHEETS_KEY, PREP_MEMO_KEY = "own_sheets", "own_prep_memo"
START_KEY = "own_start"
"""{network: (model, held-out loss, accuracy) at step 0}: the first point of its curve."""
"""{class id: (examples version, PNG of its numbered thumbnails)}."""
"""Results reused while a network is unchanged; whether the feature maps are open."""
"""The overfitting experiment's (data key, rows), and its button."""


# --- the widgets, each where it acts --------------------------------------------------------


def colour_setting() -> None:
    """Gray or RGB input (both networks; a change starts them over)."""
    settings.radio(CHANNELS)


def split_settings() -> None:
    """How many examples are held out, and how many augmented copies are made."""
    left, right = st.columns(2, gap="large")
    settings.slider(HELD, container=left)
    settings.select_slider(COPIES, container=right)


def training_settings() -> None:
    """Dropout, the transfer network's frozen layers, the learning rate and the seed."""
    cols = st.columns([2, 3, 2, 2], gap="medium")
    settings.select_slider(DROPOUT, container=cols[0])
    settings.radio(FINE_TUNE, container=cols[1], horizontal=False)
    settings.select_slider(LR, container=cols[2])
    settings.number(SEED, container=cols[3])
