"""Lesson 5's views: max vs average on a small matrix, gradients, a moving spot, real maps.

Each function draws one block of the page; the maths is in `cnnviz.ops.pool`, the figures in
`cnnviz.viz.pooling` and the feature-map builders. Cached wrappers take explicit arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from cnnviz.data import kernels
from cnnviz.ops import conv, display, pixels, pool, shapes
from cnnviz.ui import urlstate, widgets
from cnnviz.viz import images, matrices
from cnnviz.viz import pooling as pool_figures
from cnnviz.viz.formulas import text_number
from cnnviz.viz.matrices import MINUS

VALUE_RANGES = {
    "digits": ("Whole numbers 0 to 9", 0, 9),
    "ties": ("0 to 3 (many ties)", 0, 3),
    "signed": ("−9 to 9 (negatives too)", -9, 9),
}
WORKING_SIDE = 256
"""Real pictures are pooled at most this large per side (enough to see, cheap to send)."""
SPOT_SIDE = 4
MAPS = ("photo", *kernels.PRESETS)


@dataclass(frozen=True)
class WindowParam:
    """The window number in a link, checked against the windows this matrix really has.

    `urlstate.restore` parses the link's parameters in order, so the matrix size, window and
    stride keys (listed before this one) already hold their checked values: the note names the
    value the page then really uses.
    """

    name: str
    key: str
    default: int
    side_key: str
    size_key: str
    stride_key: str

    def count(self) -> int:
        """Windows of the current matrix (at least 1)."""
        side = int(st.session_state.get(self.side_key, 6))
        size = min(int(st.session_state.get(self.size_key, 2)), side)
        stride = int(st.session_state.get(self.stride_key, 2))
        return ((side - size) // stride + 1) ** 2

    def parse(self, raw: str) -> tuple[int, str | None]:
        """The window number a raw URL string stands for, and a note when it was changed."""
        count = self.count()
        value, note = urlstate.IntParam(self.name, self.key, self.default, 1, count).parse(raw)
        if note and value == count:
            side = st.session_state.get(self.side_key)
            note = note.rstrip(".") + (
                f" (the {side} × {side} matrix has {count} window{'s' if count > 1 else ''} "
                "with this window size and stride)."
            )
        return value, note


def map_title(name: str) -> str:
    """What a learner sees for a choice of what to pool."""
    return "The photo itself (RGB)" if name == "photo" else kernels.PRESETS[name].title


# --- cached pure calls ---------------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def random_matrix(seed: int, side: int, values: str) -> np.ndarray:
    """(side, side) int64 numbers drawn from ``np.random.default_rng(seed)``."""
    _, lo, hi = VALUE_RANGES[values]
    return np.random.default_rng(seed).integers(lo, hi + 1, size=(side, side))


@st.cache_data(max_entries=64, show_spinner=False)
def small_results(x: np.ndarray, size: int, stride: int) -> dict[str, np.ndarray]:
    """Max, winners, sums and both backward passes for the small matrix (H, W)."""
    maxed = pool.pool2d(x, size, stride, "max")
    sums, _ = pool.avg_pool_sums(x, size, stride)
    dout = np.arange(1, maxed.size + 1, dtype=np.float64).reshape(maxed.shape)
    return {
        "max": maxed,
        "winners": pool.max_pool_winners(x, size, stride),
        "sums": sums,
        "dout": dout,
        "dx_max": pool.pool2d_backward(dout, x, size, stride, "max"),
        "dx_avg": pool.pool2d_backward(dout, x, size, stride, "avg"),
    }


@st.cache_data(max_entries=16, show_spinner=False)
def working_map(rgb: np.ndarray, map_name: str) -> np.ndarray:
    """The picture to pool: (h, w, 3) uint8 photo or (h, w) raw feature map, side <= 256."""
    H, W = rgb.shape[:2]
    scale = min(1.0, WORKING_SIDE / max(H, W))
    small = pixels.resize(rgb, max(1, round(H * scale)), max(1, round(W * scale)), "area")
    if map_name == "photo":
        return small
    gray = pixels.to_grayscale(small).astype(np.float64)
    # No padding: zeros around a photo would make a false edge all along its border.
    return conv.correlate2d(gray, kernels.PRESETS[map_name].array)


@st.cache_data(max_entries=32, show_spinner=False)
def pooled_map(x: np.ndarray, times: int, mode: str) -> np.ndarray:
    """`pool.pool_repeatedly` with 2 × 2 windows."""
    return pool.pool_repeatedly(x, times, 2, mode)


# --- views ---------------------------------------------------------------------------------------


def _shape(shape: tuple[int, ...]) -> str:
    return " × ".join(str(n) for n in shape)


@st.cache_resource(max_entries=64, show_spinner=False)
def _matrix_figures(x: np.ndarray, size: int, stride: int, r: int, c: int) -> tuple:
    """Input, max and average figures for window (r, c) highlighted.

    Figures are cached as resources (no copy on every rerun): they are pure functions of the
    arguments and only ever read, never changed, after they are built.
    """
    found = small_results(x, size, stride)
    H_out, W_out = found["max"].shape
    # Pad the colour range a little, so the largest cells are light gray, not lost on white.
    margin = 0.15 * (float(x.max() - x.min()) or 1.0)
    zmin, zmax = float(x.min()) - margin, float(x.max()) + margin
    return (
        pool_figures.pool_input_figure(
            x,
            size=size,
            stride=stride,
            winners=found["winners"],
            highlight=(r, c),
            title=f"Input {_shape(x.shape)}",
            zmin=zmin,
            zmax=zmax,
        ),
        matrices.matrix_figure(
            found["max"],
            title=f"Max pooled {H_out} × {W_out}",
            zmin=zmin,
            zmax=zmax,
            cell_px=pool_figures.output_cell_px(found["max"].shape),
        ),
        pool_figures.average_figure(
            found["sums"],
            size * size,
            title=f"Average pooled {H_out} × {W_out}",
            zmin=zmin,
            zmax=zmax,
        ),
    )


def matrix_view(x: np.ndarray, size: int, stride: int, *, pick_key: str, controls) -> dict:
    """The input with windows and winners, max and average outputs, one window's arithmetic.

    controls : the container the window-picking slider goes in.
    """
    found = small_results(x, size, stride)
    H_out, W_out = found["max"].shape
    with controls:
        pick = widgets.bounded_slider(
            "Window to spell out (counted row by row)", key=pick_key, lo=1, hi=H_out * W_out
        )
    r, c = divmod(pick - 1, W_out)
    figures = _matrix_figures(x, size, stride, r, c)
    for column, figure in zip(st.columns([5, 4, 4], gap="medium"), figures, strict=True):
        with column:
            widgets.chart(figure)
    _window_arithmetic(x, size, stride, r, c, found)
    return found


def _window_arithmetic(x, size, stride, r, c, found) -> None:
    window = x[r * stride : r * stride + size, c * stride : c * stride + size]
    numbers = ", ".join(matrices.format_number(v).replace("\u2212", "-") for v in window.ravel())
    win_r, win_c = (int(v) for v in found["winners"][r, c])
    count = size * size
    total, mean = found["sums"][r, c], found["sums"][r, c] / count
    st.markdown(
        f"**Window {r * found['max'].shape[1] + c + 1}** — output row {r}, column {c}; input "
        f"rows {r * stride}–{r * stride + size - 1}, columns {c * stride}–{c * stride + size - 1} "
        f"(outlined in red). The max sits at row {win_r}, column {win_c}."
    )
    st.latex(
        rf"\max({numbers}) = {_num(found['max'][r, c])} \qquad "
        rf"({numbers.replace(', ', ' + ').replace('+ -', '- ')}) \div {count} = "
        rf"{_num(total)} \div {count} = {_num(mean)}"
    )


def _num(value: float) -> str:
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@st.cache_resource(max_entries=64, show_spinner=False)
def _gradient_figures(x: np.ndarray, size: int, stride: int) -> tuple:
    """Upstream gradient, max and average backward figures (cached like `_matrix_figures`)."""
    found = small_results(x, size, stride)
    return (
        pool_figures.gradient_figure(
            found["dout"], title=f"Upstream gradient {_shape(found['dout'].shape)}"
        ),
        pool_figures.gradient_figure(
            found["dx_max"], title="Max: all to the winner", winners=found["winners"]
        ),
        pool_figures.gradient_figure(found["dx_avg"], title=f"Average: each gets ÷ {size * size}"),
    )


def gradient_view(x: np.ndarray, size: int, stride: int, found: dict) -> None:
    """Upstream gradient, and where max and average send it back (same small matrix)."""
    figures = _gradient_figures(x, size, stride)
    for column, figure in zip(st.columns([4, 5, 5], gap="medium"), figures, strict=True):
        with column:
            widgets.chart(figure)
    st.caption(
        f"Total upstream gradient {_num(found['dout'].sum())}; total sent back: max "
        f"{_num(found['dx_max'].sum())}, average {_num(found['dx_avg'].sum())}."
        + (" Overlapping windows add up where they share numbers." if stride < size else "")
    )


@st.cache_resource(max_entries=16, show_spinner=False)
def _spot_figures(row: int, col: int) -> tuple:
    """The 4 × 4 map with one 9 at (row, col), and its 2 × 2 max pooling."""
    x = np.zeros((SPOT_SIDE, SPOT_SIDE))
    x[row, col] = 9
    # A padded colour range: the 9 light gray, not white on the white page.
    return (
        pool_figures.pool_input_figure(
            x, size=2, stride=2, title=f"The 9 at row {row}, column {col}", zmin=-1.5, zmax=10.5
        ),
        matrices.matrix_figure(
            pool.pool2d(x, 2, 2, "max"),
            title="After max pooling (2 × 2)",
            zmin=-1.5,
            zmax=10.5,
            cell_px=70,
        ),
    )


def spot_view(*, key: str) -> None:
    """One 9 in a 4 × 4 map of zeros; 2 × 2 max pooling only sees which window it is in."""
    spot = st.select_slider(
        "Where is the 9?",
        options=list(range(SPOT_SIDE * SPOT_SIDE)),
        key=key,
        format_func=lambda i: f"row {i // SPOT_SIDE}, col {i % SPOT_SIDE}",
    )
    row, col = divmod(spot, SPOT_SIDE)
    columns = st.columns([4, 3, 3], gap="medium")
    for column, figure in zip(columns, _spot_figures(row, col), strict=False):
        with column:
            widgets.chart(figure)
    st.markdown(
        f"The 9 lands in output row {row // 2}, column {col // 2}. Any of the four positions "
        "inside that window gives exactly this output — the exact position is gone."
    )


TIMES_WORDS = {1: "once", 2: "twice", 3: "3 times"}
TIMES_LABELS = {1: "once (½ size)", 2: "twice (¼ size)", 3: "3 times (⅛ size)"}
"""How the "pool how many times" slider reads each choice."""
MAP_CHART_PX = 430
"""Width a real map's chart gets (two per row on a 1366 px laptop); decides printed values."""
MAP_HEIGHT_PX = 300


