"""Cached wrappers around pure library calls. Every cache is bounded (``max_entries``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from cnnviz import imageio
from cnnviz.data import digits, samples
from cnnviz.ops import conv, filtering

PICKER_MAX_SIDE = 512
"""Uploads are worked on at most this large in the lessons (the playground may use more)."""


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """``builder(*args, **kwargs)``, built once per distinct arguments and shared by everyone.

    Building a plotly figure costs 5-30 ms (validation); sending a built one costs under 1 ms.
    The figure is shared between sessions, so it must never be changed after this call
    (``st.plotly_chart`` only reads it). Arguments must be hashable by Streamlit (arrays,
    numbers, strings, tuples).
    """
    return _shared_figure(builder, f"{builder.__module__}.{builder.__qualname__}", *args, **kwargs)


@st.cache_resource(max_entries=512, ttl=900, show_spinner=False)
def _shared_figure(_builder: Callable[..., go.Figure], name: str, *args, **kwargs) -> go.Figure:
    """The cache behind `figure`; ``name`` stands in for the builder, which is not hashable."""
    return _builder(*args, **kwargs)


@st.cache_data(max_entries=16, show_spinner=False)
def sample_image(name: str) -> np.ndarray:
    """(H, W, 3) uint8 pixels of a bundled sample photo."""
    return samples.load_sample(name)


@st.cache_data(max_entries=32, ttl=900, show_spinner="Reading your image…")
def uploaded_image(data: bytes, max_side: int = PICKER_MAX_SIDE) -> imageio.LoadedImage:
    """Decode an upload; raises imageio.ImageLoadError (never cached) for bad bytes."""
    return imageio.read_image(data, max_side=max_side)


@st.cache_data(max_entries=1, show_spinner=False)
def digits_set() -> digits.Digits:
    """The bundled UCI handwritten digits (8×8, values 0–16)."""
    return digits.load_digits()


@st.cache_data(max_entries=64, show_spinner=False)
def conv_trace(
    image: np.ndarray, kernel: np.ndarray, stride: int, pad: int | str, dilation: int, bias: float
) -> conv.ConvTrace:
    """`cnnviz.ops.conv.conv_trace` for the step player (small inputs only)."""
    return conv.conv_trace(image, kernel, stride, pad, dilation, bias)


@st.cache_data(max_entries=64, show_spinner=False)
def correlate(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, pad: int | str = 0, dilation: int = 1
) -> np.ndarray:
    """`cnnviz.ops.conv.correlate2d`: (H, W[, C]) image, (KH, KW[, C]) kernel -> (H_out, W_out)."""
    return conv.correlate2d(image, kernel, stride, pad, dilation)


PLAYGROUND_MAX_SIDE = 1024
"""The filter playground works on uploads up to this size (a 1024² photo filters in ~0.2 s)."""


@st.cache_data(max_entries=8, ttl=900, show_spinner="Filtering your image…")
def filtered_photo(photo: np.ndarray, kernel: np.ndarray, mode: str, mix: str) -> np.ndarray:
    """`cnnviz.ops.filtering.filter_photo`: (H, W, 3) uint8 -> raw (H, W) or (H, W, 3)."""
    return filtering.filter_photo(photo, kernel, mode, mix)


@st.cache_data(max_entries=8, ttl=900, show_spinner=False)
def opencv_difference(photo: np.ndarray, kernel: np.ndarray, mode: str, mix: str) -> float:
    """Largest difference between our filtered photo and ``cv2.filter2D``'s."""
    reference = filtering.filter_photo_opencv(photo, kernel, mode, mix)
    return filtering.max_difference(filtered_photo(photo, kernel, mode, mix), reference)
