"""Step 5 of lesson 8: use both networks on a new example (probabilities, which class wins,
the transferred layers' feature maps), their confusion on the held-out examples, and
overfitting made visible (training vs held-out accuracy, and the gap)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz import nn
from cnnviz.data import own_classes
from cnnviz.lessons.train_a_cnn.inspect import activations
from cnnviz.lessons.train_a_cnn.live import finite, is_playing
from cnnviz.lessons.your_own_classes import make, state
from cnnviz.lessons.your_own_classes.settings import (
    MAPS_OPEN_KEY,
    NETWORKS,
    PLAYING_KEY,
    PREPARE_FROM,
    USE_CAMERA_KEY,
    USE_CANVAS,
    USE_HELD_KEY,
    USE_SOURCE,
    USE_UPLOAD_KEY,
)
from cnnviz.nn.session import TrainingRun
from cnnviz.numbers import fixed, text_number
from cnnviz.ui import settings, widgets
from cnnviz.viz import train_a_cnn as figures
from cnnviz.viz.activations import probability_bars_figure


def new_example(data: state.TrainingData) -> tuple[np.ndarray | None, str | None]:
    """The example to try: a held-out one (with its true class), a drawing, an upload or a
    photo. Returns (image, true class name or None); image None until there is one."""
    source = settings.radio(USE_SOURCE)
    if source == "held":
        own, names = data.own, state.names()
        held = list(own.held)
        i = st.selectbox(
            "Held-out example", held, key=USE_HELD_KEY,
            format_func=lambda r: f"{names[own.y[r]]} #{own.source[r, 1] + 1}",
        )  # fmt: skip
        k, j = own.source[i]
        return state.classes()[k].examples[j], names[k]
    if source == "draw":
        return USE_CANVAS.draw("Draw something to classify."), None
    if source == "upload":
        image = widgets.image_upload(
            "One image (never saved)", key=USE_UPLOAD_KEY, max_side=state.STORED_SIDE
        )
        return image, None
    st.camera_input("Take a photo to classify", key=USE_CAMERA_KEY)
    st.caption("No camera? Draw, upload, or pick a held-out example instead.")
    image = make.photo(USE_CAMERA_KEY, "use")
    state.show_note("use")
    return image, None


def frozen_while_playing() -> None:
    """While the networks train, say that this section shows them as they were at Play."""
    if is_playing(PLAYING_KEY):
        st.info(
            "The networks are training: everything below shows them as they were when you "
            "pressed Play, and catches up when you press Pause or Step.",
            icon=":material/pause_circle:",
        )


def predictions_view(runs: dict[str, TrainingRun], image: np.ndarray, truth: str | None) -> dict:
    """Both networks' probabilities for one image and which class wins for each; returns the
    transfer network's activations (for the feature maps)."""
    names = list(state.names())
    x = own_classes.prepare(image, runs["scratch"].model.config.input_shape[0], PREPARE_FROM)
    columns = st.columns([1, 2, 2], gap="medium")
    columns[0].image(image, caption="the example", width=120)
    columns[0].image(x.pixels, caption="its 32 × 32 input", width=120)
    named = {}
    for column, (name, run) in zip(columns[1:], runs.items(), strict=True):
        named[name] = state.while_unchanged(
            f"act_{name}", run, x.input.tobytes(), lambda r=run: activations(r.model, x.input[None])
        )
        probs = finite(named[name]["softmax"][0])
        best = int(np.argmax(probs))
        right = ""
        if truth is not None:
            right = " — right" if names[best] == truth else f" — wrong, it is {truth}"
        with column:
            st.markdown(f"**{NETWORKS[name]}** says **{names[best]}** "
                        f"({100 * probs[best]:.0f} %){right}")  # fmt: skip
            widgets.chart(state.while_unchanged(
                f"bars_{name}", run, x.input.tobytes() + str(names).encode(),
                lambda p=probs, n=name: probability_bars_figure(p, labels=names, title=NETWORKS[n]),
            ))  # fmt: skip
    return named["transfer"]


def feature_maps_view(named: dict) -> None:
    """The transferred (pre-trained) layers' maps after ReLU, for the example above, in an
    expander drawn only while open (three mosaics: a third of the page's rerun time)."""
    panel = st.expander(
        "Show the feature maps of the three transferred layers", icon=":material/layers:",
        key=MAPS_OPEN_KEY, on_change="rerun",
    )  # fmt: skip
    if not panel.open:
        return
    with panel:
        _maps(named)


def _maps(named: dict) -> None:
    columns = st.columns(3, gap="small")
    for i, column in enumerate(columns, start=1):
        maps = finite(named[f"relu{i}"][0])  # (F, H, W)
        with column:
            widgets.chart(figures.mosaic_figure(
                maps[:16], columns=4, title=f"conv{i} + ReLU: 16 of {len(maps)} maps "
                f"({maps.shape[1]} × {maps.shape[2]})", map_name="map", width_px=300,
            ))  # fmt: skip


def confusion_view(runs: dict[str, TrainingRun]) -> None:
    """Each network's confusion matrix on the held-out examples."""
    names = list(state.names())
    columns = st.columns(len(runs), gap="large")
    for column, (name, run) in zip(columns, runs.items(), strict=True):
        with column:
            widgets.chart(state.while_unchanged(
                f"confusion_{name}", run, str(names).encode(),
                lambda r=run, n=name: figures.confusion_figure(
                    r.evaluation.confusion, names, title=f"{NETWORKS[n]}: held-out examples"
                ),
            ))  # fmt: skip


def overfitting_view(runs: dict[str, TrainingRun], data: state.TrainingData) -> dict:
    """Accuracy and loss on the training examples (no dropout, no augmented copies) vs the
    held-out ones, and the gap, for each network. Returns {name: (train, held-out accuracy)}."""
    own = data.own
    found = {}
    lines = [
        "| network | training accuracy | held-out accuracy | gap | training loss | held-out loss |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, run in runs.items():
        train = state.while_unchanged(
            f"fit_{name}", run, data.key.encode(),
            lambda r=run: nn.evaluate(r.model, own.x_train, own.y_train),
        )  # fmt: skip
        held = run.evaluation
        found[name] = (train.accuracy, held.accuracy)
        gap = 100 * (train.accuracy - held.accuracy)
        lines.append(
            f"| {NETWORKS[name]} | {100 * train.accuracy:.0f} % | {100 * held.accuracy:.0f} % "
            f"| **{text_number(gap, 0)} points** | {fixed(train.loss, 3)} | "
            f"{fixed(held.loss, 3)} |"
        )
    st.markdown("\n".join(lines))
    st.caption(
        f"After {runs['scratch'].step:,} steps from scratch and {runs['transfer'].step:,} of "
        f"transfer, measured on the {len(own.train)} training examples (without dropout or "
        f"augmented copies) and the {len(own.held)} held-out ones — one held-out example is "
        f"worth {100 / len(own.held):.0f} points."
    )
    return found
