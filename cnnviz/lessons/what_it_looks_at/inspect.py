"""The numeric inspector: a map too large to print its values (a 28 × 28 input's) gets a
7 × 7 window of them around the cell the view is about, numbered as in the map.

Up to 8 × 8 (the digits) every map prints its own numbers and nothing extra is drawn.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cnnviz.ui import widgets
from cnnviz.viz import what_it_looks_at as figures


def inspector(
    values: np.ndarray,
    drawn: go.Figure,
    centre: tuple[int, int],
    *,
    what: str,
    decimals: int | None = None,
    signed: bool = True,
    width_px: int = figures.PANEL_PX,
) -> None:
    """Print the values around `centre` when the drawn map `drawn` of `values` (H, W) does not.

    what : the map's name for the title ("∂ score / ∂ pixel"). signed : blue/red like
    `figures.signed_figure` on the whole map's colour scale (False: ink on paper, 0..1).
    width_px : the chart's width on a laptop (the column it is drawn in).
    """
    if figures.prints_values(drawn):
        return
    top, left, h, w = figures.inspected_window(values.shape, centre)
    crop = values[top : top + h, left : left + w]
    title = f"{what}: rows {top}–{top + h - 1}, columns {left}–{left + w - 1}"
    if signed:
        limit = float(np.nanmax(np.abs(values))) or None
        fig = figures.signed_figure(
            crop, title=title, mark=centre, origin=(top, left), limit=limit,
            width_px=width_px, decimals=decimals,
        )  # fmt: skip
    else:
        fig = figures.input_figure(crop, title=title, origin=(top, left),
                                   width_px=width_px)  # fmt: skip
    widgets.chart(fig)
