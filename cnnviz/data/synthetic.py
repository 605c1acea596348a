"""Small teaching images generated in code, small enough to print every value.

Every function returns a fresh 2-D NumPy array laid out as (H, W) (row, column; row 0 is the top).
The images are uint8 0..255 like a grayscale photo; the classic convolution example
(`binary_example`, `example_kernel`) is int64 0/1 so its sums are easy to check by hand.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# A handwritten-looking "4": a left stroke running down-left into a crossbar (row 4) and a
# right stroke (column 6) from top to bottom, with softer values where a pen would only
# partly cover a pixel. The gap at the top keeps it from reading as a 9.
_DIGIT_FOUR = (
    (0, 0, 0, 0, 0, 0, 0, 0),
    (0, 0, 96, 208, 0, 160, 224, 0),
    (0, 48, 240, 80, 0, 96, 255, 0),
    (0, 176, 208, 0, 0, 112, 255, 0),
    (0, 240, 255, 255, 255, 255, 255, 96),
    (0, 32, 64, 64, 80, 160, 255, 0),
    (0, 0, 0, 0, 0, 96, 240, 0),
    (0, 0, 0, 0, 0, 48, 160, 0),
)

_BINARY_EXAMPLE = (
    (1, 1, 1, 0, 0),
    (0, 1, 1, 1, 0),
    (0, 0, 1, 1, 1),
    (0, 0, 1, 1, 0),
    (0, 1, 1, 0, 0),
)

_EXAMPLE_KERNEL = (
    (1, 0, 1),
    (0, 1, 0),
    (1, 0, 1),
)


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")


def checkerboard(size: int = 8, cell: int = 1) -> np.ndarray:
    """A square checkerboard of `cell` x `cell` squares, dark in the top-left corner.

    Returns
    -------
    image : (size, size) uint8; pixel (r, c) is 0 when (r // cell + c // cell) is even,
        else 255. The last row/column of squares is cut off if `size` is not a multiple of
        `cell`.
    """
    _check_positive(size=size, cell=cell)
    squares = np.arange(size) // cell  # (size,) index of the square each row/column is in
    odd = (squares[:, None] + squares[None, :]) % 2  # (size, size) 0/1
    return (odd * 255).astype(np.uint8)


def gradient(height: int = 8, width: int = 16) -> np.ndarray:
    """A horizontal ramp: black at the left edge, white at the right, the same in every row.

    Returns
    -------
    image : (height, width) uint8; column c holds round(255 * c / (width - 1)), so the first
        column is 0 and the last is 255 (a single column is all 0).
    """
    _check_positive(height=height, width=width)
    row = np.rint(np.linspace(0, 255, width))  # (width,)
    return np.tile(row, (height, 1)).astype(np.uint8)


def digit_four() -> np.ndarray:
    """A handwritten-looking "4" on an 8 x 8 grid, like one digit of the UCI digits set.

    Returns
    -------
    image : (8, 8) uint8; background 0, ink up to 255, with in-between grey levels where
        the stroke only partly covers a pixel. Crossbar on row 4, right stroke in column 6,
        left stroke from (1, 3) down to (4, 1).
    """
    return np.array(_DIGIT_FOUR, dtype=np.uint8)


def binary_example() -> np.ndarray:
    """The classic 5 x 5 binary image used to teach convolution by hand.

    Returns
    -------
    image : (5, 5) int64 of 0/1. Cross-correlated with `example_kernel()` (stride 1, no
        padding) it gives a 3 x 3 output whose top-left value is 4.
    """
    return np.array(_BINARY_EXAMPLE, dtype=np.int64)


def example_kernel() -> np.ndarray:
    """The 3 x 3 "X" kernel of the classic worked example.

    Returns
    -------
    kernel : (3, 3) int64, [[1, 0, 1], [0, 1, 0], [1, 0, 1]] (symmetric, so convolution and
        cross-correlation agree).
    """
    return np.array(_EXAMPLE_KERNEL, dtype=np.int64)


# Display name -> zero-argument function returning a fresh (H, W) uint8 image.
SYNTHETIC_IMAGES: dict[str, Callable[[], np.ndarray]] = {
    "Checkerboard": checkerboard,
    "Gradient": gradient,
    "Digit 4": digit_four,
}
