"""Which network, which example, which class: chosen once at the top, explained by every view.

`available_networks` is the one list of networks the lesson can explain: the learner's lesson-7
network when this session has one, lesson 8's transfer and from-scratch networks once they have
trained (`lesson_8`), and the shipped pre-trained digits network always. A learner's network
is explained from a snapshot of its weights, so nothing here (or in a view) can change the
model lesson 7 or 8 trains.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from cnnviz.data import own_classes, preprocess
from cnnviz.data.pretrained_digits import load_digits_cnn
from cnnviz.lessons.train_a_cnn.run import dataset
from cnnviz.lessons.train_a_cnn.settings import RUN_KEY
from cnnviz.lessons.what_it_looks_at import drawing, lesson_8
from cnnviz.lessons.what_it_looks_at.settings import (
    CLASS,
    EXAMPLE,
    NETWORK,
    NETWORKS,
    PREDICTED,
    SOURCE,
)
from cnnviz.nn.layers import softmax
from cnnviz.nn.model import TinyCNN
from cnnviz.ui import settings, widgets
from cnnviz.ui.settings import asked_key
from cnnviz.viz import what_it_looks_at as figures

TRAIN_PAGE = "pages/7_Train_a_CNN.py"
OWN_PAGE = "pages/8_Your_Own_Classes.py"


@dataclass(frozen=True, eq=False)
class Network:
    """A network the lesson explains.

    key : its `NETWORK` choice.  model : read only (a snapshot of a learner's).
    data : its data set (x_test (N, C, H, W), y_test, class_names, name).
    about : one sentence saying which network this is.  fingerprint : changes with the weights.
    """

    key: str
    model: TinyCNN
    data: Any
    about: str
    fingerprint: str
    untrained: bool = False

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(self.data.class_names)


@dataclass(frozen=True, eq=False)
class Subject:
    """What every view explains: one network, one example, one class.

    x : (1, C, H, W) float32 0..1.  label : the true class, if known (test images).
    probabilities : (K,) the network's softmax for x.  class_index : the class explained.
    """

    network: Network
    x: np.ndarray
    label: int | None
    name: str
    probabilities: np.ndarray
    class_index: int

    @property
    def prediction(self) -> int:
        return int(np.argmax(self.probabilities))

    @property
    def image(self) -> np.ndarray:
        """(H, W) channel 0 of the input (its size and gray maps)."""
        return self.x[0, 0]

    @property
    def picture(self) -> np.ndarray:
        """The input as drawn: (H, W) gray or (3, H, W) RGB (`picture`)."""
        return picture(self.x[0])

    @property
    def class_name(self) -> str:
        return self.network.class_names[self.class_index]


def picture(x: np.ndarray) -> np.ndarray:
    """One input (C, H, W) as the figures draw it: (H, W) when gray, (3, H, W) when RGB."""
    return x if x.shape[0] == 3 else x[0]


def fingerprint(model: TinyCNN) -> str:
    """A short hash of the architecture and every weight (a cache key that follows training)."""
    digest = hashlib.sha1(repr(model.config).encode())
    for name in sorted(model.params):
        digest.update(np.ascontiguousarray(model.params[name]).tobytes())
    return digest.hexdigest()[:16]


def _snapshot(model: TinyCNN) -> TinyCNN:
    params = {name: value.copy() for name, value in model.params.items()}
    for value in params.values():
        value.flags.writeable = False
    return TinyCNN(model.config, params)


def finite(model: TinyCNN) -> bool:
    """True when every weight is a finite number (a diverged network's are not)."""
    return all(np.isfinite(value).all() for value in model.params.values())


def lesson_7_run():
    """Lesson 7's run in this session, or None."""
    return st.session_state.get(RUN_KEY)


def unusable(run) -> bool:
    """A lesson-7 run that cannot be explained: it diverged (its weights are not numbers)."""
    return run is not None and (run.diverged or not finite(run.model))


def available_networks() -> dict[str, Network]:
    """Every network that can be explained now, by `NETWORK` choice, in `NETWORKS` order.

    A learner's network that diverged (or whose weights are not all finite) is left out: its
    explanations would be NaN everywhere.
    """
    found = {}
    run = lesson_7_run()
    if run is not None and not unusable(run):
        model = _snapshot(run.model)
        accuracy = run.evaluation.accuracy if run.evaluation else float("nan")
        filters = " → ".join(str(f) for f in model.config.filters)
        found["yours"] = Network(
            "yours", model, run.data,
            f"**Your network from lesson 7**: {model.config.n_blocks} conv blocks ({filters} "
            f"filters, {model.config.kernel_size} × {model.config.kernel_size}), trained for "
            f"{run.step:,} steps on the {run.data.name}, {100 * accuracy:.1f} % right on the "
            "test set.", fingerprint(model), untrained=run.step == 0,
        )  # fmt: skip
    found.update(_lesson_8_networks())
    model, info = load_digits_cnn()
    found["shipped"] = Network(
        "shipped", model, dataset("digits"),
        "**The shipped pre-trained network**: lesson 7's default (conv 3 × 3 × 8 → pool → conv "
        f"3 × 3 × 16 → pool → dense), trained on the digits for {info['steps']:,} steps, "
        f"{100 * info['test_accuracy']:.1f} % right on the test set.", "shipped",
    )  # fmt: skip
    return {key: found[key] for key in NETWORKS if key in found}


def _lesson_8_networks() -> dict[str, Network]:
    """Lesson 8's networks that have trained (each a snapshot), by `NETWORK` choice."""
    found = {}
    for name, run in lesson_8.runs().items():
        if lesson_8.explainable(run):
            model = _snapshot(run.model)
            about = lesson_8.about(name, run, model)
            found[name] = Network(name, model, lesson_8.own_data(run), about, fingerprint(model))
    return found


def network_picker() -> Network:
    """Choose among `available_networks` (a caption when there is only one) and say plainly
    which network every view below explains."""
    networks = available_networks()
    asked = st.session_state.get(NETWORK.key)
    if asked not in networks and asked in NETWORK.choices and asked != NETWORK.default:
        st.info(
            f"The link asked for {NETWORK.label_of(asked).lower()}, but this session has none "
            "that has trained (train it in lesson 8 first); explaining "
            f"{NETWORK.label_of(next(iter(networks))).lower()} instead.",
            icon=":material/link:",
        )
    if len(networks) > 1:
        if asked not in networks:
            st.session_state[NETWORK.key] = next(iter(networks))
        chosen = _radio(tuple(networks))
    else:
        chosen = next(iter(networks))
    network = networks[chosen]
    st.markdown(f"Explained here: {network.about}")
    if unusable(lesson_7_run()):
        st.warning(
            "Your lesson-7 network diverged: its weights are no longer numbers, so there is "
            "nothing to explain. The shipped network is explained instead; press Reset in "
            "lesson 7 (perhaps with a smaller learning rate) and train again.",
            icon=":material/warning:",
        )
    elif chosen == "shipped" and len(networks) == 1:
        st.caption(
            "You have not trained a network in lesson 7 or 8 in this session, so the shipped one "
            "is explained. Train your own there and come back: this page will explain yours."
        )
    # One under the other: side by side, a third of the page cuts their labels.
    st.page_link(TRAIN_PAGE, label="Train your own in lesson 7", icon=":material/model_training:")
    st.page_link(OWN_PAGE, label="Your own classes: lesson 8", icon=":material/category:")
    if network.untrained:
        st.warning("Your network has not trained yet: these are explanations of random weights.")
    return network


def _radio(keys: tuple[str, ...]) -> str:
    return st.radio(
        NETWORK.label, keys, key=NETWORK.key, format_func=NETWORK.label_of, horizontal=True
    )


def example_picker(network: Network) -> Subject:
    """A test image, a drawing or an upload, its answer, and the class to explain."""
    data = network.data
    thing = _thing(data)
    source = settings.radio(SOURCE)
    n_test = len(data.y_test)
    x, label, name = None, None, ""
    if source in ("draw", "upload"):
        image = drawing.drawing(thing) if source == "draw" else drawing.upload(thing)
        if image is not None:
            try:
                x = drawing.prepare(image, data)
                name = "your drawing" if source == "draw" else "your image"
            except (preprocess.PreprocessError, own_classes.ExampleError) as error:
                st.warning(f"This input cannot be used: {error}.", icon=":material/draw:")
        if x is None:
            st.caption("Until there is one, every view explains the test image chosen below.")
    if x is None:
        index = settings.slider(EXAMPLE, hi=n_test - 1)
        x, label = data.x_test[index : index + 1], int(data.y_test[index])
        name = f"{'held-out example' if data.name == lesson_8.NAME else 'test image'} {index}"
    probabilities = softmax(network.model.forward(x))[0]
    return Subject(network, x, label, name, probabilities, class_picker(network, probabilities))


def _thing(data) -> str:
    """What one example is called in "Draw a …" and "A photo of one …"."""
    if data.name == "digits":
        return "digit"
    names = list(data.class_names)
    listed = ", ".join(names[:-1]) + " or " + names[-1]
    return listed if data.name == lesson_8.NAME else f"shape ({listed})"


def class_picker(network: Network, probabilities: np.ndarray) -> int:
    """The class to explain: the predicted one (default) or any other."""
    names = network.class_names
    predicted = int(np.argmax(probabilities))
    asked = st.session_state.pop(asked_key(CLASS), None)
    value = st.session_state.get(CLASS.key, PREDICTED)
    if not isinstance(value, int):  # never expected; a stale widget value must not crash
        st.session_state[CLASS.key] = value = PREDICTED
    if value >= len(names):
        st.session_state[CLASS.key] = PREDICTED
        if asked is not None:
            st.info(
                f"The link asked for class {asked:g}, but this network has classes 0 to "
                f"{len(names) - 1}; explaining the predicted class.",
                icon=":material/link:",
            )
    chosen = st.selectbox(
        CLASS.label,
        (PREDICTED, *range(len(names))),
        key=CLASS.key,
        # Labels must not change between runs: the browser sends back the chosen label.
        format_func=lambda i: "The predicted class" if i == PREDICTED else names[i],
    )
    return predicted if chosen == PREDICTED else int(chosen)


EXAMPLE_PX = 280
"""Width of the example's chart: about a third of a laptop page, wide enough for its 8 × 8 values
(0.00) to be printed; a wider figure leaves a gap below."""


def example_panel(subject: Subject) -> None:
    """The example as the network sees it, and what the network says."""
    names = subject.network.class_names
    p = subject.probabilities
    H, W = subject.image.shape
    widgets.chart(
        figures.input_figure(
            subject.picture, title=f"{subject.name.capitalize()} ({H} × {W})", width_px=EXAMPLE_PX
        )
    )
    text = f"The network says **{names[subject.prediction]}** ({100 * p[subject.prediction]:.1f} %)"
    if subject.label is not None:
        right = subject.label == subject.prediction
        text += " — right." if right else f" — wrong, it is a **{names[subject.label]}**."
    st.markdown(text)
    st.markdown(
        f"Every view explains class **{subject.class_name}** "
        f"({100 * p[subject.class_index]:.1f} %)."
    )
