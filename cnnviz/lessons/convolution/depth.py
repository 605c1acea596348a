"""Colour and depth: a k×k×3 kernel on RGB pixels (three channel sums plus a bias), and F
filters making an output volume of depth F."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz.data import kernels
from cnnviz.lessons.convolution.settings import COL, FILTERS, ROW
from cnnviz.ops import conv, filtering, pixels, shapes
from cnnviz.ui import cached, widgets
from cnnviz.ui import settings as kit
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import formulas, matrices


def colour_step(step: conv.ConvStep, kernel: np.ndarray, bias: float) -> None:
    """One output value of a k×k×3 kernel: three channel sums plus the bias.

    step : step of a 3-channel trace (patch and products (KH, KW, 3)).  kernel : (KH, KW, 3).
    """
    sums = [float(s) for s in step.channel_sums()]
    columns = st.columns(3, gap="medium")
    for c, (column, name) in enumerate(zip(columns, ("red", "green", "blue"), strict=True)):
        with column:
            widgets.chart(
                cached.figure(
                    matrices.matrix_figure,
                    step.patch[..., c],
                    title=f"{name.capitalize()} pixels under the kernel",
                    colorscale=name,
                    zmin=0,
                    zmax=255,
                )
            )
            widgets.chart(
                cached.figure(
                    conv_figures.kernel_figure,
                    kernel[..., c],
                    title=f"{name.capitalize()} slice",
                )
            )
            st.latex(rf"\textstyle\sum = {formulas.number(sums[c])}")
    st.latex(formulas.channel_sums_latex(sums, bias, step.value))


def colour_section(photo: widgets.PickedImage, kernel: np.ndarray, bias: float) -> None:
    """A k×k×3 kernel (your kernel in every slice) on the RGB pixels of ``photo`` at the crop's
    top-left corner (`ROW`, `COL`). kernel : (KH, KW)."""
    KH, KW = kernel.shape
    height, width = photo.pixels.shape[:2]
    row, col = min(ROW.value, height - KH), min(COL.value, width - KW)
    patch = pixels.crop(photo.pixels, row, col, KH, KW)  # (KH, KW, 3)
    depth_kernel = filtering.full_depth_kernel(kernel, channel_weights=(1.0, 1.0, 1.0))
    trace = cached.conv_trace(patch, depth_kernel, 1, 0, 1, bias)  # one window, one step
    st.markdown(
        f"The window at row {row}, column {col} of {photo.label}, with a "
        f"{KH}×{KW}×3 kernel whose three slices are all your kernel (a trained network "
        "learns a different slice for each channel):"
    )
    colour_step(trace.step(0), trace.kernel, bias)


def filter_stack(photo: widgets.PickedImage) -> None:
    """F filters of 5×5×3 on a 32×32×3 copy of ``photo``: an output volume of depth F."""
    small = pixels.resize(photo.pixels, 32, 32, "area")  # (32, 32, 3)
    presets = [p for p in kernels.PRESETS.values() if max(p.array.shape) <= 5][: FILTERS.hi]
    F = kit.slider(FILTERS, hi=len(presets))
    chosen = presets[:F]
    maps = np.stack(
        [
            cached.correlate(small, filtering.full_depth_kernel(kernels.centred(p.array, 5)))
            for p in chosen
        ],
        axis=-1,
    )  # (28, 28, F)
    (row,) = shapes.layer_table((32, 32, 3), [{"type": "conv", "filters": F, "kernel": 5}])
    H_out, W_out, depth = row["output_shape"]
    st.markdown(
        f"32 × 32 × 3 input, **{F}** filters of 5 × 5 × 3, no padding → output "
        f"**{H_out} × {W_out} × {depth}**, with {row['params']:,} learnable numbers "
        f"({F} × (5·5·3 weights + 1 bias)). The filters are lesson 3's presets, each slice "
        "the same; a 3 × 3 preset sits in the middle of a 5 × 5 grid of zeros. Each slice "
        "below has its own colour range (a blur's values are far smaller than an edge "
        "filter's); hover for the numbers."
    )
    widgets.chart(
        cached.figure(
            conv_figures.feature_stack_figure,
            maps,
            names=[p.title for p in chosen],
            title=f"The {depth} slices of the output volume",
        )
    )
