"""Famous layer stacks for lesson 4's shape calculator, and a short text form for links.

A network is edited as a table: one row per layer, with the cells of ``COLUMNS``. The text form
(for the URL) writes one layer per ``;``-separated part, its type then its own fields::

    conv,F,k,stride,pad,dilation,bias ; pool,k,stride,mode ; relu ; flatten ; dense,units ;
    softmax

Empty fields stay empty (``conv,8,3`` leaves stride, pad and dilation at their defaults), and an
empty part is a row whose type is not chosen yet. `layer_from_cells` turns a row into the dict
`cnnviz.ops.shapes.layer_table` reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cnnviz.ops.shapes import BIAS_MODES, PAD_MODES

COLUMNS = ("type", "size", "kernel", "stride", "pad", "dilation", "mode", "bias")
"""Table columns. ``size`` is the number of filters F (conv) or units (dense); ``bias`` is
"shared" (one per filter, the default) or "per-position" (conv only)."""
LAYER_TYPES = ("conv", "pool", "relu", "flatten", "dense", "softmax")
FIELDS = {
    "conv": ("size", "kernel", "stride", "pad", "dilation", "bias"),
    "pool": ("kernel", "stride", "mode"),
    "relu": (),
    "flatten": (),
    "dense": ("size",),
    "softmax": (),
}
"""The cells each layer type uses, in text order."""
NUMBER_COLUMNS = ("size", "kernel", "stride", "dilation")
POOL_MODES = ("max", "avg")
PAD_CHOICES = tuple(str(p) for p in range(10)) + PAD_MODES
MAX_LAYERS = 40
MAX_NUMBER = 100_000


class NetworkTextError(ValueError):
    """Network text that cannot be read, with the part that is wrong."""


Cells = dict[str, object]


def _blank_row() -> Cells:
    return dict.fromkeys(COLUMNS)


def _parse_field(column: str, raw: str, part: str) -> object:
    if raw == "":
        return None
    if column == "pad":
        if raw not in PAD_CHOICES:
            raise NetworkTextError(f"padding {raw!r} in “{part}” must be 0–9, valid, same or full.")
        return raw
    if column == "mode":
        if raw not in POOL_MODES:
            raise NetworkTextError(f"pool mode {raw!r} in “{part}” must be max or avg.")
        return raw
    if column == "bias":
        if raw not in BIAS_MODES:
            raise NetworkTextError(f"bias {raw!r} in “{part}” must be shared or per-position.")
        return raw
    if not raw.isdigit() or int(raw) > MAX_NUMBER:
        raise NetworkTextError(
            f"{column} {raw!r} in “{part}” must be a whole number 0–{MAX_NUMBER}."
        )
    return int(raw)


def network_from_text(text: str) -> list[Cells]:
    """Table rows (dicts over ``COLUMNS``, None for an empty cell) from the text form.

    Raises
    ------
    NetworkTextError
        For an unknown layer type, too many fields, a bad number, padding or mode, or more
        than ``MAX_LAYERS`` layers.
    """
    parts = [part.strip() for part in text.split(";")] if text.strip() else []
    if len(parts) > MAX_LAYERS:
        raise NetworkTextError(f"{len(parts)} layers is too many; at most {MAX_LAYERS}.")
    rows = []
    for part in parts:
        row = _blank_row()
        if part:
            layer_type, *values = [v.strip() for v in part.split(",")]
            if layer_type not in FIELDS:
                raise NetworkTextError(
                    f"unknown layer type {layer_type!r}; use one of {', '.join(LAYER_TYPES)}."
                )
            if len(values) > len(FIELDS[layer_type]):
                raise NetworkTextError(f"too many fields in “{part}” for a {layer_type} layer.")
            row["type"] = layer_type
            for column, raw in zip(FIELDS[layer_type], values, strict=False):
                row[column] = _parse_field(column, raw, part)
        rows.append(row)
    return rows


def network_to_text(rows: list[Mapping[str, object]]) -> str:
    """The text form of table rows; cells a layer type does not use are dropped."""
    parts = []
    for row in rows:
        layer_type = row.get("type")
        if layer_type not in FIELDS:
            parts.append("")
            continue
        values = ["" if row.get(c) is None else str(row[c]) for c in FIELDS[layer_type]]
        while values and values[-1] == "":
            values.pop()
        parts.append(",".join([layer_type, *values]))
    return ";".join(parts)


def normalised_text(text: str) -> str:
    """Text checked and rewritten canonically (for a URL value); NetworkTextError if bad."""
    return network_to_text(network_from_text(text))


def layer_from_cells(row: Mapping[str, object]) -> dict:
    """The `layer_table` dict for one table row; empty cells take the layer's defaults.

    ``size`` becomes "filters" (conv) or "units" (dense); a digit padding becomes an int.
    A row without a type gives ``{"type": None}``, which `layer_table` reports.
    """
    layer_type = row.get("type")
    if layer_type not in FIELDS:
        return {"type": None}
    layer: dict[str, object] = {"type": layer_type}
    for column in FIELDS[layer_type]:
        value = row.get(column)
        if value is None:
            continue
        key = {"size": "filters" if layer_type == "conv" else "units"}.get(column, column)
        if column == "pad" and isinstance(value, str) and value.isdigit():
            value = int(value)
        layer[key] = value
    return layer


@dataclass(frozen=True)
class Network:
    """A preset: a title, the input (H, W, C), the layers as text and one sentence about it."""

    title: str
    input_shape: tuple[int, int, int]
    text: str
    note: str


_ALPHAGO_MIDDLE = ";".join(["conv,192,3,1,1,1"] * 11)

PRESETS: dict[str, Network] = {
    "tiny": Network(
        "Lesson 7's TinyCNN (8×8 digits)",
        (8, 8, 1),
        "conv,8,3,1,1,1;relu;pool,2,2,max;conv,16,3,1,1,1;relu;pool,2,2,max;flatten;dense,10",
        "The network you will train in lesson 7: two conv–ReLU–pool blocks and one dense layer.",
    ),
    "lenet": Network(
        "LeNet-5-like (32×32 grayscale)",
        (32, 32, 1),
        "conv,6,5,1,0,1;relu;pool,2,2,max;conv,16,5,1,0,1;relu;pool,2,2,max;flatten;"
        "dense,120;relu;dense,84;relu;dense,10",
        "Shaped like LeCun et al.'s 1998 LeNet-5: 5×5 convolutions take 32 → 28 and 14 → 10, "
        "2×2 subsampling halves 28 → 14 and 10 → 5. This version uses ReLU and max-pooling; the "
        "original used a scaled tanh, trainable average subsampling (one weight and one bias per "
        "map), wired each of C3's 16 maps to only some of the 6 maps below it (1,516 parameters "
        "instead of 2,416) and ended in 10 RBF units.",
    ),
    "mnist": Network(
        "28 → 24 → 12 (conv 5×5, then 2×2 max-pool)",
        (28, 28, 1),
        "conv,6,5,1,0,1;pool,2,2,max",
        "A plain example net (not LeNet): a 28×28 MNIST digit, a 5×5 convolution (24×24), then "
        "2×2 max-pooling (12×12).",
    ),
    "cifar": Network(
        "Ten 3×3 filters on 32×32×3",
        (32, 32, 3),
        "conv,10,3,1,0,1",
        "n = 32, k = 3, p = 0, s = 1 gives 30; F = 10 filters give an output volume 30×30×10.",
    ),
    "local": Network(
        "15×15 input, one 5×5 filter",
        (15, 15, 1),
        "conv,1,5,1,0,1",
        "A 5×5 window on a 15×15 input at stride 1: 11×11 outputs sharing 26 parameters.",
    ),
    "alphago": Network(
        "AlphaGo's policy network (19×19×48)",
        (19, 19, 48),
        f"conv,192,5,1,2,1;{_ALPHAGO_MIDDLE};conv,1,1,1,0,1,per-position;flatten;softmax",
        "Padded to 23×23 for a 5×5 conv, then eleven 3×3 convs padded to 21×21, then a 1×1 "
        "conv with a different bias for each of the 361 points (192 weights + 361 biases = 553 "
        "parameters): every layer keeps the 19×19 board, 3,882,793 parameters in all. A softmax "
        "over the 361 points gives each move's probability. (ReLUs after each conv are left out "
        "here: they change no shape and have no parameters.)",
    ),
}
