"""Lesson 9: what does the network look at? Explanations of a `cnnviz.nn.TinyCNN`, pure NumPy.

One idea per module, each built on `cnnviz.nn.backprop` (a forward pass that keeps its caches
and a backward pass from any layer down to the input pixels):

- `receptive_field`: which input pixels one unit can see, r_out = r_in + (k − 1)·d·j_in
- `saliency`: ∂(class score)/∂(pixel), checked by a finite difference
- `occlusion`: the drop in probability when a grey patch covers each region (one batch)
- `gradcam`: Grad-CAM on the last conv layer, every stage kept
- `filter_wants`: gradient ascent from grey for one filter or class; its top test images
- `fgsm`: the fast gradient sign method and the smallest ε that flips the answer

Layout: images (C, H, W) or batches (N, C, H, W) as `cnnviz.nn` takes them, pixels 0..1.
Nothing here imports Streamlit or `cnnviz.data` (data comes in as arrays).
"""

from cnnviz.explain.fgsm import EpsSweep, Nudge, fgsm, fgsm_sweep, smallest_flipping_eps
from cnnviz.explain.filter_wants import FilterWants, filter_wants, top_examples
from cnnviz.explain.gradcam import GradCAM, grad_cam
from cnnviz.explain.occlusion import Occlusion, default_patch, occlusion
from cnnviz.explain.receptive_field import (
    FieldRow,
    InputBox,
    PointwiseConv,
    StackComparison,
    field_table,
    input_box,
    pointwise_conv,
    stacked_vs_single,
)
from cnnviz.explain.saliency import FiniteDifference, Saliency, finite_difference, saliency

__all__ = [
    "EpsSweep",
    "FieldRow",
    "FilterWants",
    "FiniteDifference",
    "GradCAM",
    "InputBox",
    "Nudge",
    "Occlusion",
    "PointwiseConv",
    "Saliency",
    "StackComparison",
    "default_patch",
    "fgsm",
    "fgsm_sweep",
    "field_table",
    "filter_wants",
    "finite_difference",
    "grad_cam",
    "input_box",
    "occlusion",
    "pointwise_conv",
    "saliency",
    "smallest_flipping_eps",
    "stacked_vs_single",
    "top_examples",
]
