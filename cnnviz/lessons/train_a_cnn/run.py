"""The learner's training run in the session: data sets, reset-or-continue notes, Step, Reset.

The rules live in `cnnviz.nn.session.TrainingRun`; this module keeps one run per session under
`RUN_KEY`, hands it the shared read-only data set, and turns what `TrainingRun.follow` did into
the message the learner reads.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import augment as augment_data
from cnnviz.data import datasets
from cnnviz.lessons.train_a_cnn.settings import NOTE_KEY, OPTIMIZERS, PLAYING_KEY, RUN_KEY
from cnnviz.nn.session import Change, RunSettings, TrainingRun
from cnnviz.nn.train import Augment
from cnnviz.ui import page

SHAPES_TRAIN, SHAPES_TEST, SHAPES_SEED = 3000, 600, 7
AUGMENTERS: dict[str, Augment | None] = {"none": None, "shift": augment_data.random_shift}
"""The augmentation function each `RunSettings.augment` name stands for."""


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


def start_run(settings: RunSettings, model=None) -> TrainingRun:
    """A fresh run of ``settings`` (or of ``model``'s weights) on its data set."""
    return TrainingRun.start(
        settings, dataset(settings.dataset), augment=AUGMENTERS[settings.augment], model=model
    )


def current_run(settings: RunSettings) -> TrainingRun:
    """The learner's run for these settings: kept, adjusted, or started over (with a note)."""
    run: TrainingRun | None = st.session_state.get(RUN_KEY)
    if run is not None:
        # A page run of its own (Pause, Step, any setting) starts in a new thread while the
        # last tick may still train in the old one: stop it before anything reads the run.
        run.interrupt()
    if run is None:
        run = start_run(settings)
    else:
        data, augment = dataset(settings.dataset), AUGMENTERS[settings.augment]
        run, change = run.follow(settings, data, augment=augment)
        if change is Change.RESET:
            note(
                "The architecture or data set changed, so the old weights do not fit: training "
                "starts over with fresh random weights.",
                "restart_alt",
            )
            st.session_state[PLAYING_KEY] = "pause"
        elif change is Change.CONTINUE:
            note(
                f"Training continues from the current weights with "
                f"{OPTIMIZERS[settings.optimizer]}, learning rate {settings.lr:g}, batch size "
                f"{settings.batch_size}.",
                "tune",
            )
    st.session_state[RUN_KEY] = run
    return run


def note(text: str, icon: str) -> None:
    """Leave a message for the next run of the page (shown once by `show_note`)."""
    st.session_state[NOTE_KEY] = (text, icon)


def show_note() -> None:
    """A message left by the last change (architecture reset, loaded weights…), shown once."""
    message = st.session_state.pop(NOTE_KEY, None)
    if message:
        st.info(message[0], icon=f":material/{message[1]}:")


def step_once() -> None:
    """Step: pause and train on one batch."""
    st.session_state[PLAYING_KEY] = "pause"
    run = st.session_state[RUN_KEY]
    run.interrupt()  # a tick still training in another thread stops first
    run.train(max_steps=1)


def reset() -> None:
    """Reset: pause, fresh weights from the seed, empty history."""
    st.session_state[PLAYING_KEY] = "pause"
    st.session_state[RUN_KEY].interrupt()
    st.session_state[RUN_KEY] = st.session_state[RUN_KEY].restarted()
    note("Reset: fresh random weights, empty history.", "restart_alt")
