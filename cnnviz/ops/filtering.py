"""Filtering a whole photo with one kernel, three ways, and OpenCV as the live reference.

Layout: the photo is (H, W, 3) uint8 RGB; the kernel is (KH, KW) float64 (up to 7×7). Every
mode pads with zeros so the result keeps the photo's size ("same" padding at stride 1; for an
even kernel the extra row/column of zeros goes below/right, see `cnnviz.ops.shapes`):

- ``"gray"``: the photo is first turned into one brightness channel
  (`cnnviz.ops.pixels.to_grayscale`), then filtered -> (H, W);
- ``"per_channel"``: red, green and blue are each filtered with the same kernel, as a photo
  editor does -> (H, W, 3);
- ``"full_depth"``: a (KH, KW, 3) kernel whose slice c is ``kernel * mix[c]`` spans all three
  channels, so the three channel sums add up to one value per pixel, as in a CNN layer
  -> (H, W).

The raw result is float64 and can be negative or larger than 255 (see `cnnviz.ops.display`).
"Filtering" here is cross-correlation (the kernel is not flipped), as in ``cv2.filter2D``.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from cnnviz.ops import conv, pixels
from cnnviz.ops.shapes import resolve_padding

FILTER_MODES = {
    "gray": "Grayscale",
    "per_channel": "Per channel (R, G, B)",
    "full_depth": "Full depth (k × k × 3 → one map)",
}
"""Mode name -> what a learner sees."""

CHANNEL_MIXES = {
    "average": ((1 / 3, 1 / 3, 1 / 3), "⅓ of each channel (the average)"),
    "luma": (pixels.GRAYSCALE_WEIGHTS, "0.299 R + 0.587 G + 0.114 B (brightness)"),
    "red": ((1.0, 0.0, 0.0), "red only"),
    "green": ((0.0, 1.0, 0.0), "green only"),
    "blue": ((0.0, 0.0, 1.0), "blue only"),
    "red_minus_blue": ((1.0, 0.0, -1.0), "red minus blue"),
}
"""Full-depth mode: name -> (weights of the R, G, B slices, description)."""


def _check_photo(photo: np.ndarray) -> np.ndarray:
    photo = np.asarray(photo)
    if photo.ndim != 3 or photo.shape[2] != 3 or photo.size == 0 or photo.dtype != np.uint8:
        raise ValueError(
            f"expected an (H, W, 3) uint8 RGB photo, got shape {photo.shape}, dtype {photo.dtype}."
        )
    return photo


def _check_kernel(kernel: np.ndarray) -> np.ndarray:
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.size == 0 or not np.isfinite(kernel).all():
        raise ValueError(f"expected a finite 2-D (KH, KW) kernel, got shape {kernel.shape}.")
    return kernel


def _check_mode(mode: str, mix: str) -> None:
    if mode not in FILTER_MODES:
        raise ValueError(f"mode must be one of {tuple(FILTER_MODES)}, got {mode!r}.")
    if mix not in CHANNEL_MIXES:
        raise ValueError(f"mix must be one of {tuple(CHANNEL_MIXES)}, got {mix!r}.")


def filter_input(photo: np.ndarray, mode: str) -> np.ndarray:
    """What the kernel slides over: (H, W) gray for ``"gray"``, else the (H, W, 3) photo."""
    photo = _check_photo(photo)
    return pixels.to_grayscale(photo) if mode == "gray" else photo


def full_depth_kernel(
    kernel: np.ndarray, channel_weights: Sequence[float] = (1 / 3, 1 / 3, 1 / 3)
) -> np.ndarray:
    """A kernel spanning the colour depth: slice c is ``kernel * channel_weights[c]``.

    Correlating an (H, W, C) image with it sums over the channels, so by linearity it gives the
    same map as correlating the weighted channel sum ``image @ channel_weights`` with `kernel`
    (up to floating-point rounding). With the grayscale weights (0.299, 0.587, 0.114)
    (`cnnviz.ops.pixels.GRAYSCALE_WEIGHTS`) that is filtering the unrounded grayscale image; the
    default filters the plain average of the channels.

    Parameters
    ----------
    kernel : (KH, KW)
    channel_weights : (C,) finite numbers, one per channel

    Returns
    -------
    (KH, KW, C) float64

    Raises
    ------
    ValueError
        If `kernel` is not a finite, non-empty 2-D array or a channel weight is not finite.
    """
    kernel = _check_kernel(kernel)
    weights = np.asarray(channel_weights, dtype=np.float64)
    if weights.ndim != 1 or weights.size == 0 or not np.isfinite(weights).all():
        raise ValueError(f"expected one finite weight per channel, got {channel_weights!r}.")
    return kernel[:, :, np.newaxis] * weights  # (KH, KW, 1) * (C,) -> (KH, KW, C)


def depth_kernel(kernel: np.ndarray, mix: str = "average") -> np.ndarray:
    """The (KH, KW, 3) kernel of full-depth mode: slice c is ``kernel * CHANNEL_MIXES[mix][c]``.

    By linearity, correlating the photo with it equals correlating the mixed channel
    ``photo @ weights`` with `kernel`: one map, however deep the input.
    """
    _check_mode("full_depth", mix)
    return full_depth_kernel(kernel, CHANNEL_MIXES[mix][0])


def mix_weights(mix: str) -> tuple[float, float, float]:
    """The (R, G, B) weights of the full-depth kernel's slices for channel mix ``mix``."""
    _check_mode("full_depth", mix)
    return tuple(float(w) for w in CHANNEL_MIXES[mix][0])


