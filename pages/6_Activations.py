"""Lesson 6: activation functions bend each value; softmax turns scores into probabilities."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import kernels, samples
from cnnviz.ops import activations, conv
from cnnviz.ui import activationview as view
from cnnviz.ui import page, state, urlstate, widgets

URL = (
    urlstate.ChoiceParam("fn", state.ACT_FUNCTION, "relu", tuple(view.TITLES)),
    urlstate.FloatParam("x", state.ACT_X, -1.5, -6.0, 6.0),
    urlstate.FloatParam("slope", state.ACT_SLOPE, 0.1, 0.0, 0.5),
    urlstate.ChoiceParam("image", state.ACT_IMAGE, "chelsea", tuple(samples.sample_names())),
    urlstate.ChoiceParam(
        "kernel", state.ACT_KERNEL, "sobel_vertical_edges", tuple(kernels.PRESETS)
    ),
    urlstate.IntParam("crop", state.ACT_CROP_SIZE, 8, 4, 16),
    urlstate.IntParam("row", state.ACT_CROP_ROW, 27, 0, 4096),
    urlstate.IntParam("col", state.ACT_CROP_COL, 46, 0, 4096),
    urlstate.TextParam("scores", state.ACT_SCORES, view.DEFAULT_SCORES, view.normalised_scores),
    urlstate.FloatParam("T", state.ACT_TEMPERATURE, 1.0, 0.1, 10.0),
)

page.setup("Activations and softmax")
st.title("6 · Activations and softmax")
st.markdown(page.lesson_text("activations", "intro"))
urlstate.restore(URL)

st.header("Four activation functions")
st.markdown(page.lesson_text("activations", "curves"))
name = st.radio(
    "Activation", tuple(view.TITLES), key=state.ACT_FUNCTION, format_func=view.TITLES.get,
    horizontal=True,
)  # fmt: skip
point, leak = st.columns(2, gap="large")
x = point.slider("x", -6.0, 6.0, step=0.1, key=state.ACT_X)
slope = leak.slider(
    "Leaky ReLU slope a", 0.0, 0.5, step=0.01, key=state.ACT_SLOPE,
    disabled=name != "leaky_relu", help="Only leaky ReLU uses it: f(x) = a·x for x ≤ 0.",
)  # fmt: skip
title = view.TITLES[name]
view.curves_section(name, x, slope)

st.header("On a real feature map")
st.markdown(page.lesson_text("activations", "featuremap"))
photo, kernel_col = st.columns(2, gap="large")
image_name = photo.selectbox(
    "Photo", samples.sample_names(), key=state.ACT_IMAGE,
    format_func=lambda n: samples.SAMPLES[n].title,
)  # fmt: skip
preset = kernel_col.selectbox(
    "Filter (from lesson 3)", tuple(kernels.PRESETS), key=state.ACT_KERNEL,
    format_func=lambda n: kernels.PRESETS[n].title,
)  # fmt: skip
kernel_col.caption(kernels.PRESETS[preset].explanation)
before = view.feature_map(image_name, preset)
after = view.activated(name, before, slope)
H, W = before.shape
size_col, row_col, col_col = st.columns(3, gap="large")
with size_col:
    size = widgets.bounded_slider(
        "Crop size", key=state.ACT_CROP_SIZE, lo=min(4, H, W), hi=min(16, H, W)
    )
with row_col:
    row = widgets.bounded_slider("Crop top row", key=state.ACT_CROP_ROW, lo=0, hi=H - size)
with col_col:
    col = widgets.bounded_slider("Crop left column", key=state.ACT_CROP_COL, lo=0, hi=W - size)
window = (row, col, size, size)
view.map_pair(before, after, title, window=window)
view.map_summary(before, after, title)
st.subheader("The orange square, in numbers")
st.markdown(page.lesson_text("activations", "crop"))
crop_before = before[row : row + size, col : col + size]
view.map_pair(crop_before, after[row : row + size, col : col + size], title, height_px=420)

st.header("Softmax: scores to probabilities")
st.markdown(page.lesson_text("activations", "softmax"))
st.latex(r"p_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}")
st.markdown(page.lesson_text("activations", "temperature"))
typed, heat = st.columns([3, 2], gap="large")
scores_text = typed.text_input(
    "Scores (logits), 2 to 10 numbers separated by commas", key=state.ACT_SCORES
)
temperature = heat.slider("Temperature T", 0.1, 10.0, step=0.1, key=state.ACT_TEMPERATURE)
for column, (label, text) in zip(
    st.columns(len(view.EXAMPLES)), view.EXAMPLES.items(), strict=True
):
    column.button(label, on_click=view.set_scores, args=(state.ACT_SCORES, text), width="stretch")
result = view.read_scores(scores_text, temperature)
if result is not None:
    view.softmax_view(result)
    st.markdown(page.lesson_text("activations", "stable"))
    view.steps_table(result.steps)

widgets.check_yourself(
    quiz.activation_questions(
        crop_before, name, title, slope, None if result is None else result.scores, temperature
    ),
    key=state.ACT_QUIZ,
)
widgets.numpy_behind(
    activations.activate,
    getattr(activations, name),
    activations.softmax,
    activations.softmax_steps,
    conv.correlate2d,
)
urlstate.sync(view.link_params(URL))
