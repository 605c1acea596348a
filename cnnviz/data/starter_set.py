"""The starter set of lesson 8: hand-drawn-looking symbols the pre-trained network never saw.

Lesson 8 works with no camera and no files: these classes stand in for a learner's photos and
drawings. None is a glyph of `cnnviz.data.glyphs` (the pre-training set): arrows, stars,
hearts, smileys, lightning bolts, houses, spirals and moons. Each image is (96, 96, 3) uint8
RGB like a photo of a drawing: a coloured pen stroke on light paper (or, one in four, a light
stroke on a dark screen, like the app's drawing canvas), with random size, position, rotation,
stroke width, colours and a hand-drawn wobble. Everything random comes from the `rng` passed
in: the same seed gives the same images.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from cnnviz.data.own_classes import OwnClass

SIDE = 96
CLASS_NAMES = ("arrow", "star", "heart", "smiley", "lightning", "house", "spiral", "moon")
_SHIFT = 4  # OpenCV's fractional bits: coordinates × 16
_LINE = cv2.LINE_AA


def make_starter_set(
    names: tuple[str, ...], n_per_class: int, rng: np.random.Generator
) -> dict[str, list[np.ndarray]]:
    """`n_per_class` drawings of every class in `names` (from `CLASS_NAMES`), in order.

    Returns {name: [image (96, 96, 3) uint8, …]}.
    """
    unknown = [name for name in names if name not in CLASS_NAMES]
    if unknown or not 0 <= n_per_class <= 1000:
        raise ValueError(f"classes must be from {CLASS_NAMES} and 0..1000 each, got {unknown}")
    return {name: [draw_symbol(name, rng) for _ in range(n_per_class)] for name in names}


def starter_classes(names: tuple[str, ...], n_per_class: int, seed: int) -> list[OwnClass]:
    """The starter set as a learner's classes (`cnnviz.data.own_classes.OwnClass`), named after
    the symbols, `n_per_class` drawings each; the same `seed` gives the same drawings."""
    drawn = make_starter_set(names, n_per_class, np.random.default_rng(seed))
    return [OwnClass(name, images) for name, images in drawn.items()]


def draw_symbol(name: str, rng: np.random.Generator) -> np.ndarray:
    """One (96, 96, 3) uint8 RGB drawing of class `name`."""
    strokes = _SHAPES[name](rng)  # list of (points (P, 2) in about -1..1, closed)
    angle = math.radians(rng.uniform(-25, 25))
    size = rng.uniform(0.28, 0.45) * SIDE  # half the drawing's extent, in pixels
    stretch = rng.uniform(0.85, 1.15)
    centre = SIDE / 2 + rng.uniform(-1, 1, size=2) * max(SIDE / 2 - size - 4, 0)
    rotate = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    screen = rng.random() < 0.25
    paper = rng.uniform(20, 60, 3) if screen else rng.uniform(200, 255, 3)
    ink = rng.uniform(190, 255, 3) if screen else rng.uniform(0, 110, 3)
    image = np.empty((SIDE, SIDE, 3), dtype=np.uint8)
    image[:] = np.round(paper).astype(np.uint8)
    thickness = int(rng.integers(3, 8))
    for points, closed in strokes:
        points = _wobble(points, rng) * [stretch, 1 / stretch]
        pixels = points @ rotate.T * size + centre
        fixed = np.round(pixels * 16).astype(np.int32)
        colour = tuple(float(c) for c in ink)
        if len(fixed) == 1:
            cv2.circle(image, tuple(fixed[0]), thickness * 16, colour, -1, _LINE, _SHIFT)
        else:
            cv2.polylines(image, [fixed], closed, colour, thickness, _LINE, _SHIFT)
    noise = rng.normal(0, rng.uniform(0, 6), size=image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def _wobble(points: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A hand's wobble: each point moves by a smooth random offset of a few percent."""
    n = len(points)
    if n < 3:
        return points + rng.normal(0, 0.02, size=points.shape)
    t = np.linspace(0, 1, n)
    phase, freq = rng.uniform(0, 2 * math.pi, 2), rng.uniform(1, 3, 2)
    amp = rng.uniform(0.0, 0.04)
    waves = [np.sin(2 * math.pi * f * t + p) for f, p in zip(freq, phase, strict=True)]
    offset = amp * np.stack(waves, 1)
    return points + offset


def _arrow(rng):
    head = rng.uniform(0.3, 0.5)
    tip = np.array([1.0, 0.0])
    return [
        (np.array([[-1.0, 0.0], tip]), False),
        (np.array([[1 - head, -head], tip, [1 - head, head]]), False),
    ]


def _star(rng):
    inner = rng.uniform(0.35, 0.5)
    k = np.arange(10)
    r = np.where(k % 2, inner, 1.0)
    a = -math.pi / 2 + k * math.pi / 5
    return [(np.stack([r * np.cos(a), r * np.sin(a)], 1), True)]


def _heart(rng):
    t = np.linspace(0, 2 * math.pi, 60, endpoint=False)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [(np.stack([x, y + 2.5], 1) / 16, True)]


def _smiley(rng):
    t = np.linspace(0, 2 * math.pi, 48, endpoint=False)
    face = np.stack([np.cos(t), np.sin(t)], 1)
    depth = rng.uniform(0.15, 0.35)
    s = np.linspace(-0.5, 0.5, 12)
    smile = np.stack([s, 0.3 + depth * (1 - (2 * s) ** 2)], 1)
    return [(face, True), (np.array([[-0.35, -0.3]]), False), (np.array([[0.35, -0.3]]), False),
            (smile, False)]  # fmt: skip


def _lightning(rng):
    j = rng.uniform(-0.1, 0.1)
    points = [[0.2, -1], [-0.45, 0.1 + j], [0.05, 0.1 + j], [-0.25, 1], [0.45, -0.2 + j],
              [-0.05, -0.2 + j]]  # fmt: skip
    return [(np.array(points), True)]


def _house(rng):
    roof = rng.uniform(0.35, 0.7)
    body = [[-0.7, 1], [-0.7, 0], [0.7, 0], [0.7, 1]]
    door = [[-0.15, 1], [-0.15, 0.5], [0.15, 0.5], [0.15, 1]]
    return [(np.array([*body, [-0.7, 1]]), True), (np.array([[-0.85, 0.05], [0, -roof - 0.3],
            [0.85, 0.05]]), False), (np.array(door), False)]  # fmt: skip


def _spiral(rng):
    turns = rng.uniform(2.2, 3.2)
    t = np.linspace(0, turns * 2 * math.pi, 90)
    r = t / t[-1]
    return [(np.stack([r * np.cos(t), r * np.sin(t)], 1), False)]


def _moon(rng):
    bite = rng.uniform(0.35, 0.6)
    t = np.linspace(-math.pi / 2, math.pi / 2, 30)
    outer = np.stack([-np.cos(t), np.sin(t)], 1)  # left half circle, top to bottom
    inner = np.stack([-bite * np.cos(t[::-1]), np.sin(t[::-1])], 1)
    return [(np.concatenate([outer, inner]), True)]


_SHAPES = {
    "arrow": _arrow,
    "star": _star,
    "heart": _heart,
    "smiley": _smiley,
    "lightning": _lightning,
    "house": _house,
    "spiral": _spiral,
    "moon": _moon,
}
