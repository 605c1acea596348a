"""The learner's classes in the session, and the training data made from them.

The classes live only in ``st.session_state`` (`SLOTS_KEY`): a list of `Slot`, each a stable id
(for widget keys) and a `cnnviz.data.own_classes.OwnClass`. Every change to the examples bumps
`VERSION_KEY`; the training data is rebuilt only when the version or a data setting changed.
Nothing is ever written to disk. Edits that cannot be made (a full class, a bad image) leave a
note and change nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import streamlit as st

from cnnviz.data import own_classes, starter_set
from cnnviz.data.augment import augment_copies
from cnnviz.data.own_classes import OwnClass, OwnDataset
from cnnviz.lessons.your_own_classes.settings import (
    CHANNELS,
    COPIES,
    DATA_KEY,
    HELD,
    MEMO_KEY,
    NEXT_ID_KEY,
    NOTE_KEY,
    PREPARE_FROM,
    SEED,
    SLOTS_KEY,
    VERSION_KEY,
)

FIRST_CLASSES = ("arrow", "star", "heart")
FIRST_COUNT = 10
"""A first visit starts with 3 starter classes × 10 drawings: the lesson works at once."""
MAX_STORED = 250
"""Most examples a class keeps (the first `own_classes.MAX_EXAMPLES` are used)."""
STORED_SIDE = 160
"""Examples are kept at most this large (the network sees 32 × 32): small sessions."""


@dataclass
class Slot:
    """One class on the page: ``id`` keys its widgets, ``cls`` holds its name and examples."""

    id: int
    cls: OwnClass


def slots() -> list[Slot]:
    """The learner's classes; a first visit gets the starter classes."""
    if SLOTS_KEY not in st.session_state:
        st.session_state[SLOTS_KEY] = []
        st.session_state[VERSION_KEY] = 0
        for cls in starter_set.starter_classes(FIRST_CLASSES, FIRST_COUNT, seed=0):
            _append(cls)
    return st.session_state[SLOTS_KEY]


def version() -> int:
    """How many changes the examples have had."""
    return st.session_state.get(VERSION_KEY, 0)


def classes() -> list[OwnClass]:
    """The classes in order (the network's class k is ``classes()[k]``)."""
    return [slot.cls for slot in slots()]


def names() -> tuple[str, ...]:
    """The class names as the learner wrote them (stripped)."""
    return tuple(cls.name.strip() for cls in classes())


def _append(cls: OwnClass) -> Slot:
    slot_id = st.session_state.get(NEXT_ID_KEY, 0)
    st.session_state[NEXT_ID_KEY] = slot_id + 1
    slot = Slot(slot_id, cls)
    st.session_state[SLOTS_KEY].append(slot)
    _changed()
    return slot


def _changed() -> None:
    st.session_state[VERSION_KEY] = version() + 1


def note(text: str, icon: str = "info", where: str = "add") -> None:
    """Leave a message for the next run of the page, shown once by ``show_note(where)``:
    next to the control that caused it ("add", "train", "use" or "keep")."""
    st.session_state.setdefault(NOTE_KEY, {})[where] = (text, icon)


def show_note(where: str = "add") -> None:
    """The message left for this place by the last action, shown once."""
    message = st.session_state.get(NOTE_KEY, {}).pop(where, None)
    if message:
        st.info(message[0], icon=f":material/{message[1]}:")


def slot_of(slot_id: int) -> Slot | None:
    """The class with this id (None once removed)."""
    return next((slot for slot in slots() if slot.id == slot_id), None)


def add_class() -> None:
    """A new, empty class with a name no other class has."""
    taken = {name.casefold() for name in names()}
    n = len(slots()) + 1
    while f"class {n}" in taken:
        n += 1
    _append(OwnClass(f"class {n}"))


def remove_class(slot_id: int) -> None:
    """Remove one class and its examples (the learner's own choice)."""
    st.session_state[SLOTS_KEY] = [slot for slot in slots() if slot.id != slot_id]
    _changed()


def remove_example(slot_id: int, index: int, seen_version: int) -> None:
    """Remove example ``index`` of a class, unless the examples changed since it was shown."""
    slot = slot_of(slot_id)
    if slot is None or seen_version != version() or not 0 <= index < len(slot.cls.examples):
        return
    del slot.cls.examples[index]
    _changed()


def rename(slot_id: int, key: str) -> None:
    """The name typed into the widget ``key`` (checked by `own_classes.check_classes`)."""
    slot = slot_of(slot_id)
    if slot is not None:
        slot.cls.name = str(st.session_state.get(key, ""))[: own_classes.MAX_NAME_CHARS]


