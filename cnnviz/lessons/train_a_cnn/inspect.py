"""Lesson 7's views of the network: layer by layer, confusion and mistakes, inside one step.

Each view takes the learner's `TrainingRun` (its model, optimiser, data and last evaluation)
and draws it; nothing here trains. Maps are drawn with `cnnviz.viz.train_a_cnn`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz import nn
from cnnviz.lessons.train_a_cnn.live import finite
from cnnviz.lessons.train_a_cnn.network import GRAD
from cnnviz.lessons.train_a_cnn.settings import (
    CELL_KEY,
    CONFUSION_CHART_KEY,
    RUN_KEY,
    STEP_CHANNEL,
    STEP_FILTER,
    STEP_LAYER_KEY,
    TEST_IMAGE,
)
from cnnviz.nn.session import TrainingRun
from cnnviz.ui import settings, widgets
from cnnviz.viz import train_a_cnn as figures
from cnnviz.viz.activations import probability_bars_figure
from cnnviz.viz.formulas import plural


def activations(model: nn.TinyCNN, x: np.ndarray) -> dict[str, np.ndarray]:
    """Every layer's output for one input x (1, C, H, W), by layer name ("input" … "softmax")."""
    with np.errstate(all="ignore"):
        _, acts = model.forward(x, return_activations=True)
    return dict(acts)


def layer_trip(
    named: dict[str, np.ndarray],
    model: nn.TinyCNN,
    x: np.ndarray,
    class_names: tuple[str, ...],
    *,
    truth: str | None = None,
    answer: bool = True,
) -> None:
    """What the network says for one input x (1, C, H, W) (`verdict`), then every layer's
    output (``named``, from `activations`), input first, softmax last. The answer comes first:
    it reaches the browser before the dozen figures of how the network got there.

    answer : False when the caller has shown the answer already. Conv, ReLU and pool of a block
    share a row.
    """
    if answer:
        verdict(finite(named["softmax"][0]), class_names, truth=truth)
    st.markdown("**Input**")
    widgets.chart(
        figures.mosaic_figure(
            x[0],
            title=f"input {_shape(x.shape[1:])}",
            colorscale=figures.INK,
            symmetric=False,
            zmin=0,
            zmax=1,
            map_name="channel",
        )
    )
    for i in range(1, model.config.n_blocks + 1):
        st.markdown(f"**Block {i}** — convolution, ReLU, {model.config.pool}-pooling")
        columns = st.columns(3, gap="small")
        for column, name in zip(columns, (f"conv{i}", f"relu{i}", f"pool{i}"), strict=True):
            a = finite(named[name][0])  # (C, H, W)
            with column:
                widgets.chart(
                    figures.mosaic_figure(
                        a, title=f"{name} {_shape(a.shape)}", map_name="channel", width_px=300
                    )
                )
    flat, scores, probs = (finite(named[n][0]) for n in ("flatten", "dense", "softmax"))
    left, middle, right = st.columns([4, 3, 3], gap="medium")
    with left:
        widgets.chart(figures.vector_figure(flat, title=f"flatten: {flat.size} numbers"))
    with middle:
        widgets.chart(figures.scores_figure(scores, list(class_names), title="dense: scores"))
    with right:
        widgets.chart(
            probability_bars_figure(probs, labels=list(class_names), title="softmax: probabilities")
        )


def _shape(shape: tuple[int, int, int]) -> str:
    """A map's shape (C, H, W), as the lessons write it: "(H × W × C)"."""
    C, H, W = shape
    return f"({H} × {W} × {C})"


def test_image_view(run: TrainingRun) -> None:
    """One test image of the learner's choice through every layer."""
    data = run.data
    n = len(data.y_test)
    index = settings.slider(TEST_IMAGE, hi=n - 1)
    label = data.class_names[int(data.y_test[index])]
    st.markdown(f"Test image {index} is a **{label}** (the network never trained on it).")
    x = data.x_test[index : index + 1]
    layer_trip(activations(run.model, x), run.model, x, data.class_names, truth=label)


