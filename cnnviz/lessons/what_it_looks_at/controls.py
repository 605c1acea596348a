"""Controls whose choices depend on the network explained (its layers, filters, classes).

A `ChoiceSetting` declares every value any lesson-7 network could offer (conv1 … pool4); the
network on screen may have fewer. A value the network lacks (from a link, or from a network
with more blocks chosen before) is replaced by a fallback, with a note when a link asked for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from cnnviz.ui.settings import ChoiceSetting


def choice_among(
    setting: ChoiceSetting, options: Sequence[str], *, fallback: str, container: Any = st
) -> str:
    """A drop-down list of `setting` limited to `options`; an unavailable value becomes
    `fallback` (noted when the link asked for it)."""
    value = st.session_state.get(setting.key, setting.default)
    if value not in options:
        if st.query_params.get(setting.url) == value:
            container.info(
                f"The link asked for {setting.name} {value}, which this network does not have; "
                f"using {fallback}.",
                icon=":material/link:",
            )
        st.session_state[setting.key] = fallback
    return container.selectbox(
        setting.label, tuple(options), key=setting.key, format_func=setting.label_of
    )
