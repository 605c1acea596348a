"""Named kernels: the hand-made filters of classic image processing, as presets.

Kernels are (KH, KW) float64 weights applied by cross-correlation (`cnnviz.ops.conv.correlate2d`,
as `cv2.filter2D` does): row 0 is the top of the window, column 0 its left. A kernel whose weights
sum to 1 keeps the overall brightness (blurs, sharpen); one whose weights sum to 0 gives 0 on
flat areas and responds only where the image changes (edge detectors). Typed kernels and their
link text are read and written by `cnnviz.data.kernel_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.data.kernel_text import KernelError, parse_kernel


@dataclass(frozen=True)
class KernelPreset:
    """A named kernel: URL-safe ``name``, display ``title``, weights, one-sentence explanation."""

    name: str
    title: str
    weights: tuple[tuple[float, ...], ...]
    explanation: str

    @property
    def array(self) -> np.ndarray:
        """The weights as a fresh, read-only (KH, KW) float64 array."""
        weights = np.array(self.weights, dtype=np.float64)
        weights.setflags(write=False)  # a preset is a constant: editing a copy of it is a bug
        return weights


def _preset(name: str, title: str, weights, explanation: str, scale: float = 1.0) -> KernelPreset:
    scaled = tuple(tuple(float(w) * scale for w in row) for row in weights)
    return KernelPreset(name, title, scaled, explanation)


_BINOMIAL_5 = [[a * b for b in (1, 4, 6, 4, 1)] for a in (1, 4, 6, 4, 1)]

PRESETS: dict[str, KernelPreset] = {
    p.name: p
    for p in (
        _preset(
            "example",
            "Classic example (X)",
            [[1, 0, 1], [0, 1, 0], [1, 0, 1]],
            "The worked example: it adds the centre and the four corners, so it answers "
            "most strongly where ink lies along both diagonals.",
        ),
        _preset(
            "identity",
            "Identity",
            [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
            "Only the centre weight is 1, so every output is the pixel itself: nothing changes.",
        ),
        _preset(
            "box_blur",
            "Box blur",
            [[1] * 3] * 3,
            "Nine weights of 1/9 (sum 1) replace each pixel by the plain average of its "
            "neighbourhood, smoothing away detail.",
            1 / 9,
        ),
        _preset(
            "gaussian_blur",
            "Gaussian blur",
            [[1, 2, 1], [2, 4, 2], [1, 2, 1]],
            "Weights that fall off from the centre (sum 1) average the neighbourhood but "
            "trust near pixels more, a softer blur than the box.",
            1 / 16,
        ),
        _preset(
            "gaussian_blur_5",
            "Gaussian blur 5 × 5",
            _BINOMIAL_5,
            "The same bell shape over a 5×5 window (sum 1): a wider, stronger blur.",
            1 / 256,
        ),
        _preset(
            "sharpen",
            "Sharpen",
            [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
            "The centre counts 5 times minus its four neighbours (sum 1): flat areas stay, "
            "differences from the neighbours are exaggerated.",
        ),
        _preset(
            "laplacian",
            "Outline (Laplacian)",
            [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
            "Four neighbours minus four times the centre (sum 0): zero on flat areas, "
            "strong where brightness bends — outlines in both directions.",
        ),
        _preset(
            "outline",
            "Outline (8 neighbours)",
            [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
            "Eight times the centre minus all eight neighbours (sum 0): flat areas vanish "
            "and every edge lights up, whatever its direction.",
        ),
        _preset(
            "sobel_horizontal_edges",
            "Sobel — horizontal edges",
            [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
            "The row above minus the row below (sum 0, middle weighted double): large where "
            "brightness changes from top to bottom, that is on horizontal edges.",
        ),
        _preset(
            "sobel_vertical_edges",
            "Sobel — vertical edges",
            [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
            "The left column minus the right column (sum 0): large where brightness changes "
            "from left to right, that is on vertical edges.",
        ),
        _preset(
            "prewitt_horizontal_edges",
            "Prewitt — horizontal edges",
            [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
            "Like Sobel but with equal weights: the row above minus the row below finds "
            "horizontal edges, a little more sensitive to noise.",
        ),
        _preset(
            "prewitt_vertical_edges",
            "Prewitt — vertical edges",
            [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
            "The left column minus the right column with equal weights: vertical edges.",
        ),
        _preset(
            "emboss",
            "Emboss",
            [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
            "Negative weights at the top-left, positive at the bottom-right (sum 1): edges "
            "facing one way turn bright and the other way dark, like a relief lit from the "
            "side.",
        ),
        _preset(
            "motion_blur",
            "Motion blur",
            np.eye(5).tolist(),
            "Five weights of 1/5 along a diagonal (sum 1) average pixels along one "
            "direction, like a camera moving while the shutter is open.",
            1 / 5,
        ),
    )
}


TOP_BOTTOM_2X2 = np.array([[-1.0, -1.0], [1.0, 1.0]])
"""The row below minus the row above: what no 1×2 weight pair can see (lesson 2's warm-up)."""
TOP_BOTTOM_2X2.setflags(write=False)


def centred(kernel: np.ndarray, side: int) -> np.ndarray:
    """``kernel`` (KH, KW) in the middle of a (side, side) grid of zeros.

    Zeros add nothing to a sum of products, so an odd kernel keeps its effect (only the output
    shrinks as for a side×side kernel); lets kernels of different sizes share one layer.
    """
    kernel = parse_kernel(kernel)
    KH, KW = kernel.shape
    if max(KH, KW) > side:
        raise KernelError(f"a {KH}×{KW} kernel does not fit in {side}×{side}.")
    out = np.zeros((side, side))
    top, left = (side - KH) // 2, (side - KW) // 2
    out[top : top + KH, left : left + KW] = kernel
    return out
