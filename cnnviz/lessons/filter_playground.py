"""Lesson 3, the filter playground: its settings and views — the photo as it is and filtered
three honest ways, the OpenCV check, a download, the arithmetic behind any one pixel, and the
note on what the kernel's weights do to a flat area.

The maths is in `cnnviz.ops.filtering`, the figures in `cnnviz.viz`; this module draws them.
Large results cost a lot to turn into figures, so the figures are cached on the inputs that
made them (photo, kernel, mode, mix), not rebuilt on every rerun.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.data import kernel_text
from cnnviz.lessons import convolution as convolution_lesson
from cnnviz.numbers import MINUS, text_number
from cnnviz.ops import conv, display, filtering
from cnnviz.ui import cached, kernel_editor, settings, widgets
from cnnviz.ui.settings import ChoiceSetting
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import featuremaps, formulas, images, matrices

CHANNELS = ("red", "green", "blue")
VIEWS = {"clipped": "Clipped to 0–255", "normalised": "Min–max normalised"}
SAME_AS_OPENCV = 1e-6
"""Largest difference from cv2.filter2D that is still floating-point rounding."""
RAW_HOVER_SIDE = 100
"""Hover values per side of the raw view (every 5th pixel of a 451-wide photo): the view sits
in a quarter of the page, and "Inspect one pixel" gives any pixel's exact numbers, so a denser
grid would only make the page heavier to send and draw (lesson 3 stays under 300 KB)."""


DEFAULT_PRESET = "sobel_vertical_edges"


def mode_label(mode: str) -> str:
    return filtering.FILTER_MODES[mode]


def mix_label(mix: str) -> str:
    return filtering.CHANNEL_MIXES[mix][1]


# --- settings: each declared once (key, link name, label, default, bounds) ---------------------

IMAGE = widgets.image_setting("play_image")
UPLOAD_KEY = "play_upload"
KERNEL_KEY = "play_kernel"
"""Prefix of the kernel editor's session keys (see `cnnviz.ui.kernel_editor`)."""
PRESET, KERNEL = kernel_editor.link_settings(KERNEL_KEY, default_preset=DEFAULT_PRESET)
MODE = ChoiceSetting(
    key="play_mode", url="mode", label="Mode", default="gray",
    choices=tuple(filtering.FILTER_MODES), labels=mode_label,
)  # fmt: skip
MIX = ChoiceSetting(
    key="play_mix", url="mix", label="Kernel slices for R, G, B", default="average",
    choices=tuple(filtering.CHANNEL_MIXES), labels=mix_label,
    help="Slice c of the k × k × 3 kernel is your kernel times this channel's weight.",
)  # fmt: skip
CHANNEL = ChoiceSetting(
    key="play_raw_channel", url="channel", label="Raw values of channel", default="red",
    choices=CHANNELS, labels=str.capitalize,
)  # fmt: skip
ROW, COL = settings.position_settings(
    "play", at=(120, 200), labels=("Row", "Column"), hi=cached.PLAYGROUND_MAX_SIDE - 1
)
SETTINGS = (IMAGE, PRESET, KERNEL, MODE, MIX, CHANNEL, ROW, COL)
"""Every setting the link carries, in the link's order."""
DOWNLOAD_VIEW_KEY = "play_download_view"
QUIZ_KEY = "play_quiz"


def controls() -> tuple[widgets.PickedImage, np.ndarray, str, str]:
    """The photo, mode and (in full depth) channel mix beside the kernel editor and its note.

    Returns (photo, kernel (KH, KW), mode, mix); mix keeps its stored value when not shown.
    """
    photo_column, kernel_column = st.columns(2, gap="large")
    with photo_column:
        photo = widgets.image_picker(
            IMAGE, upload_key=UPLOAD_KEY, max_side=cached.PLAYGROUND_MAX_SIDE
        )
        mode = settings.radio(MODE, horizontal=False)
        mix = settings.select(MIX) if mode == "full_depth" else MIX.value
    with kernel_column:
        kernel = kernel_editor.kernel_editor(KERNEL_KEY, default_preset=DEFAULT_PRESET)
        st.markdown(weight_sum_note(kernel, mode, mix))
    return photo, kernel, mode, mix


