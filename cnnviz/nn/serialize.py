"""Save a TinyCNN's architecture and weights to `.npz` bytes, and load them back safely.

The file is a NumPy zip archive (what ``np.savez_compressed`` writes) holding one float32 array
per parameter, named like ``TinyCNN.params`` ("conv1.w", …), plus "config" (the architecture as
a JSON string), "format" (the file version) and, optionally, "class_names" (a 1-D array of
strings, one per output; lesson 8 stores the learner's classes there). Files without
"class_names" (lesson 7's) load as before. Every zip member carries a fixed date, so the same
weights always give the same bytes. Loading never unpickles (``allow_pickle=False``), bounds
the sizes it reads, and turns every problem into `ModelFileError`.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict, replace

import numpy as np

from cnnviz.nn.model import CNNConfig, TinyCNN, param_shapes

FORMAT = "cnnviz-tinycnn-1"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can store: reproducible bytes
MAX_NAME_CHARS = 40
MAX_FILE_BYTES = 16 * 2**20
MAX_UNPACKED_BYTES = 64 * 2**20
MAX_MEMBERS = 64


class ModelFileError(ValueError):
    """Bytes that are not a usable weights file, with what is wrong and what to do."""


def save(model: TinyCNN, class_names: tuple[str, ...] | list[str] | None = None) -> bytes:
    """The model as `.npz` bytes: its config (JSON), every parameter (float32) and, if given,
    one class name per output (ValueError if their number differs from ``n_classes``)."""
    arrays = {
        "format": np.array(FORMAT),
        "config": np.array(json.dumps(asdict(model.config))),
    }
    if class_names is not None:
        names = [str(name) for name in class_names]
        if len(names) != model.config.n_classes:
            raise ValueError(
                f"{len(names)} class names for a network with {model.config.n_classes} outputs"
            )
        arrays["class_names"] = np.array(names, dtype=str)
    for name, value in model.params.items():
        arrays[name] = np.asarray(value, dtype=np.float32)
    return write_npz(arrays)


def write_npz(arrays: dict[str, np.ndarray]) -> bytes:
    """Like ``np.savez_compressed`` into bytes, with a fixed date on every member (the same
    arrays always give the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for key, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # -rw-r--r-- when unpacked
            archive.writestr(info, member.getvalue(), compresslevel=9)
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
    return load_named(data, expected)[0]


def load_named(
    data: bytes, expected: CNNConfig | None = None, *, any_classes: bool = False
) -> tuple[TinyCNN, tuple[str, ...] | None]:
    """Like `load`, also returning the class names stored with the weights (None in files
    saved without them, e.g. lesson 7's).

    any_classes : accept any number of classes (the file's), still checking the rest of
        `expected` (input shape, filters, kernel, pooling)
    """
    try:
        return _load(data, expected, any_classes)
    except ModelFileError:
        raise
    except Exception as err:  # whatever the bytes: one clear error type for the caller
        raise ModelFileError(
            f"this file could not be read as saved weights ({type(err).__name__}: {err}); "
            "upload a .npz file downloaded from this lesson"
        ) from err


def _load(data: bytes, expected: CNNConfig | None, any_classes: bool = False):
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
        class_names = None
        if "class_names" in names:
            class_names = _read_class_names(archive["class_names"], config.n_classes)
        params = _read_params(archive, names - {"class_names"}, config)
    if expected is not None:
        # Dropout changes training only, not the weights: keep the caller's setting.
        config = replace(config, dropout=expected.dropout)
        if any_classes:
            expected = replace(expected, n_classes=config.n_classes)
        _check_expected(config, expected, class_names)
    return TinyCNN(config, params), class_names


def _check_expected(config: CNNConfig, expected: CNNConfig, class_names) -> None:
    if config == expected:
        return
    if config.input_shape != expected.input_shape:
        raise ModelFileError(
            f"these weights are for {_describe_input(config)}, but this lesson's network reads "
            f"{_describe_input(expected)}; upload weights saved from this lesson"
        )
    if replace(config, n_classes=expected.n_classes) == expected:
        named = f" ({', '.join(class_names)})" if class_names else ""
        raise ModelFileError(
            f"these weights tell {config.n_classes} classes apart{named}, but this network has "
            f"{expected.n_classes}; make {config.n_classes} classes, or train anew"
        )
    raise ModelFileError(
        f"these weights are for another architecture ({_describe(config)}) than the current "
        f"one ({_describe(expected)}); change the settings to match or train anew"
    )


def _describe_input(config: CNNConfig) -> str:
    C, H, W = config.input_shape
    kind = {1: "gray", 3: "colour (RGB)"}.get(C, f"{C}-channel")
    return f"{kind} {H} × {W} images"


def _read_class_names(entry: np.ndarray, n_classes: int) -> tuple[str, ...]:
    if entry.dtype.kind != "U" or entry.ndim != 1 or len(entry) != n_classes:
        raise ModelFileError(
            f"the class names in this file are not {n_classes} texts (one per output); "
            "the file is damaged or from another program"
        )
    names = tuple(str(name) for name in entry)
    if any(len(name) > MAX_NAME_CHARS or not name.strip() for name in names):
        raise ModelFileError(
            f"a class name in this file is empty or longer than {MAX_NAME_CHARS} characters"
        )
    return names


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
