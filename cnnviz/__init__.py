"""cnnviz: interactive lessons that explain convolutional neural networks from the pixel up.

Layout: ``ops`` (pure NumPy maths), ``data`` (samples, digits, synthetic images), ``imageio``
(the only place that decodes uploads), ``viz`` (plotly figure builders) and ``ui`` (the only
part that imports Streamlit). Images are ``(H, W)`` or ``(H, W, C)`` arrays.
"""