def add_images(slot_id: int, images: list[np.ndarray], source: str) -> str:
    """Add images to a class; returns what happened, in a sentence (also for a full class)."""
    slot = slot_of(slot_id)
    if slot is None:
        return "That class was removed; choose another one."
    room = MAX_STORED - len(slot.cls.examples)
    added = 0
    for image in images[: max(room, 0)]:
        try:
            slot.cls.add(bounded(image))
        except own_classes.ExampleError as error:
            return f"{source} could not be added: {error}."
        added += 1
    if added:
        _changed()
    text = f"Added {added} from {source} to “{slot.cls.name}” (now {len(slot.cls.examples)})."
    if added < len(images):
        text += (
            f" {len(images) - added} not added: a class keeps at most {MAX_STORED} examples "
            f"and the network uses the first {own_classes.MAX_EXAMPLES}."
        )
    return text


def bounded(image: np.ndarray) -> np.ndarray:
    """An image at most `STORED_SIDE` pixels on its longer side (the network sees 32 × 32)."""
    image = np.asarray(image)
    side = max(image.shape[:2])
    if side <= STORED_SIDE or image.ndim not in (2, 3):
        return image
    scale = STORED_SIDE / side
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return cv2.resize(own_classes.normalise_image(image), size, interpolation=cv2.INTER_AREA)


def add_starter(chosen: tuple[str, ...], count: int, seed: int) -> str:
    """Add starter drawings: into the class of the same name, else a new class while there is
    room (at most `own_classes.MAX_CLASSES`). Returns what happened."""
    done, skipped = [], []
    for cls in starter_set.starter_classes(chosen, count, seed):
        slot = next((s for s in slots() if s.cls.name.strip().casefold() == cls.name), None)
        if slot is None and len(slots()) >= own_classes.MAX_CLASSES:
            skipped.append(cls.name)
            continue
        if slot is None:
            slot = _append(OwnClass(cls.name))
        done.append(add_images(slot.id, cls.examples, "the starter set"))
    if skipped:
        done.append(
            f"Not added: {', '.join(skipped)} — there are {own_classes.MAX_CLASSES} classes "
            "already (remove one first)."
        )
    return " ".join(done) or "Choose at least one starter symbol."


@dataclass(frozen=True, eq=False)
class TrainingData:
    """What the two networks train on: the prepared classes and the (augmented) training set.

    own : the prepared examples, their labels and the held-out split
    x_train (M, C, 32, 32), y_train (M,) : the training examples, plus `copies` augmented
        versions of each;  x_test, y_test : the held-out examples (never trained on)
    key : names this data for `cnnviz.nn.session.RunSettings.dataset` (new key = new runs)
    """

    own: OwnDataset
    x_train: np.ndarray
    y_train: np.ndarray
    copies: int
    key: str

    x_test = property(lambda self: self.own.x_test)
    y_test = property(lambda self: self.own.y_test)
    class_names = property(lambda self: self.own.class_names)
    input_shape = property(lambda self: self.own.input_shape)


def training_data() -> TrainingData:
    """The training data for the classes and data settings now (rebuilt only on a change).

    ValueError when `own_classes.check_classes` finds a blocking problem.
    """
    channels = 1 if CHANNELS.value == "gray" else 3
    held, copies, seed = int(HELD.value), int(COPIES.value), int(SEED.value)
    key = f"v{version()}-c{channels}-h{held}-a{copies}-s{seed}"
    kept: TrainingData | None = st.session_state.get(DATA_KEY)
    if kept is not None and kept.key == key:
        return kept
    own = own_classes.build_dataset(classes(), channels, held, seed, PREPARE_FROM)
    x, y = augment_copies(own.x_train, own.y_train, copies, np.random.default_rng(seed))
    data = TrainingData(own, x, y, copies, key)
    st.session_state[DATA_KEY] = data
    return data


def while_unchanged(slot: str, run, extra: bytes, compute):
    """``compute()`` once per state of ``run``'s network (and ``extra``, e.g. the input):
    reruns for other widgets reuse it. Holds the model itself, so its id is never reused.

    run : a `cnnviz.nn.session.TrainingRun` (its model and step say what changed)
    """
    memo = st.session_state.setdefault(MEMO_KEY, {})
    hit = memo.get(slot)
    if hit is not None and hit[0] is run.model and hit[1] == (run.step, extra):
        return hit[2]
    value = compute()
    memo[slot] = (run.model, (run.step, extra), value)
    return value
