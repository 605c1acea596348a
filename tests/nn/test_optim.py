"""Optimiser steps against values worked out by hand."""

import math

import numpy as np
import pytest

from cnnviz.nn.optim import SGD, Adam, Momentum, make_optimizer


def params_and_grads():
    params = {"w": np.array([1.0, -2.0], dtype=np.float32)}
    grads = {"w": np.array([0.5, -1.0], dtype=np.float32)}
    return params, grads


def test_sgd_step():
    params, grads = params_and_grads()
    w = params["w"]
    opt = SGD(0.1)
    opt.step(params, grads)
    assert params["w"] is w  # updated in place
    np.testing.assert_allclose(w, [1.0 - 0.05, -2.0 + 0.1], rtol=1e-6)
    np.testing.assert_allclose(opt.last_update["w"], [-0.05, 0.1], rtol=1e-6)
    assert opt.last_grads["w"] is grads["w"]


def test_momentum_two_steps():
    params, grads = params_and_grads()
    opt = Momentum(0.1, momentum=0.9)
    opt.step(params, grads)  # v1 = -0.1 g
    opt.step(params, grads)  # v2 = 0.9 v1 - 0.1 g = -0.19 g
    # w2 = w0 + v1 + v2 = w0 - 0.29 g
    np.testing.assert_allclose(params["w"], [1.0 - 0.29 * 0.5, -2.0 + 0.29], rtol=1e-6)
    np.testing.assert_allclose(opt.last_update["w"], [-0.19 * 0.5, 0.19], rtol=1e-6)


def test_adam_first_steps():
    params, grads = params_and_grads()
    opt = Adam(0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    opt.step(params, grads)
    # Step 1: m̂ = g, v̂ = g², so the step is lr * g / (|g| + eps) ≈ lr * sign(g).
    np.testing.assert_allclose(params["w"], [1.0 - 0.01, -2.0 + 0.01], rtol=1e-6)
    g2 = np.array([1.0, 0.0], dtype=np.float32)
    opt.step(params, {"w": g2})
    m = 0.9 * (0.1 * np.array([0.5, -1.0])) + 0.1 * g2
    v = 0.999 * (0.001 * np.array([0.25, 1.0])) + 0.001 * g2**2
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    expected = np.array([0.99, -1.99]) - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    np.testing.assert_allclose(params["w"], expected, rtol=1e-5)
    assert opt.t == 2


def test_state_is_kept_per_parameter():
    params = {"a": np.ones(2, np.float32), "b": np.ones(3, np.float32)}
    opt = Momentum(1.0, momentum=0.5)
    opt.step(params, {"a": np.ones(2, np.float32), "b": np.zeros(3, np.float32)})
    opt.step(params, {"a": np.zeros(2, np.float32), "b": np.ones(3, np.float32)})
    np.testing.assert_allclose(params["a"], 1 - 1 - 0.5)  # v_a: -1 then -0.5
    np.testing.assert_allclose(params["b"], 1 - 0 - 1)  # v_b: 0 then -1


@pytest.mark.parametrize("lr", [0, -1, math.nan, math.inf, "0.1"])
def test_learning_rate_must_be_positive_and_finite(lr):
    with pytest.raises(ValueError, match="learning rate"):
        SGD(lr)


def test_make_optimizer_by_name():
    assert isinstance(make_optimizer("sgd", 0.1), SGD)
    assert isinstance(make_optimizer("momentum", 0.1), Momentum)
    assert isinstance(make_optimizer("adam", 0.1), Adam)
    assert make_optimizer("adam", 0.02).lr == 0.02
    with pytest.raises(ValueError, match="optimizer"):
        make_optimizer("rmsprop", 0.1)