def _raw_2d(raw: np.ndarray, channel: int) -> np.ndarray:
    """The one-channel map the raw view shows: (H, W), or channel ``channel`` of (H, W, 3)."""
    return raw[:, :, channel] if raw.ndim == 3 else raw


@st.cache_resource(max_entries=8, ttl=900, show_spinner=False)
def _figures(
    photo: np.ndarray, kernel: np.ndarray, mode: str, mix: str, channel: int
) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Raw (diverging), clipped and normalised figures of one filtered photo.

    Shared between sessions (building them costs more than filtering): never change them.
    """
    raw = cached.filtered_photo(photo, kernel, mode, mix)
    H, W = raw.shape[:2]
    which = f" — {CHANNELS[channel]}" if raw.ndim == 3 else ""
    return (
        featuremaps.raw_map_figure(
            _raw_2d(raw, channel),
            title=f"Raw values{which} ({H} × {W})",
            max_hover_side=RAW_HOVER_SIDE,
            height_px=360,
            limit=display.colour_limit(raw),
        ),
        featuremaps.clipped_map_figure(raw, title=VIEWS["clipped"], height_px=360),
        featuremaps.normalised_map_figure(raw, title=VIEWS["normalised"], height_px=360),
    )


def input_figure(photo: np.ndarray) -> go.Figure:
    """The photo as it is, before any filter: (H, W, 3) uint8, shared and cached."""
    H, W, C = photo.shape
    return cached.figure(
        images.image_figure, photo, title=f"Input photo ({H} × {W} × {C})", height_px=360
    )


def result_views(photo: np.ndarray, kernel: np.ndarray, mode: str, mix: str):
    """The photo as it is, then filtered: raw values, clipped and normalised, side by side.

    Returns (raw, channel): raw (H, W) or (H, W, 3), and the channel the raw view shows.
    """
    raw = cached.filtered_photo(photo, kernel, mode, mix)
    channel = 0
    if raw.ndim == 3:
        channel = CHANNELS.index(settings.radio(CHANNEL))
    figures = (input_figure(photo), *_figures(photo, kernel, mode, mix, channel))
    columns = st.columns([5, 5, 4, 4], gap="small")
    for column, figure in zip(columns, figures, strict=True):
        with column:
            widgets.chart(figure)
    st.caption(range_sentence(filtering.range_summary(raw), display.colour_limit(raw)))
    return raw, channel


def range_sentence(summary: dict[str, float], limit: float) -> str:
    """The raw range, the raw view's colour limit and what a screen cannot show, in one line."""
    low, high = text_number(summary["min"], 2), text_number(summary["max"], 2)
    text = f"Raw values run from **{low}** to **{high}**. "
    if limit < max(-summary["min"], summary["max"]):
        text += (
            f"The raw view's colours stop at ±{text_number(limit, 2)} (99.5% of values "
            "are within it) so the few strongest, mostly at the border, do not wash out the rest. "
        )
    below, above = summary["below"], summary["above"]
    if below == 0 and above == 0:
        return text + "All of them fit in 0–255, so the clipped view shows them exactly."
    parts = []
    if below:
        parts.append(f"{below:.1%} are below 0 (black when clipped)")
    if above:
        parts.append(f"{above:.1%} are above 255 (white when clipped)")
    return text + "; ".join(parts) + " — the raw view keeps them, with their sign."


