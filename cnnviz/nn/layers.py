"""Layers of a small CNN as forward/backward pairs of plain functions (CS231n style).

Layout: every 4-D array is indexed (N, C, H, W) — batch, channels, rows, columns. Inside, the
conv and pool layers *store* their outputs channels-last (the memory of an (N, H, W, C) array)
and hand back an (N, C, H, W) view of it: im2col then reads runs of ``KW*C`` neighbouring
values instead of single floats, and the next layer's ``x.transpose(0, 2, 3, 1)`` is free.
Indexing, shapes and results are exactly those of ordinary NCHW arrays. Pooling is in
`cnnviz.nn.pooling`.

"Convolution" is cross-correlation (the kernel is not flipped), as in deep-learning libraries.
Output size per spatial axis::

    H_out = (H + 2*pad - KH) // stride + 1

Every ``x_forward(...)`` returns ``(out, cache)``; ``x_backward(dout, cache)`` returns the
gradients of the loss with respect to the forward inputs, given ``dout``, the gradient with
respect to ``out``. The functions keep the dtype they are given (the model uses float32;
gradient checks use float64).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided


def out_size(n: int, k: int, stride: int, pad: int, what: str) -> int:
    """``(n + 2*pad - k) // stride + 1``; ValueError naming `what` when the window does not fit."""
    if stride < 1 or pad < 0:
        raise ValueError(f"{what}: stride must be >= 1 and pad >= 0, got {stride} and {pad}")
    n_out = (n + 2 * pad - k) // stride + 1
    if n_out < 1:
        raise ValueError(
            f"{what}: a window of {k} does not fit an input of {n} with padding {pad}; "
            "use a smaller kernel or more padding"
        )
    return n_out


# --- convolution ------------------------------------------------------------------------------


def conv_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0
) -> tuple[np.ndarray, tuple]:
    """Cross-correlate a batch with F filters, as one matrix multiply (im2col + GEMM).

    Parameters
    ----------
    x : (N, C, H, W)
    w : (F, C, KH, KW)
    b : (F,)
    stride : int >= 1
    pad : int >= 0, zeros added on every side

    Returns
    -------
    out : (N, F, H_out, W_out), ``H_out = (H + 2*pad - KH) // stride + 1``
    cache : for `conv_backward`
    """
    N, C, H, W = x.shape
    F, C_w, KH, KW = w.shape
    if C_w != C:
        raise ValueError(f"the input has {C} channels but the filters expect {C_w}")
    H_out = out_size(H, KH, stride, pad, "conv height")
    W_out = out_size(W, KW, stride, pad, "conv width")
    xh = x.transpose(0, 2, 3, 1)  # (N, H, W, C); free when x is channels-last in memory
    if pad:
        xp = np.zeros((N, H + 2 * pad, W + 2 * pad, C), dtype=x.dtype)
        xp[:, pad : pad + H, pad : pad + W] = xh
    else:
        xp = xh
    cols = _im2col(xp, KH, KW, stride, H_out, W_out)  # (N*H_out*W_out, KH*KW*C)
    w_rows = w.transpose(0, 2, 3, 1).reshape(F, KH * KW * C)  # same (KH, KW, C) order
    out = _per_image_matmul(cols, w_rows.T, N)  # (N*H_out*W_out, F)
    out += b
    out = out.reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2)  # NCHW view
    return out, (cols, w_rows, x.shape, w.shape, stride, pad)


_PER_IMAGE = 96  # output positions per image from which per-image products are faster


def _per_image_matmul(rows: np.ndarray, right: np.ndarray, N: int) -> np.ndarray:
    """``rows @ right`` for rows (N*P, K) grouped by image, as N products of (P, K) @ (K, F)
    when P is large (measured faster with OpenBLAS: shorter, cache-sized panels), else one.
    Returns (N*P, F), C-contiguous."""
    P = rows.shape[0] // N
    if P < _PER_IMAGE:
        return rows @ right
    return np.matmul(rows.reshape(N, P, -1), right).reshape(N * P, -1)


