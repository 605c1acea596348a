"""Lesson 4, stride and padding: where the window goes and how big the output is.

- `settings`: every setting of the page, declared once (the link's names, defaults, bounds),
  the window settings on screen and the ones that cannot work
- `windows`: the window grid and output order, the player, the size formulas, unread rows
- `padding`: valid / same / full side by side, reads per pixel, what "same" needs
- `examples`: the worked-example buttons
- `calculator`: the network shape calculator (layer table, parameters, conv vs dense)

The page (`pages/4_Stride_and_Padding.py`) and the tests use the names re-exported here.
"""

from cnnviz.lessons.stride_and_padding.calculator import network_editor, network_results
from cnnviz.lessons.stride_and_padding.examples import EXAMPLES, example_key, worked_examples
from cnnviz.lessons.stride_and_padding.padding import padding_modes
from cnnviz.lessons.stride_and_padding.settings import (
    DILATION,
    HEIGHT,
    KERNEL,
    MAX_DILATION,
    MAX_KERNEL,
    MAX_SIDE,
    MAX_STRIDE,
    NET,
    NET_DEPTH,
    NET_HEIGHT,
    NET_PRESET_KEY,
    NET_WIDTH,
    PAD,
    PADDINGS,
    PLAYER_KEY,
    QUIZ_KEY,
    SETTINGS,
    STEP,
    STRIDE,
    VIEW,
    VIEWS,
    WIDTH,
    WindowSettings,
    controls,
    impossible_reason,
)
from cnnviz.lessons.stride_and_padding.windows import size_formulas, window_view, windows_of

__all__ = [
    "DILATION",
    "EXAMPLES",
    "HEIGHT",
    "KERNEL",
    "MAX_DILATION",
    "MAX_KERNEL",
    "MAX_SIDE",
    "MAX_STRIDE",
    "NET",
    "NET_DEPTH",
    "NET_HEIGHT",
    "NET_PRESET_KEY",
    "NET_WIDTH",
    "PAD",
    "PADDINGS",
    "PLAYER_KEY",
    "QUIZ_KEY",
    "SETTINGS",
    "STEP",
    "STRIDE",
    "VIEW",
    "VIEWS",
    "WIDTH",
    "WindowSettings",
    "controls",
    "example_key",
    "impossible_reason",
    "network_editor",
    "network_results",
    "padding_modes",
    "size_formulas",
    "window_view",
    "windows_of",
    "worked_examples",
]
