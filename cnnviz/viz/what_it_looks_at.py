"""Figures of lesson 9 (what does the network look at?): arrays in, ``go.Figure`` out.

Maps are (H, W) with row 0 at the top, as the input images are. Heatmaps are
`cnnviz.viz.matrices.matrix_figure`s: up to 32 × 32 they print their values (with real minus
signs) wherever the numbers fit the chart's width, and every cell hovers its value. Tiny
values (gradients) print in units of a power of ten named in the title
(`cnnviz.viz.train_a_cnn.unit_format`), never as 0.00. Mosaics of several maps are lesson 7's
`cnnviz.viz.train_a_cnn.mosaic_figure`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from cnnviz.numbers import fixed, text_number
from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import matrix_figure, region_outline
from cnnviz.viz.train_a_cnn import DIVERGING, INK, unit_format, unit_title

PANEL_PX = 400
"""The width a figure in half of a laptop page is drawn at."""
THIRD_PX = 280
"""The width a figure in a third of a laptop page is drawn at (cells then fit that width, so
no empty band is left under a row of three)."""
BOX_COLOUR = "#ff9f1c"
HEAT = [[0.0, "rgba(214, 39, 40, 0)"], [1.0, "rgba(214, 39, 40, 0.85)"]]
"""Grad-CAM over the image: transparent at 0, strong red at the map's maximum."""
CHECKED_COLOUR = "#2ca02c"
INSPECTED = 7
"""Side of the numeric inspector's window (its values print at a third of a laptop page)."""
PAPER = "Greys"
"""Plotly's white-to-black scale (a name: `matrix_figure` takes names): ink on paper."""


def _check_map(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"expected a non-empty (H, W) map, got shape {values.shape}")
    return values


def input_figure(
    image: np.ndarray,
    *,
    title: str = "",
    width_px: int = PANEL_PX,
    decimals: int = 2,
    origin: tuple[int, int] = (0, 0),
) -> go.Figure:
    """The network's input as ink on paper (0 white, 1 black), each value printed if it fits;
    an RGB input as the colour image it is (hover gives each pixel's R, G, B in 0..1).

    image : (H, W) or (3, H, W) in 0..1.  origin : (row, col) of the top-left cell (a crop
    keeps its image's numbering).
    """
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[0] == 3:
        return colour_figure(image, title=title, width_px=width_px, origin=origin)
    image = _check_map(image)
    return matrix_figure(
        image, title=title, colorscale=PAPER, zmin=0, zmax=1, decimals=decimals,
        width_px=width_px, origin=origin,
    )  # fmt: skip


