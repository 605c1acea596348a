"""Lesson 4's settings, each declared once (session key, link name, label, default, bounds), and
the window settings on screen.

The link names, defaults and bounds are those of the first version of the page, so old links
such as ``/Stride_and_Padding?h=16&w=16&s=2&step=3`` open the same view.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cnnviz.data import networks
from cnnviz.ops import shapes
from cnnviz.ui import player
from cnnviz.ui import settings as kit
from cnnviz.ui.settings import ChoiceSetting, IntSetting, TextSetting

PADDINGS = tuple(str(p) for p in range(7)) + shapes.PAD_MODES
"""The padding list: 0 … 6 zero rings on every side, or a named mode."""
VIEWS = {"step": "Step by step", "all": "All windows at once"}
MAX_SIDE = 32
MAX_KERNEL = 9
MAX_STRIDE = 6
MAX_DILATION = 4
MAX_NET_SIDE = 512
"""Largest input height, width and depth of the network calculator."""
DEFAULT_NETWORK = "tiny"
_DEFAULT_NET = networks.PRESETS[DEFAULT_NETWORK]

# --- the window -----------------------------------------------------------------------------------

HEIGHT = IntSetting(key="stride_height", url="h", label="Input height", default=7, lo=1,
                    hi=MAX_SIDE)  # fmt: skip
WIDTH = IntSetting(key="stride_width", url="w", label="Input width", default=8, lo=1, hi=MAX_SIDE)
KERNEL = IntSetting(key="stride_kernel", url="k", label="Kernel size k (k × k)", default=3, lo=1,
                    hi=MAX_KERNEL)  # fmt: skip
STRIDE = IntSetting(key="stride_step_size", url="s", label="Stride s", default=2, lo=0,
                    hi=MAX_STRIDE)  # fmt: skip
"""Stride 0 is allowed on purpose: the page explains why it cannot work."""
PAD = ChoiceSetting(
    key="stride_pad", url="pad", label="Padding p", default="0", choices=PADDINGS,
    help="A number of zero rings on every side, or a named mode: valid = none, "
    "same = keep the size (at stride 1), full = every overlap.",
)  # fmt: skip
DILATION = IntSetting(key="stride_dilation", url="d", label="Dilation d", default=1, lo=0,
                      hi=MAX_DILATION)  # fmt: skip
"""Dilation 0 is allowed on purpose: the page explains why it cannot work."""
VIEW = ChoiceSetting(key="stride_view", url="view", label="Show", default="step",
                     choices=tuple(VIEWS), labels=VIEWS)  # fmt: skip
PLAYER_KEY = "stride_player"
"""Prefix of the step player's keys (see `cnnviz.ui.player`)."""
STEP = player.step_setting(PLAYER_KEY)

# --- the network shape calculator ---------------------------------------------------------------

NET = TextSetting(key="stride_net_text", url="net", label="Network",
                  default=_DEFAULT_NET.text, normalise=networks.normalised_text)  # fmt: skip
"""The layer table in its short text form (`cnnviz.data.networks`)."""
NET_HEIGHT = IntSetting(key="stride_net_height", url="nh", label="Input height H",
                        default=_DEFAULT_NET.input_shape[0], lo=1, hi=MAX_NET_SIDE)  # fmt: skip
NET_WIDTH = IntSetting(key="stride_net_width", url="nw", label="Input width W",
                       default=_DEFAULT_NET.input_shape[1], lo=1, hi=MAX_NET_SIDE)  # fmt: skip
NET_DEPTH = IntSetting(key="stride_net_depth", url="nc", label="Input depth C",
                       default=_DEFAULT_NET.input_shape[2], lo=1, hi=MAX_NET_SIDE)  # fmt: skip
NET_PRESET_KEY = "stride_net_preset"
"""The "Load a famous network" list: an action, not a setting (it goes back to empty)."""
NET_ROWS_KEY = "stride_net_rows"
"""The table's rows as the data editor started this run (edits are applied on top)."""
NET_REV_KEY = "stride_net_rev"
"""Bumped when a preset replaces the table, so the data editor starts afresh."""
NET_GRID_KEY = "stride_net_grid"
"""Prefix of the data editor's key (followed by the revision)."""

EXAMPLE_KEY = "stride_example"
"""Prefix of the worked-example buttons' keys (followed by their index)."""
QUIZ_KEY = "stride_quiz"

SETTINGS = (HEIGHT, WIDTH, KERNEL, STRIDE, PAD, DILATION, VIEW, STEP, NET, NET_HEIGHT,
            NET_WIDTH, NET_DEPTH)  # fmt: skip
"""Every setting the link carries, in the order of the first version's links."""
WINDOW_SETTINGS = (HEIGHT, WIDTH, KERNEL, STRIDE, PAD, DILATION)
"""The settings a worked example sets, in the order of `WindowSettings`' fields."""


@dataclass(frozen=True)
class WindowSettings:
    """The window settings on screen. ``pad`` is the widget's text ("2", "same", …)."""

    height: int
    width: int
    kernel: int
    stride: int
    pad: str
    dilation: int

    @property
    def pad_value(self) -> int | str:
        """``pad`` as `cnnviz.ops.shapes` takes it: an int, or a mode name."""
        return int(self.pad) if self.pad.isdigit() else self.pad


def controls() -> WindowSettings:
    """Sliders and the padding choice, in two columns; returns the current settings."""
    left, right = st.columns(2, gap="large")
    height = kit.slider(HEIGHT, container=left)
    width = kit.slider(WIDTH, container=left)
    kernel = kit.slider(KERNEL, container=left)
    stride = kit.slider(STRIDE, container=right)
    pad = kit.select(PAD, container=right)
    dilation = kit.slider(DILATION, container=right)
    return WindowSettings(height, width, kernel, stride, pad, dilation)


def impossible_reason(s: WindowSettings) -> str | None:
    """Why these settings cannot work and what would, in plain words; None if they work."""
    if s.stride == 0:
        return (
            "**A stride of 0 never moves the window**: it would read the same pixels for ever "
            "and the output would never end. Use stride 1 to visit every position, or 2 and "
            "more to skip some."
        )
    if s.dilation == 0:
        return (
            "**Dilation 0 would stack all the kernel's taps on one pixel.** Dilation 1 is an "
            "ordinary kernel (neighbouring pixels); dilation 2 leaves one pixel between taps."
        )
    try:
        shapes.output_shape_2d(
            (s.height, s.width), (s.kernel, s.kernel), s.stride, s.pad_value, s.dilation
        )
    except shapes.ShapeError as error:
        return f"**These settings do not work.** {error}"
    return None