def _im2col(xp: np.ndarray, KH: int, KW: int, stride: int, H_out: int, W_out: int) -> np.ndarray:
    """Receptive fields of a padded (N, Hp, Wp, C) batch as rows: (N*H_out*W_out, KH*KW*C).

    Row ``(n*H_out + r)*W_out + c`` holds window (r, c) of image n, ordered (KH, KW, C).
    """
    N, _, _, C = xp.shape
    M = N * H_out * W_out
    if C == 1:
        # One channel: copy each tap's shifted image whole (long contiguous runs) into a
        # (KH*KW, M) array and use its transpose; BLAS reads either orientation.
        taps = np.empty((KH, KW, N, H_out, W_out), dtype=xp.dtype)
        for i in range(KH):
            rows = slice(i, i + stride * (H_out - 1) + 1, stride)
            for j in range(KW):
                taps[i, j] = xp[:, rows, j : j + stride * (W_out - 1) + 1 : stride, 0]
        return taps.reshape(KH * KW, M).T
    sN, sH, sW, sC = xp.strides
    # A read-only strided view (N, H_out, W_out, KH, KW, C) of the windows, built directly:
    # the same as sliding_window_view(...)[:, ::stride, ::stride] without its checks.
    windows = as_strided(
        xp,
        shape=(N, H_out, W_out, KH, KW, C),
        strides=(sN, sH * stride, sW * stride, sH, sW, sC),
        writeable=False,
    )
    # The one copy: runs of KW*C neighbouring values, as C is innermost in memory.
    return windows.reshape(M, KH * KW * C)


