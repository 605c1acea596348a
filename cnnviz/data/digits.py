"""The UCI 8x8 handwritten digits, bundled as `assets/digits.npz`.

1,797 grayscale images of the digits 0-9 written by 13 people (Alpaydin & Kaynak, UCI Machine
Learning Repository, 1998, CC BY 4.0; see `assets/README.md`). Each pixel counts the inked
pixels in a 4x4 block of the original 32x32 bitmap, so values run from 0 (blank) to
`INK_MAX` = 16 (fully inked). Images are (N, 8, 8); there is no channel axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

DIGITS_PATH = Path(__file__).resolve().parents[2] / "assets" / "digits.npz"
INK_MAX = 16
N_CLASSES = 10


@dataclass(frozen=True, eq=False)
class Digits:
    """A set of digit images with their labels (read-only arrays).

    images : (N, 8, 8) uint8, values 0..INK_MAX
    labels : (N,) uint8, values 0..9; labels[i] is the digit drawn in images[i]
    """

    images: np.ndarray
    labels: np.ndarray

    def __post_init__(self) -> None:
        images = np.asarray(self.images)
        labels = np.asarray(self.labels)
        if images.ndim != 3 or images.shape[1:] != (8, 8):
            raise ValueError(f"digit images must have shape (N, 8, 8), got {images.shape}")
        if labels.shape != (images.shape[0],):
            raise ValueError(
                f"need one label per image: {images.shape[0]} images but labels of shape "
                f"{labels.shape}"
            )
        if images.dtype != np.uint8 or labels.dtype != np.uint8:
            raise ValueError(
                f"digits must be uint8, got images {images.dtype} and labels {labels.dtype}"
            )
        if images.size and images.max() > INK_MAX:
            raise ValueError(f"digit pixels run 0..{INK_MAX}, found {images.max()}")
        if labels.size and labels.max() >= N_CLASSES:
            raise ValueError(f"digit labels run 0..{N_CLASSES - 1}, found {labels.max()}")
        # Read-only views, so a cached Digits shared between users cannot be changed in place.
        object.__setattr__(self, "images", _read_only(images))
        object.__setattr__(self, "labels", _read_only(labels))

    def __len__(self) -> int:
        return int(self.labels.shape[0])


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def load_digits(path: Path = DIGITS_PATH) -> Digits:
    """Read the bundled digits: images (1797, 8, 8) uint8 0..16, labels (1797,) uint8 0..9."""
    with np.load(path, allow_pickle=False) as archive:
        return Digits(images=archive["images"], labels=archive["labels"])


def train_test_split(
    digits: Digits, test_fraction: float = 0.2, seed: int = 0
) -> tuple[Digits, Digits]:
    """Split into a training and a test set, stratified by label.

    From each digit class, round(test_fraction * class_size) images (at least one, and at
    least one left for training when the class has two or more) go to the test set, chosen
    by `np.random.default_rng(seed)`; the same seed always gives the same split. Both parts
    keep the original order of the images.

    Returns
    -------
    train, test : Digits, disjoint, together holding every image exactly once
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    rng = np.random.default_rng(seed)
    is_test = np.zeros(len(digits), dtype=bool)
    for label in range(N_CLASSES):
        members = np.flatnonzero(digits.labels == label)
        if members.size == 0:
            continue
        n_test = round(test_fraction * members.size)
        n_test = min(max(n_test, 1), max(members.size - 1, 1))
        is_test[rng.choice(members, size=n_test, replace=False)] = True
    return _subset(digits, ~is_test), _subset(digits, is_test)


def _subset(digits: Digits, mask: np.ndarray) -> Digits:
    return Digits(images=digits.images[mask], labels=digits.labels[mask])
