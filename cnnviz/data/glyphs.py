"""Many glyph classes drawn with OpenCV's Hershey fonts: the pre-training set of lesson 8.

Each class is one printable character (a letter, digit or symbol). An image is (32, 32) uint8:
light strokes (150..255) on black, like the toy shapes and a prepared drawing, with the glyph
in a random one of OpenCV's eight Hershey fonts (upright or italic), stroke width, size
(its longer side 12..28 pixels), rotation (±25°), slant, position and Gaussian noise.
Everything random comes from the `rng` passed in: the same seed gives the same images.

`CLASSES` are the pre-training classes. `HELD_BACK` are glyphs drawn the same way that the
pre-trained network never sees: a few-shot task of classes it does not know, to measure
transfer against training from scratch. Characters that look alike in some font ("O" and
"0", "I", "l", "1" and "|", "x" and "X", …) keep only one of each group, and tiny marks
(".", ",", "'") are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

SIZE = 32
HELD_BACK = tuple("GKR4e?&#%{")
CLASSES = tuple(
    c
    for c in "ABCDEFHJLMNPQSTUVWXYZ0123456789abdfghijkmnqrty+-=!@$*()[]<>/\\^~"
    if c not in HELD_BACK
)
FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX,
    cv2.FONT_HERSHEY_PLAIN,
    cv2.FONT_HERSHEY_DUPLEX,
    cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_COMPLEX_SMALL,
    cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
    cv2.FONT_HERSHEY_SCRIPT_COMPLEX,
)
MAX_SAMPLES = 200_000
_CANVAS = 112  # each glyph is drawn big, then warped and shrunk
_FINE = 4  # the warp draws at 4 × 32 pixels, shrunk with area averaging (no jagged edges)


@dataclass(frozen=True, eq=False)
class Glyphs:
    """images : (N, 32, 32) uint8 0..255, light on dark   labels : (N,) int16 into `chars`."""

    images: np.ndarray
    labels: np.ndarray
    chars: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.labels.shape[0])


def make_glyphs(
    n_per_class: int, rng: np.random.Generator, chars: tuple[str, ...] = CLASSES
) -> Glyphs:
    """`n_per_class` images of every character in `chars`, in random order.

    Parameters
    ----------
    n_per_class : int >= 0, with ``n_per_class * len(chars) <= MAX_SAMPLES``
    rng : np.random.Generator, the only source of randomness
    chars : the classes, one character each; label k is ``chars[k]``
    """
    if not isinstance(n_per_class, (int, np.integer)) or n_per_class < 0:
        raise ValueError(f"n_per_class must be a whole number >= 0, got {n_per_class!r}")
    if n_per_class * len(chars) > MAX_SAMPLES or not all(len(c) == 1 for c in chars):
        raise ValueError(f"need single characters and at most {MAX_SAMPLES} images in all")
    labels = rng.permutation(np.repeat(np.arange(len(chars)), n_per_class)).astype(np.int16)
    images = np.empty((len(labels), SIZE, SIZE), dtype=np.uint8)
    for i, label in enumerate(labels):
        images[i] = draw_glyph(chars[label], rng)
    return Glyphs(images, labels, tuple(chars))


def draw_glyph(char: str, rng: np.random.Generator, noise: float = 12.0) -> np.ndarray:
    """One (32, 32) uint8 image of `char` (light on dark), drawn with random style."""
    font = int(FONTS[rng.integers(len(FONTS))]) | (cv2.FONT_ITALIC if rng.random() < 0.2 else 0)
    thickness = int(rng.integers(1, 8))
    big = _draw_big(char, font, thickness)
    ys, xs = np.nonzero(big)
    if len(xs) == 0:
        raise ValueError(f"OpenCV's fonts draw nothing for {char!r}")
    top, left, bottom, right = ys.min(), xs.min(), ys.max() + 1, xs.max() + 1
    side = rng.uniform(12, 28)  # the glyph's longer side in the 32 × 32 image
    scale = side / max(bottom - top, right - left)
    angle = rng.uniform(-25, 25)
    shear = rng.uniform(-0.2, 0.2)
    half = side / 2 + 1
    centre = rng.uniform(half, SIZE - half, size=2) if half < SIZE / 2 else (SIZE / 2,) * 2
    matrix = _affine(((left + right) / 2, (top + bottom) / 2), scale, angle, shear, centre)
    fine = cv2.warpAffine(big, _FINE * matrix, (SIZE * _FINE, SIZE * _FINE), flags=cv2.INTER_LINEAR)
    small = cv2.resize(fine, (SIZE, SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)
    brightness = rng.uniform(150, 255)
    image = small * (brightness / max(float(small.max()), 1.0))
    sigma = rng.uniform(0, noise)
    if sigma:
        image += rng.normal(0.0, sigma, size=image.shape)
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def _draw_big(char: str, font: int, thickness: int) -> np.ndarray:
    """`char` in white on a black (_CANVAS, _CANVAS) uint8 canvas, roughly centred."""
    canvas = np.zeros((_CANVAS, _CANVAS), dtype=np.uint8)
    scale = 2.0 if font & 7 != cv2.FONT_HERSHEY_PLAIN else 3.2
    (w, h), base = cv2.getTextSize(char, font, scale, thickness)
    origin = ((_CANVAS - w) // 2, (_CANVAS + h) // 2 - base // 2)
    cv2.putText(canvas, char, origin, font, scale, 255, thickness, cv2.LINE_AA)
    return canvas


def _affine(source_centre, scale: float, degrees: float, shear: float, centre) -> np.ndarray:
    """2 × 3 matrix: move `source_centre` to the origin, slant, rotate and scale, move to
    `centre` (x, y)."""
    a = math.radians(degrees)
    rotate = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    linear = scale * rotate @ np.array([[1.0, shear], [0.0, 1.0]])
    offset = np.asarray(centre, dtype=np.float64) - linear @ np.asarray(source_centre)
    return np.hstack([linear, offset[:, None]])
