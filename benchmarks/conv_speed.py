"""How fast is the teaching convolution? cnnviz.ops.conv against OpenCV and SciPy, one run.

Times `correlate2d` (one gray map, or one map from a full-depth (k, k, 3) kernel) and
`correlate_per_channel` (RGB in, RGB out) against ``cv2.filter2D`` (float32 and float64 input)
and ``scipy.ndimage.correlate`` when SciPy is importable, on 512² and 2048² images with 3×3,
5×5 and 7×7 kernels, zero padding, "same" output size. Every time is the best of several runs
(``time.perf_counter``); ratios compare times measured in this same run. Each row also checks
that our result matches OpenCV's float64 result.

Run from the repository root::

    .venv/bin/python benchmarks/conv_speed.py
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from cnnviz.ops.conv import correlate2d, correlate_per_channel  # noqa: E402

try:
    from scipy import ndimage
except ImportError:  # optional: only a reference
    ndimage = None

SIZES = (512, 2048)
KERNEL_SIDES = (3, 5, 7)
CASES = ("gray", "rgb per channel", "rgb full depth")
BUDGET_S = 0.2
"""Target for a 1024² RGB image with a 7×7 kernel, per channel and full depth."""


def best_time(function: Callable[[], object], min_total_s: float = 0.3, max_runs: int = 7) -> float:
    """Best of at least 3 runs (more for fast functions, up to `max_runs`), in seconds."""
    times: list[float] = []
    while len(times) < 3 or (sum(times) < min_total_s and len(times) < max_runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def _cv2(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT)


def _scipy(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    return ndimage.correlate(image, kernel, mode="constant", cval=0.0)


def reference(case: str, filter_fn: Callable, image: np.ndarray, kernel: np.ndarray):
    """The map of `case` built from a library's 2-D filter `filter_fn` (cv2 or scipy)."""
    if case == "gray" or (case == "rgb per channel" and filter_fn is _cv2):
        return filter_fn(image, kernel)  # cv2.filter2D filters each channel on its own already
    if case == "rgb per channel":
        return np.stack([filter_fn(image[..., c], kernel) for c in range(3)], axis=-1)
    # A full-depth kernel sums the three channels' correlations into one map.
    return sum(filter_fn(image[..., c], kernel[..., c]) for c in range(3))


def contenders(case: str, image: np.ndarray, kernel: np.ndarray) -> dict[str, Callable]:
    """name -> zero-argument function computing the same "same"-size map for this case.

    image : (H, W) or (H, W, 3) float64; kernel : (k, k), or (k, k, 3) for "rgb full depth".
    """
    ours = correlate_per_channel if case == "rgb per channel" else correlate2d
    found = {
        "ours": partial(ours, image, kernel, pad="same"),
        "cv2 f32": partial(
            reference, case, _cv2, image.astype(np.float32), kernel.astype(np.float32)
        ),
        "cv2 f64": partial(reference, case, _cv2, image, kernel),
    }
    if ndimage is not None:
        found["scipy"] = partial(reference, case, _scipy, image, kernel)
    return found


def run_case(case: str, size: int, side: int, rng: np.random.Generator) -> dict[str, float]:
    """Times (ms) of every contender for one case, and our largest relative error vs cv2 f64."""
    shape = (size, size) if case == "gray" else (size, size, 3)
    image = rng.integers(0, 256, size=shape).astype(np.float64)
    kernel_shape = (side, side, 3) if case == "rgb full depth" else (side, side)
    kernel = rng.normal(size=kernel_shape)
    functions = contenders(case, image, kernel)
    reference = functions["cv2 f64"]()
    error = np.abs(functions["ours"]() - reference).max() / np.abs(reference).max()
    row = {name: 1000 * best_time(function) for name, function in functions.items()}
    row["error"] = error
    return row


def print_table(rows: list[tuple[str, int, int, dict[str, float]]]) -> None:
    has_scipy = ndimage is not None
    header = f"{'case':<16} {'size':>5} {'k':>3} {'ours':>9} {'cv2 f32':>9} {'cv2 f64':>9}"
    header += f" {'scipy':>9}" if has_scipy else ""
    header += f" {'ours/cv2f64':>11}" + (f" {'ours/scipy':>10}" if has_scipy else "")
    print(header + f" {'rel err':>8}")
    print("-" * len(header + "         "))
    for case, size, side, t in rows:
        line = f"{case:<16} {size:>5} {side:>3} {t['ours']:>9.1f} {t['cv2 f32']:>9.1f}"
        line += f" {t['cv2 f64']:>9.1f}" + (f" {t['scipy']:>9.1f}" if has_scipy else "")
        line += f" {t['ours'] / t['cv2 f64']:>10.1f}×"
        line += f" {t['ours'] / t['scipy']:>9.1f}×" if has_scipy else ""
        print(line + f" {t['error']:>8.0e}")
    print("times in ms, best of >= 3 runs; rel err = max |ours - cv2 f64| / max |cv2 f64|")


def budget_check(rng: np.random.Generator) -> None:
    """The design target: a 1024² RGB photo, 7×7 kernel, well under BUDGET_S either way."""
    image = rng.integers(0, 256, size=(1024, 1024, 3)).astype(np.uint8)
    per_channel = best_time(lambda: correlate_per_channel(image, rng.normal(size=(7, 7)), pad=3))
    full_depth = best_time(lambda: correlate2d(image, rng.normal(size=(7, 7, 3)), pad=3))
    for name, seconds in (("per channel", per_channel), ("full depth", full_depth)):
        verdict = "ok" if seconds <= BUDGET_S else "OVER BUDGET"
        print(
            f"1024²×3 uint8, 7×7 {name:<12} {1000 * seconds:7.1f} ms  (budget "
            f"{1000 * BUDGET_S:.0f} ms: {verdict})"
        )


def main() -> None:
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, OpenCV {cv2.__version__} "
        f"({cv2.getNumThreads()} threads), {os.cpu_count()} CPUs"
    )
    if ndimage is None:
        print("scipy not installed — skipped")
    else:
        import scipy

        print(f"SciPy {scipy.__version__}")
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    rows = [
        (case, size, side, run_case(case, size, side, rng))
        for size in SIZES
        for case in CASES
        for side in KERNEL_SIDES
    ]
    print_table(rows)
    print()
    budget_check(rng)
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
