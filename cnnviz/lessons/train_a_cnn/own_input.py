"""Lesson 7's "draw your own": a drawing or an upload, prepared like the training data, through
the network.

The drawing is prepared exactly as the data set's images were (`cnnviz.data.preprocess`), each
stage shown, then sent through every layer (`inspect.layer_trip`). Uploaded bytes are decoded
by `cnnviz.imageio` only and never written to disk.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from cnnviz.data import preprocess
from cnnviz.lessons.train_a_cnn.inspect import activations, layer_trip, verdict
from cnnviz.lessons.train_a_cnn.live import finite
from cnnviz.lessons.train_a_cnn.settings import CANVAS, SOURCE, UPLOAD_KEY
from cnnviz.nn.session import TrainingRun
from cnnviz.ui import settings, widgets
from cnnviz.viz import train_a_cnn as figures


@st.fragment
def own_input_view(run: TrainingRun) -> None:
    """Draw (or upload) an input, preprocess it like the training data, send it through.

    A fragment: a new drawing reruns only this view (not the lesson around it), so the
    network's answer is on screen about as soon as the canvas sends the drawing.
    """
    data = run.data
    thing = "digit" if data.name == "digits" else "shape (" + ", ".join(data.class_names) + ")"
    source = settings.radio(SOURCE)
    draw_col, prep_col = st.columns([2, 3], gap="large")
    with draw_col:
        image = _drawing(thing) if source == "draw" else _upload()
        answer_box = st.container()  # right under the drawing: seen without scrolling
    if image is None:
        return
    try:
        x, show_stages = _prepare(image, data.name)
    except preprocess.PreprocessError as error:
        prep_col.warning(f"This input cannot be used: {error}.", icon=":material/draw:")
        return
    named = activations(run.model, x)  # one forward pass for the answer and the trip
    with answer_box:  # the answer first: it reaches the screen before the figures below
        verdict(finite(named["softmax"][0]), data.class_names)
    with prep_col:
        show_stages()
    layer_trip(named, run.model, x, data.class_names, answer=False)


def _drawing(thing: str) -> np.ndarray | None:
    return CANVAS.draw(
        f"Draw a {thing} with the mouse (or a finger), large and centred.",
        empty_note="Nothing drawn yet.",
    )


def _upload() -> np.ndarray | None:
    return widgets.image_upload(
        "A photo or scan of one handwritten digit or shape (PNG, JPEG…), up to 5 MB. "
        "It stays in your browser session.",
        key=UPLOAD_KEY,
    )


def _prepare(image: np.ndarray, name: str) -> tuple[np.ndarray, Callable[[], None]]:
    """The network's input (1, 1, H, W) 0..1 from an image, and a function that shows each
    stage of the preparation (called where the stages go, after the answer)."""
    x, stage = preprocess.network_input(image, name)
    return x, (lambda: _show_digit(stage)) if name == "digits" else (lambda: _show_shape(stage))


def _show_digit(digit) -> None:
    """The stages of a UCI-style digit: its 32 × 32 bitmap and the 8 × 8 counts."""
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


def _show_shape(shape: np.ndarray) -> None:
    """The 28 × 28 input a drawn shape becomes."""
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
