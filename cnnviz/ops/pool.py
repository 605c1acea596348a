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


# --- the lesson's extras: sums, repeated pooling, global pooling, backward pass ----------------


def avg_pool_sums(
    x: np.ndarray, size: int = 2, stride: int | None = None
) -> tuple[np.ndarray, int]:
    """The sum of every window and how many numbers it holds: average = sum / count.

    Parameters
    ----------
    x : (H, W) or (H, W, C)
    size, stride : as in `pool2d`

    Returns
    -------
    sums : (H_out, W_out[, C]) float64
    count : int, ``size * size``; ``sums / count == pool2d(x, size, stride, "avg")``.
    """
    x, stride, _ = _check_pool(x, size, stride, "avg")
    windows = _windows(x, size, stride)  # (H_out, W_out[, C], size, size)
    return windows.sum(axis=(-2, -1), dtype=np.float64), size * size


def pool_repeatedly(x: np.ndarray, times: int, size: int = 2, mode: str = "max") -> np.ndarray:
    """Pool `times` times in a row (size × size windows, stride = size each time).

    With size 2 every round halves the height and width (odd leftovers dropped), so 3 rounds
    shrink a map 8×. Depth is unchanged.

    x : (H, W) or (H, W, C)  ->  (H // size**times, W // size**times[, C]) (rounded down each
    round). Raises ShapeError when the map becomes smaller than one window.
    """
    if isinstance(times, bool) or not isinstance(times, (int, np.integer)) or times < 0:
        raise ValueError(f"times must be a whole number of at least 0, got {times!r}.")
    out = np.asarray(x)
    for _ in range(times):
        out = pool2d(out, size, size, mode)
    return out


def global_avg_pool(x: np.ndarray) -> np.ndarray:
    """One number per channel: the mean of the whole map.

    x : (H, W, C) -> (C,) float64;  (H, W) -> shape () (one channel).
    Used at the end of many modern CNNs instead of flatten: the output size no longer depends
    on the input size.
    """
    x = np.asarray(x)
    if x.ndim not in (2, 3) or x.size == 0:
        raise ShapeError(
            f"global pooling needs a non-empty (H, W) or (H, W, C) array, got shape {x.shape}."
        )
    return x.mean(axis=(0, 1), dtype=np.float64)


def pool2d_backward(
    dout: np.ndarray,
    x: np.ndarray,
    size: int = 2,
    stride: int | None = None,
    mode: str = "max",
) -> np.ndarray:
    """Gradient of the loss with respect to the pooling input `x`.

    - max: each window's gradient goes entirely to its one winner (the first maximum in
      row-major order, see `max_pool_winners`); every other element gets 0;
    - avg: each window's gradient is spread evenly, ``dout / (size * size)`` to every element.

    Where windows overlap (stride < size) an element collects the gradients of every window it
    belongs to; elements in no window (leftover rows/columns) get 0.

    Parameters
    ----------
    dout : (H_out, W_out[, C]) upstream gradient, the shape of ``pool2d(x, size, stride)``
    x : (H, W) or (H, W, C), the forward input
    size, stride, mode : as in `pool2d`

    Returns
    -------
    dx : float64, the shape of `x`
    """
    x, stride, out_shape = _check_pool(x, size, stride, mode)
    dout = np.asarray(dout, dtype=np.float64)
    if dout.shape != out_shape + x.shape[2:]:
        raise ShapeError(
            f"dout must have the shape of the pooled output {out_shape + x.shape[2:]}, "
            f"got {dout.shape}."
        )
    dx = np.zeros(x.shape, dtype=np.float64)
    H_out, W_out = out_shape
    if mode == "max":
        winners = max_pool_winners(x, size, stride)  # (H_out, W_out[, C], 2)
        channels = () if x.ndim == 2 else (np.arange(x.shape[2]),)
        # np.add.at, not +=: overlapping windows may share a winner, and both gradients count.
        np.add.at(dx, (winners[..., 0], winners[..., 1]) + channels, dout)
        return dx
    share = dout / (size * size)  # (H_out, W_out[, C])
    for i in range(size):  # each offset inside the window receives one share of every window
        for j in range(size):
            rows = slice(i, i + stride * (H_out - 1) + 1, stride)
            cols = slice(j, j + stride * (W_out - 1) + 1, stride)
            dx[rows, cols] += share
    return dx


def pool2d_backward_loop(
    dout: np.ndarray,
    x: np.ndarray,
    size: int = 2,
    stride: int | None = None,
    mode: str = "max",
) -> np.ndarray:
    """Reference `pool2d_backward` as plain loops over windows and channels; same arguments."""
    x, stride, (H_out, W_out) = _check_pool(x, size, stride, mode)
    dout = np.asarray(dout, dtype=np.float64)
    x3 = x.reshape(x.shape[:2] + (-1,))  # (H, W, C), C = 1 for a 2-D input
    d3 = dout.reshape((H_out, W_out, -1))
    dx = np.zeros(x3.shape, dtype=np.float64)
    for c in range(x3.shape[2]):
        for r in range(H_out):
            for q in range(W_out):
                top, left = r * stride, q * stride
                window = x3[top : top + size, left : left + size, c]
                if mode == "max":
                    i, j = np.unravel_index(np.argmax(window), window.shape)  # first maximum
                    dx[top + i, left + j, c] += d3[r, q, c]
                else:
                    dx[top : top + size, left : left + size, c] += d3[r, q, c] / (size * size)
    return dx.reshape(x.shape)