def verdict(probs: np.ndarray, class_names: tuple[str, ...], truth: str | None = None) -> None:
    """What the network says for probabilities (K,), and whether that is right (``truth``)."""
    if not np.isfinite(probs).all():
        st.warning("The network's outputs are not numbers any more (it diverged): press Reset.")
        return
    best = int(np.argmax(probs))
    text = f"The network says **{class_names[best]}** with {100 * probs[best]:.1f} % probability"
    if truth is not None:
        text += " — right" if class_names[best] == truth else f" — wrong, it is a {truth}"
    st.markdown(text + ".")


def confusion_view(run: TrainingRun) -> None:
    """The confusion matrix (click a cell to see its images) and the misclassified examples."""
    data, test = run.data, run.evaluation
    names = list(data.class_names)
    left, right = st.columns([5, 6], gap="large")
    with left:
        st.plotly_chart(
            figures.confusion_figure(
                test.confusion, names, title=f"Confusion matrix — test set, step {run.step:,}"
            ),
            key=CONFUSION_CHART_KEY,
            on_select=_cell_clicked,
            selection_mode="points",
            config=widgets.CHART_CONFIG,
        )
        st.caption("Rows: the true class. Columns: what the network said. Click a cell.")
    with right:
        true, predicted = st.session_state.get(CELL_KEY) or _worst_cell(test.confusion)
        chosen = np.flatnonzero((data.y_test == true) & (test.predictions == predicted))
        what = f"true {names[true]}, predicted {names[predicted]}"
        if chosen.size == 0:
            st.info(f"No test image is {what}.")
        else:
            _examples(data, test, chosen, f"{plural(chosen.size, 'test image')}: {what}")
    wrong = np.flatnonzero(data.y_test != test.predictions)
    verb = "is" if wrong.size == 1 else "are"
    st.markdown(
        f"**{wrong.size:,} of {plural(len(data.y_test), 'test image')} {verb} misclassified.**"
        + (" Here are the first ones:" if wrong.size else "")
    )
    if wrong.size:
        _examples(data, test, wrong, "Misclassified: true → predicted")


def _cell_clicked() -> None:
    event = st.session_state[CONFUSION_CHART_KEY]
    points = event.selection.points if event else []
    run: TrainingRun | None = st.session_state.get(RUN_KEY)
    if not points or run is None:
        return
    names = list(run.data.class_names)
    x, y = str(points[0].get("x")), str(points[0].get("y"))
    if x in names and y in names:
        st.session_state[CELL_KEY] = (names.index(y), names.index(x))


def _worst_cell(confusion: np.ndarray) -> tuple[int, int]:
    """The most frequent mistake (or the first class's correct cell when there is none)."""
    mistakes = confusion.copy()
    np.fill_diagonal(mistakes, 0)
    if mistakes.max() == 0:
        return 0, 0
    true, predicted = np.unravel_index(np.argmax(mistakes), mistakes.shape)
    return int(true), int(predicted)


def _examples(data, test: nn.Evaluation, indices: np.ndarray, title: str) -> None:
    """Up to 24 test images (`indices` into data.x_test (M, 1, H, W)), captioned true→said."""
    shown = indices[:24]
    names = data.class_names
    captions = [f"{names[data.y_test[i]]}→{names[test.predictions[i]]}" for i in shown]
    if len(names[0]) > 2:  # long class names: number the tiles, names on hover would clutter
        captions = [f"#{i}" for i in shown]
    widgets.chart(
        figures.mosaic_figure(
            data.x_test[shown, 0],
            title=title,
            captions=captions,
            colorscale=figures.INK,
            symmetric=False,
            zmin=0,
            zmax=1,
            printed=False,
            map_name="image",
            columns=min(len(shown), 8),
            cell_px=88 // data.x_test.shape[-1] + 1,  # 12 px for 8×8 digits, 4 px for 28×28
        )
    )


# --- one step, up close -----------------------------------------------------------------------


