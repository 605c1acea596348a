"""Lesson 2: a kernel slides over the image; every output cell is a sum of products plus a bias."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import kernel_text
from cnnviz.lessons import convolution as lesson
from cnnviz.ops import conv
from cnnviz.ui import kernel_editor, page, widgets

view = page.lesson("convolution", lesson.SETTINGS)

st.header("Warm-up: two weights sliding along a row")
st.markdown(view.text("warmup"))
lesson.weight_pair_warmup()

st.header("Step by step")
st.markdown(view.text("stepper"))
described = st.empty()  # what the input is, once the learner has picked it below
inputs, options_column = st.columns([1, 1], gap="large")
with inputs:
    photo, image, where = lesson.input_controls()
    kernel = kernel_editor.kernel_editor(lesson.KERNEL_KEY, default_preset=lesson.PRESET.default)
described.markdown(lesson.input_sentence(lesson.SOURCE.value, image.shape, kernel.shape, where))
with options_column:
    options = lesson.option_controls()

st.markdown(view.text("settings"))
trace = lesson.stepper(image, kernel, options)

st.subheader("Correlation or convolution?")
st.markdown(view.text("flip"))
st.markdown(lesson.flip_sentence(kernel))
st.markdown(view.text("why"))

st.header("Colour and depth")
st.markdown(view.text("depth"))
lesson.colour_section(photo, kernel, options.bias)
st.markdown(view.text("stack"))
lesson.filter_stack(photo)

if trace is not None:
    questions = quiz.convolution_questions(trace, lesson.current_step(trace), image.shape)
    widgets.check_yourself(questions, key=lesson.QUIZ_KEY)
widgets.numpy_behind(
    conv.conv_trace,
    conv.correlate2d,
    *([conv.convolve2d] if options.mode == "convolution" else []),
    kernel_text.parse_kernel,
)
view.finish()
