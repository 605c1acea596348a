"""Lesson 5: max vs average pooling — the same numbers both ways, gradients, real maps."""

import streamlit as st

from cnnviz import quiz
from cnnviz.lessons import pooling as lesson
from cnnviz.ops import pool
from cnnviz.ui import page, settings, widgets

view = page.lesson("pooling", lesson.SETTINGS)
st.latex(r"n_{\text{out}} = \left\lfloor \frac{n - k}{s} \right\rfloor + 1")

st.header("Max and average on the same numbers")
st.markdown(view.text("numbers"))
x, size, stride, window_column = lesson.numbers_controls()
found = lesson.matrix_view(x, size, stride, controls=window_column)

st.subheader("What pooling loses — and keeps")
st.markdown(view.text("loses"))
lesson.spot_view()

st.header("Backward: where the gradient goes")
st.markdown(view.text("backward"))
lesson.gradient_view(x, size, stride, found)

st.header("Pooling a real picture")
st.markdown(view.text("image"))
source, what = st.columns(2, gap="large")
with source:
    photo = widgets.image_picker(lesson.IMAGE, upload_key=lesson.UPLOAD_KEY)
map_name = settings.select(lesson.MAP, container=what)
times = settings.select_slider(lesson.TIMES, container=what)
real = lesson.image_view(photo, map_name, times)
st.markdown(view.text("depth"))
lesson.depth_view(real)
st.markdown(view.text("global"))
lesson.global_view(real)

widgets.check_yourself(quiz.pooling_questions(x, size, stride, real.shape), key=lesson.QUIZ_KEY)
widgets.numpy_behind(
    pool.pool2d,
    pool.max_pool_winners,
    pool.avg_pool_sums,
    pool.pool2d_backward,
    pool.pool_repeatedly,
    pool.global_avg_pool,
)
view.finish()
