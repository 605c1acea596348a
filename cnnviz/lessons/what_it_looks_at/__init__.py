"""Lesson 9, what does the network look at? Six explanations of one network's answer.

One module per idea; the maths is `cnnviz.explain`, the figures `cnnviz.viz.what_it_looks_at`:

- `settings`: every setting declared once (the view lives in the link)
- `choose`: which network (`available_networks`), which example, which class — once for all views
- `drawing`: a drawn or uploaded example, prepared like lesson 7's
- `field`: receptive field, its arithmetic table and the gradient check
- `gradients`: saliency (with a finite-difference check) and Grad-CAM
- `occlusion`: the sliding grey patch and its count of forward passes
- `filter`: what a filter (or class) wants, its weights and top test examples
- `fool`: FGSM, the flip point and a survey of test images
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cnnviz.explain.receptive_field import field_table
from cnnviz.lessons.what_it_looks_at.choose import (
    Network,
    Subject,
    available_networks,
    example_panel,
    example_picker,
    network_picker,
)
from cnnviz.lessons.what_it_looks_at.field import field_view
from cnnviz.lessons.what_it_looks_at.filter import filter_view
from cnnviz.lessons.what_it_looks_at.fool import fool_view
from cnnviz.lessons.what_it_looks_at.gradients import gradcam_view, saliency_view
from cnnviz.lessons.what_it_looks_at.occlusion import occlusion_view
from cnnviz.lessons.what_it_looks_at.settings import (
    CANVAS_KEY,
    CLASS,
    EPS,
    EXAMPLE,
    LAYER,
    NETWORK,
    PATCH,
    QUIZ_KEY,
    SETTINGS,
    SOURCE,
    STRIDE,
    UPLOAD_KEY,
    VIEW,
)
from cnnviz.quiz import what_it_looks_at_questions

VIEWS: dict[str, Callable[[Subject], list[Callable]]] = {
    "field": field_view,
    "saliency": saliency_view,
    "occlusion": occlusion_view,
    "gradcam": gradcam_view,
    "filter": filter_view,
    "fool": fool_view,
}
"""Each view draws itself for the subject and returns the library functions that ran."""


def view_picker() -> str:
    """Which one of the six views is drawn (only that one is computed)."""
    return st.segmented_control(
        VIEW.label, VIEW.choices, key=VIEW.key, format_func=VIEW.label_of, required=True
    )


def show_view(name: str, subject: Subject) -> list[Callable]:
    """Draw view `name` for `subject`; returns the functions "The NumPy behind this" shows."""
    return VIEWS[name](subject)


def questions(network: Network) -> list:
    """ "Check yourself" from the settings on screen, kept within this network's bounds."""
    config = network.model.config
    names = [row.name for row in field_table(config)]
    layer = LAYER.value if LAYER.value in names else names[-1]
    H = config.input_shape[1]
    patch = min(max(int(PATCH.value), 1), H)
    stride = min(max(int(STRIDE.value), 1), H)
    questions = what_it_looks_at_questions(
        config, layer=layer, patch=patch, stride=stride, eps=float(EPS.value)
    )
    first = FIRST_QUESTION.get(VIEW.value, 0)  # the shown view's question comes first
    return questions[first:] + questions[:first]


FIRST_QUESTION = {"occlusion": 1, "fool": 3}
"""Which of `what_it_looks_at_questions` a view asks first (the others: the receptive field)."""


__all__ = [
    "CANVAS_KEY",
    "CLASS",
    "EPS",
    "EXAMPLE",
    "NETWORK",
    "QUIZ_KEY",
    "SETTINGS",
    "SOURCE",
    "UPLOAD_KEY",
    "VIEW",
    "VIEWS",
    "Network",
    "Subject",
    "available_networks",
    "example_panel",
    "example_picker",
    "network_picker",
    "questions",
    "show_view",
    "view_picker",
]