def flat_response(
    kernel: np.ndarray, mode: str = "gray", mix: str = "average", level: float = 100.0
) -> float:
    """What `filter_photo` gives inside a flat gray area (R = G = B = ``level``), off the border.

    Every window there holds only ``level``, so the output is ``level * sum(kernel)`` in
    "gray" (the gray of R = G = B is that same level) and in each channel of "per_channel";
    in "full_depth" slice c is ``kernel * w_c``, so it is ``level * sum(kernel) * (w_R + w_G +
    w_B)``: 0 for "red_minus_blue", whatever the kernel.

    kernel : (KH, KW) finite weights.  level : the flat value, 0-255.
    """
    _check_mode(mode, mix)
    total = float(_check_kernel(kernel).sum())
    if mode == "full_depth":
        total *= sum(mix_weights(mix))
    return level * total


def filter_photo(
    photo: np.ndarray, kernel: np.ndarray, mode: str = "gray", mix: str = "average"
) -> np.ndarray:
    """Filter a photo with the library's own NumPy correlation, keeping its size.

    Parameters
    ----------
    photo : (H, W, 3) uint8
    kernel : (KH, KW) finite weights
    mode : "gray", "per_channel" or "full_depth" (see the module docstring)
    mix : a key of CHANNEL_MIXES; used by "full_depth" only

    Returns
    -------
    raw : (H, W) float64 for "gray" and "full_depth", (H, W, 3) for "per_channel"
    """
    _check_mode(mode, mix)
    image = filter_input(photo, mode)
    if mode == "per_channel":
        return conv.correlate_per_channel(image, kernel, pad="same")
    if mode == "full_depth":
        return conv.correlate2d(image, depth_kernel(kernel, mix), pad="same")
    return conv.correlate2d(image, kernel, pad="same")


