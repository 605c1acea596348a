""" "Check yourself" questions for lesson 7, generated from the network on screen.

Pure functions of the architecture and training settings (no Streamlit). Every answer is
computed from the numbers the question shows: the SGD question rounds the weight and its
gradient to `SHOWN_DECIMALS` in its text and grades against those rounded numbers, so the
honest calculation from the screen is always marked right.
"""

from __future__ import annotations

import math

from cnnviz.nn import CNNConfig, FilterStep
from cnnviz.quiz.question import Question
from cnnviz.viz.formulas import number, text_number

SHOWN_DECIMALS = 4
"""Decimals of the weight and gradient in the SGD question, and of the answer asked for."""
ANSWER_TOLERANCE = 10.0**-SHOWN_DECIMALS
"""One unit in the last decimal: covers rounding the answer either way (half up or half even)."""


def train_a_cnn_questions(
    config: CNNConfig, n_train: int, batch_size: int, step: FilterStep | None = None
) -> list[Question]:
    """Questions about parameter counts, shapes, epochs and (after an SGD step) one update.

    config : the architecture on screen.  n_train : training images.  batch_size : per step.
    step : the last update of the filter shown in "look inside one step", if any.
    """
    questions = [
        _parameters_question(config),
        _block1_question(config),
        _epoch_question(n_train, batch_size),
    ]
    if step is not None and step.optimizer == "sgd":
        questions.append(sgd_question(step))
    return questions


def _parameters_question(config: CNNConfig) -> Question:
    C = config.input_shape[0]
    F1, k = config.filters[0], config.kernel_size
    conv1 = F1 * (k * k * C + 1)
    return Question(
        prompt=f"The first conv layer has {F1} filters of {k} × {k} × {C} (k × k × C), each "
        "with one bias. How many numbers does it learn?",
        answer=conv1,
        explanation=f"F · (k·k·C + 1) = {F1} × ({k}·{k}·{C} weights + 1 bias) = {conv1}. "
        "The same kernel slides over every position, so the image size does not matter.",
    )


def _block1_question(config: CNNConfig) -> Question:
    C, H, W = config.input_shape
    F1, k = config.filters[0], config.kernel_size
    out = (H // 2) * (W // 2) * F1
    return Question(
        prompt=f"The input ({H} × {W} × {C}) goes through block 1: a {k} × {k} conv with "
        f"'same' padding ({(k - 1) // 2} zeros around) and {F1} filters, ReLU, then 2 × 2 "
        "pooling. How many numbers come out of block 1 in total?",
        answer=out,
        explanation=f"'Same' padding keeps {H} × {W}; pooling halves it to "
        f"{H // 2} × {W // 2}; the output is {H // 2} × {W // 2} × {F1} (H × W × C) = {out}.",
    )


def _epoch_question(n_train: int, batch_size: int) -> Question:
    steps = math.ceil(n_train / batch_size)
    return Question(
        prompt=f"The training set has {n_train:,} images and a batch holds {batch_size}. How "
        "many steps make one epoch (the last batch may be smaller)?",
        answer=steps,
        explanation=f"⌈{n_train:,} / {batch_size}⌉ = {steps}: an epoch is one pass over "
        "every training image.",
    )


def shown(value: float) -> float:
    """``value`` as the question prints it: rounded to `SHOWN_DECIMALS` decimals."""
    return float(number(value, SHOWN_DECIMALS))


def sgd_question(step: FilterStep) -> Question:
    """One plain-SGD update of the filter's first weight, graded against the shown numbers."""
    w, g, lr = shown(step.w_before[0, 0, 0]), shown(step.grad[0, 0, 0]), step.lr
    new = w - lr * g  # what a learner computes from the numbers on screen
    answer = round(new, SHOWN_DECIMALS)
    exact = float(step.w_after[0, 0, 0])
    note = ""
    if shown(exact) != shown(answer):
        note = (
            f" (The network's weight itself became {text_number(exact, SHOWN_DECIMALS)}: it "
            "computed with the unrounded numbers.)"
        )
    g_text = text_number(g, SHOWN_DECIMALS)
    return Question(
        prompt=f"Plain SGD with learning rate η = {lr:g}: a weight is "
        f"{text_number(w, SHOWN_DECIMALS)} and its gradient dL/dw is {g_text}. What is the "
        f"weight after the step, w − η · dL/dw ({SHOWN_DECIMALS} decimals)?",
        answer=answer,
        tolerance=ANSWER_TOLERANCE,
        explanation=f"w − η · dL/dw = {text_number(w, SHOWN_DECIMALS)} − {lr:g} · "
        f"({g_text}) = {text_number(new, 8)} ≈ {text_number(answer, SHOWN_DECIMALS)}. The "
        f"weight moves against its gradient, downhill on the loss.{note}",
    )
