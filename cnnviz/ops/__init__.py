"""Pure-NumPy maths behind the lessons: no state, no I/O, no Streamlit.

- `shapes`: output-size arithmetic (stride, padding, dilation) and layer shape tables
- `windows`: where a kernel sits along an axis, what it leaves unread, how often each pixel is read
- `conv`: 2-D cross-correlation ("convolution"), fast, as loops and as a step-by-step trace
- `pool`: max and average pooling, and which element won each max window
- `pixels`: grayscale conversion, resizing and cropping of images
- `display`: raw filter outputs to 0-255 pixels, clipped or min-max normalised

Images are (H, W) or (H, W, C).
"""

from cnnviz.ops import conv, display, pixels, pool, shapes, windows

__all__ = ["conv", "display", "pixels", "pool", "shapes", "windows"]
