"""A learner's own classes: any image becomes an example, problems in plain words, preparation,
the held-out split and augmentation."""

import numpy as np
import pytest

from cnnviz.data import augment, own_classes
from cnnviz.data.own_classes import ExampleError, OwnClass, build_dataset, check_classes, prepare


def test_any_image_mode_becomes_rgb_uint8():
    gray = np.full((5, 7), 200, np.uint8)
    assert own_classes.normalise_image(gray).shape == (5, 7, 3)
    assert own_classes.normalise_image(gray[..., None]).shape == (5, 7, 3)
    sixteen = np.full((4, 4, 3), 65535, np.uint16)
    assert (own_classes.normalise_image(sixteen) == 255).all()
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[1:3, 1:3] = (0, 0, 0, 255)  # dark ink, transparent around it -> white paper
    out = own_classes.normalise_image(rgba)
    assert out[0, 0].tolist() == [255, 255, 255] and out[1, 1].tolist() == [0, 0, 0]
    assert (own_classes.normalise_image(np.ones((2, 2), bool)) == 255).all()
    assert (own_classes.normalise_image(np.full((2, 2, 3), 0.5)) == 128).all()
    for bad in (np.zeros((4, 4, 2), np.uint8), np.zeros((0, 3), np.uint8), np.zeros(5, np.uint8),
                np.full((2, 2), np.nan), np.zeros((2, 2), np.int64)):  # fmt: skip
        with pytest.raises(ExampleError):
            own_classes.normalise_image(bad)


def test_prepare_crops_the_centre_resizes_and_makes_strokes_light():
    image = np.full((60, 100, 3), 255, np.uint8)  # white paper, wider than high
    image[:, :20] = 0  # cut off by the centre crop
    image[28:32, 30:70] = (0, 0, 0)  # a dark stroke in the centre
    p = prepare(image, channels=1)
    assert p.square.shape == (60, 60, 3) and (p.square[:, 0] == 255).all()
    assert p.small.shape == (32, 32, 3) and p.inverted
    assert p.input.shape == (1, 32, 32) and p.input.dtype == np.float32
    assert p.input[0, 0, 0] == 0 and p.input[0, 15, 16] > 0.9  # dark paper, light stroke
    rgb = prepare(image, channels=3, polarity="keep")
    assert rgb.input.shape == (3, 32, 32) and not rgb.inverted and rgb.input[0, 0, 0] == 1
    dark = prepare(255 - image, channels=1)
    assert not dark.inverted and np.allclose(dark.input, p.input, atol=1 / 255)
    with pytest.raises(ValueError):
        prepare(image, channels=2)


def classes_with(*counts, names=None):
    names = names or [f"class {i}" for i in range(len(counts))]
    blank = np.zeros((8, 8, 3), np.uint8)
    return [OwnClass(name, [blank] * n) for name, n in zip(names, counts, strict=True)]


@pytest.mark.parametrize(
    ("classes", "words", "blocking"),
    [
        (classes_with(6), "at least 2 classes", True),
        (classes_with(), "at least 2 classes", True),
        (classes_with(6, 6, 6, 6, 6, 6), "at most 5 classes", True),
        (classes_with(6, 0), "no examples yet", True),
        (classes_with(6, 1), "only 1 example; add 4 more examples", True),
        (classes_with(6, 6, names=["cat", " Cat "]), "Two classes are called", True),
        (classes_with(6, 6, names=["cat", "  "]), "Give class 2 a name", True),
        (classes_with(6, 201), "only the first 200 are used", False),
    ],
)
def test_problems_are_plain_words_and_nothing_is_dropped(classes, words, blocking):
    counts = [len(c.examples) for c in classes]
    problems = check_classes(classes)
    assert any(words in p.text and p.blocking == blocking for p in problems), problems
    assert [len(c.examples) for c in classes] == counts


def test_build_dataset_caps_a_class_and_holds_back_some_of_every_class():
    classes = classes_with(6, 210, 5)
    for k, cls in enumerate(classes):
        cls.examples = [np.full((9, 9), 40 * k + j % 7, np.uint8) for j in range(len(cls.examples))]
    data = build_dataset(classes, channels=3, held_per_class=2, seed=1)
    assert data.x.shape == (6 + 200 + 5, 3, 32, 32) and data.input_shape == (3, 32, 32)
    assert np.bincount(data.y_test).tolist() == [2, 2, 2]
    assert np.bincount(data.y_train).tolist() == [4, 198, 3]
    assert data.class_names == ("class 0", "class 1", "class 2")
    assert data.source[-1].tolist() == [2, 4]
    with pytest.raises(ValueError, match="at least 2 classes"):
        build_dataset(classes_with(6))


def test_augmentation_is_seeded_keeps_range_and_changes_images():
    x = np.random.default_rng(0).random((6, 3, 32, 32), dtype=np.float32)
    a = augment.augment_batch(x, np.random.default_rng(1))
    b = augment.augment_batch(x, np.random.default_rng(1))
    assert a.shape == x.shape and a.dtype == np.float32 and np.array_equal(a, b)
    assert a.min() >= 0 and a.max() <= 1 and not np.allclose(a, x)
    still = augment.augment_batch(x, np.random.default_rng(1), max_shift=0, flip=False,
                                  max_degrees=0, brightness=0)  # fmt: skip
    np.testing.assert_array_equal(still, x)
    flipped = augment.augment_batch(x[:1], np.random.default_rng(2), max_shift=0,
                                    max_degrees=0, brightness=0)  # fmt: skip
    assert np.array_equal(flipped, x[:1]) or np.array_equal(flipped, x[:1, :, :, ::-1])
    row = augment.augmented_row(x[0], 5, seed=3)
    assert row.shape == (5, 3, 32, 32) and np.array_equal(row, augment.augmented_row(x[0], 5, 3))
    more_x, more_y = augment.augment_copies(x, np.arange(6), 2, np.random.default_rng(4))
    assert more_x.shape == (18, 3, 32, 32) and more_y.tolist() == list(range(6)) * 3
    np.testing.assert_array_equal(more_x[:6], x)