def image_view(photo: widgets.PickedImage, map_name: str, times: int) -> np.ndarray:
    """Original, max-pooled and average-pooled real map on one colour scale. Returns the map."""
    try:
        x = working_map(photo.pixels, map_name)
    except shapes.ShapeError as error:
        st.warning(f"This picture is too small for the filter, so the photo is pooled: {error}")
        x = working_map(photo.pixels, "photo")
    try:
        maxed, averaged = pooled_map(x, times, "max"), pooled_map(x, times, "avg")
    except shapes.ShapeError as error:
        st.warning(f"This picture is too small to pool {TIMES_WORDS[times]}: {error}")
        return x
    # One colour limit for all three: pooling never makes a value larger than the original's
    # largest, so the original's max |value| covers them all and paler means smaller.
    limit = float(np.abs(x).max()) or 1.0
    word = TIMES_WORDS[times]
    titles = (
        f"Original · {_shape(x.shape)}",
        f"Max pooled {word} · {_shape(maxed.shape)}",
        f"Average pooled {word} · {_shape(averaged.shape)}",
    )
    cells = [cell for _ in range(2) for cell in st.columns(2, gap="medium")]
    for cell, values, title in zip(cells, (x, maxed, averaged), titles, strict=False):
        with cell:
            widgets.chart(_map_figure(values, title, limit))
    with cells[3]:
        st.markdown(_scale_note(x, maxed, averaged, limit))
    kept = averaged.size / x.size
    st.markdown(
        f"{map_title(map_name)} of {photo.label}: **{_shape(x.shape)} → {_shape(maxed.shape)}**, "
        f"{maxed.size:,} of {x.size:,} numbers kept ({kept:.1%})."
    )
    return x