def filter_photo_opencv(
    photo: np.ndarray, kernel: np.ndarray, mode: str = "gray", mix: str = "average"
) -> np.ndarray:
    """The same result as `filter_photo`, computed by ``cv2.filter2D`` (the reference).

    The anchor is set to match our "same" padding (for even kernels OpenCV's default centre
    would put the extra zero above/left instead). Full depth is the sum of one filter2D per
    channel slice. Shapes as in `filter_photo`.
    """
    _check_mode(mode, mix)
    image = filter_input(photo, mode).astype(np.float64)
    kernel = _check_kernel(kernel)
    KH, KW = kernel.shape
    top, _ = resolve_padding(image.shape[0], KH, pad="same")
    left, _ = resolve_padding(image.shape[1], KW, pad="same")

    def filter2d(channel: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return cv2.filter2D(
            channel, cv2.CV_64F, weights, anchor=(left, top), borderType=cv2.BORDER_CONSTANT
        )

    if mode == "full_depth":
        slices = depth_kernel(kernel, mix)  # (KH, KW, 3)
        return sum(filter2d(image[:, :, c], slices[:, :, c]) for c in range(3))
    if mode == "per_channel":
        return np.stack([filter2d(image[:, :, c], kernel) for c in range(3)], axis=-1)
    return filter2d(image, kernel)


def max_difference(ours: np.ndarray, reference: np.ndarray) -> float:
    """Largest absolute difference between two results of the same shape."""
    ours, reference = np.asarray(ours), np.asarray(reference)
    if ours.shape != reference.shape:
        raise ValueError(f"shapes differ: {ours.shape} vs {reference.shape}.")
    return float(np.abs(ours - reference).max())


def pixel_step(
    photo: np.ndarray,
    kernel: np.ndarray,
    row: int,
    col: int,
    mode: str = "gray",
    mix: str = "average",
    channel: int = 0,
) -> conv.ConvStep:
    """The arithmetic behind output pixel (row, col) of `filter_photo`, as one convolution step.

    Only the (KH + 1, KW + 1) neighbourhood is traced, so this is cheap on a large photo.
    For "per_channel" the step is the one of channel `channel` (0 red, 1 green, 2 blue); for
    "full_depth" its patch and products are (KH, KW, 3) and `ConvStep.channel_sums` splits the
    value. ``step.value == filter_photo(...)[row, col(, channel)]`` up to rounding.
    """
    _check_mode(mode, mix)
    image = filter_input(photo, mode).astype(np.float64)
    kernel = _check_kernel(kernel)
    H, W = image.shape[:2]
    if not (0 <= row < H and 0 <= col < W):
        raise ValueError(f"pixel ({row}, {col}) is outside the {H}×{W} photo.")
    KH, KW = kernel.shape
    top, bottom = resolve_padding(H, KH, pad="same")
    left, right = resolve_padding(W, KW, pad="same")
    padded = conv.pad_image(image, (top, bottom), (left, right))
    patch = padded[row : row + KH, col : col + KW]  # the window of output (row, col)
    if mode == "per_channel":
        patch = patch[:, :, channel]
    weights = depth_kernel(kernel, mix) if mode == "full_depth" else kernel
    return conv.conv_trace(patch, weights).step(0)


def range_summary(raw: np.ndarray) -> dict[str, float]:
    """How a raw result sits against the 0-255 a screen can show.

    raw : (H, W) or (H, W, 3) finite numbers.
    Returns ``min``, ``max``, ``below`` (fraction of values < 0) and ``above`` (fraction > 255).
    """
    raw = np.asarray(raw, dtype=np.float64)
    if raw.size == 0:
        raise ValueError("range_summary needs at least one value.")
    return {
        "min": float(raw.min()),
        "max": float(raw.max()),
        "below": float(np.mean(raw < 0)),
        "above": float(np.mean(raw > 255)),
    }


def window_overhangs(
    row: int, col: int, kernel_shape: tuple[int, int], image_shape: tuple[int, int]
) -> bool:
    """Whether the window of output pixel (row, col) covers some of the zero padding.

    With "same" padding the window of output (row, col) starts at input row ``row - top`` and
    column ``col - left`` (top, left: the zeros added before), and spans KH × KW pixels.
    """
    (KH, KW), (H, W) = kernel_shape, image_shape
    top, _ = resolve_padding(H, KH, pad="same")
    left, _ = resolve_padding(W, KW, pad="same")
    return row - top < 0 or col - left < 0 or row - top + KH > H or col - left + KW > W
