"""Shared test helpers."""

from __future__ import annotations

import base64

import numpy as np
from hypothesis import settings

# Property tests check values, not speed: a busy machine (or the other test worker) must not
# turn a slow example into a failure.
settings.register_profile("cnnviz", deadline=None)
settings.load_profile("cnnviz")


def plotly_array(value) -> np.ndarray:
    """Decode an array from plotly figure JSON: a plain list or plotly's typed-array dict."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return data.reshape([int(n) for n in str(shape).split(",")]) if shape else data
    return np.asarray(value)
