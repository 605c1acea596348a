"""LaTeX for the arithmetic on screen, with the real numbers substituted.

Strings in, strings out (for ``st.latex``); no Streamlit. Numbers are written short: whole
numbers as integers, others with at most three decimals; negative factors in parentheses.
"""

from __future__ import annotations

import numpy as np

from cnnviz.numbers import MINUS, number, plural, text_number

__all__ = ["MINUS", "number", "plural", "text_number"]  # re-exported: where lessons found them


def _factor(value: float) -> str:
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def products_latex(patch: np.ndarray, kernel: np.ndarray) -> list[str]:
    """One line of ``value \\cdot weight`` terms per kernel row.

    patch, kernel : (KH, KW) — the numbers under the kernel and its weights.
    """
    patch, kernel = np.asarray(patch), np.asarray(kernel)
    if patch.shape != kernel.shape or patch.ndim != 2:
        raise ValueError(f"patch {patch.shape} and kernel {kernel.shape} must be equal 2-D shapes")
    return [
        " + ".join(rf"{_factor(p)} \cdot {_factor(w)}" for p, w in zip(prow, wrow, strict=True))
        for prow, wrow in zip(patch, kernel, strict=True)
    ]


def step_latex(patch: np.ndarray, kernel: np.ndarray, bias: float, value: float) -> str:
    """The whole step: every product, their sum, plus the bias, equals the output value.

    patch, kernel : (KH, KW)
    value : the output cell as the library computed it (the sum shown is recomputed here
        from the same numbers, so the two agree).
    """
    lines = products_latex(patch, kernel)
    total = float(np.sum(np.asarray(patch, dtype=np.float64) * np.asarray(kernel)))
    body = r" \\ &+ ".join(lines)
    ending = rf"= {number(total)}"
    if bias:
        ending += rf" \;\; {'-' if bias < 0 else '+'}\; {number(abs(bias))} = {number(value)}"
    return rf"\begin{{aligned}} & {body} \\ &{ending} \end{{aligned}}"


def channel_sums_latex(sums: list[float], bias: float, value: float) -> str:
    """``R + G + B (+ bias) = value`` for a colour step.

    sums : the product sum of each channel, in channel order (R, G, B).
    """
    names = ("R", "G", "B") if len(sums) == 3 else [f"c_{i}" for i in range(len(sums))]
    terms = " + ".join(
        rf"\underbrace{{{_factor(s)}}}_{{{n}}}" for s, n in zip(sums, names, strict=True)
    )
    bias_term = rf" + \underbrace{{{_factor(bias)}}}_{{\text{{bias}}}}" if bias else ""
    return rf"{terms}{bias_term} = {number(value)}"


def output_size_latex(
    n: int, k: int, stride: int, pad: tuple[int, int], dilation: int, *, name: str = "n"
) -> str:
    """``n_out = floor((n + p_before + p_after − d·(k − 1) − 1) / s) + 1`` with numbers in.

    pad : (before, after) zeros on the two sides of this axis ("same" with an even kernel
        pads unevenly, so both are shown then).
    """
    before, after = pad
    pads = rf"2 \cdot {before}" if before == after else rf"{before} + {after}"
    symbols = r"2p" if before == after else r"p_{\text{before}} + p_{\text{after}}"
    out = (n + before + after - dilation * (k - 1) - 1) // stride + 1
    return (
        rf"{name}_{{\text{{out}}}} = \left\lfloor \frac{{{name} + {symbols} - d\,(k-1) - 1}}{{s}}"
        rf"\right\rfloor + 1 = \left\lfloor \frac{{{n} + {pads} - {dilation} \cdot ({k}-1) - 1}}"
        rf"{{{stride}}} \right\rfloor + 1 = {out}"
    )
