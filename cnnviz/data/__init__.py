"""Data for the lessons: bundled sample photos, the 8x8 digits set and small synthetic images.

Images are NumPy arrays laid out as (H, W) for grayscale and (H, W, C) for colour, uint8 0..255,
except the digits, which keep their original 0..16 ink counts (`digits.INK_MAX`).
Nothing here imports Streamlit; the files it reads live in the repository's `assets/` folder.
"""

from cnnviz.data import digits, samples, synthetic

__all__ = ["digits", "samples", "synthetic"]
