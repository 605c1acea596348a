"""Lesson 1: an image is an array of numbers — height × width × channels, each 0–255."""

import streamlit as st

from cnnviz import quiz
from cnnviz.lessons import pixels as lesson
from cnnviz.ops import pixels
from cnnviz.ui import page, widgets

view = page.lesson("pixels", lesson.SETTINGS)
picked, (row, col, size) = lesson.region_controls()

st.header("Zoom in and read the numbers")
st.markdown(view.text("zoom"))
region = lesson.zoom_view(picked.pixels, row, col, size)

st.header("From colour to grayscale")
st.markdown(view.text("grayscale"))
lesson.grayscale_view(picked.pixels, region, row, col)

st.header("A digit as numbers — then flattened")
st.markdown(view.text("digit"))
digit, label = lesson.digit_view()

st.header("Resizing: one size for every input")
st.markdown(view.text("resize"))
side = lesson.resize_view(picked.pixels)

widgets.check_yourself(quiz.pixels_questions(region, digit, label, side), key=lesson.QUIZ_KEY)
widgets.numpy_behind(pixels.crop, pixels.channel, pixels.to_grayscale, pixels.resize)
view.finish()
