"""Step by step: the input (the classic example or a photo crop), the options, the trace the
player replays, one step's arithmetic, the output-size formulas, correlation or convolution.

Correlation's numbers come from `conv.conv_trace`; convolution's output from `conv.convolve2d`
(the function the page shows), its steps replayed with the kernel turned 180°.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from cnnviz.data import synthetic
from cnnviz.lessons.convolution.settings import (
    BIAS,
    COL,
    CROP,
    DILATION,
    IMAGE,
    MODE,
    OUTPUT_CHART_KEY,
    OUTPUT_TAPS_KEY,
    PAD,
    PLAYER_KEY,
    ROW,
    SOURCE,
    STEP,
    STRIDE,
    UPLOAD_KEY,
    Options,
)
from cnnviz.ops import conv, pixels, shapes
from cnnviz.ui import cached, player, widgets
from cnnviz.ui import settings as kit
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import formulas
from cnnviz.viz.matrices import decimals_needed
from cnnviz.viz.output_cells import SELECTION, output_cells_spec


def input_controls() -> tuple[widgets.PickedImage, np.ndarray, str]:
    """The input choice, and for a photo its picker and crop.

    Returns the photo (the cat unless a photo is picked), the stepper's input (H, W) and, for a
    crop, where it comes from ("row 104, column 160 of Chelsea the cat"; "" for the example).
    """
    if kit.radio(SOURCE) != "photo":
        cat = widgets.PickedImage(cached.sample_image("chelsea"), "the cat")
        return cat, synthetic.binary_example(), ""
    photo = widgets.image_picker(IMAGE, upload_key=UPLOAD_KEY)
    crop = widgets.crop_picker(photo.pixels, size=CROP, row=ROW, col=COL)
    image = pixels.channel(pixels.crop(photo.pixels, *crop), "gray")
    return photo, image, f"row {crop[0]}, column {crop[1]} of {photo.label}"


def option_controls() -> Options:
    """Bias, stride, padding, dilation and the operation (correlation or convolution)."""
    return Options(
        bias=kit.number(BIAS),
        stride=kit.slider(STRIDE),
        pad=kit.select(PAD),
        dilation=kit.slider(DILATION),
        mode=kit.radio(MODE, horizontal=False),
    )


@st.cache_data(max_entries=64, show_spinner=False)
def convolved(
    image: np.ndarray, kernel: np.ndarray, stride: int, pad: int | str, dilation: int
) -> np.ndarray:
    """`cnnviz.ops.conv.convolve2d`: (H, W) image, (KH, KW) kernel -> (H_out, W_out)."""
    return conv.convolve2d(image, kernel, stride, pad, dilation)


def stepper_trace(image: np.ndarray, kernel: np.ndarray, options: Options) -> conv.ConvTrace:
    """The trace the player replays; `shapes.ShapeError` if the window does not fit.

    image : (H, W).  kernel : (KH, KW), as the learner typed it.
    Correlation: `conv.conv_trace` computes every number. Convolution: `conv.convolve2d`
    computes the output, and the trace replays its arithmetic — each window times the kernel
    turned 180°, the weights convolve2d slides.
    """
    o = options
    if o.mode == "correlation":
        return cached.conv_trace(image, kernel, o.stride, o.padding, o.dilation, o.bias)
    turned = kernel[::-1, ::-1]  # what convolve2d lays on each window, shown in the stepper
    replay = cached.conv_trace(image, turned, o.stride, o.padding, o.dilation, o.bias)
    output = convolved(image, kernel, o.stride, o.padding, o.dilation) + o.bias
    output.setflags(write=False)  # the trace is a read-only record
    return dataclasses.replace(replay, output=output)


def stepper(image: np.ndarray, kernel: np.ndarray, options: Options) -> conv.ConvTrace | None:
    """The output-size formulas and the step player; a warning (and None) if nothing fits."""
    try:
        trace = stepper_trace(image, kernel, options)
        size_formulas(image.shape, kernel.shape, options.stride, options.padding, options.dilation)
    except shapes.ShapeError as error:
        st.warning(f"These settings do not work: {error}", icon=":material/block:")
        return None
    player.step_player(
        trace.n_steps, key=PLAYER_KEY, draw=lambda step: step_view(trace, step), url_param=STEP.url
    )
    return trace


def current_step(trace: conv.ConvTrace) -> int:
    """The step the player shows (0-based)."""
    return player.current_step(PLAYER_KEY, trace.n_steps)


def step_view(trace: conv.ConvTrace, step: int) -> None:
    """Input with the window, kernel, output so far, and the arithmetic of ``step``.

    trace : a 2-D (one-channel) trace. Clicking an output cell jumps the player there.
    """
    current = trace.step(step)
    H_out, W_out = trace.output.shape
    left, middle, right = st.columns([5, 3, 4], gap="medium")
    with left:
        widgets.chart(
            cached.figure(
                conv_figures.padded_input_figure,
                trace.padded,
                trace.pad_rows,
                trace.pad_cols,
                rows=current.rows,
                cols=current.cols,
                title=f"Input {_shape_text(trace.padded.shape)}"
                + (" with zero padding" if any(trace.pad_rows + trace.pad_cols) else ""),
            )
        )
    with middle:
        widgets.chart(cached.figure(conv_figures.kernel_figure, trace.kernel, title="Kernel"))
        st.markdown(f"bias **{formulas.text_number(trace.bias)}**")
    with right:
        output_cells(trace, step)
    st.markdown(
        f"**Step {step + 1} of {trace.n_steps}** — output row {current.out_row}, column "
        f"{current.out_col}: multiply each number under the window by the weight on top of it, "
        "add the products, add the bias:"
    )
    st.latex(formulas.step_latex(current.patch, trace.kernel, trace.bias, current.value))


def output_cells(trace: conv.ConvTrace, step: int) -> None:
    """The output filled up to ``step``; clicking or tapping a cell jumps to its step.

    A Vega-Lite chart, not plotly: on a touch screen plotly reports the *previously* tapped
    cell (see `cnnviz.viz.output_cells`). The chart keeps its key while the player plays (a
    tap between two ticks still counts) and takes a new one after each tap, so its selection
    starts empty and the same cell can be tapped again later.
    """
    H_out, W_out = trace.output.shape
    spec = output_cells_spec(
        trace.output,
        filled=step + 1,
        title=f"Output {H_out} × {W_out} — click a cell",
        decimals=decimals_needed(trace.output),
    )
    key = f"{OUTPUT_CHART_KEY}_{st.session_state.get(OUTPUT_TAPS_KEY, 0)}"
    widgets.live_chart(
        spec,
        key=key,
        on_select=lambda: _clicked(trace, key),
        selection_mode=SELECTION,
        width="content",
    )


def _clicked(trace: conv.ConvTrace, key: str) -> None:
    """Jump to the step that produced the clicked output cell."""
    cells = st.session_state[key].selection.get(SELECTION) or []
    if not cells:
        return
    taps = st.session_state.get(OUTPUT_TAPS_KEY, 0)
    st.session_state[OUTPUT_TAPS_KEY] = taps + 1  # the next run draws a fresh chart
    row, col = int(cells[0]["row"]), int(cells[0]["col"])
    H_out, W_out = trace.output.shape
    if 0 <= row < H_out and 0 <= col < W_out:
        player.jump_to(PLAYER_KEY, trace.step_of_cell(row, col), trace.n_steps)


def _shape_text(shape: tuple[int, ...]) -> str:
    return " × ".join(str(n) for n in shape)


def size_formulas(
    image_shape: tuple[int, int],
    kernel_shape: tuple[int, int],
    stride: int,
    pad: int | str,
    dilation: int,
) -> None:
    """The output-size formula for height and width with the current numbers substituted.

    Side by side on a laptop, one under the other on a phone; each broken over three lines
    so the result is never cut off.
    """
    columns = st.columns(2, gap="large")
    for column, axis, n, k in zip(columns, ("H", "W"), image_shape, kernel_shape, strict=True):
        before_after = shapes.resolve_padding(n, k, stride, pad, dilation)
        column.latex(
            conv_figures.output_size_lines_latex(n, k, stride, before_after, dilation, name=axis)
        )


def input_sentence(
    source: str, image_shape: tuple[int, int], kernel_shape: tuple[int, int], where: str
) -> str:
    """One sentence saying what the stepper below works on: the classic example or a crop.

    source : "example" or "photo".  where : for a crop, e.g. "row 104, column 160 of the cat".
    """
    H, W = image_shape
    KH, KW = kernel_shape
    kernel = f"{_article(KH)} {KH}×{KW} kernel"
    if source == "example":
        return (
            f"Below is the classic example: {_article(H)} {H}×{W} black-and-white image "
            f"(1 = ink) and {kernel}."
        )
    return (
        f"Below is {_article(H)} {H}×{W} crop of the photo (its gray values, 0–255, from "
        f"{where}) and {kernel}."
    )


def _article(n: int) -> str:
    """ "a" or "an" before a number read aloud: an 8, an 11, an 18, a 5."""
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def flip_sentence(kernel: np.ndarray) -> str:
    """Whether flipping changes *this* kernel, in one sentence. kernel : (KH, KW)."""
    if np.array_equal(kernel, kernel[::-1, ::-1]):
        return (
            "**Your kernel is unchanged by a 180° rotation**, so for it correlation and "
            "convolution give exactly the same output."
        )
    return (
        "**Your kernel changes under a 180° rotation**, so correlation and convolution give "
        "different outputs — switch *Operation* above and watch the kernel and output change."
    )
