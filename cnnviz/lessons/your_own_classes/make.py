"""Step 1 of lesson 8: make 2–5 classes — names, numbered thumbnails with counts and removal,
what is missing, and four ways to add examples (starter set, drawing, uploads, camera).

Uploaded bytes and photos are decoded by `cnnviz.imageio` only (`cnnviz.ui.cached`) and kept
in the session, never written to disk.
"""

from __future__ import annotations

import cv2
import numpy as np
import streamlit as st

from cnnviz import imageio
from cnnviz.data import own_classes, starter_set
from cnnviz.lessons.your_own_classes import state
from cnnviz.lessons.your_own_classes.settings import (
    ADD_CLASS_BUTTON,
    ADD_DRAWING,
    ADD_SOURCE,
    CAMERA_KEY,
    CANVAS,
    SHEETS_KEY,
    STARTER_BUTTON,
    STARTER_COUNT_KEY,
    STARTER_NAMES_KEY,
    TARGET_KEY,
    UPLOAD_ROUND_KEY,
    UPLOADS_KEY,
)
from cnnviz.numbers import plural
from cnnviz.ui import cached, settings
from cnnviz.viz import your_own_classes as figures

SHOWN = 16
"""Thumbnails shown per class (the count says how many there are)."""
THUMB_PX = 48
MAX_FILES = 60
"""Most files taken from one upload (more: the rest are named in a note, nothing breaks)."""


def classes_panel() -> list[own_classes.Problem]:
    """Every class side by side (name, count, thumbnails), then what is missing; returns the
    problems (`own_classes.check_classes`), blocking ones first."""
    current = state.slots()
    columns = st.columns(max(len(current), 1), gap="small")
    for slot, column in zip(current, columns, strict=False):
        with column, st.container(border=True):
            _class_card(slot)
    st.button(
        "Add a class",
        icon=":material/add:",
        key=ADD_CLASS_BUTTON,
        on_click=state.add_class,
        disabled=len(current) >= own_classes.MAX_CLASSES,
        help=f"At most {own_classes.MAX_CLASSES} classes.",
    )
    problems = own_classes.check_classes(state.classes())
    _problems(problems)
    return problems


def _class_card(slot: state.Slot) -> None:
    key = f"own_name_{slot.id}"
    st.session_state.setdefault(key, slot.cls.name)
    st.text_input(
        "Class name", key=key, max_chars=own_classes.MAX_NAME_CHARS, on_change=state.rename,
        args=(slot.id, key),
    )  # fmt: skip
    n = len(slot.cls.examples)
    mark = (
        ":green[:material/check_circle:]" if n >= own_classes.MIN_EXAMPLES
        else ":orange[:material/warning:]"
    )  # fmt: skip
    st.markdown(f"{mark} **{plural(n, 'example')}** (at least {own_classes.MIN_EXAMPLES})")
    if n:
        st.image(_sheet(slot), caption=None)
        shown = min(n, SHOWN)
        st.pills(
            "Remove an example (click its number)", tuple(range(shown)), key=f"own_rm_{slot.id}",
            format_func=lambda j: f"✕ {j + 1}", on_change=_remove_picked,
            args=(slot.id, f"own_rm_{slot.id}", state.version()),
        )  # fmt: skip
    if n > SHOWN:
        st.caption(f"… and {n - SHOWN} more (the first {SHOWN} are shown).")
    st.button(
        "Remove this class", icon=":material/delete:", key=f"own_rm_class_{slot.id}",
        on_click=state.remove_class, args=(slot.id,),
    )  # fmt: skip


def _remove_picked(slot_id: int, key: str, seen: int) -> None:
    picked = st.session_state.get(key)
    st.session_state[key] = None  # the pills show no choice again
    if picked is not None:
        state.remove_example(slot_id, int(picked), seen)


def _sheet(slot: state.Slot) -> bytes:
    """The class's first `SHOWN` examples as one numbered picture (PNG), made again only
    after the examples changed: one image element, not one per example (each `st.image` of
    an array is encoded again on every rerun)."""
    sheets = st.session_state.setdefault(SHEETS_KEY, {})
    kept = sheets.get(slot.id)
    if kept is None or kept[0] != state.version():
        thumbs = [own_classes.normalise_image(e) for e in slot.cls.examples[:SHOWN]]
        picture = figures.thumbnail_sheet(thumbs, cols=4, side=THUMB_PX)
        _, encoded = cv2.imencode(".png", np.ascontiguousarray(picture[..., ::-1]))  # RGB->BGR
        kept = sheets[slot.id] = (state.version(), encoded.tobytes())
    return kept[1]


def _problems(problems: list[own_classes.Problem]) -> None:
    blocking = [p.text for p in problems if p.blocking]
    if blocking:
        st.warning(
            "**Before the networks can train:**\n\n" + "\n".join(f"- {t}" for t in blocking),
            icon=":material/checklist:",
        )
    for problem in problems:
        if not problem.blocking:
            st.info(problem.text, icon=":material/info:")
    if not blocking:
        counts = ", ".join(f"{c.name.strip()} {len(c.examples)}" for c in state.classes())
        st.success(f"Ready to train: {len(state.classes())} classes ({counts}).")


