"""Named kernels (the hand-made filters of classic image processing) and typed-in kernels.

Kernels are (KH, KW) float64 weights applied by cross-correlation (`cnnviz.ops.conv.correlate2d`,
as `cv2.filter2D` does): row 0 is the top of the window, column 0 its left. A kernel whose weights
sum to 1 keeps the overall brightness (blurs, sharpen); one whose weights sum to 0 gives 0 on
flat areas and responds only where the image changes (edge detectors).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from cnnviz.ops import filtering
from cnnviz.viz.formulas import MINUS

MAX_KERNEL_SIDE = 7
"""Largest kernel the lessons accept, per side."""
MAX_ABS_WEIGHT = 1000.0
"""Larger weights are refused: they only make every output value meaningless."""
MAX_TEXT_CHARS = 2000


class KernelError(ValueError):
    """A typed kernel that cannot be used, explained so the learner can fix it."""


@dataclass(frozen=True)
class KernelPreset:
    """A named kernel: URL-safe ``name``, display ``title``, weights, one-sentence explanation."""

    name: str
    title: str
    weights: tuple[tuple[float, ...], ...]
    explanation: str

    @property
    def array(self) -> np.ndarray:
        """The weights as a fresh, read-only (KH, KW) float64 array."""
        weights = np.array(self.weights, dtype=np.float64)
        weights.setflags(write=False)  # a preset is a constant: editing a copy of it is a bug
        return weights


def _preset(name: str, title: str, weights, explanation: str, scale: float = 1.0) -> KernelPreset:
    scaled = tuple(tuple(float(w) * scale for w in row) for row in weights)
    return KernelPreset(name, title, scaled, explanation)


_BINOMIAL_5 = [[a * b for b in (1, 4, 6, 4, 1)] for a in (1, 4, 6, 4, 1)]

PRESETS: dict[str, KernelPreset] = {
    p.name: p
    for p in (
        _preset(
            "example",
            "Classic example (X)",
            [[1, 0, 1], [0, 1, 0], [1, 0, 1]],
            "The worked example: it adds the centre and the four corners, so it answers "
            "most strongly where ink lies along both diagonals.",
        ),
        _preset(
            "identity",
            "Identity",
            [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
            "Only the centre weight is 1, so every output is the pixel itself: nothing changes.",
        ),
        _preset(
            "box_blur",
            "Box blur",
            [[1] * 3] * 3,
            "Nine weights of 1/9 (sum 1) replace each pixel by the plain average of its "
            "neighbourhood, smoothing away detail.",
            1 / 9,
        ),
        _preset(
            "gaussian_blur",
            "Gaussian blur",
            [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
            "Weights that fall off from the centre (sum 1) average the neighbourhood but "
            "trust near pixels more, a softer blur than the box.",
            1 / 16,
        ),
        _preset(
            "gaussian_blur_5",
            "Gaussian blur 5 × 5",
            _BINOMIAL_5,
            "The same bell shape over a 5×5 window (sum 1): a wider, stronger blur.",
            1 / 256,
        ),
        _preset(
            "sharpen",
            "Sharpen",
            [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
            "The centre counts 5 times minus its four neighbours (sum 1): flat areas stay, "
            "differences from the neighbours are exaggerated.",
        ),
        _preset(
            "laplacian",
            "Outline (Laplacian)",
            [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
            "Four neighbours minus four times the centre (sum 0): zero on flat areas, "
            "strong where brightness bends — outlines in both directions.",
        ),
        _preset(
            "outline",
            "Outline (8 neighbours)",
            [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
            "Eight times the centre minus all eight neighbours (sum 0): flat areas vanish "
            "and every edge lights up, whatever its direction.",
        ),
        _preset(
            "sobel_horizontal_edges",
            "Sobel — horizontal edges",
            [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
            "The row above minus the row below (sum 0, middle weighted double): large where "
            "brightness changes from top to bottom, that is on horizontal edges.",
        ),
        _preset(
            "sobel_vertical_edges",
            "Sobel — vertical edges",
            [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
            "The left column minus the right column (sum 0): large where brightness changes "
            "from left to right, that is on vertical edges.",
        ),
        _preset(
            "prewitt_horizontal_edges",
            "Prewitt — horizontal edges",
            [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
            "Like Sobel but with equal weights: the row above minus the row below finds "
            "horizontal edges, a little more sensitive to noise.",
        ),
        _preset(
            "prewitt_vertical_edges",
            "Prewitt — vertical edges",
            [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
            "The left column minus the right column with equal weights: vertical edges.",
        ),
        _preset(
            "emboss",
            "Emboss",
            [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
            "Negative weights at the top-left, positive at the bottom-right (sum 1): edges "
            "facing one way turn bright and the other way dark, like a relief lit from the "
            "side.",
        ),
        _preset(
            "motion_blur",
            "Motion blur",
            np.eye(5).tolist(),
            "Five weights of 1/5 along a diagonal (sum 1) average pixels along one "
            "direction, like a camera moving while the shutter is open.",
            1 / 5,
        ),
    )
}


TOP_BOTTOM_2X2 = np.array([[-1.0, -1.0], [1.0, 1.0]])
"""The row below minus the row above: what no 1×2 weight pair can see (lesson 2's warm-up)."""
TOP_BOTTOM_2X2.setflags(write=False)


def _cell_value(cell: object, where: str) -> float:
    """One typed cell as a float, or a KernelError that says what to type instead."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):  # an untouched cell
        raise KernelError(f"The cell at {where} is empty: type a number (0 for no weight).")
    text = str(cell).strip().replace("\u2212", "-")
    if not text:
        raise KernelError(f"The cell at {where} is empty: type a number (0 for no weight).")
    if len(text) > 40:
        raise KernelError(f"The cell at {where} is too long to be a weight: type a number.")
    try:
        if re.fullmatch(r"[-+]?\s*[\d.]+\s*/\s*[-+]?\s*[\d.]+", text):
            top, bottom = (float(part) for part in text.split("/"))
            if bottom == 0:
                raise KernelError(f"The cell at {where} divides by zero: “{text}”.")
            value = top / bottom
        else:
            value = float(text)
    except (ValueError, OverflowError) as error:
        if isinstance(error, KernelError):
            raise
        raise KernelError(
            f"The cell at {where} is not a number: “{text}”. Type a number such as 2, -0.5 or 1/9."
        ) from None
    if math.isnan(value):
        raise KernelError(f"The cell at {where} is NaN (not a number): type a real number.")
    if math.isinf(value):
        raise KernelError(f"The cell at {where} is infinite: type a finite number.")
    if abs(value) > MAX_ABS_WEIGHT:
        raise KernelError(
            f"The cell at {where} is {value:g}: weights must lie between "
            f"-{MAX_ABS_WEIGHT:g} and {MAX_ABS_WEIGHT:g}."
        )
    return value


_ROW_TYPES = (list, tuple, np.ndarray)


def _table_rows(cells: object) -> list[list]:
    """The rows of a table of cells; a pandas DataFrame (from a table editor) counts as one."""
    if hasattr(cells, "to_numpy") and not isinstance(cells, np.ndarray):
        try:  # iterating a DataFrame would give its column labels, not its rows
            cells = np.asarray(cells.to_numpy(dtype=object))
        except (TypeError, ValueError):
            raise KernelError("The kernel must be a table of numbers.") from None
    if isinstance(cells, np.ndarray) and cells.ndim != 2:
        raise KernelError(f"The kernel must be a 2-D table of numbers, got shape {cells.shape}.")
    # A string is iterable too, but "12" is one cell, not a row of two.
    if not isinstance(cells, _ROW_TYPES) or not all(isinstance(r, _ROW_TYPES) for r in cells):
        raise KernelError("The kernel must be a table of numbers: a list of rows of cells.")
    return [list(row) for row in cells]


def parse_kernel(cells: Sequence[Sequence[object]] | np.ndarray) -> np.ndarray:
    """Typed cells (numbers, text such as ``"-2"`` or ``"1/9"``) -> (KH, KW) float64 weights.

    Raises
    ------
    KernelError
        Naming the cell ("row r, column c", counted from 1) and what to type instead, for an
        empty table or cell, ragged rows, text, NaN, infinity, |w| > MAX_ABS_WEIGHT, a division
        by zero, or more than MAX_KERNEL_SIDE rows or columns. Never any other exception.
    """
    rows = _table_rows(cells)
    if not rows or not rows[0]:
        raise KernelError("The kernel is empty: give it at least one row and one column.")
    width = len(rows[0])
    for r, row in enumerate(rows, start=1):
        if len(row) != width:
            raise KernelError(
                f"Row {r} has {len(row)} value(s) but row 1 has {width}: every row of the "
                "kernel needs the same number of values (type 0 where a weight does nothing)."
            )
    if len(rows) > MAX_KERNEL_SIDE or width > MAX_KERNEL_SIDE:
        raise KernelError(
            f"The kernel is {len(rows)}×{width}; at most {MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE} "
            "is allowed here."
        )
    return np.array(
        [
            [_cell_value(cell, f"row {r + 1}, column {c + 1}") for c, cell in enumerate(row)]
            for r, row in enumerate(rows)
        ],
        dtype=np.float64,
    )


def kernel_to_text(kernel: np.ndarray) -> str:
    """Weights as compact text for a URL: rows split by ``;``, values by ``,`` (``1,0;0,1``).

    kernel : (KH, KW) -> str. Raises KernelError for anything `parse_kernel` refuses (NaN,
    infinity, |w| > MAX_ABS_WEIGHT, more than 7×7, not 2-D), so the text always reads back.
    """
    kernel = parse_kernel(kernel)
    return ";".join(",".join(weight_text(w) for w in row) for row in kernel)


def weight_text(weight: float) -> str:
    """A weight as a person would type it: ``2``, ``-0.5``, ``1/9``, ``0.123457``.

    A simple fraction is used when it is exactly the weight, so 1/9 reads back as 1/9.
    """
    weight = float(weight)
    if weight == round(weight):
        return str(int(weight))
    fraction = Fraction(weight).limit_denominator(256)  # 1/9, 1/16, 1/256 — not 100001/1000
    if float(fraction) == weight:
        return f"{fraction.numerator}/{fraction.denominator}"
    return format(weight, ".6g")


def kernel_from_text(text: str) -> np.ndarray:
    """The inverse of `kernel_to_text`, validated like typed cells (KernelError if bad)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
        raise KernelError("The kernel text is too long or not text.")
    return parse_kernel([row.split(",") for row in text.strip().split(";")])


def full_depth_kernel(
    kernel: np.ndarray, channel_weights: Sequence[float] = (1 / 3, 1 / 3, 1 / 3)
) -> np.ndarray:
    """A kernel spanning the colour depth: slice c is ``kernel * channel_weights[c]``.

    Correlating an (H, W, C) image with it sums over the channels, so by linearity it gives the
    same map as correlating the weighted channel sum ``image @ channel_weights`` with `kernel`
    (up to floating-point rounding). With the grayscale weights (0.299, 0.587, 0.114)
    (`cnnviz.ops.pixels.GRAYSCALE_WEIGHTS`) that is filtering the unrounded grayscale image; the
    default filters the plain average of the channels.

    Parameters
    ----------
    kernel : (KH, KW)
    channel_weights : (C,) finite numbers, one per channel

    Returns
    -------
    (KH, KW, C) float64

    Raises
    ------
    KernelError
        If `kernel` is not a finite, non-empty 2-D array or a channel weight is not finite.
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.size == 0 or not np.isfinite(kernel).all():
        raise KernelError(f"expected a finite 2-D (KH, KW) kernel, got shape {kernel.shape}.")
    weights = np.asarray(channel_weights, dtype=np.float64)
    if weights.ndim != 1 or weights.size == 0 or not np.isfinite(weights).all():
        raise KernelError(f"expected one finite weight per channel, got {channel_weights!r}.")
    return kernel[:, :, np.newaxis] * weights  # (KH, KW, 1) * (C,) -> (KH, KW, C)


def centred(kernel: np.ndarray, side: int) -> np.ndarray:
    """``kernel`` (KH, KW) in the middle of a (side, side) grid of zeros.

    Zeros add nothing to a sum of products, so an odd kernel keeps its effect (only the output
    shrinks as for a side×side kernel); lets kernels of different sizes share one layer.
    """
    kernel = parse_kernel(kernel)
    KH, KW = kernel.shape
    if max(KH, KW) > side:
        raise KernelError(f"a {KH}×{KW} kernel does not fit in {side}×{side}.")
    out = np.zeros((side, side))
    top, left = (side - KH) // 2, (side - KW) // 2
    out[top : top + KH, left : left + KW] = kernel
    return out


def weight_sum_note(kernel: np.ndarray, mode: str = "gray", mix: str = "average") -> str:
    """What the weights do to a flat (uniform) area, in the mode and channel mix on screen.

    On a flat gray patch (R = G = B = v) the output is `filtering.flat_response`: ``v * sum``
    in "gray" and in each channel of "per_channel"; in "full_depth" the slices are the kernel
    times the mix's channel weights, so it is ``v * sum * (w_R + w_G + w_B)`` — 0 for "red
    minus blue" whatever the kernel. A total of 1 keeps the level, 0 wipes flat areas out.

    kernel : (KH, KW).  mode, mix : as in `cnnviz.ops.filtering.filter_photo`.
    """
    kernel = parse_kernel(kernel)
    total = float(kernel.sum())
    if mode == "full_depth":
        return _full_depth_note(total, mix, kernel.shape)
    where = " in each channel" if mode == "per_channel" else ""
    if abs(total - 1) < 1e-9:
        kept = (
            "its colour (each channel's 100 stays 100)"
            if where
            else "its brightness (100 stays 100)"
        )
        return (
            f"The weights sum to **1**: a flat area keeps {kept}, so the picture keeps its "
            "overall look — only the details change."
        )
    if abs(total) < 1e-9:
        return (
            f"The weights sum to **0**: every flat area becomes 0{where}, so only places where "
            "the brightness *changes* survive — positive on one side of an edge, negative on the "
            "other."
        )
    shown = _prose(total)
    return (
        f"The weights sum to **{shown}**: a flat area of brightness 100 becomes "
        f"{_prose(100 * total)}{where}, so the whole picture gets {_effect(total)} — divide "
        f"the weights by {shown} to keep the brightness."
    )


def _full_depth_note(total: float, mix: str, shape: tuple[int, int]) -> str:
    """`weight_sum_note` for full depth: the slices' channel weights scale the kernel's sum."""
    w_r, w_g, w_b = filtering.mix_weights(mix)
    depth_total = total * (w_r + w_g + w_b)  # a flat gray area of level v gives v * this
    text = (
        f"The weights sum to **{_prose(total)}**. In full depth with “"
        f"{filtering.CHANNEL_MIXES[mix][1]}” the R, G and B slices are the kernel times "
        f"{_prose(w_r)}, {_prose(w_g)} and {_prose(w_b)}, so all {shape[0]} × {shape[1]} × 3 "
        f"weights sum to {_prose(total)} × {_prose(w_r + w_g + w_b)} = **{_prose(depth_total)}**"
    )
    if abs(total) < 1e-9:
        return text + (
            ": every flat area becomes 0, whatever its colour — only places where the picture "
            "*changes* survive."
        )
    if abs(depth_total) < 1e-9:
        return text + (
            ": a flat **gray** area (R = G = B = 100) becomes **0**, yet a flat coloured area "
            f"(R, G, B) gives {_prose(total)} × ({_prose(w_r)}·R + {_prose(w_g)}·G + "
            f"{_prose(w_b)}·B) — this mix responds to colour, not brightness."
        ).replace("+ −", "− ")
    if abs(depth_total - 1) < 1e-9:
        return text + ": a flat gray area (R = G = B = 100) keeps its level — 100 stays 100."
    return text + (
        f": a flat gray area (R = G = B = 100) becomes {_prose(100 * depth_total)}, so the map "
        f"gets {_effect(depth_total)} — divide the weights by {_prose(depth_total)} to keep "
        "the level."
    )


def _effect(total: float) -> str:
    if total < 0:
        return "negative (flipped)"
    return "brighter" if total > 1 else "darker"


def _prose(value: float) -> str:
    """A weight or sum for prose: `weight_text` of it (1/9, 0.299) with a real minus sign."""
    exact, rounded = weight_text(value), weight_text(round(float(value), 9))
    return min(exact, rounded, key=len).replace("-", MINUS)  # 1/3, but 1 for 0.9999999999999999
