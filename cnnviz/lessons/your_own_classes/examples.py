"""Steps 2 and 3 of lesson 8: how one example becomes the network's input (with its numbers),
which examples are held out, and a row of augmented versions of one example."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import augment, own_classes
from cnnviz.lessons.your_own_classes import state
from cnnviz.lessons.your_own_classes.settings import (
    EXAMPLE_CLASS_KEY,
    EXAMPLE_INDEX_KEY,
    PIXEL_CHANNEL_KEY,
    PREP_MEMO_KEY,
    PREPARE_FROM,
    SEED,
)
from cnnviz.ui import widgets
from cnnviz.viz import images, matrices
from cnnviz.viz import your_own_classes as figures

ROW = 8
"""Augmented versions shown of one example."""


def pick_example(data: state.TrainingData) -> tuple[int, int]:
    """The class and example the preparation and augmentation views follow."""
    names = state.names()
    left, right = st.columns(2)
    k = left.selectbox(
        "Class", range(len(names)), key=EXAMPLE_CLASS_KEY, format_func=lambda i: names[i]
    )
    n = min(len(state.classes()[k].examples), own_classes.MAX_EXAMPLES)
    if st.session_state.get(EXAMPLE_INDEX_KEY, 1) > n:
        st.session_state[EXAMPLE_INDEX_KEY] = n
    j = right.number_input("Example number", 1, n, key=EXAMPLE_INDEX_KEY) - 1
    return int(k), int(j)


def _kept(name: str, key: tuple, compute):
    """``compute()`` again only when ``key`` changed (the example or the data): a rerun for
    any other widget reuses this view's figures (the 32 × 32 numbers take 10 ms to build)."""
    memo = st.session_state.setdefault(PREP_MEMO_KEY, {})
    if name not in memo or memo[name][0] != key:
        memo[name] = (key, compute())
    return memo[name][1]


def preparation_view(data: state.TrainingData, k: int, j: int) -> own_classes.Prepared:
    """One example before and after preparation, each stage shown, the input's numbers printed."""
    example = (state.version(), data.input_shape[0], k, j)  # not the split: it changes nothing
    prepared, pictures = _kept("pictures", example, lambda: _pictures(data, k, j))
    S = min(state.classes()[k].examples[j].shape[:2])
    channels = data.input_shape[0]
    cols = st.columns(3, gap="medium")
    with cols[0]:
        widgets.chart(pictures[0])
        st.caption(f"1. The centre square ({S} × {S}, outlined) is kept.")
    with cols[1]:
        widgets.chart(pictures[1])
        st.caption("2. Resized to 32 × 32: each new pixel is the mean of the block it covers.")
    with cols[2]:
        widgets.chart(pictures[2])
        flip = "inverted (255 − value): its border was light" if prepared.inverted else "kept"
        colour = "gray (one channel)" if channels == 1 else "RGB (three channels)"
        st.caption(f"3. Light and dark {flip}; {colour}.")
    _numbers(prepared, channels, example)
    return prepared


def _pictures(data: state.TrainingData, k: int, j: int) -> tuple[own_classes.Prepared, list]:
    image = state.classes()[k].examples[j]
    prepared = own_classes.prepare(image, data.input_shape[0], PREPARE_FROM)
    H, W = image.shape[:2]
    S = min(H, W)
    return prepared, [
        images.image_figure(
            image, title=f"the example ({H} × {W})", height_px=220,
            region=((H - S) // 2, (W - S) // 2, S, S),
        ),
        images.image_figure(prepared.small, title="resized to 32 × 32", height_px=220,
                            lossless=True),
        images.image_figure(prepared.pixels, title="what the network sees", height_px=220,
                            lossless=True),
    ]  # fmt: skip


def _numbers(prepared: own_classes.Prepared, channels: int, example: tuple) -> None:
    plane = prepared.pixels
    name = "gray"
    if channels == 3:
        c = st.segmented_control(
            "Channel", (0, 1, 2), key=PIXEL_CHANNEL_KEY, format_func="RGB".__getitem__,
            default=0, required=True,
        )  # fmt: skip
        plane, name = plane[..., c], "RGB"[c]
    widgets.chart(_kept("numbers", (*example, name), lambda: matrices.matrix_figure(
        plane.astype(np.float32), title=f"{name} values 0–255 of the 32 × 32 input",
        zmin=0, zmax=255, decimals=0,
    )))  # fmt: skip
    r, c_ = np.unravel_index(int(np.argmax(plane)), plane.shape)  # the brightest: a stroke
    value = int(plane[r, c_])
    st.latex(rf"x_{{{r},{c_}}} = \frac{{{value}}}{{255}} = {value / 255:.4f}")
    st.caption(
        f"The brightest value, at row {r} and column {c_}: every value is divided by 255, so "
        "the network's input lies between 0 and 1."
    )


def held_out_view(data: state.TrainingData) -> None:
    """Which examples are held out, per class, as thumbnails."""
    own = data.own
    names = state.names()
    columns = st.columns(len(names), gap="small")
    for k, column in enumerate(columns):
        rows = own.held[own.y[own.held] == k]
        with column:
            st.markdown(f"**{names[k]}**: {len(rows)} held out, "
                        f"{int(np.sum(own.y[own.train] == k))} to train on")  # fmt: skip
            st.image(figures.pictures(own.x[rows]), width=40,
                     caption=[f"#{own.source[i, 1] + 1}" for i in rows])  # fmt: skip


def augmentation_view(data: state.TrainingData, k: int, j: int) -> None:
    """A row of augmented versions of one example, and how many examples an epoch now has."""
    x = own_classes.prepare(state.classes()[k].examples[j], data.input_shape[0], PREPARE_FROM)
    row = augment.augmented_row(x.input, ROW, seed=int(SEED.value))
    st.image(figures.pictures(np.concatenate([x.input[None], row])), width=64,
             caption=["original", *[f"version {i + 1}" for i in range(ROW)]])  # fmt: skip
    n = len(data.own.train)
    st.caption(
        f"{n} training examples × (1 + {data.copies} copies) = {len(data.y_train)} examples in "
        "one pass (an epoch). The held-out examples are never augmented or trained on."
    )
