"""Lesson 2, convolution: a kernel slides over the image; each output cell is a sum of products
plus a bias.

- `settings`: every setting of the page, declared once (the link's names, defaults, bounds)
- `warmup`: two weights sliding along a digit's rows, then one 2-D kernel
- `stepper`: the input and options, the trace the player replays, one step's arithmetic, the
  output-size formulas; correlation from `conv.conv_trace`, convolution from `conv.convolve2d`
- `depth`: a k×k×3 kernel on colour pixels, F filters making an output volume of depth F

The page (`pages/2_Convolution.py`), lesson 3 and the tests use the names re-exported here.
"""

from cnnviz.lessons.convolution.depth import colour_section, colour_step, filter_stack
from cnnviz.lessons.convolution.settings import (
    BIAS,
    COL,
    CROP,
    DILATION,
    FILTERS,
    IMAGE,
    KERNEL,
    KERNEL_KEY,
    MODE,
    OPERATIONS,
    OUTPUT_CHART_KEY,
    PAD,
    PADDINGS,
    PAIRS,
    PLAYER_KEY,
    PRESET,
    QUIZ_KEY,
    ROW,
    SETTINGS,
    SOURCE,
    SOURCES,
    STEP,
    STRIDE,
    UPLOAD_KEY,
    Options,
)
from cnnviz.lessons.convolution.stepper import (
    convolved,
    current_step,
    flip_sentence,
    input_controls,
    input_sentence,
    option_controls,
    size_formulas,
    step_view,
    stepper,
    stepper_trace,
)
from cnnviz.lessons.convolution.warmup import weight_pair_warmup

__all__ = [
    "BIAS",
    "COL",
    "CROP",
    "DILATION",
    "FILTERS",
    "IMAGE",
    "KERNEL",
    "KERNEL_KEY",
    "MODE",
    "OPERATIONS",
    "OUTPUT_CHART_KEY",
    "PAD",
    "PADDINGS",
    "PAIRS",
    "PLAYER_KEY",
    "PRESET",
    "QUIZ_KEY",
    "ROW",
    "SETTINGS",
    "SOURCE",
    "SOURCES",
    "STEP",
    "STRIDE",
    "UPLOAD_KEY",
    "Options",
    "colour_section",
    "colour_step",
    "convolved",
    "current_step",
    "filter_stack",
    "flip_sentence",
    "input_controls",
    "input_sentence",
    "option_controls",
    "size_formulas",
    "step_view",
    "stepper",
    "stepper_trace",
    "weight_pair_warmup",
]
