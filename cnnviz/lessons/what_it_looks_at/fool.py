"""View 6, fool it: the fast gradient sign method (`cnnviz.explain.fgsm`).

Every pixel moves by ε in the direction that raises the loss of the class explained; a slider
sets ε, a sweep finds the smallest ε that flips the answer, and a table does the same for
several test images (cached by the network's fingerprint).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from cnnviz.explain import fgsm
from cnnviz.lessons.what_it_looks_at import lesson_8
from cnnviz.lessons.what_it_looks_at.choose import Network, Subject, picture
from cnnviz.lessons.what_it_looks_at.settings import EPS
from cnnviz.numbers import plural, text_number
from cnnviz.ui import settings, widgets
from cnnviz.viz import what_it_looks_at as figures
from cnnviz.viz.activations import probability_bars_figure

SURVEY = 12
"""Test images in the table of smallest flipping ε."""


@st.cache_data(max_entries=16, ttl=900, show_spinner=False)
def flip_survey(_network: Network, fingerprint: str, n: int = SURVEY) -> list[tuple]:
    """(test index, true class, smallest flipping ε or None) for the first n test images the
    network gets right, each nudged against its true class."""
    data, rows = _network.data, []
    for i in range(len(data.y_test)):
        if len(rows) == n:
            break
        sweep = fgsm.fgsm_sweep(_network.model, data.x_test[i], int(data.y_test[i]))
        if sweep.prediction == int(data.y_test[i]):
            rows.append((i, int(data.y_test[i]), sweep.flip_eps))
    return rows


def fool_view(subject: Subject) -> list[Callable]:
    """An ε slider, the nudge and its effect, the flip point, and a survey of test images."""
    model, names = subject.network.model, subject.network.class_names
    label = subject.class_index
    eps = settings.slider(EPS)
    st.latex(  # two lines: one would not fit a phone's width
        r"\begin{gathered} x' = \operatorname{clip}\big(x + \varepsilon \cdot "
        r"\operatorname{sign}(\partial L / \partial x),\ 0,\ 1\big) \\ "
        rf"\varepsilon = {eps:g} \end{{gathered}}"
    )
    nudge = fgsm.fgsm(model, subject.x, label, eps)
    changed = int(np.count_nonzero(nudge.changed))
    left, middle, right = st.columns([1, 1.3, 1], gap="medium")
    third = figures.THIRD_PX
    with left:
        widgets.chart(figures.input_figure(picture(nudge.image), title="Before", width_px=third))
    with middle:
        change = nudge.adversarial[0] - nudge.image[0]  # channel 0 (red of an RGB input)
        red = " (red channel)" if len(nudge.image) == 3 else ""
        widgets.chart(
            figures.signed_figure(change, title=f"The change x′ − x{red}", width_px=350,
                                  decimals=2)
        )  # fmt: skip
    with right:
        widgets.chart(
            figures.input_figure(picture(nudge.adversarial), title="After", width_px=third)
        )
    before, after = names[nudge.prediction], names[nudge.adversarial_prediction]
    largest = float(np.abs(nudge.adversarial - nudge.image).max())
    st.markdown(
        f"The loss of class **{names[label]}** is pushed up: {plural(changed, 'pixel')} moved, "
        f"none by more than ε (the largest change is {text_number(largest, 3)}). The answer "
        + (f"**flips from {before} to {after}**." if nudge.flipped else f"stays **{before}**.")
    )
    bars_before, bars_after = st.columns(2, gap="large")
    with bars_before:
        widgets.chart(probability_bars_figure(nudge.probabilities, labels=list(names),
                                              title="Probabilities before"))  # fmt: skip
    with bars_after:
        widgets.chart(probability_bars_figure(nudge.adversarial_probabilities,
                                              labels=list(names), title="…and after"))  # fmt: skip
    sweep = fgsm.fgsm_sweep(model, subject.x, label)
    widgets.chart(
        figures.flip_figure(
            sweep.eps,
            sweep.probabilities[:, sweep.prediction],
            answer=names[sweep.prediction],
            flip_eps=sweep.flip_eps,
            chosen_eps=eps,
            title="As ε grows",
        )  # fmt: skip
    )
    _survey(subject.network)
    return [fgsm.fgsm, fgsm.nudge, fgsm.fgsm_sweep]


def _survey(network: Network) -> None:
    names = network.class_names
    rows = flip_survey(network, network.fingerprint)
    own = network.data.name == lesson_8.NAME
    example, examples = ("held-out example", "its held-out examples") if own else (
        "test image", "the test set")  # fmt: skip
    lines = [f"| {example} | class (answered right) | smallest ε that flips it |", "|---|---|---|"]
    for i, true, flip in rows:
        shown = "none up to 0.5" if flip is None else f"**{flip:g}**"
        lines.append(f"| {i} | {names[true]} | {shown} |")
    flips = [flip for *_, flip in rows if flip is not None]
    st.markdown("\n".join(lines))
    if flips:
        st.markdown(
            f"{len(flips)} of {plural(len(rows), example)} flip with ε between {min(flips):g} and "
            f"{max(flips):g} (median {float(np.median(flips)):g}) — a change of at most "
            f"{100 * max(flips):.0f} % of the ink range per pixel. **What this shows:** the "
            f"network is accurate on {examples}, yet not robust: a small, deliberate change "
            f"that a person would hardly notice (or still read as the same {_thing(network)}) "
            "changes its answer. Accuracy on natural images says nothing about worst-case inputs; "
            "robustness has to be trained for (adversarial training), and even then it is "
            "partial."
        )


def _thing(network: Network) -> str:
    """What one example of the network's data is called: a digit or a shape."""
    if network.data.name == lesson_8.NAME:
        return "drawing"
    return "digit" if network.data.name == "digits" else "shape"
