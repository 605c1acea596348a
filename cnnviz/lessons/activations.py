"""Lesson 6, activations and softmax: its settings and views — the activation curves, an
activated feature map and the softmax calculator.

The maths is in `cnnviz.ops.activations` (and `cnnviz.ops.conv` for the feature map), the
figures in `cnnviz.viz.activations`; this module holds the cached calls and the Streamlit glue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz.data import kernels, samples
from cnnviz.numbers import MINUS, text_number
from cnnviz.ops import activations, conv, pixels
from cnnviz.ui import cached, settings, widgets
from cnnviz.ui.settings import ChoiceSetting, FloatSetting, IntSetting, TextSetting
from cnnviz.viz import activations as figures

TITLES = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "sigmoid": "Sigmoid", "tanh": "tanh"}
"""Display names of `activations.ACTIVATIONS`, in the order the page offers them."""

CURVE_XS = np.linspace(-6.0, 6.0, 121)
MAP_SIDE = 128
"""The photo is shrunk to this longest side before filtering: every value still has hover."""

DEFAULT_SCORES = "2, 1, 0.1"
EXAMPLES = {
    "Digit classifier output": "0, 9.21, 9.21, 11.225, 0, 0, 0, 0, 0, 8.517",
    "Very large scores": "1000, 1001, 1002",
    "Equal scores": "3, 3, 3, 3",
    "Start again": DEFAULT_SCORES,
}
"""One-click score examples. The digit classifier's scores are log-probabilities (plus a
constant, which softmax ignores) of [0, .1, .1, .75, 0, 0, 0, 0, 0, .05], each 0 taken as
0.00001: softmax turns them back into those probabilities."""


_signed = text_number  # a short number with a true minus sign (readable on a projector)


def normalised_scores(text: str) -> str:
    """Typed scores in canonical form (for the URL); raises `activations.ScoresError`."""
    return activations.format_scores(activations.parse_scores(text))


# --- settings: each declared once (key, link name, label, default, bounds) ---------------------

FUNCTION = ChoiceSetting(
    key="act_function", url="fn", label="Activation", default="relu", choices=tuple(TITLES),
    labels=TITLES,
)  # fmt: skip
X = FloatSetting(key="act_x", url="x", label="x", default=-1.5, lo=-6.0, hi=6.0, step=0.1)
SLOPE = FloatSetting(
    key="act_slope", url="slope", label="Leaky ReLU slope a", default=0.1, lo=0.0, hi=0.5,
    step=0.01, help="Only leaky ReLU uses it: f(x) = a·x for x ≤ 0.",
)  # fmt: skip
IMAGE = ChoiceSetting(
    key="act_image", url="image", label="Photo", default="chelsea",
    choices=tuple(samples.sample_names()), labels=lambda name: samples.SAMPLES[name].title,
)  # fmt: skip
KERNEL = ChoiceSetting(
    key="act_kernel", url="kernel", label="Filter (from lesson 3)",
    default="sobel_vertical_edges", choices=tuple(kernels.PRESETS),
    labels=lambda name: kernels.PRESETS[name].title,
)  # fmt: skip
CROP = IntSetting(key="act_crop_size", url="crop", label="Crop size", default=8, lo=4, hi=16)
ROW, COL = settings.position_settings("act_crop", at=(27, 46))
SCORES = TextSetting(
    key="act_scores_link", url="scores", label="Scores (logits), 2 to 10 numbers separated by "
    "commas", default=DEFAULT_SCORES, normalise=normalised_scores,
)  # fmt: skip
"""The last scores that could be used: the link carries these, never a typo. The box the
learner types in (`SCORES_BOX_KEY`) starts from them; `read_scores` updates them."""
SCORES_BOX_KEY = "act_scores"
TEMPERATURE = FloatSetting(
    key="act_temperature", url="T", label="Temperature T", default=1.0, lo=0.1, hi=10.0,
    step=0.1,
)  # fmt: skip
SETTINGS = (FUNCTION, X, SLOPE, IMAGE, KERNEL, CROP, ROW, COL, SCORES, TEMPERATURE)
"""Every setting the link carries, in the link's order."""
QUIZ_KEY = "act_quiz"