def opencv_check(photo: np.ndarray, kernel: np.ndarray, mode: str, mix: str) -> float:
    """One line: how far our NumPy result is from OpenCV's ``filter2D`` on the same input."""
    difference = cached.opencv_difference(photo, kernel, mode, mix)
    if difference == 0:
        st.caption(
            ":material/verified: Live check: OpenCV's `cv2.filter2D` on the same input gives "
            "exactly the same numbers as the NumPy code above (largest difference **0**)."
        )
    elif difference <= SAME_AS_OPENCV:
        st.caption(
            f":material/verified: Live check: the NumPy result above differs from OpenCV's "
            f"`cv2.filter2D` on the same input by at most **{difference:.1e}** — floating-point "
            "rounding, so they agree."
        )
    else:
        st.error(f"Live check failed: our result differs from OpenCV's by {difference:g}.")
    return difference


def download(raw: np.ndarray, mode: str) -> None:
    """Pick a view and download it as a PNG (the full-size result, made only when clicked)."""
    file_stem = f"cnnviz-{PRESET.value}-{mode}"
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    view = left.selectbox(
        "View to download", tuple(VIEWS), key=DOWNLOAD_VIEW_KEY, format_func=VIEWS.get
    )
    to_uint8 = display.clip_to_uint8 if view == "clipped" else display.normalise_to_uint8
    right.download_button(
        "Download as PNG",
        data=lambda: featuremaps.png_bytes(to_uint8(raw)),
        file_name=f"{file_stem}-{view}.png",
        mime="image/png",
        icon=":material/download:",
        on_click="ignore",
    )


def pixel_inspector(
    photo: np.ndarray,
    kernel: np.ndarray,
    raw: np.ndarray,
    mode: str,
    mix: str,
    *,
    channel: int,
) -> conv.ConvStep:
    """Pick one output pixel: its neighbourhood of raw values and the sum that made it."""
    H, W = raw.shape[:2]
    pick_row, pick_col = st.columns(2)
    row = settings.slider(ROW, hi=H - 1, container=pick_row)
    col = settings.slider(COL, hi=W - 1, container=pick_col)
    step = filtering.pixel_step(photo, kernel, row, col, mode, mix, channel=channel)
    # The same number as the raw map's (the views are made from it): summed in another order,
    # the step can differ in the last bit, which decides a normalised level at an exact half.
    step = dataclasses.replace(step, value=float(_raw_2d(raw, channel)[row, col]))
    which = f" ({CHANNELS[channel]})" if raw.ndim == 3 else ""
    around, arithmetic = st.columns([2, 3], gap="large")
    with around:
        widgets.chart(
            cached.figure(
                featuremaps.neighbourhood_figure,
                _raw_2d(raw, channel),
                row,
                col,
                title=f"Raw output around ({row}, {col}){which}",
                limit=display.colour_limit(raw),
            )
        )
    with arithmetic:
        if mode == "full_depth":
            st.markdown("The three channels under the window, each times its slice of the kernel:")
            convolution_lesson.colour_step(step, filtering.depth_kernel(kernel, mix), 0.0)
        else:
            source = "gray" if mode == "gray" else CHANNELS[channel]
            patch_column, kernel_column = st.columns(2)
            with patch_column:
                widgets.chart(
                    cached.figure(
                        matrices.matrix_figure,
                        step.patch,
                        title=f"Under the window ({source})",
                        zmin=0,
                        zmax=255,
                    )
                )
            with kernel_column:
                widgets.chart(cached.figure(conv_figures.kernel_figure, kernel, title="Kernel"))
            st.latex(formulas.step_latex(step.patch, kernel, 0.0, step.value))
    st.caption(
        "Zeros in the window are padding: the kernel hangs over the border of the photo there."
        if filtering.window_overhangs(row, col, kernel.shape, (H, W))
        else f"The sum is the raw value at row {row}, column {col}."
    )
    return step


# --- the note under the kernel: what its weights do to a flat area ---------------------------


