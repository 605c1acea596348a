"""Lesson 3's questions: every marked answer is confirmed by brute force, in every mode and mix.

The flat-patch answer is checked against an actual flat image filtered by OpenCV (and by the
page's own code path); the clipped and normalised answers against the views' real pixels and a
hand calculation from the numbers the prompt prints.
"""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnviz import quiz
from cnnviz.data import kernel_text, kernels
from cnnviz.ops import display, filtering

CHANNELS = ("red", "green", "blue")
NUMBER = r"(−?[\d.]+)"


def read_number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def flat_by_opencv(kernel: np.ndarray, mode: str, mix: str) -> float:
    """The centre of a 15 × 15 flat image (R = G = B = 100), filtered by cv2.filter2D.

    Full depth adds the three channels' filter2D, each with its slice kernel × w_c; gray and
    per-channel filter one plane of 100s (the gray of R = G = B = 100 is 100).
    """
    plane = np.full((15, 15), 100.0)
    weights = filtering.CHANNEL_MIXES[mix][0] if mode == "full_depth" else (1.0,)
    total = sum(
        w * cv2.filter2D(plane, cv2.CV_64F, kernel, borderType=cv2.BORDER_CONSTANT)[7, 7]
        for w in weights
    )
    return float(total)


def flat_by_the_page(kernel: np.ndarray, mode: str, mix: str) -> np.ndarray:
    """The centre pixel (one value, or three in per-channel mode) of the page's own filter."""
    flat = np.full((15, 15, 3), 100, dtype=np.uint8)
    return np.atleast_1d(filtering.filter_photo(flat, kernel, mode, mix)[7, 7])


typed_kernels = st.tuples(st.integers(1, 7), st.integers(1, 7)).flatmap(
    lambda shape: arrays(
        np.float64,
        shape,
        elements=st.one_of(
            st.integers(-9, 9).map(float),
            st.floats(-kernel_text.MAX_ABS_WEIGHT, kernel_text.MAX_ABS_WEIGHT, allow_nan=False),
        ),
    )
)
tiny_kernels = st.tuples(typed_kernels, st.integers(2, 9)).map(lambda ke: ke[0] * 10.0 ** -ke[1])
any_kernel = st.one_of(
    st.sampled_from([p.array for p in kernels.PRESETS.values()]),
    # what the editor returns for typed cells, including tiny weights (narrow raw ranges)
    st.one_of(typed_kernels, tiny_kernels).map(kernel_text.parse_kernel),
)
modes = st.sampled_from(tuple(filtering.FILTER_MODES))
mixes = st.sampled_from(tuple(filtering.CHANNEL_MIXES))
photos = st.tuples(st.integers(1, 12), st.integers(1, 12)).flatmap(
    lambda hw: arrays(np.uint8, (*hw, 3))
)


def questions_for(photo, kernel, mode, mix, row, col, channel):
    """The questions exactly as the page builds them, plus the raw result and pixel value."""
    raw = filtering.filter_photo(photo, kernel, mode, mix)
    H, W = raw.shape[:2]
    row, col = row % H, col % W
    step = filtering.pixel_step(photo, kernel, row, col, mode, mix, channel=channel)
    where = (row, col, channel) if raw.ndim == 3 else (row, col)
    assert abs(step.value - raw[where]) <= 1e-9 * (1 + abs(raw[where]))
    value = float(raw[where])  # the page's inspector gives the raw map's own number
    questions = quiz.filter_playground_questions(
        kernel, value, filtering.range_summary(raw), mode=mode, mix=mix, channel=channel
    )
    return questions, raw, where


@settings(max_examples=300)
@given(kernel=any_kernel, mode=modes, mix=mixes, channel=st.integers(0, 2))
def test_the_flat_patch_answer_is_what_a_flat_image_filters_to(kernel, mode, mix, channel):
    flat = quiz.filter_playground_questions(
        kernel, 0.0, {"min": 0.0, "max": 1.0}, mode=mode, mix=mix, channel=channel
    )[0]
    expected = flat_by_opencv(kernel, mode, mix)
    scale = 1e-9 * max(1.0, abs(expected))
    assert abs(flat.answer - expected) <= 0.005 + scale  # rounded to 2 decimals
    assert flat.is_correct(round(expected, 2))
    np.testing.assert_allclose(flat_by_the_page(kernel, mode, mix), expected, rtol=1e-9, atol=1e-6)
    if mode == "full_depth":
        assert filtering.CHANNEL_MIXES[mix][1] in flat.prompt
    assert "R = G = B = 100" in flat.prompt


