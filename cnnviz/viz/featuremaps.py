"""Figures that tell the truth about filter outputs (feature maps).

Layout: a raw map is (H, W) (an RGB result (H, W, 3) is shown channel by channel, or through
`clipped_map_figure` / `normalised_map_figure`); row 0 is at the top, as in images.

A filter's raw output can be negative or larger than 255, so it is drawn three ways:

- `raw_map_figure`: the true values on a diverging scale centred on 0 (blue negative, white 0,
  red positive) with a colour bar, and the values under the mouse;
- `clipped_map_figure`: what a screen shows, values cut to 0-255 (negatives turn black);
- `normalised_map_figure`: the map stretched so its minimum is black and its maximum white.

Payload: large maps are sent as a compressed picture plus a grid of hover values, never one
number per pixel, so a 512 × 512 filtered photo costs under 150 KB of chart data.
"""

from __future__ import annotations

import base64
import io
import math

import cv2
import numpy as np
import plotly.colors
import plotly.graph_objects as go
from PIL import Image

from cnnviz.ops.display import clip_to_uint8, normalise_to_uint8
from cnnviz.viz.images import image_figure
from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import MAX_PRINTED, matrix_figure

RAW_COLORSCALE = "RdBu_r"
"""Diverging scale: blue for negative, white for 0, red for positive."""

PICTURE_SIDE = 320
"""Large maps are drawn as a picture of at most this many pixels per side (display only)."""

COLOUR_LEVELS = 65
"""Colours in a large map's picture; odd, so that 0 gets exactly the middle (white) colour."""

HOVER_TEMPLATE = "row %{y}, col %{x}<br>raw value %{z:.6~g}<extra></extra>"
"""Hover text: true coordinates and the raw value to 6 significant digits."""


def raw_map_figure(
    values: np.ndarray,
    *,
    title: str = "",
    max_hover_side: int = 160,
    height_px: int = 420,
    limit: float | None = None,
) -> go.Figure:
    """A raw feature map on a diverging colour scale centred on 0, with a colour bar.

    The colour limits are ``±limit``, by default ``±max|values|`` (±1 for an all-zero map), so
    white always means 0. A smaller `limit` (e.g. `cnnviz.ops.display.colour_limit`) lets a
    few extreme values saturate so the rest are not washed out; hover still shows true values.

    - side <= MAX_PRINTED (32): one cell per value with the value printed in it;
    - side <= `max_hover_side`: one cell per value, each value on hover;
    - larger: a compressed picture (at most PICTURE_SIDE per side) over the map's pixel grid,
      under an invisible heatmap of every k-th value (k chosen so at most `max_hover_side`
      values per side), so hovering shows the true row, column and raw value of the nearest
      sampled pixel.

    Hover shows raw values to 6 significant digits (they are sent as float32, or exactly
    as small unsigned integers when they are whole numbers).

    Parameters
    ----------
    values : (H, W) finite numbers
    title : str
    max_hover_side : int >= 1
    height_px : int, figure height for maps that are not printed cell by cell

    Returns
    -------
    go.Figure with x ticks on top, rows counting down and square pixels.
    """
    values = _check_raw(values)
    if isinstance(max_hover_side, bool) or not isinstance(max_hover_side, (int, np.integer)):
        raise ValueError(f"max_hover_side must be a whole number, got {max_hover_side!r}.")
    if max_hover_side < 1:
        raise ValueError(f"max_hover_side must be at least 1, got {max_hover_side}.")
    H, W = values.shape
    limit = _limit(values, limit)
    if max(H, W) <= MAX_PRINTED:
        return _printed_map(values, title, limit)
    if max(H, W) <= max_hover_side:
        fig = go.Figure(_values_heatmap(values, np.arange(H), np.arange(W), limit))
    else:
        fig = _picture_map(values, limit, int(max_hover_side))
    _map_layout(fig, title, H, W, height_px)
    return fig


def clipped_map_figure(values: np.ndarray, *, title: str = "", height_px: int = 420) -> go.Figure:
    """The map as a screen shows it: rounded and cut to 0-255 (`clip_to_uint8`).

    values : (H, W) or (H, W, 3) finite numbers; drawn as gray or RGB pixels by `image_figure`,
    a large map as a lossless picture of at most PICTURE_SIDE per side, like the raw view's.
    """
    pixels = clip_to_uint8(values)
    return image_figure(
        pixels, title=title, height_px=height_px, lossless=True, max_side=PICTURE_SIDE
    )


