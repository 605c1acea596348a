"""Rebuild the bundled assets: the sample photos, the 8x8 handwritten digits and the
pre-trained glyph network of lesson 8.

Run from the repository root::

    pip install scikit-image scikit-learn   # build-time only, NOT app dependencies
    python scripts/build_assets.py
    python scripts/build_assets.py pretrained   # only the pre-trained network (no extra packages)

The outputs are committed, so the app never needs scikit-image or scikit-learn:

- ``assets/samples/<name>.png`` -- photos bundled with scikit-image whose docstrings state
  CC0 or public domain, shrunk with ``cv2.INTER_AREA`` so the longer side is at most
  ``MAX_SIDE`` pixels (never enlarged). Colour photos stay RGB; "camera" stays grayscale.
- ``assets/digits.npz`` -- scikit-learn's copy of the UCI optical-recognition digits
  (1,797 images, CC BY 4.0): ``images`` uint8 (1797, 8, 8) with values 0..16 and
  ``labels`` uint8 (1797,).
- ``assets/pretrained/glyphs_cnn.npz`` -- a TinyCNN trained on generated glyphs
  (`cnnviz.data.pretrained.RECIPE`, about two minutes on one core), saved by `cnnviz.nn.save`
  with its glyphs as class names, and ``glyphs_cnn.json``: the recipe and its test accuracy.
- ``assets/pretrained/digits_cnn.npz`` and ``digits_cnn.json`` -- lesson 7's default network
  trained on the digits (`cnnviz.data.pretrained_digits.RECIPE`, about a second), the network
  lesson 9 explains when the learner has not trained one.

The build is deterministic: Pillow writes no timestamp into PNGs, and the ``.npz`` is written
with a fixed zip timestamp (``np.savez_compressed`` stamps the current time), so a second run
gives byte-identical files. Licences and credits are in ``assets/README.md``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import cnnviz from this checkout

ASSETS = Path(__file__).resolve().parents[1] / "assets"
MAX_SIDE = 512

# Only photos whose scikit-image docstring says CC0 or public domain (see assets/README.md).
SAMPLE_NAMES = (
    "chelsea",  # CC0, Stefan van der Walt
    "coffee",  # CC0, Rachel Michetti
    "astronaut",  # public domain, NASA
    "rocket",  # public domain, SpaceX
    "camera",  # CC0, Lav Varshney (grayscale)
)


def shrink(image: np.ndarray, max_side: int) -> np.ndarray:
    """Resize so that max(H, W) <= max_side, keeping the aspect ratio; never enlarge.

    image : (H, W) or (H, W, 3) uint8  ->  (H', W') or (H', W', 3) uint8
    """
    height, width = image.shape[:2]
    scale = max_side / max(height, width)
    if scale >= 1:
        return image
    size = (round(width * scale), round(height * scale))  # OpenCV wants (W, H)
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def build_samples(out_dir: Path) -> list[Path]:
    """Write every sample photo as an optimised PNG; returns the paths written."""
    from skimage import data as skdata  # build-time only

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in SAMPLE_NAMES:
        image = np.ascontiguousarray(getattr(skdata, name)(), dtype=np.uint8)
        path = out_dir / f"{name}.png"
        Image.fromarray(shrink(image, MAX_SIDE)).save(path, format="PNG", optimize=True)
        paths.append(path)
    return paths


def build_digits(path: Path) -> Path:
    """Write the UCI digits as ``images`` uint8 (1797, 8, 8) and ``labels`` uint8 (1797,)."""
    from sklearn.datasets import load_digits  # build-time only

    bunch = load_digits()
    arrays = {
        "images": bunch.images.astype(np.uint8),  # float64 0..16 in sklearn, exact integers
        "labels": bunch.target.astype(np.uint8),
    }
    if not np.array_equal(arrays["images"], bunch.images):
        raise ValueError("digit pixel values are not whole numbers 0..16")
    write_npz(path, arrays)
    return path


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like np.savez_compressed, but with a fixed timestamp so the bytes are reproducible."""
    from cnnviz.nn.serialize import write_npz as npz_bytes

    path.write_bytes(npz_bytes({key: np.ascontiguousarray(a) for key, a in arrays.items()}))


def build_pretrained(out_dir: Path) -> list[Path]:
    """Train the glyph network of lesson 8 (deterministic) and write its weights and recipe."""
    from cnnviz.data import pretrained
    from cnnviz.nn import runtime, save

    runtime.limit_blas_threads(1)  # one thread: the same sums in the same order every time
    runtime.keep_freed_memory()
    model, info = pretrained.pretrain(pretrained.RECIPE)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / pretrained.WEIGHTS_PATH.name
    weights.write_bytes(save(model, class_names=tuple(info["class_chars"])))
    info_path = out_dir / pretrained.INFO_PATH.name
    info = {key: value for key, value in info.items() if key != "train_seconds"}  # not stable
    info_path.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return [weights, info_path, *build_pretrained_digits()]


def build_pretrained_digits() -> list[Path]:
    """Train lesson 7's default network on the digits (lesson 9 explains it when a learner has
    not trained one) and write its weights and recipe (deterministic, about a second)."""
    from cnnviz.data import pretrained_digits
    from cnnviz.nn import runtime

    runtime.limit_blas_threads(1)
    pretrained_digits.write()
    return [pretrained_digits.WEIGHTS_PATH, pretrained_digits.INFO_PATH]


def main(parts: list[str]) -> None:
    parts = parts or ["samples", "digits", "pretrained"]
    written = []
    if "samples" in parts:
        written += build_samples(ASSETS / "samples")
    if "digits" in parts:
        written.append(build_digits(ASSETS / "digits.npz"))
    if "pretrained" in parts:
        written += build_pretrained(ASSETS / "pretrained")
    for path in written:
        print(f"{path.relative_to(ASSETS.parent)}  {path.stat().st_size / 1024:.0f} KiB")
    total = sum(path.stat().st_size for path in written)
    print(f"total  {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main(sys.argv[1:])
