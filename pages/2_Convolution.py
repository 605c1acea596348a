"""Lesson 2: a kernel slides over the image; every output cell is a sum of products plus a bias."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import kernels, synthetic
from cnnviz.ops import conv, pixels, shapes
from cnnviz.ui import cached, convview, kernel_editor, page, player, state, urlstate, widgets

SOURCES = {"example": "The classic 5 × 5 example", "photo": "A crop of a photo (yours or ours)"}
PADDINGS = ("0", "1", "2", "3", *shapes.PAD_MODES)
FLIPS = {"correlation": "Cross-correlation (deep learning)", "convolution": "Convolution (flip)"}
URL = (
    urlstate.ChoiceParam("input", state.CONV_SOURCE, "example", tuple(SOURCES)),
    urlstate.ChoiceParam("image", state.CONV_IMAGE, "chelsea", widgets.image_choices()),
    urlstate.IntParam("crop", state.CONV_CROP_SIZE, 8, 4, 10),
    urlstate.IntParam("row", state.CONV_CROP_ROW, 104, 0, 4096),
    urlstate.IntParam("col", state.CONV_CROP_COL, 160, 0, 4096),
    urlstate.ChoiceParam(
        "preset", f"{state.CONV_KERNEL}_preset", "example", kernel_editor.preset_choices()
    ),
    urlstate.TextParam(
        "kernel", f"{state.CONV_KERNEL}_text", "1,0,1;0,1,0;1,0,1", kernel_editor.normalised_text
    ),
    urlstate.FloatParam("bias", state.CONV_BIAS, 0.0, -1000.0, 1000.0),
    urlstate.IntParam("stride", state.CONV_STRIDE, 1, 1, 4),
    urlstate.ChoiceParam("pad", state.CONV_PAD, "0", PADDINGS),
    urlstate.IntParam("dilation", state.CONV_DILATION, 1, 1, 3),
    urlstate.ChoiceParam("mode", state.CONV_FLIP, "correlation", tuple(FLIPS)),
    urlstate.IntParam("step", f"{state.CONV_PLAYER}_step", 0, 0, 10_000),
    urlstate.IntParam("filters", state.CONV_FILTERS, 10, 1, 10),
)

page.setup("Convolution")
st.title("2 · Convolution — step by step")
st.markdown(page.lesson_text("convolution", "intro"))
urlstate.restore(URL)

st.header("Warm-up: two weights sliding along a row")
st.markdown(page.lesson_text("convolution", "warmup"))
convview.weight_pair_warmup(
    synthetic.digit_four(),
    {"Keep the ink": (1.0, 1.0), "Left–right changes": (-1.0, 1.0)},
    {
        "Keep the ink": (state.CONV_PAIR_A1, state.CONV_PAIR_A2),
        "Left–right changes": (state.CONV_PAIR_B1, state.CONV_PAIR_B2),
    },
    kernel_2d=kernels.TOP_BOTTOM_2X2,
)

st.header("Step by step")
st.markdown(page.lesson_text("convolution", "stepper"))
described = st.empty()  # what the input is, once the learner has picked it below
inputs, settings = st.columns([1, 1], gap="large")
with inputs:
    source = st.radio(
        "Input", tuple(SOURCES), key=state.CONV_SOURCE, format_func=SOURCES.get, horizontal=True
    )
    photo = (
        widgets.image_picker(key=state.CONV_IMAGE, upload_key=state.CONV_UPLOAD)
        if (source == "photo")
        else widgets.PickedImage(cached.sample_image("chelsea"), "the cat")
    )
    if source == "photo":
        crop = widgets.crop_picker(
            photo.pixels,
            size_key=state.CONV_CROP_SIZE,
            lo=4,
            hi=10,
            row_key=state.CONV_CROP_ROW,
            col_key=state.CONV_CROP_COL,
        )
        image = pixels.channel(pixels.crop(photo.pixels, *crop), "gray")
        where = f"row {crop[0]}, column {crop[1]} of {photo.label}"
    else:
        image, where = synthetic.binary_example(), ""
    kernel = kernel_editor.kernel_editor(state.CONV_KERNEL, default_preset="example")
described.markdown(convview.input_sentence(source, image.shape, kernel.shape, where))
with settings:
    bias = st.number_input("Bias", -1000.0, 1000.0, step=1.0, key=state.CONV_BIAS)
    stride = st.slider("Stride", 1, 4, key=state.CONV_STRIDE)
    pad = st.selectbox(
        "Padding",
        PADDINGS,
        key=state.CONV_PAD,
        help="A number of zero rings, or a named mode: valid = none; same = output size "
        "⌈n / s⌉ (the input size at stride 1, about n / s with a larger stride); "
        "full = every overlap.",
    )
    dilation = st.slider("Dilation", 1, 3, key=state.CONV_DILATION)
    flip = st.radio("Operation", tuple(FLIPS), key=state.CONV_FLIP, format_func=FLIPS.get)

pad_value = int(pad) if pad.isdigit() else pad
weights = kernel[::-1, ::-1] if flip == "convolution" else kernel
st.markdown(page.lesson_text("convolution", "settings"))
try:
    trace = cached.conv_trace(image, weights, stride, pad_value, dilation, bias)
    convview.size_formulas(image.shape, weights.shape, stride, pad_value, dilation)
except shapes.ShapeError as error:
    trace = None
    st.warning(f"These settings do not work: {error}", icon=":material/block:")

if trace is not None:
    player.step_player(
        trace.n_steps,
        key=state.CONV_PLAYER,
        draw=lambda step: convview.step_view(
            trace, step, player_key=state.CONV_PLAYER, chart_key=state.CONV_OUTPUT_CHART
        ),
        url_param="step",
    )

st.subheader("Correlation or convolution?")
st.markdown(page.lesson_text("convolution", "flip"))
st.markdown(convview.flip_sentence(kernel))
st.markdown(page.lesson_text("convolution", "why"))

st.header("Colour and depth")
st.markdown(page.lesson_text("convolution", "depth"))
convview.colour_section(
    photo,
    kernel,
    bias,
    row=st.session_state.get(state.CONV_CROP_ROW, 104),
    col=st.session_state.get(state.CONV_CROP_COL, 160),
)
st.markdown(page.lesson_text("convolution", "stack"))
convview.filter_stack(photo, key=state.CONV_FILTERS)

if trace is not None:
    step = player.current_step(state.CONV_PLAYER, trace.n_steps)
    widgets.check_yourself(
        quiz.convolution_questions(trace, step, image.shape), key=state.CONV_QUIZ
    )
widgets.numpy_behind(
    conv.conv_trace,
    conv.correlate2d,
    *([conv.convolve2d] if flip == "convolution" else []),
    kernels.parse_kernel,
)
urlstate.sync(URL)