def _scale_note(x: np.ndarray, maxed: np.ndarray, averaged: np.ndarray, limit: float) -> str:
    """What the shared colour scale shows: how large each map's values still are."""
    if x.ndim == 3:
        return (
            "**One colour scale for all three:** pixels from 0 to 255, as the screen shows them "
            f"(averages rounded). Mean pixel value: original {x.mean():.1f}, max pooled "
            f"{maxed.mean():.1f} (brighter: every window keeps its brightest pixel), average "
            f"pooled {averaged.mean():.1f} (about the same: averaging keeps the brightness)."
        )

    def largest(values: np.ndarray) -> str:
        return text_number(float(np.abs(values).max()), 1)

    return (
        f"**One colour scale for all three:** {MINUS}{text_number(limit, 1)} (dark blue) to "
        f"{text_number(limit, 1)} (dark red), set by the original's strongest response, so a "
        "paler map really holds weaker responses. Strongest response (largest |value|): "
        f"original {largest(x)}, max pooled {largest(maxed)}, average pooled "
        f"{largest(averaged)} — averaging a strong edge with its quiet neighbours weakens it; "
        "max pooling keeps it."
    )


@st.cache_resource(max_entries=24, show_spinner=False)
def _map_figure(values: np.ndarray, title: str, limit: float):
    """Figure of a real map. Cached as a resource (no copy): the figure is only ever read, and
    building a picture figure costs tens of milliseconds."""
    if values.ndim == 3:  # the RGB photo: pixels 0–255 (averages rounded for display)
        return images.image_figure(
            display.clip_to_uint8(values), title=title, height_px=MAP_HEIGHT_PX
        )
    return pool_figures.real_map_figure(
        values, title=title, limit=limit, chart_width_px=MAP_CHART_PX, height_px=MAP_HEIGHT_PX
    )


def depth_view(x: np.ndarray) -> None:
    """The shape before and after one 2 × 2 pooling: only height and width change."""
    try:
        pooled = pooled_map(x, 1, "max")
    except shapes.ShapeError:
        return
    depth = x.shape[2] if x.ndim == 3 else 1
    st.markdown(
        f"**{_shape(x.shape[:2])} × {depth} → {_shape(pooled.shape[:2])} × {depth}** "
        f"(2 × 2 windows, stride 2, {'each channel' if depth > 1 else 'the one channel'} "
        "pooled on its own)."
    )


def global_view(x: np.ndarray) -> None:
    """Global average pooling of the map: one number per channel."""
    means = np.atleast_1d(pool.global_avg_pool(x))
    names = ("R", "G", "B") if x.ndim == 3 else ("map",)
    parts = ", ".join(
        f"{n} = {matrices.format_number(m, 2)}" for n, m in zip(names, means, strict=True)
    )
    st.markdown(
        f"**{_shape(x.shape)} → {len(means)} number{'s' if len(means) > 1 else ''}:** {parts}."
    )
