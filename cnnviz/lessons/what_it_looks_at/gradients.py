"""Views 2 and 4, saliency and Grad-CAM: the class score's gradient, at the input and at the
last conv layer.

Saliency is lesson 7's backward pass carried one layer further, to the pixels
(`cnnviz.explain.saliency`), with one pixel checked by a finite difference on the page.
Grad-CAM (`cnnviz.explain.gradcam`) averages the gradient over each map of the last conv layer
— lesson 5's global average pooling — to weigh the maps; every stage is drawn with its numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from cnnviz.explain import gradcam, saliency
from cnnviz.lessons.what_it_looks_at.choose import Subject
from cnnviz.lessons.what_it_looks_at.inspect import inspector
from cnnviz.lessons.what_it_looks_at.settings import INTERPOLATION, PIXEL_COL, PIXEL_ROW
from cnnviz.numbers import number, power_of_ten, text_number
from cnnviz.ui import settings, widgets
from cnnviz.viz import train_a_cnn as maps
from cnnviz.viz import what_it_looks_at as figures


def saliency_view(subject: Subject) -> list[Callable]:
    """∂ score / ∂ pixel beside the image, and one pixel checked by a finite difference."""
    model, k = subject.network.model, subject.class_index
    result = saliency.saliency(model, subject.x, k)
    H, W = subject.image.shape
    top = np.unravel_index(int(np.argmax(result.map)), result.map.shape)
    st.latex(  # two lines: one would not fit a phone's width
        rf"\begin{{gathered}}\text{{saliency}}_{{ij}} = \frac{{\partial\, s_{{{k}}}}}"
        rf"{{\partial x_{{ij}}}} \\ s_{{{k}}} = \text{{score (logit) of class "
        rf"{subject.class_name}}} = {number(result.score)}\end{{gathered}}"
    )
    row_col, col_col = st.columns(2)
    row = settings.slider(PIXEL_ROW, hi=H - 1, container=row_col)
    col = settings.slider(PIXEL_COL, hi=W - 1, container=col_col)
    rgb = subject.x.shape[1] == 3
    shown = result.map if rgb else result.gradient[0]
    what = "max over R, G, B of |∂ score / ∂ pixel|" if rgb else "∂ score / ∂ pixel"
    left, right = st.columns(2, gap="large")
    with left:
        widgets.chart(figures.input_figure(subject.picture, title=f"{subject.name.capitalize()}"))
    with right:
        drawn = figures.signed_figure(shown, mark=(row, col), title=_map_title(subject, rgb))
        widgets.chart(drawn)
        inspector(shown, drawn, (row, col), what=what)
    st.markdown(
        (
            f"Each pixel shows its largest |∂ score / ∂ channel| of red, green and blue: the "
            f"darker, the more that pixel moves the score of class **{subject.class_name}**."
            if rgb
            else f"Red pixels raise the score of class **{subject.class_name}** with more ink, "
            "blue ones lower it."
        )
        + f" The largest effect is at row {top[0]}, column {top[1]}."
    )
    channel = int(np.argmax(np.abs(result.gradient[:, row, col])))
    check = saliency.finite_difference(model, subject.x, k, (channel, row, col))
    st.markdown(
        f"**Checked on pixel ({row}, {col})**{f' ({CHANNELS[channel]} channel)' if rgb else ''}"
        f" by nudging it up and down by h = {check.h:g}:"
    )
    st.latex(  # one value per line, so that it fits a phone's width
        rf"\begin{{aligned}} s(x + h) &= {number(check.score_plus, 6)} \\ "
        rf"s(x - h) &= {number(check.score_minus, 6)} \\ "
        rf"\frac{{s(x + h) - s(x - h)}}{{2h}} &= {number(check.numeric, 5)} \\ "
        rf"\text{{backward pass}} &= {number(check.analytic, 5)} \end{{aligned}}"
    )
    st.caption(
        f"They differ by {_small(check.difference)}: the backward pass is right. (The network "
        "is piecewise linear, so a small nudge that switches no ReLU or max-pool gives the "
        "exact slope.)"
    )
    return [saliency.saliency, saliency.finite_difference]


CHANNELS = ("red", "green", "blue")


def _map_title(subject: Subject, rgb: bool) -> str:
    score = f"score({subject.class_name})"
    return f"max over R, G, B of |∂ {score} / ∂ pixel|" if rgb else f"∂ {score} / ∂ pixel"


def gradcam_view(subject: Subject) -> list[Callable]:
    """Grad-CAM's stages, each a small figure with its numbers."""
    interpolation = settings.radio(INTERPOLATION)
    cam = gradcam.grad_cam(subject.network.model, subject.x, subject.class_index,
                           interpolation=interpolation)  # fmt: skip
    C, h, w = cam.activations.shape
    st.latex(  # two lines: one would not fit a phone's width
        r"\begin{gathered}\alpha_c = \frac{1}{hw}\sum_{i,j} \frac{\partial s}{\partial "
        r"A_c[i,j]} \\ \text{CAM} = \operatorname{ReLU}\Big(\sum_c \alpha_c A_c\Big)"
        r"\end{gathered}"
    )
    st.markdown(f"**1 · The maps A of {cam.layer}** ({C} maps of {h} × {w}) and their gradients")
    left, right = st.columns(2, gap="large")
    with left:
        widgets.chart(maps.mosaic_figure(cam.activations, title=f"A: {cam.layer}", columns=8,
                                         map_name="channel", width_px=400))  # fmt: skip
    with right:
        widgets.chart(maps.mosaic_figure(cam.gradients, title="∂s / ∂A", map_name="channel",
                                         columns=8, width_px=400))  # fmt: skip
    if subject.network.model.config.pool == "max" and cam.layer.startswith("relu"):
        st.caption(
            "Why the gradients are dotted: the max pooling after this layer passes each "
            "gradient to the one winner of its 2 × 2 window; the other three get 0 (lesson 5)."
        )
    st.markdown(
        "**2 · One weight per map**: the mean of its gradient — a global average pooling, as "
        "at the end of lesson 5."
    )
    widgets.chart(
        figures.bars_figure(
            cam.alpha, [f"c{c}" for c in range(C)], title="α per channel", axis_title="α"
        )  # fmt: skip
    )
    _one_alpha(cam)
    st.markdown("**3 · Weighted sum**, then **ReLU** (only evidence *for* the class is kept)")
    left, middle, right = st.columns(3, gap="medium")
    with left:
        widgets.chart(
            figures.signed_figure(cam.weighted_sum, title="Σ α·A", width_px=figures.THIRD_PX)
        )
    with middle:
        widgets.chart(
            figures.signed_figure(cam.cam, title="ReLU(Σ α·A)", width_px=figures.THIRD_PX)
        )
    with right:
        widgets.chart(
            figures.overlay_figure(
                subject.picture,
                cam.upsampled,
                title=f"Upsampled {h} × {w} → {subject.image.shape[0]} × {subject.image.shape[1]}",
                width_px=figures.THIRD_PX,
            )  # fmt: skip
        )
    st.caption(
        f"The map is coarse — {h} × {w} cells — because the layers before {cam.layer} have "
        "pooled the image down that far; red over the image is where the evidence for class "
        f"{subject.class_name} lies."
    )
    return [gradcam.grad_cam, gradcam.cam_stages]


def _one_alpha(cam: gradcam.GradCAM) -> None:
    """One α worked out: the channel with the largest |α|, its gradient map and their mean."""
    c = int(np.argmax(np.abs(cam.alpha)))
    left, right = st.columns([1, 2], gap="large")
    with left:
        widgets.chart(
            figures.signed_figure(
                cam.gradients[c], title=f"∂s / ∂A of channel {c}", width_px=figures.THIRD_PX
            )
        )
    with right:
        h, w = cam.gradients[c].shape
        st.markdown(
            f"Worked out for channel {c}, the largest weight in size: the mean of its {h * w} "
            f"gradients is α = {text_number(float(cam.alpha[c]), 4)}. "
            + ("It counts *for* the class." if cam.alpha[c] > 0 else "It counts *against* it.")
        )


def _small(value: float) -> str:
    """A tiny non-negative difference as a learner reads it: 1.2 × 10⁻¹¹ (0 when exact)."""
    if value == 0:
        return "0"
    exponent = int(np.floor(np.log10(value)))
    return f"{value / 10.0**exponent:.1f} × {power_of_ten(exponent)}"
