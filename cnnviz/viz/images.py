"""Pictures drawn as pictures: photos, crops and resized images with pixel values on hover.

Images are uint8 ``(H, W, 3)`` RGB or ``(H, W)`` grayscale. Large images are sent to the browser
as a compressed PNG (``binary_string``) and shrunk for display to at most ``MAX_DISPLAY_SIDE``;
small ones are sent as numbers, so hovering shows each pixel's exact value.
"""

from __future__ import annotations

import cv2
import numpy as np
import plotly.express as px
import plotly.graph_objects as go

from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import region_outline

MAX_DISPLAY_SIDE = 512
"""Images larger than this are downsampled for display only (the lesson keeps every pixel)."""

EXACT_HOVER_SIDE = 128
"""Images up to this size are sent as numbers, so hover shows the exact values."""


def image_figure(
    pixels: np.ndarray,
    *,
    title: str = "",
    region: tuple[int, int, int, int] | None = None,
    height_px: int = 420,
) -> go.Figure:
    """Show an image at its true aspect ratio; ``region=(row, col, h, w)`` outlines a crop.

    pixels : (H, W, 3) or (H, W) uint8. Axis ticks count pixels of the full image, even when
    the picture is shrunk for display.
    """
    pixels = np.asarray(pixels)
    if pixels.ndim not in (2, 3) or pixels.size == 0 or (pixels.ndim == 3 and pixels.shape[2] != 3):
        raise ValueError(f"image_figure needs (H, W) or (H, W, 3) pixels, got {pixels.shape}")
    height, width = pixels.shape[:2]
    if max(height, width) <= EXACT_HOVER_SIDE:
        fig = _exact_image(pixels)
    else:
        fig = _compressed_image(pixels, height, width)
    title_settings, top = titled_top_margin(title)
    fig.update_layout(
        title=title_settings,
        height=height_px,
        margin={"l": 40, "r": 10, "t": top, "b": 20},
        coloraxis_showscale=False,
    )
    fig.update_xaxes(side="top", showgrid=False, constrain="domain")
    fig.update_yaxes(showgrid=False, scaleanchor="x", constrain="domain")
    if region is not None:
        fig.add_shape(**region_outline(*region))
    return fig


def _exact_image(pixels: np.ndarray) -> go.Figure:
    """Every pixel sent as numbers: hover shows exact values, cells stay crisp when enlarged."""
    if pixels.ndim == 2:
        return px.imshow(pixels, color_continuous_scale="gray", zmin=0, zmax=255)
    fig = go.Figure(
        go.Image(z=pixels, hovertemplate="row %{y}, col %{x}<br>RGB %{z}<extra></extra>")
    )
    return fig


def _compressed_image(pixels: np.ndarray, height: int, width: int) -> go.Figure:
    """A PNG of the image (shrunk to MAX_DISPLAY_SIDE) stretched over the full pixel grid."""
    scale = min(1.0, MAX_DISPLAY_SIDE / max(height, width))
    shown = pixels
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        shown = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    fig = px.imshow(shown, binary_string=True)
    # Stretch the displayed picture over the original pixel coordinates.
    dx, dy = width / shown.shape[1], height / shown.shape[0]
    fig.data[0].update(x0=(dx - 1) / 2, dx=dx, y0=(dy - 1) / 2, dy=dy)
    fig.data[0].hovertemplate = "row %{y:.0f}, col %{x:.0f}<extra></extra>"
    return fig
