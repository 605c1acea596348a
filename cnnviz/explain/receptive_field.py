"""Receptive fields: which input pixels can influence one unit of a layer.

Along one axis, layer by layer (r_0 = 1, j_0 = 1, start_0 = 0)::

    r_out = r_in + (k - 1)·d·j_in        field: input pixels one unit can see
    j_out = j_in·s                       jump: input pixels between neighbouring units
    start_out = start_in - p·j_in        input index of the first pixel unit 0 sees

with kernel k, stride s, dilation d and p zeros of padding before the input (top/left). Unit i
of a layer then sees input pixels ``start + i·j`` to ``start + i·j + r - 1``; indices below 0 or
past the image are padding, so the box on the image is that range clipped. ReLU changes
nothing; a pooling layer is a window of k with stride s and no padding.

Layers are described as in `cnnviz.ops.shapes.layer_table` (``{"type": "conv", "kernel": 3,
"stride": 1, "pad": 1, "dilation": 1}``, ``{"type": "pool", "kernel": 2}``, ``{"type":
"relu"}``, each with an optional "name"), or by a `cnnviz.nn.CNNConfig`. Images are (H, W).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from cnnviz.nn.model import POOL_SIZE, CNNConfig
from cnnviz.ops import shapes

Network = CNNConfig | Sequence[Mapping]
"""A TinyCNN architecture or a list of layer dicts (conv, pool, relu)."""
WHOLE_IMAGE_LAYERS = ("flatten", "dense", "softmax")
"""TinyCNN layers whose every unit sees the whole image."""


@dataclass(frozen=True)
class FieldRow:
    """One layer's receptive-field arithmetic along one axis.

    name : "input", "conv1", "relu1", "pool1", … (or the layer dict's "name")
    kind : "input", "conv", "relu" or "pool"
    kernel, stride, dilation : the layer's (1, 1, 1 for input and ReLU)
    pad : zeros before the layer's input (top/left)
    size : units of this layer along the axis
    jump : j, input pixels between neighbouring units
    field : r, input pixels one unit can see
    start : input index of the first pixel unit 0 sees (negative: in the padding)
    arithmetic : the row's formulas with its numbers, e.g.
        "r = 3 + (3 − 1)·1·1 = 5, j = 1·1 = 1"
    """

    name: str
    kind: str
    kernel: int
    stride: int
    dilation: int
    pad: int
    size: int
    jump: int
    field: int
    start: int
    arithmetic: str

    @property
    def centre(self) -> float:
        """Input coordinate of unit 0's field centre: ``start + (r - 1) / 2``."""
        return self.start + (self.field - 1) / 2


@dataclass(frozen=True)
class InputBox:
    """The input pixels one unit can see.

    Every pixel that can influence the unit lies in the box. Not every pixel of it need do so:
    dilation (or a stride longer than its window) leaves holes between the taps, max pooling
    passes each gradient to one winner, and at a clipped edge a pixel that a pooling floor
    dropped is reached only through padding.

    rows, cols : (first, last) inclusive, clipped to the image
    full_rows, full_cols : (first, last) before clipping (may reach into the padding)
    centre : (row, col) of the field's centre in input coordinates
    """

    rows: tuple[int, int]
    cols: tuple[int, int]
    full_rows: tuple[int, int]
    full_cols: tuple[int, int]
    centre: tuple[float, float]

    @property
    def height(self) -> int:
        """Rows of the clipped box."""
        return self.rows[1] - self.rows[0] + 1

    @property
    def width(self) -> int:
        """Columns of the clipped box."""
        return self.cols[1] - self.cols[0] + 1

    def mask(self, H: int, W: int) -> np.ndarray:
        """(H, W) bool, True inside the box."""
        out = np.zeros((H, W), dtype=bool)
        out[self.rows[0] : self.rows[1] + 1, self.cols[0] : self.cols[1] + 1] = True
        return out


def network_layers(config: CNNConfig) -> list[dict]:
    """A TinyCNN's spatial layers as named layer dicts: conv ("same" padding, stride 1),
    relu, 2×2 pool per block."""
    layers: list[dict] = []
    for i, F in enumerate(config.filters, start=1):
        layers += [
            {"name": f"conv{i}", "type": "conv", "filters": F, "kernel": config.kernel_size,
             "pad": config.pad},
            {"name": f"relu{i}", "type": "relu"},
            {"name": f"pool{i}", "type": "pool", "kernel": POOL_SIZE, "mode": config.pool},
        ]  # fmt: skip
    return layers


def _named(network: Network) -> list[dict]:
    layers = network_layers(network) if isinstance(network, CNNConfig) else list(network)
    named = []
    for i, layer in enumerate(layers, start=1):
        kind = layer.get("type")
        if kind not in ("conv", "pool", "relu"):
            raise ValueError(f"layer {i} is {kind!r}: receptive fields need conv, pool or relu")
        named.append({"name": f"{kind}{i}", **layer})
    return named


def _step(layer: Mapping, row: FieldRow, n: int) -> FieldRow:
    """The next row from the previous one (`row`) and this layer on an input of n units."""
    kind = layer["type"]
    if kind == "relu":
        return FieldRow(layer["name"], kind, 1, 1, 1, 0, n, row.jump, row.field, row.start,
                        f"r = {row.field}, j = {row.jump} (unchanged)")  # fmt: skip
    k = int(layer["kernel"])
    s = int(layer.get("stride", k if kind == "pool" else 1))
    d = int(layer.get("dilation", 1)) if kind == "conv" else 1
    pad = layer.get("pad", 0) if kind == "conv" else 0
    before, _ = shapes.resolve_padding(n, k, s, pad, d)
    size = shapes.output_size(n, k, s, pad, d)
    field = row.field + (k - 1) * d * row.jump
    arithmetic = (
        f"r = {row.field} + ({k} − 1)·{d}·{row.jump} = {field}, j = {row.jump}·{s} = {row.jump * s}"
    )
    start = row.start - before * row.jump
    return FieldRow(layer["name"], kind, k, s, d, before, size, row.jump * s, field, start,
                    arithmetic)  # fmt: skip


def field_table(network: Network, n: int | None = None) -> list[FieldRow]:
    """Receptive field, jump and start of every layer along one axis, input row first.

    Parameters
    ----------
    network : a CNNConfig or a list of layer dicts (conv, pool, relu)
    n : input size along the axis; defaults to the config's H (required for a list)

    Returns
    -------
    list of FieldRow: "input" (r = 1, j = 1, start 0), then one per layer
    """
    if n is None:
        if not isinstance(network, CNNConfig):
            raise ValueError("give the input size n for a list of layers")
        n = network.input_shape[1]
    rows = [FieldRow("input", "input", 1, 1, 1, 0, n, 1, 1, 0, "r = 1, j = 1")]
    for layer in _named(network):
        rows.append(_step(layer, rows[-1], rows[-1].size))
    return rows


def _axis_range(row: FieldRow, unit: int, n: int, axis: str) -> tuple[tuple, tuple, float]:
    if not 0 <= unit < row.size:
        raise ValueError(f"{row.name} has {row.size} {axis}s (0..{row.size - 1}), got {unit}")
    first = row.start + unit * row.jump
    last = first + row.field - 1
    return (max(first, 0), min(last, n - 1)), (first, last), first + (row.field - 1) / 2


def input_box(
    network: Network, layer: str, row: int, col: int, input_hw: tuple[int, int] | None = None
) -> InputBox:
    """The input pixels unit (row, col) of `layer` can see, clipped to the image.

    Parameters
    ----------
    network : a CNNConfig or a list of layer dicts
    layer : a layer name ("conv2", or "conv3" for the third dict of a list without names);
        "input" is the pixel itself; a TinyCNN's "flatten", "dense", "softmax" see everything
    row, col : the unit's position in that layer's map
    input_hw : (H, W) of the input; defaults to the config's (required for a list)
    """
    if input_hw is None:
        if not isinstance(network, CNNConfig):
            raise ValueError("give input_hw (H, W) for a list of layers")
        input_hw = network.input_shape[1:]
    H, W = input_hw
    if layer in WHOLE_IMAGE_LAYERS and isinstance(network, CNNConfig):
        return InputBox((0, H - 1), (0, W - 1), (0, H - 1), (0, W - 1), ((H - 1) / 2, (W - 1) / 2))
    found = {}
    for axis, n, unit in (("row", H, row), ("column", W, col)):
        table = {r.name: r for r in field_table(network, n)}
        if layer not in table:
            raise ValueError(f"unknown layer {layer!r}; the layers are {', '.join(table)}")
        found[axis] = _axis_range(table[layer], unit, n, axis)
    (rows, full_rows, r_c), (cols, full_cols, c_c) = found["row"], found["column"]
    return InputBox(rows, cols, full_rows, full_cols, (r_c, c_c))


@dataclass(frozen=True)
class StackComparison:
    """`layers` stacked k×k convs against one conv that sees as much, C channels in and out.

    field : side of what the stack sees, ``layers·(k − 1) + 1`` (5 for two 3×3)
    stacked_weights : ``layers·k²·C²`` (biases not counted)
    single_weights : ``field²·C²``
    """

    channels: int
    kernel: int
    layers: int
    field: int
    stacked_weights: int
    single_weights: int

    def sentence(self) -> str:
        """The comparison in words, with the formulas' numbers."""
        C, k, n, r = self.channels, self.kernel, self.layers, self.field
        saving = 1 - self.stacked_weights / self.single_weights
        return (
            f"{n} stacked {k} × {k} convs see {r} × {r} with {n}·{k * k}·{C}² = "
            f"{self.stacked_weights:,} weights; one {r} × {r} conv needs {r * r}·{C}² = "
            f"{self.single_weights:,} ({saving:.0%} fewer for the stack, and {n} ReLUs "
            "instead of 1)."
        )


def stacked_vs_single(channels: int, kernel: int = 3, layers: int = 2) -> StackComparison:
    """Weights of `layers` stacked k×k convs vs one conv with the same receptive field.

    channels : C, input and output channels of every conv (C = F).
    """
    if min(channels, kernel, layers) < 1:
        raise ValueError(
            f"channels, kernel and layers must be >= 1, got {channels, kernel, layers}"
        )
    field = layers * (kernel - 1) + 1
    return StackComparison(
        channels, kernel, layers, field, layers * kernel * kernel * channels**2,
        field * field * channels**2,
    )  # fmt: skip


@dataclass(frozen=True)
class PointwiseConv:
    """Facts about a 1×1 conv from c_in to c_out channels: it sees one pixel (field 1) and
    mixes channels there: each output is a weighted sum of the c_in values at that pixel.

    weights : c_in·c_out    biases : c_out
    """

    c_in: int
    c_out: int
    weights: int
    biases: int
    field: int = 1

    def sentence(self) -> str:
        """The facts in words."""
        return (
            f"A 1 × 1 conv from {self.c_in} to {self.c_out} channels sees one pixel "
            f"(receptive field 1) and mixes its {self.c_in} channels: {self.c_in}·{self.c_out} = "
            f"{self.weights:,} weights + {self.biases} biases, whatever the image size."
        )


def pointwise_conv(c_in: int, c_out: int) -> PointwiseConv:
    """Weights and biases of a 1×1 conv from c_in to c_out channels."""
    if min(c_in, c_out) < 1:
        raise ValueError(f"channels must be >= 1, got {c_in} and {c_out}")
    return PointwiseConv(c_in, c_out, c_in * c_out, c_out)