def inside_step_view(run: TrainingRun) -> nn.FilterStep | None:
    """The gradient and the update of one filter in the last step, with real numbers."""
    config = run.model.config
    layer_col, filter_col, channel_col = st.columns(3)
    layer = layer_col.selectbox(
        "Conv layer",
        [f"conv{i}" for i in range(1, config.n_blocks + 1)],
        key=STEP_LAYER_KEY,
    )
    F, C = run.model.params[f"{layer}.w"].shape[:2]
    with filter_col:
        index = settings.slider(STEP_FILTER, hi=F - 1)
    with channel_col:
        channel = settings.slider(STEP_CHANNEL, hi=C - 1)
    try:
        step = nn.filter_step(run.model, run.optimizer, layer, index)
    except ValueError:
        st.info(
            "No training step has been taken yet (or the optimiser changed since): press "
            "**Step** to train on one batch, then look here.",
            icon=":material/skip_next:",
        )
        return None
    for column, (title, values) in zip(st.columns(4, gap="small"), _panels(step), strict=True):
        exponent, decimals = figures.unit_format(values[channel])
        with column:
            widgets.chart(
                figures.mosaic_figure(
                    values[channel][None],
                    title=title + figures.unit_title(exponent),
                    printed=True,
                    decimals=decimals,
                    unit_exponent=exponent,
                    map_name="weight",
                    cell_px=58,
                    width_px=STEP_TILE_PX,
                )
            )
    st.latex(update_latex(step, channel))
    st.caption(_update_words(step))
    return step


STEP_TILE_PX = 200
"""Narrowest width of one of the four tiles of "Inside one step" (a quarter of a laptop page)."""


def _panels(step: nn.FilterStep) -> tuple[tuple[str, np.ndarray], ...]:
    """The four tiles of one step, (C, k, k) each: weights, gradient, change, new weights."""
    return (
        ("w before", step.w_before),
        ("dL/dw", step.grad),
        ("change", step.update),
        ("w after", step.w_after),
    )


def update_latex(step: nn.FilterStep, channel: int) -> str:
    """The update of the filter's top-left weight, one line per equals sign.

    Every number is written exactly as its tile prints it (`figures.unit_format` of that tile),
    so the equation and the tiles show the same numbers; long lines are broken (aligned) so the
    formula fits a laptop's quarter page.
    """
    w0, g, change, w1 = (_as_tile(values, channel) for _, values in _panels(step))
    lr = f"{step.lr:g}"
    if step.optimizer == "sgd":
        delta = [rf"\Delta w &= -\eta\,{GRAD}", rf"&= -{lr} \cdot {_paren(g)} = {change}"]
    elif step.optimizer == "momentum":
        delta = [rf"\Delta w = v &\leftarrow \mu\, v - \eta\,{GRAD}", rf"&= {change}"]
    else:
        delta = [
            r"\Delta w &= -\eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}",
            rf"&= {change}",
        ]
    lines = [
        rf"{GRAD} &= {g}",
        *delta,
        r"w_{\text{after}} &= w + \Delta w",
        rf"&= {w0} + {_paren(change)}",
        rf"&= {w1}",
    ]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def _as_tile(values: np.ndarray, channel: int) -> str:
    """The top-left value of `values[channel]` in LaTeX, as its tile prints it."""
    exponent, decimals = figures.unit_format(values[channel])
    return figures.scaled_latex(float(values[channel, 0, 0]), exponent, decimals)


def _paren(latex: str) -> str:
    return f"({latex})" if latex.startswith("-") or r"\times" in latex else latex


def _prose(value: float) -> str:
    """One number for a sentence, as readable as a tile: −0.1234, 4.613 × 10⁻⁵."""
    exponent, decimals = figures.unit_format(np.array([value]))
    text = figures.scaled_text(value, exponent, decimals)
    return text + figures.unit_title(exponent).replace(" (", " ").rstrip(")")


def _update_words(step: nn.FilterStep) -> str:
    if step.optimizer == "sgd":
        return (
            f"Plain SGD: every weight moves against its gradient, by the learning rate "
            f"{step.lr:g} times the gradient. The bias too: {_prose(step.bias_before)} − "
            f"{step.lr:g} · ({_prose(step.bias_grad)}) = {_prose(step.bias_after)}."
        )
    if step.optimizer == "momentum":
        return (
            "Momentum: the change v is 0.9 × the previous change minus the learning rate × this "
            "gradient, so steps keep going in directions the gradient keeps pointing to."
        )
    return (
        "Adam: the change divides a running mean of the gradient (m̂) by the square root of a "
        "running mean of its square (v̂), so every weight moves about the learning rate per step "
        "whatever the size of its gradient."
    )
