"""Kernels typed by a learner or carried in a link: cells -> weights, weights <-> text.

Weights are (KH, KW) float64, at most `MAX_KERNEL_SIDE` per side, each finite with
|w| <= `MAX_ABS_WEIGHT`. A link writes them as rows split by ``;`` and values by ``,``
(``1,0,-1;2,0,-2;1,0,-1``), each weight as a person would type it (``2``, ``-0.5``, ``1/9``).
Anything that cannot be used raises `KernelError` (a ValueError) with a sentence that says
which cell is wrong and what to type instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

MAX_KERNEL_SIDE = 7
"""Largest kernel the lessons accept, per side."""
MAX_ABS_WEIGHT = 1000.0
"""Larger weights are refused: they only make every output value meaningless."""
MAX_TEXT_CHARS = 2000


class KernelError(ValueError):
    """A typed kernel that cannot be used, explained so the learner can fix it."""


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
