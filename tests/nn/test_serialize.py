"""Saving and loading weights: round trip, and a clear ModelFileError for every bad file."""

import io
import json
import zipfile

import numpy as np
import pytest

from cnnviz.nn import CNNConfig, ModelFileError, TinyCNN, load, save


@pytest.fixture
def model():
    return TinyCNN.create(CNNConfig(filters=(4, 6), pool="avg"), np.random.default_rng(0))


def test_round_trip_keeps_architecture_and_weights(model):
    loaded = load(save(model))
    assert loaded.config == model.config
    assert set(loaded.params) == set(model.params)
    for name, value in model.params.items():
        np.testing.assert_array_equal(loaded.params[name], value)
        assert loaded.params[name].dtype == np.float32
    x = np.random.default_rng(1).random((2, 1, 8, 8))
    np.testing.assert_array_equal(loaded.forward(x), model.forward(x))


def test_loading_into_the_expected_architecture(model):
    assert load(save(model), expected=model.config).config == model.config
    other = CNNConfig(filters=(8, 16))
    with pytest.raises(ModelFileError, match="another architecture"):
        load(save(model), expected=other)
    with_dropout = CNNConfig(filters=(4, 6), pool="avg", dropout=0.3)
    assert load(save(model), expected=with_dropout).config.dropout == 0.3


def npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tampered(model, **changes) -> bytes:
    """A saved file with some arrays replaced (None removes one)."""
    with np.load(io.BytesIO(save(model))) as archive:
        arrays = {name: archive[name] for name in archive.files}
    for name, value in changes.items():
        name = name.replace("__", ".")
        if value is None:
            del arrays[name]
        else:
            arrays[name] = value
    return npz_bytes(**arrays)


def bad_files(model):
    good = save(model)
    other = save(TinyCNN.create(CNNConfig(filters=(8, 16)), np.random.default_rng(1)))
    with np.load(io.BytesIO(other)) as archive:
        other_weights = {n: archive[n] for n in archive.files if n not in ("config", "format")}
    config = json.dumps(
        {
            "input_shape": [1, 8, 8],
            "filters": [4, 6],
            "kernel_size": 3,
            "pool": "avg",
            "dropout": 0.0,
            "n_classes": 10,
        }
    )
    return {
        "empty": b"",
        "random bytes": np.random.default_rng(0).bytes(2000),
        "text": b"conv1.w = 1, 2, 3",
        "truncated npz": good[: len(good) // 2],
        "last byte cut": good[:-1],
        "flipped bytes": good[:200] + bytes(b ^ 0xFF for b in good[200:260]) + good[260:],
        "zip that is not npz": zip_bytes({"readme.txt": b"hello"}),
        "empty zip": zip_bytes({}),
        "npz of something else": npz_bytes(a=np.arange(3)),
        "npz with pickled object": npz_bytes(
            format=np.array("cnnviz-tinycnn-1"), config=np.array([{"x": 1}], dtype=object)
        ),
        "another architecture's weights": npz_bytes(
            format=np.array("cnnviz-tinycnn-1"), config=np.array(config), **other_weights
        ),
        "weights missing": tampered(model, dense__w=None),
        "wrong shape": tampered(model, conv1__w=np.zeros((4, 1, 5, 5), np.float32)),
        "integer weights": tampered(model, dense__b=np.zeros(10, np.int32)),
        "nan weights": tampered(model, dense__b=np.full(10, np.nan, np.float32)),
        "bad config json": tampered(model, config=np.array("{not json")),
        "config of impossible size": tampered(
            model, config=np.array(config.replace("[4, 6]", "[4, 6, 8, 8, 8]"))
        ),
        "config with unknown field": tampered(
            model, config=np.array(config.replace("{", '{"evil": 1, ', 1))
        ),
        "numeric config": tampered(model, config=np.arange(3)),
        "not bytes": "a string, not bytes",
    }


def test_every_bad_file_raises_model_file_error_with_a_message(model):
    for label, data in bad_files(model).items():
        with pytest.raises(ModelFileError) as info:
            load(data)
        assert isinstance(info.value, ValueError)
        assert len(str(info.value)) > 20, label


def test_random_corruptions_never_raise_anything_else(model):
    good = save(model)
    rng = np.random.default_rng(0)
    for _ in range(200):
        data = bytearray(good)
        for i in rng.integers(0, len(data), size=rng.integers(1, 8)):
            data[i] = rng.integers(0, 256)
        try:
            loaded = load(bytes(data))
        except ModelFileError:
            continue
        # Flips inside compressed data are caught by the zip CRC; if one slips through (for
        # example in a header field nobody reads), the result must still be a usable model.
        assert loaded.config == model.config
