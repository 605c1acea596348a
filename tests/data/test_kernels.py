"""Preset kernels: what each one does, checked against OpenCV."""

import cv2
import numpy as np
import pytest

from cnnviz.data import kernel_text, kernels, samples
from cnnviz.ops import conv, pixels


def test_at_least_ten_presets_each_explained_in_one_sentence():
    assert len(kernels.PRESETS) >= 10
    for name, preset in kernels.PRESETS.items():
        assert name == preset.name and name.replace("_", "").isalnum()
        assert preset.explanation.endswith(".") and preset.explanation.count(". ") == 0
        assert max(preset.array.shape) <= kernel_text.MAX_KERNEL_SIDE


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


def test_preset_arrays_are_fresh_read_only_copies():
    first, second = kernels.PRESETS["sharpen"].array, kernels.PRESETS["sharpen"].array
    assert first is not second and not first.flags.writeable
    with pytest.raises(ValueError):
        first[1, 1] = 0
    assert kernels.PRESETS["sharpen"].array[1, 1] == 5


def test_centred_kernel_filters_like_the_original_inside_the_valid_area():
    image = np.random.default_rng(1).normal(size=(12, 12))
    sobel = kernels.PRESETS["sobel_vertical_edges"].array
    big = kernels.centred(sobel, 5)
    assert big.shape == (5, 5) and big.sum() == sobel.sum()
    # the 5×5 version's output is the 3×3 one's without its one-pixel border
    np.testing.assert_allclose(
        conv.correlate2d(image, big), conv.correlate2d(image, sobel)[1:-1, 1:-1]
    )
    with pytest.raises(kernel_text.KernelError, match="does not fit"):
        kernels.centred(np.ones((7, 7)), 5)


def test_the_playground_has_the_classic_filters():
    for name in (
        "identity",
        "box_blur",
        "gaussian_blur",
        "sharpen",
        "laplacian",
        "sobel_horizontal_edges",
        "sobel_vertical_edges",
        "prewitt_horizontal_edges",
        "prewitt_vertical_edges",
        "emboss",
    ):
        assert name in kernels.PRESETS
    np.testing.assert_array_equal(
        kernels.PRESETS["sobel_horizontal_edges"].array, [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
    )
