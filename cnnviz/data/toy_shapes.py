"""A synthetic data set of simple shapes, drawn on the fly with OpenCV.

Six classes (`CLASS_NAMES`): circle, square, triangle, cross, horizontal bar, vertical bar.
Each image is (SIZE, SIZE) = (28, 28) uint8, white strokes (up to 255) on black, with random
position, size, rotation, stroke width and Gaussian noise. Everything random comes from the
`rng` passed in, so the same seed always gives the same images.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

SIZE = 28
CLASS_NAMES = ("circle", "square", "triangle", "cross", "horizontal bar", "vertical bar")
N_CLASSES = len(CLASS_NAMES)
MAX_SAMPLES = 100_000
_SHIFT = 4  # OpenCV draws with 4 fractional bits: coordinates are multiplied by 16


@dataclass(frozen=True, eq=False)
class ToyShapes:
    """images : (N, 28, 28) uint8 0..255   labels : (N,) uint8, index into CLASS_NAMES."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return int(self.labels.shape[0])


def make_shapes(n: int, rng: np.random.Generator, noise: float = 12.0) -> ToyShapes:
    """Draw `n` images, as balanced as possible: each class appears n // 6 or n // 6 + 1 times,
    in random order.

    Parameters
    ----------
    n : int, 0..MAX_SAMPLES
    rng : np.random.Generator, the only source of randomness
    noise : float >= 0, largest standard deviation of the added Gaussian noise (0..255 scale);
        each image draws its own in 0..noise
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= MAX_SAMPLES:
        raise ValueError(f"n must be a whole number in 0..{MAX_SAMPLES}, got {n!r}")
    if not 0 <= noise <= 100:
        raise ValueError(f"noise must be in 0..100, got {noise}")
    labels = rng.permutation(np.arange(n) % N_CLASSES).astype(np.uint8)
    images = np.empty((n, SIZE, SIZE), dtype=np.uint8)
    for i, label in enumerate(labels):
        images[i] = draw_shape(int(label), rng, noise)
    return ToyShapes(images, labels)


def draw_shape(label: int, rng: np.random.Generator, noise: float = 12.0) -> np.ndarray:
    """One (28, 28) uint8 image of class `label` (index into CLASS_NAMES)."""
    if not 0 <= label < N_CLASSES:
        raise ValueError(f"label must be 0..{N_CLASSES - 1}, got {label}")
    canvas = np.zeros((SIZE, SIZE), dtype=np.uint8)
    thickness = int(rng.integers(1, 4))
    brightness = int(rng.integers(160, 256))
    radius = rng.uniform(5.0, 10.0)  # half the extent of the shape
    margin = radius + thickness
    centre = rng.uniform(margin, SIZE - 1 - margin, size=2)  # (x, y)
    name = CLASS_NAMES[label]
    if name == "circle":
        cv2.circle(
            canvas, _fixed(centre), int(radius * 16), brightness, thickness, cv2.LINE_AA, _SHIFT
        )
    elif name in ("square", "triangle"):
        corners = 4 if name == "square" else 3
        angle = rng.uniform(0, 2 * math.pi / corners)
        points = [_polar(centre, radius, angle + 2 * math.pi * k / corners) for k in range(corners)]
        cv2.polylines(
            canvas, [np.array(points, np.int32)], True, brightness, thickness, cv2.LINE_AA, _SHIFT
        )
    elif name == "cross":
        angle = rng.uniform(0, math.pi / 2)
        for arm in (angle, angle + math.pi / 2):
            _line(canvas, centre, radius, arm, brightness, thickness)
    else:
        tilt = rng.uniform(-math.pi / 12, math.pi / 12)  # up to 15 degrees off the axis
        angle = tilt if name == "horizontal bar" else math.pi / 2 + tilt
        _line(canvas, centre, radius, angle, brightness, thickness + 1)
    sigma = rng.uniform(0, noise)
    noisy = canvas + rng.normal(0.0, sigma, size=canvas.shape) if sigma else canvas
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _polar(centre: np.ndarray, radius: float, angle: float) -> tuple[int, int]:
    x = centre[0] + radius * math.cos(angle)
    y = centre[1] + radius * math.sin(angle)
    return _fixed((x, y))


def _fixed(point) -> tuple[int, int]:
    """Pixel coordinates -> OpenCV's fixed-point (4 fractional bits) integers."""
    return int(round(point[0] * 16)), int(round(point[1] * 16))


def _line(canvas, centre, radius, angle, brightness, thickness) -> None:
    """A straight stroke of length 2*radius through `centre` at `angle` (radians)."""
    start = _polar(centre, radius, angle)
    end = _polar(centre, radius, angle + math.pi)
    cv2.line(canvas, start, end, brightness, thickness, cv2.LINE_AA, _SHIFT)