def curve_controls() -> tuple[str, float, float]:
    """The activation, the point x and leaky ReLU's slope; returns (name, x, slope)."""
    name = settings.radio(FUNCTION)
    point, leak = st.columns(2, gap="large")
    x = settings.slider(X, container=point)
    slope = settings.slider(SLOPE, container=leak, disabled=name != "leaky_relu")
    return name, x, slope


def map_controls() -> tuple[str, str]:
    """The photo and the lesson-3 filter, with the filter's explanation; (image, preset)."""
    photo, kernel = st.columns(2, gap="large")
    image_name = settings.select(IMAGE, container=photo)
    preset = settings.select(KERNEL, container=kernel)
    kernel.caption(kernels.PRESETS[preset].explanation)
    return image_name, preset


def crop_controls(shape: tuple[int, int]) -> tuple[int, int, int, int]:
    """Crop size, top row and left column inside a (H, W) map; returns (row, col, size, size)."""
    H, W = shape
    size_col, row_col, col_col = st.columns(3, gap="large")
    size = settings.slider(CROP, lo=min(4, H, W), hi=min(16, H, W), container=size_col)
    row = settings.slider(ROW, hi=H - size, container=row_col)
    col = settings.slider(COL, hi=W - size, container=col_col)
    return row, col, size, size


def softmax_controls() -> tuple[str, float]:
    """The scores box, the temperature and the example buttons; returns (typed text, T)."""
    typed, heat = st.columns([3, 2], gap="large")
    st.session_state.setdefault(SCORES_BOX_KEY, SCORES.value)
    text = typed.text_input(SCORES.label, key=SCORES_BOX_KEY)
    temperature = settings.slider(TEMPERATURE, container=heat)
    for column, (label, scores) in zip(st.columns(len(EXAMPLES)), EXAMPLES.items(), strict=True):
        column.button(label, on_click=set_scores, args=(scores,), width="stretch")
    return text, temperature


@st.cache_resource(max_entries=256, show_spinner=False)
def _curves_figure(name: str, x: float, slope: float) -> go.Figure:
    """All four curves with the point at ``x``; shared between sessions and never modified,
    so dragging x back and forth (on a 0.1 grid) mostly reuses figures."""
    curves = {TITLES[n]: activations.activate(n, CURVE_XS, slope) for n in TITLES}
    slopes = {TITLES[n]: activations.activate_grad(n, CURVE_XS, slope) for n in TITLES}
    values = {TITLES[n]: float(activations.activate(n, x, slope)) for n in TITLES}
    return figures.activation_curves_figure(
        CURVE_XS, curves, slopes, values, x=x, chosen=TITLES[name]
    )


def curves_section(name: str, x: float, slope: float) -> None:
    """All four activations with the point at ``x``; the chosen one's arithmetic written out."""
    widgets.chart(_curves_figure(name, x, slope))
    value = float(activations.activate(name, x, slope))
    st.latex(figures.activation_latex(name, x, value, slope))
    grad = float(activations.activate_grad(name, x, slope))
    st.caption(
        f"Slope of {TITLES[name]} at x = {_signed(x)}: f′(x) = {_signed(grad, 4)} — the factor "
        "by which backpropagation scales the gradient passing through this unit."
    )


@st.cache_data(max_entries=32, show_spinner=False)
def feature_map(image_name: str, preset: str) -> np.ndarray:
    """A lesson-3 feature map: the sample photo in gray, shrunk, scaled to 0–1, filtered.

    Returns (H_out, W_out) float64 raw responses of ``correlate2d`` (no padding).
    """
    gray = pixels.channel(cached.sample_image(image_name), "gray")
    H, W = gray.shape
    scale = MAP_SIDE / max(H, W)
    small = pixels.resize(gray, max(1, round(H * scale)), max(1, round(W * scale)))
    # Networks take pixels scaled to 0-1, so responses are a few units, not hundreds.
    return conv.correlate2d(small / 255.0, kernels.PRESETS[preset].array)


@st.cache_data(max_entries=64, show_spinner=False)
def activated(name: str, values: np.ndarray, slope: float) -> np.ndarray:
    """`activations.activate` for the page (same shape as ``values``)."""
    return activations.activate(name, values, slope)


