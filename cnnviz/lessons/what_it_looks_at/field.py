"""View 1, the receptive field: which input pixels can influence one unit of a layer.

The arithmetic is `cnnviz.explain.receptive_field` (lesson 4's sizes, one layer at a time);
the check beside it is the unit's real gradient with respect to the input, from
`cnnviz.nn.backprop`: it can only be non-zero inside the box.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from cnnviz.explain import receptive_field as rf
from cnnviz.lessons.what_it_looks_at.choose import Subject
from cnnviz.lessons.what_it_looks_at.controls import choice_among
from cnnviz.lessons.what_it_looks_at.inspect import inspector
from cnnviz.lessons.what_it_looks_at.settings import LAYER, UNIT_COL, UNIT_ROW
from cnnviz.nn import backprop
from cnnviz.nn.model import TinyCNN
from cnnviz.numbers import plural, text_number
from cnnviz.ui import settings, widgets
from cnnviz.viz import what_it_looks_at as figures


def unit_gradient(model: TinyCNN, x: np.ndarray, layer: str, row: int, col: int) -> np.ndarray:
    """∂(sum over channels of `layer`'s unit (row, col))/∂x for one image x (1, C, H, W).

    Returns (C, H, W). Non-zero only inside the unit's receptive field.
    """
    trace = backprop.forward_keep(model, x, until=layer)
    dout = np.zeros_like(trace[layer])  # (1, F, h, w)
    dout[0, :, row, col] = 1
    dx, _ = backprop.gradient_wrt_input(model, trace, layer, dout)
    return dx[0]


def field_table_markdown(rows: list[rf.FieldRow]) -> str:
    """The layer-by-layer arithmetic as a markdown table, input row first."""
    lines = [
        "| layer | k | s | d | pad | units | jump j | field r | arithmetic |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.kernel} | {r.stride} | {r.dilation} | {r.pad} | {r.size} | "
            f"{r.jump} | **{r.field}** | {r.arithmetic.replace('·', ' · ')} |"
        )
    return "\n".join(lines)


def field_view(subject: Subject) -> list[Callable]:
    """Pick a unit; its box on the input, the table that gives it, and the gradient check."""
    model = subject.network.model
    config = model.config
    rows = rf.field_table(config)
    by_name = {r.name: r for r in rows[1:]}
    layer_col, row_col, col_col = st.columns(3)
    layer = choice_among(LAYER, tuple(by_name), fallback=rows[-1].name, container=layer_col)
    size = by_name[layer].size
    row = settings.slider(UNIT_ROW, hi=size - 1, container=row_col)
    col = settings.slider(UNIT_COL, hi=size - 1, container=col_col)
    box = rf.input_box(config, layer, row, col)
    st.latex(  # two lines: one would not fit a phone's width
        r"\begin{gathered} r_{\text{out}} = r_{\text{in}} + (k - 1)\,d\,j_{\text{in}} \\"
        r"j_{\text{out}} = j_{\text{in}}\, s, \qquad r_0 = j_0 = 1 \end{gathered}"
    )
    st.markdown(field_table_markdown(rows[: list(by_name).index(layer) + 2]))
    gradient = unit_gradient(model, subject.x, layer, row, col).sum(axis=0)  # over channels
    H, W = subject.image.shape
    r = by_name[layer].field
    span = ((box.rows[0], box.rows[1]), (box.cols[0], box.cols[1]))
    left, right = st.columns(2, gap="large")
    with left:
        widgets.chart(
            figures.box_figure(
                subject.picture,
                box.rows,
                box.cols,
                title=f"What {layer} unit ({row}, {col}) can see",
            )  # fmt: skip
        )
    with right:
        drawn = figures.signed_figure(
            gradient, box=span, title=f"∂ {layer}({row}, {col}) / ∂ input{_rgb(subject)}"
        )
        widgets.chart(drawn)
        centre = (sum(box.rows) // 2, sum(box.cols) // 2)
        inspector(gradient, drawn, centre, what="∂ unit / ∂ input")
    _field_sentences(box, r, gradient, H, W, layer)
    _architecture_facts(config.filters)
    return [rf.field_table, rf.input_box, backprop.gradient_wrt_input]


def _rgb(subject: Subject) -> str:
    """A title's note when an RGB input's gradient is summed over its three channels."""
    return " (R + G + B)" if subject.x.shape[1] == 3 else ""


def _field_sentences(box: rf.InputBox, r: int, gradient, H: int, W: int, layer: str) -> None:
    clipped = (box.height, box.width) != (r, r)
    inside = int(np.count_nonzero(gradient))
    where = f"rows {box.rows[0]}–{box.rows[1]}, columns {box.cols[0]}–{box.cols[1]}"
    text = f"A unit of {layer} has a receptive field of **{r} × {r}** input pixels"
    if clipped:
        text += (
            f". For this unit it spans rows {_span(box.full_rows)} and columns "
            f"{_span(box.full_cols)}, which reaches past the image's edge into the zero "
            f"padding, so it sees only the {box.height} × {box.width} pixels of {where} of "
            f"the {H} × {W} input (the orange box)"
        )
    else:
        text += f": for this unit, {where} of the {H} × {W} input (the orange box)"
    st.markdown(text + ".")
    st.markdown(
        f"The gradient beside it is the check: it is non-zero at "
        f"{plural(inside, 'pixel')} of the {plural(box.height * box.width, 'pixel')} in the "
        "box, and never outside it. The box is an **upper bound**: for this image, max pooling "
        "sends each gradient to one winner of its window and a ReLU that is off passes nothing, "
        "so pixels inside the box can still have no influence."
    )


def _span(first_last: tuple[int, int]) -> str:
    """ "−1 to 6": a range whose ends may be negative (in the padding), with real minus signs."""
    return f"{text_number(first_last[0])} to {text_number(first_last[1])}"


def _architecture_facts(filters: tuple[int, ...]) -> None:
    C = filters[0]
    stack = rf.stacked_vs_single(C, 3, 2)
    pointwise = rf.pointwise_conv(C, filters[1] if len(filters) > 1 else C)
    st.markdown(
        f"**Why deep networks stack small kernels (VGG).** {stack.sentence()}\n\n"
        f"**The 1 × 1 convolution (Inception's bottlenecks, AlphaGo's last layer).** "
        f"{pointwise.sentence()}"
    )
