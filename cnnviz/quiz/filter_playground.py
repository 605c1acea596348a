""" "Check yourself" for lesson 3 (filter playground), from the kernel and result on screen.

A pure function of the numbers on screen (no Streamlit), so the answer is always the one the
page itself computes — in the mode on screen ("gray", "per_channel" or "full_depth", see
`cnnviz.ops.filtering`) and, in full depth, with the channel mix on screen. Numbers in a
prompt are printed with enough decimals that working from them gives the marked answer.
"""

from __future__ import annotations

import math

import numpy as np

from cnnviz.numbers import MINUS, text_number
from cnnviz.ops import display, filtering
from cnnviz.quiz.question import Question

CHANNELS = ("red", "green", "blue")
FLAT_LEVEL = 100
"""The flat patch of the first question: every pixel R = G = B = 100."""
MAX_DECIMALS = 12
"""A raw range narrower than this many decimals can show is not asked about."""


def filter_playground_questions(
    kernel: np.ndarray,
    pixel_value: float,
    raw_range: dict[str, float],
    *,
    mode: str,
    mix: str,
    channel: int = 0,
) -> list[Question]:
    """Questions for lesson 3 from the kernel, mode and result on screen.

    kernel : (KH, KW) weights in use.  pixel_value : the raw value of the inspected pixel
    (of channel `channel`, 0 red … 2 blue, in "per_channel" mode).
    raw_range : `cnnviz.ops.filtering.range_summary` of the whole raw result (its min and max).
    mode, mix : as in `cnnviz.ops.filtering.filter_photo` (mix matters in "full_depth" only).
    """
    which = f" {CHANNELS[channel]}" if mode == "per_channel" else ""
    questions = [
        _flat_question(kernel, mode, mix),
        _clipped_question(pixel_value, which),
    ]
    normalised = _normalised_question(pixel_value, raw_range, which)
    if normalised is not None:
        questions.append(normalised)
    return questions


def _flat_question(kernel: np.ndarray, mode: str, mix: str) -> Question:
    """A flat gray patch (R = G = B = 100): ``filtering.flat_response`` in the mode on screen."""
    total = float(np.sum(kernel))
    flat = filtering.flat_response(kernel, mode, mix, FLAT_LEVEL)
    answer = round(flat, 2)
    patch = (
        f"Imagine a perfectly flat gray patch of the photo: every pixel is R = G = B = {FLAT_LEVEL}"
    )
    s, shown = text_number(total, 6), text_number(answer, 2)
    if mode == "full_depth":
        KH, KW = np.shape(kernel)
        weights = filtering.mix_weights(mix)
        w = [text_number(x, 3) for x in weights]
        mix_sum = text_number(sum(weights), 6)
        prompt = (
            f"{patch}. In full depth with “{filtering.CHANNEL_MIXES[mix][1]}” the R, G and B "
            f"slices are your kernel times {w[0]}, {w[1]} and {w[2]}. What does the "
            f"{KH} × {KW} × 3 kernel output in the middle of the patch?"
        )
        explanation = (
            f"Slice c adds {FLAT_LEVEL} × (sum of the weights) × (its channel weight), so the "
            f"output is {FLAT_LEVEL} × {s} × ({w[0]} + {w[1]} + {w[2]}) = {FLAT_LEVEL} × {s} × "
            f"{mix_sum} = {shown}."
        ).replace(f"+ {MINUS}", f"{MINUS} ")
    else:
        gray = f", so its gray value is {FLAT_LEVEL}" if mode == "gray" else ""
        where = ", in each channel" if mode == "per_channel" else ""
        prompt = f"{patch}{gray}. What does your kernel output in the middle of the patch{where}?"
        explanation = (
            f"Every product is {FLAT_LEVEL} × a weight, so the sum is {FLAT_LEVEL} × (sum of the "
            f"weights) = {FLAT_LEVEL} × {s} = {shown}."
        )
    return Question(prompt=prompt, answer=answer, tolerance=0.01, explanation=explanation)


def _clipped_question(pixel_value: float, which: str) -> Question:
    """What the clipped view shows for the inspected value: round (halves to even), 0-255."""
    text, shown = _shown(pixel_value, 2)
    clipped = float(display.clip_to_uint8(np.array([[shown]]))[0, 0])
    in_channel = f" in its{which} channel" if which else ""
    return Question(
        prompt=f"The inspected pixel's raw{which} value is {text}. What number does the clipped "
        f"view show for it{in_channel}?",
        answer=clipped,
        explanation=f"Clipping rounds to a whole number (a half goes to the even one, as OpenCV "
        f"does) and keeps values inside 0–255: {text} → {clipped:g}.",
    )


def _normalised_question(pixel_value: float, raw_range: dict[str, float], which: str):
    """The normalised view's level of the inspected value, or None without a usable range."""
    low, high = raw_range["min"], raw_range["max"]
    span = high - low
    if not span > 0:
        return None
    # Each printed number is off by at most span / 20000, so working from them lands within
    # 0.05 of the exact level: the marked answer (the view's level) is then within 1.
    decimals = max(2, math.ceil(4 - math.log10(span)))
    if decimals > MAX_DECIMALS:
        return None
    low_text, high_text, value_text = (text_number(x, decimals) for x in (low, high, pixel_value))
    level = float(display.normalise_to_uint8(np.array([[low, pixel_value, high]]))[0, 1])
    exact = 255 * (pixel_value - low) / span
    channels = " (all three channels together)" if which else ""
    level_name = "level" if which else "gray level"
    return Question(
        prompt=f"The raw result{channels} runs from {low_text} to {high_text}. Which {level_name} "
        f"(0–255) does the normalised view give the inspected pixel's{which} value "
        f"({value_text})?",
        answer=level,
        tolerance=1,
        explanation=f"255 × ({value_text} − ({low_text})) / ({high_text} − ({low_text})) = "
        f"{text_number(exact, 2)}, which rounds to {level:g} (±1 counts as right).",
    )


def _shown(value: float, decimals: int) -> tuple[str, float]:
    """``value`` as printed, and the printed number: never a false half (1.496 is not 1.5).

    A value that prints as x.5 but is not exactly x.5 gets more decimals, so rounding the
    printed number gives the same whole number as rounding the value itself.
    """
    text = text_number(value, decimals)
    while decimals < MAX_DECIMALS:
        shown = float(text.replace(MINUS, "-"))
        if shown == value or abs(shown - math.floor(shown) - 0.5) > 0:
            break
        decimals += 1
        text = text_number(value, decimals)
    return text, float(text.replace(MINUS, "-"))