def colour_figure(
    image: np.ndarray,
    *,
    title: str = "",
    width_px: int = PANEL_PX,
    origin: tuple[int, int] = (0, 0),
) -> go.Figure:
    """An RGB input (3, H, W) in 0..1 as a colour image, cells numbered from `origin`."""
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 3 or image.shape[0] != 3 or image.size == 0:
        raise ValueError(f"expected a (3, H, W) image, got shape {image.shape}")
    rgb = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8).transpose(1, 2, 0)  # (H, W, 3)
    fig = go.Figure(
        go.Image(
            z=rgb, x0=origin[1], y0=origin[0], customdata=image.transpose(1, 2, 0),
            hovertemplate="row %{y}, col %{x}<br>R %{customdata[0]:.2f} G %{customdata[1]:.2f} "
            "B %{customdata[2]:.2f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(_square_layout(title, rgb.shape[:2], width_px))
    return fig


def _square_layout(title: str, hw: tuple[int, int], width_px: int) -> dict:
    """Layout of an image-like figure: square cells filling `width_px`, row 0 at the top."""
    title_settings, top_px = titled_top_margin(title)
    cell_px = max(4, (width_px - 46) // hw[1])
    axis = {"showgrid": False, "zeroline": False, "constrain": "domain"}
    return {
        "title": title_settings,
        "height": hw[0] * cell_px + top_px + 20,
        "margin": {"l": 36, "r": 10, "t": top_px, "b": 20},
        "plot_bgcolor": "#ffffff",
        "xaxis": {**axis, "side": "top"},
        "yaxis": {**axis, "autorange": "reversed", "scaleanchor": "x"},
    }


def prints_values(fig: go.Figure) -> bool:
    """True when a `matrix_figure` prints its values (False: too many cells for its width)."""
    return fig.data[0].text is not None


def inspected_window(
    shape: tuple[int, int], centre: tuple[int, int], size: int = INSPECTED
) -> tuple[int, int, int, int]:
    """(top, left, h, w): a size × size window of an (H, W) map around `centre`, kept inside.

    The numeric inspector of a map too large to print its values shows this window.
    """
    H, W = shape
    h, w = min(size, H), min(size, W)
    top = min(max(centre[0] - h // 2, 0), H - h)
    left = min(max(centre[1] - w // 2, 0), W - w)
    return top, left, h, w


def box_figure(
    image: np.ndarray,
    rows: tuple[int, int],
    cols: tuple[int, int],
    *,
    title: str = "",
    width_px: int = PANEL_PX,
) -> go.Figure:
    """The input with the receptive field's box (rows/cols: first, last, inclusive) outlined."""
    fig = input_figure(image, title=title, width_px=width_px)
    outline = region_outline(rows[0], cols[0], rows[1] - rows[0] + 1, cols[1] - cols[0] + 1)
    fig.update_layout(shapes=[{**outline, "line": {"color": BOX_COLOUR, "width": 4}}])
    return fig


def signed_figure(
    values: np.ndarray,
    *,
    title: str = "",
    mark: tuple[int, int] | None = None,
    box: tuple[tuple[int, int], tuple[int, int]] | None = None,
    width_px: int = PANEL_PX,
    decimals: int | None = None,
    origin: tuple[int, int] = (0, 0),
    limit: float | None = None,
) -> go.Figure:
    """A map of either sign: blue negative, white 0, red positive, values printed.

    values : (H, W). Values much smaller or larger than 1 print in units of a power of ten,
    which the title then names. mark : (row, col) of one cell to outline (green).
    decimals : digits after the point (default: 4 significant digits of the largest, at most 3).
    box : ((first row, last row), (first col, last col)) to outline (orange).
    origin : (row, col) of the top-left cell; mark and box use the same numbering.
    limit : the colour scale's ends ±limit (default the largest |value|; a crop passes its
        whole map's, so its colours match the map's).
    """
    values = _check_map(values)
    exponent, needed = unit_format(values)
    decimals = min(needed, 3) if decimals is None else decimals
    limit = (limit or float(np.nanmax(np.abs(values)))) or 1.0
    shapes = []
    if box is not None:
        (r0, r1), (c0, c1) = box
        shapes.append(region_outline(r0, c0, r1 - r0 + 1, c1 - c0 + 1, BOX_COLOUR))
    if mark is not None:
        shapes.append(region_outline(*mark, 1, 1, CHECKED_COLOUR))
    fig = matrix_figure(
        values / 10.0**exponent, title=title + unit_title(exponent), colorscale=DIVERGING,
        zmin=-limit / 10.0**exponent, zmax=limit / 10.0**exponent,
        decimals=decimals, width_px=width_px, origin=origin,
    )  # fmt: skip
    if shapes:
        fig.update_layout(shapes=shapes)
    return fig


def overlay_figure(
    image: np.ndarray, heat: np.ndarray, *, title: str = "", width_px: int = PANEL_PX
) -> go.Figure:
    """A heat map laid over the image: (H, W) image 0..1 in grey (or (3, H, W) in colour),
    (H, W) heat ≥ 0 in red.

    Hover gives each pixel's heat; no values are printed (the map beside it prints them).
    """
    image, heat = np.asarray(image), _check_map(heat)
    if image.ndim == 3 and image.shape[0] == 3:
        below = colour_figure(image).data[0].update(hoverinfo="skip", hovertemplate=None)
    else:
        image = _check_map(image)
        below = go.Heatmap(
            z=image, colorscale=INK, zmin=0, zmax=1, showscale=False, hoverinfo="skip"
        )
    if image.shape[-2:] != heat.shape:
        raise ValueError(f"image {image.shape} and heat {heat.shape} must have the same size")
    top = float(heat.max()) or 1.0
    return go.Figure(
        [
            below,
            go.Heatmap(
                z=heat,
                colorscale=HEAT,
                zmin=0,
                zmax=top,
                showscale=False,
                hovertemplate="row %{y}, col %{x}<br>heat %{z:.3f}<extra></extra>",
            ),
        ],  # fmt: skip
        layout=_square_layout(title, heat.shape, width_px),
    )


def bars_figure(
    values: np.ndarray, labels: Sequence[str], *, title: str = "", axis_title: str = ""
) -> go.Figure:
    """One bar per value, each printed with a real minus sign (e.g. Grad-CAM's α per channel).

    values : (n,) any real numbers.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or len(values) != len(labels) or values.size == 0:
        raise ValueError(f"need one label per value, got {len(labels)} for {values.shape}")
    exponent, decimals = unit_format(values)
    shown = values / 10.0**exponent
    title_settings, top = titled_top_margin(title + unit_title(exponent))
    colours = np.where(values >= 0, "#d6604d", "#4393c3")
    return go.Figure(
        go.Bar(
            x=list(labels),
            y=shown,
            text=[fixed(v, min(decimals, 3)) for v in shown],
            textposition="outside",
            cliponaxis=False,
            marker_color=list(colours),
            hovertemplate="%{x}: %{y:.4g}<extra></extra>",
        ),  # fmt: skip
        layout={
            "title": title_settings,
            "height": 280,
            "margin": {"l": 50, "r": 10, "t": top, "b": 40},
            "plot_bgcolor": "#ffffff",
            "xaxis": {"type": "category"},
            "yaxis": {
                "gridcolor": "#eee",
                "zerolinecolor": "#888",
                "title": {"text": axis_title},
            },  # fmt: skip
        },
    )


def flip_figure(
    eps: np.ndarray,
    probability: np.ndarray,
    *,
    answer: str,
    flip_eps: float | None,
    chosen_eps: float,
    title: str = "",
) -> go.Figure:
    """The probability of the original answer as ε grows, with the flip and the chosen ε.

    eps : (E,) ascending.  probability : (E,) the original answer's probability at each ε.
    """
    eps, probability = np.asarray(eps, dtype=np.float64), np.asarray(probability, np.float64)
    if eps.shape != probability.shape or eps.ndim != 1:
        raise ValueError(f"eps {eps.shape} and probability {probability.shape} must match")
    title_settings, top = titled_top_margin(title)
    # The chosen ε is labelled to the right of its line, the flip to the left of its own.
    lines = [{"x": chosen_eps, "colour": "#444", "text": f"ε = {text_number(chosen_eps)}",
              "anchor": "left"}]  # fmt: skip
    if flip_eps is not None:
        lines.append({"x": flip_eps, "colour": "#d62728", "text": f"flips at {flip_eps:g}",
                      "anchor": "right"})  # fmt: skip
    shapes = [
        {"type": "line", "x0": ln["x"], "x1": ln["x"], "y0": 0, "y1": 1, "yref": "paper",
         "line": {"color": ln["colour"], "dash": "dot", "width": 2}}
        for ln in lines
    ]  # fmt: skip
    notes = [
        {"x": ln["x"], "y": 1, "yref": "paper", "text": ln["text"], "showarrow": False,
         "yanchor": "bottom", "xanchor": ln["anchor"], "font": {"color": ln["colour"],
         "size": 13}}
        for ln in lines
    ]  # fmt: skip
    return go.Figure(
        go.Scatter(
            x=eps,
            y=100 * probability,
            mode="lines+markers",
            marker={"size": 5},
            name=f"P({answer})",
            hovertemplate="ε %{x}: %{y:.1f} %<extra></extra>",
        ),  # fmt: skip
        layout={
            "title": title_settings,
            "height": 300,
            "margin": {"l": 60, "r": 20, "t": top + 10, "b": 45},
            "plot_bgcolor": "#ffffff",
            "shapes": shapes,
            "annotations": notes,
            "xaxis": {"title": {"text": "ε"}, "gridcolor": "#eee"},
            "yaxis": {
                "title": {"text": f"P({answer}) in %"},
                "range": [0, 105],
                "gridcolor": "#eee",
            },  # fmt: skip
        },
    )
