"""The bundled sample photos: a registry, their paths and a loader.

The PNGs under `assets/samples/` are built by `scripts/build_assets.py` from scikit-image's
CC0 / public-domain test images (credits and licences in `assets/README.md`). `load_sample`
always returns RGB, (H, W, 3) uint8, so grayscale samples come back with three equal channels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
SAMPLES_DIR = ASSETS_DIR / "samples"


@dataclass(frozen=True)
class Sample:
    """One bundled photo.

    name : key used in code and URLs, e.g. "chelsea"
    title : what a learner sees, e.g. "Chelsea the cat"
    filename : file name inside `assets/samples/`
    credit : one line naming the author and licence
    """

    name: str
    title: str
    filename: str
    credit: str


# In display order (dicts keep insertion order).
SAMPLES: dict[str, Sample] = {
    sample.name: sample
    for sample in (
        Sample(
            "chelsea",
            "Chelsea the cat",
            "chelsea.png",
            "Photo: Stefan van der Walt, CC0 (via scikit-image)",
        ),
        Sample(
            "coffee",
            "A cup of coffee",
            "coffee.png",
            "Photo: Rachel Michetti, courtesy of Pikolo Espresso Bar, CC0 (via scikit-image)",
        ),
        Sample(
            "astronaut",
            "Astronaut Eileen Collins",
            "astronaut.png",
            "Photo: NASA, public domain (via scikit-image)",
        ),
        Sample(
            "rocket",
            "Falcon 9 rocket on the launch pad",
            "rocket.png",
            "Photo: SpaceX, public domain (via scikit-image)",
        ),
        Sample(
            "camera",
            "Photographer with a camera (grayscale)",
            "camera.png",
            "Photo: Lav Varshney, CC0 (via scikit-image)",
        ),
    )
}


def sample_names() -> list[str]:
    """Names of all sample photos, in display order."""
    return list(SAMPLES)


def _get(name: str) -> Sample:
    if name not in SAMPLES:
        valid = ", ".join(SAMPLES)
        raise ValueError(f"Unknown sample image {name!r}. Choose one of: {valid}.")
    return SAMPLES[name]


def sample_path(name: str) -> Path:
    """Absolute path of the PNG for sample `name`; raises ValueError for an unknown name."""
    return SAMPLES_DIR / _get(name).filename


def load_sample(name: str) -> np.ndarray:
    """Decode sample `name` as RGB.

    Returns
    -------
    image : (H, W, 3) uint8, values 0..255, max(H, W) <= 512. Grayscale samples are expanded
        to three identical channels so every sample has the same layout.
    """
    # These files ship with the app, so Pillow is used directly; user uploads go through
    # cnnviz.imageio instead.
    with Image.open(sample_path(name)) as image:
        rgb = ImageOps.exif_transpose(image).convert("RGB")
        return np.array(rgb, dtype=np.uint8)
