"""Lesson 9's settings, each declared once: session key, link name, label, default and bounds.

`SETTINGS` is the restore order of the link: the network, the example and the class first
(every view explains the same three), then the view, then each view's own controls. Bounds
that depend on the network (its size, layers, filters, classes) are applied when the widget is
drawn (``bound_by_page``), and a link value beyond them is clamped there with a note.
"""

from __future__ import annotations

from cnnviz.explain.fgsm import DEFAULT_EPS_GRID
from cnnviz.nn.model import MAX_BLOCKS, MAX_FILTERS
from cnnviz.ui.drawing import Canvas
from cnnviz.ui.settings import ChoiceSetting, FloatSetting, IntSetting

NETWORKS = {
    "yours": "Your network from lesson 7",
    "transfer": "Your transfer network from lesson 8",
    "scratch": "Your from-scratch network from lesson 8",
    "shipped": "The shipped pre-trained digits network",
}
"""Every network the lesson can explain, in the order the chooser lists them."""
SOURCES = {"test": "A test image", "draw": "Draw one", "upload": "Upload an image"}
VIEWS = {
    "field": "Receptive field",
    "saliency": "Saliency",
    "occlusion": "Occlusion",
    "gradcam": "Grad-CAM",
    "filter": "What a filter wants",
    "fool": "Fool it",
}
MAP_LAYERS = tuple(
    f"{kind}{i}" for i in range(1, MAX_BLOCKS + 1) for kind in ("conv", "relu", "pool")
)
"""Every layer of maps a lesson-7 network can have (the chooser offers the network's own)."""
FILTER_LAYERS = (*(f"conv{i}" for i in range(1, MAX_BLOCKS + 1)), "dense")
WHERES = {"centre": "its centre unit", "mean": "the mean of its whole map"}
INTERPOLATIONS = {"bilinear": "Bilinear (smooth)", "nearest": "Nearest (blocks)"}
MAX_CLASSES = 1000
PREDICTED = -1
"""The class setting's value for "the class the network predicts"."""
MAX_SIDE = 256
"""Largest input side of a lesson-7 network (`cnnviz.nn.model` allows 256 × 256)."""


def _int(key: str, url: str, label: str, default: int, lo: int, hi: int, **more) -> IntSetting:
    return IntSetting(
        key=key, url=url, label=label, default=default, lo=lo, hi=hi, bound_by_page=True, **more
    )


NETWORK = ChoiceSetting(
    key="look_network", url="net", label="Network explained", default="yours",
    choices=tuple(NETWORKS), labels=NETWORKS,
)  # fmt: skip
SOURCE = ChoiceSetting(
    key="look_source", url="input", label="Example", default="test", choices=tuple(SOURCES),
    labels=SOURCES,
)  # fmt: skip
EXAMPLE = _int("look_example", "example", "Test image", 0, 0, 100_000)
CLASS = _int("look_class", "class", "Class explained", PREDICTED, PREDICTED, MAX_CLASSES - 1)
VIEW = ChoiceSetting(
    key="look_view", url="view", label="View", default="field", choices=tuple(VIEWS),
    labels=VIEWS,
)  # fmt: skip
LAYER = ChoiceSetting(
    key="look_layer", url="layer", label="Layer", default="conv2", choices=MAP_LAYERS
)
UNIT_ROW = _int("look_unit_row", "urow", "Unit row", 1, 0, MAX_SIDE - 1)
UNIT_COL = _int("look_unit_col", "ucol", "Unit column", 1, 0, MAX_SIDE - 1)
PIXEL_ROW = _int("look_pixel_row", "prow", "Pixel row", 3, 0, MAX_SIDE - 1)
PIXEL_COL = _int("look_pixel_col", "pcol", "Pixel column", 4, 0, MAX_SIDE - 1)
PATCH = _int("look_patch", "patch", "Patch size p", 2, 1, MAX_SIDE)
STRIDE = _int("look_stride", "stride", "Stride s", 1, 1, MAX_SIDE)
INTERPOLATION = ChoiceSetting(
    key="look_interp", url="interp", label="Upsampling", default="bilinear",
    choices=tuple(INTERPOLATIONS), labels=INTERPOLATIONS,
)  # fmt: skip
FILTER_LAYER = ChoiceSetting(
    key="look_filter_layer", url="flayer", label="Layer", default="conv1", choices=FILTER_LAYERS,
    labels=lambda name: "dense (a class)" if name == "dense" else name,
)  # fmt: skip
FILTER = _int("look_filter", "filter", "Filter", 0, 0, max(MAX_FILTERS, MAX_CLASSES) - 1)
WHERE = ChoiceSetting(
    key="look_where", url="where", label="Make as large as possible", default="centre",
    choices=tuple(WHERES), labels=WHERES,
)  # fmt: skip
EPS = FloatSetting(
    key="look_eps", url="eps", label="ε (how far each pixel may move)", default=0.1, lo=0.0,
    hi=DEFAULT_EPS_GRID[-1], step=0.01,
)  # fmt: skip

SETTINGS = (
    NETWORK, SOURCE, EXAMPLE, CLASS, VIEW, LAYER, UNIT_ROW, UNIT_COL, PIXEL_ROW, PIXEL_COL,
    PATCH, STRIDE, INTERPOLATION, FILTER_LAYER, FILTER, WHERE, EPS,
)  # fmt: skip

# --- session keys outside the link ------------------------------------------------------------

CANVAS_KEY = "look_canvas"
CANVAS_CLEARS = "look_canvas_clears"
"""How often the learner cleared the canvas: part of its key, so a new key is a blank canvas."""
CLEAR_BUTTON = "look_canvas_clear"
CANVAS = Canvas(key=CANVAS_KEY, clears=CANVAS_CLEARS, clear_button=CLEAR_BUTTON)
"""The canvas of "Draw one" and its Clear button."""
UPLOAD_KEY = "look_upload"
QUIZ_KEY = "look_quiz"
