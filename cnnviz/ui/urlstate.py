"""Shareable links: a page's settings live in ``st.query_params``.

A page declares its parameters, calls :func:`restore` before drawing its widgets and
:func:`sync` after. Values from a link are checked and clamped; anything odd is explained in
a note at the top of the page, never raised.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from cnnviz.ui.settings import Setting

_SHOWN_CHARS = 40


def _shown(raw: str, limit: int = _SHOWN_CHARS) -> str:
    """A URL value made safe (no markdown or HTML) and short enough to quote back to the user."""
    clean = "".join(ch for ch in raw if ch.isprintable() and ch not in "`*_[]<>()!\\")
    return clean if len(clean) <= limit else clean[:limit] + "…"


@dataclass(frozen=True)
class IntParam:
    """A whole number in ``[lo, hi]`` stored in the URL as ``name`` and in the widget ``key``."""

    name: str
    key: str
    default: int
    lo: int
    hi: int

    def parse(self, raw: str) -> tuple[int, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed."""
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number != int(number):
            return (
                self.default,
                f"“{_shown(raw)}” is not a whole number for {self.name}; using {self.default}.",
            )
        value = min(max(int(number), self.lo), self.hi)
        if value != number:
            return value, f"{self.name} must be between {self.lo} and {self.hi}; using {value}."
        return value, None


@dataclass(frozen=True)
class ChoiceParam:
    """One of a fixed list of strings, stored in the URL as ``name`` and in the widget ``key``."""

    name: str
    key: str
    default: str
    choices: tuple[str, ...]

    def parse(self, raw: str) -> tuple[str, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed."""
        if raw in self.choices:
            return raw, None
        options = ", ".join(self.choices)
        return (
            self.default,
            f"“{_shown(raw)}” is not a choice for {self.name} ({options}); using {self.default}.",
        )


@dataclass(frozen=True)
class FloatParam:
    """A finite number in ``[lo, hi]``, stored in the URL as ``name`` and in the widget ``key``."""

    name: str
    key: str
    default: float
    lo: float
    hi: float

    def parse(self, raw: str) -> tuple[float, str | None]:
        """The value a raw URL string stands for, and a note when it had to be changed."""
        try:
            number = float(raw.replace("\u2212", "-"))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return (
                self.default,
                f"“{_shown(raw)}” is not a number for {self.name}; using {self.default:g}.",
            )
        value = min(max(number, self.lo), self.hi)
        if value != number:
            return (
                value,
                f"{self.name} must be between {self.lo:g} and {self.hi:g}; using {value:g}.",
            )
        return value, None


@dataclass(frozen=True)
class TextParam:
    """Free text checked by ``normalise`` (which raises ``ValueError`` with a reason)."""

    name: str
    key: str
    default: str
    normalise: Callable[[str], str]
    max_chars: int = 2000

    def parse(self, raw: str) -> tuple[str, str | None]:
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
                f"{self.name} could not be used: {_shown(str(error), 240)} Using the default.",
            )


Param = IntParam | ChoiceParam | FloatParam | TextParam


def _link_name(param) -> str | None:
    """A setting's name in the link (None: not in the link); old-style params use ``name``."""
    return param.url if isinstance(param, Setting) else param.name


def restore(params: tuple[Param, ...]) -> None:
    """Seed each widget's session-state key from the URL, once per visit to the page.

    Keys already in session state belong to widgets the user has touched; they win.
    """
    notes = []
    for param in params:
        if param.key in st.session_state:
            continue
        name = _link_name(param)
        raw = None if name is None else st.query_params.get(name)
        if raw is None:
            value, note = param.default, None
        elif isinstance(param, Setting):
            value, note = param.parse(raw, st.session_state)
        else:
            value, note = param.parse(raw)
        st.session_state[param.key] = value
        if note:
            notes.append(note)
    if notes:
        st.info(
            "Some settings in this link were adjusted:\n\n- " + "\n- ".join(notes),
            icon=":material/link:",
        )


def _url_text(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def sync(params: tuple[Param, ...]) -> None:
    """Write the widgets' current values to the URL, so copying it reproduces this view."""
    wanted = {
        _link_name(p): p.text(st.session_state[p.key]) if isinstance(p, Setting)
        else _url_text(st.session_state[p.key])
        for p in params
        if p.key in st.session_state and _link_name(p) is not None
    }  # fmt: skip
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
