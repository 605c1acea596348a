"""correlate_per_channel (one 2-D kernel on every channel) and correlate2d on colour images,
checked against OpenCV, the loop reference and a worked example."""

import cv2
import numpy as np
import pytest

from cnnviz.ops.conv import correlate2d, correlate2d_loop, correlate_per_channel
from cnnviz.ops.shapes import ShapeError

BINARY_IMAGE = np.array(
    [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ]
)
X_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
BINARY_OUTPUT = np.array([[4, 3, 4], [2, 4, 3], [2, 3, 4]])  # worked out by hand


def test_worked_example_on_three_channels_keeps_the_depth():
    image = np.stack([BINARY_IMAGE, 2 * BINARY_IMAGE, np.zeros_like(BINARY_IMAGE)], axis=-1)
    out = correlate_per_channel(image, X_KERNEL)
    assert out.shape == (3, 3, 3) and out.dtype == np.float64
    np.testing.assert_array_equal(out[:, :, 0], BINARY_OUTPUT)
    np.testing.assert_array_equal(out[:, :, 1], 2 * BINARY_OUTPUT)
    np.testing.assert_array_equal(out[:, :, 2], 0)


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (5, 5), (7, 7), (3, 5), (7, 1)])
def test_same_padding_matches_opencv_filter2d_per_channel(shape):
    rng = np.random.default_rng(sum(shape))
    image = rng.integers(0, 256, size=(37, 29, 3), dtype=np.uint8)
    kernel = rng.normal(size=shape)
    ours = correlate_per_channel(image, kernel, pad="same")
    assert ours.shape == image.shape
    for c in range(3):
        theirs = cv2.filter2D(
            image[:, :, c].astype(np.float64), -1, kernel, borderType=cv2.BORDER_CONSTANT
        )
        np.testing.assert_allclose(ours[:, :, c], theirs, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize(
    ("stride", "pad", "dilation"), [(1, 0, 1), (2, 1, 1), (1, "full", 2), (3, "same", 2)]
)
def test_every_channel_equals_the_loop_reference(stride, pad, dilation):
    rng = np.random.default_rng(3)
    image, kernel = rng.normal(size=(13, 11, 4)), rng.normal(size=(3, 2))
    out = correlate_per_channel(image, kernel, stride, pad, dilation)
    expected = np.stack(
        [correlate2d_loop(image[:, :, c], kernel, stride, pad, dilation) for c in range(4)], -1
    )
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_full_depth_kernel_matches_opencv_summed_over_channels():
    # A (KH, KW, 3) kernel sums the channels: OpenCV's per-channel results, added up.
    rng = np.random.default_rng(4)
    image = rng.integers(0, 256, size=(40, 33, 3)).astype(np.float64)
    kernel = rng.normal(size=(5, 5, 3))
    theirs = sum(
        cv2.filter2D(image[:, :, c], -1, kernel[:, :, c], borderType=cv2.BORDER_CONSTANT)
        for c in range(3)
    )
    np.testing.assert_allclose(correlate2d(image, kernel, pad="same"), theirs, rtol=1e-10)


def test_a_one_by_one_kernel_scales_every_channel():
    image = np.arange(24, dtype=np.float64).reshape(2, 4, 3)
    np.testing.assert_array_equal(correlate_per_channel(image, [[-2.0]]), -2 * image)


@pytest.mark.parametrize(
    ("image", "kernel"),
    [
        (np.zeros((5, 5)), np.ones((3, 3))),  # gray image: use correlate2d
        (np.zeros((5, 5, 3)), np.ones((3, 3, 3))),  # full-depth kernel: use correlate2d
        (np.zeros((5, 5, 0)), np.ones((3, 3))),  # no channels at all
    ],
)
def test_wrong_shapes_are_explained(image, kernel):
    with pytest.raises(ShapeError, match="correlate2d"):
        correlate_per_channel(image, kernel)


def test_kernel_too_big_for_the_image_is_explained():
    with pytest.raises(ShapeError, match="does not fit"):
        correlate_per_channel(np.zeros((4, 4, 3)), np.ones((5, 5)))
