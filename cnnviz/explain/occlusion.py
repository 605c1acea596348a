"""Occlusion: cover part of the image with a grey patch and see how much the answer drops.

A p × p patch slides over the image with stride s and no padding, exactly like a pooling
window in lesson 4, so it stops at ``H_out = floor((H − p) / s) + 1`` positions per column
(`cnnviz.ops.shapes.output_size`). Every position gives one occluded copy of the image; all
copies go through the network together as one batch (in chunks if there are very many).

Layout: an image is (C, H, W) or (1, C, H, W); maps are (H_out, W_out) or (H, W).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.nn.backprop import one_image
from cnnviz.nn.layers import softmax
from cnnviz.nn.model import TinyCNN
from cnnviz.ops.shapes import output_size

CHUNK = 512
"""Occluded copies per forward pass at most (bounds the memory of a large sweep)."""


@dataclass(frozen=True)
class Occlusion:
    """An occlusion sweep for one class.

    drop : (H_out, W_out), base probability − probability with the patch at that position
        (positive: covering there hurts the class)
    probabilities : (H_out, W_out), the class's probability with the patch there
    base_probability : the class's probability on the untouched image
    per_pixel : (H, W), mean drop over the patches covering each pixel; NaN where no patch
        reaches (the floor leaves the last rows/columns out when (H − p) / s is not whole)
    coverage : (H, W) int, how many patches cover each pixel
    patch, stride : p and s
    value : the grey the patch is filled with
    n_occluded : H_out·W_out occluded copies; with the untouched image that is
        ``n_occluded + 1`` images through the network
    n_batches : forward passes the copies were sent in (chunks of at most `CHUNK`)
    """

    drop: np.ndarray
    probabilities: np.ndarray
    base_probability: float
    per_pixel: np.ndarray
    coverage: np.ndarray
    patch: int
    stride: int
    value: float
    class_index: int
    n_occluded: int
    n_batches: int

    @property
    def n_images(self) -> int:
        """Images that went through the network: every occluded copy and the original."""
        return self.n_occluded + 1


def default_patch(size: int) -> tuple[int, int]:
    """(patch, stride) for an image of `size` pixels a side: about a quarter of the side, half
    that as stride (8 → 2, 1; 28 → 7, 3)."""
    patch = max(1, round(size / 4))
    return patch, max(1, patch // 2)


def occluded_copies(x: np.ndarray, patch: int, stride: int, value: float) -> np.ndarray:
    """Every occluded copy of one image, row-major over patch positions.

    x : (C, H, W). Returns (H_out*W_out, C, H, W): copy ``r*W_out + c`` has the p × p square
    starting at (r·s, c·s) set to `value`.
    """
    C, H, W = x.shape
    H_out, W_out = output_size(H, patch, stride), output_size(W, patch, stride)
    copies = np.repeat(x[None], H_out * W_out, axis=0)  # (P, C, H, W)
    for r in range(H_out):
        for c in range(W_out):
            top, left = r * stride, c * stride
            copies[r * W_out + c, :, top : top + patch, left : left + patch] = value
    return copies


def occlusion(
    model: TinyCNN,
    x: np.ndarray,
    class_index: int,
    patch: int = 2,
    stride: int = 1,
    value: float | None = None,
) -> Occlusion:
    """Slide a grey patch over `x` and map the drop in `class_index`'s probability.

    Parameters
    ----------
    x : (C, H, W) or (1, C, H, W)
    class_index : 0..K-1
    patch, stride : p and s of the sliding square (see `default_patch`)
    value : the patch's fill; None uses the image's mean, a grey that adds or removes no ink
        on average
    """
    image = one_image(model, x)[0]
    _, H, W = image.shape
    H_out, W_out = output_size(H, patch, stride), output_size(W, patch, stride)
    value = float(image.mean()) if value is None else float(value)
    copies = occluded_copies(image, patch, stride, value)
    probs, n_batches = [], 0
    for start in range(0, len(copies), CHUNK):
        probs.append(softmax(model.forward(copies[start : start + CHUNK]))[:, class_index])
        n_batches += 1
    base = float(softmax(model.forward(image[None]))[0, class_index])
    probabilities = np.concatenate(probs).reshape(H_out, W_out)
    drop = base - probabilities
    per_pixel, coverage = _per_pixel(drop, (H, W), patch, stride)
    return Occlusion(drop, probabilities, base, per_pixel, coverage, patch, stride, value,
                     class_index, H_out * W_out, n_batches)  # fmt: skip


def _per_pixel(drop: np.ndarray, hw: tuple[int, int], patch: int, stride: int):
    """Mean of the drops of the patches covering each pixel, and how many cover it."""
    total = np.zeros(hw, dtype=np.float64)
    coverage = np.zeros(hw, dtype=np.int64)
    H_out, W_out = drop.shape
    for r in range(H_out):
        for c in range(W_out):
            window = (slice(r * stride, r * stride + patch), slice(c * stride, c * stride + patch))
            total[window] += drop[r, c]
            coverage[window] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        per_pixel = np.where(coverage > 0, total / np.maximum(coverage, 1), np.nan)
    return per_pixel, coverage
