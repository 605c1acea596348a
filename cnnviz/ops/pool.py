"""Max and average pooling of feature maps, plus which element won each max window.

Layout: x is (H, W) or (H, W, C). Each channel is pooled on its own, so the depth C is
unchanged. Windows are square (size × size), start at the top-left, move by `stride` (default:
`size`, so windows do not overlap) and are never padded: rows or columns left over at the
bottom/right that cannot fill a whole window are dropped. Per axis::

    H_out = (H - size) // stride + 1          (cnnviz.ops.shapes.output_size with pad 0)
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.ops.shapes import ShapeError, output_shape_2d

POOL_MODES = ("max", "avg")


def _check_pool(x, size, stride, mode) -> tuple[np.ndarray, int, tuple[int, int]]:
    """Validated (x, stride, (H_out, W_out))."""
    x = np.asarray(x)
    if x.ndim not in (2, 3):
        raise ShapeError(f"pooling needs an (H, W) or (H, W, C) array, got shape {x.shape}.")
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}.")
    stride = size if stride is None else stride
    out_shape = output_shape_2d(x.shape[:2], (size, size), stride)
    return x, stride, out_shape


def _windows(x: np.ndarray, size: int, stride: int) -> np.ndarray:
    """Views of the pooling windows: (H_out, W_out[, C], size, size); nothing is copied."""
    return sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]


def pool2d(
    x: np.ndarray, size: int = 2, stride: int | None = None, mode: str = "max"
) -> np.ndarray:
    """Shrink each channel by keeping the max (or mean) of every size × size window.

    Parameters
    ----------
    x : (H, W) or (H, W, C)
    size : int >= 1
        Window height and width.
    stride : int >= 1, optional
        Step between windows; defaults to `size`.
    mode : {"max", "avg"}

    Returns
    -------
    (H_out, W_out) or (H_out, W_out, C): the dtype of `x` for "max", float64 for "avg".
    """
    x, stride, _ = _check_pool(x, size, stride, mode)
    windows = _windows(x, size, stride)  # (H_out, W_out[, C], size, size)
    if mode == "max":
        return windows.max(axis=(-2, -1))
    return windows.mean(axis=(-2, -1), dtype=np.float64)


def pool2d_loop(
    x: np.ndarray, size: int = 2, stride: int | None = None, mode: str = "max"
) -> np.ndarray:
    """Reference `pool2d` written as plain loops over the output cells; same arguments."""
    x, stride, (H_out, W_out) = _check_pool(x, size, stride, mode)
    dtype = x.dtype if mode == "max" else np.float64
    out = np.zeros((H_out, W_out) + x.shape[2:], dtype=dtype)
    for r in range(H_out):
        for c in range(W_out):
            window = x[r * stride : r * stride + size, c * stride : c * stride + size]
            # Reduce over the window's rows and columns only, keeping channels separate.
            if mode == "max":
                out[r, c] = window.max(axis=(0, 1))
            else:
                out[r, c] = window.mean(axis=(0, 1), dtype=np.float64)
    return out


def max_pool_winners(x: np.ndarray, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Where each max-pooling window's maximum sits in `x`.

    Exactly one winner per window: with ties, the first maximum in row-major order inside the
    window wins (as in PyTorch). This is where max pooling sends the gradient back.

    Parameters
    ----------
    x : (H, W) or (H, W, C)
    size, stride : as in `pool2d`

    Returns
    -------
    winners : (H_out, W_out, 2) int for (H, W) input, (H_out, W_out, C, 2) for (H, W, C);
        ``winners[..., 0]`` is the row and ``winners[..., 1]`` the column in `x`, so
        ``x[r, c]`` (per channel) equals ``pool2d(x, size, stride)``.
    """
    x, stride, (H_out, W_out) = _check_pool(x, size, stride, "max")
    windows = _windows(x, size, stride)  # (H_out, W_out[, C], size, size)
    flat = windows.reshape(windows.shape[:-2] + (size * size,))  # (H_out, W_out[, C], size*size)
    best = flat.argmax(axis=-1)  # argmax returns the first maximum: the tie rule
    d_row, d_col = np.divmod(best, size)  # position inside the window
    # Window origins, shaped to broadcast against (H_out, W_out[, C]).
    extra = (1,) * (x.ndim - 2)
    top = (np.arange(H_out) * stride).reshape((H_out, 1) + extra)
    left = (np.arange(W_out) * stride).reshape((1, W_out) + extra)
    return np.stack([top + d_row, left + d_col], axis=-1)
