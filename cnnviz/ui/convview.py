"""Lesson 2's views: one convolution step, the weight-pair warm-up, a colour step, a filter stack.

Each function draws one block of the page from arrays the page already computed; the maths is
in `cnnviz.ops`, the figures in `cnnviz.viz`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import kernels
from cnnviz.ops import conv, pixels, shapes
from cnnviz.ui import cached, player, widgets
from cnnviz.viz import conv as conv_figures
from cnnviz.viz import formulas, matrices

WARMUP_CELL_PX = 34
"""Warm-up maps share a row three ways: cells (and printed values) sized for a laptop column."""


def step_view(trace: conv.ConvTrace, step: int, *, player_key: str, chart_key: str) -> None:
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
        st.plotly_chart(
            cached.figure(
                conv_figures.output_figure,
                trace.output,
                filled=step + 1,
                title=f"Output {H_out} × {W_out} — click a cell",
                clickable=True,
            ),
            key=chart_key,
            on_select=lambda: _clicked(chart_key, player_key, trace),
            selection_mode="points",
            config=widgets.CHART_CONFIG,
        )
    st.markdown(
        f"**Step {step + 1} of {trace.n_steps}** — output row {current.out_row}, column "
        f"{current.out_col}: multiply each number under the window by the weight on top of it, "
        "add the products, add the bias:"
    )
    st.latex(formulas.step_latex(current.patch, trace.kernel, trace.bias, current.value))


def _clicked(chart_key: str, player_key: str, trace: conv.ConvTrace) -> None:
    """Jump to the step that produced the clicked output cell."""
    points = st.session_state[chart_key].selection.points
    if not points:
        return
    point = points[0]
    row, col = round(float(point["y"])), round(float(point["x"]))
    H_out, W_out = trace.output.shape
    if 0 <= row < H_out and 0 <= col < W_out:
        player.jump_to(player_key, trace.step_of_cell(row, col), trace.n_steps)


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


def weight_pair_warmup(
    digit: np.ndarray,
    pairs: dict[str, tuple[float, float]],
    keys: dict[str, tuple[str, str]],
    kernel_2d: np.ndarray,
) -> None:
    """Slide each named 1×2 weight pair along the digit's rows; then one 2-D kernel.

    digit : (8, 8) uint8.  pairs : name -> default (w1, w2), editable by the learner.
    keys : name -> the session keys of that pair's two number inputs.
    kernel_2d : (2, 2) weights that see what no pair can (changes from top to bottom).
    """
    columns = st.columns(len(pairs) + 1, gap="medium")
    with columns[0]:
        widgets.chart(
            cached.figure(
                matrices.matrix_figure,
                digit,
                title="The digit (8 × 8)",
                zmin=0,
                zmax=255,
                cell_px=WARMUP_CELL_PX,
            )
        )
    for column, (name, defaults) in zip(columns[1:], pairs.items(), strict=True):
        with column:
            st.markdown(f"**{name}**")
            first, second = st.columns(2)
            w1 = first.number_input("w₁", -10.0, 10.0, defaults[0], 0.5, key=keys[name][0])
            w2 = second.number_input("w₂", -10.0, 10.0, defaults[1], 0.5, key=keys[name][1])
            _warmup_output(digit, np.array([[w1, w2]]))
    weights, output, words = st.columns(len(pairs) + 1, gap="medium")
    with weights:
        widgets.chart(cached.figure(conv_figures.kernel_figure, kernel_2d, title="A 2-D kernel"))
    with output:
        st.markdown("**Top–bottom changes**")
        _warmup_output(digit, kernel_2d)
    words.markdown(
        "This 2 × 2 kernel subtracts the row above from the row below, so it lights up where a "
        "stroke starts or ends going **down** — something neither pair can see, however you "
        "set its weights."
    )


def _warmup_output(digit: np.ndarray, kernel: np.ndarray) -> None:
    out = cached.correlate(digit, kernel)
    weights = ", ".join(formulas.text_number(w) for w in kernel.ravel())
    widgets.chart(
        cached.figure(
            conv_figures.kernel_figure,
            out,
            title=f"({weights}) → {out.shape[0]} × {out.shape[1]}",
            cell_px=WARMUP_CELL_PX,
        )
    )


def colour_step(step: conv.ConvStep, kernel: np.ndarray, bias: float) -> None:
    """One output value of a k×k×3 kernel: three channel sums plus the bias.

    step : step of a 3-channel trace (patch and products (KH, KW, 3)).  kernel : (KH, KW, 3).
    """
    sums = [float(s) for s in step.channel_sums()]
    columns = st.columns(3, gap="medium")
    for c, (column, name) in enumerate(zip(columns, ("red", "green", "blue"), strict=True)):
        with column:
            widgets.chart(
                cached.figure(
                    matrices.matrix_figure,
                    step.patch[..., c],
                    title=f"{name.capitalize()} pixels under the kernel",
                    colorscale=name,
                    zmin=0,
                    zmax=255,
                )
            )
            widgets.chart(
                cached.figure(
                    conv_figures.kernel_figure,
                    kernel[..., c],
                    title=f"{name.capitalize()} slice",
                )
            )
            st.latex(rf"\textstyle\sum = {formulas.number(sums[c])}")
    st.latex(formulas.channel_sums_latex(sums, bias, step.value))


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


def colour_section(
    photo: widgets.PickedImage, kernel: np.ndarray, bias: float, *, row: int, col: int
) -> None:
    """A k×k×3 kernel (your kernel in every slice) on the RGB pixels at (row, col) of ``photo``."""
    KH, KW = kernel.shape
    height, width = photo.pixels.shape[:2]
    row, col = min(row, height - KH), min(col, width - KW)
    patch = pixels.crop(photo.pixels, row, col, KH, KW)  # (KH, KW, 3)
    depth_kernel = kernels.full_depth_kernel(kernel, channel_weights=(1.0, 1.0, 1.0))
    trace = cached.conv_trace(patch, depth_kernel, 1, 0, 1, bias)  # one window, one step
    st.markdown(
        f"The window at row {row}, column {col} of {photo.label}, with a "
        f"{KH}×{KW}×3 kernel whose three slices are all your kernel (a trained network "
        "learns a different slice for each channel):"
    )
    colour_step(trace.step(0), trace.kernel, bias)


def filter_stack(photo: widgets.PickedImage, *, key: str) -> None:
    """F filters of 5×5×3 on a 32×32×3 copy of ``photo``: an output volume of depth F."""
    small = pixels.resize(photo.pixels, 32, 32, "area")  # (32, 32, 3)
    presets = [p for p in kernels.PRESETS.values() if max(p.array.shape) <= 5][:10]
    F = st.slider("Number of filters F", 1, len(presets), key=key)
    chosen = presets[:F]
    maps = np.stack(
        [
            cached.correlate(small, kernels.full_depth_kernel(kernels.centred(p.array, 5)))
            for p in chosen
        ],
        axis=-1,
    )  # (28, 28, F)
    (row,) = shapes.layer_table((32, 32, 3), [{"type": "conv", "filters": F, "kernel": 5}])
    H_out, W_out, depth = row["output_shape"]
    st.markdown(
        f"32 × 32 × 3 input, **{F}** filters of 5 × 5 × 3, no padding → output "
        f"**{H_out} × {W_out} × {depth}**, with {row['params']:,} learnable numbers "
        f"({F} × (5·5·3 weights + 1 bias)). The filters are lesson 3's presets, each slice "
        "the same; a 3 × 3 preset sits in the middle of a 5 × 5 grid of zeros. Each slice "
        "below has its own colour range (a blur's values are far smaller than an edge "
        "filter's); hover for the numbers."
    )
    widgets.chart(
        cached.figure(
            conv_figures.feature_stack_figure,
            maps,
            names=[p.title for p in chosen],
            title=f"The {depth} slices of the output volume",
        )
    )
