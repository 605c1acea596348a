"""Lesson 4: how stride, padding and dilation decide where the window goes and the output size."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import networks
from cnnviz.ops import conv, shapes
from cnnviz.ui import page, state, strideview, urlstate, widgets

DEFAULT_NET = networks.PRESETS[strideview.DEFAULT_NETWORK]
URL = (
    urlstate.IntParam("h", state.STRIDE_HEIGHT, 7, 1, strideview.MAX_SIDE),
    urlstate.IntParam("w", state.STRIDE_WIDTH, 8, 1, strideview.MAX_SIDE),
    urlstate.IntParam("k", state.STRIDE_KERNEL, 3, 1, strideview.MAX_KERNEL),
    urlstate.IntParam("s", state.STRIDE_STEP_SIZE, 2, 0, strideview.MAX_STRIDE),
    urlstate.ChoiceParam("pad", state.STRIDE_PAD, "0", strideview.PADDINGS),
    urlstate.IntParam("d", state.STRIDE_DILATION, 1, 0, strideview.MAX_DILATION),
    urlstate.ChoiceParam("view", state.STRIDE_VIEW, "step", tuple(strideview.VIEWS)),
    urlstate.IntParam("step", f"{state.STRIDE_PLAYER}_step", 0, 0, 10_000),
    urlstate.TextParam("net", strideview.NET_TEXT, DEFAULT_NET.text, networks.normalised_text),
    urlstate.IntParam("nh", state.STRIDE_NET_HEIGHT, DEFAULT_NET.input_shape[0], 1, 512),
    urlstate.IntParam("nw", state.STRIDE_NET_WIDTH, DEFAULT_NET.input_shape[1], 1, 512),
    urlstate.IntParam("nc", state.STRIDE_NET_DEPTH, DEFAULT_NET.input_shape[2], 1, 512),
)

page.setup("Stride and padding")
st.title("4 · Stride, padding and dilation — the arithmetic")
st.markdown(page.lesson_text("stride", "intro"))
urlstate.restore(URL)
st.latex(r"n_{\text{out}} = \left\lfloor \frac{n + 2p - d\,(k-1) - 1}{s} \right\rfloor + 1")
st.latex(r"\text{the window spans } d\,(k-1)+1 \text{ pixels}")

st.header("Worked examples")
st.markdown(page.lesson_text("stride", "examples"))
strideview.worked_examples()

st.header("Slide the window")
st.markdown(page.lesson_text("stride", "window"))
settings = strideview.controls()
problem = strideview.impossible_reason(settings)
if problem is not None:
    st.warning(problem, icon=":material/block:")
else:
    found = strideview.windows(
        settings.height,
        settings.width,
        settings.kernel,
        settings.stride,
        settings.pad_value,
        settings.dilation,
    )
    strideview.size_formulas(settings, found)
    strideview.window_view(settings, found)

st.header("Padding modes side by side")
st.markdown(page.lesson_text("stride", "padding"))
strideview.padding_modes(settings)

st.header("Network shape calculator")
st.markdown(page.lesson_text("stride", "calculator"))
input_shape, layer_rows = strideview.network_editor()
strideview.network_results(input_shape, layer_rows)

widgets.check_yourself(
    quiz.stride_questions(
        settings.width, settings.kernel, settings.stride, settings.pad_value, settings.dilation
    ),
    key=state.STRIDE_QUIZ,
)
widgets.numpy_behind(
    shapes.output_size,
    shapes.resolve_padding,
    shapes.window_positions,
    conv.correlate2d,
    shapes.layer_table,
)
urlstate.sync(URL)
