"""Activations and softmax: exact values, numerical gradients, stability, typed scores."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnviz.ops import activations as act

X = np.array([-1000.0, -3.0, -0.5, 0.0, 0.25, 2.0, 1000.0])
# Points away from ReLU's corner at 0, for numerical derivatives.
SMOOTH_X = np.array([-4.0, -1.3, -0.2, 0.3, 1.7, 5.0])


def numerical_grad(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def test_relu_exact_values():
    np.testing.assert_array_equal(act.relu(X), [0, 0, 0, 0, 0.25, 2, 1000])
    np.testing.assert_array_equal(act.relu_grad(X), [0, 0, 0, 0, 1, 1, 1])


def test_leaky_relu_exact_values():
    np.testing.assert_allclose(act.leaky_relu(X, 0.1), [-100, -0.3, -0.05, 0, 0.25, 2, 1000])
    np.testing.assert_array_equal(act.leaky_relu_grad(X, 0.1), [0.1, 0.1, 0.1, 0.1, 1, 1, 1])
    assert act.leaky_relu(-2.0) == pytest.approx(-0.02)  # default slope 0.01
    np.testing.assert_array_equal(act.leaky_relu(X, 0.0), act.relu(X))


def test_sigmoid_exact_values_and_no_overflow_warning():
    with np.errstate(over="raise", invalid="raise"):  # underflow to 0 is fine
        s = act.sigmoid(X)
    assert s[3] == 0.5
    assert s[0] == 0.0 and s[-1] == 1.0
    assert s[2] == pytest.approx(1 / (1 + math.exp(0.5)), abs=1e-15)
    assert s[5] == pytest.approx(1 / (1 + math.exp(-2)), abs=1e-15)
    np.testing.assert_allclose(act.sigmoid(-SMOOTH_X), 1 - act.sigmoid(SMOOTH_X), atol=1e-15)
    assert act.sigmoid_grad(0.0) == 0.25


def test_tanh_exact_values_and_link_to_sigmoid():
    t = act.tanh(X)
    assert t[3] == 0 and t[0] == -1 and t[-1] == 1
    assert t[5] == pytest.approx((math.e**2 - math.e**-2) / (math.e**2 + math.e**-2))
    np.testing.assert_allclose(t, 2 * act.sigmoid(2 * X) - 1, atol=1e-15)
    assert act.tanh_grad(0.0) == 1.0


@pytest.mark.parametrize(
    ("f", "grad"),
    [
        (act.relu, act.relu_grad),
        (lambda x: act.leaky_relu(x, 0.2), lambda x: act.leaky_relu_grad(x, 0.2)),
        (act.sigmoid, act.sigmoid_grad),
        (act.tanh, act.tanh_grad),
    ],
    ids=["relu", "leaky_relu", "sigmoid", "tanh"],
)
def test_every_derivative_matches_the_numerical_gradient(f, grad):
    np.testing.assert_allclose(grad(SMOOTH_X), numerical_grad(f, SMOOTH_X), rtol=1e-6, atol=1e-9)


def test_activations_keep_the_shape_of_a_batch():
    x = np.random.default_rng(0).normal(size=(2, 3, 4, 5))
    for f in (act.relu, act.leaky_relu, act.sigmoid, act.tanh, act.relu_grad, act.sigmoid_grad):
        assert f(x).shape == x.shape and f(x).dtype == np.float64


def test_softmax_of_a_hand_checked_example():
    p = act.softmax([2.0, 1.0, 0.1])
    e = np.exp([2.0, 1.0, 0.1])
    np.testing.assert_allclose(p, e / e.sum(), rtol=1e-15)
    np.testing.assert_allclose(p, [0.659, 0.242, 0.099], atol=5e-4)


@given(
    arrays(np.float64, st.integers(2, 10), elements=st.floats(-1e4, 1e4)),
    st.floats(-1e4, 1e4),
)
def test_softmax_sums_to_one_and_ignores_a_constant_shift(scores, shift):
    p = act.softmax(scores)
    assert np.all(p >= 0) and np.isfinite(p).all()
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(act.softmax(scores + shift), p, atol=1e-9)


def test_softmax_is_stable_for_huge_scores():
    with np.errstate(over="raise", invalid="raise"):
        p = act.softmax([1e4, 1e4 + 1, 1e4 + 2])
        np.testing.assert_allclose(p, act.softmax([0.0, 1.0, 2.0]), rtol=1e-12)
        np.testing.assert_allclose(act.softmax([-1e4, 0.0]), [0.0, 1.0])
    with np.errstate(over="ignore", invalid="ignore"):  # the naive formula really fails
        naive = np.exp([1e4, 1e4 + 1]) / np.exp([1e4, 1e4 + 1]).sum()
    assert np.isnan(naive).all()


def test_softmax_temperature_limits():
    scores = np.array([1.0, 3.0, 2.0, 3.0 - 1e-3])
    np.testing.assert_allclose(act.softmax(scores, 1e-6), [0, 1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(act.softmax(scores, 1e8), np.full(4, 0.25), atol=1e-7)
    np.testing.assert_allclose(act.softmax(scores, 2.0), act.softmax(scores / 2.0))
    np.testing.assert_allclose(act.softmax([5.0, 5.0], 1e-9), [0.5, 0.5])  # ties share


@pytest.mark.parametrize("temperature", [0.0, -1.0, math.inf, math.nan])
def test_softmax_refuses_a_temperature_that_is_not_positive(temperature):
    with pytest.raises(ValueError, match="temperature must be a positive number"):
        act.softmax([1.0, 2.0], temperature)


def test_softmax_rows_of_a_batch():
    scores = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    p = act.softmax(scores)
    np.testing.assert_allclose(p.sum(axis=1), [1, 1])
    np.testing.assert_allclose(p[1], [1 / 3] * 3)
    np.testing.assert_allclose(act.softmax(scores.T, axis=0), p.T)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 3.0])
def test_softmax_jacobian_matches_the_numerical_gradient(temperature):
    z = np.array([0.3, -1.2, 2.0, 0.7])
    numeric = np.empty((4, 4))
    for j in range(4):
        step = np.zeros(4)
        step[j] = 1e-6
        numeric[:, j] = (
            act.softmax(z + step, temperature) - act.softmax(z - step, temperature)
        ) / 2e-6
    jacobian = act.softmax_jacobian(z, temperature)
    np.testing.assert_allclose(jacobian, numeric, atol=1e-8)
    np.testing.assert_allclose(jacobian.sum(axis=0), 0, atol=1e-15)


def test_softmax_steps_show_the_trick_and_the_overflow():
    steps = act.softmax_steps([1000.0, 1001.0, 1002.0])
    np.testing.assert_array_equal(steps.shifted, [-2, -1, 0])
    np.testing.assert_allclose(steps.exps, np.exp([-2.0, -1.0, 0.0]))
    assert steps.total == pytest.approx(1 + math.exp(-1) + math.exp(-2))
    np.testing.assert_allclose(steps.probabilities, act.softmax([0.0, 1.0, 2.0]))
    assert steps.naive_overflows and np.isinf(steps.naive_exps).all()
    assert np.isnan(steps.naive_probabilities).all()
    small = act.softmax_steps([2.0, 1.0], temperature=0.5)
    np.testing.assert_array_equal(small.scaled, [4, 2])
    assert not small.naive_overflows
    np.testing.assert_allclose(small.naive_probabilities, small.probabilities)


def test_naive_overflow_starts_just_above_the_float64_limit():
    assert abs(act.FLOAT64_EXP_LIMIT - 709.78) < 0.01
    assert not act.softmax_steps([709.0, 0.0]).naive_overflows
    assert act.softmax_steps([710.0, 0.0]).naive_overflows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2, 1, 0.1", [2, 1, 0.1]),
        ("  -1 ;2  3 ", [-1, 2, 3]),
        ("\u22121.5, 4", [-1.5, 4]),
        ("1e3,1001,1002", [1000, 1001, 1002]),
    ],
)
def test_parse_scores_reads_typed_numbers(text, expected):
    np.testing.assert_array_equal(act.parse_scores(text), expected)


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("", "Type some scores"),
        ("   , ,", "Type some scores"),
        ("1, two, 3", "“two” is not a number"),
        ("1, nan", "not a finite number"),
        ("inf, 1", "not a finite number"),
        ("1e300, 1", "too large"),
        ("5", "You typed 1 score;"),
        (", ".join(["1"] * 11), "You typed 11 scores"),
    ],
)
def test_parse_scores_explains_what_is_wrong(text, mentions):
    with pytest.raises(act.ScoresError, match=mentions):
        act.parse_scores(text)
    assert issubclass(act.ScoresError, ValueError)


def test_format_scores_round_trips():
    scores = np.array([-1.5, 0.0, 1e6, 2.25])
    assert act.format_scores(scores) == "-1.5, 0, 1e+06, 2.25"
    np.testing.assert_array_equal(act.parse_scores(act.format_scores(scores)), scores)


@pytest.mark.parametrize("name", act.ACTIVATIONS)
def test_activate_by_name_matches_the_functions(name):
    functions = {
        "relu": (act.relu, act.relu_grad),
        "leaky_relu": (lambda x: act.leaky_relu(x, 0.3), lambda x: act.leaky_relu_grad(x, 0.3)),
        "sigmoid": (act.sigmoid, act.sigmoid_grad),
        "tanh": (act.tanh, act.tanh_grad),
    }[name]
    np.testing.assert_array_equal(act.activate(name, X, 0.3), functions[0](X))
    np.testing.assert_array_equal(act.activate_grad(name, X, 0.3), functions[1](X))


def test_activate_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="Unknown activation 'softplus'"):
        act.activate("softplus", X)
