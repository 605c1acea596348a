"""Shareable links: a page's settings live in ``st.query_params``.

`cnnviz.ui.page.lesson` calls :func:`restore` before the page draws its widgets and
`LessonPage.finish` calls :func:`sync` after. Each setting (`cnnviz.ui.settings`) parses its own
value from a link; anything odd is explained in a note at the top of the page, never raised.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import streamlit as st

from cnnviz.ui.settings import Setting, asked_key, read_number


def restore(settings: Sequence[Setting]) -> None:
    """Seed each setting's session key from the link, once per visit to the page.

    Keys already in session state belong to widgets the learner has touched; they win. Settings
    are restored in order, so a bound may depend on one restored before it.
    """
    notes = []
    for setting in settings:
        if setting.key in st.session_state:
            continue
        raw = None if setting.url is None else st.query_params.get(setting.url)
        if raw is None:
            value, note = setting.default, None
        else:
            value, note = setting.parse(raw, st.session_state)
            if getattr(setting, "bound_by_page", False) and note is None:
                asked = read_number(raw)  # before any clamping, for the widget's note
                st.session_state[asked_key(setting)] = value if math.isnan(asked) else asked
        st.session_state[setting.key] = value
        if note:
            notes.append(note)
    if notes:
        st.info(
            "Some settings in this link were adjusted:\n\n- " + "\n- ".join(notes),
            icon=":material/link:",
        )


def sync(settings: Sequence[Setting], extras: Mapping[str, str] | None = None) -> dict[str, str]:
    """Write the settings' current values to the link, so copying it reproduces this view.

    extras : the view's own parameters (e.g. the presenter view's), written after the settings.
    Returns the link's parameters.
    """
    wanted = {
        s.url: s.text(st.session_state[s.key])
        for s in settings
        if s.url is not None and s.key in st.session_state
    }
    wanted.update(extras or {})
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    return wanted
