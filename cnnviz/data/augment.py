"""Data augmentation for the overfitting lesson: random shifts of whole images.

Layout: a batch is (N, C, H, W) (or (N, H, W)); each image moves by its own random whole-pixel
offset, drawn from the `rng` passed in. Pixels shifted in from outside are 0 (blank ink).
"""

from __future__ import annotations

import numpy as np


def random_shift(x: np.ndarray, rng: np.random.Generator, max_shift: int = 1) -> np.ndarray:
    """Shift each image by dy, dx drawn uniformly from -max_shift..max_shift.

    Parameters
    ----------
    x : (N, ..., H, W), any dtype; not changed
    rng : np.random.Generator
    max_shift : int >= 0, smaller than H and W

    Returns
    -------
    shifted : same shape and dtype; ``shifted[n, ..., r, c] = x[n, ..., r - dy, c - dx]`` where
        that lies inside the image, else 0. Positive dy moves content down, dx right.
    """
    x = np.asarray(x)
    if x.ndim < 3:
        raise ValueError(f"expected a batch of images (N, ..., H, W), got shape {x.shape}")
    H, W = x.shape[-2:]
    if not isinstance(max_shift, (int, np.integer)) or not 0 <= max_shift < min(H, W):
        raise ValueError(f"max_shift must be a whole number in 0..{min(H, W) - 1}, got {max_shift}")
    offsets = rng.integers(-max_shift, max_shift + 1, size=(len(x), 2))
    return shift_images(x, offsets)


def shift_images(x: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Shift image n of x (N, ..., H, W) by offsets[n] = (dy, dx) pixels, filling with 0."""
    offsets = np.asarray(offsets)
    out = np.zeros_like(x)
    # One slice copy per distinct offset: at most (2*max_shift + 1)**2 groups, not N.
    for dy, dx in np.unique(offsets, axis=0):
        members = np.flatnonzero((offsets[:, 0] == dy) & (offsets[:, 1] == dx))
        src = x[members][..., _src(dy, x.shape[-2]), _src(dx, x.shape[-1])]
        out[members, ..., _dst(dy, x.shape[-2]), _dst(dx, x.shape[-1])] = src
    return out


def _src(d: int, n: int) -> slice:
    return slice(max(-d, 0), n - max(d, 0))


def _dst(d: int, n: int) -> slice:
    return slice(max(d, 0), n - max(-d, 0))
