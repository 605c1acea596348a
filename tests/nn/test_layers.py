"""Every layer's backward pass against numerical gradients; fast conv against references."""

import numpy as np
import pytest

from cnnviz.nn import layers as L
from cnnviz.nn.gradcheck import numerical_gradient, numerical_gradient_array, relative_error
from cnnviz.ops.conv import correlate2d

TOL = 1e-7


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# --- convolution ----------------------------------------------------------------------------

CONV_CASES = [
    # (N, C, H, W), (F, KH, KW), stride, pad
    ((2, 1, 5, 5), (3, 3, 3), 1, 1),
    ((2, 3, 6, 5), (4, 3, 3), 2, 1),
    ((1, 2, 7, 7), (2, 5, 5), 1, 2),
    ((3, 2, 6, 6), (2, 1, 1), 1, 0),
    ((2, 2, 7, 6), (3, 3, 2), 3, 0),
    ((1, 1, 4, 4), (1, 4, 4), 1, 0),
    ((1, 2, 3, 3), (2, 1, 1), 1, 1),  # pad > K - 1: dx by col2im
    ((1, 2, 9, 8), (2, 3, 3), 1, 1),  # >= 64 output positions: dx by col2im at stride 1
    ((2, 1, 10, 10), (2, 3, 3), 1, 1),  # >= 96 positions: dw summed image by image, C = 1
    ((2, 2, 10, 10), (3, 3, 3), 1, 1),  # the same with C > 1
]


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad"), CONV_CASES)
def test_conv_forward_equals_loop_reference(rng, x_shape, w_shape, stride, pad):
    x = rng.standard_normal(x_shape).astype(np.float32)
    F, KH, KW = w_shape
    w = rng.standard_normal((F, x_shape[1], KH, KW)).astype(np.float32)
    b = rng.standard_normal(F).astype(np.float32)
    out, _ = L.conv_forward(x, w, b, stride, pad)
    ref = L.conv_forward_loop(x, w, b, stride, pad)
    assert (
        out.shape
        == ref.shape
        == (
            x_shape[0],
            F,
            (x_shape[2] + 2 * pad - KH) // stride + 1,
            (x_shape[3] + 2 * pad - KW) // stride + 1,
        )
    )
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (1, 1), (2, 1), (2, 0)])
def test_conv_forward_equals_ops_correlate2d(rng, stride, pad):
    image = rng.standard_normal((7, 6, 3))  # (H, W, C) as cnnviz.ops uses
    kernel = rng.standard_normal((3, 3, 3))  # (KH, KW, C)
    expected = correlate2d(image, kernel, stride=stride, pad=pad)
    x = image.transpose(2, 0, 1)[None]  # (1, C, H, W)
    w = kernel.transpose(2, 0, 1)[None]  # (1, C, KH, KW)
    out, _ = L.conv_forward(x, w, np.zeros(1), stride, pad)
    np.testing.assert_allclose(out[0, 0], expected, rtol=1e-12, atol=1e-12)


def test_conv_one_channel_worked_example():
    # The classic 5x5 binary image and X-shaped kernel: every output is a count of hits.
    image = np.array(
        [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]],
        dtype=np.float32,
    )
    kernel = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float32)
    out, _ = L.conv_forward(image[None, None], kernel[None, None], np.zeros(1, np.float32))
    np.testing.assert_array_equal(out[0, 0], [[4, 3, 4], [2, 4, 3], [2, 3, 4]])


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad"), CONV_CASES)
def test_conv_backward_matches_numerical_gradient(rng, x_shape, w_shape, stride, pad):
    F, KH, KW = w_shape
    x = rng.standard_normal(x_shape)
    w = rng.standard_normal((F, x_shape[1], KH, KW))
    b = rng.standard_normal(F)
    out, cache = L.conv_forward(x, w, b, stride, pad)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = L.conv_backward(dout, cache)

    def f():
        return L.conv_forward(x, w, b, stride, pad)[0]

    assert dx.shape == x.shape and dw.shape == w.shape and db.shape == b.shape
    assert relative_error(dx, numerical_gradient_array(f, x, dout)) < TOL
    assert relative_error(dw, numerical_gradient_array(f, w, dout)) < TOL
    assert relative_error(db, numerical_gradient_array(f, b, dout)) < TOL


def test_conv_backward_can_skip_dx(rng):
    x = rng.standard_normal((2, 1, 5, 5))
    w = rng.standard_normal((3, 1, 3, 3))
    out, cache = L.conv_forward(x, w, np.zeros(3), 1, 1)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = L.conv_backward(dout, cache, need_dx=False)
    full = L.conv_backward(dout, cache)
    assert dx is None
    np.testing.assert_allclose(dw, full[1])
    np.testing.assert_allclose(db, full[2])


