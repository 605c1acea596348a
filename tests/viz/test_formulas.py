"""The arithmetic shown on screen adds up to what the library computes."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cnnviz.data import synthetic
from cnnviz.ops import conv, shapes
from cnnviz.viz import formulas


@pytest.mark.parametrize(
    ("value", "text"),
    [(4, "4"), (4.0, "4"), (-2.5, "-2.5"), (1 / 9, "0.111"), (-0.0001, "0"), (255.0, "255")],
)
def test_number_is_short_and_has_no_negative_zero(value, text):
    assert formulas.number(value) == text


def _terms(latex: str) -> list[tuple[float, float]]:
    """(value, weight) pairs of every ``a \\cdot b`` term in a step's LaTeX."""
    factor = r"\(?(-?[\d.]+)\)?"
    return [(float(a), float(b)) for a, b in re.findall(rf"{factor} \\cdot {factor}", latex)]


def test_first_step_of_the_classic_example_reads_as_the_worked_example():
    trace = conv.conv_trace(synthetic.binary_example(), synthetic.example_kernel())
    first = trace.step(0)
    latex = formulas.step_latex(first.patch, trace.kernel, trace.bias, first.value)
    assert _terms(latex) == [(1, 1), (1, 0), (1, 1), (0, 0), (1, 1), (1, 0), (0, 1), (0, 0), (1, 1)]
    assert latex.removesuffix(r" \end{aligned}").endswith("= 4")


@settings(max_examples=60, deadline=None)
@given(
    image=arrays(
        np.int64, st.tuples(st.integers(3, 6), st.integers(3, 6)), elements=st.integers(-9, 9)
    ),
    kernel=arrays(np.int64, (3, 3), elements=st.integers(-5, 5)),
    bias=st.integers(-10, 10),
    stride=st.integers(1, 2),
    pad=st.sampled_from([0, 1, "same"]),
)
def test_every_step_shows_products_that_add_up_to_the_library_output(
    image, kernel, bias, stride, pad
):
    trace = conv.conv_trace(image, kernel, stride=stride, pad=pad, bias=float(bias))
    for i in range(trace.n_steps):
        step = trace.step(i)
        latex = formulas.step_latex(step.patch, trace.kernel, trace.bias, step.value)
        terms = _terms(latex)
        assert len(terms) == kernel.size
        shown_total = sum(a * b for a, b in terms)
        assert shown_total + bias == pytest.approx(trace.output.flat[i])
        assert latex.endswith(rf"= {formulas.number(trace.output.flat[i])} \end{{aligned}}")


def test_negative_factors_are_bracketed():
    latex = formulas.step_latex(np.array([[2, -3]]), np.array([[-1, 4]]), 0.0, -14.0)
    assert r"2 \cdot (-1) + (-3) \cdot 4" in latex


def test_bias_appears_with_its_sign():
    latex = formulas.step_latex(np.array([[1]]), np.array([[2]]), -5.0, -3.0)
    assert r"= 2 \;\; -\; 5 = -3" in latex


def test_channel_sums_add_up():
    latex = formulas.channel_sums_latex([1.0, -2.0, 3.5], 1.0, 3.5)
    assert "_{R}" in latex and "_{G}" in latex and "_{B}" in latex and latex.endswith("= 3.5")


@pytest.mark.parametrize(
    ("n", "k", "stride", "pad", "dilation"),
    [
        (5, 3, 1, 0, 1),
        (32, 5, 1, 0, 1),
        (15, 5, 1, 0, 1),
        (7, 3, 2, 1, 1),
        (10, 3, 1, 0, 2),
        (6, 4, 1, "same", 1),
    ],
)
def test_output_size_formula_ends_in_the_real_size(n, k, stride, pad, dilation):
    before_after = shapes.resolve_padding(n, k, stride, pad, dilation)
    latex = formulas.output_size_latex(n, k, stride, before_after, dilation)
    real = conv.correlate2d(np.zeros((n, n)), np.ones((k, k)), stride, pad, dilation).shape[0]
    assert latex.endswith(f"= {real}")
    assert f"{{{stride}}}" in latex


def test_text_number_uses_a_real_minus_sign():
    assert formulas.text_number(-775) == "\u2212775"
    assert formulas.text_number(-0.5) == "\u22120.5"
    assert formulas.text_number(12.25, 1) == "12.2"
    assert formulas.text_number(-0.0001) == "0"  # no minus zero
