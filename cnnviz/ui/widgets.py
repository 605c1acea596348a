"""Widgets shared by the lessons: image picker, bounded slider, chart, quiz and code panel."""

from __future__ import annotations

import functools
import hashlib
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from cnnviz import imageio
from cnnviz.data import samples
from cnnviz.numbers import whole_or_short as answer_text
from cnnviz.quiz.question import Question
from cnnviz.ui import cached, presenter, settings
from cnnviz.ui.settings import ChoiceSetting, IntSetting
from cnnviz.viz import images

UPLOAD_CHOICE = "upload"
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False}
"""Plotly's toolbar sits on top of the chart's title band (on hover, and always on touch
screens), so it is off: drag still zooms, a double click resets, and Streamlit's own
fullscreen button stays."""


@dataclass(frozen=True)
class PickedImage:
    """The image a learner chose: pixels (H, W, 3) uint8, and a label to name it by."""

    pixels: np.ndarray
    label: str


def image_choices() -> tuple[str, ...]:
    """URL values of the image picker: the sample names, then ``upload``."""
    return (*samples.sample_names(), UPLOAD_CHOICE)


def image_setting(key: str) -> ChoiceSetting:
    """The image picker's own setting: a sample name or ``"upload"``, in the link as ``image``."""
    return ChoiceSetting(
        key=key, url="image", label="Image", default="chelsea", choices=image_choices(),
        labels=lambda name: (
            "Upload your own…" if name == UPLOAD_CHOICE else samples.SAMPLES[name].title
        ),
    )  # fmt: skip


def image_picker(
    setting: ChoiceSetting, *, upload_key: str, max_side: int = cached.PICKER_MAX_SIDE
) -> PickedImage:
    """Pick a sample photo or upload one; a bad upload is explained and a sample is used.

    setting : the picker's `image_setting`.  upload_key : session key of the file uploader.
    max_side : an upload larger than this (longest side, pixels) is scaled down, with a note.
    """
    choice = settings.select(setting)
    fallback = samples.sample_names()[0]
    if choice != UPLOAD_CHOICE:
        return PickedImage(cached.sample_image(choice), samples.SAMPLES[choice].title)
    upload = st.file_uploader(
        "PNG, JPEG, GIF, BMP, WebP or TIFF, up to 5 MB. It stays in your browser session "
        "and is never saved.",
        key=upload_key,
        max_upload_size=5,
    )
    fallback_image = PickedImage(cached.sample_image(fallback), samples.SAMPLES[fallback].title)
    if upload is None:
        st.caption(f"Until you choose a file, the lesson shows {fallback_image.label}.")
        return fallback_image
    try:
        loaded = cached.uploaded_image(upload.getvalue(), max_side)
    except imageio.ImageLoadError as error:
        st.error(f"**{upload.name}** could not be used. {error}", icon=":material/block:")
        st.caption(f"Showing {fallback_image.label} instead.")
        return fallback_image
    for note in loaded.notes:
        st.caption(note)
    return PickedImage(loaded.pixels, f"your image “{upload.name}”")


def image_upload(
    label: str, *, key: str, max_side: int = cached.PICKER_MAX_SIDE
) -> np.ndarray | None:
    """A file uploader for one image: its pixels (H, W, 3) uint8, decoded by `cnnviz.imageio`
    (never written to disk), or None before a file is chosen or when it cannot be used (then
    the reason is shown).

    label : the uploader's markdown label.  key : its session key.
    max_side : an upload larger than this (longest side, pixels) is scaled down.
    """
    upload = st.file_uploader(label, key=key, max_upload_size=5)
    if upload is None:
        return None
    try:
        return cached.uploaded_image(upload.getvalue(), max_side).pixels
    except imageio.ImageLoadError as error:
        st.error(f"**{upload.name}** could not be used. {error}", icon=":material/block:")
        return None


def chart(fig: go.Figure, *, key: str | None = None) -> None:
    """Draw a plotly figure at the container's width with a quiet toolbar."""
    st.plotly_chart(fig, key=key, config=CHART_CONFIG)


