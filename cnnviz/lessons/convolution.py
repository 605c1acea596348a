"""Lesson 2, convolution: its settings and views — a weight-pair warm-up, one convolution step
at a time, correlation or convolution, a colour step, a filter stack.

Each function draws one block of the page; the maths is in `cnnviz.ops.conv`, the figures in
`cnnviz.viz.convolution`. "Convolution" is cross-correlation unless the learner picks the
flipped (signal-processing) operation, which `conv.convolve2d` computes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import streamlit as st

from cnnviz.data import kernels, synthetic
from cnnviz.ops import conv, filtering, pixels, shapes
from cnnviz.ui import cached, kernel_editor, player, settings, widgets
from cnnviz.ui.settings import ChoiceSetting, FloatSetting, IntSetting
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import formulas, matrices

SOURCES = {"example": "The classic 5 × 5 example", "photo": "A crop of a photo (yours or ours)"}
PADDINGS = ("0", "1", "2", "3", *shapes.PAD_MODES)
OPERATIONS = {
    "correlation": "Cross-correlation (deep learning)",
    "convolution": "Convolution (flip)",
}
WARMUP_CELL_PX = 34
"""Warm-up maps share a row three ways: cells (and printed values) sized for a laptop column."""

# --- settings: each declared once (key, link name, label, default, bounds) ---------------------

SOURCE = ChoiceSetting(
    key="conv_source", url="input", label="Input", default="example", choices=tuple(SOURCES),
    labels=SOURCES,
)  # fmt: skip
IMAGE = ChoiceSetting(
    key="conv_image", url="image", label="Image", default="chelsea",
    choices=widgets.image_choices(),
)  # fmt: skip
UPLOAD_KEY = "conv_upload"
CROP = IntSetting(
    key="conv_crop_size", url="crop", label="Crop size (pixels)", default=8, lo=4, hi=10
)
ROW = IntSetting(key="conv_crop_row", url="row", label="Crop top row", default=104, lo=0, hi=4096)
COL = IntSetting(
    key="conv_crop_col", url="col", label="Crop left column", default=160, lo=0, hi=4096
)
KERNEL_KEY = "conv_kernel"
"""Prefix of the kernel editor's session keys (see `cnnviz.ui.kernel_editor`)."""
PRESET, KERNEL = kernel_editor.link_settings(KERNEL_KEY, default_preset="example")
BIAS = FloatSetting(
    key="conv_bias", url="bias", label="Bias", default=0.0, lo=-1000.0, hi=1000.0, step=1.0
)
STRIDE = IntSetting(key="conv_stride", url="stride", label="Stride", default=1, lo=1, hi=4)
PAD = ChoiceSetting(
    key="conv_pad", url="pad", label="Padding", default="0", choices=PADDINGS,
    help="A number of zero rings, or a named mode: valid = none; same = output size "
    "⌈n / s⌉ (the input size at stride 1, about n / s with a larger stride); "
    "full = every overlap.",
)  # fmt: skip
DILATION = IntSetting(key="conv_dilation", url="dilation", label="Dilation", default=1, lo=1, hi=3)
MODE = ChoiceSetting(
    key="conv_flip", url="mode", label="Operation", default="correlation",
    choices=tuple(OPERATIONS), labels=OPERATIONS,
)  # fmt: skip
PLAYER_KEY = "conv_player"
"""Prefix of the step player's session keys (see `cnnviz.ui.player`)."""
STEP = player.step_setting(PLAYER_KEY)
FILTERS = IntSetting(
    key="conv_filters", url="filters", label="Number of filters F", default=10, lo=1, hi=10
)


def _weight(key: str, label: str, default: float) -> FloatSetting:
    """One weight of a warm-up pair (not in the link)."""
    return FloatSetting(key=key, label=label, default=default, lo=-10.0, hi=10.0, step=0.5)


PAIRS = {
    "Keep the ink": (_weight("conv_pair_a1", "w₁", 1.0), _weight("conv_pair_a2", "w₂", 1.0)),
    "Left–right changes": (
        _weight("conv_pair_b1", "w₁", -1.0),
        _weight("conv_pair_b2", "w₂", 1.0),
    ),
}
"""The warm-up's 1 × 2 weight pairs, by name: (w₁, w₂), editable by the learner."""
SETTINGS = (
    SOURCE, IMAGE, CROP, ROW, COL, PRESET, KERNEL, BIAS, STRIDE, PAD, DILATION, MODE, STEP,
    FILTERS, *(weight for pair in PAIRS.values() for weight in pair),
)  # fmt: skip
"""Every setting, in restore order; the link carries all but the warm-up weights."""
OUTPUT_CHART_KEY = "conv_output_chart"
QUIZ_KEY = "conv_quiz"


@dataclass(frozen=True)
class Options:
    """The stepper's settings as the learner set them."""

    bias: float
    stride: int
    pad: str
    dilation: int
    mode: str

    @property
    def padding(self) -> int | str:
        """``pad`` as `cnnviz.ops.conv` takes it: a number of zero rings or a named mode."""
        return int(self.pad) if self.pad.isdigit() else self.pad


