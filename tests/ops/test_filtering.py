"""Filtering a whole photo (lesson 3): our NumPy result against OpenCV and against the
definition, for every mode, kernel shape and border pixel."""

import cv2
import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.data import kernels, samples
from cnnviz.ops import conv, filtering, pixels
from cnnviz.ops.conv import correlate2d

MODES = tuple(filtering.FILTER_MODES)
SHAPES = [(1, 1), (3, 3), (5, 5), (7, 7), (2, 2), (4, 6), (7, 2)]


def photo(seed: int = 0, shape=(23, 31)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(*shape, 3), dtype=np.uint8)


def same_padded_reference(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Correlation by the definition: windows from sliding_window_view over a padded image."""
    KH, KW = kernel.shape
    top, left = (KH - 1) // 2, (KW - 1) // 2
    padded = np.pad(image.astype(np.float64), [(top, KH - 1 - top), (left, KW - 1 - left)])
    windows = sliding_window_view(padded, (KH, KW))  # (H, W, KH, KW)
    return np.einsum("hwij,ij->hw", windows, kernel)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_mode_agrees_with_opencv_filter2d(mode, shape):
    rng = np.random.default_rng(sum(shape))
    kernel = rng.normal(size=shape)
    image = photo(len(mode))
    ours = filtering.filter_photo(image, kernel, mode, "luma")
    reference = filtering.filter_photo_opencv(image, kernel, mode, "luma")
    assert ours.shape == (image.shape if mode == "per_channel" else image.shape[:2])
    assert filtering.max_difference(ours, reference) < 1e-9


@pytest.mark.parametrize("shape", SHAPES)
def test_gray_mode_is_the_definition_applied_to_the_grayscale_photo(shape):
    kernel = np.random.default_rng(1).normal(size=shape)
    image = photo(2)
    expected = same_padded_reference(pixels.to_grayscale(image), kernel)
    np.testing.assert_allclose(filtering.filter_photo(image, kernel, "gray"), expected, atol=1e-9)


def test_odd_kernel_reference_is_opencvs_default_anchor():
    """For odd kernels no anchor is needed: plain filter2D with zero borders gives the same."""
    image = photo(3)
    kernel = kernels.PRESETS["sobel_vertical_edges"].array
    gray = pixels.to_grayscale(image).astype(np.float64)
    plain = cv2.filter2D(gray, cv2.CV_64F, kernel, borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(filtering.filter_photo(image, kernel, "gray"), plain, atol=1e-9)


@pytest.mark.parametrize("mix", tuple(filtering.CHANNEL_MIXES))
def test_full_depth_is_the_kernel_on_the_mixed_channels(mix):
    """By linearity a (k, k, 3) kernel with slices kernel*w_c equals kernel on photo @ w."""
    image = photo(4)
    kernel = np.random.default_rng(5).normal(size=(3, 5))
    weights = np.array(filtering.CHANNEL_MIXES[mix][0])
    mixed = image.astype(np.float64) @ weights  # (H, W)
    expected = correlate2d(mixed, kernel, pad="same")
    out = filtering.filter_photo(image, kernel, "full_depth", mix)
    np.testing.assert_allclose(out, expected, atol=1e-9)
    depth = filtering.depth_kernel(kernel, mix)
    assert depth.shape == (3, 5, 3)
    np.testing.assert_allclose(depth[:, :, 2], kernel * weights[2])


def test_per_channel_filters_each_channel_alone():
    image = photo(6)
    kernel = kernels.PRESETS["box_blur"].array
    out = filtering.filter_photo(image, kernel, "per_channel")
    for c in range(3):
        np.testing.assert_allclose(out[:, :, c], same_padded_reference(image[:, :, c], kernel))


def test_identity_changes_nothing_and_box_blur_keeps_a_flat_photo():
    image = photo(7)
    identity = kernels.PRESETS["identity"].array
    np.testing.assert_array_equal(filtering.filter_photo(image, identity, "per_channel"), image)
    flat = np.full((9, 9, 3), 100, dtype=np.uint8)
    blurred = filtering.filter_photo(flat, kernels.PRESETS["box_blur"].array, "gray")
    np.testing.assert_allclose(blurred[1:-1, 1:-1], 100)  # inside: the average of 100s
    assert blurred[0, 0] == pytest.approx(400 / 9)  # corner: 4 pixels + 5 zeros of padding


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", [(3, 3), (4, 6), (7, 7), (1, 2)])
def test_pixel_step_gives_the_value_of_every_pixel(mode, shape):
    """The arithmetic shown for a pixel equals the filtered result there, borders included."""
    image = photo(8, shape=(9, 11))
    kernel = np.random.default_rng(9).normal(size=shape)
    raw = filtering.filter_photo(image, kernel, mode, "red_minus_blue")
    for row in range(9):
        for col in range(11):
            channel = (row + col) % 3
            step = filtering.pixel_step(image, kernel, row, col, mode, "red_minus_blue", channel)
            expected = raw[row, col, channel] if mode == "per_channel" else raw[row, col]
            assert step.value == pytest.approx(expected, abs=1e-9)
            assert step.patch.shape == (shape if mode != "full_depth" else (*shape, 3))


def test_pixel_step_shows_padding_zeros_at_the_corner():
    image = np.full((5, 5, 3), 10, dtype=np.uint8)
    step = filtering.pixel_step(image, np.ones((3, 3)), 0, 0, "gray")
    np.testing.assert_array_equal(step.patch, [[0, 0, 0], [0, 10, 10], [0, 10, 10]])
    assert step.value == 40


@pytest.mark.parametrize("shape", [(3, 3), (4, 6), (1, 1), (7, 2)])
def test_window_overhangs_exactly_where_the_window_touches_padding(shape):
    image = np.full((8, 9, 3), 200, dtype=np.uint8)  # no zero pixels of its own
    kernel = np.ones(shape)
    for row in range(8):
        for col in range(9):
            step = filtering.pixel_step(image, kernel, row, col)
            has_padding = bool((step.patch == 0).any())
            assert filtering.window_overhangs(row, col, shape, (8, 9)) == has_padding


def test_range_summary_counts_what_a_screen_cannot_show():
    raw = np.array([[-10.0, 0.0], [255.0, 300.0]])
    assert filtering.range_summary(raw) == {
        "min": -10.0,
        "max": 300.0,
        "below": 0.25,
        "above": 0.25,
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: filtering.filter_photo(np.zeros((4, 4)), np.ones((3, 3))), "RGB photo"),
        (lambda: filtering.filter_photo(photo(), np.ones((3, 3)), "sepia"), "mode must be"),
        (lambda: filtering.filter_photo(photo(), np.ones((3, 3)), "full_depth", "x"), "mix"),
        (lambda: filtering.filter_photo(photo(), np.full((3, 3), np.nan)), "NaN"),
        (lambda: filtering.pixel_step(photo(), np.ones((3, 3)), 99, 0), "outside"),
        (lambda: filtering.depth_kernel(np.ones(3)), "2-D"),
        (lambda: filtering.max_difference(np.ones(2), np.ones(3)), "shapes differ"),
    ],
)
def test_bad_arguments_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("mix", list(filtering.CHANNEL_MIXES))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(kernels.PRESETS))
def test_flat_response_is_the_middle_of_a_filtered_flat_image(name, mode, mix):
    kernel = kernels.PRESETS[name].array
    flat = np.full((15, 15, 3), 100, dtype=np.uint8)
    middle = filtering.filter_photo_opencv(flat, kernel, mode, mix)[7, 7]
    expected = filtering.flat_response(kernel, mode, mix, 100)
    np.testing.assert_allclose(middle, expected, atol=1e-9)


def test_red_minus_blue_wipes_out_flat_gray_but_not_flat_colour():
    box = kernels.PRESETS["box_blur"].array
    assert filtering.flat_response(box, "full_depth", "red_minus_blue") == 0
    assert filtering.flat_response(box, "gray", "red_minus_blue") == pytest.approx(100)
    red = np.zeros((9, 9, 3), dtype=np.uint8)
    red[..., 0] = 200
    assert filtering.filter_photo(red, box, "full_depth", "red_minus_blue")[4, 4] == (
        pytest.approx(200)
    )
    assert filtering.mix_weights("red_minus_blue") == (1.0, 0.0, -1.0)


def test_full_depth_kernel_with_gray_weights_equals_filtering_gray():
    rgb = samples.load_sample("coffee")[:20, :20].astype(np.float64)
    kernel = kernels.PRESETS["sobel_vertical_edges"].array
    depth = filtering.full_depth_kernel(kernel, pixels.GRAYSCALE_WEIGHTS)
    assert depth.shape == (3, 3, 3)
    gray = rgb @ np.array(pixels.GRAYSCALE_WEIGHTS)
    # Equal as real numbers; the two sums round differently, and some values are exactly 0.
    np.testing.assert_allclose(
        conv.correlate2d(rgb, depth), conv.correlate2d(gray, kernel), rtol=1e-12, atol=1e-9
    )


def test_full_depth_kernel_weights_each_slice_and_checks_its_input():
    depth = filtering.full_depth_kernel([[1, -2]], channel_weights=(1.0, 0.5, 0.0, 2.0))
    assert depth.shape == (1, 2, 4)
    np.testing.assert_array_equal(depth[0, 1], [-2, -1, 0, -4])
    np.testing.assert_allclose(filtering.full_depth_kernel([[3.0]]), [[[1, 1, 1]]])
    for kernel, weights in [([1, 2], (1,)), ([[np.nan]], (1,)), ([[1]], ()), ([[1]], (np.inf,))]:
        with pytest.raises(ValueError):
            filtering.full_depth_kernel(kernel, weights)
