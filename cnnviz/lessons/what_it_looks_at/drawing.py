"""A drawn or uploaded example, prepared exactly as lesson 7 (or lesson 8) prepares it.

The same steps as lesson 7's "draw your own" (`cnnviz.lessons.train_a_cnn.own_input`): a digit
becomes the UCI digits' 8 × 8 ink counts (`cnnviz.data.preprocess.uci_digit`), a shape the
28 × 28 light-on-dark input (`preprocess.toy_shape`). Uploaded bytes are decoded by
`cnnviz.imageio` only (through `cnnviz.ui.widgets.image_upload`) and never written to disk.
"""

from __future__ import annotations

import numpy as np

from cnnviz.data import preprocess
from cnnviz.lessons.what_it_looks_at.settings import CANVAS, UPLOAD_KEY
from cnnviz.ui import widgets


def drawing(thing: str) -> np.ndarray | None:
    """A canvas to draw `thing` on; the drawing as (H, W, 4) uint8, or None before a stroke."""
    return CANVAS.draw(f"Draw a {thing} with the mouse (or a finger), large and centred.")


def upload(thing: str) -> np.ndarray | None:
    """An uploaded picture of `thing` as (H, W, 3) uint8; None (with a clear message) if the
    file is missing or cannot be decoded."""
    return widgets.image_upload(
        f"A photo or scan of one {thing} (PNG, JPEG…), up to 5 MB. It stays in your browser "
        "session and is never saved.",
        key=UPLOAD_KEY,
    )


def prepare(image: np.ndarray, data) -> np.ndarray:
    """The network's input (1, C, H, W) float32 in 0..1 from a drawing or photo, prepared like
    the network's data set `data` (its ``name`` "digits": 8 × 8 ink counts / 16; lesson 8's
    classes: its own `prepare`, 32 × 32 gray or RGB; else a 28 × 28 shape / 255).

    Raises `cnnviz.data.preprocess.PreprocessError` for a blank image (lessons 7's data) and
    `cnnviz.data.own_classes.ExampleError` for an image lesson 8 could not use.
    """
    if hasattr(data, "prepare"):
        return data.prepare(image)
    return preprocess.network_input(image, data.name)[0]
