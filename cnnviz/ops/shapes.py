"""Output-size arithmetic for convolution and pooling, and a layer-by-layer shape table.

Layout: images and feature maps are (H, W) or (H, W, C); a network's input is (H, W, C) and
becomes a flat vector (n,) after a flatten or dense layer. "Convolution" here means
cross-correlation (the kernel is not flipped), as in deep-learning libraries; the size arithmetic
is the same for both.

Along one axis of n pixels, a kernel of k taps with dilation d spans ``d*(k - 1) + 1`` pixels and
the output has::

    n_out = floor((n + pad_before + pad_after - span) / stride) + 1
          = floor((n + 2*pad - d*(k - 1) - 1) / stride) + 1      (symmetric integer pad)

Where each window sits along an axis, and what it leaves unread: `cnnviz.ops.windows`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

PAD_MODES = ("valid", "same", "full")


class ShapeError(ValueError):
    """A size, stride, padding or dilation that cannot work, explained in plain words."""


class LayerError(ShapeError):
    """A problem with one layer of a network description.

    Attributes
    ----------
    index : int
        0-based position of the layer in the list; the message starts "Layer <index> (<type>): ".
    layer_type : str
        The layer's "type" as written (or "?" when it has none).
    """

    def __init__(self, index: int, layer_type: object, message: str):
        self.index = index
        self.layer_type = "?" if layer_type is None else str(layer_type)
        super().__init__(f"Layer {index} ({self.layer_type}): {message}")


def _check_int(name: str, value: object, minimum: int) -> int:
    """Return `value` as an int, or raise ShapeError if it is not a whole number >= minimum."""
    # bool is an int subclass in Python, but `stride=True` is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ShapeError(f"{name} must be a whole number, got {value!r}.")
    if value < minimum:
        raise ShapeError(f"{name} must be at least {minimum}, got {value}.")
    return int(value)


def kernel_span(k: int, dilation: int = 1) -> int:
    """Number of input pixels a kernel of `k` taps covers: ``dilation*(k - 1) + 1``.

    Dilation spreads the taps apart (``dilation - 1`` skipped pixels between neighbours) without
    adding weights: a 3-tap kernel with dilation 2 spans 5 pixels.
    """
    k = _check_int("kernel size", k, 1)
    dilation = _check_int("dilation", dilation, 1)
    return dilation * (k - 1) + 1


def resolve_padding(
    n: int, k: int, stride: int = 1, pad: int | str = 0, dilation: int = 1
) -> tuple[int, int]:
    """Zeros to add (before, after) along one axis of `n` pixels.

    Parameters
    ----------
    n, k, stride, dilation : int
        Input size, kernel size (taps), step and dilation along this axis; all >= 1.
    pad : int or {"valid", "same", "full"}
        - int p >= 0: p zeros on each side.
        - "valid": no padding; only windows that fit entirely inside the input.
        - "full": ``span - 1`` zeros on each side, so every window that overlaps the input by
          at least one pixel is used.
        - "same": output size ``ceil(n / stride)`` (equal to n at stride 1). The zeros needed are
          ``total = max((n_out - 1)*stride + span - n, 0)``. When `total` is odd (e.g. an even
          span at stride 1) it cannot be split evenly: ``before = total // 2`` and the extra zero
          goes after (bottom/right), as TensorFlow does.

    Returns
    -------
    (before, after) : tuple of int
    """
    n = _check_int("input size", n, 1)
    stride = _check_int("stride", stride, 1)
    span = kernel_span(k, dilation)
    if isinstance(pad, str):
        if pad == "valid":
            return 0, 0
        if pad == "full":
            return span - 1, span - 1
        if pad == "same":
            n_out = math.ceil(n / stride)
            total = max((n_out - 1) * stride + span - n, 0)
            return total // 2, total - total // 2
        raise ShapeError(f"pad must be a whole number or one of {PAD_MODES}, got {pad!r}.")
    pad = _check_int("pad", pad, 0)
    return pad, pad


def _does_not_fit(n: int, k: int, dilation: int, padded: int) -> ShapeError:
    """Explain a window that is larger than the padded input, with two ways out."""
    span = kernel_span(k, dilation)
    # Only an integer (or "valid") pad gets here: "same" and "full" always make the window fit.
    pad_needed = math.ceil((span - n) / 2)
    largest_k = (padded - 1) // dilation + 1
    if dilation > 1:
        kernel, smaller = f"{k} taps with dilation {dilation}", f"{largest_k} at this dilation"
    else:
        kernel, smaller = f"{k}", f"{largest_k}"
    padding = f" ({padded} with padding)" if padded > n else ""
    # Imported here: the wording helper lives with the other text formatters, and ops must stay
    # importable on its own (viz imports ops at module level).
    from cnnviz.viz.formulas import plural

    return ShapeError(
        f"a kernel of {kernel} spans {span} pixels, but the input is only "
        f"{plural(n, 'pixel')}{padding}, so the window does not fit. Pad with at least "
        f"{plural(pad_needed, 'zero')} on each side (pad={pad_needed}) or use a kernel of at "
        f"most {smaller}."
    )


def output_size(n: int, k: int, stride: int = 1, pad: int | str = 0, dilation: int = 1) -> int:
    """Output length along one axis: ``floor((n + before + after - span) / stride) + 1``.

    For an integer pad that is ``floor((n + 2*pad - dilation*(k - 1) - 1) / stride) + 1``; see
    `resolve_padding` for "valid", "same" and "full". Example: n=32, k=3, pad=0, stride=1 -> 30.

    Raises
    ------
    ShapeError
        If a value is not a whole number in range, or the (dilated) kernel does not fit inside
        the padded input.
    """
    before, after = resolve_padding(n, k, stride, pad, dilation)
    span = kernel_span(k, dilation)
    padded = n + before + after
    if span > padded:
        raise _does_not_fit(n, k, dilation, padded)
    return (padded - span) // stride + 1


def output_shape_2d(
    size: tuple[int, int],
    kernel: tuple[int, int],
    stride: int = 1,
    pad: int | str = 0,
    dilation: int = 1,
) -> tuple[int, int]:
    """(H_out, W_out) for an (H, W) input and a (KH, KW) kernel: `output_size` on each axis.

    Errors say which axis they are about ("Height: ..." or "Width: ...").
    """
    out = []
    for axis, n, k in zip(("Height", "Width"), size, kernel, strict=True):
        try:
            out.append(output_size(n, k, stride, pad, dilation))
        except ShapeError as err:
            raise ShapeError(f"{axis}: {err}") from err
    return out[0], out[1]


# ---------------------------------------------------------------------------------------------
# Layer table: the shape calculator of lesson 4.

_LAYER_KEYS = {
    "conv": {"type", "filters", "kernel", "stride", "pad", "dilation", "bias"},
    "pool": {"type", "kernel", "stride", "mode"},
    "relu": {"type"},
    "flatten": {"type"},
    "dense": {"type", "units"},
    "softmax": {"type"},
}
BIAS_MODES = ("shared", "per-position")
"""A conv layer's biases: one per filter (``"shared"``, the usual kind) or one per filter and
output position (``"per-position"``, as in AlphaGo's last layer)."""


def _int_key(layer: Mapping, key: str, default: int | None = None, minimum: int = 1) -> int:
    if key not in layer:
        if default is None:
            raise ShapeError(f"the key {key!r} is missing.")
        return default
    return _check_int(repr(key), layer[key], minimum)


def _need_spatial(shape: tuple[int, ...], what: str) -> None:
    if len(shape) != 3:
        raise ShapeError(
            f"a {what} layer needs an (H, W, C) input but gets the flat vector {shape}; "
            f"put {what} layers before the flatten layer."
        )


def _conv_row(layer: Mapping, shape: tuple) -> tuple[tuple, int, str]:
    _need_spatial(shape, "conv")
    H, W, C = shape
    F = _int_key(layer, "filters")
    k = _int_key(layer, "kernel")
    stride = _int_key(layer, "stride", default=1)
    dilation = _int_key(layer, "dilation", default=1)
    pad = layer.get("pad", 0)
    bias = layer.get("bias", "shared")
    if bias not in BIAS_MODES:
        raise ShapeError(f"'bias' must be one of {BIAS_MODES}, got {bias!r}.")
    H_out, W_out = output_shape_2d((H, W), (k, k), stride, pad, dilation)
    # Each filter has k*k*C weights (it spans the full depth) plus one bias, or one bias per
    # output position when the layer is told where on the map it is (AlphaGo's last layer).
    biases = F * H_out * W_out if bias == "per-position" else F
    params = F * (k * k * C) + biases
    filters = "1 filter" if F == 1 else f"{F} filters"
    description = f"conv {k}×{k}, {filters}, stride {stride}, pad {pad}"
    if dilation > 1:
        description += f", dilation {dilation}"
    if bias == "per-position":
        description += f", a bias per position ({H_out}×{W_out})"
    return (H_out, W_out, F), params, description


def _pool_row(layer: Mapping, shape: tuple) -> tuple[tuple, int, str]:
    _need_spatial(shape, "pool")
    H, W, C = shape
    k = _int_key(layer, "kernel")
    stride = _int_key(layer, "stride", default=k)
    mode = layer.get("mode", "max")
    if mode not in ("max", "avg"):
        raise ShapeError(f"'mode' must be 'max' or 'avg', got {mode!r}.")
    H_out, W_out = output_shape_2d((H, W), (k, k), stride)
    return (H_out, W_out, C), 0, f"{mode}-pool {k}×{k}, stride {stride}"


def _relu_row(layer: Mapping, shape: tuple) -> tuple[tuple, int, str]:
    return shape, 0, "ReLU, max(0, x) per value"


def _flatten_row(layer: Mapping, shape: tuple) -> tuple[tuple, int, str]:
    n = math.prod(shape)
    return (n,), 0, f"flatten {'×'.join(map(str, shape))} → {n}"


def _dense_row(layer: Mapping, shape: tuple) -> tuple[tuple, int, str]:
    if len(shape) != 1:
        raise ShapeError(
            f"a dense layer needs a flat input, got {shape}; add a flatten layer before dense."
        )
    (n_in,) = shape
    units = _int_key(layer, "units")
    # One weight per (input, unit) pair plus one bias per unit.
    return (units,), n_in * units + units, f"dense {n_in} → {units}"


def _softmax_row(layer: Mapping, shape: tuple) -> tuple[tuple, int, str]:
    if len(shape) != 1:
        raise ShapeError(
            f"softmax turns a flat vector of scores into probabilities, got {shape}; add a "
            "flatten layer before softmax."
        )
    (n,) = shape
    return shape, 0, f"softmax: {n} scores → {n} probabilities summing to 1"


_LAYER_RULES = {
    "conv": _conv_row,
    "pool": _pool_row,
    "relu": _relu_row,
    "flatten": _flatten_row,
    "dense": _dense_row,
    "softmax": _softmax_row,
}


def _layer_row(layer: object, shape: tuple) -> tuple[tuple, int, str]:
    if not isinstance(layer, Mapping):
        raise ShapeError(f"each layer must be a dict like {{'type': 'relu'}}, got {layer!r}.")
    layer_type = layer.get("type")
    if layer_type not in _LAYER_RULES:
        raise ShapeError(
            f"unknown layer type {layer_type!r}; use one of {', '.join(_LAYER_RULES)}."
        )
    unknown = sorted(set(layer) - _LAYER_KEYS[layer_type], key=str)
    if unknown:
        allowed = ", ".join(sorted(_LAYER_KEYS[layer_type]))
        raise ShapeError(f"unknown key(s) {unknown} for a {layer_type} layer; allowed: {allowed}.")
    return _LAYER_RULES[layer_type](layer, shape)


def layer_table(input_shape: Sequence[int], layers: Sequence[Mapping]) -> list[dict]:
    """Shape and parameter count after each layer of a small CNN.

    Parameters
    ----------
    input_shape : (H, W, C)
        The image fed to the first layer.
    layers : list of dict
        ``{"type": "conv", "filters": F, "kernel": k, "stride": 1, "pad": 0, "dilation": 1}``,
        ``{"type": "pool", "kernel": k, "stride": k, "mode": "max"}`` (mode "max" or "avg"),
        ``{"type": "relu"}``, ``{"type": "flatten"}``, ``{"type": "dense", "units": U}``,
        ``{"type": "softmax"}`` (after flatten or dense: probabilities summing to 1).
        Keys shown with a value are optional and default to it (pool stride defaults to kernel).
        A conv layer may also take ``"bias": "per-position"`` (default ``"shared"``): one bias
        per filter and output position instead of one per filter.

    Returns
    -------
    list of dict, one per layer, with keys "index", "type", "description", "input_shape",
    "output_shape" ((H, W, C) or (n,)) and "params" (weights + biases: conv ``F*(k*k*C) + F``,
    or ``F*(k*k*C) + F*H_out*W_out`` with per-position biases; dense ``n_in*U + U``; other
    layers 0).

    Raises
    ------
    ShapeError
        If `input_shape` is not three whole numbers >= 1.
    LayerError
        Naming the first layer that is invalid or does not fit its input (``.index``).
    """
    if isinstance(input_shape, str) or len(input_shape) != 3:
        raise ShapeError(f"input_shape must be (H, W, C), got {input_shape!r}.")
    shape = tuple(_check_int(name, n, 1) for name, n in zip("HWC", input_shape, strict=True))
    rows = []
    for index, layer in enumerate(layers):
        layer_type = layer.get("type") if isinstance(layer, Mapping) else None
        try:
            output_shape, params, description = _layer_row(layer, shape)
        except ShapeError as err:
            raise LayerError(index, layer_type, str(err)) from err
        rows.append(
            {
                "index": index,
                "type": layer_type,
                "description": description,
                "input_shape": shape,
                "output_shape": output_shape,
                "params": params,
            }
        )
        shape = output_shape
    return rows


def fully_connected_params(n_in: int, n_out: int) -> int:
    """Weights + biases of a dense layer joining every one of `n_in` inputs to `n_out` outputs.

    ``n_in*n_out + n_out``: what a layer without local fields and weight sharing would cost.
    """
    n_in = _check_int("number of inputs", n_in, 1)
    n_out = _check_int("number of outputs", n_out, 1)
    return n_in * n_out + n_out
