""" "Check yourself" questions for lesson 9 (what does the network look at?), from its settings.

Pure functions of the network and the numbers on screen (no Streamlit). The answers come from
the same code the page runs: `cnnviz.explain.receptive_field` for fields and weight counts,
`cnnviz.ops.shapes.output_size` for the occlusion sweep; the tests check each one by brute
force (a gradient's support, counting patch positions, real weight arrays, a real FGSM nudge).
"""

from __future__ import annotations

from cnnviz.explain.occlusion import default_patch
from cnnviz.explain.receptive_field import field_table, stacked_vs_single
from cnnviz.nn.model import CNNConfig
from cnnviz.numbers import number, plural, text_number
from cnnviz.ops.shapes import output_size
from cnnviz.quiz.question import Question


def what_it_looks_at_questions(
    config: CNNConfig,
    *,
    layer: str | None = None,
    patch: int | None = None,
    stride: int | None = None,
    eps: float = 0.1,
) -> list[Question]:
    """Receptive field, occlusion count, stacked-conv weights and FGSM questions.

    config : the network explained.  layer : the layer whose unit is asked about (default the
    last pool).  patch, stride : the occlusion sweep's (default `default_patch` of H).
    eps : the FGSM slider's ε.
    """
    H, W = config.input_shape[1:]
    default = default_patch(H)
    patch = default[0] if patch is None else patch
    stride = default[1] if stride is None else stride
    return [
        field_question(config, layer or f"pool{config.n_blocks}"),
        occlusion_question(H, W, patch, stride),
        stacked_weights_question(config.filters[0]),
        fgsm_question(eps),
    ]


def field_question(config: CNNConfig, layer: str) -> Question:
    """How many input pixels wide one unit of `layer` sees, with the table's arithmetic."""
    rows = field_table(config)
    names = [row.name for row in rows]
    if layer not in names:
        raise ValueError(f"unknown layer {layer!r}; the layers are {', '.join(names)}")
    upto = rows[1 : names.index(layer) + 1]
    k = config.kernel_size
    steps = "; ".join(f"{row.name}: {row.arithmetic}" for row in upto)
    field = upto[-1].field if upto else 1
    return Question(
        prompt=f"The network uses {k} × {k} convolutions (stride 1) and 2 × 2 pooling (stride "
        f"2). How many input pixels wide is the receptive field of one unit of {layer}?",
        answer=field,
        explanation=f"Start with r = 1, j = 1 and apply r_out = r_in + (k − 1)·d·j_in, j_out = "
        f"j_in·s layer by layer — {steps}. So one unit of {layer} sees {field} × {field} "
        "input pixels (fewer at the image's edge, where part of the field is padding).",
    )


def occlusion_question(H: int, W: int, patch: int, stride: int) -> Question:
    """How many occluded copies a p × p patch at stride s makes of an H × W image."""
    H_out, W_out = output_size(H, patch, stride), output_size(W, patch, stride)
    total = H_out * W_out
    return Question(
        prompt=f"A {patch} × {patch} grey patch slides over the {H} × {W} image with stride "
        f"{stride} and no padding. How many occluded copies go through the network?",
        answer=total,
        explanation=f"Per column: floor(({H} − {patch}) / {stride}) + 1 = {H_out} positions; "
        f"per row: floor(({W} − {patch}) / {stride}) + 1 = {W_out}. {H_out} × {W_out} = "
        f"{plural(total, 'copy', 'copies')}, sent as one batch (plus the untouched image for "
        "the probability they are compared with) — lesson 4's arithmetic again.",
    )


def stacked_weights_question(channels: int) -> Question:
    """Weights of two stacked 3 × 3 convs with C channels in and out (VGG's idea)."""
    c = stacked_vs_single(channels, 3, 2)
    return Question(
        prompt=f"Two 3 × 3 conv layers are stacked, each with {channels} input and "
        f"{channels} output channels. Together they see 5 × 5. How many weights do they have "
        "(biases not counted)?",
        answer=c.stacked_weights,
        explanation=f"Each layer has 3·3·{channels}·{channels} = {9 * channels**2:,} weights, "
        f"so 2·9·{channels}² = {c.stacked_weights:,}. One 5 × 5 layer would need "
        f"25·{channels}² = {c.single_weights:,}: the stack sees as much with fewer weights "
        "and an extra ReLU.",
    )


def fgsm_question(eps: float) -> Question:
    """The largest change FGSM makes to any pixel: ε."""
    shown = text_number(eps, 3)
    return Question(
        prompt=f"FGSM nudges the image with ε = {shown}: x′ = clip(x + ε·sign(∂L/∂x), 0, 1). "
        "What is the largest change of any single pixel?",
        answer=float(number(eps, 3)),  # the ε shown, as the learner reads it
        explanation=f"sign(…) is −1, 0 or +1, so every pixel moves by at most ε = {shown}; "
        "clipping to 0..1 can only make a change smaller. The whole image changes by a "
        "barely visible amount, yet the answer can flip.",
        tolerance=5e-4,
    )
