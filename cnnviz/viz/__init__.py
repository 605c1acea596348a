"""Plotly figure builders: arrays in, ``go.Figure`` out. No Streamlit, no state."""

from cnnviz.viz import images, matrices

__all__ = ["images", "matrices"]
