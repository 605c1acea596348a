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

Import from the modules (``from cnnviz.explain.saliency import saliency``): three functions share
their module's name, so the package re-exports nothing that could shadow a module.
"""
