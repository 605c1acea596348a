""" "Check yourself" questions for lesson 8, from the networks and examples on screen.

Pure functions of the transfer network's architecture, the examples per class, the held-out
count and the augmentation copies (no Streamlit). Each answer is the formula the explanation
writes out; the tests check it by brute force (the real network's parameters, the real split,
the real augmented set).
"""

from __future__ import annotations

from cnnviz.nn import CNNConfig
from cnnviz.quiz.question import Question


def your_own_classes_questions(
    config: CNNConfig, counts: list[int], *, held: int, copies: int, fine_tune: bool
) -> list[Question]:
    """Questions on trained vs frozen parameters, held-out examples and augmented copies.

    config : the transfer network's architecture.  counts : examples used of each class.
    held : examples held out per class (each class keeps at least one to train on).
    copies : augmented copies of each training example.  fine_tune : conv3 trains too.
    """
    return [
        trained_question(config, fine_tune),
        frozen_question(config, fine_tune),
        held_question(counts, held),
        copies_question(counts, held, copies),
    ]


def conv_params(config: CNNConfig) -> list[int]:
    """Weights and biases of each conv layer: F · (k·k·C_in + 1)."""
    k, sizes, c_in = config.kernel_size, [], config.input_shape[0]
    for F in config.filters:
        sizes.append(F * (k * k * c_in + 1))
        c_in = F
    return sizes


def trained_question(config: CNNConfig, fine_tune: bool) -> Question:
    K, flat = config.n_classes, config.flat_size()
    dense = flat * K + K
    extra = conv_params(config)[-1] if fine_tune else 0
    last = f"conv{config.n_blocks}"
    tail = f", plus {last}'s {extra:,} (fine-tuned)" if fine_tune else ""
    return Question(
        prompt=f"The transfer network's dense layer maps the {flat:,} numbers of the last "
        f"pooled maps to your {K} classes (one bias each). "
        + (
            f"{last} is fine-tuned too ({extra:,} numbers). "
            if fine_tune
            else "The conv layers are frozen. "
        )  # fmt: skip
        + "How many numbers does training change?",
        answer=dense + extra,
        explanation=f"Dense: {flat:,} × {K} weights + {K} biases = {dense:,}{tail}. "
        "Everything else was copied from the pre-trained network and stays as it is.",
    )


def frozen_question(config: CNNConfig, fine_tune: bool) -> Question:
    sizes = conv_params(config)
    frozen = sizes[:-1] if fine_tune else sizes
    k, C = config.kernel_size, config.input_shape[0]
    terms = " + ".join(f"{n:,}" for n in frozen)
    return Question(
        prompt=f"The frozen layers are conv1 to conv{len(frozen)} (filters "
        f"{', '.join(str(F) for F in config.filters[: len(frozen)])}, all {k} × {k}; the "
        f"input has {C} channel{'s' if C > 1 else ''}). How many weights and biases are frozen?",
        answer=sum(frozen),
        explanation=f"Each conv layer has F · (k·k·C_in + 1): {terms} = {sum(frozen):,}.",
    )


def held_out_count(counts: list[int], held: int) -> int:
    """Examples held out: ``held`` of each class, but every class keeps one to train on."""
    return sum(min(held, max(n - 1, 0)) for n in counts)


def held_question(counts: list[int], held: int) -> Question:
    total = held_out_count(counts, held)
    return Question(
        prompt=f"Your classes have {', '.join(str(n) for n in counts)} examples, and {held} of "
        "each class are held out (every class keeps at least one to train on). How many "
        "examples are held out in all?",
        answer=total,
        explanation=f"min({held}, n − 1) for each class, added up: {total}. They are never "
        "trained on: they measure the held-out accuracy.",
    )


def copies_question(counts: list[int], held: int, copies: int) -> Question:
    train = sum(counts) - held_out_count(counts, held)
    total = train * (1 + copies)
    return Question(
        prompt=f"{train} examples are left to train on, and each gets {copies} augmented "
        "copies. How many examples does one pass over the training set (an epoch) see?",
        answer=total,
        explanation=f"{train} × (1 original + {copies} copies) = {total}. Held-out examples "
        "are never copied.",
    )
