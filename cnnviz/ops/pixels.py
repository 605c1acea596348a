"""Pixel-level helpers: grayscale conversion, resizing and cropping.

Layout: images are (H, W) grayscale or (H, W, 3) RGB, usually uint8 (0-255). Resizing uses
OpenCV, as the field does; grayscale is written out by hand because the weights are the lesson
(and tested against OpenCV).
"""

from __future__ import annotations

import cv2
import numpy as np

# ITU-R BT.601 luma weights for (R, G, B), the ones OpenCV and Pillow use: green looks brightest
# to the eye, blue darkest.
GRAYSCALE_WEIGHTS = (0.299, 0.587, 0.114)

RESIZE_METHODS = {
    "nearest": cv2.INTER_NEAREST,
    "bilinear": cv2.INTER_LINEAR,
    "area": cv2.INTER_AREA,
}


def _check_int(name: str, value: object, minimum: int | None = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum} pixel, got {value}.")
    return int(value)


def _check_image(image: np.ndarray) -> None:
    if image.ndim not in (2, 3) or image.size == 0:
        raise ValueError(
            f"expected a non-empty (H, W) or (H, W, C) image, got shape {image.shape}."
        )


def grayscale_value(r: float, g: float, b: float) -> float:
    """Brightness of one RGB pixel: ``0.299*r + 0.587*g + 0.114*b`` (not rounded)."""
    w_r, w_g, w_b = GRAYSCALE_WEIGHTS
    return w_r * r + w_g * g + w_b * b


def grayscale_whole(r: int, g: int, b: int) -> tuple[int, ...]:
    """The whole number(s) nearest to `grayscale_value`: one, or two when exactly halfway.

    Computed in exact integer thousandths (0.299 = 299/1000 …), so no float rounding decides
    which side of .5 a pixel falls on.
    """
    milli = sum(round(w * 1000) * int(v) for w, v in zip(GRAYSCALE_WEIGHTS, (r, g, b), strict=True))
    low, rest = divmod(milli, 1000)
    if rest == 500:
        return (low, low + 1)
    return (low + (rest > 500),)


def is_grayscale(rgb: np.ndarray) -> bool:
    """True when an (H, W, 3) image's three channels are identical (a gray photo stored as RGB)."""
    rgb = np.asarray(rgb)
    return rgb.ndim == 3 and bool(
        np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 0], rgb[..., 2])
    )


def to_grayscale(rgb: np.ndarray) -> np.ndarray:
    """Convert an RGB image to one brightness channel with `GRAYSCALE_WEIGHTS`.

    Parameters
    ----------
    rgb : (H, W, 3) uint8

    Returns
    -------
    gray : (H, W) uint8, the weighted sum rounded to the nearest integer (agrees with
        ``cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)`` to within 1).
    """
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB image, got shape {rgb.shape}.")
    if rgb.dtype != np.uint8:
        raise ValueError(f"expected uint8 pixel values 0-255, got dtype {rgb.dtype}.")
    gray = rgb @ np.array(GRAYSCALE_WEIGHTS)  # (H, W) float64
    # The weights sum to 1, so gray stays within 0..255; clip guards the last rounding bit.
    return np.clip(np.rint(gray), 0, 255).astype(np.uint8)


CHANNEL_NAMES = ("red", "green", "blue", "gray")


def channel(rgb: np.ndarray, name: str) -> np.ndarray:
    """One channel of an RGB image by name: ``"red"``, ``"green"``, ``"blue"`` or ``"gray"``.

    rgb : (H, W, 3) uint8  ->  (H, W) uint8 (``"gray"`` is `to_grayscale`).
    """
    if name not in CHANNEL_NAMES:
        raise ValueError(f"channel must be one of {', '.join(CHANNEL_NAMES)}, got {name!r}.")
    if name == "gray":
        return to_grayscale(rgb)
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB image, got shape {rgb.shape}.")
    return rgb[..., CHANNEL_NAMES.index(name)]


def resize(image: np.ndarray, height: int, width: int, method: str = "area") -> np.ndarray:
    """Resize an image to height × width with OpenCV.

    Parameters
    ----------
    image : (H, W) or (H, W, C), uint8 (float32/float64 also work)
    height, width : int >= 1
    method : {"nearest", "bilinear", "area"}
        "area" averages the pixels each output pixel covers (best for shrinking; when enlarging
        OpenCV makes it behave like "nearest"), "bilinear" blends the 4 nearest pixels,
        "nearest" copies one pixel (blocky, but keeps the exact values).

    Returns
    -------
    (height, width[, C]) array with the dtype of `image`.
    """
    height, width = _check_int("height", height), _check_int("width", width)
    if method not in RESIZE_METHODS:
        raise ValueError(f"method must be one of {sorted(RESIZE_METHODS)}, got {method!r}.")
    image = np.ascontiguousarray(image)
    _check_image(image)
    # OpenCV takes the size as (width, height), and drops a trailing channel axis of length 1.
    resized = cv2.resize(image, (width, height), interpolation=RESIZE_METHODS[method])
    return resized.reshape((height, width) + image.shape[2:])


def crop(image: np.ndarray, top: int, left: int, height: int, width: int) -> np.ndarray:
    """Cut out a height × width window, moved (and shrunk) as needed to stay inside the image.

    Parameters
    ----------
    image : (H, W) or (H, W, C)
    top, left : int
        Wanted top-left corner; clamped so the window lies inside the image.
    height, width : int >= 1
        Wanted size; at most (H, W).

    Returns
    -------
    A view of `image`, (min(height, H), min(width, W)[, C]); never empty.
    """
    height, width = _check_int("height", height), _check_int("width", width)
    image = np.asarray(image)
    _check_image(image)
    top, left = _check_int("top", top, None), _check_int("left", left, None)
    H, W = image.shape[:2]
    height, width = min(height, H), min(width, W)
    top = min(max(top, 0), H - height)
    left = min(max(left, 0), W - width)
    return image[top : top + height, left : left + width]
