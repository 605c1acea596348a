"""Figures and formulas of lesson 6: activation curves, activated feature maps, softmax bars.

Arrays in, ``go.Figure`` (or a LaTeX string) out; the numbers come from
`cnnviz.ops.activations`, nothing here computes an activation. Feature maps are (H, W) with
row 0 at the top and are drawn by `cnnviz.viz.featuremaps.raw_map_figure` (blue negative, white
0, red positive), so what ReLU removes is plain to see.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cnnviz.numbers import number, power_of_ten, text_number
from cnnviz.viz.featuremaps import HOVER_TEMPLATE, RAW_COLORSCALE, raw_map_figure
from cnnviz.viz.layout import TOP_TICKS_PX, titled_top_margin
from cnnviz.viz.matrices import MAX_PRINTED, matrix_figure, region_outline

CURVE_COLOR = "#1f77b4"
CHOSEN_COLOR = "#d62728"
SLOPE_COLOR = "#7f7f7f"
POINT_COLOR = "#ff9f1c"
BAR_COLOR = "#9ab7d3"
TOP_BAR_COLOR = "#1f77b4"


_signed = text_number  # a short number with a real minus sign, for text drawn on a figure


def activation_curves_figure(
    xs: np.ndarray,
    curves: dict[str, np.ndarray],
    slopes: dict[str, np.ndarray],
    values: dict[str, float],
    *,
    x: float,
    chosen: str,
) -> go.Figure:
    """One small panel per activation: its curve, its slope (dotted) and the point at ``x``.

    xs : (n,) inputs along the horizontal axis.
    curves, slopes : title -> (n,) values f(xs) and f'(xs), in panel order.
    values : title -> f(x) at the chosen ``x`` (marked with a dot and written in the title).
    chosen : the title of the panel to draw in the highlight colour.

    The panels are laid out by hand (axis domains) rather than with ``make_subplots``, which
    is several times slower, and this figure is rebuilt whenever ``x`` moves.
    """
    xs = np.asarray(xs, dtype=np.float64)
    if xs.ndim != 1 or xs.size < 2:
        raise ValueError(f"xs must be a 1-D array of at least 2 points, got shape {xs.shape}")
    if set(curves) != set(slopes) or set(curves) != set(values) or chosen not in curves:
        raise ValueError("curves, slopes and values need the same titles, including `chosen`")
    n, gap = len(curves), 0.05
    width = (1 - gap * (n - 1)) / n
    data, layout, titles = [], {}, []
    for i, name in enumerate(curves):
        axis = "" if i == 0 else str(i + 1)
        curve = np.asarray(curves[name], dtype=np.float64)
        colour, line_width = (CHOSEN_COLOR, 4) if name == chosen else (CURVE_COLOR, 2.5)
        data += [
            _line(xs, slopes[name], "slope f′(x)", SLOPE_COLOR, 1.5, "dot", axis, i == 0),
            _line(xs, curve, f"{name} f(x)", colour, line_width, "solid", axis, True),
            _point(x, values[name], name, axis),
        ]
        low, high = min(curve.min(), -1.0), max(curve.max(), 1.0)
        pad = 0.08 * (high - low)
        left = i * (width + gap)
        layout[f"xaxis{axis}"] = {**_AXIS, "domain": [left, left + width], "anchor": f"y{axis}"}
        layout[f"yaxis{axis}"] = {**_AXIS, "range": [low - pad, high + pad], "anchor": f"x{axis}"}
        titles.append(
            {
                "text": f"{name}: f({_signed(x)}) = {_signed(values[name])}",
                "x": left + width / 2,
                "xanchor": "center",
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 15, "color": colour},
            }
        )
    return go.Figure(
        data=data,
        layout={
            **layout,
            "annotations": titles,
            "height": 330,
            "margin": {"l": 30, "r": 10, "t": 40, "b": 60},
            "plot_bgcolor": "#ffffff",
            "legend": {"orientation": "h", "y": -0.14, "x": 0},
            "hovermode": "closest",
        },
    )


_AXIS = {"zeroline": True, "zerolinecolor": "#999", "showgrid": True, "gridcolor": "#eee"}


def _line(xs, ys, name, colour, width, dash, axis, legend) -> go.Scatter:
    return go.Scatter(
        x=xs,
        y=np.asarray(ys, dtype=np.float64),
        xaxis=f"x{axis}",
        yaxis=f"y{axis}",
        mode="lines",
        name=name,
        line={"color": colour, "width": width, "dash": dash},
        showlegend=legend,
        hovertemplate="x = %{x:.2f}<br>%{y:.3f}<extra>" + name + "</extra>",
    )


def _point(x: float, y: float, name: str, axis: str) -> go.Scatter:
    """The orange dot at (x, f(x)) with a dashed drop line to the x axis."""
    return go.Scatter(
        x=[x, x],
        y=[0.0, y],
        xaxis=f"x{axis}",
        yaxis=f"y{axis}",
        mode="lines+markers",
        line={"color": POINT_COLOR, "width": 1.5, "dash": "dash"},
        marker={
            "size": [0, 12],
            "color": POINT_COLOR,
            "line": {"color": "#000", "width": [0, 1]},
        },
        showlegend=False,
        hovertemplate=f"f({_signed(x)}) = {_signed(y)}<extra>{name}</extra>",
    )


def activated_map_figure(
    values: np.ndarray,
    *,
    title: str = "",
    window: tuple[int, int, int, int] | None = None,
    height_px: int = 360,
    printed_width_px: int = 400,
) -> go.Figure:
    """A feature map before or after an activation, on the diverging scale centred on 0.

    values : (H, W) finite numbers. Up to 32 × 32 the values are printed in cells about
        ``printed_width_px`` wide in all (no colour bar, so the numbers get the room); larger
        maps are `raw_map_figure`, with a colour bar and every value on hover.
    window : (row, col, h, w) outlines the cells shown enlarged elsewhere.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 2 and 0 < max(values.shape) <= MAX_PRINTED and np.isfinite(values).all():
        limit = float(np.abs(values).max()) or 1.0
        cell_px = int(np.clip(printed_width_px // max(values.shape), 20, 56))
        fig = matrix_figure(
            values,
            title=title,
            colorscale=RAW_COLORSCALE,
            zmin=-limit,
            zmax=limit,
            cell_px=cell_px,
            window=window,
            hovertemplate=HOVER_TEMPLATE,
        )
        return fig
    fig = raw_map_figure(values, title=title, height_px=height_px)
    if window is not None:
        fig.add_shape(**region_outline(*window))
    return fig


def percent_label(probability: float) -> str:
    """A probability as a percentage that never prints a positive share as 0.

    0.75 -> ``75.0%``; 1e-5 -> ``0.001%`` (softmax gives no exact zeros, so a tiny share keeps
    one significant digit); exactly 0 (an underflow) -> ``0%``; NaN -> ``NaN``.
    """
    if np.isnan(probability):
        return "NaN"
    percent = 100 * float(probability)
    if percent == 0 or percent >= 0.05:
        return f"{percent:.1f}%" if percent else "0%"
    if percent >= 1e-4:
        return f"{percent:.1g}%"
    mantissa, exponent = f"{percent:.0e}".split("e")
    return f"{mantissa}×{power_of_ten(int(exponent))}%"


def probability_bars_figure(
    probabilities: np.ndarray, *, labels: list[str] | None = None, title: str = ""
) -> go.Figure:
    """One bar per class with its probability written as a percentage; the largest is darker.

    probabilities : (K,) numbers in [0, 1] (NaN is drawn as a missing bar labelled "NaN").
    labels : K class names; default "0", "1", … (the digits, for a digit classifier).
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"probabilities must be a non-empty 1-D array, got shape {p.shape}")
    labels = labels or [str(i) for i in range(p.size)]
    if len(labels) != p.size:
        raise ValueError(f"{len(labels)} labels for {p.size} probabilities")
    finite = np.nan_to_num(p, nan=-1.0)
    colours = [TOP_BAR_COLOR if v == finite.max() else BAR_COLOR for v in finite]
    text = [percent_label(v) for v in p]
    title_settings, top = titled_top_margin(title)
    return go.Figure(
        data=[
            go.Bar(
                x=labels,
                y=p * 100,
                text=text,
                textposition="outside",
                textfont={"size": 15},
                cliponaxis=False,
                marker_color=colours,
                hovertemplate="class %{x}: %{y:.4f}%<extra></extra>",
            )
        ],
        layout={
            "title": title_settings,
            "height": 340,
            "margin": {"l": 50, "r": 10, "t": top - TOP_TICKS_PX + 16, "b": 40},
            "plot_bgcolor": "#ffffff",
            "xaxis": {"type": "category", "title": {"text": "class"}},
            "yaxis": {"range": [0, 112], "title": {"text": "probability (%)"}, "gridcolor": "#eee"},
        },
    )


def _factor(value: float) -> str:
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def activation_latex(name: str, x: float, value: float, slope: float = 0.01) -> str:
    """The activation ``name`` at ``x`` written out with the numbers substituted.

    value : f(x) as the library computed it (shown as the result).
    """
    xs, result = _factor(x), number(value)
    if name == "relu":
        return rf"\mathrm{{ReLU}}({number(x)}) = \max(0,\ {xs}) = {result}"
    if name == "leaky_relu":
        if x > 0:
            return rf"f({number(x)}) = {number(x)} \quad (x > 0\text{{: passed through}})"
        return (
            rf"f({number(x)}) = a \cdot x = {number(slope)} \cdot {xs} = {result}"
            r" \quad (x \le 0\text{: multiplied by the slope } a)"
        )
    if name == "sigmoid":
        e = float(np.exp(-x))
        return (
            rf"\sigma({number(x)}) = \frac{{1}}{{1 + e^{{-{xs}}}}} = \frac{{1}}{{1 + {number(e)}}}"
            rf" = {result}"
        )
    if name == "tanh":
        ep, em = float(np.exp(x)), float(np.exp(-x))
        return (
            rf"\tanh({number(x)}) = \frac{{e^{{{number(x)}}} - e^{{-{xs}}}}}"
            rf"{{e^{{{number(x)}}} + e^{{-{xs}}}}} = \frac{{{number(ep)} - {number(em)}}}"
            rf"{{{number(ep)} + {number(em)}}} = {result}"
        )
    raise ValueError(f"Unknown activation {name!r}")


SPELLED_OUT_TERMS = 4
"""Softmax sums with more terms than this are written as their total."""


def softmax_latex(shifted: np.ndarray, exps: np.ndarray, index: int, *, scaled_max: float) -> str:
    """``p_k = e^{z_k/T - m} / sum_j e^{z_j/T - m}`` for class ``index``, numbers substituted.

    shifted : (K,) z/T - m.   exps : (K,) e^shifted.   scaled_max : m = max z/T.
    Sums of more than `SPELLED_OUT_TERMS` terms are shown as their total only.
    """
    shifted, exps = np.asarray(shifted, dtype=np.float64), np.asarray(exps, dtype=np.float64)
    total = float(exps.sum())
    if shifted.size <= SPELLED_OUT_TERMS:
        terms = " + ".join(rf"e^{{{number(s)}}}" for s in shifted)
        values = " + ".join(number(e) for e in exps)
        denominator = rf"\frac{{{number(exps[index])}}}{{{values}}}"
    else:
        terms = rf"\textstyle\sum_{{j=0}}^{{{shifted.size - 1}}} e^{{z_j/T - m}}"
        denominator = rf"\frac{{{number(exps[index])}}}{{{number(total)}}}"
    # One step a line: on one line the result ran off a phone's screen.
    return (
        rf"\begin{{aligned}} p_{{{index}}} &= \frac{{e^{{{number(shifted[index])}}}}}{{{terms}}}"
        rf" \\ &= {denominator} \\ &= {number(exps[index] / total)}"
        rf" \\ & (m = \max_j z_j/T = {number(scaled_max)}) \end{{aligned}}"
    )