def add_panel() -> None:
    """Add examples to one class from the chosen source."""
    current = state.slots()
    if not current:
        st.caption("Add a class first.")
        return
    labels = [f"{i + 1} · {slot.cls.name.strip() or '(no name)'}" for i, slot in enumerate(current)]
    if st.session_state.get(TARGET_KEY) not in labels:
        st.session_state[TARGET_KEY] = labels[0]
    target_col, source_col = st.columns([2, 3], vertical_alignment="bottom")
    source = settings.radio(ADD_SOURCE, container=source_col)
    if source == "starter":
        target_col.caption(
            "Each starter symbol goes into the class of the same name, or into a new class."
        )
        _starter()
        return
    chosen = target_col.selectbox("Add to class", labels, key=TARGET_KEY)
    target = current[labels.index(chosen)].id
    if source == "draw":
        _draw(target)
    elif source == "upload":
        _upload(target)
    else:
        _camera(target)


def _starter() -> None:
    st.session_state.setdefault(STARTER_NAMES_KEY, list(state.FIRST_CLASSES))
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.multiselect(
        "Starter symbols (none of them is in the pre-training data)",
        starter_set.CLASS_NAMES, key=STARTER_NAMES_KEY,
    )  # fmt: skip
    right.slider("Drawings of each", 1, 20, 10, key=STARTER_COUNT_KEY)
    st.button(
        "Add starter drawings", icon=":material/auto_awesome:", key=STARTER_BUTTON,
        on_click=_add_starter,
        help="Each symbol goes into the class of the same name, or a new class.",
    )  # fmt: skip


def _add_starter() -> None:
    chosen = tuple(st.session_state.get(STARTER_NAMES_KEY, ()))
    count = int(st.session_state.get(STARTER_COUNT_KEY, 10))
    state.note(state.add_starter(chosen, count, seed=state.version() + 1), "auto_awesome")


def _draw(target: int) -> None:
    drawing = CANVAS.draw(
        "Draw one example, large and centred, then add it. Each drawing is one example."
    )
    st.button(
        "Add this drawing", icon=":material/add_photo_alternate:", key=ADD_DRAWING,
        on_click=_add_drawing, args=(target, drawing), disabled=drawing is None,
    )  # fmt: skip


def _add_drawing(target: int, drawing: np.ndarray | None) -> None:
    if drawing is not None:
        state.note(state.add_images(target, [drawing], "your drawing"), "draw")
        CANVAS.clear()  # a blank canvas for the next example


def _upload(target: int) -> None:
    round_ = st.session_state.get(UPLOAD_ROUND_KEY, 0)
    st.file_uploader(
        "Images of this class (PNG, JPEG, GIF, BMP, WebP, TIFF; several at once, up to 5 MB "
        "each). They stay in your browser session and are never saved.",
        accept_multiple_files=True, key=f"{UPLOADS_KEY}_{round_}", max_upload_size=5,
        on_change=_uploaded, args=(target, f"{UPLOADS_KEY}_{round_}"),
    )  # fmt: skip


def _uploaded(target: int, key: str) -> None:
    files = list(st.session_state.get(key) or [])
    images, bad = [], []
    for upload in files[:MAX_FILES]:
        try:
            images.append(cached.uploaded_image(upload.getvalue(), state.STORED_SIDE).pixels)
        except imageio.ImageLoadError as error:
            bad.append(f"**{upload.name}**: {error}")
    text = state.add_images(target, images, plural(len(images), "file")) if images else ""
    if len(files) > MAX_FILES:
        text += f" Only the first {MAX_FILES} files of one upload are read; upload the rest next."
    if bad:
        text += " Not used: " + " ".join(bad)
    state.note(text.strip() or "No files.", "upload_file")
    st.session_state[UPLOAD_ROUND_KEY] = st.session_state.get(UPLOAD_ROUND_KEY, 0) + 1


def _camera(target: int) -> None:
    st.camera_input(
        "Take a photo: each photo adds one example", key=CAMERA_KEY, on_change=_photo_taken,
        args=(target,),
    )  # fmt: skip
    st.caption(
        "No camera, or the browser was not allowed to use it? The starter set, drawings and "
        "uploads work without one — nothing you made is lost."
    )


def photo(key: str, where: str = "add") -> np.ndarray | None:
    """The camera widget's photo as pixels (None: no photo); a bad one leaves a note there."""
    shot = st.session_state.get(key)
    if shot is None:
        return None
    try:
        return cached.uploaded_image(shot.getvalue(), state.STORED_SIDE).pixels
    except imageio.ImageLoadError as error:
        state.note(f"The photo could not be used: {error}", "no_photography", where)
        return None


def _photo_taken(target: int) -> None:
    image = photo(CAMERA_KEY)
    if image is not None:
        state.note(state.add_images(target, [image], "the camera"), "photo_camera")
