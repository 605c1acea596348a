"""Lesson 5: max vs average pooling — the same numbers both ways, gradients, real maps."""

import streamlit as st

from cnnviz import quiz
from cnnviz.ops import pool
from cnnviz.ui import page, poolview, state, urlstate, widgets

URL = (
    urlstate.IntParam("seed", state.POOL_SEED, 5, 0, 9999),
    urlstate.IntParam("side", state.POOL_SIDE, 6, 4, 8),
    urlstate.ChoiceParam("values", state.POOL_VALUES, "digits", tuple(poolview.VALUE_RANGES)),
    urlstate.IntParam("size", state.POOL_SIZE, 2, 1, 4),
    urlstate.IntParam("stride", state.POOL_STRIDE, 2, 1, 4),
    poolview.WindowParam(
        "window", state.POOL_PICK, 1, state.POOL_SIDE, state.POOL_SIZE, state.POOL_STRIDE
    ),
    urlstate.IntParam("spot", state.POOL_SPOT, 5, 0, poolview.SPOT_SIDE**2 - 1),
    urlstate.ChoiceParam("image", state.POOL_IMAGE, "chelsea", widgets.image_choices()),
    urlstate.ChoiceParam("map", state.POOL_MAP, "sobel_vertical_edges", poolview.MAPS),
    urlstate.IntParam("times", state.POOL_TIMES, 1, 1, 3),
)

page.setup("Pooling")
st.title("5 · Pooling — max vs average")
st.markdown(page.lesson_text("pooling", "intro"))
st.latex(r"n_{\text{out}} = \left\lfloor \frac{n - k}{s} \right\rfloor + 1")
urlstate.restore(URL)

st.header("Max and average on the same numbers")
st.markdown(page.lesson_text("pooling", "numbers"))
numbers, window = st.columns(2, gap="large")
with numbers:
    side = st.slider("Matrix size", 4, 8, key=state.POOL_SIDE)
    values = st.selectbox(
        "Numbers",
        tuple(poolview.VALUE_RANGES),
        key=state.POOL_VALUES,
        format_func=lambda name: poolview.VALUE_RANGES[name][0],
    )
    seed_box, new_box = st.columns([3, 2], vertical_alignment="bottom")
    seed = seed_box.number_input("Random seed", 0, 9999, step=1, key=state.POOL_SEED)
    new_box.button(
        "New numbers",
        key=state.POOL_NEW,
        icon=":material/casino:",
        on_click=lambda: st.session_state.update(
            {state.POOL_SEED: (st.session_state[state.POOL_SEED] + 1) % 10_000}
        ),
    )
with window:
    size = st.slider("Window k (k × k)", 1, 4, key=state.POOL_SIZE)
    stride = st.slider("Stride s", 1, 4, key=state.POOL_STRIDE)
x = poolview.random_matrix(int(seed), side, values)
found = poolview.matrix_view(x, size, stride, pick_key=state.POOL_PICK, controls=window)

st.subheader("What pooling loses — and keeps")
st.markdown(page.lesson_text("pooling", "loses"))
poolview.spot_view(key=state.POOL_SPOT)

st.header("Backward: where the gradient goes")
st.markdown(page.lesson_text("pooling", "backward"))
poolview.gradient_view(x, size, stride, found)

st.header("Pooling a real picture")
st.markdown(page.lesson_text("pooling", "image"))
source, what = st.columns(2, gap="large")
with source:
    photo = widgets.image_picker(key=state.POOL_IMAGE, upload_key=state.POOL_UPLOAD)
with what:
    map_name = st.selectbox(
        "What to pool", poolview.MAPS, key=state.POOL_MAP, format_func=poolview.map_title
    )
    times = st.select_slider(
        "Pool how many times (2 × 2, stride 2)",
        options=(1, 2, 3),
        key=state.POOL_TIMES,
        format_func=poolview.TIMES_LABELS.get,
    )
real = poolview.image_view(photo, map_name, times)
st.markdown(page.lesson_text("pooling", "depth"))
poolview.depth_view(real)
st.markdown(page.lesson_text("pooling", "global"))
poolview.global_view(real)

widgets.check_yourself(quiz.pooling_questions(x, size, stride, real.shape), key=state.POOL_QUIZ)
widgets.numpy_behind(
    pool.pool2d,
    pool.max_pool_winners,
    pool.avg_pool_sums,
    pool.pool2d_backward,
    pool.pool_repeatedly,
    pool.global_avg_pool,
)
urlstate.sync(URL)
