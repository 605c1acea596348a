"""Two-dimensional convolution for teaching: fast, loop by loop, and step by step.

Layout: an image is (H, W) (one channel) or (H, W, C); its kernel is (KH, KW) or (KH, KW, C).
A kernel always spans the full depth of its input, so one kernel gives one (H_out, W_out) map;
`correlate_per_channel` is the exception: it filters each channel with the same 2-D kernel.
Padding adds zeros around the border.

"Convolution" here means cross-correlation, as in deep-learning libraries: the kernel slides over
the image unflipped. `convolve2d` is the signal-processing convolution, which flips the kernel.

Output size per axis (see `cnnviz.ops.shapes`)::

    H_out = (H + pad_before + pad_after - span) // stride + 1,   span = dilation*(KH - 1) + 1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.ops.shapes import ShapeError, kernel_span, output_shape_2d, resolve_padding


def pad_image(
    image: np.ndarray, pad_rows: tuple[int, int], pad_cols: tuple[int, int]
) -> np.ndarray:
    """Surround an image with zeros.

    Parameters
    ----------
    image : (H, W) or (H, W, C)
    pad_rows, pad_cols : (before, after)
        Zero rows added on top/bottom and zero columns added left/right.

    Returns
    -------
    (H + sum(pad_rows), W + sum(pad_cols)[, C]) array of the same dtype; channels are not padded.
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3):
        raise ShapeError(f"the image must be (H, W) or (H, W, C), got shape {image.shape}.")
    widths = [pad_rows, pad_cols] + [(0, 0)] * (image.ndim - 2)
    return np.pad(image, widths, mode="constant", constant_values=0)


def _check_arrays(image, kernel) -> tuple[np.ndarray, np.ndarray]:
    """Return image and kernel as float64 arrays, or explain why they cannot be convolved."""
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ShapeError(f"the image must be (H, W) or (H, W, C), got shape {image.shape}.")
    if image.ndim == 2 and kernel.ndim != 2:
        raise ShapeError(
            f"a one-channel (H, W) image needs a 2-D (KH, KW) kernel, got kernel shape "
            f"{kernel.shape}."
        )
    if image.ndim == 3 and (kernel.ndim != 3 or kernel.shape[2] != image.shape[2]):
        C = image.shape[2]
        raise ShapeError(
            f"an image with {C} channels {image.shape} needs a (KH, KW, {C}) kernel that spans "
            f"all {C} channels, got kernel shape {kernel.shape}."
        )
    if image.size == 0 or kernel.size == 0:
        raise ShapeError(f"empty array: image shape {image.shape}, kernel shape {kernel.shape}.")
    if not np.isfinite(kernel).all():
        raise ValueError("the kernel contains NaN or infinity; use finite numbers only.")
    return image, kernel


def _pad_and_check(image, kernel, stride, pad, dilation):
    """Validated (padded image, kernel, pad_rows, pad_cols, (H_out, W_out))."""
    image, kernel = _check_arrays(image, kernel)
    (H, W), (KH, KW) = image.shape[:2], kernel.shape[:2]
    out_shape = output_shape_2d((H, W), (KH, KW), stride, pad, dilation)
    pad_rows = resolve_padding(H, KH, stride, pad, dilation)
    pad_cols = resolve_padding(W, KW, stride, pad, dilation)
    return pad_image(image, pad_rows, pad_cols), kernel, pad_rows, pad_cols, out_shape


def correlate2d(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    pad: int | str = 0,
    dilation: int = 1,
) -> np.ndarray:
    """Slide `kernel` over `image` and sum the element-wise products (deep-learning "convolution").

    out[r, c] = sum over i, j (and channels) of
                kernel[i, j] * padded[r*stride + i*dilation, c*stride + j*dilation]

    Parameters
    ----------
    image : (H, W) or (H, W, C)
    kernel : (KH, KW) for an (H, W) image, (KH, KW, C) for an (H, W, C) image
    stride : int >= 1
    pad : int >= 0 or "valid", "same", "full" (see `cnnviz.ops.shapes.resolve_padding`)
    dilation : int >= 1

    Returns
    -------
    out : (H_out, W_out) float64

    Raises
    ------
    ShapeError
        If the shapes do not go together or the kernel does not fit (see `shapes.output_size`).
    ValueError
        If the kernel contains NaN or infinity.
    """
    padded, kernel, _, _, (H_out, W_out) = _pad_and_check(image, kernel, stride, pad, dilation)
    KH, KW = kernel.shape[:2]
    span = kernel_span(KW, dilation)
    out = np.zeros((H_out, W_out))
    # Visit each kernel row once instead of each window: row i of the kernel meets, in every
    # window, a run of KW pixels (dilation apart) on one padded-image row. sliding_window_view
    # lays all those runs out as one array without copying, and a dot product with kernel row i
    # sums every run at once.
    for i in range(KH):
        top = i * dilation
        rows = padded[top : top + (H_out - 1) * stride + 1 : stride]  # (H_out, Wp[, C])
        runs = sliding_window_view(rows, span, axis=1)  # (H_out, Wp - span + 1[, C], span)
        runs = runs[:, ::stride, ..., ::dilation]  # (H_out, W_out[, C], KW)
        if kernel.ndim == 3:
            out += np.einsum("hwck,kc->hw", runs, kernel[i])  # sum over taps and channels
        else:
            out += runs @ kernel[i]
    return out


