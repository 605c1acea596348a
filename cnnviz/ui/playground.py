"""Lesson 3's views: the photo as it is and filtered three honest ways, the OpenCV check, a
download, and the arithmetic behind any one pixel.

The maths is in `cnnviz.ops.filtering`, the figures in `cnnviz.viz`; this module draws them.
Large results cost a lot to turn into figures, so the figures are cached on the inputs that
made them (photo, kernel, mode, mix), not rebuilt on every rerun.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.ops import conv, display, filtering
from cnnviz.ui import cached, convview, widgets
from cnnviz.viz import conv as conv_figures
from cnnviz.viz import featuremaps, formulas, images, matrices

CHANNELS = ("red", "green", "blue")
VIEWS = {"clipped": "Clipped to 0–255", "normalised": "Min–max normalised"}
SAME_AS_OPENCV = 1e-6
"""Largest difference from cv2.filter2D that is still floating-point rounding."""


def mode_label(mode: str) -> str:
    return filtering.FILTER_MODES[mode]


def mix_label(mix: str) -> str:
    return filtering.CHANNEL_MIXES[mix][1]


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


def result_views(photo: np.ndarray, kernel: np.ndarray, mode: str, mix: str, *, channel_key: str):
    """The photo as it is, then filtered: raw values, clipped and normalised, side by side.

    Returns (raw, channel): raw (H, W) or (H, W, 3), and the channel the raw view shows.
    """
    raw = cached.filtered_photo(photo, kernel, mode, mix)
    channel = 0
    if raw.ndim == 3:
        name = st.radio(
            "Raw values of channel",
            CHANNELS,
            key=channel_key,
            horizontal=True,
            format_func=str.capitalize,
        )
        channel = CHANNELS.index(name)
    figures = (input_figure(photo), *_figures(photo, kernel, mode, mix, channel))
    columns = st.columns([5, 5, 4, 4], gap="small")
    for column, figure in zip(columns, figures, strict=True):
        with column:
            widgets.chart(figure)
    st.caption(range_sentence(filtering.range_summary(raw), display.colour_limit(raw)))
    return raw, channel


def range_sentence(summary: dict[str, float], limit: float) -> str:
    """The raw range, the raw view's colour limit and what a screen cannot show, in one line."""
    low, high = formulas.text_number(summary["min"], 2), formulas.text_number(summary["max"], 2)
    text = f"Raw values run from **{low}** to **{high}**. "
    if limit < max(-summary["min"], summary["max"]):
        text += (
            f"The raw view's colours stop at ±{formulas.text_number(limit, 2)} (99.5% of values "
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


def download(raw: np.ndarray, *, view_key: str, file_stem: str) -> None:
    """Pick a view and download it as a PNG (the full-size result, made only when clicked)."""
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    view = left.selectbox("View to download", tuple(VIEWS), key=view_key, format_func=VIEWS.get)
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
    row_key: str,
    col_key: str,
) -> conv.ConvStep:
    """Pick one output pixel: its neighbourhood of raw values and the sum that made it."""
    H, W = raw.shape[:2]
    pick_row, pick_col = st.columns(2)
    with pick_row:
        row = widgets.bounded_slider("Row", key=row_key, lo=0, hi=H - 1)
    with pick_col:
        col = widgets.bounded_slider("Column", key=col_key, lo=0, hi=W - 1)
    step = filtering.pixel_step(photo, kernel, row, col, mode, mix, channel=channel)
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
            convview.colour_step(step, filtering.depth_kernel(kernel, mix), 0.0)
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
