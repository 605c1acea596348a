"""The synthetic shapes set: deterministic, balanced, in range, and learnable."""

import numpy as np
import pytest

from cnnviz.data import toy_shapes as ts


def test_same_seed_same_images_other_seed_other_images():
    a = ts.make_shapes(60, np.random.default_rng(3))
    b = ts.make_shapes(60, np.random.default_rng(3))
    c = ts.make_shapes(60, np.random.default_rng(4))
    np.testing.assert_array_equal(a.images, b.images)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not np.array_equal(a.images, c.images)


@pytest.mark.parametrize("n", [0, 1, 5, 6, 100, 601])
def test_classes_are_balanced_and_shapes_are_right(n):
    shapes = ts.make_shapes(n, np.random.default_rng(0))
    assert shapes.images.shape == (n, 28, 28) and shapes.images.dtype == np.uint8
    assert shapes.labels.shape == (n,) and len(shapes) == n
    counts = np.bincount(shapes.labels, minlength=ts.N_CLASSES)
    assert counts.sum() == n and len(counts) == 6
    assert counts.max() - counts.min() <= 1


def test_every_image_has_a_visible_shape_inside_the_frame():
    shapes = ts.make_shapes(120, np.random.default_rng(1), noise=0)
    for image in shapes.images:
        assert image.max() >= 150  # a bright stroke
        ink = image > 100
        assert 8 <= ink.sum() <= 400  # a shape, not an empty or filled frame
    # Noise-free: the background is black.
    assert np.median(shapes.images) == 0


def test_bars_run_along_their_axis():
    rng = np.random.default_rng(2)
    for label, axis in ((4, 1), (5, 0)):  # horizontal bar spreads over columns, vertical rows
        for _ in range(10):
            rows, cols = np.nonzero(ts.draw_shape(label, rng, noise=0) > 100)
            spread = [np.ptp(rows), np.ptp(cols)]
            assert spread[axis] > 2 * spread[1 - axis]


def test_classes_differ_in_mean_image():
    shapes = ts.make_shapes(600, np.random.default_rng(5), noise=0)
    means = np.stack([shapes.images[shapes.labels == k].mean(axis=0) for k in range(6)])
    for i in range(6):
        for j in range(i + 1, 6):
            assert np.abs(means[i] - means[j]).mean() > 1.0, (i, j)


def test_noise_is_added_and_bounded():
    clean = ts.make_shapes(30, np.random.default_rng(0), noise=0)
    noisy = ts.make_shapes(30, np.random.default_rng(0), noise=30)
    assert (noisy.images > 0).mean() > (clean.images > 0).mean()


@pytest.mark.parametrize("n", [-1, 1.5, True, ts.MAX_SAMPLES + 1])
def test_bad_counts_are_refused(n):
    with pytest.raises(ValueError, match="n must be"):
        ts.make_shapes(n, np.random.default_rng(0))


def test_bad_label_is_refused():
    with pytest.raises(ValueError, match="label"):
        ts.draw_shape(6, np.random.default_rng(0))
