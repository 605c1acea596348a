"""Lesson 3: hand-made filters on any photo, with the raw numbers shown honestly."""

import streamlit as st

from cnnviz import quiz
from cnnviz.lessons import filter_playground as lesson
from cnnviz.ops import conv, filtering
from cnnviz.ui import page, widgets

view = page.lesson("filter_playground", lesson.SETTINGS)
photo, kernel, mode, mix = lesson.controls()
st.markdown(view.text("modes"))

st.header("The result, three honest ways")
st.markdown(view.text("truth"))
raw, channel = lesson.result_views(photo.pixels, kernel, mode, mix)
lesson.opencv_check(photo.pixels, kernel, mode, mix)
lesson.download(raw, mode)

st.header("Inspect one pixel")
st.markdown(view.text("inspect"))
step = lesson.pixel_inspector(photo.pixels, kernel, raw, mode, mix, channel=channel)
st.markdown(view.text("tieback"))

widgets.check_yourself(
    quiz.filter_playground_questions(
        kernel, step.value, filtering.range_summary(raw), mode=mode, mix=mix, channel=channel
    ),
    key=lesson.QUIZ_KEY,
)
widgets.numpy_behind(
    filtering.filter_photo,
    conv.correlate_per_channel if mode == "per_channel" else conv.correlate2d,
    filtering.filter_photo_opencv,
)
view.finish()
