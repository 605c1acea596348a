"""The bundled sample photos: registry, paths and decoding."""

import numpy as np
import pytest

from cnnviz.data import samples


def test_registry_is_consistent():
    names = samples.sample_names()
    assert names == list(samples.SAMPLES)
    assert names[0] == "chelsea"
    assert len(names) == len(set(names)) >= 4
    for name, sample in samples.SAMPLES.items():
        assert sample.name == name
        assert sample.filename == f"{name}.png"
        assert sample.title and sample.credit
        assert "\n" not in sample.credit


@pytest.mark.parametrize("name", samples.sample_names())
def test_every_sample_file_exists_inside_the_assets_folder(name):
    path = samples.sample_path(name)
    assert path.is_file()
    assert path.parent == samples.ASSETS_DIR / "samples"


@pytest.mark.parametrize("name", samples.sample_names())
def test_every_sample_loads_as_rgb_uint8(name):
    image = samples.load_sample(name)
    assert image.dtype == np.uint8
    assert image.ndim == 3
    assert image.shape[2] == 3
    assert max(image.shape[:2]) <= 512
    assert min(image.shape[:2]) >= 64
    assert image.std() > 10  # a real photo, not a constant or near-blank image


def test_colour_samples_have_colour_and_grayscale_ones_have_equal_channels():
    cat = samples.load_sample("chelsea").astype(int)
    assert np.abs(cat[..., 0] - cat[..., 2]).mean() > 5
    camera = samples.load_sample("camera")
    assert np.array_equal(camera[..., 0], camera[..., 1])
    assert np.array_equal(camera[..., 1], camera[..., 2])


def test_load_returns_a_fresh_writable_array():
    first = samples.load_sample("coffee")
    first[:] = 0
    assert samples.load_sample("coffee").any()


@pytest.mark.parametrize("call", [samples.load_sample, samples.sample_path])
def test_unknown_name_raises_value_error_listing_the_valid_names(call):
    with pytest.raises(ValueError, match="'dog'") as info:
        call("dog")
    assert not isinstance(info.value, KeyError)
    for name in samples.sample_names():
        assert name in str(info.value)
