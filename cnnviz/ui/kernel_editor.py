"""The kernel editor shared by lessons 2 and 3: a preset list, a size, and an editable grid.

Session keys, all under one prefix ``key``:

- ``{key}_preset``  the preset's name, or ``"custom"`` once a cell or the size is edited;
- ``{key}_text``    the last *valid* kernel as text (``1,0,-1;2,0,-2;1,0,-1``) — the URL's value;
- ``{key}_cells``   the grid as last rebuilt (a preset or a resize); typing edits it;
- ``{key}_rev``     bumped whenever the grid is rebuilt, giving the editor a fresh widget key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from cnnviz.data import kernel_text, kernels
from cnnviz.ui.settings import ChoiceSetting, TextSetting

CUSTOM = "custom"


@dataclass(frozen=True)
class KernelKeys:
    """The session keys of one kernel editor."""

    preset: str
    text: str
    cells: str
    rev: str
    rows: str
    cols: str

    @classmethod
    def of(cls, key: str) -> KernelKeys:
        return cls(
            *(f"{key}_{name}" for name in ("preset", "text", "cells", "rev", "rows", "cols"))
        )


def preset_choices() -> tuple[str, ...]:
    """URL values of the preset list: every preset name, then ``custom``."""
    return (*kernels.PRESETS, CUSTOM)


def normalised_text(text: str) -> str:
    """URL kernel text checked and rewritten canonically; ValueError (KernelError) if bad."""
    return kernel_text.kernel_to_text(kernel_text.kernel_from_text(text))


def link_settings(key: str, *, default_preset: str) -> tuple[ChoiceSetting, TextSetting]:
    """The editor's own settings in a page's link: ``preset`` and ``kernel`` (its weights).

    A page lists them with its other settings: ``page.lesson(name, (*mine, *link_settings(…)))``.
    """
    keys = KernelKeys.of(key)
    default = kernels.PRESETS[default_preset].array
    return (
        ChoiceSetting(
            key=keys.preset, url="preset", label="Kernel", default=default_preset,
            choices=preset_choices(),
        ),
        TextSetting(
            key=keys.text, url="kernel", label="Kernel weights",
            default=kernel_text.kernel_to_text(default), normalise=normalised_text,
        ),
    )  # fmt: skip


def _cells(weights: np.ndarray) -> list[list[str]]:
    return [[kernel_text.weight_text(w) for w in row] for row in np.asarray(weights)]


def _rebuild(keys: KernelKeys, weights: np.ndarray) -> None:
    """Show ``weights`` in a fresh grid (a new widget key drops the old edits)."""
    st.session_state[keys.cells] = _cells(weights)
    st.session_state[keys.text] = kernel_text.kernel_to_text(weights)
    st.session_state[keys.rows], st.session_state[keys.cols] = np.shape(weights)
    st.session_state[keys.rev] = st.session_state.get(keys.rev, 0) + 1


def _preset_picked(keys: KernelKeys) -> None:
    name = st.session_state[keys.preset]
    if name != CUSTOM:
        _rebuild(keys, kernels.PRESETS[name].array)


def _resized(keys: KernelKeys) -> None:
    """Grow with zeros or crop, keeping the top-left weights; the kernel becomes custom."""
    old = kernel_text.kernel_from_text(st.session_state[keys.text])
    rows, cols = int(st.session_state[keys.rows]), int(st.session_state[keys.cols])
    new = np.zeros((rows, cols))
    h, w = min(rows, old.shape[0]), min(cols, old.shape[1])
    new[:h, :w] = old[:h, :w]
    st.session_state[keys.preset] = CUSTOM
    _rebuild(keys, new)


def init(key: str, default_preset: str) -> None:
    """Seed the editor's state once (from the URL values already in session state, if any)."""
    keys = KernelKeys.of(key)
    if keys.cells in st.session_state:
        return
    preset = st.session_state.setdefault(keys.preset, default_preset)
    if preset != CUSTOM or keys.text not in st.session_state:
        if preset == CUSTOM:
            st.session_state[keys.preset] = preset = default_preset
        st.session_state[keys.text] = kernel_text.kernel_to_text(kernels.PRESETS[preset].array)
    _rebuild(keys, kernel_text.kernel_from_text(st.session_state[keys.text]))


def kernel_editor(key: str, *, default_preset: str, label: str = "Kernel") -> np.ndarray:
    """Pick a preset or type weights (up to 7×7); a bad cell is explained, never raised.

    Returns the (KH, KW) float64 weights in use: while a cell is invalid the last valid
    kernel stays in use, and the learner is told so. The grid is drawn before the preset
    list (into a container placed above it), so that a typed edit can switch the list to
    "custom" in the same run; the preset's explanation goes below the grid.
    """
    keys = KernelKeys.of(key)
    init(key, default_preset)
    top = st.container()
    side = kernel_text.MAX_KERNEL_SIDE
    rows_col, cols_col = st.columns(2)
    rows_col.number_input("Rows", 1, side, key=keys.rows, on_change=_resized, args=(keys,))
    cols_col.number_input("Columns", 1, side, key=keys.cols, on_change=_resized, args=(keys,))
    base = st.session_state[keys.cells]
    frame = pd.DataFrame(base, columns=[str(c) for c in range(len(base[0]))])
    edited = st.data_editor(
        frame,
        key=f"{key}_grid_{st.session_state[keys.rev]}",
        hide_index=True,
        num_rows="fixed",
        column_config={c: st.column_config.TextColumn(c, width="small") for c in frame.columns},
    )
    typed = [["" if _blank(v) else str(v) for v in row] for row in edited.to_numpy().tolist()]
    if typed != base:
        st.session_state[keys.preset] = CUSTOM
    with top:
        st.selectbox(
            label,
            preset_choices(),
            key=keys.preset,
            on_change=_preset_picked,
            args=(keys,),
            format_func=lambda name: (
                "Custom (type your own)" if name == CUSTOM else kernels.PRESETS[name].title
            ),
        )
    weights = _weights_in_use(keys, typed)
    st.caption(explanation(st.session_state[keys.preset], weights.shape))
    return weights


def explanation(preset: str, shape: tuple[int, int]) -> str:
    """The sentence under the grid: the preset's explanation, or what a custom kernel is.

    It sits below the grid and is never empty, so switching to "custom" on the first typed
    edit does not move the grid under the learner's next click.
    """
    if preset != CUSTOM:
        return kernels.PRESETS[preset].explanation
    KH, KW = shape
    return (
        f"Custom kernel ({KH} × {KW}): your own weights — type a number in any cell "
        "(2, −0.5 or 1/9); pick a preset above to start again from a named filter."
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _weights_in_use(keys: KernelKeys, typed: list[list[str]]) -> np.ndarray:
    try:
        weights = kernel_text.parse_kernel(typed)
    except kernel_text.KernelError as error:
        st.error(f"{error} Until then the last valid kernel is used.", icon=":material/edit_off:")
        return kernel_text.kernel_from_text(st.session_state[keys.text])
    st.session_state[keys.text] = kernel_text.kernel_to_text(weights)
    return weights
