"""Lesson 2's output map filling in, as a Vega-Lite chart whose cells can be tapped.

Why not plotly here: plotly selects a clicked point from its last *hover*, and on a touch
screen a tap's hover is computed only after the tap's selection — so on a phone a tap selected
the previously tapped cell, and the first tap nothing. Vega-Lite's point selection comes from
the mark under the finger or the mouse, so a tap and a click both pick the cell they hit.
The look follows lesson 2's other maps (`cnnviz.viz.convolution`): diverging colours (blue
negative, white 0, red positive) from the finished map, values printed, the newest cell
outlined.
"""

from __future__ import annotations

import numpy as np

from cnnviz.numbers import fixed

FONT = '"Source Sans", "Source Sans Pro", sans-serif'
"""Streamlit's font, as the other Vega-Lite charts (`cnnviz.viz.train_a_cnn_live`) use it."""
ZERO = "#ffffff"
"""A cell not computed yet: white, the colour of 0."""

OUTLINE = "#ff9f1c"
"""The window's colour in the input chart; the cell it fills is outlined in it too."""
SELECTION = "cell"
"""The name of the chart's point selection: the tapped cell's ``row`` and ``col``."""


def output_cells_spec(
    output: np.ndarray, *, filled: int, title: str, decimals: int, cell_px: int | None = None
) -> dict:
    """The first ``filled`` cells of ``output`` (row by row) coloured and printed, the rest empty.

    output : (H_out, W_out), the finished map; colours come from all of it, so nothing shifts
        while it fills in.  filled : 1 … H_out * W_out; the last filled cell is outlined.
    decimals : digits printed after the point.  cell_px : one cell's side in pixels.
    Data: the dataset "cells": row, col, value (NaN until filled), its label and colour.
    """
    output = np.asarray(output, dtype=np.float64)
    if output.ndim != 2 or output.size == 0:
        raise ValueError(f"output_cells_spec needs a non-empty 2-D array, got {output.shape}")
    H_out, W_out = output.shape
    filled = int(np.clip(filled, 0, output.size))
    cell_px = cell_px or max(18, min(48, 300 // max(H_out, W_out)))
    finite = output[np.isfinite(output)]
    limit = float(np.max(np.abs(finite))) if finite.size else 1.0
    shown = output.ravel().copy()
    shown[filled:] = np.nan
    rows, cols = (a.ravel() for a in np.indices(output.shape))
    cells = {
        "row": rows,
        "col": cols,
        "value": shown,
        "shade": np.nan_to_num(shown),  # NaN-free: Vega-Lite drops a mark with a NaN colour
        "filled": np.isfinite(shown),
        "label": np.array([fixed(v, decimals) for v in shown], dtype=object),
        "dark": np.nan_to_num(np.abs(shown)) > 0.6 * (limit or 1.0),
        "newest": np.arange(output.size) == filled - 1,
    }
    return {
        "title": {"text": title, "anchor": "start", "fontSize": 14, "font": FONT},
        "width": W_out * cell_px,
        "height": H_out * cell_px,
        "datasets": {"cells": cells},
        "data": {"name": "cells"},
        "layer": _layers(limit or 1.0, max(9, min(14, cell_px // 3))),
        "autosize": {"type": "pad"},
        "padding": {"top": 8, "left": 4, "right": 4, "bottom": 4},  # room for the title's ascent
        "config": {"font": FONT, "view": {"stroke": None}},
    }


def _layers(limit: float, font_px: int) -> list[dict]:
    x = {"field": "col", "type": "ordinal", "title": None,
         "axis": {"orient": "top", "labelAngle": 0, "labelFontSize": 11}}  # fmt: skip
    y = {"field": "row", "type": "ordinal", "title": None, "axis": {"labelFontSize": 11}}
    tooltip = [
        {"field": "row"},
        {"field": "col", "title": "column"},
        {"field": "label", "title": "value"},
    ]
    colour = {  # a cell not computed yet stays white, and can still be tapped
        "condition": {
            "test": "datum.filled",
            "field": "shade",
            "type": "quantitative",
            "legend": None,
            # ColorBrewer's RdBu turned round: the kernel's and input's plotly "RdBu_r"
            "scale": {"scheme": "redblue", "reverse": True, "domain": [-limit, limit]},
        },
        "value": ZERO,
    }
    cells = {
        "mark": {"type": "rect", "stroke": "#e6e9ef", "strokeWidth": 0.5, "cursor": "pointer"},
        "params": [{"name": SELECTION, "select": {"type": "point", "fields": ["row", "col"]}}],
        "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip},
    }
    labels = {
        "mark": {"type": "text", "fontSize": font_px, "font": FONT},
        "encoding": {
            "x": x,
            "y": y,
            "text": {"field": "label"},
            "color": {"condition": {"test": "datum.dark", "value": "#ffffff"}, "value": "#1b1f24"},
            "tooltip": tooltip,
        },
    }
    newest = {
        "mark": {"type": "rect", "fill": None, "stroke": OUTLINE, "strokeWidth": 3},
        "transform": [{"filter": "datum.newest"}],
        "encoding": {"x": x, "y": y, "tooltip": tooltip},
    }
    return [cells, labels, newest]
