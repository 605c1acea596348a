"""View 3, occlusion: cover part of the image with a grey patch and see the answer drop.

The patch slides like lesson 4's window (size p, stride s, no padding), so the number of
positions — and of forward passes — is lesson 4's formula; all copies go through the network in
one batch (`cnnviz.explain.occlusion`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from cnnviz.explain import occlusion
from cnnviz.lessons.what_it_looks_at.choose import Subject, picture
from cnnviz.lessons.what_it_looks_at.inspect import inspector
from cnnviz.lessons.what_it_looks_at.settings import PATCH, STRIDE
from cnnviz.numbers import plural, text_number
from cnnviz.ops.shapes import output_size
from cnnviz.ui import settings, widgets
from cnnviz.viz import what_it_looks_at as figures


def occlusion_view(subject: Subject) -> list[Callable]:
    """Patch size and stride, the count of forward passes, and the drop at every position."""
    H, W = subject.image.shape
    patch_col, stride_col = st.columns(2)
    patch = settings.slider(PATCH, hi=H, container=patch_col)
    stride = settings.slider(STRIDE, hi=H, container=stride_col)
    result = occlusion.occlusion(
        subject.network.model, subject.x, subject.class_index, patch, stride
    )
    H_out, W_out = result.drop.shape
    st.latex(  # aligned on "=": one line would not fit a phone's width
        rf"\begin{{aligned}} n_{{\text{{out}}}} &= \left\lfloor \frac{{n - p}}{{s}} "
        rf"\right\rfloor + 1 \\ &= \left\lfloor \frac{{{H} - {patch}}}{{{stride}}} "
        rf"\right\rfloor + 1 = {H_out} \end{{aligned}}"
    )
    st.markdown(
        f"{H_out} × {W_out} = **{plural(result.n_occluded, 'occluded copy', 'occluded copies')}**,"
        f" plus the untouched image: **{plural(result.n_images, 'image')}** through the network, "
        f"in {plural(result.n_batches, 'batched forward pass', 'batched forward passes')}. The "
        f"patch is filled with the image's mean, {text_number(result.value, 3)}."
    )
    worst = np.unravel_index(int(np.nanargmax(result.drop)), result.drop.shape)
    left, middle, right = st.columns(3, gap="medium")
    with left:
        drawn = figures.signed_figure(
            100 * result.drop,
            title=f"Drop of P({subject.class_name}), % points",
            mark=tuple(worst),
            width_px=figures.THIRD_PX,
            decimals=1,
        )  # fmt: skip
        widgets.chart(drawn)
        inspector(100 * result.drop, drawn, tuple(worst), what="Drop", decimals=1,
                  width_px=figures.THIRD_PX)  # fmt: skip
    with middle:
        widgets.chart(
            figures.signed_figure(
                100 * np.nan_to_num(result.per_pixel),
                title="Mean drop per pixel",
                width_px=figures.THIRD_PX,
                decimals=1,
            )
        )
    with right:
        copy = occlusion.occluded_copies(subject.x[0], patch, stride, result.value)
        shown = picture(copy[worst[0] * W_out + worst[1]])
        widgets.chart(
            figures.input_figure(shown, title="The copy that hurts most", width_px=figures.THIRD_PX)
        )
    st.markdown(
        f"Untouched, P({subject.class_name}) = {100 * result.base_probability:.1f} %. "
        f"Covering rows {worst[0] * stride}–"
        f"{worst[0] * stride + patch - 1}, columns {worst[1] * stride}–"
        f"{worst[1] * stride + patch - 1} hurts most: "
        f"{100 * result.probabilities[worst]:.1f} %. A negative drop means the patch *helped*."
    )
    _uncovered(result, H, W)
    return [occlusion.occlusion, occlusion.occluded_copies, output_size]


def _uncovered(result: occlusion.Occlusion, H: int, W: int) -> None:
    missed = int(np.count_nonzero(result.coverage == 0))
    if missed:
        st.caption(
            f"The floor leaves {plural(missed, 'pixel')} at the bottom and right edge that no "
            f"patch covers (drawn as 0 in the per-pixel map): ({H} − {result.patch}) / "
            f"{result.stride} is not a whole number."
        )