@st.cache_resource(max_entries=32, show_spinner=False)
def _map_figure(
    values: np.ndarray, title: str, window: tuple[int, int, int, int] | None, height_px: int
) -> go.Figure:
    """`figures.activated_map_figure`, built once per map: moving x or typing scores reruns the
    page but leaves the maps alone, and rebuilding four heatmaps would dominate the rerun.
    The figure is shared between sessions, so it is never modified after it is built."""
    return figures.activated_map_figure(values, title=title, window=window, height_px=height_px)


def map_pair(
    before: np.ndarray,
    after: np.ndarray,
    title: str,
    *,
    window: tuple[int, int, int, int] | None = None,
    height_px: int = 360,
) -> None:
    """The same map before and after the activation, side by side with their sizes."""
    H, W = before.shape
    left, right = st.columns(2, gap="medium")
    with left:
        widgets.chart(_map_figure(before, f"Before: raw map {H} × {W}", window, height_px))
    with right:
        widgets.chart(_map_figure(after, f"After {title} {H} × {W}", window, height_px))


def map_summary(before: np.ndarray, after: np.ndarray, title: str) -> None:
    """One sentence with the counts and ranges the maps show."""
    negative = int(np.count_nonzero(before < 0))
    st.markdown(
        f"Before: **{negative}** of {before.size} values are negative, from "
        f"{_signed(before.min(), 2)} to {_signed(before.max(), 2)}. After {title}: from "
        f"{_signed(after.min(), 2)} to {_signed(after.max(), 2)}."
    )


@dataclass(frozen=True)
class SoftmaxResult:
    """What the calculator computed: the scores, the steps, and the most likely class."""

    scores: np.ndarray
    steps: activations.SoftmaxSteps
    top: int


def set_scores(text: str) -> None:
    """Button callback: put ``text`` into the scores box."""
    st.session_state[SCORES_BOX_KEY] = text


def read_scores(text: str, temperature: float) -> SoftmaxResult | None:
    """Parse the typed scores and run softmax; a problem is shown as an error, not raised."""
    try:
        scores = activations.parse_scores(text)
    except activations.ScoresError as error:
        st.error(f"These scores cannot be used. {error}", icon=":material/block:")
        return None
    # Only scores that work go into the link: a typo keeps the last good ones there.
    st.session_state[SCORES.key] = activations.format_scores(scores)
    steps = activations.softmax_steps(scores, temperature)
    return SoftmaxResult(scores, steps, int(np.argmax(steps.probabilities)))


def softmax_view(result: SoftmaxResult) -> None:
    """Bars beside the sentence reading them and the overflow note; then the top class's sum."""
    steps, top = result.steps, result.top
    p = steps.probabilities
    bars, reading = st.columns([3, 2], gap="large")
    with bars:
        widgets.chart(
            figures.probability_bars_figure(
                p,
                title=f"Probabilities (sum {text_number(p.sum(), 6)}), "
                f"temperature {text_number(steps.temperature)}",
            )
        )
    with reading:
        st.markdown(reading_text(p))
        overflow_note(steps)
    st.latex(
        figures.softmax_latex(steps.shifted, steps.exps, top, scaled_max=float(steps.scaled.max()))
    )


def _classes(indices: list[int]) -> str:
    """“0”, “1” and “2”."""
    names = [f"“{k}”" for k in indices]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _top_group(p: np.ndarray, among: list[int]) -> list[int]:
    """The classes of ``among`` sharing its highest probability (equal scores give exactly
    equal probabilities; the tolerance only absorbs the last bit of rounding)."""
    best = max(p[k] for k in among)
    return sorted(k for k in among if np.isclose(p[k], best, rtol=1e-9, atol=0))


