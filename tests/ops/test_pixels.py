"""Grayscale conversion against OpenCV, resizing and clamped cropping."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.ops.pixels import (
    CHANNEL_NAMES,
    GRAYSCALE_WEIGHTS,
    RESIZE_METHODS,
    channel,
    crop,
    grayscale_value,
    resize,
    to_grayscale,
)

# --- grayscale ---------------------------------------------------------------------------------


def test_weights_are_bt601_and_sum_to_one():
    assert GRAYSCALE_WEIGHTS == (0.299, 0.587, 0.114)
    assert sum(GRAYSCALE_WEIGHTS) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("rgb", "expected"),
    [
        ((255, 0, 0), 76.245),
        ((0, 255, 0), 149.685),
        ((0, 0, 255), 29.07),
        ((255, 255, 255), 255.0),
        ((0, 0, 0), 0.0),
        ((10, 20, 30), 2.99 + 11.74 + 3.42),
    ],
)
def test_grayscale_value_is_unrounded_weighted_sum(rgb, expected):
    assert grayscale_value(*rgb) == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(5))
def test_to_grayscale_matches_opencv_within_one(seed):
    rng = np.random.default_rng(seed)
    height, width = rng.integers(1, 80, size=2)
    rgb = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    gray = to_grayscale(rgb)
    assert gray.shape == (height, width)
    assert gray.dtype == np.uint8
    expected = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    assert np.abs(gray.astype(int) - expected.astype(int)).max() <= 1


def test_to_grayscale_matches_opencv_on_every_pure_colour_ramp():
    ramp = np.arange(256, dtype=np.uint8)
    rgb = np.zeros((3, 256, 3), dtype=np.uint8)
    for plane in range(3):
        rgb[plane, :, plane] = ramp
    diff = to_grayscale(rgb).astype(int) - cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(int)
    assert np.abs(diff).max() <= 1


def test_to_grayscale_rounds_to_nearest():
    rgb = np.array([[[1, 0, 0], [2, 0, 0], [255, 255, 255], [0, 0, 0]]], dtype=np.uint8)
    # 0.299 -> 0, 0.598 -> 1, 255 stays 255
    np.testing.assert_array_equal(to_grayscale(rgb), [[0, 1, 255, 0]])


@pytest.mark.parametrize(
    ("rgb", "mentions"),
    [
        (np.zeros((4, 4), dtype=np.uint8), "(4, 4)"),
        (np.zeros((4, 4, 4), dtype=np.uint8), "(4, 4, 4)"),
        (np.zeros((4, 4, 3), dtype=np.float64), "float64"),
    ],
)
def test_to_grayscale_rejects_bad_input(rgb, mentions):
    with pytest.raises(ValueError) as info:
        to_grayscale(rgb)
    assert mentions in str(info.value)


# --- resize --------------------------------------------------------------------------------------


def test_resize_methods_map_to_opencv_flags():
    assert RESIZE_METHODS == {
        "nearest": cv2.INTER_NEAREST,
        "bilinear": cv2.INTER_LINEAR,
        "area": cv2.INTER_AREA,
    }


@pytest.mark.parametrize("method", sorted(RESIZE_METHODS))
@pytest.mark.parametrize("shape", [(10, 16), (10, 16, 3), (10, 16, 1)])
@pytest.mark.parametrize("size", [(5, 8), (20, 7), (1, 1), (10, 16)])
def test_resize_gives_height_by_width(method, shape, size):
    image = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    out = resize(image, *size, method=method)
    assert out.shape == size + shape[2:]
    assert out.dtype == np.uint8


def test_nearest_enlarging_repeats_pixels():
    image = np.arange(6, dtype=np.uint8).reshape(2, 3)
    expected = np.repeat(np.repeat(image, 2, axis=0), 2, axis=1)
    np.testing.assert_array_equal(resize(image, 4, 6, method="nearest"), expected)


def test_area_halving_averages_2x2_blocks():
    image = np.random.default_rng(1).random((8, 6, 3))
    blocks = image.reshape(4, 2, 3, 2, 3).mean(axis=(1, 3))
    np.testing.assert_allclose(resize(image, 4, 3, method="area"), blocks)


def test_resize_accepts_non_contiguous_views():
    image = np.random.default_rng(2).integers(0, 256, size=(12, 12, 3), dtype=np.uint8)
    view = image[::2, ::-1]
    np.testing.assert_array_equal(
        resize(view, 3, 3, method="nearest"), resize(view.copy(), 3, 3, method="nearest")
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "mentions"),
    [
        ((0, 5), {}, "height must be at least 1 pixel, got 0"),
        ((5, -2), {}, "width must be at least 1 pixel, got -2"),
        ((5.5, 5), {}, "got 5.5"),
        ((True, 5), {}, "got True"),
        ((5, 5), {"method": "cubic"}, "'cubic'"),
    ],
)
def test_resize_rejects_bad_arguments(args, kwargs, mentions):
    with pytest.raises(ValueError) as info:
        resize(np.zeros((4, 4), dtype=np.uint8), *args, **kwargs)
    assert mentions in str(info.value)


@pytest.mark.parametrize("shape", [(0, 4), (4,), (2, 2, 2, 2)])
def test_resize_rejects_bad_images(shape):
    with pytest.raises(ValueError, match=str(shape).replace("(", r"\(").replace(")", r"\)")):
        resize(np.zeros(shape, dtype=np.uint8), 2, 2)


# --- crop ----------------------------------------------------------------------------------------

IMAGE = np.arange(6 * 8).reshape(6, 8)


def test_crop_inside_the_image_is_plain_slicing():
    np.testing.assert_array_equal(crop(IMAGE, 1, 2, 3, 4), IMAGE[1:4, 2:6])


@pytest.mark.parametrize(
    ("top", "left", "height", "width", "expected"),
    [
        (5, 7, 3, 3, IMAGE[3:6, 5:8]),  # moved up and left to stay inside
        (-4, -1, 2, 2, IMAGE[0:2, 0:2]),  # moved down and right
        (2, 3, 100, 100, IMAGE),  # larger than the image: the whole image
        (100, 0, 1, 8, IMAGE[5:6, :]),
    ],
)
def test_crop_clamps_the_window(top, left, height, width, expected):
    np.testing.assert_array_equal(crop(IMAGE, top, left, height, width), expected)


def test_crop_keeps_channels():
    image = np.zeros((6, 8, 3), dtype=np.uint8)
    assert crop(image, 0, 0, 2, 5).shape == (2, 5, 3)


@settings(max_examples=50, deadline=None)
@given(
    top=st.integers(-20, 20),
    left=st.integers(-20, 20),
    height=st.integers(1, 20),
    width=st.integers(1, 20),
)
def test_crop_is_never_empty_and_stays_inside(top, left, height, width):
    out = crop(IMAGE, top, left, height, width)
    assert out.shape == (min(height, 6), min(width, 8))
    # A crop of arange values starts at its own top-left pixel's index.
    row, col = divmod(int(out[0, 0]), 8)
    np.testing.assert_array_equal(out, IMAGE[row : row + out.shape[0], col : col + out.shape[1]])


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        ((0, 0, 0, 3), "height must be at least 1 pixel, got 0"),
        ((0, 0, 3, -1), "width must be at least 1 pixel, got -1"),
        ((0.5, 0, 3, 3), "top must be a whole number, got 0.5"),
        ((0, "1", 3, 3), "left must be a whole number, got '1'"),
    ],
)
def test_crop_rejects_bad_arguments(args, mentions):
    with pytest.raises(ValueError) as info:
        crop(IMAGE, *args)
    assert mentions in str(info.value)


def test_crop_rejects_empty_image():
    with pytest.raises(ValueError, match="non-empty"):
        crop(np.zeros((0, 3)), 0, 0, 1, 1)


def test_channel_picks_each_plane_and_gray():
    rgb = np.random.default_rng(3).integers(0, 256, (4, 5, 3), dtype=np.uint8)
    for index, name in enumerate(CHANNEL_NAMES[:3]):
        np.testing.assert_array_equal(channel(rgb, name), rgb[..., index])
    np.testing.assert_array_equal(channel(rgb, "gray"), to_grayscale(rgb))


@pytest.mark.parametrize("name", ["alpha", "Red", ""])
def test_channel_rejects_unknown_names(name):
    with pytest.raises(ValueError, match="channel must be one of"):
        channel(np.zeros((2, 2, 3), np.uint8), name)
