"""Pictures drawn as pictures: photos, crops and resized images with pixel values on hover.

Images are uint8 ``(H, W, 3)`` RGB or ``(H, W)`` grayscale. Large images are sent to the browser
as a compressed JPEG and shrunk for display to at most ``MAX_DISPLAY_SIDE``;
small ones are sent as numbers, so hovering shows each pixel's exact value.
"""

from __future__ import annotations

import base64

import cv2
import numpy as np
import plotly.graph_objects as go

from cnnviz.viz.layout import titled_top_margin
from cnnviz.viz.matrices import region_outline

MAX_DISPLAY_SIDE = 512
"""Images larger than this are downsampled for display only (the lesson keeps every pixel)."""

JPEG_QUALITY = 90
"""Quality of the compressed picture of a large image (display only)."""

EXACT_HOVER_SIDE = 128
"""Images up to this size are sent as numbers, so hover shows the exact values."""


def image_figure(
    pixels: np.ndarray,
    *,
    title: str = "",
    region: tuple[int, int, int, int] | None = None,
    height_px: int = 420,
    lossless: bool = False,
    max_side: int = MAX_DISPLAY_SIDE,
) -> go.Figure:
    """Show an image at its true aspect ratio; ``region=(row, col, h, w)`` outlines a crop.

    pixels : (H, W, 3) or (H, W) uint8. Axis ticks count pixels of the full image, even when
    the picture is shrunk for display (to at most ``max_side`` pixels per side).
    """
    pixels = np.asarray(pixels)
    if pixels.ndim not in (2, 3) or pixels.size == 0 or (pixels.ndim == 3 and pixels.shape[2] != 3):
        raise ValueError(f"image_figure needs (H, W) or (H, W, 3) pixels, got {pixels.shape}")
    height, width = pixels.shape[:2]
    title_settings, top = titled_top_margin(title)
    layout = {
        "title": title_settings,
        "height": height_px,
        "margin": {"l": 40, "r": 10, "t": top, "b": 20},
        "coloraxis": {"colorscale": "gray", "cmin": 0, "cmax": 255, "showscale": False},
        "xaxis": {"side": "top", "showgrid": False, "constrain": "domain", **pixel_ticks(width)},
        "yaxis": {
            **pixel_ticks(height),
            "showgrid": False,
            "scaleanchor": "x",
            "constrain": "domain",
            "autorange": "reversed",
        },
        "shapes": [region_outline(*region)] if region is not None else [],
    }
    if max(height, width) <= EXACT_HOVER_SIDE:
        trace = _exact_image(pixels)
    else:
        trace = _compressed_image(pixels, height, width, lossless, max_side)
    # One construction with the whole layout (separate update calls each re-validate).
    return go.Figure(trace, layout=layout)


def pixel_ticks(n_pixels: int, most: int = 8) -> dict:
    """Axis tick settings that label whole pixels only: 0, 1, 2 … or 0, 5, 10 … or 0, 100 ….

    Left to itself plotly labels a 4-pixel axis −0.5, 0, 0.5 …; a learner then looks for
    half pixels. The step is the smallest 1, 2 or 5 × 10^k giving at most ``most`` ticks.
    """
    step = 1
    while n_pixels / step > most:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            step = int(step * factor)
            if n_pixels / step <= most:
                break
    return {"tickmode": "linear", "tick0": 0, "dtick": step}


def _exact_image(pixels: np.ndarray) -> go.Heatmap | go.Image:
    """Every pixel sent as numbers: hover shows exact values, cells stay crisp when enlarged."""
    if pixels.ndim == 2:
        return go.Heatmap(
            z=pixels,
            coloraxis="coloraxis",
            hovertemplate="row %{y}, col %{x}<br>value %{z}<extra></extra>",
        )
    return go.Image(z=pixels, hovertemplate="row %{y}, col %{x}<br>RGB %{z}<extra></extra>")


def _compressed_image(
    pixels: np.ndarray, height: int, width: int, lossless: bool, max_side: int
) -> go.Image:
    """A JPEG (or PNG) of the image, shrunk to ``max_side``, over the full pixel grid.

    JPEG at quality JPEG_QUALITY: for photos it is ~30× faster to encode than PNG and ~6×
    smaller, with no visible loss at display size (hover gives positions, not values, here).
    """
    scale = min(1.0, max_side / max(height, width))
    shown = pixels
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        shown = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    bgr = shown[:, :, ::-1] if shown.ndim == 3 else shown  # OpenCV encodes BGR
    if lossless:
        mime, extension, options = "png", ".png", [cv2.IMWRITE_PNG_COMPRESSION, 3]
    else:
        mime, extension, options = "jpeg", ".jpg", [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
    ok, encoded = cv2.imencode(extension, bgr, options)
    if not ok:
        raise ValueError("the image could not be encoded for display.")
    source = f"data:image/{mime};base64," + base64.b64encode(encoded.tobytes()).decode("ascii")
    # Stretch the displayed picture over the original pixel coordinates.
    dx, dy = width / shown.shape[1], height / shown.shape[0]
    return go.Image(
        source=source,
        x0=(dx - 1) / 2,
        dx=dx,
        y0=(dy - 1) / 2,
        dy=dy,
        hovertemplate="row %{y:.0f}, col %{x:.0f}<extra></extra>",
    )
