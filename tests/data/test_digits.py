"""The bundled UCI digits and the stratified train/test split."""

import numpy as np
import pytest

from cnnviz.data import digits as dg


@pytest.fixture(scope="module")
def digits():
    return dg.load_digits()


def test_shapes_dtypes_and_value_range(digits):
    assert digits.images.shape == (1797, 8, 8)
    assert digits.labels.shape == (1797,)
    assert len(digits) == 1797
    assert digits.images.dtype == np.uint8
    assert digits.labels.dtype == np.uint8
    assert digits.images.min() == 0
    assert digits.images.max() == dg.INK_MAX == 16


def test_every_digit_appears_about_180_times(digits):
    counts = np.bincount(digits.labels, minlength=10)
    assert counts.shape == (10,)
    assert counts.sum() == 1797
    assert counts.min() >= 170
    assert counts.max() <= 190


def test_images_look_like_digits(digits):
    # Borders are mostly blank and every image has ink.
    assert digits.images.reshape(len(digits), -1).max(axis=1).min() > 0
    assert digits.images[:, :, 0].mean() < digits.images[:, :, 3:5].mean() / 4
    # Class means differ: a "0" has a hole in the middle, a "1" has ink there.
    mean0 = digits.images[digits.labels == 0].mean(axis=0)
    mean1 = digits.images[digits.labels == 1].mean(axis=0)
    assert mean0[3:5, 3:5].mean() < mean1[3:5, 3:5].mean()


def test_arrays_are_read_only(digits):
    with pytest.raises(ValueError):
        digits.images[0, 0, 0] = 1


def test_split_sizes_are_disjoint_and_complete(digits):
    train, test = dg.train_test_split(digits, test_fraction=0.2, seed=0)
    assert len(train) + len(test) == 1797
    assert abs(len(test) - 0.2 * 1797) <= 5
    # Every image ends up on exactly one side: compare the multisets of (image, label) rows.
    rows = np.concatenate([digits.images.reshape(1797, -1), digits.labels[:, None]], axis=1)
    train_rows = np.concatenate([train.images.reshape(len(train), -1), train.labels[:, None]], 1)
    test_rows = np.concatenate([test.images.reshape(len(test), -1), test.labels[:, None]], 1)
    combined = np.concatenate([train_rows, test_rows])
    assert np.array_equal(np.unique(rows, axis=0), np.unique(combined, axis=0))
    assert np.array_equal(
        np.unique(rows, axis=0, return_counts=True)[1],
        np.unique(combined, axis=0, return_counts=True)[1],
    )


def _test_positions(digits, test):
    """Indices in `digits` of the test images (the split keeps the original order)."""
    flat = digits.images.reshape(len(digits), -1)
    positions, start = [], 0
    for image in test.images.reshape(len(test), -1):
        start += int(np.flatnonzero((flat[start:] == image).all(axis=1))[0])
        positions.append(start)
        start += 1
    return np.array(positions)


def test_split_is_disjoint_by_position(digits):
    train, test = dg.train_test_split(digits, seed=0)
    test_idx = _test_positions(digits, test)
    train_idx = np.setdiff1d(np.arange(len(digits)), test_idx)
    assert np.intersect1d(test_idx, train_idx).size == 0
    assert np.array_equal(digits.images[train_idx], train.images)
    assert np.array_equal(digits.labels[train_idx], train.labels)


def test_split_is_stratified(digits):
    train, test = dg.train_test_split(digits, test_fraction=0.25, seed=3)
    all_counts = np.bincount(digits.labels, minlength=10)
    test_counts = np.bincount(test.labels, minlength=10)
    train_counts = np.bincount(train.labels, minlength=10)
    assert np.array_equal(train_counts + test_counts, all_counts)
    assert np.all(np.abs(test_counts - 0.25 * all_counts) <= 1)


def test_split_is_deterministic_per_seed(digits):
    train_a, test_a = dg.train_test_split(digits, seed=7)
    train_b, test_b = dg.train_test_split(digits, seed=7)
    assert np.array_equal(test_a.images, test_b.images)
    assert np.array_equal(test_a.labels, test_b.labels)
    assert np.array_equal(train_a.images, train_b.images)


def test_different_seeds_give_different_splits(digits):
    _, test_a = dg.train_test_split(digits, seed=0)
    _, test_b = dg.train_test_split(digits, seed=1)
    assert len(test_a) == len(test_b)
    assert not np.array_equal(_test_positions(digits, test_a), _test_positions(digits, test_b))


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_split_rejects_fractions_outside_zero_one(digits, fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        dg.train_test_split(digits, test_fraction=fraction)


def test_tiny_classes_keep_one_image_on_each_side():
    images = np.zeros((4, 8, 8), dtype=np.uint8)
    labels = np.array([0, 0, 1, 1], dtype=np.uint8)
    train, test = dg.train_test_split(dg.Digits(images, labels), test_fraction=0.1)
    assert sorted(train.labels) == [0, 1]
    assert sorted(test.labels) == [0, 1]


@pytest.mark.parametrize(
    ("images", "labels", "message"),
    [
        (np.zeros((2, 8, 7), np.uint8), np.zeros(2, np.uint8), "shape"),
        (np.zeros((2, 8, 8), np.uint8), np.zeros(3, np.uint8), "one label per image"),
        (np.zeros((2, 8, 8), np.float64), np.zeros(2, np.uint8), "uint8"),
        (np.full((2, 8, 8), 17, np.uint8), np.zeros(2, np.uint8), "0..16"),
        (np.zeros((2, 8, 8), np.uint8), np.array([0, 10], np.uint8), "0..9"),
    ],
)
def test_digits_rejects_bad_arrays(images, labels, message):
    with pytest.raises(ValueError, match=message):
        dg.Digits(images, labels)
