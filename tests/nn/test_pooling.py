"""Max and average pooling: values, gradients and the one-winner rule for ties."""

import numpy as np
import pytest

from cnnviz.nn import pooling as P
from cnnviz.nn.gradcheck import numerical_gradient_array, relative_error
from cnnviz.ops.pool import pool2d, pool2d_backward


@pytest.fixture
def rng():
    return np.random.default_rng(1)


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize(
    ("shape", "size", "stride"),
    [((2, 3, 4, 4), 2, 2), ((1, 2, 5, 7), 2, 2), ((2, 2, 5, 5), 3, 1), ((1, 1, 6, 6), 3, 3)],
)
def test_pool_forward_equals_ops_pool2d(rng, mode, shape, size, stride):
    x = rng.standard_normal(shape).astype(np.float32)
    out, _ = P.pool_forward(x, size, stride, mode)
    for n in range(shape[0]):
        expected = pool2d(x[n].transpose(1, 2, 0), size, stride, mode)  # (H_out, W_out, C)
        np.testing.assert_allclose(out[n], expected.transpose(2, 0, 1), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["max", "avg"])
@pytest.mark.parametrize(
    ("shape", "size", "stride"), [((2, 3, 4, 4), 2, 2), ((1, 2, 5, 7), 2, 2), ((2, 2, 5, 5), 3, 1)]
)
def test_pool_backward_matches_numerical_gradient(rng, mode, shape, size, stride):
    x = rng.standard_normal(shape)  # continuous values: no ties, so max is differentiable
    out, cache = P.pool_forward(x, size, stride, mode)
    dout = rng.standard_normal(out.shape)
    dx = P.pool_backward(dout, cache)
    num = numerical_gradient_array(lambda: P.pool_forward(x, size, stride, mode)[0], x, dout)
    assert dx.shape == x.shape
    assert relative_error(dx, num) < 1e-7


def test_max_pool_ties_send_the_gradient_to_exactly_one_winner():
    # Every window is constant: all four elements tie. The first in row-major order wins.
    x = np.zeros((2, 3, 4, 6), dtype=np.float32)
    x[:, :, :2, :2] = 5.0
    out, cache = P.pool_forward(x, 2, 2, "max")
    dout = np.arange(1, out.size + 1, dtype=np.float32).reshape(out.shape)
    dx = P.pool_backward(dout, cache)
    assert np.count_nonzero(dx) == out.size  # one receiver per window, never more
    np.testing.assert_array_equal(dx[:, :, ::2, ::2], dout)  # top-left of each window
    assert dx.sum() == pytest.approx(dout.sum())  # nothing is duplicated or lost


def test_max_pool_ties_agree_with_ops_winner_rule_on_integer_images(rng):
    # Small integers, like the 0..16 digits, tie often; compare with cnnviz.ops (first max).
    x = rng.integers(0, 3, size=(2, 2, 6, 6)).astype(np.float32)
    out, cache = P.pool_forward(x, 2, 2, "max")
    dout = rng.standard_normal(out.shape).astype(np.float32)
    dx = P.pool_backward(dout, cache)
    for n in range(2):
        expected = pool2d_backward(dout[n].transpose(1, 2, 0), x[n].transpose(1, 2, 0), 2, 2, "max")
        np.testing.assert_allclose(dx[n], expected.transpose(2, 0, 1), rtol=1e-6)
    windows = dx.reshape(2, 2, 3, 2, 3, 2)
    assert (np.count_nonzero(windows, axis=(3, 5)) <= 1).all()


def test_max_pool_ties_with_overlapping_windows_use_one_winner_each():
    x = np.ones((1, 1, 3, 3), dtype=np.float64)  # all tied; windows 2x2 at stride 1 overlap
    out, cache = P.pool_forward(x, 2, 1, "max")
    dx = P.pool_backward(np.ones(out.shape), cache)
    # Each of the 4 windows gives its gradient to its own top-left element.
    np.testing.assert_array_equal(dx[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_pool_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode"):
        P.pool_forward(np.zeros((1, 1, 4, 4)), 2, 2, "median")
