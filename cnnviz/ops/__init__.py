"""Pure-NumPy maths behind the lessons: no state, no I/O, no Streamlit.

- `shapes`: output-size arithmetic (stride, padding, dilation) and layer shape tables
- `conv`: 2-D cross-correlation ("convolution"), fast, as loops and as a step-by-step trace
- `pool`: max and average pooling, and which element won each max window
- `pixels`: grayscale conversion, resizing and cropping of images

Images are (H, W) or (H, W, C).
"""

from cnnviz.ops import conv, pixels, pool, shapes

__all__ = ["conv", "pixels", "pool", "shapes"]
