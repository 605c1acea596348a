"""Pooling: worked examples, sliding_window_view reference, loop == fast, winners and ties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.ops.pool import max_pool_winners, pool2d, pool2d_loop
from cnnviz.ops.shapes import ShapeError, output_size

# The 4×4 example of lesson 5: 2×2 windows at stride 2 give 2×2.
X = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])


def reference_pool(x, size, stride, mode):
    windows = sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(-2, -1))


@pytest.mark.parametrize("function", [pool2d, pool2d_loop])
def test_worked_example(function):
    np.testing.assert_array_equal(function(X, 2, mode="max"), [[6, 8], [3, 4]])
    np.testing.assert_array_equal(function(X, 2, mode="avg"), [[3.25, 5.25], [2.0, 2.0]])


def test_defaults_are_2x2_max_at_stride_2():
    np.testing.assert_array_equal(pool2d(X), pool2d(X, size=2, stride=2, mode="max"))


def test_28_conv_24_pool_12():
    assert pool2d(np.zeros((24, 24, 6))).shape == (12, 12, 6)


def test_leftover_rows_and_columns_are_dropped():
    x = np.arange(35).reshape(5, 7)
    out = pool2d(x, 2)
    assert out.shape == (2, 3)
    assert out[-1, -1] == x[3, 5]  # the last window ends before row 4 and column 6


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize(
    ("shape", "size", "stride"),
    [
        ((4, 4), 2, None),
        ((7, 9), 2, None),
        ((8, 8), 3, 2),  # overlapping windows
        ((9, 6), 3, 1),
        ((6, 6), 1, 1),
        ((5, 5), 5, None),
        ((10, 7, 3), 2, None),
        ((9, 9, 4), 3, 2),
    ],
)
def test_matches_reference_and_loop(shape, size, stride, mode):
    x = np.random.default_rng(sum(shape) + size).normal(size=shape)
    expected = reference_pool(x, size, stride or size, mode)
    np.testing.assert_allclose(pool2d(x, size, stride, mode), expected)
    np.testing.assert_allclose(pool2d_loop(x, size, stride, mode), expected)


def test_each_channel_is_pooled_on_its_own():
    x = np.random.default_rng(1).normal(size=(6, 8, 3))
    for mode in ("max", "avg"):
        out = pool2d(x, 2, mode=mode)
        assert out.shape == (3, 4, 3)  # depth unchanged
        for c in range(3):
            np.testing.assert_allclose(out[..., c], pool2d(x[..., c], 2, mode=mode))


@pytest.mark.parametrize("function", [pool2d, pool2d_loop])
def test_dtypes(function):
    x = np.full((4, 4), 250, dtype=np.uint8)
    assert function(x, mode="max").dtype == np.uint8
    avg = function(x, mode="avg")
    assert avg.dtype == np.float64
    np.testing.assert_array_equal(avg, 250.0)  # no uint8 overflow while summing


@settings(max_examples=60, deadline=None)
@given(
    H=st.integers(1, 12),
    W=st.integers(1, 12),
    size=st.integers(1, 5),
    stride=st.one_of(st.none(), st.integers(1, 4)),
    channels=st.sampled_from([None, 1, 2]),
    mode=st.sampled_from(["max", "avg"]),
)
def test_output_shape_property(H, W, size, stride, channels, mode):
    shape = (H, W) if channels is None else (H, W, channels)
    x = np.random.default_rng(H * 100 + W).normal(size=shape)
    try:
        expected = (output_size(H, size, stride or size), output_size(W, size, stride or size))
    except ShapeError:
        with pytest.raises(ShapeError):
            pool2d(x, size, stride, mode)
        return
    out = pool2d(x, size, stride, mode)
    assert out.shape == expected + shape[2:]
    np.testing.assert_allclose(out, pool2d_loop(x, size, stride, mode))
    if mode == "max":
        winners = max_pool_winners(x, size, stride)
        assert winners.shape == expected + shape[2:] + (2,)


# --- winners -------------------------------------------------------------------------------------


def test_winners_of_worked_example():
    winners = max_pool_winners(X)
    assert winners.shape == (2, 2, 2)
    np.testing.assert_array_equal(winners, [[[1, 1], [1, 3]], [[2, 0], [3, 3]]])


def test_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.array(
        [
            [5, 5, 0, 9],
            [5, 5, 9, 0],
            [1, 7, 0, 0],
            [7, 7, 0, 0],
        ]
    )
    winners = max_pool_winners(x)
    np.testing.assert_array_equal(winners[0, 0], [0, 0])  # four-way tie: top-left
    np.testing.assert_array_equal(winners[0, 1], [0, 3])  # 9 in both rows: the first row wins
    np.testing.assert_array_equal(winners[1, 0], [2, 1])  # 7 at (2, 1) comes before (3, 0)
    np.testing.assert_array_equal(winners[1, 1], [2, 2])  # all zeros: top-left


def test_overlapping_windows_can_share_a_winner():
    x = np.zeros((3, 3))
    x[1, 1] = 1
    winners = max_pool_winners(x, size=2, stride=1)
    assert (winners == 1).all()  # the centre wins all four windows


@pytest.mark.parametrize(
    ("shape", "size", "stride"), [((8, 8), 2, None), ((9, 7), 3, 2), ((6, 6, 3), 2, 1)]
)
def test_winner_values_equal_max_pool(shape, size, stride):
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, size=shape)  # small integers: plenty of ties
    winners = max_pool_winners(x, size, stride)
    rows, cols = winners[..., 0], winners[..., 1]
    channel = () if x.ndim == 2 else (np.arange(shape[2]),)
    values = x[(rows, cols) + channel]
    np.testing.assert_array_equal(values, pool2d(x, size, stride))
    # Each winner lies inside its own window.
    step = stride or size
    H_out, W_out = values.shape[:2]
    top = (np.arange(H_out) * step).reshape((H_out, 1) + (1,) * (x.ndim - 2))
    left = (np.arange(W_out) * step).reshape((1, W_out) + (1,) * (x.ndim - 2))
    assert ((rows >= top) & (rows < top + size)).all()
    assert ((cols >= left) & (cols < left + size)).all()


def test_winners_per_channel_differ():
    x = np.zeros((2, 2, 2))
    x[0, 1, 0] = 1
    x[1, 0, 1] = 1
    np.testing.assert_array_equal(max_pool_winners(x), [[[[0, 1], [1, 0]]]])


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "kwargs", "error", "mentions"),
    [
        (np.ones((4, 4)), {"mode": "min"}, ValueError, "'min'"),
        (np.ones((4, 4)), {"mode": "average"}, ValueError, "'average'"),
        (np.ones((4, 4)), {"size": 0}, ShapeError, "got 0"),
        (np.ones((4, 4)), {"size": 2, "stride": 0}, ShapeError, "got 0"),
        (np.ones((4, 4)), {"size": 2.0}, ShapeError, "got 2.0"),
        (np.ones((3, 4)), {"size": 4}, ShapeError, "Height: a kernel of 4"),
        (np.ones(4), {}, ShapeError, "(4,)"),
        (np.ones((1, 4, 4, 1)), {}, ShapeError, "(1, 4, 4, 1)"),
        (np.ones((0, 4)), {}, ShapeError, "got 0"),
    ],
)
@pytest.mark.parametrize("function", [pool2d, pool2d_loop])
def test_bad_inputs_explain_themselves(function, x, kwargs, error, mentions):
    with pytest.raises(error) as info:
        function(x, **kwargs)
    assert mentions in str(info.value)


def test_winners_reject_too_small_input():
    with pytest.raises(ShapeError, match="Width"):
        max_pool_winners(np.ones((4, 1)))
