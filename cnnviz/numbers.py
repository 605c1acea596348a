"""How cnnviz writes numbers, in one place: short forms, fixed decimals, real minus signs.

A hyphen reads as a dash in prose and vanishes on a projector (-775 vs −775), so everything a
learner reads uses the typographic minus `MINUS`; LaTeX gets the plain "-" (`number`), which
KaTeX typesets as a minus itself. Pure functions of numbers; used by viz, quiz and the lessons.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
"""The typographic minus sign."""
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
"""Digits (and "-") as superscripts, for powers of ten written in text: 10⁻⁵."""


def number(value: float, decimals: int = 3) -> str:
    """A short form of ``value`` for LaTeX: ``3``, ``-0.5``, ``0.111`` (no ``-0``, no exponent)."""
    value = float(value)
    if value == round(value) and abs(value) < 1e15:
        return str(int(round(value)))
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_number(value: float, decimals: int = 3) -> str:
    """`number` for prose and titles (not LaTeX): ``−0.5`` with a real minus sign."""
    return number(value, decimals).replace("-", MINUS)


def fixed(value: float, decimals: int = 0) -> str:
    """One value with exactly ``decimals`` digits after the point, as a matrix cell prints it:
    a real minus sign, no ``-0``; ∞ and −∞ for infinities, "" for NaN (an empty cell)."""
    if not math.isfinite(value):
        return "" if math.isnan(value) else ("∞" if value > 0 else MINUS + "∞")
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 pixel``, ``2 pixels``, ``1 zero``: a count with its noun in the right number.

    plural_form : for nouns that do not just add an "s" (``plural(2, "matrix", "matrices")``).
    """
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {noun}".replace("-", MINUS)


def power_of_ten(exponent: int) -> str:
    """``10⁻⁵`` for -5: a power of ten written in text."""
    return "10" + str(int(exponent)).translate(SUPERSCRIPTS)


def whole_or_short(value: float, decimals: int = 10) -> str:
    """A typed or marked answer as a learner reads it: ``3,882,793``, ``0.1234``, ``−2.5``."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}".replace("-", MINUS)
    return text_number(value, decimals)
