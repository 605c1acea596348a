"""Training-ready data: the digits and the toy shapes as (N, 1, H, W) float32 in 0..1.

The images come from `cnnviz.data.digits` and `cnnviz.data.toy_shapes` ((N, H, W) uint8); here
they gain the channel axis the network expects and are scaled to 0..1, so both data sets feed a
`cnnviz.nn.TinyCNN` the same way (`cnnviz.nn` takes these arrays and never imports this module).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.data import digits as _digits
from cnnviz.data import toy_shapes as _shapes


@dataclass(frozen=True, eq=False)
class Dataset:
    """A train/test split ready for `cnnviz.nn.train_steps`, `evaluate` and `TrainingRun`.

    x_train : (N, 1, H, W) float32 0..1     y_train : (N,) int64
    x_test : (M, 1, H, W) float32 0..1      y_test : (M,) int64
    class_names : one name per label
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image."""
        return tuple(self.x_train.shape[1:])


def to_input(images: np.ndarray, full_scale: float) -> np.ndarray:
    """(N, H, W) pixel values 0..full_scale -> (N, 1, H, W) float32 0..1."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"expected images (N, H, W), got shape {images.shape}")
    return (images.astype(np.float32) / np.float32(full_scale))[:, None]


def digits_dataset(test_fraction: float = 0.2, seed: int = 0) -> Dataset:
    """The bundled UCI digits (8×8, ink 0..16 scaled to 0..1), split by
    `cnnviz.data.digits.train_test_split` (stratified, fixed by `seed`)."""
    train, test = _digits.train_test_split(_digits.load_digits(), test_fraction, seed)
    return Dataset(
        "digits",
        to_input(train.images, _digits.INK_MAX),
        train.labels.astype(np.int64),
        to_input(test.images, _digits.INK_MAX),
        test.labels.astype(np.int64),
        tuple(str(d) for d in range(_digits.N_CLASSES)),
    )


def shapes_dataset(n_train: int, n_test: int, rng: np.random.Generator) -> Dataset:
    """Freshly drawn toy shapes (28×28, 0..255 scaled to 0..1); train and test never share an
    image (they are separate draws from `rng`)."""
    train = _shapes.make_shapes(n_train, rng)
    test = _shapes.make_shapes(n_test, rng)
    return Dataset(
        "shapes",
        to_input(train.images, 255),
        train.labels.astype(np.int64),
        to_input(test.images, 255),
        test.labels.astype(np.int64),
        _shapes.CLASS_NAMES,
    )