def live_chart(spec: dict, **options) -> None:
    """A Vega-Lite chart whose data changes from run to run (`cnnviz.viz.train_a_cnn_live`,
    `cnnviz.viz.output_cells`): with the same spec the browser updates it in place.

    spec : its ``datasets`` map names to columns {name: (N,) array} (NaN = missing); they are
    sent as Arrow tables, which Streamlit passes on as they are (a dict would cost it a pandas
    round trip every run). options : `st.vega_lite_chart`'s (width, key, on_select …).
    """
    tables = {
        name: pa.table({column: pa.array(v, from_pandas=True) for column, v in columns.items()})
        for name, columns in spec["datasets"].items()
    }
    st.vega_lite_chart({**spec, "datasets": tables}, **options)


def check_yourself(questions: list[Question], *, key: str) -> None:
    """Ask one of ``questions`` (the learner can move on to the next); predict, then reveal.

    key : session key holding the index of the current question. Not shown in the presenter
    view (the class answers on their own screens).
    """
    if presenter.presenting():
        return
    st.subheader("Check yourself")
    index = st.session_state.get(key, 0) % len(questions)
    question = questions[index]
    st.markdown(question.prompt)
    # A fresh input per question, so an old answer is never judged against a new question.
    fingerprint = hashlib.sha1(question.prompt.encode()).hexdigest()[:10]
    guess = st.number_input(
        "Your answer",
        value=None,
        step=1.0,
        format="%g",  # shows what the learner typed (0.1234 stays 0.1234, 700 stays 700)
        key=f"{key}_guess_{fingerprint}",
        placeholder="Type a number and press Enter",
    )
    if guess is not None:
        if question.is_correct(guess):
            st.success(f"Right! {question.explanation}", icon=":material/check_circle:")
        else:
            st.warning(
                f"Not quite — {answer_text(guess)} is not it. "
                "Look at the numbers above and try again."
            )
    left, right = st.columns(2)
    if left.button("Reveal the answer", key=f"{key}_reveal"):
        st.info(f"**Answer: {answer_text(question.answer)}.** {question.explanation}")
    right.button(
        "Another question",
        key=f"{key}_next",
        on_click=lambda: st.session_state.update({key: index + 1}),
    )


NUMPY_BEHIND_KEY = "numpy_behind_open"
"""Session key of the "The NumPy behind this" expander: True while the learner has it open."""


def numpy_behind(*functions: Callable) -> None:
    """An expander showing the source of the library functions this page just ran.

    Lazy: a closed expander is an empty block (no sources read or sent, so a page opens
    without them and the browser loads no code highlighter); opening it reruns the page
    (``on_change="rerun"``), which then writes the sources into it. Not shown in the
    presenter view.
    """
    if presenter.presenting():
        return
    panel = st.expander(
        "The NumPy behind this", icon=":material/code:", key=NUMPY_BEHIND_KEY, on_change="rerun"
    )
    if not panel.open:
        return
    with panel:
        st.caption("This is the code that computed the numbers on this page — not a copy.")
        for function in functions:
            st.markdown(f"`{function.__module__}.{function.__qualname__}`")
            st.code(source_of(function), language="python")


_SOURCE_LOCK = threading.Lock()


@functools.cache
def source_of(function: Callable) -> str:
    """The source text of ``function``, read once per server process.

    Under a lock: Python 3.11's ``ast.parse`` (inside ``inspect.getsource``) can fail with
    "AST constructor recursion depth mismatch" when sessions' threads parse at the same moment.
    """
    with _SOURCE_LOCK:
        return inspect.getsource(function)


def crop_picker(
    image: np.ndarray, *, size: IntSetting, row: IntSetting, col: IntSetting
) -> tuple[int, int, int, int]:
    """Choose a small square of ``image`` (H, W[, C]); returns (top, left, size, size).

    size, row, col : the page's settings for the square; their bounds shrink to the image.
    The photo is shown with the square outlined, so the learner sees where the numbers are from.
    """
    height, width = image.shape[:2]
    side = settings.slider(size, lo=min(size.lo, height, width), hi=min(size.hi, height, width))
    top = settings.slider(row, lo=0, hi=height - side)
    left = settings.slider(col, lo=0, hi=width - side)
    chart(
        images.image_figure(
            image, title="Where the crop comes from", height_px=260, region=(top, left, side, side)
        )
    )
    return top, left, side, side