@settings(max_examples=300)
@given(
    photo=photos,
    kernel=any_kernel,
    mode=modes,
    mix=mixes,
    row=st.integers(0, 11),
    col=st.integers(0, 11),
    channel=st.integers(0, 2),
)
def test_clipped_and_normalised_answers_match_the_views(
    photo, kernel, mode, mix, row, col, channel
):
    questions, raw, where = questions_for(photo, kernel, mode, mix, row, col, channel)
    value = float(raw[where])
    clipped = questions[1]
    # The view's own pixel, and a hand calculation: round (halves to even) and keep 0-255.
    assert clipped.answer == display.clip_to_uint8(raw)[where]
    assert clipped.answer == min(255, max(0, round(value)))
    printed = read_number(re.search(rf"value is {NUMBER}\. ", clipped.prompt).group(1))
    assert abs(printed - value) <= 0.005 * (1 + 1e-9)
    assert clipped.answer == min(255, max(0, round(printed)))  # working from the printed number
    if mode == "per_channel":
        assert f"raw {CHANNELS[channel]} value" in clipped.prompt
    low, high = float(raw.min()), float(raw.max())
    if high - low < 1e-8:
        assert len(questions) == 2  # no range to stretch (or none a prompt can print)
        return
    (normalised,) = questions[2:]
    assert normalised.answer == display.normalise_to_uint8(raw)[where]
    assert abs(normalised.answer - 255 * (value - low) / (high - low)) <= 0.5 + 1e-6
    numbers = re.search(
        rf"runs from {NUMBER} to {NUMBER}\..*\({NUMBER}\)\?", normalised.prompt
    ).groups()
    p_low, p_high, p_value = (read_number(n) for n in numbers)
    by_hand = 255 * (p_value - p_low) / (p_high - p_low)
    assert normalised.is_correct(round(by_hand)), (by_hand, normalised.answer)


def test_red_minus_blue_on_a_flat_gray_patch_is_zero():
    box = kernels.PRESETS["box_blur"].array
    flat = quiz.filter_playground_questions(
        box, 0.0, {"min": 0.0, "max": 1.0}, mode="full_depth", mix="red_minus_blue"
    )[0]
    assert flat.answer == 0 and flat_by_opencv(box, "full_depth", "red_minus_blue") == 0
    assert "100 × 1 × (1 + 0 − 1) = 100 × 1 × 0 = 0" in flat.explanation
    assert not flat.is_correct(100)
    assert "What does the 3 × 3 × 3 kernel output" in flat.prompt


@pytest.mark.parametrize(
    ("mode", "mix", "answer"),
    [("gray", "red_minus_blue", 900), ("per_channel", "red", 900), ("full_depth", "red", 900)],
)
def test_the_mix_only_matters_in_full_depth(mode, mix, answer):
    flat = quiz.filter_playground_questions(
        np.ones((3, 3)), 0.0, {"min": 0.0, "max": 1.0}, mode=mode, mix=mix
    )[0]
    assert flat.answer == answer


def test_a_value_that_prints_as_a_half_gets_more_decimals():
    # 1.4996 would print as 1.5 with two decimals and invite the answer 2; the view shows 1.
    clipped = quiz.filter_playground_questions(
        np.ones((1, 1)), 1.4996, {"min": 0.0, "max": 2.0}, mode="gray", mix="average"
    )[1]
    assert "value is 1.4996." in clipped.prompt and clipped.answer == 1
    exact_half = quiz.filter_playground_questions(
        np.ones((1, 1)), 2.5, {"min": 0.0, "max": 3.0}, mode="gray", mix="average"
    )[1]
    assert "value is 2.5." in exact_half.prompt and exact_half.answer == 2  # halves to even


def test_a_narrow_range_is_printed_with_enough_decimals():
    normalised = quiz.filter_playground_questions(
        np.ones((1, 1)), 0.0012345, {"min": 0.001, "max": 0.002}, mode="gray", mix="average"
    )[2]
    assert "from 0.001 to 0.002" in normalised.prompt and "(0.0012345)" in normalised.prompt
    assert normalised.answer == 60  # 255 × 0.2345 = 59.8
