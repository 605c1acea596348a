"""Heatmaps that print their numbers: one cell per array element.

Arrays are indexed ``[row, col]`` with row 0 at the top, as images are. Values in a matrix of at
most ``MAX_PRINTED`` cells per side are written into the cells (with a true minus sign, readable
on a projector); every cell also shows its row, column and value on hover.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cnnviz.numbers import MINUS  # noqa: F401 (re-exported for the figure builders)
from cnnviz.numbers import fixed as format_number
from cnnviz.viz.layout import titled_top_margin

MAX_PRINTED = 32
"""Largest side (in cells) whose values are printed inside the cells."""


MIN_FONT_PX = 10
"""Smallest font (px) a printed cell value may use; smaller text is not printed at all."""
CHAR_WIDTH_EM = 0.6
"""Width of one digit (or minus sign, point) as a fraction of the font size."""
TEXT_PAD_PX = 4
"""Room left between the numbers of neighbouring cells."""
AXIS_FONT_PX = 12
"""Tick labels (row and column numbers)."""
SIDE_MARGINS_PX = 46
"""Left + right margin of a matrix figure: width that the cells do not get."""

CHANNEL_COLORSCALES = {
    "red": [[0.0, "#000000"], [1.0, "#ff2b2b"]],
    "green": [[0.0, "#000000"], [1.0, "#21c354"]],
    "blue": [[0.0, "#000000"], [1.0, "#3d7bff"]],
    "gray": [[0.0, "#000000"], [1.0, "#ffffff"]],
}
"""Dark-to-bright scales, so a channel's heatmap looks like that channel of the photo."""


def min_text_cell_px(longest_chars: int) -> float:
    """Narrowest cell (px) that holds ``longest_chars`` characters at ``MIN_FONT_PX``."""
    if longest_chars < 0:
        raise ValueError(f"longest_chars must be >= 0, got {longest_chars}")
    text_px = longest_chars * CHAR_WIDTH_EM * MIN_FONT_PX
    return max(text_px, MIN_FONT_PX) + TEXT_PAD_PX


def text_fits(
    n_cols: int, width_px: int | None, longest_chars: int, *, margins_px: int = SIDE_MARGINS_PX
) -> bool:
    """Whether a number of ``longest_chars`` characters can be printed legibly in every cell.

    n_cols : cells side by side across the chart.
    width_px : the chart's width in px; None means unknown (assume it fits).
    margins_px : width of the chart that the cells do not get (axis labels, margins).
    A cell is (width_px − margins_px) / n_cols wide and must hold the text at ``MIN_FONT_PX``
    (each character ``CHAR_WIDTH_EM`` of the font size wide) plus ``TEXT_PAD_PX``.
    """
    if n_cols < 1:
        raise ValueError(f"n_cols must be at least 1, got {n_cols}")
    if width_px is None:
        return True
    return (width_px - margins_px) / n_cols >= min_text_cell_px(longest_chars)


