"""Max and average pooling as a forward/backward pair (CS231n style), split from `layers`.

Layout (N, C, H, W); like the conv layer, outputs are stored channels-last and handed back as
(N, C, H, W) views. Output size per spatial axis, no padding::

    H_out = (H - size) // stride + 1
"""

from __future__ import annotations

import numpy as np

from cnnviz.nn.layers import out_size

POOL_MODES = ("max", "avg")


def _pool_taps(xh: np.ndarray, size: int, stride: int, H_out: int, W_out: int):
    """Yield (rows, cols) slices: tap (i, j) of every window, in row-major order in the window."""
    for i in range(size):
        rows = slice(i, i + stride * (H_out - 1) + 1, stride)
        for j in range(size):
            yield rows, slice(j, j + stride * (W_out - 1) + 1, stride)


def pool_forward(
    x: np.ndarray, size: int = 2, stride: int | None = None, mode: str = "max"
) -> tuple[np.ndarray, tuple]:
    """Max or average pooling of each channel over size×size windows, no padding.

    Parameters
    ----------
    x : (N, C, H, W)
    size : int, window side
    stride : int, default `size` (windows do not overlap)
    mode : "max" or "avg"

    Returns
    -------
    out : (N, C, H_out, W_out), ``H_out = (H - size) // stride + 1``; leftover rows/columns
        at the bottom/right that cannot fill a window are dropped (as in PyTorch)
    cache : for `pool_backward`
    """
    if mode not in POOL_MODES:
        raise ValueError(f"pooling mode must be 'max' or 'avg', got {mode!r}")
    stride = size if stride is None else stride
    N, C, H, W = x.shape
    H_out = out_size(H, size, stride, 0, "pool height")
    W_out = out_size(W, size, stride, 0, "pool width")
    xh = x.transpose(0, 2, 3, 1)  # (N, H, W, C)
    if mode == "max" and size == stride == 2:
        return _max_pool_2x2_forward(xh, H_out, W_out)
    taps = _pool_taps(xh, size, stride, H_out, W_out)
    rows, cols = next(taps)
    out = xh[:, rows, cols].copy()  # (N, H_out, W_out, C)
    for rows, cols in taps:
        if mode == "max":
            np.maximum(out, xh[:, rows, cols], out=out)
        else:
            out += xh[:, rows, cols]
    if mode == "avg":
        out *= 1.0 / (size * size)
    return out.transpose(0, 3, 1, 2), (xh, out, size, stride, mode)


def _max_pool_2x2_forward(xh: np.ndarray, H_out: int, W_out: int) -> tuple[np.ndarray, tuple]:
    """The common case, 2×2 max pooling at stride 2, as two pairwise maxima.

    First across column pairs, then across row pairs: max(max(a, b), max(c, d)) for the window
    [[a, b], [c, d]]. The row step compares whole rows, so NumPy runs long loops.
    """
    N, _, _, C = xh.shape
    pairs = xh[:, : 2 * H_out, : 2 * W_out].reshape(N, 2 * H_out, W_out, 2, C)
    cols_max = np.maximum(pairs[:, :, :, 0], pairs[:, :, :, 1])  # (N, 2*H_out, W_out, C)
    out = np.maximum(cols_max[:, 0::2], cols_max[:, 1::2])  # (N, H_out, W_out, C)
    return out.transpose(0, 3, 1, 2), ("max2x2", xh, pairs, cols_max, out)


def _max_pool_2x2_backward(dh: np.ndarray, cache: tuple) -> np.ndarray:
    """Backward of `_max_pool_2x2_forward`, one winner per window in row-major order.

    The top row wins when its maximum equals the window's (so a tie goes to the top), and
    within the winning row the left element wins when it equals the row's maximum: that is
    exactly the first maximum in row-major order, as PyTorch picks.
    """
    _, xh, pairs, cols_max, out = cache
    N, H_out, W_out, C = out.shape
    d_rows = np.empty(cols_max.shape, dtype=dh.dtype)  # gradient of each column-pair maximum
    np.multiply(dh, cols_max[:, 0::2] == out, out=d_rows[:, 0::2])
    np.subtract(dh, d_rows[:, 0::2], out=d_rows[:, 1::2])  # the rest goes to the bottom row
    d_pairs = np.empty(pairs.shape, dtype=dh.dtype)  # (N, 2*H_out, W_out, 2, C)
    np.multiply(d_rows, pairs[:, :, :, 0] == cols_max, out=d_pairs[:, :, :, 0])
    np.subtract(d_rows, d_pairs[:, :, :, 0], out=d_pairs[:, :, :, 1])
    dxh = d_pairs.reshape(N, 2 * H_out, 2 * W_out, C)
    if dxh.shape != xh.shape:  # odd H or W: the dropped last row/column gets 0
        dxh = np.zeros(xh.shape, dtype=dh.dtype)
        dxh[:, : 2 * H_out, : 2 * W_out] = d_pairs.reshape(N, 2 * H_out, 2 * W_out, C)
    return dxh.transpose(0, 3, 1, 2)


def pool_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Gradient of `pool_forward`: dout (N, C, H_out, W_out) -> dx (N, C, H, W).

    max: each window's gradient goes to exactly one element, its first maximum in row-major
    order (as PyTorch does); tied elements after it get 0. avg: ``dout / size**2`` to every
    element of the window. Overlapping windows add up; dropped rows/columns get 0.
    """
    dh = dout.transpose(0, 2, 3, 1)  # (N, H_out, W_out, C)
    if isinstance(cache[0], str):  # "max2x2", the fast path
        return _max_pool_2x2_backward(dh, cache)
    xh, out, size, stride, mode = cache
    N, H_out, W_out, C = out.shape
    # Windows that tile the input exactly write every element once: no zeroing, no adding.
    tiled = stride == size and xh.shape[1:3] == (H_out * size, W_out * size)
    dxh = (np.empty if tiled else np.zeros)(xh.shape, dtype=dout.dtype)
    if mode == "avg":
        share = dh * (1.0 / (size * size))
        for rows, cols in _pool_taps(xh, size, stride, H_out, W_out):
            if tiled:
                dxh[:, rows, cols] = share
            else:
                dxh[:, rows, cols] += share
        return dxh.transpose(0, 3, 1, 2)
    # Visit the taps in row-major order; the first tap equal to the maximum takes what is
    # left of its window's gradient, leaving 0 for any later tie.
    left = dh.copy()  # (N, H_out, W_out, C): gradient not yet given to a winner
    taps = list(_pool_taps(xh, size, stride, H_out, W_out))
    for k, (rows, cols) in enumerate(taps):
        wins = xh[:, rows, cols] == out
        if tiled:
            np.multiply(left, wins, out=dxh[:, rows, cols])
        else:
            dxh[:, rows, cols] += left * wins
        if k < len(taps) - 1:
            np.copyto(left, 0, where=wins)
    return dxh.transpose(0, 3, 1, 2)
