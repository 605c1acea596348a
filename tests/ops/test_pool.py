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


# --- sums, repeated and global pooling -----------------------------------------------------------

from cnnviz.ops.pool import (  # noqa: E402
    avg_pool_sums,
    global_avg_pool,
    pool2d_backward,
    pool2d_backward_loop,
    pool_repeatedly,
)


def test_avg_sums_of_worked_example():
    sums, count = avg_pool_sums(X)
    np.testing.assert_array_equal(sums, [[13, 21], [8, 8]])
    assert count == 4
    np.testing.assert_allclose(sums / count, pool2d(X, mode="avg"))


@pytest.mark.parametrize(("shape", "size", "stride"), [((7, 9), 3, 2), ((6, 6, 3), 2, 1)])
def test_avg_sums_divided_by_count_are_the_averages(shape, size, stride):
    x = np.random.default_rng(4).integers(-9, 10, size=shape)
    sums, count = avg_pool_sums(x, size, stride)
    assert count == size * size
    np.testing.assert_allclose(sums / count, pool2d(x, size, stride, "avg"))


def test_pooling_three_times_shrinks_8x_and_keeps_depth():
    x = np.random.default_rng(5).normal(size=(64, 40, 3))
    out = pool_repeatedly(x, 3, mode="max")
    assert out.shape == (8, 5, 3)
    np.testing.assert_allclose(out, pool2d(x, 8))  # nested 2×2 maxima = one 8×8 maximum
    np.testing.assert_allclose(pool_repeatedly(x, 3, mode="avg"), pool2d(x, 8, mode="avg"))
    np.testing.assert_array_equal(pool_repeatedly(x, 0), x)


def test_pooling_repeatedly_rounds_down_each_time():
    assert pool_repeatedly(np.ones((13, 13)), 2).shape == (3, 3)  # 13 -> 6 -> 3
    with pytest.raises(ShapeError):
        pool_repeatedly(np.ones((3, 3)), 2)  # 3 -> 1 -> no 2×2 window fits
    with pytest.raises(ValueError, match="times"):
        pool_repeatedly(np.ones((4, 4)), -1)


def test_global_average_pooling_gives_one_number_per_channel():
    x = np.random.default_rng(6).normal(size=(5, 7, 4))
    out = global_avg_pool(x)
    assert out.shape == (4,)
    np.testing.assert_allclose(out, [x[..., c].mean() for c in range(4)])
    assert global_avg_pool(X) == pytest.approx(X.mean())
    with pytest.raises(ShapeError, match=r"\(4,\)"):
        global_avg_pool(np.ones(4))


# --- backward ------------------------------------------------------------------------------------


def numerical_gradient(x, dout, size, stride, mode, eps=1e-6):
    """d/dx of sum(pool2d(x) * dout) by central differences, one element at a time."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = np.sum(
            (pool2d(plus, size, stride, mode) - pool2d(minus, size, stride, mode)) * dout
        ) / (2 * eps)
    return grad


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize(
    ("shape", "size", "stride"),
    [((4, 4), 2, None), ((7, 9), 2, None), ((8, 8), 3, 2), ((6, 5), 2, 1), ((6, 6, 3), 2, None)],
)
def test_backward_matches_numerical_gradient_and_loop(shape, size, stride, mode):
    rng = np.random.default_rng(sum(shape) * size)
    x = rng.normal(size=shape)  # continuous values: no ties, so the max is differentiable
    dout = rng.normal(size=pool2d(x, size, stride, mode).shape)
    dx = pool2d_backward(dout, x, size, stride, mode)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, numerical_gradient(x, dout, size, stride, mode), atol=1e-6)
    np.testing.assert_allclose(dx, pool2d_backward_loop(dout, x, size, stride, mode))


def test_backward_worked_example():
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(
        pool2d_backward(dout, X, mode="max"),
        [[0, 0, 0, 0], [0, 1, 0, 2], [3, 0, 0, 0], [0, 0, 0, 4]],
    )
    np.testing.assert_array_equal(
        pool2d_backward(dout, X, mode="avg"),
        np.kron(dout / 4, np.ones((2, 2))),  # each window's dout/(2·2) on its four cells
    )


def test_backward_with_ties_sends_everything_to_exactly_one_winner():
    x = np.array([[5, 5, 0, 9], [5, 5, 9, 0], [1, 7, 0, 0], [7, 7, 0, 0]])
    dout = np.array([[10.0, 20.0], [30.0, 40.0]])
    dx = pool2d_backward(dout, x, mode="max")
    np.testing.assert_array_equal(
        dx, [[10, 0, 0, 20], [0, 0, 0, 0], [0, 30, 40, 0], [0, 0, 0, 0]]
    )  # the first maximum in row-major order, as PyTorch (all zeros: the top-left)
    np.testing.assert_array_equal(dx, pool2d_backward_loop(dout, x, mode="max"))
    assert np.count_nonzero(dx) == dout.size


def test_backward_overlapping_windows_add_up_at_a_shared_winner():
    x = np.zeros((3, 3))
    x[1, 1] = 1
    dout = np.array([[1.0, 2.0], [3.0, 4.0]])
    dx = pool2d_backward(dout, x, size=2, stride=1, mode="max")
    assert dx[1, 1] == 10 and dx.sum() == 10
    np.testing.assert_array_equal(dx, pool2d_backward_loop(dout, x, 2, 1, "max"))


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_backward_keeps_the_total_and_leftovers_get_nothing(mode):
    x = np.random.default_rng(8).integers(0, 4, size=(5, 7, 2))  # many ties
    dout = np.random.default_rng(9).normal(size=(2, 3, 2))
    dx = pool2d_backward(dout, x, mode=mode)
    np.testing.assert_allclose(dx.sum(axis=(0, 1)), dout.sum(axis=(0, 1)))
    assert not dx[4].any() and not dx[:, 6].any()  # row 4 and column 6 are in no window
    np.testing.assert_allclose(dx, pool2d_backward_loop(dout, x, mode=mode))


@settings(max_examples=40, deadline=None)
@given(
    H=st.integers(2, 9),
    W=st.integers(2, 9),
    size=st.integers(1, 3),
    stride=st.one_of(st.none(), st.integers(1, 3)),
    channels=st.sampled_from([None, 2]),
    mode=st.sampled_from(["max", "avg"]),
)
def test_backward_fast_equals_loop_property(H, W, size, stride, channels, mode):
    if size > min(H, W):
        return
    shape = (H, W) if channels is None else (H, W, channels)
    rng = np.random.default_rng(H * 31 + W)
    x = rng.integers(0, 3, size=shape)  # ties everywhere
    dout = rng.normal(size=pool2d(x, size, stride, mode).shape)
    np.testing.assert_allclose(
        pool2d_backward(dout, x, size, stride, mode),
        pool2d_backward_loop(dout, x, size, stride, mode),
    )


def test_backward_rejects_a_dout_of_the_wrong_shape():
    with pytest.raises(ShapeError, match=r"\(2, 2\)"):
        pool2d_backward(np.ones((3, 3)), X)
