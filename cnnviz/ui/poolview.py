"""Lesson 5's views: max vs average on a small matrix, gradients, a moving spot, real maps.

Each function draws one block of the page; the maths is in `cnnviz.ops.pool`, the figures in
`cnnviz.viz.pooling` and the feature-map builders. Cached wrappers take explicit arguments.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import kernels
from cnnviz.ops import conv, display, pixels, pool, shapes
from cnnviz.ui import widgets
from cnnviz.viz import featuremaps, images, matrices
from cnnviz.viz import pooling as pool_figures

VALUE_RANGES = {
    "digits": ("Whole numbers 0 to 9", 0, 9),
    "ties": ("0 to 3 (many ties)", 0, 3),
    "signed": ("−9 to 9 (negatives too)", -9, 9),
}
WORKING_SIDE = 256
"""Real pictures are pooled at most this large per side (enough to see, cheap to send)."""
SPOT_SIDE = 4
MAPS = ("photo", *kernels.PRESETS)


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


def image_view(photo: widgets.PickedImage, map_name: str, times: int) -> np.ndarray:
    """Original, max-pooled and average-pooled real map, with their shapes. Returns the map."""
    try:
        x = working_map(photo.pixels, map_name)
    except shapes.ShapeError as error:
        st.warning(f"This picture is too small for the filter, so the photo is pooled: {error}")
        x = working_map(photo.pixels, "photo")
    try:
        maxed, averaged = pooled_map(x, times, "max"), pooled_map(x, times, "avg")
    except shapes.ShapeError as error:
        st.warning(f"This picture is too small to pool {times} times: {error}")
        return x
    factor = 2**times
    titles = (
        f"Original {_shape(x.shape)}",
        f"Max pooled {times}× ({factor}× smaller) · {_shape(maxed.shape)}",
        f"Average pooled {times}× · {_shape(averaged.shape)}",
    )
    columns = st.columns(3, gap="medium")
    for column, values, title in zip(columns, (x, maxed, averaged), titles, strict=True):
        with column:
            widgets.chart(_map_figure(values, title))
    kept = averaged.size / x.size
    st.markdown(
        f"{map_title(map_name)} of {photo.label}: **{_shape(x.shape)} → {_shape(maxed.shape)}**, "
        f"{maxed.size:,} of {x.size:,} numbers kept ({kept:.1%})."
    )
    return x


@st.cache_resource(max_entries=24, show_spinner=False)
def _map_figure(values: np.ndarray, title: str):
    """Figure of a real map. Cached as a resource (no copy): the figure is only ever read, and
    building a picture figure costs tens of milliseconds."""
    if values.ndim == 3:  # the RGB photo: pixels 0–255 (averages rounded for display)
        return images.image_figure(display.clip_to_uint8(values), title=title, height_px=340)
    return featuremaps.raw_map_figure(values, title=title, height_px=340)


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