def normalised_map_figure(
    values: np.ndarray, *, title: str = "", height_px: int = 420
) -> go.Figure:
    """The map stretched to 0-255, minimum black and maximum white (`normalise_to_uint8`).

    values : (H, W) or (H, W, 3) finite numbers; a constant map is drawn mid-gray, a large map
    as a lossless picture of at most PICTURE_SIDE per side, like the raw view's.
    """
    pixels = normalise_to_uint8(values)
    return image_figure(
        pixels, title=title, height_px=height_px, lossless=True, max_side=PICTURE_SIDE
    )


def png_bytes(pixels: np.ndarray) -> bytes:
    """Encode pixels as a PNG file, e.g. for a download button.

    pixels : (H, W) gray or (H, W, 3) RGB uint8  ->  PNG bytes (RGB order kept).
    """
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        raise ValueError(f"png_bytes needs uint8 pixels 0-255, got dtype {pixels.dtype}.")
    if pixels.ndim not in (2, 3) or pixels.size == 0 or (pixels.ndim == 3 and pixels.shape[2] != 3):
        raise ValueError(f"png_bytes needs (H, W) or (H, W, 3) pixels, got shape {pixels.shape}.")
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG")
    return buffer.getvalue()


def neighbourhood_figure(
    values: np.ndarray,
    row: int,
    col: int,
    *,
    radius: int = 4,
    title: str = "",
    limit: float | None = None,
) -> go.Figure:
    """The raw values around (row, col), printed on the diverging scale, that cell outlined.

    values : (H, W) finite numbers. Shows rows ``row - radius .. row + radius`` (and columns
    likewise), cut at the borders, numbered as in the full map. The colour limits are those of
    the whole map (or ``±limit``), so the colours match `raw_map_figure`.
    """
    values = _check_raw(values)
    H, W = values.shape
    if not (0 <= row < H and 0 <= col < W):
        raise ValueError(f"cell ({row}, {col}) is outside the {H}×{W} map.")
    top, left = max(row - radius, 0), max(col - radius, 0)
    crop = values[top : row + radius + 1, left : col + radius + 1]  # (<= 2r+1, <= 2r+1)
    limit = _limit(values, limit)
    fig = matrix_figure(
        crop,
        title=title,
        colorscale=RAW_COLORSCALE,
        zmin=-limit,
        zmax=limit,
        origin=(top, left),
        window=(row, col, 1, 1),
        hovertemplate=HOVER_TEMPLATE,
    )
    return fig


# ---------------------------------------------------------------------------------------------
# Helpers.


def _check_raw(values: object) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.size == 0:
        raise ValueError(
            f"raw_map_figure needs a non-empty (H, W) map, got shape {values.shape}; show the "
            "channels of an (H, W, 3) result one by one."
        )
    if not np.isfinite(values).all():
        raise ValueError("raw_map_figure needs finite values; this map contains NaN or infinity.")
    return values


def _limit(values: np.ndarray, limit: float | None) -> float:
    """The colour limit: ``limit`` if given (must be > 0), else max|values| (1 if all zero)."""
    if limit is None:
        return float(np.abs(values).max()) or 1.0
    if not (math.isfinite(limit) and limit > 0):
        raise ValueError(f"limit must be a positive number, got {limit!r}.")
    return float(limit)


def _colorbar() -> dict:
    return {"title": {"text": "raw value", "side": "right"}, "thickness": 14}


def _printed_map(values: np.ndarray, title: str, limit: float) -> go.Figure:
    """Small map: the matrix figure (values printed in the cells) on the diverging scale."""
    fig = matrix_figure(
        values,
        title=title,
        colorscale=RAW_COLORSCALE,
        zmin=-limit,
        zmax=limit,
        hovertemplate=HOVER_TEMPLATE,
    )
    fig.data[0].update(showscale=True, colorbar=_colorbar())
    return fig


def _compact(z: np.ndarray) -> np.ndarray:
    """The smallest typed array that keeps what hover shows.

    Whole numbers from 0 to 65535 go as uint8/uint16, exactly; anything else as float32, which
    keeps the 6 significant digits hover shows. (Signed integers would save nothing: plotly
    escapes every "/" of the base64 text as 6 characters, and the 0xFF bytes of small negative
    integers are full of them.)
    """
    if z.min() >= 0 and np.array_equal(z, np.round(z)):
        for dtype in (np.uint8, np.uint16):
            if z.max() <= np.iinfo(dtype).max:
                return z.astype(dtype)
    return z.astype(np.float32) if np.abs(z).max() < 1e38 else z


