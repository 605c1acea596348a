"""Drawn digits are prepared as the UCI digits were: ink box → 32×32 bitmap → 4×4 counts."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from cnnviz.data import preprocess
from cnnviz.data.digits import load_digits


def loop_block_counts(bitmap: np.ndarray, block: int = 4) -> np.ndarray:
    n = bitmap.shape[0] // block
    out = np.zeros((n, n), dtype=int)
    for r in range(n):
        for c in range(n):
            out[r, c] = sum(
                int(bitmap[r * block + i, c * block + j])
                for i in range(block)
                for j in range(block)
            )
    return out


def test_block_counts_equal_a_loop():
    bitmap = np.random.default_rng(0).integers(0, 2, size=(32, 32)).astype(np.uint8)
    np.testing.assert_array_equal(preprocess.block_counts(bitmap), loop_block_counts(bitmap))


def test_a_bitmap_that_already_fills_the_square_keeps_its_exact_counts():
    rng = np.random.default_rng(1)
    bitmap = np.zeros((32, 32), dtype=np.uint8)
    bitmap[:, 8:24] = rng.integers(0, 2, size=(32, 16))
    bitmap[0, 8] = bitmap[31, 23] = 1  # the ink's box is rows 0..31, columns 8..23: centred
    digit = preprocess.uci_digit(bitmap * 255)
    assert digit.box == (0, 8, 32, 16)
    np.testing.assert_array_equal(digit.bitmap, bitmap)
    np.testing.assert_array_equal(digit.counts, loop_block_counts(bitmap))


def test_ink_is_cropped_scaled_so_its_longer_side_is_32_and_centred():
    image = np.full((100, 120), 255, dtype=np.uint8)
    image[30:70, 50:60] = 0  # a dark bar 40 tall, 10 wide, on white
    digit = preprocess.uci_digit(image)
    assert digit.box == (30, 50, 40, 10)
    rows, cols = np.flatnonzero(digit.bitmap.any(1)), np.flatnonzero(digit.bitmap.any(0))
    assert (rows[0], rows[-1]) == (0, 31)
    assert len(cols) == 8 and cols[0] == 12  # 10 · 32/40 = 8 wide, (32 − 8) // 2 = 12
    assert digit.counts.shape == (8, 8) and digit.counts.dtype == np.uint8
    np.testing.assert_array_equal(digit.counts[:, 3:5], 16)
    assert digit.counts.sum() == 8 * 32


def test_dark_on_light_light_on_dark_rgb_and_rgba_all_agree():
    ink = np.zeros((64, 64), dtype=np.uint8)
    cv2.putText(ink, "5", (10, 55), cv2.FONT_HERSHEY_SIMPLEX, 2, 255, 6)
    light_on_dark = preprocess.uci_digit(ink).counts
    np.testing.assert_array_equal(preprocess.uci_digit(255 - ink).counts, light_on_dark)
    rgb = np.dstack([ink] * 3)
    np.testing.assert_array_equal(preprocess.uci_digit(rgb).counts, light_on_dark)
    rgba = np.dstack([np.full_like(ink, 255)] * 3 + [ink])  # white strokes, transparent rest
    np.testing.assert_array_equal(preprocess.uci_digit(rgba).counts, light_on_dark)
    assert light_on_dark.max() <= preprocess.INK_MAX


def test_the_result_looks_like_the_data_set():
    """A rendered digit fills the 8×8 grid from top to bottom, as the UCI digits do."""
    ink = np.zeros((200, 200), dtype=np.uint8)
    cv2.putText(ink, "0", (40, 170), cv2.FONT_HERSHEY_SIMPLEX, 5, 255, 14)
    counts = preprocess.uci_digit(ink).counts
    assert counts[0].any() and counts[-1].any()  # ink in the first and last rows
    uci = load_digits().images
    assert counts.max() == 16 and uci.max() == 16  # the same 0..16 scale


@pytest.mark.parametrize(
    "image, message",
    [
        (np.full((50, 50), 255, np.uint8), "no ink"),
        (np.full((50, 50, 3), 7, np.uint8), "no ink"),
        (np.zeros((50, 50, 4), np.uint8), "no ink"),
        (np.zeros((2, 2), np.uint8), "at least 4×4"),
        (np.zeros((10, 10), np.float32), "uint8"),
        (np.zeros((10, 10, 2), np.uint8), "gray, RGB or RGBA"),
    ],
)
def test_unusable_images_raise_a_clear_error(image, message):
    with pytest.raises(preprocess.PreprocessError, match=message):
        preprocess.uci_digit(image)


def test_toy_shape_is_light_on_black_28x28():
    drawing = np.full((140, 140), 255, dtype=np.uint8)
    cv2.circle(drawing, (70, 70), 40, 0, 8)  # a dark circle on white paper
    shape = preprocess.toy_shape(drawing)
    assert shape.shape == (28, 28) and shape.dtype == np.uint8
    assert shape[0, 0] == 0 and shape.max() > 128  # background black, strokes light
    np.testing.assert_array_equal(preprocess.toy_shape(255 - drawing), shape)
    with pytest.raises(preprocess.PreprocessError):
        preprocess.toy_shape(np.zeros((30, 30), np.uint8))


def test_network_input_scales_each_data_sets_preparation_to_0_1():
    drawing = np.zeros((64, 64), np.uint8)
    drawing[10:54, 28:36] = 255  # a "1"
    x, digit = preprocess.network_input(drawing, "digits")
    assert x.shape == (1, 1, 8, 8) and x.dtype == np.float32
    np.testing.assert_array_equal(x[0, 0] * 16, preprocess.uci_digit(drawing).counts)
    assert isinstance(digit, preprocess.DigitInput) and 0 < x.max() <= 1
    x, shape = preprocess.network_input(drawing, "shapes")
    assert x.shape == (1, 1, 28, 28)
    np.testing.assert_array_equal(shape, preprocess.toy_shape(drawing))
    np.testing.assert_allclose(x[0, 0] * 255, shape, atol=1e-4)
    with pytest.raises(preprocess.PreprocessError):
        preprocess.network_input(np.zeros((64, 64), np.uint8), "digits")
