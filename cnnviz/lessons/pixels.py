"""Lesson 1, pixels: its settings and views — an image is an (H, W, 3) array of whole numbers
0–255; a region's numbers, one channel at a time, gray from colour, a digit flattened, resizing.

Each view draws one block of the page from the image the learner picked; the maths is in
`cnnviz.ops.pixels`, the figures in `cnnviz.viz.images` and `cnnviz.viz.matrices`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import synthetic
from cnnviz.ops import pixels
from cnnviz.ui import cached, page, settings, widgets
from cnnviz.ui.settings import ChoiceSetting, IntSetting
from cnnviz.viz import images, matrices

DIGITS = {"four": "Our drawn 4", "uci": "A handwritten digit (UCI set)"}
METHODS = tuple(pixels.RESIZE_METHODS)
TWO_THIRDS_PX, HALF_PX = 560, 420  # chart widths on a laptop: numbers print only if they fit
REGION_MAX = 32
"""Largest region side: a 32 × 32 matrix still prints every value."""

# --- settings: each declared once (key, link name, label, default, bounds) ---------------------

IMAGE = widgets.image_setting("pixels_image")
UPLOAD_KEY = "pixels_upload"
SIZE = IntSetting(
    key="pixels_size", url="size", label="Region size (pixels)", default=16, lo=2, hi=REGION_MAX
)
ROW, COL = settings.position_settings(
    "pixels", at=(100, 160), labels=("Region top row", "Region left column")
)
CHANNEL = ChoiceSetting(
    key="pixels_channel", url="channel", label="Channel", default="red",
    choices=pixels.CHANNEL_NAMES, labels=str.capitalize,
)  # fmt: skip
DIGIT = ChoiceSetting(
    key="pixels_digit", url="digit", label="Digit", default="four", choices=tuple(DIGITS),
    labels=DIGITS,
)  # fmt: skip
EXAMPLE = IntSetting(
    key="pixels_digit_index", url="example", label="Example", default=4, lo=0, hi=1796
)
RESIZE = IntSetting(
    key="pixels_resize", url="resize", label="Resize to (pixels per side)", default=28, lo=4,
    hi=128,
)  # fmt: skip
METHOD = ChoiceSetting(
    key="pixels_resize_method", url="method", label="Method", default="area", choices=METHODS,
    labels=str.capitalize,
)  # fmt: skip
SETTINGS = (IMAGE, SIZE, ROW, COL, CHANNEL, DIGIT, EXAMPLE, RESIZE, METHOD)
"""Every setting the link carries, in the order the link writes them."""
QUIZ_KEY = "pixels_quiz"


# --- views ---------------------------------------------------------------------------------------


def region_controls() -> tuple[widgets.PickedImage, tuple[int, int, int]]:
    """Image picker, its shape, the region sliders, and the photo with the region outlined.

    Returns the picked image and the region (row, col, size).
    """
    controls, view = st.columns([1, 2], gap="large")
    with controls:
        picked = widgets.image_picker(IMAGE, upload_key=UPLOAD_KEY)
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
        size = settings.slider(SIZE, hi=min(height, width))
        row = settings.slider(ROW, hi=height - size)
        col = settings.slider(COL, hi=width - size)
    with view:
        widgets.chart(images.image_figure(image, title=picked.label, region=(row, col, size, size)))
    return picked, (row, col, size)


def zoom_view(image: np.ndarray, row: int, col: int, size: int) -> np.ndarray:
    """The region enlarged, and one channel's numbers. Returns the region (size, size, 3)."""
    region = pixels.crop(image, row, col, size, size)
    channel = settings.radio(CHANNEL)
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
    return region


def grayscale_view(image: np.ndarray, region: np.ndarray, row: int, col: int) -> None:
    """The grayscale formula on the region's top-left pixel; the image in colour and in gray."""
    height, width = image.shape[:2]
    r, g, b = (int(v) for v in region[0, 0])
    gray = pixels.grayscale_value(r, g, b)
    st.latex(r"\text{gray} = 0.299\,R + 0.587\,G + 0.114\,B")
    whole = r" \text{ or } ".join(str(v) for v in pixels.grayscale_whole(r, g, b))
    st.latex(  # two lines: one is too wide for a phone
        rf"\begin{{aligned}} &0.299 \cdot {r} + 0.587 \cdot {g} + 0.114 \cdot {b} \\ "
        rf"&= {gray:.3f} \approx {whole} \end{{aligned}}"
    )
    st.caption(f"That is the top-left pixel of your region (row {row}, column {col}).")
    colour_col, gray_col = st.columns(2)
    with colour_col:
        widgets.chart(images.image_figure(image, title=f"Colour: {height} × {width} × 3"))
    with gray_col:
        widgets.chart(
            images.image_figure(
                pixels.to_grayscale(image), title=f"Grayscale: {height} × {width} × 1"
            )
        )


def digit_view() -> tuple[np.ndarray, str]:
    """The drawn 4 or a UCI digit on its 8 × 8 grid, then flattened to 1 × 64.

    Returns the digit (8, 8) and its label, e.g. "4".
    """
    if settings.radio(DIGIT) == "uci":
        digit_set = cached.digits_set()
        index = settings.slider(EXAMPLE, hi=len(digit_set.labels) - 1)
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
    # Inline code, not st.code: a code block makes the browser load a 1.5 MB highlighter.
    st.markdown(f"`{flat[0].tolist()}`")
    return digit, label


def resize_view(image: np.ndarray) -> int:
    """The image resized to a square of the learner's side and method; returns the side."""
    side = settings.slider(RESIZE)
    method = settings.radio(METHOD)
    resized = pixels.resize(image, side, side, method)
    small_col, values_col = st.columns([1, 1], gap="large")
    with small_col:
        widgets.chart(
            images.image_figure(
                resized,
                title=f"{side} × {side} × 3 = {resized.size:,} numbers (was {image.size:,})",
            )
        )
    with values_col:
        values = pixels.to_grayscale(resized)
        title = "Its grayscale values"
        widgets.chart(
            matrices.matrix_figure(values, title=title, zmin=0, zmax=255, width_px=HALF_PX)
        )
    return side
