"""Lesson 1: an image is an array of numbers — height × width × channels, each 0–255."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import synthetic
from cnnviz.ops import pixels
from cnnviz.ui import cached, page, state, urlstate, widgets
from cnnviz.viz import images, matrices

DIGITS = {"four": "Our drawn 4", "uci": "A handwritten digit (UCI set)"}
METHODS = tuple(pixels.RESIZE_METHODS)
TWO_THIRDS_PX, HALF_PX = 560, 420  # chart widths on a laptop: numbers print only if they fit
URL = (
    urlstate.ChoiceParam(
        "image", state.PIXELS_IMAGE, widgets.image_choices()[0], widgets.image_choices()
    ),
    urlstate.IntParam("size", state.PIXELS_SIZE, 16, 2, 32),
    urlstate.IntParam("row", state.PIXELS_ROW, 100, 0, 4096),
    urlstate.IntParam("col", state.PIXELS_COL, 160, 0, 4096),
    urlstate.ChoiceParam("channel", state.PIXELS_CHANNEL, "red", pixels.CHANNEL_NAMES),
    urlstate.ChoiceParam("digit", state.PIXELS_DIGIT, "four", tuple(DIGITS)),
    urlstate.IntParam("example", state.PIXELS_DIGIT_INDEX, 4, 0, 1796),
    urlstate.IntParam("resize", state.PIXELS_RESIZE, 28, 4, 128),
    urlstate.ChoiceParam("method", state.PIXELS_RESIZE_METHOD, "area", METHODS),
)

page.setup("Pixels")
st.title("1 · Pixels — what a computer sees")
st.markdown(page.lesson_text("pixels", "intro"))
urlstate.restore(URL)

controls, view = st.columns([1, 2], gap="large")
with controls:
    picked = widgets.image_picker(key=state.PIXELS_IMAGE, upload_key=state.PIXELS_UPLOAD)
    image = picked.pixels
    height, width = image.shape[:2]
    st.markdown(
        f"Shape **{height} × {width} × 3** = **{image.size:,}** numbers, "
        f"each a whole number from 0 to 255 (`{image.dtype}`)."
    )
    if pixels.is_grayscale(image):
        st.caption(
            page.lesson_text("pixels", "gray_sample").format(
                f"{height} × {width} × 1 = {height * width:,} numbers"
            )
        )
    size = widgets.bounded_slider(
        "Region size (pixels)", key=state.PIXELS_SIZE, lo=2, hi=min(32, height, width)
    )
    row = widgets.bounded_slider("Region top row", key=state.PIXELS_ROW, lo=0, hi=height - size)
    col = widgets.bounded_slider("Region left column", key=state.PIXELS_COL, lo=0, hi=width - size)
with view:
    widgets.chart(images.image_figure(image, title=picked.label, region=(row, col, size, size)))

st.header("Zoom in and read the numbers")
st.markdown(page.lesson_text("pixels", "zoom"))
region = pixels.crop(image, row, col, size, size)
channel = st.radio(
    "Channel",
    pixels.CHANNEL_NAMES,
    key=state.PIXELS_CHANNEL,
    horizontal=True,
    format_func=str.capitalize,
)
zoomed, numbers = st.columns([1, 2], gap="large")
with zoomed:
    widgets.chart(images.image_figure(region, title="The region, enlarged"))
with numbers:
    span = f"rows {row}–{row + size - 1}, columns {col}–{col + size - 1}"
    widgets.chart(
        matrices.matrix_figure(
            pixels.channel(region, channel),
            zmin=0,
            zmax=255,
            title=f"{channel.capitalize()} values ({span})",
            colorscale=channel,
            origin=(row, col),
            width_px=TWO_THIRDS_PX,
        )
    )

st.header("From colour to grayscale")
st.markdown(page.lesson_text("pixels", "grayscale"))
r, g, b = (int(v) for v in region[0, 0])
gray = pixels.grayscale_value(r, g, b)
st.latex(r"\text{gray} = 0.299\,R + 0.587\,G + 0.114\,B")
whole = r" \text{ or } ".join(str(v) for v in pixels.grayscale_whole(r, g, b))
st.latex(rf"0.299 \cdot {r} + 0.587 \cdot {g} + 0.114 \cdot {b} = {gray:.3f} \approx {whole}")
st.caption(f"That is the top-left pixel of your region (row {row}, column {col}).")
colour_col, gray_col = st.columns(2)
with colour_col:
    widgets.chart(images.image_figure(image, title=f"Colour: {height} × {width} × 3"))
with gray_col:
    widgets.chart(
        images.image_figure(pixels.to_grayscale(image), title=f"Grayscale: {height} × {width} × 1")
    )

st.header("A digit as numbers — then flattened")
st.markdown(page.lesson_text("pixels", "digit"))
digit_kind = st.radio(
    "Digit", tuple(DIGITS), key=state.PIXELS_DIGIT, horizontal=True, format_func=DIGITS.get
)
if digit_kind == "uci":
    digit_set = cached.digits_set()
    index = widgets.bounded_slider(
        "Example", key=state.PIXELS_DIGIT_INDEX, lo=0, hi=len(digit_set.labels) - 1
    )
    digit, ink_max, label = digit_set.images[index], 16, str(digit_set.labels[index])
    st.caption(f"Example {index} is labelled **{label}**. {page.lesson_text('pixels', 'uci')}")
else:
    digit, ink_max, label = synthetic.digit_four(), 255, "4"
flat = digit.reshape(1, -1)  # (8, 8) -> (1, 64): row after row
grid_col, _ = st.columns([1, 1])
with grid_col:
    grid_title = f"A {label} on an 8 × 8 grid"
    widgets.chart(matrices.matrix_figure(digit, title=grid_title, zmin=0, zmax=ink_max))
flat_title = f"Flattened: 1 × 64 — where is the {label}?"  # cells too small: hover for numbers
flat_figure = matrices.matrix_figure(flat, title=flat_title, zmin=0, zmax=ink_max, cell_px=13)
widgets.chart(flat_figure)
st.code(str(flat[0].tolist()), language=None, wrap_lines=True)

st.header("Resizing: one size for every input")
st.markdown(page.lesson_text("pixels", "resize"))
side = widgets.bounded_slider("Resize to (pixels per side)", key=state.PIXELS_RESIZE, lo=4, hi=128)
method = st.radio(
    "Method", METHODS, key=state.PIXELS_RESIZE_METHOD, horizontal=True, format_func=str.capitalize
)
resized = pixels.resize(image, side, side, method)
small_col, values_col = st.columns([1, 1], gap="large")
with small_col:
    widgets.chart(
        images.image_figure(
            resized, title=f"{side} × {side} × 3 = {resized.size:,} numbers (was {image.size:,})"
        )
    )
with values_col:
    values = pixels.to_grayscale(resized)
    title = "Its grayscale values"
    widgets.chart(matrices.matrix_figure(values, title=title, zmin=0, zmax=255, width_px=HALF_PX))

widgets.check_yourself(quiz.pixels_questions(region, digit, label, side), key=state.PIXELS_QUIZ)
widgets.numpy_behind(pixels.crop, pixels.channel, pixels.to_grayscale, pixels.resize)
urlstate.sync(URL)
