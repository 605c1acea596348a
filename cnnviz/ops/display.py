"""Turning raw filter outputs into displayable 0-255 pixels, two honest ways.

Layout: a map is (H, W) (one channel) or (H, W, 3) (e.g. a per-channel filtered RGB image).
A filter's raw output is any real number: a Sobel map is negative where an edge goes the other
way, a sharpened pixel can exceed 255. A screen can only show 0-255, so before a raw map becomes
a picture something must give:

- `clip_to_uint8` does what a screen (or saving to PNG) does: everything below 0 turns black and
  everything above 255 white, so negative responses vanish;
- `normalise_to_uint8` stretches the map's own minimum to 0 and maximum to 255, so every
  difference is visible but the absolute values are lost (the picture no longer says where 0 is).
"""

from __future__ import annotations

import numpy as np


def _check_map(values: object, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim not in (2, 3) or values.size == 0 or (values.ndim == 3 and values.shape[2] != 3):
        raise ValueError(f"{name} needs an (H, W) or (H, W, 3) array, got shape {values.shape}.")
    if not np.isfinite(values).all():
        raise ValueError(f"{name} needs finite values; this map contains NaN or infinity.")
    return values


def clip_to_uint8(values: np.ndarray) -> np.ndarray:
    """Show raw values the way a screen does: round, then cut off below 0 and above 255.

    ``out = clip(round(values), 0, 255)``; halves round to even, as OpenCV's saturating
    conversion does (-3.7 -> 0, 127.5 -> 128, 300 -> 255).

    Parameters
    ----------
    values : (H, W) or (H, W, 3) finite numbers

    Returns
    -------
    (H, W) or (H, W, 3) uint8
    """
    values = _check_map(values, "clip_to_uint8")
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def normalise_to_uint8(values: np.ndarray) -> np.ndarray:
    """Stretch a map so its minimum becomes 0 and its maximum 255 (min-max normalisation).

    ``out = round(255 * (values - min) / (max - min))``, with one min and max over the whole
    array, so the three channels of an RGB map stay comparable. A constant map has no range to
    stretch: it becomes mid-gray (128) everywhere.

    Parameters
    ----------
    values : (H, W) or (H, W, 3) finite numbers

    Returns
    -------
    (H, W) or (H, W, 3) uint8
    """
    values = _check_map(values, "normalise_to_uint8")
    low, high = values.min(), values.max()
    if high == low:
        return np.full(values.shape, 128, dtype=np.uint8)
    with np.errstate(over="ignore"):
        span = high - low
    if np.isfinite(span):
        fraction = (values - low) / span
    else:  # the range itself exceeds the float64 limit (e.g. -1e308 to 1e308): halve first
        fraction = (values / 2 - low / 2) / (high / 2 - low / 2)
    return np.clip(np.rint(255 * fraction), 0, 255).astype(np.uint8)


def colour_limit(values: np.ndarray, percentile: float = 99.5) -> float:
    """A colour-scale limit that a few extreme values cannot wash out.

    The `percentile` of ``|values|`` (e.g. 99.5: all but the most extreme 0.5 % of values lie
    within ±limit), or max|values| when that percentile is 0, or 1 for an all-zero map.
    Filtered photos need this: zero padding makes the border respond far more strongly than
    anything inside, and scaling to that border would leave the interior nearly white.

    values : (H, W) or (H, W, 3) finite numbers  ->  float > 0
    """
    magnitudes = np.abs(_check_map(values, "colour_limit"))
    return float(np.percentile(magnitudes, percentile)) or float(magnitudes.max()) or 1.0