def _values_heatmap(z: np.ndarray, rows: np.ndarray, cols: np.ndarray, limit: float) -> go.Heatmap:
    """One cell per value of `z` (h, w); cell (i, j) is centred on row rows[i], column cols[j]."""
    return go.Heatmap(
        z=_compact(z),
        x=cols.astype(np.int32),
        y=rows.astype(np.int32),
        colorscale=RAW_COLORSCALE,
        zmin=-limit,
        zmax=limit,
        colorbar=_colorbar(),
        hovertemplate=HOVER_TEMPLATE,
    )


def _picture_map(values: np.ndarray, limit: float, max_hover_side: int) -> go.Figure:
    """Large map: a PNG picture plus an invisible heatmap of every k-th value for hover."""
    H, W = values.shape
    source, (shown_h, shown_w) = _picture_source(values, limit)
    dx, dy = W / shown_w, H / shown_h
    # Stretch the picture over the map's own pixel grid: its left edge at column -0.5, etc.
    picture = go.Image(
        source=source, x0=(dx - 1) / 2, dx=dx, y0=(dy - 1) / 2, dy=dy, hoverinfo="skip"
    )
    k = math.ceil(max(H, W) / max_hover_side)
    # Sample the middle pixel of each k × k block, so each hover cell covers its own block
    # (along a side shorter than k: its middle pixel).
    rows = np.arange(min((k - 1) // 2, (H - 1) // 2), H, k)
    cols = np.arange(min((k - 1) // 2, (W - 1) // 2), W, k)
    hover = _values_heatmap(values[np.ix_(rows, cols)], rows, cols, limit)
    hover.opacity = 0  # invisible, but it still answers hover and draws the colour bar
    return go.Figure([picture, hover])


def _picture_source(values: np.ndarray, limit: float) -> tuple[str, tuple[int, int]]:
    """A PNG data URI of the colour-mapped map (shrunk to PICTURE_SIDE) and its (h, w)."""
    H, W = values.shape
    shown = values
    scale = PICTURE_SIDE / max(H, W)
    if scale < 1:
        size = (max(1, round(W * scale)), max(1, round(H * scale)))  # OpenCV wants (w, h)
        shown = cv2.resize(values, size, interpolation=cv2.INTER_AREA)
    # -limit -> colour 0, 0 -> the middle colour, +limit -> the last colour.
    index = np.rint((shown / limit + 1) / 2 * (COLOUR_LEVELS - 1))
    index = np.clip(index, 0, COLOUR_LEVELS - 1).astype(np.uint8)  # (h, w)
    picture = Image.frombytes("P", (index.shape[1], index.shape[0]), index.tobytes())
    picture.putpalette(_colour_table(COLOUR_LEVELS).tobytes())  # a palette PNG: 1 byte a pixel
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return "data:image/png;base64," + encoded, index.shape


def _colour_table(levels: int) -> np.ndarray:
    """(levels, 3) uint8 RGB colours of RAW_COLORSCALE, evenly spaced as plotly interpolates it."""
    scale = plotly.colors.get_colorscale(RAW_COLORSCALE)
    positions = [position for position, _ in scale]
    rgb = np.array([plotly.colors.unlabel_rgb(colour) for _, colour in scale])  # (stops, 3)
    at = np.linspace(0, 1, levels)
    table = [np.interp(at, positions, rgb[:, channel]) for channel in range(3)]
    return np.rint(np.stack(table, axis=-1)).astype(np.uint8)


def _map_layout(fig: go.Figure, title: str, height: int, width: int, height_px: int) -> None:
    """Ticks on top, row 0 at the top, square pixels, exactly the map's extent."""
    title_settings, top = titled_top_margin(title)
    fig.update_layout(
        title=title_settings,
        height=height_px,
        margin={"l": 40, "r": 10, "t": top, "b": 20},
        plot_bgcolor="#ffffff",
    )
    fig.update_xaxes(
        side="top", showgrid=False, zeroline=False, range=[-0.5, width - 0.5], constrain="domain"
    )
    fig.update_yaxes(
        showgrid=False,
        zeroline=False,
        range=[height - 0.5, -0.5],  # reversed: row 0 at the top
        scaleanchor="x",
        constrain="domain",
    )