def conv_backward(
    dout: np.ndarray, cache: tuple, need_dx: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Gradients of `conv_forward`.

    Parameters
    ----------
    dout : (N, F, H_out, W_out)
    cache : from `conv_forward`
    need_dx : bool
        False skips dx (the first layer's input is the data, which is never updated).

    Returns
    -------
    dx : (N, C, H, W) or None
    dw : (F, C, KH, KW)
    db : (F,)
    """
    cols, w_rows, (N, C, H, W), (F, _, KH, KW), stride, pad = cache
    _, _, H_out, W_out = dout.shape
    M = N * H_out * W_out
    d2 = dout.transpose(0, 2, 3, 1).reshape(M, F)
    db = np.ones(M, dtype=d2.dtype) @ d2  # a matrix-vector product sums columns fastest
    P = H_out * W_out
    if P >= _PER_IMAGE:
        # dw = d2.T @ cols sums over all N*P rows; per image and then over images is the same
        # sum, and BLAS runs N moderate products faster than one with a very long inner size.
        dw_rows = np.matmul(d2.reshape(N, P, F).transpose(0, 2, 1), cols.reshape(N, P, -1))
        dw_rows = dw_rows.sum(axis=0)  # (F, KH*KW*C)
    else:
        dw_rows = d2.T @ cols  # (F, KH*KW*C)
    dw = dw_rows.reshape(F, KH, KW, C).transpose(0, 3, 1, 2).copy()
    if not need_dx:
        return None, dw, db
    if stride == 1 and pad <= KH - 1 and KH == KW and H_out * W_out < 64:
        # Small maps: one im2col and one GEMM beat KH*KW separate calls.
        dx = _conv_dx_full(d2.reshape(N, H_out, W_out, F), w_rows, C, KH, pad)
    else:
        dx = _col2im_by_tap(d2, w_rows, (N, C, H, W), KH, KW, stride, pad, (H_out, W_out))
    return dx, dw, db


def _col2im_by_tap(d2, w_rows, x_shape, KH, KW, stride, pad, out_hw) -> np.ndarray:
    """dx of a convolution: every tap (i, j) of every window sends its gradient back to the
    pixel it read (col2im), one tap at a time.

    For tap (i, j), ``d2 @ w[:, :, i, j]`` (M, C) is the gradient of the pixels that tap read:
    a shifted, strided block of the padded input. One small GEMM per tap writes it contiguous,
    so the scatter-add runs over long rows instead of C values at a time.
    d2 : (N*H_out*W_out, F); returns dx as an (N, C, H, W) view.
    """
    N, C, H, W = x_shape
    H_out, W_out = out_hw
    dxp = np.zeros((N, H + 2 * pad, W + 2 * pad, C), dtype=d2.dtype)
    block = np.empty((d2.shape[0], C), dtype=d2.dtype)
    for i in range(KH):
        rows = slice(i, i + stride * (H_out - 1) + 1, stride)
        for j in range(KW):
            t = (i * KW + j) * C  # w_rows columns are ordered (KH, KW, C)
            np.matmul(d2, w_rows[:, t : t + C], out=block)
            cols = slice(j, j + stride * (W_out - 1) + 1, stride)
            dxp[:, rows, cols] += block.reshape(N, H_out, W_out, C)
    return dxp[:, pad : pad + H, pad : pad + W].transpose(0, 3, 1, 2)


def _conv_dx_full(dh: np.ndarray, w_rows: np.ndarray, C: int, K: int, pad: int) -> np.ndarray:
    """dx of a stride-1 convolution as a "full" convolution of dout with the flipped filters.

    dx[n, h, w, c] = sum over i, j, f of dout_p[n, h + i, w + j, f] * w[f, c, K-1-i, K-1-j],
    where dout_p is dout (N, H_out, W_out, F) padded by K - 1 - pad: one im2col and one GEMM
    instead of the K*K calls of `_col2im_by_tap`, which is faster for small maps.
    Returns dx as an (N, C, H, W) view.
    """
    N, H_out, W_out, F = dh.shape
    p = K - 1 - pad
    H, W = H_out - 2 * pad + K - 1, W_out - 2 * pad + K - 1  # invert H_out = H + 2*pad - K + 1
    dp = np.zeros((N, H_out + 2 * p, W_out + 2 * p, F), dtype=dh.dtype)
    dp[:, p : p + H_out, p : p + W_out] = dh
    w_flip = w_rows.reshape(-1, K, K, C)[:, ::-1, ::-1]  # (F, K, K, C), flipped in space
    w_flip = w_flip.transpose(1, 2, 0, 3).reshape(K * K * F, C)  # rows ordered (K, K, F)
    dx = _im2col(dp, K, K, 1, H, W) @ w_flip  # (N*H*W, C)
    return dx.reshape(N, H, W, C).transpose(0, 3, 1, 2)


def conv_forward_loop(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, pad: int = 0
) -> np.ndarray:
    """Reference `conv_forward` as plain loops over images, filters and output positions.

    Same arguments; returns out (N, F, H_out, W_out). Slow: for tests and for reading.
    """
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    H_out = out_size(H, KH, stride, pad, "conv height")
    W_out = out_size(W, KW, stride, pad, "conv width")
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=np.result_type(x, w))
    for n in range(N):
        for f in range(F):
            for r in range(H_out):
                for c in range(W_out):
                    top, left = r * stride, c * stride
                    window = xp[n, :, top : top + KH, left : left + KW]  # (C, KH, KW)
                    out[n, f, r, c] = np.sum(window * w[f]) + b[f]
    return out


# --- ReLU -------------------------------------------------------------------------------------


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """out = max(0, x), any shape; keeps x's memory layout."""
    out = np.maximum(x, 0)
    return out, out


def relu_backward(dout: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dx = dout where the forward output was positive, else 0 (the kink at 0 gets 0)."""
    return np.where(cache > 0, dout, 0).astype(dout.dtype, copy=False)


# --- flatten, dense, dropout ------------------------------------------------------------------


def flatten_forward(x: np.ndarray) -> tuple[np.ndarray, tuple]:
    """(N, C, H, W) -> (N, C*H*W), in C, H, W order (as PyTorch's flatten)."""
    return x.reshape(x.shape[0], -1), x.shape


def flatten_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """(N, C*H*W) -> (N, C, H, W)."""
    return dout.reshape(cache)


def dense_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Affine layer: out = x @ w + b.

    x : (N, D)   w : (D, U)   b : (U,)   ->   out : (N, U)
    """
    out = x @ w
    out += b
    return out, (x, w)


def dense_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dout (N, U) -> dx (N, D), dw (D, U), db (U,)."""
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def dropout_forward(
    x: np.ndarray, p: float, rng: np.random.Generator | None, training: bool
) -> tuple[np.ndarray, np.ndarray | None]:
    """Inverted dropout: in training, zero each value with probability p and scale the rest.

    out = x * mask / (1 - p), mask ~ Bernoulli(1 - p), drawn from `rng`; so the expected
    output equals x and evaluation (training=False) is the identity. x : any shape.
    """
    if not 0 <= p < 1:
        raise ValueError(f"dropout probability must be in [0, 1), got {p}")
    if not training or p == 0:
        return x, None
    if rng is None:
        raise ValueError("dropout in training needs an rng (np.random.Generator)")
    keep = rng.random(x.shape, dtype=np.float32) >= p
    mask = keep.astype(x.dtype) * x.dtype.type(1.0 / (1.0 - p))
    return x * mask, mask


def dropout_backward(dout: np.ndarray, cache: np.ndarray | None) -> np.ndarray:
    """dx = dout * mask (the same values were dropped and scaled); identity when off."""
    return dout if cache is None else dout * cache


# --- softmax and the loss ---------------------------------------------------------------------


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of (N, K) scores, stable: the row maximum is subtracted first."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    e /= e.sum(axis=1, keepdims=True)
    return e


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) against integer labels, and its gradient.

    loss = -mean_n log softmax(logits)[n, y[n]], computed as ``log(sum exp(z - max)) -
    (z_y - max)`` so large scores never overflow.

    Parameters
    ----------
    logits : (N, K)
    y : (N,) int, values 0..K-1

    Returns
    -------
    loss : float
    dlogits : (N, K), ``(softmax(logits) - one_hot(y)) / N``
    """
    N = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    sums = e.sum(axis=1, keepdims=True)
    rows = np.arange(N)
    loss = float(np.mean(np.log(sums[:, 0]) - shifted[rows, y]))
    dlogits = e / sums
    dlogits[rows, y] -= 1
    dlogits /= N
    return loss, dlogits
