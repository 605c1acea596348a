"""Grad-CAM: where in the last conv layer's maps the evidence for a class lies.

With A the chosen layer's activations (C maps of h × w, by default the last ReLU) and the class
score the logit y (before softmax)::

    alpha_c = mean over positions (i, j) of ∂y/∂A_c[i, j]      how much map c matters
    cam     = ReLU(sum over c of alpha_c · A_c)                (h, w), only positive evidence
    cam_up  = cam resized to the input's H × W                 to lay over the image

The resize is OpenCV's ``cv2.resize``: bilinear (``INTER_LINEAR``, pixel centres aligned, the
usual Grad-CAM choice) or nearest (``INTER_NEAREST``, each cam cell a block of pixels).
Layout: an image is (C, H, W) or (1, C, H, W); maps are (C, h, w) and (h, w).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from cnnviz.nn.backprop import forward_keep, gradient_wrt_input, one_image
from cnnviz.nn.model import TinyCNN

INTERPOLATIONS = {"bilinear": cv2.INTER_LINEAR, "nearest": cv2.INTER_NEAREST}


@dataclass(frozen=True)
class GradCAM:
    """Every stage of Grad-CAM for one image and class.

    layer : the activations used, e.g. "relu2"
    class_index, score : the class and its logit
    activations : (C, h, w), A
    gradients : (C, h, w), ∂score/∂A
    alpha : (C,), the mean of each gradient map
    weighted : (C, h, w), alpha_c · A_c
    weighted_sum : (h, w), the sum over c (before ReLU)
    cam : (h, w), ReLU(weighted_sum)
    upsampled : (H, W), cam resized to the input
    interpolation : "bilinear" or "nearest"
    """

    layer: str
    class_index: int
    score: float
    activations: np.ndarray
    gradients: np.ndarray
    alpha: np.ndarray
    weighted: np.ndarray
    weighted_sum: np.ndarray
    cam: np.ndarray
    upsampled: np.ndarray
    interpolation: str

    @property
    def heatmap(self) -> np.ndarray:
        """(H, W) `upsampled` scaled to 0..1 by its maximum (all 0 when the cam is 0)."""
        top = float(self.upsampled.max())
        return self.upsampled / top if top > 0 else np.zeros_like(self.upsampled)


def last_conv_layer(model: TinyCNN) -> str:
    """The default Grad-CAM layer: the last block's ReLU output, "relu<n>"."""
    return f"relu{model.config.n_blocks}"


def grad_cam(
    model: TinyCNN,
    x: np.ndarray,
    class_index: int,
    layer: str | None = None,
    interpolation: str = "bilinear",
) -> GradCAM:
    """Grad-CAM of `class_index` for one image.

    Parameters
    ----------
    x : (C, H, W) or (1, C, H, W)
    class_index : 0..K-1
    layer : a 4-D layer ("conv<i>", "relu<i>", "pool<i>"); default `last_conv_layer`
    interpolation : "bilinear" or "nearest" (see the module docstring)
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"interpolation must be one of {tuple(INTERPOLATIONS)}, got {interpolation!r}"
        )
    layer = last_conv_layer(model) if layer is None else layer
    if not layer.startswith(("conv", "relu", "pool")):
        raise ValueError(f"Grad-CAM needs a layer of maps (conv, relu or pool), got {layer!r}")
    K = model.config.n_classes
    if not 0 <= class_index < K:
        raise ValueError(f"class_index must be 0..{K - 1}, got {class_index}")
    image = one_image(model, x)
    trace = forward_keep(model, image, until="dense")
    dlogits = np.zeros_like(trace["dense"])
    dlogits[0, class_index] = 1
    _, grads = gradient_wrt_input(model, trace, "dense", dlogits)
    A, dA = trace[layer][0], grads[layer][0]  # (C, h, w) each
    score = float(trace["dense"][0, class_index])
    return cam_stages(
        A, dA, image.shape[2:], interpolation, layer=layer, class_index=class_index, score=score
    )


def cam_stages(
    A: np.ndarray,
    dA: np.ndarray,
    input_hw: tuple[int, int],
    interpolation: str = "bilinear",
    **about,
) -> GradCAM:
    """The Grad-CAM stages from activations A (C, h, w) and their gradients dA (C, h, w).

    input_hw : (H, W) to upsample to. `about` gives the result's layer, class_index, score.
    """
    alpha = dA.mean(axis=(1, 2))  # (C,)
    weighted = alpha[:, None, None] * A  # (C, h, w)
    weighted_sum = weighted.sum(axis=0)  # (h, w)
    cam = np.maximum(weighted_sum, 0)
    H, W = input_hw
    # cv2 takes (width, height) and float32/float64 maps
    upsampled = cv2.resize(np.ascontiguousarray(cam), (W, H),
                           interpolation=INTERPOLATIONS[interpolation])  # fmt: skip
    return GradCAM(about.get("layer", ""), about.get("class_index", -1), about.get("score", 0.0),
                   A, dA, alpha, weighted, weighted_sum, cam, upsampled, interpolation)  # fmt: skip
