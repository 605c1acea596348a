"""Save a TinyCNN's architecture and weights to `.npz` bytes, and load them back safely.

The file is a NumPy zip archive (``np.savez_compressed``) holding one float32 array per
parameter, named like ``TinyCNN.params`` ("conv1.w", …), plus "config" (the architecture as a
JSON string) and "format" (the file version). Loading never unpickles (``allow_pickle=False``),
bounds the sizes it reads, and turns every problem into `ModelFileError`.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict, replace

import numpy as np

from cnnviz.nn.model import CNNConfig, TinyCNN, param_shapes

FORMAT = "cnnviz-tinycnn-1"
MAX_FILE_BYTES = 16 * 2**20
MAX_UNPACKED_BYTES = 64 * 2**20
MAX_MEMBERS = 64


class ModelFileError(ValueError):
    """Bytes that are not a usable weights file, with what is wrong and what to do."""


def save(model: TinyCNN) -> bytes:
    """The model as `.npz` bytes: its config (JSON) and every parameter (float32)."""
    config = json.dumps(asdict(model.config))
    arrays = {name: np.asarray(value, dtype=np.float32) for name, value in model.params.items()}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, format=np.array(FORMAT), config=np.array(config), **arrays)
    return buffer.getvalue()


def load(data: bytes, expected: CNNConfig | None = None) -> TinyCNN:
    """Rebuild a model from bytes written by `save`.

    Parameters
    ----------
    data : bytes, e.g. an uploaded file
    expected : if given, the file must hold this architecture (any dropout: the loaded model
        takes `expected.dropout`)

    Raises
    ------
    ModelFileError
        For anything that is not such a file: empty, too large, not a zip, a zip that is not a
        `.npz`, truncated or corrupt, missing or misshapen arrays, non-finite weights, or
        another architecture than `expected`. Never another exception type.
    """
    try:
        return _load(data, expected)
    except ModelFileError:
        raise
    except Exception as err:  # whatever the bytes: one clear error type for the caller
        raise ModelFileError(
            f"this file could not be read as saved weights ({type(err).__name__}: {err}); "
            "upload a .npz file downloaded from this lesson"
        ) from err


def _load(data: bytes, expected: CNNConfig | None) -> TinyCNN:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ModelFileError(f"expected the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise ModelFileError("the file is empty; upload a .npz file downloaded from this lesson")
    if len(data) > MAX_FILE_BYTES:
        raise ModelFileError(f"the file is {len(data):,} bytes; weights files are far smaller")
    _check_zip(data)
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        names = set(archive.files)
        if not {"format", "config"} <= names or str(archive["format"][()]) != FORMAT:
            raise ModelFileError(
                "this .npz is not a cnnviz TinyCNN weights file (its 'format' entry is missing "
                "or different); upload a file downloaded from this lesson"
            )
        config = _read_config(archive["config"])
        params = _read_params(archive, names, config)
    if expected is not None:
        # Dropout changes training only, not the weights: keep the caller's setting.
        config = replace(config, dropout=expected.dropout)
    if expected is not None and config != expected:
        raise ModelFileError(
            f"these weights are for another architecture ({_describe(config)}) than the current "
            f"one ({_describe(expected)}); change the settings to match or train anew"
        )
    return TinyCNN(config, params)


def _check_zip(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ModelFileError("this is not a .npz file (not a zip archive); upload saved weights")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    if not members or len(members) > MAX_MEMBERS:
        raise ModelFileError(f"a weights file holds a few arrays, this zip holds {len(members)}")
    if not all(m.filename.endswith(".npy") for m in members):
        raise ModelFileError("this zip archive is not a .npz file (it holds non-array files)")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ModelFileError("this archive unpacks to far more data than any weights file")


def _read_config(entry: np.ndarray) -> CNNConfig:
    if entry.dtype.kind != "U" or entry.ndim != 0:
        raise ModelFileError("the architecture entry ('config') is not a text")
    try:
        fields = json.loads(str(entry[()]))
        return CNNConfig(**fields)
    except (ValueError, TypeError) as err:
        raise ModelFileError(f"the architecture in this file is not valid: {err}") from err


def _read_params(archive, names: set[str], config: CNNConfig) -> dict[str, np.ndarray]:
    shapes = param_shapes(config)
    missing = sorted(set(shapes) - names)
    extra = sorted(names - set(shapes) - {"format", "config"})
    if missing or extra:
        raise ModelFileError(
            f"the weights do not match the architecture stored with them (missing {missing}, "
            f"unexpected {extra}); the file is damaged or from another program"
        )
    params = {}
    for name, shape in shapes.items():
        value = archive[name]
        if value.shape != shape or value.dtype.kind != "f":
            raise ModelFileError(
                f"{name} has shape {value.shape} ({value.dtype}), the architecture needs {shape} "
                "floats; the file is damaged or from another architecture"
            )
        if not np.isfinite(value).all():
            raise ModelFileError(f"{name} contains NaN or infinity; these weights diverged")
        params[name] = value.astype(np.float32)
    return params


def _describe(config: CNNConfig) -> str:
    C, H, W = config.input_shape
    return (
        f"{C}×{H}×{W} input, filters {list(config.filters)}, {config.kernel_size}×"
        f"{config.kernel_size} kernels, {config.pool}-pool, {config.n_classes} classes"
        + (f", dropout {config.dropout:g}" if config.dropout else "")
    )
