"""View 5, what a filter wants: gradient ascent from grey, the filter's weights, and the test
images that excite it most (`cnnviz.explain.filter_wants`).

Only the chosen filter is computed (a few ms), cached by the network's fingerprint so that
moving other controls costs nothing; the top examples scan the whole test set once per filter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from cnnviz.explain import filter_wants as fw
from cnnviz.lessons.what_it_looks_at.choose import Network, Subject, picture
from cnnviz.lessons.what_it_looks_at.controls import choice_among
from cnnviz.lessons.what_it_looks_at.settings import FILTER, FILTER_LAYER, WHERE
from cnnviz.numbers import text_number
from cnnviz.ui import settings, widgets
from cnnviz.viz import train_a_cnn as maps
from cnnviz.viz import what_it_looks_at as figures

TOP = 6


@st.cache_data(max_entries=64, ttl=900, show_spinner=False)
def wanted(_network: Network, fingerprint: str, layer: str, index: int, where: str):
    """`filter_wants` for one unit, and its `top_examples` on the test set (cached per weights)."""
    model = _network.model
    result = fw.filter_wants(model, layer, index, where=where if layer != "dense" else "mean")
    top = fw.top_examples(model, _network.data.x_test, layer, index, k=TOP)
    return result, top


def filter_view(subject: Subject) -> list[Callable]:
    """Choose a filter (or a class); the input it wants beside its weights and top examples."""
    network = subject.network
    config = network.model.config
    layers = (*(f"conv{i}" for i in range(1, config.n_blocks + 1)), "dense")
    layer_col, index_col, where_col = st.columns(3)
    layer = choice_among(FILTER_LAYER, layers, fallback="conv1", container=layer_col)
    count = config.n_classes if layer == "dense" else config.filters[int(layer[4:]) - 1]
    index = settings.slider(FILTER, hi=count - 1, container=index_col)
    where = settings.radio(WHERE, container=where_col) if layer != "dense" else "mean"
    result, (top, scores) = wanted(network, network.fingerprint, layer, index, where)
    image = picture(result.images[0])
    what = network.class_names[index] if layer == "dense" else f"filter {index} of {layer}"
    objective = result.objective[:, 0]
    left, right = st.columns(2, gap="large")
    with left:
        widgets.chart(figures.input_figure(image, title=f"The input {what} wants"))
        st.caption(
            f"From grey (0.5), {result.steps} steps uphill: the objective went from "
            f"{text_number(float(objective[0]), 3)} to {text_number(float(objective[-1]), 3)}."
        )
    with right:
        _weights(network, layer, index)
    names = network.class_names
    captions = [f"#{i} ({names[network.data.y_test[i]]})" for i in top]
    title = f"The {len(top)} test images that excite it most"
    if network.data.x_test.shape[1] == 3:
        _colour_row(network.data.x_test[top], title, captions)
    else:
        _ink_row(network.data.x_test[top, 0], title, captions)
    what_score = "logit" if layer == "dense" else "mean of the filter's map before ReLU"
    scored = ", ".join(text_number(float(s), 2) for s in scores)
    st.caption(f"Their scores ({what_score}): {scored}.")
    return [fw.filter_wants, fw.unit_objective, fw.top_examples]


def _colour_row(images: np.ndarray, title: str, captions: list[str]) -> None:
    """RGB examples (N, 3, H, W) in 0..1 side by side, each with its caption."""
    st.markdown(f"**{title}**")
    pixels = [np.round(255 * np.clip(x, 0, 1)).astype(np.uint8).transpose(1, 2, 0) for x in images]
    st.image(pixels, caption=captions, width=80)


def _ink_row(images: np.ndarray, title: str, captions: list[str]) -> None:
    """Gray examples (N, H, W) in 0..1 as one mosaic."""
    widgets.chart(
        maps.mosaic_figure(
            images,
            title=title,
            captions=captions,
            columns=TOP,
            colorscale=maps.INK,
            symmetric=False,
            zmin=0,
            zmax=1,
            map_name="image",
            printed=False,
        )  # fmt: skip
    )


def _weights(network: Network, layer: str, index: int) -> None:
    """The weights the chosen unit multiplies its input by."""
    params = network.model.params
    if layer == "dense":
        C, h, w = network.model.config.block_shapes()[-1]
        weights = params["dense.w"][:, index].reshape(C, h, w)  # flatten order is (C, h, w)
        title = f"dense weights of class {network.class_names[index]} ({C} maps)"
    else:
        weights = params[f"{layer}.w"][index]  # (C_in, k, k)
        k = weights.shape[-1]
        title = f"{layer} filter {index}: {weights.shape[0]} × {k} × {k} weights"
    widgets.chart(
        maps.mosaic_figure(np.asarray(weights), title=title, map_name="channel", width_px=400)
    )
    st.caption(
        "For conv1 the wanted input (centre unit) is the filter's own pattern: a linear filter "
        "responds most to an input shaped like its weights — lesson 3's hand-made filters, "
        "found here by the network itself."
        if layer == "conv1"
        else "Deeper units combine the maps below them, so their wanted inputs are larger and "
        "harder to read from the weights alone."
    )