def test_conv_gives_the_same_result_for_any_memory_layout(rng):
    x_nhwc = rng.standard_normal((2, 5, 5, 3)).astype(np.float32)
    x_view = x_nhwc.transpose(0, 3, 1, 2)  # NCHW view of channels-last memory
    x_plain = np.ascontiguousarray(x_view)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = np.zeros(4, np.float32)
    np.testing.assert_array_equal(
        L.conv_forward(x_view, w, b, 1, 1)[0], L.conv_forward(x_plain, w, b, 1, 1)[0]
    )


def test_conv_rejects_mismatched_channels_and_kernels_that_do_not_fit(rng):
    x = np.zeros((1, 2, 4, 4))
    with pytest.raises(ValueError, match="channels"):
        L.conv_forward(x, np.zeros((1, 3, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="does not fit"):
        L.conv_forward(x, np.zeros((1, 2, 5, 5)), np.zeros(1))


# --- ReLU, flatten, dense, dropout ------------------------------------------------------------


def test_relu_forward_and_backward(rng):
    x = rng.standard_normal((2, 3, 4, 4))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink, where the derivative is undefined
    out, cache = L.relu_forward(x)
    np.testing.assert_array_equal(out, np.where(x > 0, x, 0))
    dout = rng.standard_normal(x.shape)
    dx = L.relu_backward(dout, cache)
    num = numerical_gradient_array(lambda: L.relu_forward(x)[0], x, dout)
    assert relative_error(dx, num) < TOL


def test_flatten_keeps_channel_height_width_order(rng):
    x = rng.standard_normal((2, 3, 2, 2))
    out, cache = L.flatten_forward(x)
    assert out.shape == (2, 12)
    np.testing.assert_array_equal(out[1, 4:8], x[1, 1].ravel())
    dout = rng.standard_normal(out.shape)
    dx = L.flatten_backward(dout, cache)
    assert (
        relative_error(dx, numerical_gradient_array(lambda: L.flatten_forward(x)[0], x, dout)) < TOL
    )


def test_dense_backward_matches_numerical_gradient(rng):
    x = rng.standard_normal((4, 5))
    w = rng.standard_normal((5, 3))
    b = rng.standard_normal(3)
    out, cache = L.dense_forward(x, w, b)
    np.testing.assert_allclose(out, x @ w + b)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = L.dense_backward(dout, cache)

    def f():
        return L.dense_forward(x, w, b)[0]

    assert relative_error(dx, numerical_gradient_array(f, x, dout)) < TOL
    assert relative_error(dw, numerical_gradient_array(f, w, dout)) < TOL
    assert relative_error(db, numerical_gradient_array(f, b, dout)) < TOL


def test_dropout_training_backward_and_eval_identity(rng):
    x = rng.standard_normal((50, 40))
    out, cache = L.dropout_forward(x, 0.5, np.random.default_rng(3), training=True)
    dropped = out == 0
    assert 0.4 < dropped.mean() < 0.6
    np.testing.assert_allclose(out[~dropped], 2 * x[~dropped])  # scaled by 1 / (1 - p)
    dout = rng.standard_normal(x.shape)
    dx = L.dropout_backward(dout, cache)

    def f():  # the same mask every call: a fresh generator with the same seed
        return L.dropout_forward(x, 0.5, np.random.default_rng(3), training=True)[0]

    assert relative_error(dx, numerical_gradient_array(f, x, dout)) < TOL
    same, no_cache = L.dropout_forward(x, 0.5, rng, training=False)
    assert same is x and no_cache is None
    with pytest.raises(ValueError, match="rng"):
        L.dropout_forward(x, 0.5, None, training=True)
    with pytest.raises(ValueError, match="probability"):
        L.dropout_forward(x, 1.0, rng, training=True)


# --- softmax cross-entropy --------------------------------------------------------------------


def test_softmax_cross_entropy_gradient_and_value(rng):
    logits = rng.standard_normal((6, 4))
    y = np.array([0, 3, 1, 2, 3, 0])
    loss, dlogits = L.softmax_cross_entropy(logits, y)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(6), y])), rel=1e-12)
    num = numerical_gradient(lambda: L.softmax_cross_entropy(logits, y)[0], logits)
    assert relative_error(dlogits, num) < TOL


def test_softmax_cross_entropy_is_stable_for_huge_scores():
    logits = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4]], dtype=np.float32)
    loss, dlogits = L.softmax_cross_entropy(logits, np.array([0, 0]))
    assert np.isfinite(loss) and np.isfinite(dlogits).all()
    assert loss == pytest.approx((0 + 1e4 + np.log(2)) / 2, rel=1e-5)
    np.testing.assert_allclose(L.softmax(logits).sum(axis=1), 1, rtol=1e-6)
