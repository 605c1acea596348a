"""Random shifts for augmentation."""

import numpy as np
import pytest

from cnnviz.data.augment import random_shift, shift_images


def test_shift_moves_content_and_fills_with_zero():
    x = np.arange(1, 17, dtype=np.float32).reshape(1, 1, 4, 4)
    down_right = shift_images(x, np.array([[1, 2]]))
    expected = np.zeros((4, 4), np.float32)
    expected[1:, 2:] = x[0, 0, :3, :2]
    np.testing.assert_array_equal(down_right[0, 0], expected)
    up_left = shift_images(x, np.array([[-1, -1]]))
    np.testing.assert_array_equal(up_left[0, 0, :3, :3], x[0, 0, 1:, 1:])
    assert not up_left[0, 0, 3].any() and not up_left[0, 0, :, 3].any()
    np.testing.assert_array_equal(shift_images(x, np.array([[0, 0]])), x)


def test_random_shift_per_image_within_bounds_and_seeded():
    x = np.zeros((200, 1, 9, 9), dtype=np.float32)
    x[:, :, 4, 4] = 1  # one dot in the centre: where it lands shows the shift
    out = random_shift(x, np.random.default_rng(0), max_shift=2)
    assert out.shape == x.shape and out.dtype == x.dtype
    positions = np.argwhere(out[:, 0] == 1)  # (n, r, c)
    assert len(positions) == 200  # the dot never falls off with shifts <= 2
    dy, dx = positions[:, 1] - 4, positions[:, 2] - 4
    assert set(dy) == set(dx) == {-2, -1, 0, 1, 2}
    np.testing.assert_array_equal(out, random_shift(x, np.random.default_rng(0), max_shift=2))
    assert x[:, :, 4, 4].all()  # the input is untouched


def test_shift_works_on_batches_without_channel_axis():
    x = np.random.default_rng(0).integers(0, 17, size=(5, 8, 8)).astype(np.uint8)
    out = random_shift(x, np.random.default_rng(1), max_shift=0)
    np.testing.assert_array_equal(out, x)


@pytest.mark.parametrize("max_shift", [-1, 8, 1.5])
def test_bad_max_shift_is_refused(max_shift):
    with pytest.raises(ValueError, match="max_shift"):
        random_shift(np.zeros((2, 1, 8, 8)), np.random.default_rng(0), max_shift=max_shift)