def correlate_per_channel(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    pad: int | str = 0,
    dilation: int = 1,
) -> np.ndarray:
    """Filter every channel separately with the same 2-D kernel; the depth is kept.

    This is how photo editors apply a blur or an edge filter to a colour picture (and what
    deep-learning libraries call a depthwise convolution with one shared kernel)::

        out[:, :, c] = correlate2d(image[:, :, c], kernel, stride, pad, dilation)

    Compare `correlate2d` with a (KH, KW, C) kernel, which sums over the channels and returns
    one map.

    Parameters
    ----------
    image : (H, W, C)
    kernel : (KH, KW)
    stride, pad, dilation
        As in `correlate2d`.

    Returns
    -------
    out : (H_out, W_out, C) float64
    """
    image, kernel = np.asarray(image), np.asarray(kernel)
    if image.ndim != 3 or image.shape[2] == 0 or kernel.ndim != 2:
        raise ShapeError(
            f"correlate_per_channel applies one 2-D (KH, KW) kernel to each channel of an "
            f"(H, W, C) image; got image shape {image.shape} and kernel shape {kernel.shape}. "
            f"Use correlate2d for a one-channel image or a kernel that spans all channels."
        )
    maps = [
        correlate2d(image[:, :, c], kernel, stride, pad, dilation) for c in range(image.shape[2])
    ]
    return np.stack(maps, axis=-1)  # C maps of (H_out, W_out) -> (H_out, W_out, C)


def convolve2d(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    pad: int | str = 0,
    dilation: int = 1,
) -> np.ndarray:
    """True (signal-processing) convolution: `correlate2d` with the kernel flipped.

    The kernel is turned 180 degrees (rows reversed and columns reversed; channels untouched)
    before sliding. For a kernel that is symmetric under that turn, e.g. a box blur, the result
    is identical to `correlate2d`; for an asymmetric one, e.g. a Sobel filter, it differs.
    Arguments and shapes are those of `correlate2d`.
    """
    _, kernel = _check_arrays(image, kernel)
    flipped = kernel[::-1, ::-1]  # (KH, KW[, C])
    return correlate2d(image, flipped, stride, pad, dilation)


def correlate2d_loop(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    pad: int | str = 0,
    dilation: int = 1,
) -> np.ndarray:
    """Reference `correlate2d` written as plain loops: one output cell at a time.

    Slow, but it reads exactly like the definition. Arguments and shapes as in `correlate2d`.
    """
    padded, kernel, _, _, (H_out, W_out) = _pad_and_check(image, kernel, stride, pad, dilation)
    KH, KW = kernel.shape[:2]
    out = np.zeros((H_out, W_out))
    for r in range(H_out):
        for c in range(W_out):
            total = 0.0
            for i in range(KH):
                for j in range(KW):
                    pixel = padded[r * stride + i * dilation, c * stride + j * dilation]
                    total += np.sum(pixel * kernel[i, j])  # sums over channels, if any
            out[r, c] = total
    return out


# ---------------------------------------------------------------------------------------------
# Step-by-step trace for the convolution animation.


@dataclass(frozen=True, eq=False)  # eq=False: comparing arrays with == has no single truth value
class ConvStep:
    """One kernel position: which pixels it covers and the arithmetic it does there.

    Attributes
    ----------
    index : int
        Step number, row-major over the output.
    out_row, out_col : int
        The output cell this step fills.
    rows : (KH,) int
        Row indices into the padded image that the kernel touches.
    cols : (KW,) int
        Column indices into the padded image that the kernel touches.
    patch : (KH, KW[, C])
        The padded-image values under the kernel.
    products : (KH, KW[, C])
        ``patch * kernel``.
    total : float
        Sum of `products`.
    value : float
        ``total + bias``, the output cell.
    """

    index: int
    out_row: int
    out_col: int
    rows: np.ndarray
    cols: np.ndarray
    patch: np.ndarray
    products: np.ndarray
    total: float
    value: float

    def channel_sums(self) -> np.ndarray:
        """(C,) sum of the products in each channel; they add up to `total`.

        Only for multi-channel steps (products of shape (KH, KW, C)).
        """
        if self.products.ndim != 3:
            raise ValueError("channel_sums needs a multi-channel step (KH, KW, C).")
        return self.products.sum(axis=(0, 1))


