"""Turn a drawing or a photo into the kind of input a data set was made of.

The UCI digits were made from 32×32 black-and-white bitmaps of handwritten digits, normalised
in size and then cut into 4×4 blocks; each of the 8×8 values counts the inked pixels of one
block, 0 (blank) to 16 (fully inked). `uci_digit` repeats those steps on any image:

1. grayscale; ink is whatever differs from the background (the border's typical value), so
   dark-on-light and light-on-dark drawings both work;
2. threshold to a bitmap (ink = 1);
3. crop the ink's bounding box, scale it so its longer side is 32 pixels (keeping its shape)
   and centre it in a 32×32 square;
4. count the ink in each 4×4 block -> (8, 8) values 0..16.

`toy_shape` makes a 28×28 input for the synthetic shapes (white strokes on black, 0..255);
`network_input` scales either into a network's (1, 1, H, W) input in 0..1.
Images are (H, W) gray, (H, W, 3) RGB or (H, W, 4) RGBA uint8, row 0 at the top. Pure NumPy
and OpenCV; nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

BITMAP_SIDE = 32
BLOCK = 4
DIGIT_SIDE = BITMAP_SIDE // BLOCK  # 8
INK_MAX = BLOCK * BLOCK  # 16
SHAPE_SIDE = 28
MIN_INK_CONTRAST = 24
"""Ink must differ from the background by at least this much (0..255) to count."""


class PreprocessError(ValueError):
    """The image cannot be turned into a network input; the message says what to do."""


@dataclass(frozen=True)
class DigitInput:
    """Every stage of `uci_digit`, so a lesson can show the whole trip.

    gray : (H, W) uint8, the image in gray levels
    ink : (H, W) bool, True where there is ink
    box : (top, left, height, width) of the ink's bounding box in `ink`
    bitmap : (32, 32) uint8 0/1, the ink scaled into the 32×32 square
    counts : (8, 8) uint8 0..16, inked pixels per 4×4 block — the network's input
    """

    gray: np.ndarray
    ink: np.ndarray
    box: tuple[int, int, int, int]
    bitmap: np.ndarray
    counts: np.ndarray


def to_gray(image: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, 3) or (H, W, 4) uint8 -> (H, W) uint8 gray.

    RGBA pixels are first laid over the colour of their fully transparent pixels' opposite:
    transparent means background, so it becomes the background's gray (see `flatten_alpha`).
    """
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise PreprocessError(f"expected uint8 pixels, got {image.dtype}")
    if image.ndim == 2 and image.size:
        return image
    if image.ndim != 3 or image.shape[2] not in (3, 4) or not image.size:
        raise PreprocessError(f"expected a gray, RGB or RGBA image, got shape {image.shape}")
    if image.shape[2] == 4:
        image = flatten_alpha(image)
    return cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)


def flatten_alpha(rgba: np.ndarray) -> np.ndarray:
    """RGBA -> RGB. Transparent pixels are background: they take the colour that contrasts
    with the opaque pixels (white under dark strokes, black under light ones)."""
    alpha = rgba[..., 3:4].astype(np.float32) / 255
    opaque = rgba[..., 3] > 0
    ink_level = float(rgba[..., :3][opaque].mean()) if opaque.any() else 255.0
    under = 0.0 if ink_level >= 128 else 255.0
    rgb = rgba[..., :3].astype(np.float32) * alpha + under * (1 - alpha)
    return np.round(rgb).astype(np.uint8)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """(H, W) uint8 -> (H, W) bool: pixels that differ from the background by more than half
    the contrast between background and the strongest ink.

    The background level is the median of the border pixels. Raises `PreprocessError` for an
    image with no ink (all pixels within `MIN_INK_CONTRAST` of the background).
    """
    gray = np.asarray(gray)
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]]).astype(np.float32)
    background = float(np.median(border))
    distance = np.abs(gray.astype(np.float32) - background)
    strongest = float(distance.max())
    if strongest < MIN_INK_CONTRAST:
        raise PreprocessError(
            "there is no ink in this image (it is one flat colour); draw or upload a digit"
        )
    return distance > strongest / 2


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int]:
    """(top, left, height, width) of the smallest rectangle holding every True of (H, W)."""
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        raise PreprocessError("there is no ink in this image; draw or upload a digit")
    return int(rows[0]), int(cols[0]), int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def fit_bitmap(ink: np.ndarray, box: tuple[int, int, int, int], side: int = BITMAP_SIDE):
    """The ink inside `box`, scaled so its longer side is `side`, centred in a side×side square.

    ink : (H, W) bool.  Returns (side, side) uint8 of 0/1.
    """
    top, left, h, w = box
    crop = ink[top : top + h, left : left + w].astype(np.float32)
    scale = side / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    resized = cv2.resize(crop, (new_w, new_h), interpolation=cv2.INTER_AREA)
    bitmap = np.zeros((side, side), dtype=np.uint8)
    r0, c0 = (side - new_h) // 2, (side - new_w) // 2
    bitmap[r0 : r0 + new_h, c0 : c0 + new_w] = resized >= 0.5
    return bitmap


def block_counts(bitmap: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """(S, S) 0/1 -> (S // block, S // block) uint8: ones in each block×block block."""
    S = bitmap.shape[0]
    n = S // block
    # (n, block, n, block): rows of blocks, rows within a block, columns of blocks, columns within
    blocks = bitmap[: n * block, : n * block].reshape(n, block, n, block)
    return blocks.sum(axis=(1, 3), dtype=np.int64).astype(np.uint8)


def uci_digit(image: np.ndarray) -> DigitInput:
    """Make an (8, 8) 0..16 digit from any image, the way the UCI digits were made.

    image : (H, W), (H, W, 3) or (H, W, 4) uint8, at least 4×4.
    Raises `PreprocessError` for a blank or malformed image.
    """
    gray = to_gray(image)
    if min(gray.shape) < BLOCK:
        raise PreprocessError(f"the image is {gray.shape[0]}×{gray.shape[1]}; use at least 4×4")
    ink = ink_mask(gray)
    box = ink_box(ink)
    bitmap = fit_bitmap(ink, box)
    return DigitInput(gray, ink, box, bitmap, block_counts(bitmap))


def toy_shape(image: np.ndarray) -> np.ndarray:
    """A 28×28 input like the synthetic shapes: light strokes on black, 0..255 uint8.

    The image is made light-on-dark (inverted if its background is light), then resized with
    area averaging. image : (H, W), (H, W, 3) or (H, W, 4) uint8.
    """
    gray = to_gray(image)
    ink_mask(gray)  # raises PreprocessError for a blank image
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    light = 255 - gray if np.median(border) >= 128 else gray
    return cv2.resize(light, (SHAPE_SIDE, SHAPE_SIDE), interpolation=cv2.INTER_AREA)


def network_input(image: np.ndarray, data_name: str) -> tuple[np.ndarray, DigitInput | np.ndarray]:
    """An image prepared like the data set `data_name`, as a network's input.

    "digits": `uci_digit`'s 8 × 8 counts / 16; anything else: `toy_shape`'s 28 × 28 / 255.
    Returns x (1, 1, H, W) float32 in 0..1 and the prepared stage it came from (the
    `DigitInput`, or the (28, 28) uint8 shape), for showing. Raises `PreprocessError`.
    """
    if data_name == "digits":
        digit = uci_digit(image)
        return digit.counts[None, None].astype(np.float32) / np.float32(INK_MAX), digit
    shape = toy_shape(image)
    return shape[None, None].astype(np.float32) / np.float32(255), shape
