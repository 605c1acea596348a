"""A learner's own classes (lesson 8): names, examples, checks, preparation and the split.

Examples are images of any size: (H, W) or (H, W, 1) gray, (H, W, 3) RGB, (H, W, 4) RGBA;
uint8, uint16 (16-bit: scaled to 0..255), bool or floats in 0..1. `normalise_image` turns each
into (H, W, 3) uint8 RGB, which is what a class stores.

Preparation (`prepare`), the same for every example, as the lesson shows it:

1. centre crop to a square (the longer side is cut equally on both ends);
2. resize to 32 × 32 with ``cv2.INTER_AREA`` (each new pixel averages the block it covers);
3. polarity: the network (and its pre-training glyphs, and the drawing canvas) sees light
   strokes on a dark background. With ``polarity="auto"`` an image whose border is mostly light
   (median gray of the border pixels >= 128: a drawing on paper, most photos of one) is
   inverted, ``255 - value`` in every channel; "keep" never inverts, "invert" always does;
4. gray (one channel, OpenCV's RGB→gray weights) or RGB (three channels);
5. scaled to 0..1 (value / 255) as float32, channels first: (C, 32, 32), the layout of
   `cnnviz.data.datasets.to_input`.

`check_classes` lists plain-English problems without changing or dropping anything;
`build_dataset` uses at most `MAX_EXAMPLES` examples of each class and holds some back
(stratified and seeded, `cnnviz.nn.train.stratified_split`). Pure NumPy and OpenCV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from cnnviz.data.preprocess import flatten_alpha
from cnnviz.nn.train import stratified_split
from cnnviz.numbers import plural

SIDE = 32
MIN_CLASSES, MAX_CLASSES = 2, 5
MIN_EXAMPLES, MAX_EXAMPLES = 5, 200
MAX_NAME_CHARS = 40
POLARITIES = ("auto", "keep", "invert")


class ExampleError(ValueError):
    """An image that cannot be an example; the message says what is wrong."""


@dataclass
class OwnClass:
    """One class: its name and its examples, each (H, W, 3) uint8 RGB (`normalise_image`)."""

    name: str
    examples: list[np.ndarray] = field(default_factory=list)

    def add(self, image: np.ndarray) -> None:
        """Append `image` after `normalise_image` (ExampleError if it cannot be one)."""
        self.examples.append(normalise_image(image))


@dataclass(frozen=True)
class Problem:
    """One thing to fix. blocking: training cannot start until it is fixed.
    class_index: the class it is about (None: all of them)."""

    text: str
    blocking: bool
    class_index: int | None = None


def normalise_image(image: np.ndarray) -> np.ndarray:
    """Any supported image -> (H, W, 3) uint8 RGB (see the module docstring)."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)):
        raise ExampleError(f"an image is (H, W) gray, RGB or RGBA; this one is {image.shape}")
    if min(image.shape[:2]) < 1:
        raise ExampleError("this image is empty (0 pixels)")
    if image.dtype == np.uint16:
        image = ((image.astype(np.uint32) + 128) // 257).astype(np.uint8)
    elif image.dtype == bool:
        image = image.astype(np.uint8) * 255
    elif image.dtype.kind == "f":
        if not np.isfinite(image).all():
            raise ExampleError("this image has NaN or infinite values")
        image = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
    elif image.dtype != np.uint8:
        raise ExampleError(f"pixels must be 8- or 16-bit, or floats 0..1; got {image.dtype}")
    if image.ndim == 2:
        return np.repeat(image[..., None], 3, axis=2)
    if image.shape[2] == 4:
        return flatten_alpha(image)
    return np.ascontiguousarray(image)


@dataclass(frozen=True)
class Prepared:
    """Every stage of `prepare`.

    square : (S, S, 3) uint8, the centre crop        small : (32, 32, 3) uint8 after resizing
    inverted : whether light and dark were swapped    pixels : (32, 32) or (32, 32, 3) uint8,
    the network's view before scaling                 input : (C, 32, 32) float32 0..1
    """

    square: np.ndarray
    small: np.ndarray
    inverted: bool
    pixels: np.ndarray
    input: np.ndarray


def prepare(
    image: np.ndarray, channels: int = 1, polarity: str = "auto", side: int = SIDE
) -> Prepared:
    """One example as the network's input; `channels` is 1 (gray) or 3 (RGB)."""
    if channels not in (1, 3) or polarity not in POLARITIES:
        raise ValueError(f"channels must be 1 or 3 and polarity one of {POLARITIES}")
    rgb = normalise_image(image)
    H, W = rgb.shape[:2]
    S = min(H, W)
    top, left = (H - S) // 2, (W - S) // 2
    square = rgb[top : top + S, left : left + S]
    small = cv2.resize(square, (side, side), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    inverted = polarity == "invert" or (polarity == "auto" and _light_border(gray))
    pixels = gray if channels == 1 else small
    if inverted:
        pixels = 255 - pixels
    scaled = pixels.astype(np.float32) / np.float32(255)
    x = scaled[None] if channels == 1 else scaled.transpose(2, 0, 1)
    return Prepared(square, small, bool(inverted), pixels, np.ascontiguousarray(x))


def _light_border(gray: np.ndarray) -> bool:
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return bool(np.median(border) >= 128)


def prepare_batch(images, channels: int = 1, polarity: str = "auto") -> np.ndarray:
    """Many examples -> (N, C, 32, 32) float32 0..1 (N may be 0)."""
    out = np.zeros((len(images), channels, SIDE, SIDE), dtype=np.float32)
    for i, image in enumerate(images):
        out[i] = prepare(image, channels, polarity).input
    return out


def check_classes(classes: list[OwnClass]) -> list[Problem]:
    """Every problem with the classes, blocking ones first; [] when training can start.

    Blocking: fewer than 2 classes, more than 5, an empty or duplicate name, a class with fewer
    than 5 examples. Not blocking: a class with more than 200 examples (only the first 200
    are used).
    """
    problems = []
    if len(classes) < MIN_CLASSES:
        problems.append(Problem(
            f"Make at least {MIN_CLASSES} classes: a network learns to tell classes apart, and "
            f"there {'is' if len(classes) == 1 else 'are'} "
            f"{plural(len(classes), 'class', 'classes')}.",
            True,
        ))  # fmt: skip
    if len(classes) > MAX_CLASSES:
        problems.append(Problem(
            f"Use at most {MAX_CLASSES} classes (there are {len(classes)}): remove "
            f"{plural(len(classes) - MAX_CLASSES, 'class', 'classes')}.", True
        ))  # fmt: skip
    seen: dict[str, int] = {}
    for i, cls in enumerate(classes):
        problems += _class_problems(i, cls, seen)
    return sorted(problems, key=lambda p: not p.blocking)


def _class_problems(i: int, cls: OwnClass, seen: dict[str, int]) -> list[Problem]:
    name = cls.name.strip()
    label = f"“{name}”" if name else f"class {i + 1}"
    problems = []
    if not name:
        problems.append(Problem(f"Give class {i + 1} a name.", True, i))
    elif len(name) > MAX_NAME_CHARS:
        problems.append(Problem(f"Shorten {label} to {MAX_NAME_CHARS} characters.", True, i))
    elif name.casefold() in seen:
        problems.append(Problem(
            f"Two classes are called {label} (classes {seen[name.casefold()] + 1} and {i + 1}); "
            "give each its own name.", True, i
        ))  # fmt: skip
    else:
        seen[name.casefold()] = i
    n = len(cls.examples)
    if n < MIN_EXAMPLES:
        missing = "no examples yet" if n == 0 else f"only {plural(n, 'example')}"
        problems.append(Problem(
            f"{label} has {missing}; add {plural(MIN_EXAMPLES - n, 'more example')} "
            f"(at least {MIN_EXAMPLES}: some are held back to test the network).", True, i
        ))  # fmt: skip
    elif n > MAX_EXAMPLES:
        problems.append(Problem(
            f"{label} has {n} examples; only the first {MAX_EXAMPLES} are used (nothing is "
            "deleted).", False, i
        ))  # fmt: skip
    return problems


@dataclass(frozen=True, eq=False)
class OwnDataset:
    """The classes as training data, shaped like `cnnviz.data.datasets.Dataset`.

    x : (N, C, 32, 32) float32 0..1 of every used example;  y : (N,) int64 labels
    source : (N, 2) int (class index, example index) of each row
    train, held : index arrays into x (the held-out examples are never trained on)
    """

    x: np.ndarray
    y: np.ndarray
    source: np.ndarray
    train: np.ndarray
    held: np.ndarray
    class_names: tuple[str, ...]

    x_train = property(lambda self: self.x[self.train])
    y_train = property(lambda self: self.y[self.train])
    x_test = property(lambda self: self.x[self.held])
    y_test = property(lambda self: self.y[self.held])

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one input."""
        return tuple(self.x.shape[1:])


def build_dataset(
    classes: list[OwnClass],
    channels: int = 1,
    held_per_class: int | float = 2,
    seed: int = 0,
    polarity: str = "auto",
) -> OwnDataset:
    """Prepare the first `MAX_EXAMPLES` examples of every class and hold some back.

    held_per_class : examples held out per class (or a fraction); each class keeps >= 1 to
        train on. ValueError if `check_classes` finds a blocking problem.
    """
    blocking = [p.text for p in check_classes(classes) if p.blocking]
    if blocking:
        raise ValueError(" ".join(blocking))
    used = [
        (k, j) for k, cls in enumerate(classes) for j in range(min(len(cls.examples), MAX_EXAMPLES))
    ]
    source = np.array(used, dtype=np.int64).reshape(-1, 2)
    x = prepare_batch([classes[k].examples[j] for k, j in used], channels, polarity)
    y = source[:, 0].copy()
    train, held = stratified_split(y, held_per_class, seed)
    names = tuple(cls.name.strip() for cls in classes)
    return OwnDataset(x, y, source, train, held, names)
