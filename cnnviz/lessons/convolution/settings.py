"""Lesson 2's settings, each declared once (session key, link name, label, default, bounds), in
the order the link writes them; the kernel editor and the step player declare their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnviz.ops import shapes
from cnnviz.ui import kernel_editor, player, widgets
from cnnviz.ui.settings import ChoiceSetting, FloatSetting, IntSetting, position_settings

SOURCES = {"example": "The classic 5 × 5 example", "photo": "A crop of a photo (yours or ours)"}
PADDINGS = ("0", "1", "2", "3", *shapes.PAD_MODES)
OPERATIONS = {
    "correlation": "Cross-correlation (deep learning)",
    "convolution": "Convolution (flip)",
}

SOURCE = ChoiceSetting(
    key="conv_source", url="input", label="Input", default="example", choices=tuple(SOURCES),
    labels=SOURCES,
)  # fmt: skip
IMAGE = widgets.image_setting("conv_image")
UPLOAD_KEY = "conv_upload"
CROP = IntSetting(
    key="conv_crop_size", url="crop", label="Crop size (pixels)", default=8, lo=4, hi=10
)
ROW, COL = position_settings("conv_crop", at=(104, 160))
KERNEL_KEY = "conv_kernel"
"""Prefix of the kernel editor's session keys (see `cnnviz.ui.kernel_editor`)."""
PRESET, KERNEL = kernel_editor.link_settings(KERNEL_KEY, default_preset="example")
BIAS = FloatSetting(
    key="conv_bias", url="bias", label="Bias", default=0.0, lo=-1000.0, hi=1000.0, step=1.0
)
STRIDE = IntSetting(key="conv_stride", url="stride", label="Stride", default=1, lo=1, hi=4)
PAD = ChoiceSetting(
    key="conv_pad", url="pad", label="Padding", default="0", choices=PADDINGS,
    help="A number of zero rings, or a named mode: valid = none; same = output size "
    "⌈n / s⌉ (the input size at stride 1, about n / s with a larger stride); "
    "full = every overlap.",
)  # fmt: skip
DILATION = IntSetting(key="conv_dilation", url="dilation", label="Dilation", default=1, lo=1, hi=3)
MODE = ChoiceSetting(
    key="conv_flip", url="mode", label="Operation", default="correlation",
    choices=tuple(OPERATIONS), labels=OPERATIONS,
)  # fmt: skip
PLAYER_KEY = "conv_player"
"""Prefix of the step player's session keys (see `cnnviz.ui.player`)."""
STEP = player.step_setting(PLAYER_KEY)
FILTERS = IntSetting(
    key="conv_filters", url="filters", label="Number of filters F", default=10, lo=1, hi=10
)


def _weight(key: str, label: str, default: float) -> FloatSetting:
    """One weight of a warm-up pair (not in the link)."""
    return FloatSetting(key=key, label=label, default=default, lo=-10.0, hi=10.0, step=0.5)


PAIRS = {
    "Keep the ink": (_weight("conv_pair_a1", "w₁", 1.0), _weight("conv_pair_a2", "w₂", 1.0)),
    "Left–right changes": (
        _weight("conv_pair_b1", "w₁", -1.0),
        _weight("conv_pair_b2", "w₂", 1.0),
    ),
}
"""The warm-up's 1 × 2 weight pairs, by name: (w₁, w₂), editable by the learner."""
SETTINGS = (
    SOURCE, IMAGE, CROP, ROW, COL, PRESET, KERNEL, BIAS, STRIDE, PAD, DILATION, MODE, STEP,
    FILTERS, *(weight for pair in PAIRS.values() for weight in pair),
)  # fmt: skip
"""Every setting, in restore order; the link carries all but the warm-up weights."""
OUTPUT_CHART_KEY = "conv_output_chart"
"""Prefix of the output chart's key; `OUTPUT_TAPS_KEY` (cells clicked so far) completes it."""
OUTPUT_TAPS_KEY = "conv_output_taps"
QUIZ_KEY = "conv_quiz"


@dataclass(frozen=True)
class Options:
    """The stepper's settings as the learner set them."""

    bias: float
    stride: int
    pad: str
    dilation: int
    mode: str

    @property
    def padding(self) -> int | str:
        """``pad`` as `cnnviz.ops.conv` takes it: a number of zero rings or a named mode."""
        return int(self.pad) if self.pad.isdigit() else self.pad
