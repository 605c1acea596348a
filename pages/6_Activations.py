"""Lesson 6: activation functions bend each value; softmax turns scores into probabilities."""

import streamlit as st

from cnnviz import quiz
from cnnviz.lessons import activations as lesson
from cnnviz.ops import activations, conv
from cnnviz.ui import page, widgets

view = page.lesson("activations", lesson.SETTINGS)

st.header("Four activation functions")
st.markdown(view.text("curves"))
name, x, slope = lesson.curve_controls()
title = lesson.TITLES[name]
lesson.curves_section(name, x, slope)

st.header("On a real feature map")
st.markdown(view.text("featuremap"))
before = lesson.feature_map(*lesson.map_controls())
after = lesson.activated(name, before, slope)
window = row, col, size, _ = lesson.crop_controls(before.shape)
lesson.map_pair(before, after, title, window=window)
lesson.map_summary(before, after, title)
st.subheader("The orange square, in numbers")
st.markdown(view.text("crop"))
crop_before = before[row : row + size, col : col + size]
lesson.map_pair(crop_before, after[row : row + size, col : col + size], title, height_px=420)

st.header("Softmax: scores to probabilities")
st.markdown(view.text("softmax"))
st.latex(r"p_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}")
st.markdown(view.text("temperature"))
scores_text, temperature = lesson.softmax_controls()
result = lesson.read_scores(scores_text, temperature)
if result is not None:
    lesson.softmax_view(result)
    st.markdown(view.text("stable"))
    lesson.steps_table(result.steps)

widgets.check_yourself(
    quiz.activation_questions(
        crop_before, name, title, slope, None if result is None else result.scores, temperature
    ),
    key=lesson.QUIZ_KEY,
)
widgets.numpy_behind(
    activations.activate,
    getattr(activations, name),
    activations.softmax,
    activations.softmax_steps,
    conv.correlate2d,
)
view.finish()
