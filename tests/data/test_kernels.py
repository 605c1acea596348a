"""Preset kernels, typed kernels and their URL text."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.data import kernels, samples
from cnnviz.ops import conv, pixels


def test_at_least_ten_presets_each_explained_in_one_sentence():
    assert len(kernels.PRESETS) >= 10
    for name, preset in kernels.PRESETS.items():
        assert name == preset.name and name.replace("_", "").isalnum()
        assert preset.explanation.endswith(".") and preset.explanation.count(". ") == 0
        assert max(preset.array.shape) <= kernels.MAX_KERNEL_SIDE


@pytest.mark.parametrize(
    ("name", "total"),
    [
        ("identity", 1),
        ("box_blur", 1),
        ("gaussian_blur", 1),
        ("gaussian_blur_5", 1),
        ("sharpen", 1),
        ("laplacian", 0),
        ("outline", 0),
        ("sobel_horizontal_edges", 0),
        ("sobel_vertical_edges", 0),
        ("prewitt_horizontal_edges", 0),
        ("prewitt_vertical_edges", 0),
        ("emboss", 1),
        ("motion_blur", 1),
    ],
)
def test_weight_sums_match_what_the_explanations_promise(name, total):
    assert kernels.PRESETS[name].array.sum() == pytest.approx(total)


def test_sobel_horizontal_edges_fires_on_a_horizontal_edge_only():
    image = np.zeros((8, 8))
    image[:4] = 255  # bright top half: one horizontal edge
    horizontal = conv.correlate2d(image, kernels.PRESETS["sobel_horizontal_edges"].array)
    vertical = conv.correlate2d(image, kernels.PRESETS["sobel_vertical_edges"].array)
    assert np.abs(horizontal).max() > 0 and np.abs(vertical).max() == 0


@pytest.mark.parametrize("name", list(kernels.PRESETS))
def test_presets_filter_like_opencv(name):
    gray = pixels.channel(samples.load_sample("camera")[:64, :64], "gray").astype(np.float64)
    kernel = kernels.PRESETS[name].array
    ours = conv.correlate2d(gray, kernel, pad="same")
    if kernel.shape[0] % 2 == 1 and kernel.shape[1] % 2 == 1:
        theirs = cv2.filter2D(gray, -1, kernel, borderType=cv2.BORDER_CONSTANT)
        np.testing.assert_allclose(ours, theirs, atol=1e-9)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([["1", " -2 ", "1/9"]], [[1, -2, 1 / 9]]),
        ([[0.5, "\u22121"]], [[0.5, -1]]),
        ([["1e2"], ["-3/4"]], [[100], [-0.75]]),
    ],
)
def test_parse_accepts_what_people_type(cells, expected):
    np.testing.assert_allclose(kernels.parse_kernel(cells), expected)


@pytest.mark.parametrize(
    ("cells", "mentions"),
    [
        ([], "empty"),
        ([[]], "empty"),
        ([["1", None]], "row 1, column 2 is empty"),
        ([["", "1"]], "row 1, column 1 is empty"),
        ([["abc"]], "not a number"),
        ([["nan"]], "NaN"),
        ([["-inf"]], "infinite"),
        ([["1e308"]], "between"),
        ([["2000"]], "between"),
        ([["1/0"]], "divides by zero"),
        ([["1", "2"], ["3"]], "same number"),
        ([["1"] * 8], "at most 7×7"),
        ([["1"]] * 8, "at most 7×7"),
        ([["1" * 50]], "too long"),
        (5, "table"),
    ],
)
def test_parse_explains_every_bad_kernel(cells, mentions):
    with pytest.raises(kernels.KernelError, match=mentions):
        kernels.parse_kernel(cells)


cell = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cell, max_size=9), max_size=9))
def test_parse_gives_an_array_or_a_kernel_error_whatever_the_input(cells):
    try:
        weights = kernels.parse_kernel(cells)
    except kernels.KernelError:
        return
    assert weights.dtype == np.float64 and np.isfinite(weights).all()
    assert 1 <= weights.shape[0] <= 7 and 1 <= weights.shape[1] <= 7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(-1000, 1000), min_size=3, max_size=3), min_size=1, max_size=7))
def test_text_round_trip(rows):
    kernel = np.array(rows)
    back = kernels.kernel_from_text(kernels.kernel_to_text(kernel))
    np.testing.assert_allclose(back, kernel, rtol=1e-5, atol=1e-9)


def test_preset_text_is_exact_and_readable():
    assert kernels.kernel_to_text(kernels.PRESETS["box_blur"].array) == ";".join(
        ["1/9,1/9,1/9"] * 3
    )
    assert kernels.kernel_to_text([[1, -0.5]]) == "1,-1/2"


@pytest.mark.parametrize("text", ["", ";", "1,2;3", "x" * 3000, "1,,2", "nan"])
def test_bad_text_raises_kernel_error(text):
    with pytest.raises(kernels.KernelError):
        kernels.kernel_from_text(text)


def test_full_depth_kernel_with_gray_weights_equals_filtering_gray():
    rgb = samples.load_sample("coffee")[:20, :20].astype(np.float64)
    kernel = kernels.PRESETS["sobel_vertical_edges"].array
    depth = kernels.full_depth_kernel(kernel, pixels.GRAYSCALE_WEIGHTS)
    assert depth.shape == (3, 3, 3)
    gray = rgb @ np.array(pixels.GRAYSCALE_WEIGHTS)
    np.testing.assert_allclose(conv.correlate2d(rgb, depth), conv.correlate2d(gray, kernel))
