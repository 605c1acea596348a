"""Cached wrappers around pure library calls. Every cache is bounded (``max_entries``)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnnviz import imageio
from cnnviz.data import digits, samples
from cnnviz.ops import conv

PICKER_MAX_SIDE = 512
"""Uploads are worked on at most this large in the lessons (the playground may use more)."""


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