def matrix_figure(
    values: np.ndarray,
    *,
    title: str = "",
    window: tuple[int, int, int, int] | None = None,
    show_values: bool | None = None,
    colorscale: str | list = "gray",
    zmin: float | None = None,
    zmax: float | None = None,
    decimals: int | None = None,
    cell_px: int | None = None,
    origin: tuple[int, int] = (0, 0),
    hovertemplate: str = "row %{y}, col %{x}<br>value %{z}<extra></extra>",
    width_px: int | None = None,
) -> go.Figure:
    """A heatmap with one cell per element; ``window=(row, col, h, w)`` outlines a region.

    values : (H, W) numbers; NaN cells are drawn empty (e.g. output not computed yet).
    show_values : print values in the cells; default when both sides are <= MAX_PRINTED.
    colorscale : a plotly scale name or a key of CHANNEL_COLORSCALES.
    decimals : digits after the point; default `decimals_needed` (0, 1 or 2).
    cell_px : pixel size of one cell; default chosen from the matrix size.
    origin : (row, col) index of the top-left cell, for a crop numbered as in its image; the
        axes, hover text and ``window`` all use these numbers.
    width_px : the width (px) the chart gets on a laptop, if known. Cells are then no wider
        than that allows (the height follows, so no empty band above the grid), and values
        that cannot be printed legibly at that width (`text_fits`) are not printed: hover
        still shows them. Printed values of a grid with at least 2 rows and 2 columns get
        plotly's automatic font size, capped at the size that fits ``width_px``: on a
        narrower screen (a phone) the browser shrinks the numbers to the cells they sit in,
        so they never run into each other.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"matrix_figure needs a non-empty 2-D array, got shape {values.shape}")
    height, width = values.shape
    if show_values is None:
        show_values = max(height, width) <= MAX_PRINTED
    if decimals is None:
        decimals = decimals_needed(values)
    cell_px = cell_px or _default_cell_px(height, width)
    text = _formatted(values, decimals) if show_values else None
    if width_px is not None:
        cell_px, text = _fit_to_width(cell_px, text, width, width_px)
        show_values = text is not None
    heatmap = go.Heatmap(
        z=values,
        x0=origin[1],
        y0=origin[0],
        colorscale=CHANNEL_COLORSCALES.get(colorscale, colorscale),
        zmin=zmin,
        zmax=zmax,
        showscale=False,
        xgap=1 if show_values else 0,
        ygap=1 if show_values else 0,
        hovertemplate=hovertemplate,
    )
    layout = _matrix_layout(title, height, width, cell_px)
    if show_values:
        _print_values(heatmap, layout, text, cell_px, fitted=width_px is not None)
    if width_px is not None:  # a width-limited grid hugs its title, spare room goes below
        layout["yaxis"]["constraintoward"] = "top"
    layout["xaxis"]["tick0"], layout["yaxis"]["tick0"] = origin[1], origin[0]
    if window is not None:
        layout["shapes"] = [region_outline(*window)]
    # One construction with the whole layout: plotly validates each update call separately,
    # and several small updates cost several times as much as this.
    fig = go.Figure(heatmap, layout=layout)
    return fig


def decimals_needed(values: np.ndarray, most: int = 2) -> int:
    """Fewest digits after the point (up to ``most``) that show every finite value exactly.

    Whole numbers need 0, halves 1 (127.5), anything finer ``most``; NaN cells are ignored.
    """
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    for decimals in range(most):
        if np.allclose(finite, np.round(finite, decimals), rtol=0, atol=1e-9):
            return decimals
    return most


def _formatted(values: np.ndarray, decimals: int) -> np.ndarray:
    """(H, W) floats -> (H, W) strings, formatted for reading."""
    return np.vectorize(lambda v: format_number(v, decimals), otypes=[object])(values)


def _default_cell_px(height: int, width: int) -> int:
    # Aim for a figure about 560 px across, with cells large enough to hold three digits.
    return int(np.clip(560 // max(height, width), 6, 48))


def _fit_to_width(
    cell_px: int, text: np.ndarray | None, n_cols: int, width_px: int
) -> tuple[int, np.ndarray | None]:
    """Cell size no wider than ``width_px`` allows; the text, or None when it does not fit."""
    cell_px = max(1, min(cell_px, (width_px - SIDE_MARGINS_PX) // n_cols))
    if text is not None and not text_fits(n_cols, width_px, _longest(text)):
        text = None
    return cell_px, text


def _print_values(
    heatmap: go.Heatmap, layout: dict, text: np.ndarray, cell_px: int, *, fitted: bool
) -> None:
    """Write ``text`` (H, W) into the cells; ``fitted``: `text_fits` checked the chart width."""
    heatmap.text = text
    heatmap.texttemplate = "%{text}"
    font_px = _value_font_px(cell_px, text, fitted=fitted)
    # Plotly's automatic size needs neighbours in both directions to measure a cell.
    if fitted and min(text.shape) >= 2:
        _responsive_font(layout, font_px)
    else:
        heatmap.textfont = {"size": font_px}


def _responsive_font(layout: dict, font_px: int) -> None:
    """Leave the value font to plotly: it fits the drawn cells, up to ``font_px``.

    Plotly sizes an unset heatmap ``textfont.size`` from the rendered cell size, capped by the
    layout font size; ticks and hover keep their usual sizes.
    """
    layout["font"] = {"size": font_px}
    layout["xaxis"]["tickfont"] = {"size": AXIS_FONT_PX}
    layout["yaxis"]["tickfont"] = {"size": AXIS_FONT_PX}
    layout["hoverlabel"] = {"font": {"size": 13}}


def _longest(text: np.ndarray) -> int:
    return max(len(t) for t in text.ravel())


def _value_font_px(cell_px: int, text: np.ndarray, *, fitted: bool = False) -> int:
    """Font size for the cell values; ``fitted``: `text_fits` has checked the cells."""
    longest = _longest(text) or 1
    if fitted:  # as large as the cell allows, never below the legible minimum
        room = (cell_px - TEXT_PAD_PX) / (longest * CHAR_WIDTH_EM)
        return int(np.clip(min(cell_px * 0.5, room), MIN_FONT_PX, 18))
    return int(np.clip(min(cell_px * 0.5, cell_px * 1.5 / longest), 7, 18))


def _matrix_layout(title: str, height: int, width: int, cell_px: int) -> dict:
    """Layout of a matrix figure: title band, ticks on top, row 0 at the top, square cells."""
    title_settings, top = titled_top_margin(title)
    dtick = 4 if max(height, width) > 16 else 1  # keep tick labels readable: every 4th index
    axis = {"showgrid": False, "zeroline": False, "constrain": "domain", "dtick": dtick}
    return {
        "title": title_settings,
        "width": None,
        "height": height * cell_px + top + 20,
        "margin": {"l": 36, "r": 10, "t": top, "b": 20},
        "plot_bgcolor": "#ffffff",
        "xaxis": {**axis, "side": "top"},
        "yaxis": {**axis, "autorange": "reversed", "scaleanchor": "x"},
    }


def region_outline(row: int, col: int, h: int, w: int, color: str = "#ff9f1c") -> dict:
    """Plotly shape kwargs for a rectangle around cells [row:row+h, col:col+w]."""
    return {
        "type": "rect",
        "x0": col - 0.5,
        "x1": col + w - 0.5,
        "y0": row - 0.5,
        "y1": row + h - 0.5,
        "line": {"color": color, "width": 4},
    }