def input_controls() -> tuple[widgets.PickedImage, np.ndarray, str]:
    """The input choice, and for a photo its picker and crop.

    Returns the photo (the cat unless a photo is picked), the stepper's input (H, W) and, for a
    crop, where it comes from ("row 104, column 160 of Chelsea the cat"; "" for the example).
    """
    if settings.radio(SOURCE) != "photo":
        cat = widgets.PickedImage(cached.sample_image("chelsea"), "the cat")
        return cat, synthetic.binary_example(), ""
    photo = widgets.image_picker(key=IMAGE.key, upload_key=UPLOAD_KEY)
    crop = widgets.crop_picker(
        photo.pixels, size_key=CROP.key, lo=CROP.lo, hi=CROP.hi, row_key=ROW.key, col_key=COL.key
    )
    image = pixels.channel(pixels.crop(photo.pixels, *crop), "gray")
    return photo, image, f"row {crop[0]}, column {crop[1]} of {photo.label}"


def option_controls() -> Options:
    """Bias, stride, padding, dilation and the operation (correlation or convolution)."""
    return Options(
        bias=settings.number(BIAS),
        stride=settings.slider(STRIDE),
        pad=settings.select(PAD),
        dilation=settings.slider(DILATION),
        mode=settings.radio(MODE, horizontal=False),
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
        st.plotly_chart(
            cached.figure(
                conv_figures.output_figure,
                trace.output,
                filled=step + 1,
                title=f"Output {H_out} × {W_out} — click a cell",
                clickable=True,
            ),
            key=OUTPUT_CHART_KEY,
            on_select=lambda: _clicked(trace),
            selection_mode="points",
            config=widgets.CHART_CONFIG,
        )
    st.markdown(
        f"**Step {step + 1} of {trace.n_steps}** — output row {current.out_row}, column "
        f"{current.out_col}: multiply each number under the window by the weight on top of it, "
        "add the products, add the bias:"
    )
    st.latex(formulas.step_latex(current.patch, trace.kernel, trace.bias, current.value))


def _clicked(trace: conv.ConvTrace) -> None:
    """Jump to the step that produced the clicked output cell."""
    points = st.session_state[OUTPUT_CHART_KEY].selection.points
    if not points:
        return
    point = points[0]
    row, col = round(float(point["y"])), round(float(point["x"]))
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


def weight_pair_warmup() -> None:
    """Slide each of the `PAIRS` (1×2 weights) along the rows of the drawn 4 (8, 8); then one
    2-D kernel, `kernels.TOP_BOTTOM_2X2`, which sees what no pair can (changes top to bottom)."""
    digit, kernel_2d = synthetic.digit_four(), kernels.TOP_BOTTOM_2X2
    columns = st.columns(len(PAIRS) + 1, gap="medium")
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
    for column, (name, pair) in zip(columns[1:], PAIRS.items(), strict=True):
        with column:
            st.markdown(f"**{name}**")
            boxes = st.columns(2)
            w1, w2 = (settings.number(w, container=box) for w, box in zip(pair, boxes, strict=True))
            _warmup_output(digit, np.array([[w1, w2]]))
    weights, output, words = st.columns(len(PAIRS) + 1, gap="medium")
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


def colour_section(photo: widgets.PickedImage, kernel: np.ndarray, bias: float) -> None:
    """A k×k×3 kernel (your kernel in every slice) on the RGB pixels of ``photo`` at the crop's
    top-left corner (`ROW`, `COL`). kernel : (KH, KW)."""
    KH, KW = kernel.shape
    height, width = photo.pixels.shape[:2]
    row, col = min(ROW.value, height - KH), min(COL.value, width - KW)
    patch = pixels.crop(photo.pixels, row, col, KH, KW)  # (KH, KW, 3)
    depth_kernel = filtering.full_depth_kernel(kernel, channel_weights=(1.0, 1.0, 1.0))
    trace = cached.conv_trace(patch, depth_kernel, 1, 0, 1, bias)  # one window, one step
    st.markdown(
        f"The window at row {row}, column {col} of {photo.label}, with a "
        f"{KH}×{KW}×3 kernel whose three slices are all your kernel (a trained network "
        "learns a different slice for each channel):"
    )
    colour_step(trace.step(0), trace.kernel, bias)


def filter_stack(photo: widgets.PickedImage) -> None:
    """F filters of 5×5×3 on a 32×32×3 copy of ``photo``: an output volume of depth F."""
    small = pixels.resize(photo.pixels, 32, 32, "area")  # (32, 32, 3)
    presets = [p for p in kernels.PRESETS.values() if max(p.array.shape) <= 5][: FILTERS.hi]
    F = settings.slider(FILTERS, hi=len(presets))
    chosen = presets[:F]
    maps = np.stack(
        [
            cached.correlate(small, filtering.full_depth_kernel(kernels.centred(p.array, 5)))
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
