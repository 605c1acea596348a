"""Lesson 5, pooling: its settings and views — max vs average on a small matrix, gradients, a
moving spot, real maps.

Each function draws one block of the page; the maths is in `cnnviz.ops.pool`, the figures in
`cnnviz.viz.pooling` and the feature-map builders. Cached wrappers take explicit arguments.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import kernels
from cnnviz.numbers import MINUS, number, plural, text_number
from cnnviz.ops import conv, display, pixels, pool, shapes
from cnnviz.ui import settings, widgets
from cnnviz.ui.settings import ChoiceSetting, IntSetting
from cnnviz.viz import images, matrices
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


def window_count(side: int, size: int, stride: int) -> int:
    """How many windows a (side × side) matrix has: `shapes.output_size` along both axes."""
    return shapes.output_size(side, min(size, side), stride) ** 2


# --- settings: each declared once (key, link name, label, default, bounds) ---------------------

SEED = IntSetting(key="pool_seed", url="seed", label="Random seed", default=5, lo=0, hi=9999)
SIDE = IntSetting(key="pool_side", url="side", label="Matrix size", default=6, lo=4, hi=8)
VALUES = ChoiceSetting(
    key="pool_values", url="values", label="Numbers", default="digits",
    choices=tuple(VALUE_RANGES), labels=lambda name: VALUE_RANGES[name][0],
)  # fmt: skip
SIZE = IntSetting(key="pool_size", url="size", label="Window k (k × k)", default=2, lo=1, hi=4)
STRIDE = IntSetting(key="pool_stride", url="stride", label="Stride s", default=2, lo=1, hi=4)


def _windows_now(state) -> tuple[int, str]:
    """The window bound for a link: SIDE, SIZE and STRIDE are restored before WINDOW."""
    side, size, stride = state[SIDE.key], state[SIZE.key], state[STRIDE.key]
    count = window_count(side, size, stride)
    return count, (
        f"the {side} × {side} matrix has {plural(count, 'window')} with this window size and stride"
    )


WINDOW = IntSetting(
    key="pool_pick", url="window", label="Window to spell out (counted row by row)",
    default=1, lo=1, hi=window_count(SIDE.hi, SIZE.lo, STRIDE.lo), hi_from=_windows_now,
)  # fmt: skip
SPOT = IntSetting(
    key="pool_spot", url="spot", label="Where is the 9?", default=5, lo=0,
    hi=SPOT_SIDE * SPOT_SIDE - 1, labels=lambda i: f"row {i // SPOT_SIDE}, col {i % SPOT_SIDE}",
)  # fmt: skip
IMAGE = widgets.image_setting("pool_image")
UPLOAD_KEY = "pool_upload"
MAP = ChoiceSetting(
    key="pool_map", url="map", label="What to pool", default="sobel_vertical_edges",
    choices=MAPS, labels=map_title,
)  # fmt: skip
TIMES_LABELS = {1: "once (½ size)", 2: "twice (¼ size)", 3: "3 times (⅛ size)"}
"""How the "pool how many times" slider reads each choice."""
TIMES = IntSetting(
    key="pool_times", url="times", label="Pool how many times (2 × 2, stride 2)", default=1,
    lo=1, hi=3, labels=TIMES_LABELS,
)  # fmt: skip
SETTINGS = (SEED, SIDE, VALUES, SIZE, STRIDE, WINDOW, SPOT, IMAGE, MAP, TIMES)
"""Every setting the link carries, in restore order (WINDOW's bound needs SIDE, SIZE, STRIDE)."""
QUIZ_KEY = "pool_quiz"
NEW_NUMBERS_KEY = "pool_new"


def numbers_controls() -> tuple[np.ndarray, int, int, object]:
    """The matrix settings and window sliders; returns (x, size, stride, window column)."""
    numbers, window = st.columns(2, gap="large")
    with numbers:
        side = settings.slider(SIDE)
        values = settings.select(VALUES)
        seed_box, new_box = st.columns([3, 2], vertical_alignment="bottom")
        seed = settings.number(SEED, container=seed_box)
        new_box.button(
            "New numbers", key=NEW_NUMBERS_KEY, icon=":material/casino:",
            on_click=lambda: st.session_state.update({SEED.key: (SEED.value + 1) % 10_000}),
        )  # fmt: skip
    with window:
        size = settings.slider(SIZE)
        stride = settings.slider(STRIDE)
    return random_matrix(int(seed), side, values), size, stride, window


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


def matrix_view(x: np.ndarray, size: int, stride: int, *, controls) -> dict:
    """The input with windows and winners, max and average outputs, one window's arithmetic.

    controls : the container the window-picking slider goes in.
    """
    found = small_results(x, size, stride)
    H_out, W_out = found["max"].shape
    pick = settings.slider(WINDOW, hi=H_out * W_out, container=controls)
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
    # Two formulas, the sum one window row a line: on one line they ran off a phone's screen.
    st.latex(rf"\max({numbers}) = {_num(found['max'][r, c])}")
    rows = [" + ".join(_num(v) for v in row).replace("+ -", "- ") for row in window.tolist()]
    summed = r" \\ &+ ".join(rows)
    st.latex(
        rf"\begin{{aligned}} (&{summed}) \div {count} \\ "
        rf"&= {_num(total)} \div {count} = {_num(mean)} \end{{aligned}}"
    )


def _num(value: float) -> str:
    """A number for the LaTeX arithmetic (up to 4 decimals)."""
    return number(value, 4)


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


def spot_view() -> None:
    """One 9 in a 4 × 4 map of zeros; 2 × 2 max pooling only sees which window it is in."""
    spot = settings.select_slider(SPOT)
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
