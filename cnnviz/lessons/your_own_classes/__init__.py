"""Lesson 8, your own classes: make classes from drawings, uploads, photos or a starter set,
then train a network from scratch and one by transfer learning side by side.

- `settings`: every setting and session key, declared once
- `state`: the learner's classes in the session and the training data made from them
- `make`: the classes' cards (names, thumbnails, remove) and the four ways to add examples
- `examples`: one example's preparation with its numbers, the held-out examples, augmentation
- `train`: the two runs (scratch and transfer) with lesson 7's live panel, parameter counts
- `use`: both networks on a new example, feature maps, confusion, overfitting
- `gap`: overfitting in one click: few examples, with and without augmentation and dropout
- `keep`: download and load a network with its class names
"""

from cnnviz.lessons.your_own_classes import settings as keys
from cnnviz.lessons.your_own_classes.examples import (
    augmentation_view,
    held_out_view,
    pick_example,
    preparation_view,
)
from cnnviz.lessons.your_own_classes.gap import gap_view
from cnnviz.lessons.your_own_classes.keep import weights_io
from cnnviz.lessons.your_own_classes.make import add_panel, classes_panel
from cnnviz.lessons.your_own_classes.settings import (
    SETTINGS,
    colour_setting,
    split_settings,
    training_settings,
)
from cnnviz.lessons.your_own_classes.state import show_note, training_data
from cnnviz.lessons.your_own_classes.train import (
    counts_table,
    current_runs,
    questions,
    train_text,
    training_panel,
)
from cnnviz.lessons.your_own_classes.use import (
    confusion_view,
    feature_maps_view,
    frozen_while_playing,
    new_example,
    overfitting_view,
    predictions_view,
)

__all__ = [
    "SETTINGS",
    "add_panel",
    "augmentation_view",
    "classes_panel",
    "colour_setting",
    "confusion_view",
    "counts_table",
    "current_runs",
    "feature_maps_view",
    "frozen_while_playing",
    "gap_view",
    "held_out_view",
    "keys",
    "new_example",
    "overfitting_view",
    "pick_example",
    "predictions_view",
    "questions",
    "preparation_view",
    "show_note",
    "split_settings",
    "train_text",
    "training_data",
    "training_panel",
    "training_settings",
    "weights_io",
]