def weight_sum_note(kernel: np.ndarray, mode: str = "gray", mix: str = "average") -> str:
    """What the weights do to a flat (uniform) area, in the mode and channel mix on screen.

    On a flat gray patch (R = G = B = v) the output is `filtering.flat_response`: ``v * sum``
    in "gray" and in each channel of "per_channel"; in "full_depth" the slices are the kernel
    times the mix's channel weights, so it is ``v * sum * (w_R + w_G + w_B)`` — 0 for "red
    minus blue" whatever the kernel. A total of 1 keeps the level, 0 wipes flat areas out.

    kernel : (KH, KW).  mode, mix : as in `cnnviz.ops.filtering.filter_photo`.
    """
    kernel = kernel_text.parse_kernel(kernel)
    total = float(kernel.sum())
    if mode == "full_depth":
        return _full_depth_note(total, mix, kernel.shape)
    where = " in each channel" if mode == "per_channel" else ""
    if abs(total - 1) < 1e-9:
        kept = (
            "its colour (each channel's 100 stays 100)"
            if where
            else "its brightness (100 stays 100)"
        )
        return (
            f"The weights sum to **1**: a flat area keeps {kept}, so the picture keeps its "
            "overall look — only the details change."
        )
    if abs(total) < 1e-9:
        return (
            f"The weights sum to **0**: every flat area becomes 0{where}, so only places where "
            "the brightness *changes* survive — positive on one side of an edge, negative on the "
            "other."
        )
    shown = _prose(total)
    return (
        f"The weights sum to **{shown}**: a flat area of brightness 100 becomes "
        f"{_prose(100 * total)}{where}, so the whole picture gets {_effect(total)} — divide "
        f"the weights by {shown} to keep the brightness."
    )


def _full_depth_note(total: float, mix: str, shape: tuple[int, int]) -> str:
    """`weight_sum_note` for full depth: the slices' channel weights scale the kernel's sum."""
    w_r, w_g, w_b = filtering.mix_weights(mix)
    depth_total = total * (w_r + w_g + w_b)  # a flat gray area of level v gives v * this
    text = (
        f"The weights sum to **{_prose(total)}**. In full depth with “"
        f"{filtering.CHANNEL_MIXES[mix][1]}” the R, G and B slices are the kernel times "
        f"{_prose(w_r)}, {_prose(w_g)} and {_prose(w_b)}, so all {shape[0]} × {shape[1]} × 3 "
        f"weights sum to {_prose(total)} × {_prose(w_r + w_g + w_b)} = **{_prose(depth_total)}**"
    )
    if abs(total) < 1e-9:
        return text + (
            ": every flat area becomes 0, whatever its colour — only places where the picture "
            "*changes* survive."
        )
    if abs(depth_total) < 1e-9:
        return text + (
            ": a flat **gray** area (R = G = B = 100) becomes **0**, yet a flat coloured area "
            f"(R, G, B) gives {_prose(total)} × ({_prose(w_r)}·R + {_prose(w_g)}·G + "
            f"{_prose(w_b)}·B) — this mix responds to colour, not brightness."
        ).replace("+ −", "− ")
    if abs(depth_total - 1) < 1e-9:
        return text + ": a flat gray area (R = G = B = 100) keeps its level — 100 stays 100."
    return text + (
        f": a flat gray area (R = G = B = 100) becomes {_prose(100 * depth_total)}, so the map "
        f"gets {_effect(depth_total)} — divide the weights by {_prose(depth_total)} to keep "
        "the level."
    )


def _effect(total: float) -> str:
    if total < 0:
        return "negative (flipped)"
    return "brighter" if total > 1 else "darker"


def _prose(value: float) -> str:
    """A weight or sum for prose: `weight_text` of it (1/9, 0.299) with a real minus sign."""
    exact = kernel_text.weight_text(value)
    rounded = kernel_text.weight_text(round(float(value), 9))
    return min(exact, rounded, key=len).replace("-", MINUS)  # 1/3, but 1 for 0.9999999999999999
