"""Raw filter outputs to 0-255 pixels: worked examples, OpenCV references and properties."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cnnviz.ops.display import clip_to_uint8, colour_limit, normalise_to_uint8


def test_clip_worked_example():
    values = np.array([[-3.7, 0.4, 0.5, 1.5, 127.5], [128.5, 254.6, 255.5, 300.0, -0.5]])
    expected = np.array([[0, 0, 0, 2, 128], [128, 255, 255, 255, 0]], dtype=np.uint8)
    out = clip_to_uint8(values)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, expected)


def test_clip_matches_opencv_saturating_conversion():
    rng = np.random.default_rng(0)
    values = rng.normal(128, 200, size=(40, 30, 3))
    opencv = cv2.add(values, np.zeros_like(values), dtype=cv2.CV_8U)  # saturate_cast<uchar>
    np.testing.assert_array_equal(clip_to_uint8(values), opencv)


def test_normalise_worked_example_and_constant_maps():
    np.testing.assert_array_equal(normalise_to_uint8([[-10, 0, 10]]), [[0, 128, 255]])
    np.testing.assert_array_equal(normalise_to_uint8([[2, 4], [6, 10]]), [[0, 64], [128, 255]])
    for constant in (0.0, -7.5, 1e300):
        out = normalise_to_uint8(np.full((3, 4), constant))
        assert out.dtype == np.uint8 and (out == 128).all()


def test_normalise_matches_opencv_minmax():
    rng = np.random.default_rng(1)
    values = rng.normal(0, 500, size=(50, 20))
    opencv = cv2.normalize(values, None, 0, 255, cv2.NORM_MINMAX, dtype=cv2.CV_8U)
    ours = normalise_to_uint8(values)
    assert np.abs(ours.astype(int) - opencv.astype(int)).max() <= 1  # rounding order only
    assert ours.min() == 0 and ours.max() == 255


def test_rgb_maps_share_one_range_so_channels_stay_comparable():
    values = np.zeros((2, 2, 3))
    values[..., 0] = [[0, 100], [50, 100]]  # a strong red channel
    values[..., 2] = [[0, 1], [0, 1]]  # a faint blue one stays faint
    out = normalise_to_uint8(values)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[..., 0], [[0, 255], [128, 255]])
    np.testing.assert_array_equal(out[..., 2], [[0, 3], [0, 3]])
    assert clip_to_uint8(values * 3).shape == (2, 2, 3)


def test_a_range_beyond_the_float_limit_still_normalises():
    np.testing.assert_array_equal(normalise_to_uint8([[-1e308, 0, 1e308]]), [[0, 128, 255]])


@pytest.mark.parametrize("function", [clip_to_uint8, normalise_to_uint8])
@pytest.mark.parametrize(
    "bad", [np.zeros(5), np.zeros((2, 2, 4)), np.zeros((0, 3)), np.array([[1.0, np.nan]])]
)
def test_bad_maps_are_refused_with_the_function_name(function, bad):
    with pytest.raises(ValueError, match=function.__name__):
        function(bad)


finite_maps = hnp.arrays(
    np.float64,
    st.one_of(
        hnp.array_shapes(min_dims=2, max_dims=2),
        st.tuples(st.integers(1, 5), st.integers(1, 5), st.just(3)),
    ),
    elements=st.floats(-1e300, 1e300, allow_nan=False),
)


@settings(max_examples=200, deadline=None)
@given(finite_maps)
def test_normalise_keeps_order_and_uses_the_full_range(values):
    out = normalise_to_uint8(values)
    assert out.shape == values.shape and out.dtype == np.uint8
    order = np.argsort(values, axis=None, kind="stable")
    assert (np.diff(out.ravel()[order].astype(int)) >= 0).all()  # brighter never turns darker
    if values.max() > values.min():
        assert out.ravel()[order[0]] == 0 and out.ravel()[order[-1]] == 255


@settings(max_examples=200, deadline=None)
@given(finite_maps)
def test_clip_lands_within_half_a_level_of_the_clipped_value(values):
    out = clip_to_uint8(values)
    assert out.shape == values.shape and out.dtype == np.uint8
    assert (np.abs(out - np.clip(values, 0, 255)) <= 0.5).all()


def test_colour_limit_ignores_a_few_extreme_values():
    values = np.ones((20, 20))
    values[0, 0] = -1000.0  # one extreme border response
    assert colour_limit(values) == 1.0
    assert colour_limit(values, percentile=100) == 1000.0
    sparse = np.zeros((20, 20))
    sparse[3, 4] = -7.0  # the percentile is 0: fall back to the maximum
    assert colour_limit(sparse) == 7.0
    assert colour_limit(np.zeros((3, 3))) == 1.0
