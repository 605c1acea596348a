"""The glyph pre-training set and the starter set: deterministic, light on dark, disjoint."""

import numpy as np
import pytest

from cnnviz.data import glyphs, starter_set


def test_glyphs_are_seeded_balanced_and_light_on_dark():
    a = glyphs.make_glyphs(3, np.random.default_rng(5))
    b = glyphs.make_glyphs(3, np.random.default_rng(5))
    assert np.array_equal(a.images, b.images) and np.array_equal(a.labels, b.labels)
    assert a.images.shape == (3 * len(glyphs.CLASSES), 32, 32) and a.images.dtype == np.uint8
    assert np.bincount(a.labels).tolist() == [3] * len(glyphs.CLASSES)
    border = np.concatenate([a.images[:, 0], a.images[:, -1]], axis=1)
    assert np.median(border) < 40  # dark background
    assert (a.images.max(axis=(1, 2)) >= 140).all()  # every image has light ink


def test_every_glyph_draws_ink_and_held_back_glyphs_are_never_pre_training_classes():
    rng = np.random.default_rng(0)
    for char in glyphs.CLASSES + glyphs.HELD_BACK:
        assert (glyphs.draw_glyph(char, rng) > 100).sum() >= 8, char
    assert not set(glyphs.HELD_BACK) & set(glyphs.CLASSES)
    assert len(set(glyphs.CLASSES)) == len(glyphs.CLASSES) >= 50


def test_glyph_arguments_are_checked():
    with pytest.raises(ValueError):
        glyphs.make_glyphs(-1, np.random.default_rng(0))
    with pytest.raises(ValueError):
        glyphs.make_glyphs(1, np.random.default_rng(0), chars=("ab",))


def test_starter_set_is_seeded_rgb_and_not_a_glyph():
    rng = np.random.default_rng(3)
    sets = starter_set.make_starter_set(starter_set.CLASS_NAMES, 2, rng)
    again = starter_set.make_starter_set(starter_set.CLASS_NAMES, 2, np.random.default_rng(3))
    for name, images in sets.items():
        assert len(images) == 2 and name not in glyphs.CLASSES
        for image, same in zip(images, again[name], strict=True):
            assert image.shape == (96, 96, 3) and image.dtype == np.uint8
            assert np.array_equal(image, same)
            assert image.std() > 10  # a drawing, not a flat colour
    assert len(starter_set.CLASS_NAMES) >= 5
    classes = starter_set.starter_classes(("star", "moon"), 5, seed=3)
    assert [c.name for c in classes] == ["star", "moon"] and len(classes[1].examples) == 5
    with pytest.raises(ValueError, match="classes must be from"):
        starter_set.make_starter_set(("dragon",), 1, rng)