def reading_text(p: np.ndarray) -> str:
    """One sentence reading the probabilities (K,), honest about ties (first and next place)."""
    everyone = list(range(p.size))
    tied = _top_group(p, everyone)
    percent = f"{100 * p[tied[0]]:.1f}%"
    if len(tied) == p.size:
        return f"Read it as: **all {p.size} classes are equally likely ({percent} each)**."
    if len(tied) > 1:
        first = f"**classes {_classes(tied)} tie at {percent} each**"
    else:
        first = f"**{percent} class “{tied[0]}”**"
    rest = _top_group(p, [k for k in everyone if k not in tied])
    second = f"{100 * p[rest[0]]:.1f}%"
    if len(rest) > 1:
        return f"Read it as: {first}; next are classes {_classes(rest)} with {second} each."
    return f"Read it as: {first}; next is class “{rest[0]}” with {second}."


def steps_table(steps: activations.SoftmaxSteps) -> None:
    """Every intermediate number, one column per class, including the naive formula's."""
    st.table(_steps_table(steps))


def _steps_table(steps: activations.SoftmaxSteps) -> dict[str, list[str]]:
    """Rows of the calculation, one column per class (all as text, so nothing is rounded away)."""
    naive_p = steps.naive_probabilities
    rows = {
        "score z": steps.scores,
        "z / T": steps.scaled,
        "z / T − m": steps.shifted,
        "e^(z / T − m)": steps.exps,
        "probability": steps.probabilities,
        "naive e^(z / T)": steps.naive_exps,
        "naive probability": naive_p,
    }
    columns = {
        f"class {k}": [_cell(values[k]) for values in rows.values()]
        for k in range(steps.scores.size)
    }
    return {"": list(rows), **columns}


def _cell(value: float) -> str:
    value = float(value)
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "∞ (overflow)"
    if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
        return f"{value:.3e}".replace("-", MINUS)
    return text_number(value, 4)


def overflow_explanation(steps: activations.SoftmaxSteps) -> str:
    """Which naive exponentials overflow, and exactly what that does to each naive probability.

    For scores "1000, 0": e^1000 is ∞ and e^0 is 1, so the sum is ∞ and the naive
    probabilities are ∞ / ∞ = NaN for class 0 and 1 / ∞ = 0 for class 1.
    """
    overflowed = [k for k in range(steps.scores.size) if np.isinf(steps.naive_exps[k])]
    finite = [k for k in range(steps.scores.size) if k not in overflowed]
    biggest = float(steps.scaled.max())
    shown = [f"e^{_signed(float(steps.scaled[k]))}" for k in overflowed[:3]]
    if len(overflowed) > 3:
        exponents = ", ".join(shown) + " …"
    else:
        exponents = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    text = (
        f"**Without the trick these scores break softmax.** {exponents} "
        f"{'is' if len(overflowed) == 1 else 'are'} far beyond the largest float64 number "
        f"(about e^{activations.FLOAT64_EXP_LIMIT:.2f} ≈ 1.8·10³⁰⁸), so the computer stores "
        f"{'it' if len(overflowed) == 1 else 'them'} as ∞ and the sum is ∞ too. "
        f"The naive probability of {_class_list(overflowed)} is ∞ / ∞ = **NaN**"
    )
    if finite:
        verb = "gets" if len(finite) == 1 else "get"
        text += f"; {_class_list(finite)} {verb} (a finite number) / ∞ = **0**"
    return (
        text + ". Subtracting the largest score first makes every exponent ≤ 0 "
        f"(here e^{_signed(biggest)} becomes e^0 = 1), so each e^… lies between 0 and 1 and "
        "the sum is at least 1: nothing overflows, and the answer is the same."
    )


def _class_list(indices: list[int]) -> str:
    """``class 0``, ``classes 0 and 2`` or ``classes 0, 1 and 2``."""
    if len(indices) == 1:
        return f"class {indices[0]}"
    return f"classes {_classes(indices).replace('“', '').replace('”', '')}"


def overflow_note(steps: activations.SoftmaxSteps) -> None:
    """Explain why the naive formula fails for these scores, or that it would not fail here."""
    if steps.naive_overflows:
        st.warning(overflow_explanation(steps), icon=":material/warning:")
    else:
        st.caption(
            f"Here every e^(z / T) fits in a float64 number (the largest exponent is "
            f"{_signed(float(steps.scaled.max()))}, below {activations.FLOAT64_EXP_LIMIT:.2f}), so "
            "the naive formula still works. Press **Very large scores** to see it fail."
        )
