"""Worked examples: one button each, setting the window and loading a network into the
calculator."""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons.stride_and_padding.calculator import load_network
from cnnviz.lessons.stride_and_padding.settings import EXAMPLE_KEY, PLAYER_KEY, WINDOW_SETTINGS
from cnnviz.ui import player

EXAMPLES = {
    "32 → 30": ((32, 32, 3, 1, "0", 1), "cifar"),
    "15 → 11": ((15, 15, 5, 1, "0", 1), "local"),
    "28 → 24 → 12": ((28, 28, 5, 1, "0", 1), "mnist"),
    "AlphaGo 19 → 19": ((19, 19, 5, 1, "2", 1), "alphago"),
}
"""Short button labels (they must fit a quarter of a laptop page) → (height, width, kernel,
stride, pad, dilation) and a network of `cnnviz.data.networks.PRESETS`."""
EXAMPLE_HELP = {
    "32 → 30": "n = 32, k = 3: a 32 × 32 input and a 3 × 3 kernel give a 30 × 30 output.",
    "15 → 11": "A 15 × 15 input and a 5 × 5 window give an 11 × 11 output.",
    "28 → 24 → 12": "A plain example net on a 28 × 28 MNIST digit (not LeNet): a 5 × 5 conv → "
    "24 × 24, a 2 × 2 pool → 12 × 12.",
    "AlphaGo 19 → 19": "AlphaGo's first layer: the 19 × 19 Go board padded by 2 to 23 × 23, "
    "a 5 × 5 kernel → 19 × 19 again.",
}


def example_key(index: int) -> str:
    """The session key of the button of worked example number ``index`` (0-based)."""
    return f"{EXAMPLE_KEY}_{index}"


def worked_examples() -> None:
    """One button per worked example: it sets the window and loads the network calculator."""
    columns = st.columns(len(EXAMPLES), gap="small")
    for index, (column, label) in enumerate(zip(columns, EXAMPLES, strict=True)):
        column.button(
            label,
            key=example_key(index),
            on_click=_load_example,
            args=(label,),
            help=EXAMPLE_HELP[label],
            width="stretch",
        )
    st.caption("  \n".join(f"**{label}** — {text}" for label, text in EXAMPLE_HELP.items()))


def _load_example(label: str) -> None:
    values, network = EXAMPLES[label]
    st.session_state.update(
        {setting.key: value for setting, value in zip(WINDOW_SETTINGS, values, strict=True)}
    )
    player.jump_to(PLAYER_KEY, 0, 1)
    load_network(network)
