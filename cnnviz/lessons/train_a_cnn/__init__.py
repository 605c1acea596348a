"""Lesson 7, train a CNN: a tiny NumPy CNN trained live and inspected at every layer.

One module per idea; the training rules themselves are `cnnviz.nn.session.TrainingRun`:

- `settings`: every setting declared once (defaults from `RunSettings`), the settings panel
- `run`: the learner's run in the session, the data sets, reset-or-continue notes
- `network`: the update rule that runs and the layer table
- `live`: Play / Pause / Step / Reset, progress, curves, filters
- `inspect`: layer by layer, confusion and mistakes, inside one step
- `own_input`: draw or upload a digit or shape
- `weights`: download and upload the weights
"""

from cnnviz.lessons.train_a_cnn.inspect import confusion_view, inside_step_view, test_image_view
from cnnviz.lessons.train_a_cnn.live import training_panel
from cnnviz.lessons.train_a_cnn.network import architecture_table, optimizer_latex, update_rule
from cnnviz.lessons.train_a_cnn.own_input import own_input_view
from cnnviz.lessons.train_a_cnn.run import SHAPES_TRAIN, current_run, narrative, show_note
from cnnviz.lessons.train_a_cnn.settings import (
    AUGMENT,
    BATCH,
    BATCHES,
    BLOCKS,
    CANVAS_CLEARS,
    CANVAS_KEY,
    CELL_KEY,
    CLEAR_BUTTON,
    DATASET,
    DATASETS,
    DEFAULT,
    DOWNLOAD_BUTTON,
    DROPOUT,
    FILTER_CHOICES,
    FILTERS,
    IMAGE_KEY,
    KERNEL,
    KERNELS,
    LEARNING_RATES,
    LR,
    MAX_BLOCKS,
    OPTIMIZER,
    PLAYING_KEY,
    POOL,
    POOLS,
    QUIZ_KEY,
    RESET_BUTTON,
    RUN_KEY,
    SEED,
    SETTINGS,
    SOURCE,
    STEP_BUTTON,
    UPLOAD_KEY,
    VIEW,
    WEIGHTS_UPLOAD_KEY,
    settings_panel,
    view_picker,
)
from cnnviz.lessons.train_a_cnn.weights import weights_io

__all__ = [
    "AUGMENT",
    "BATCH",
    "BATCHES",
    "BLOCKS",
    "CANVAS_CLEARS",
    "CANVAS_KEY",
    "CELL_KEY",
    "CLEAR_BUTTON",
    "DATASET",
    "DATASETS",
    "DEFAULT",
    "DOWNLOAD_BUTTON",
    "DROPOUT",
    "FILTERS",
    "FILTER_CHOICES",
    "IMAGE_KEY",
    "KERNEL",
    "KERNELS",
    "LEARNING_RATES",
    "LR",
    "MAX_BLOCKS",
    "OPTIMIZER",
    "PLAYING_KEY",
    "POOL",
    "POOLS",
    "QUIZ_KEY",
    "RESET_BUTTON",
    "RUN_KEY",
    "SEED",
    "SETTINGS",
    "SHAPES_TRAIN",
    "SOURCE",
    "STEP_BUTTON",
    "UPLOAD_KEY",
    "VIEW",
    "WEIGHTS_UPLOAD_KEY",
    "architecture_table",
    "confusion_view",
    "current_run",
    "inside_step_view",
    "narrative",
    "optimizer_latex",
    "own_input_view",
    "settings_panel",
    "show_note",
    "test_image_view",
    "training_panel",
    "update_rule",
    "view_picker",
    "weights_io",
]
