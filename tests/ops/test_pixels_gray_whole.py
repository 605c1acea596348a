"""`pixels.grayscale_whole` and `pixels.is_grayscale`: exact rounding, gray photos found."""

from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cnnviz.data import samples
from cnnviz.ops import pixels

channel = st.integers(0, 255)


@given(channel, channel, channel)
def test_grayscale_whole_is_every_nearest_whole_number(r, g, b):
    exact = Fraction(299, 1000) * r + Fraction(587, 1000) * g + Fraction(114, 1000) * b
    nearest = tuple(n for n in range(256) if abs(n - exact) <= Fraction(1, 2))
    assert pixels.grayscale_whole(r, g, b) == nearest


def test_exactly_halfway_gives_both_neighbours():
    assert pixels.grayscale_whole(0, 0, 250) == (28, 29)  # 0.114 · 250 = 28.5


def test_the_camera_sample_is_gray_and_the_cat_is_not():
    assert pixels.is_grayscale(samples.load_sample("camera"))
    assert not pixels.is_grayscale(samples.load_sample("chelsea"))
    assert not pixels.is_grayscale(np.zeros((2, 2), np.uint8))  # one channel: not an RGB copy
