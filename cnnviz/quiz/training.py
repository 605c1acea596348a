""" "Check yourself" questions for lesson 7, generated from the network on screen.

Pure functions of the architecture and training settings (no Streamlit); every answer is
computed the way the page computes it, so it always matches the numbers shown.
"""

from __future__ import annotations

import math

from cnnviz.nn import CNNConfig, FilterStep
from cnnviz.quiz.question import Question


def training_questions(
    config: CNNConfig, n_train: int, batch_size: int, step: FilterStep | None = None
) -> list[Question]:
    """Questions about parameter counts, shapes, epochs and (after a step) one SGD update.

    config : the architecture on screen.  n_train : training images.  batch_size : per step.
    step : the last update of the filter shown in "look inside one step", if any.
    """
    C, H, W = config.input_shape
    F1, k = config.filters[0], config.kernel_size
    conv1 = F1 * (C * k * k + 1)
    questions = [
        Question(
            prompt=f"The first conv layer has {F1} filters of {k}×{k} on a {C}-channel input, "
            "each with one bias. How many numbers does it learn?",
            answer=conv1,
            explanation=f"{F1} × ({k}·{k}·{C} weights + 1 bias) = {conv1}. The same "
            "kernel slides over every position, so the image size does not matter.",
        ),
        Question(
            prompt=f"A {H}×{W} input goes through block 1: a {k}×{k} conv with 'same' padding "
            f"({(k - 1) // 2} zeros around), ReLU, then 2×2 pooling. How many numbers come out "
            f"of block 1 in total ({F1} channels)?",
            answer=F1 * (H // 2) * (W // 2),
            explanation=f"'Same' padding keeps {H}×{W}; pooling halves it to "
            f"{H // 2}×{W // 2}; times {F1} channels = {F1 * (H // 2) * (W // 2)}.",
        ),
        Question(
            prompt=f"The training set has {n_train} images and a batch holds {batch_size}. How "
            "many steps make one epoch (the last batch may be smaller)?",
            answer=math.ceil(n_train / batch_size),
            explanation=f"⌈{n_train} / {batch_size}⌉ = {math.ceil(n_train / batch_size)}: "
            "an epoch is one pass over every training image.",
        ),
    ]
    if step is not None and step.optimizer == "sgd":
        w, g, lr = float(step.w_before[0, 0, 0]), float(step.grad[0, 0, 0]), step.lr
        new = w - lr * g
        questions.append(
            Question(
                prompt=f"Plain SGD with learning rate {lr:g}: a weight is {w:.4f} and its "
                f"gradient dL/dw is {g:.4f}. What is the weight after the step (4 decimals)?",
                answer=round(new, 4),
                tolerance=1e-4,
                explanation=f"w − lr·dL/dw = {w:.4f} − {lr:g}·({g:.4f}) = {new:.4f}. The "
                "weight moves against its gradient, downhill on the loss.",
            )
        )
    return questions
