"""Layout rules every figure shares: a title in its own band above the top axis ticks."""

from __future__ import annotations

TITLE_BAND_PX = 34
"""Height of the band the title sits in, above the column numbers of the top x axis."""
TOP_TICKS_PX = 26
"""Room for the column numbers when the x axis is drawn on top."""


def titled_top_margin(title: str) -> tuple[dict, int]:
    """Plotly ``title`` settings and the top margin (px) for a figure with x ticks on top.

    The title is anchored to the top of the figure (container coordinates), so long titles
    never run into the tick labels below them.
    """
    top = TOP_TICKS_PX + (TITLE_BAND_PX if title else 0)
    settings = {
        "text": title,
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 8, "l": 4},
        "font": {"size": 16},
    }
    return settings, top
