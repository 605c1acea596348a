"""Lesson 3's note under the kernel: what its weights do to a flat area, by mode and mix."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.data import kernel_text, kernels
from cnnviz.lessons import filter_playground as lesson
from cnnviz.ops import filtering


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("box_blur", "sum to **1**"),
        ("sharpen", "sum to **1**"),
        ("sobel_vertical_edges", "sum to **0**"),
        ("laplacian", "sum to **0**"),
    ],
)
def test_weight_sum_note_names_the_sum_of_each_preset(name, says):
    assert says in lesson.weight_sum_note(kernels.PRESETS[name].array)


def test_weight_sum_note_for_other_sums_gives_the_flat_area_value():
    note = lesson.weight_sum_note(np.ones((3, 3)))  # sum 9: 100 -> 900
    assert "**9**" in note and "becomes 900" in note and "brighter" in note
    assert "negative" in lesson.weight_sum_note(-np.ones((1, 2)) / 4)
    assert "darker" in lesson.weight_sum_note(np.full((2, 2), 0.1))


def test_weight_sum_note_follows_the_mode():
    box = kernels.PRESETS["box_blur"].array
    assert "keeps its brightness (100 stays 100)" in lesson.weight_sum_note(box, "gray")
    assert "each channel's 100 stays 100" in lesson.weight_sum_note(box, "per_channel")
    assert "becomes 900 in each channel" in lesson.weight_sum_note(np.ones((3, 3)), "per_channel")
    # the mix only matters in full depth
    assert lesson.weight_sum_note(box, "gray", "red_minus_blue") == lesson.weight_sum_note(box)


def test_weight_sum_note_in_full_depth_follows_the_mix():
    """Issue 10 item 2: box blur with red minus blue turns a flat gray 100 into 0, not 100."""
    box = kernels.PRESETS["box_blur"].array
    note = lesson.weight_sum_note(box, "full_depth", "red_minus_blue")
    assert "times 1, 0 and −1, so all 3 × 3 × 3 weights sum to 1 × 0 = **0**" in note
    assert "(R = G = B = 100) becomes **0**" in note and "100 stays 100" not in note
    assert "1 × (1·R + 0·G − 1·B)" in note
    average = lesson.weight_sum_note(box, "full_depth", "average")
    assert "times 1/3, 1/3 and 1/3" in average and "100 stays 100" in average
    luma = lesson.weight_sum_note(np.ones((3, 3)), "full_depth", "luma")
    assert "9 × 1 = **9**" in luma and "becomes 900" in luma
    sobel = kernels.PRESETS["sobel_vertical_edges"].array
    assert "whatever its colour" in lesson.weight_sum_note(sobel, "full_depth", "red")


@settings(max_examples=100)
@given(
    kernel=st.sampled_from([p.array for p in kernels.PRESETS.values()]),
    scale=st.sampled_from([1.0, 2.0, -0.5, 3.0]),
    mode=st.sampled_from(tuple(filtering.FILTER_MODES)),
    mix=st.sampled_from(tuple(filtering.CHANNEL_MIXES)),
)
def test_weight_sum_note_names_what_a_flat_gray_image_filters_to(kernel, scale, mode, mix):
    """The note's flat-area value is the middle of an actual flat 100 image, filtered."""
    kernel = kernel * scale
    flat = np.full((15, 15, 3), 100, dtype=np.uint8)
    raw = filtering.filter_photo(flat, kernel, mode, mix)
    middle = float(np.atleast_1d(raw[7, 7])[0])
    note = lesson.weight_sum_note(kernel, mode, mix)
    if abs(middle) < 1e-6:
        assert "becomes 0" in note or "becomes **0**" in note
    elif abs(middle - 100) < 1e-6:
        assert "100 stays 100" in note
    else:
        value = kernel_text.weight_text(round(middle, 6)).replace("-", "\u2212")
        assert f"becomes {value}" in note, (middle, note)