@dataclass(frozen=True, eq=False)
class ConvTrace:
    """Everything needed to replay a correlation one kernel position at a time.

    Attributes
    ----------
    padded : (Hp, Wp[, C]) float64
        The input with its zero border.
    kernel : (KH, KW[, C]) float64
    bias : float
    stride, dilation : int
    pad_rows, pad_cols : (before, after)
        Zeros added above/below and left/right.
    output : (H_out, W_out) float64
        The finished feature map, bias included.
    """

    padded: np.ndarray
    kernel: np.ndarray
    bias: float
    stride: int
    dilation: int
    pad_rows: tuple[int, int]
    pad_cols: tuple[int, int]
    output: np.ndarray

    @property
    def n_steps(self) -> int:
        """Number of kernel positions, ``H_out * W_out``."""
        return self.output.size

    def _check_step(self, i: int) -> int:
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)) or not 0 <= i < self.n_steps:
            raise ValueError(
                f"step must be a whole number from 0 to {self.n_steps - 1}, got {i!r}."
            )
        return int(i)

    def window(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Row indices (KH,) and column indices (KW,) into `padded` touched at step `i`."""
        out_row, out_col = divmod(self._check_step(i), self.output.shape[1])
        KH, KW = self.kernel.shape[:2]
        rows = out_row * self.stride + self.dilation * np.arange(KH)
        cols = out_col * self.stride + self.dilation * np.arange(KW)
        return rows, cols

    def step(self, i: int) -> ConvStep:
        """The arithmetic at step `i` (row-major: output cell ``(i // W_out, i % W_out)``)."""
        rows, cols = self.window(i)
        patch = self.padded[np.ix_(rows, cols)]  # (KH, KW[, C])
        products = patch * self.kernel
        total = float(products.sum())
        out_row, out_col = divmod(int(i), self.output.shape[1])
        return ConvStep(
            int(i), out_row, out_col, rows, cols, patch, products, total, total + self.bias
        )

    def partial_output(self, i: int) -> np.ndarray:
        """(H_out, W_out) output as it stands after step `i`: later cells are NaN."""
        partial = self.output.copy()
        partial.ravel()[self._check_step(i) + 1 :] = np.nan
        return partial

    def step_of_cell(self, row: int, col: int) -> int:
        """The step that fills output cell (row, col); the inverse of `step`."""
        H_out, W_out = self.output.shape
        if not (0 <= row < H_out and 0 <= col < W_out):
            raise ValueError(f"cell ({row}, {col}) is outside the {H_out}×{W_out} output.")
        return int(row) * W_out + int(col)


def conv_trace(
    image: np.ndarray,
    kernel: np.ndarray,
    stride: int = 1,
    pad: int | str = 0,
    dilation: int = 1,
    bias: float = 0.0,
) -> ConvTrace:
    """Correlate `image` with `kernel` (plus `bias`) and keep what an animation needs.

    Meant for small inputs (it holds every window at once). Arguments and shapes as in
    `correlate2d`; `bias` is added to every output cell.
    """
    padded, kernel, pad_rows, pad_cols, _ = _pad_and_check(image, kernel, stride, pad, dilation)
    kernel = kernel.copy()  # it may be the caller's array, and the trace makes it read-only
    if not isinstance(bias, (int, float, np.number)) or not np.isfinite(bias):
        raise ValueError(f"the bias must be a finite number, got {bias!r}.")
    KH, KW = kernel.shape[:2]
    span = (kernel_span(KH, dilation), kernel_span(KW, dilation))
    windows = sliding_window_view(padded, span, axis=(0, 1))  # (.., .., [C,] span_h, span_w)
    # Keep every stride-th window and, inside each, every dilation-th pixel:
    # (H_out, W_out[, C], KH, KW).
    windows = windows[::stride, ::stride, ..., ::dilation, ::dilation]
    patches = np.moveaxis(windows, (-2, -1), (2, 3))  # (H_out, W_out, KH, KW[, C])
    output = (patches * kernel).sum(axis=tuple(range(2, patches.ndim))) + bias
    for array in (padded, kernel, output):
        array.setflags(write=False)  # the trace is a record: make it read-only
    return ConvTrace(padded, kernel, float(bias), stride, dilation, pad_rows, pad_cols, output)
