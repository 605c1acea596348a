"""A learner's setting, declared once: session key, link name, label, default and bounds.

A lesson declares each of its settings as one object and hands that object to everything that
needs it: `cnnviz.ui.page.lesson` restores it from the link, the widget helpers below draw it
(label, bounds, choices and key all from the object), and the page's link is written from it.
Values from a link are checked and clamped; anything odd becomes a note, never an exception.

    STRIDE = IntSetting(key="conv_stride", url="stride", label="Stride s", default=1, lo=1, hi=4)
    stride = settings.slider(STRIDE)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

_SHOWN_CHARS = 40


def shown(raw: str, limit: int = _SHOWN_CHARS) -> str:
    """A URL value made safe (no markdown or HTML) and short enough to quote back to the user."""
    clean = "".join(ch for ch in raw if ch.isprintable() and ch not in "`*_[]<>()!\\")
    return clean if len(clean) <= limit else clean[:limit] + "…"


def read_number(raw: str) -> float:
    """The number a link's text stands for (a typographic minus is fine); NaN if none."""
    try:
        return float(raw.replace("\u2212", "-"))
    except ValueError:
        return math.nan


@dataclass(frozen=True, kw_only=True)
class Setting:
    """What every setting has. ``url=None`` keeps a setting out of the shareable link."""

    key: str
    label: str = ""
    url: str | None = None
    help: str | None = None

    @property
    def name(self) -> str:
        """The name a link note uses for this setting (its URL name)."""
        return self.url or self.key

    def parse(self, raw: str, state: Mapping[str, Any] | None = None) -> tuple[Any, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed.

        state : the session state, holding the settings restored before this one (a bound may
            depend on them, see `IntSetting.hi_from`).
        """
        raise NotImplementedError  # pragma: no cover - every kind of setting has its own

    def text(self, value: Any) -> str:
        """The value as it is written into a link."""
        return f"{value:g}" if isinstance(value, float) else str(value)

    @property
    def value(self) -> Any:
        """The current value in this session (the default before the widget first runs)."""
        return st.session_state.get(self.key, self.default)  # type: ignore[attr-defined]


@dataclass(frozen=True, kw_only=True)
class IntSetting(Setting):
    """A whole number in ``[lo, hi]``."""

    default: int
    lo: int
    hi: int
    step: int = 1
    hi_from: Callable[[Mapping[str, Any]], tuple[int, str]] | None = field(
        default=None, compare=False
    )
    labels: Mapping[int, str] | Callable[[int], str] | None = field(default=None, compare=False)
    bound_by_page: bool = False
    """The page narrows ``hi`` when it draws the widget (e.g. to an image's size): a link value
    beyond that is noted by `slider` with the real bound, not here with ``hi``."""
    """A bound that depends on settings restored earlier: state -> (hi, why), e.g.
    (9, "the 6 × 6 matrix has 9 windows with this window size and stride")."""

    @property
    def choices(self) -> tuple[int, ...]:
        """Every allowed value, for a slider over labelled steps (`select_slider`)."""
        return tuple(range(self.lo, self.hi + 1, self.step))

    def label_of(self, value: int) -> str:
        """How ``value`` reads on screen."""
        return _label(self.labels, value)

    def parse(self, raw: str, state: Mapping[str, Any] | None = None) -> tuple[int, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed."""
        hi, why = self.hi, ""
        if self.hi_from is not None and state is not None:
            hi, why = self.hi_from(state)
            hi = max(min(hi, self.hi), self.lo)
        number = read_number(raw)
        if not math.isfinite(number) or number != int(number):
            return (
                self.default,
                f"“{shown(raw)}” is not a whole number for {self.name}; using {self.default}.",
            )
        value = min(max(int(number), self.lo), hi)
        if self.bound_by_page and number > hi:
            return value, None  # `slider` says what the page really allows
        if value != number:
            reason = f" ({why})" if why and value == hi else ""
            return value, f"{self.name} must be between {self.lo} and {hi}; using {value}{reason}."
        return value, None


@dataclass(frozen=True, kw_only=True)
class FloatSetting(Setting):
    """A finite number in ``[lo, hi]``."""

    default: float
    lo: float
    hi: float
    step: float = 0.1

    def parse(self, raw: str, state: Mapping[str, Any] | None = None) -> tuple[float, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed."""
        number = read_number(raw)
        if not math.isfinite(number):
            return (
                self.default,
                f"“{shown(raw)}” is not a number for {self.name}; using {self.default:g}.",
            )
        value = min(max(number, self.lo), self.hi)
        if value != number:
            return (
                value,
                f"{self.name} must be between {self.lo:g} and {self.hi:g}; using {value:g}.",
            )
        return value, None


@dataclass(frozen=True, kw_only=True)
class ChoiceSetting(Setting):
    """One of a fixed tuple of strings; ``labels`` says how each choice reads on screen."""

    default: Any
    choices: tuple
    labels: Mapping[Any, str] | Callable[[Any], str] | None = field(default=None, compare=False)

    def parse(self, raw: str, state: Mapping[str, Any] | None = None) -> tuple[Any, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed."""
        for choice in self.choices:  # choices may be numbers: a link holds their text
            if str(choice) == raw:
                return choice, None
        options = ", ".join(str(choice) for choice in self.choices)
        return (
            self.default,
            f"“{shown(raw)}” is not a choice for {self.name} ({options}); using {self.default}.",
        )

    def label_of(self, choice: Any) -> str:
        """How ``choice`` reads on screen."""
        return _label(self.labels, choice)


@dataclass(frozen=True, kw_only=True)
class TextSetting(Setting):
    """Free text checked by ``normalise`` (which raises ``ValueError`` with a reason)."""

    default: str
    normalise: Callable[[str], str] = field(compare=False)
    max_chars: int = 2000

    def parse(self, raw: str, state: Mapping[str, Any] | None = None) -> tuple[str, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed."""
        if len(raw) > self.max_chars:
            return (
                self.default,
                f"{self.name} is too long ({len(raw):,} characters); using the default.",
            )
        try:
            return self.normalise(raw), None
        except ValueError as error:
            return (
                self.default,
                f"{self.name} could not be used: {shown(str(error), 240)} Using the default.",
            )


def _label(labels: Mapping | Callable | None, value: Any) -> str:
    if labels is None:
        return str(value)
    if callable(labels):
        return labels(value)
    return labels.get(value, str(value))


def asked_key(setting: Setting) -> str:
    """Session key of the value a link asked for, kept until the widget has checked it."""
    return f"{setting.key}__asked"


def _link_note(setting: Setting, low: float, high: float, used: float) -> None:
    """Say so when the value a link asked for is outside what the page allows here."""
    asked = st.session_state.pop(asked_key(setting), None)
    if asked is not None and asked != used:
        st.info(
            f"The link asked for {setting.name} {asked:g}, but here it goes from {low:g} to "
            f"{high:g}; using {used:g}.",
            icon=":material/link:",
        )


def _keep_value(key: str, low: float, high: float) -> None:
    """Clamp the stored value of a slider whose bounds may change between runs.

    When the bounds change, Streamlit sees a new slider and would start it at its minimum, so
    the (clamped) value is written back then. When nothing changed, nothing is written: a
    written value is pushed to the browser and can undo a key press made during the run.
    """
    bounds_key = f"{key}__bounds"
    changed = st.session_state.get(bounds_key) != (low, high)
    st.session_state[bounds_key] = (low, high)
    if key not in st.session_state:
        return
    value = st.session_state[key]
    clamped = min(max(value, low), high)
    if changed or clamped != value:
        st.session_state[key] = clamped


PICTURE_MAX_SIDE = 4096
"""Largest row or column a link may name before the picture on the page is known."""


def position_settings(
    prefix: str,
    *,
    at: tuple[int, int],
    labels: tuple[str, str] = ("Crop top row", "Crop left column"),
    hi: int = PICTURE_MAX_SIDE,
) -> tuple[IntSetting, IntSetting]:
    """A place in a picture, (top row, left column), as the link settings ``row`` and ``col``.

    The picture decides the real bound when the page draws the sliders (``bound_by_page``), so a
    link that asks for more is noted there with the value really used.
    prefix : the session keys are ``{prefix}_row`` and ``{prefix}_col``.  at : the defaults.
    """
    return tuple(
        IntSetting(
            key=f"{prefix}_{url}",
            url=url,
            label=label,
            default=default,
            lo=0,
            hi=hi,
            bound_by_page=True,
        )  # fmt: skip
        for url, label, default in zip(("row", "col"), labels, at, strict=True)
    )


# --- widgets: each draws one setting, everything it needs comes from the object ----------------


def slider(
    setting: IntSetting | FloatSetting,
    *,
    lo: float | None = None,
    hi: float | None = None,
    container: Any = st,
    **kwargs,
) -> Any:
    """A slider for ``setting``; ``lo``/``hi`` replace its bounds for this run (e.g. from an
    image's size). The stored value is clamped first, so a range that shrank never rejects it,
    and a range of one value is a caption instead of a slider."""
    low = setting.lo if lo is None else lo
    high = max(setting.hi if hi is None else hi, low)
    _keep_value(setting.key, low, high)
    if setting.key in st.session_state:
        _link_note(setting, low, high, st.session_state[setting.key])
    if low == high:  # a slider needs a range; there is only one possible value
        if st.session_state.get(setting.key) != low:
            st.session_state[setting.key] = low
        container.caption(f"{setting.label}: {low:g} (the only possible value here)")
        return low
    return container.slider(
        setting.label, min_value=low, max_value=high, step=setting.step,
        key=setting.key, help=setting.help, **kwargs,
    )  # fmt: skip


def number(setting: IntSetting | FloatSetting, *, container: Any = st, **kwargs) -> Any:
    """A number box for ``setting`` within its bounds."""
    return container.number_input(
        setting.label, min_value=setting.lo, max_value=setting.hi, step=setting.step,
        key=setting.key, help=setting.help, **kwargs,
    )  # fmt: skip


def select(setting: ChoiceSetting, *, container: Any = st, **kwargs) -> Any:
    """A drop-down list of ``setting``'s choices."""
    return container.selectbox(
        setting.label, setting.choices, key=setting.key, format_func=setting.label_of,
        help=setting.help, **kwargs,
    )  # fmt: skip


def radio(setting: ChoiceSetting, *, container: Any = st, horizontal: bool = True, **kwargs) -> Any:
    """Radio buttons for ``setting``'s choices (side by side unless ``horizontal=False``)."""
    return container.radio(
        setting.label, setting.choices, key=setting.key, format_func=setting.label_of,
        horizontal=horizontal, help=setting.help, **kwargs,
    )  # fmt: skip


def select_slider(setting: ChoiceSetting | IntSetting, *, container: Any = st, **kwargs) -> Any:
    """A slider over ``setting``'s choices (or whole numbers), each step labelled."""
    return container.select_slider(
        setting.label, options=setting.choices, key=setting.key, format_func=setting.label_of,
        help=setting.help, **kwargs,
    )  # fmt: skip


def text(setting: TextSetting, *, container: Any = st, **kwargs) -> str:
    """A one-line text box for ``setting``."""
    return container.text_input(setting.label, key=setting.key, help=setting.help, **kwargs)
