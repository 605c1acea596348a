"""Plotly figure builders: arrays in, ``go.Figure`` out. No Streamlit, no state."""

from cnnviz.viz import featuremaps, images, matrices

__all__ = ["featuremaps", "images", "matrices"]
