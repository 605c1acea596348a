"""The warm-up: two weights sliding along the rows of a digit, then one 2-D kernel."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import kernels, synthetic
from cnnviz.lessons.convolution.settings import PAIRS
from cnnviz.ui import cached, widgets
from cnnviz.ui import settings as kit
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import formulas, matrices

WARMUP_CELL_PX = 34
"""Warm-up maps share a row three ways: cells (and printed values) sized for a laptop column."""


def weight_pair_warmup() -> None:
    """Slide each of the `PAIRS` (1×2 weights) along the rows of the drawn 4 (8, 8); then one
    2-D kernel, `kernels.TOP_BOTTOM_2X2`, which sees what no pair can (changes top to bottom)."""
    digit, kernel_2d = synthetic.digit_four(), kernels.TOP_BOTTOM_2X2
    columns = st.columns(len(PAIRS) + 1, gap="medium")
    with columns[0]:
        widgets.chart(
            cached.figure(
                matrices.matrix_figure,
                digit,
                title="The digit (8 × 8)",
                zmin=0,
                zmax=255,
                cell_px=WARMUP_CELL_PX,
            )
        )
    for column, (name, pair) in zip(columns[1:], PAIRS.items(), strict=True):
        with column:
            st.markdown(f"**{name}**")
            boxes = st.columns(2)
            w1, w2 = (kit.number(w, container=box) for w, box in zip(pair, boxes, strict=True))
            _warmup_output(digit, np.array([[w1, w2]]))
    weights, output, words = st.columns(len(PAIRS) + 1, gap="medium")
    with weights:
        widgets.chart(cached.figure(conv_figures.kernel_figure, kernel_2d, title="A 2-D kernel"))
    with output:
        st.markdown("**Top–bottom changes**")
        _warmup_output(digit, kernel_2d)
    words.markdown(
        "This 2 × 2 kernel subtracts the row above from the row below, so it lights up where a "
        "stroke starts or ends going **down** — something neither pair can see, however you "
        "set its weights."
    )


def _warmup_output(digit: np.ndarray, kernel: np.ndarray) -> None:
    out = cached.correlate(digit, kernel)
    weights = ", ".join(formulas.text_number(w) for w in kernel.ravel())
    widgets.chart(
        cached.figure(
            conv_figures.kernel_figure,
            out,
            title=f"({weights}) → {out.shape[0]} × {out.shape[1]}",
            cell_px=WARMUP_CELL_PX,
        )
    )
