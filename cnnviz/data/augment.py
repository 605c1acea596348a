"""Data augmentation: random shifts of whole images (lesson 7), and rotations, flips, shifts
and brightness changes of a learner's own examples (lesson 8).

Layout: a batch is (N, C, H, W) (or (N, H, W) for the shifts); each image gets its own random
change, drawn from the `rng` passed in. Pixels shifted in from outside are 0 (blank ink).
"""

from __future__ import annotations

import cv2
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


def augment_batch(
    x: np.ndarray,
    rng: np.random.Generator,
    *,
    max_shift: int = 3,
    flip: bool = True,
    max_degrees: float = 15.0,
    brightness: float = 0.2,
) -> np.ndarray:
    """Random changes that keep an example's class, one draw per image (lesson 8).

    Each image of x (N, C, H, W) float 0..1 is, in this order: rotated about its centre by an
    angle in ±max_degrees (bilinear, zeros shifted in), mirrored left–right with probability
    1/2 if `flip`, shifted by whole pixels in -max_shift..max_shift (zeros shifted in), and its
    values multiplied by a factor in 1 ± brightness (then clipped to 0..1). Returns a new
    float32 array shaped like x; x is not changed. All randomness comes from `rng`.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4:
        raise ValueError(f"expected a batch (N, C, H, W), got shape {x.shape}")
    if not (0 <= brightness < 1 and 0 <= max_degrees <= 180):
        raise ValueError(f"need 0 <= brightness < 1 and 0 <= max_degrees <= 180, got {brightness}")
    N, _, H, W = x.shape
    angles = rng.uniform(-max_degrees, max_degrees, size=N)
    flips = rng.random(N) < 0.5 if flip else np.zeros(N, dtype=bool)
    offsets = rng.integers(-max_shift, max_shift + 1, size=(N, 2))
    gains = rng.uniform(1 - brightness, 1 + brightness, size=N).astype(np.float32)
    out = np.empty_like(x)
    for n in range(N):
        image = x[n]
        if angles[n]:
            matrix = cv2.getRotationMatrix2D(((W - 1) / 2, (H - 1) / 2), float(angles[n]), 1.0)
            hwc = np.ascontiguousarray(image.transpose(1, 2, 0))
            turned = cv2.warpAffine(hwc, matrix, (W, H), flags=cv2.INTER_LINEAR)
            image = turned.reshape(H, W, -1).transpose(2, 0, 1)
        out[n] = image[:, :, ::-1] if flips[n] else image
    out = shift_images(out, offsets)
    out *= gains[:, None, None, None]
    return np.clip(out, 0, 1, out=out)


def augmented_row(example: np.ndarray, n: int, seed: int, **settings) -> np.ndarray:
    """`n` augmented versions of one example (C, H, W), for display: (n, C, H, W) float32.

    The same `seed` gives the same row; `settings` are those of `augment_batch`.
    """
    example = np.asarray(example, dtype=np.float32)
    if example.ndim != 3 or n < 0:
        raise ValueError(f"expected one example (C, H, W) and n >= 0, got {example.shape}, {n}")
    batch = np.repeat(example[None], n, axis=0)
    return augment_batch(batch, np.random.default_rng(seed), **settings)


def augment_copies(
    x: np.ndarray, y: np.ndarray, copies: int, rng: np.random.Generator, **settings
) -> tuple[np.ndarray, np.ndarray]:
    """The training examples plus `copies` augmented versions of each: (N·(1+copies), C, H, W)
    and their labels, originals first. A fixed, bigger training set (where `augment_batch`
    inside `train_steps` draws new versions at every step)."""
    x = np.asarray(x, dtype=np.float32)
    if copies < 0:
        raise ValueError(f"copies must be >= 0, got {copies}")
    extra = [augment_batch(x, rng, **settings) for _ in range(copies)]
    return np.concatenate([x, *extra]), np.tile(np.asarray(y), 1 + copies)
