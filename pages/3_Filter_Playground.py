"""Lesson 3: hand-made filters on any photo, with the raw numbers shown honestly."""

import streamlit as st

from cnnviz import quiz
from cnnviz.data import kernels
from cnnviz.ops import conv, filtering
from cnnviz.ui import cached, kernel_editor, page, playground, state, urlstate, widgets

DEFAULT_PRESET = "sobel_vertical_edges"
URL = (
    urlstate.ChoiceParam("image", state.PLAY_IMAGE, "chelsea", widgets.image_choices()),
    urlstate.ChoiceParam(
        "preset", f"{state.PLAY_KERNEL}_preset", DEFAULT_PRESET, kernel_editor.preset_choices()
    ),
    urlstate.TextParam(
        "kernel",
        f"{state.PLAY_KERNEL}_text",
        kernels.kernel_to_text(kernels.PRESETS[DEFAULT_PRESET].array),
        kernel_editor.normalised_text,
    ),
    urlstate.ChoiceParam("mode", state.PLAY_MODE, "gray", tuple(filtering.FILTER_MODES)),
    urlstate.ChoiceParam("mix", state.PLAY_MIX, "average", tuple(filtering.CHANNEL_MIXES)),
    urlstate.ChoiceParam("channel", state.PLAY_RAW_CHANNEL, "red", playground.CHANNELS),
    urlstate.IntParam("row", state.PLAY_ROW, 120, 0, cached.PLAYGROUND_MAX_SIDE - 1),
    urlstate.IntParam("col", state.PLAY_COL, 200, 0, cached.PLAYGROUND_MAX_SIDE - 1),
)

page.setup("Filter playground")
st.title("3 · Filter playground")
st.markdown(page.lesson_text("playground", "intro"))
urlstate.restore(URL)

photo_column, kernel_column = st.columns(2, gap="large")
with photo_column:
    photo = widgets.image_picker(
        key=state.PLAY_IMAGE, upload_key=state.PLAY_UPLOAD, max_side=cached.PLAYGROUND_MAX_SIDE
    )
    mode = st.radio(
        "Mode",
        tuple(filtering.FILTER_MODES),
        key=state.PLAY_MODE,
        format_func=playground.mode_label,
    )
    mix = st.session_state[state.PLAY_MIX]
    if mode == "full_depth":
        mix = st.selectbox(
            "Kernel slices for R, G, B",
            tuple(filtering.CHANNEL_MIXES),
            key=state.PLAY_MIX,
            format_func=playground.mix_label,
            help="Slice c of the k × k × 3 kernel is your kernel times this channel's weight.",
        )
with kernel_column:
    kernel = kernel_editor.kernel_editor(state.PLAY_KERNEL, default_preset=DEFAULT_PRESET)
    st.markdown(kernels.weight_sum_note(kernel, mode, mix))
st.markdown(page.lesson_text("playground", "modes"))

st.header("The result, three honest ways")
st.markdown(page.lesson_text("playground", "truth"))
raw, channel = playground.result_views(
    photo.pixels, kernel, mode, mix, channel_key=state.PLAY_RAW_CHANNEL
)
playground.opencv_check(photo.pixels, kernel, mode, mix)
playground.download(
    raw,
    view_key=state.PLAY_DOWNLOAD_VIEW,
    file_stem=f"cnnviz-{st.session_state[f'{state.PLAY_KERNEL}_preset']}-{mode}",
)

st.header("Inspect one pixel")
st.markdown(page.lesson_text("playground", "inspect"))
step = playground.pixel_inspector(
    photo.pixels,
    kernel,
    raw,
    mode,
    mix,
    channel=channel,
    row_key=state.PLAY_ROW,
    col_key=state.PLAY_COL,
)
st.markdown(page.lesson_text("playground", "tieback"))

widgets.check_yourself(
    quiz.playground_questions(
        kernel, step.value, filtering.range_summary(raw), mode=mode, mix=mix, channel=channel
    ),
    key=state.PLAY_QUIZ,
)
widgets.numpy_behind(
    filtering.filter_photo,
    conv.correlate_per_channel if mode == "per_channel" else conv.correlate2d,
    filtering.filter_photo_opencv,
)
urlstate.sync(URL)
