"""`cnnviz.numbers`: every way cnnviz writes a number, with real minus signs."""

import math

import pytest

from cnnviz import numbers


@pytest.mark.parametrize(
    ("value", "short", "prose"),
    [(3.0, "3", "3"), (-0.5, "-0.5", "−0.5"), (1 / 9, "0.111", "0.111"), (-0.0001, "0", "0")],
)
def test_short_forms(value, short, prose):
    assert numbers.number(value) == short and numbers.text_number(value) == prose


@pytest.mark.parametrize(
    ("value", "decimals", "cell"),
    [(-0.004, 2, "0.00"), (-1.1, 2, "−1.10"), (math.inf, 0, "∞"), (-math.inf, 0, "−∞")],
)
def test_fixed_cells(value, decimals, cell):
    assert numbers.fixed(value, decimals) == cell
    assert numbers.fixed(math.nan) == ""


def test_plurals_powers_and_answers():
    assert numbers.plural(1, "pixel") == "1 pixel" and numbers.plural(2, "pixel") == "2 pixels"
    assert numbers.plural(2, "matrix", "matrices") == "2 matrices"
    assert numbers.power_of_ten(-5) == "10⁻⁵"
    assert numbers.whole_or_short(3882793.0) == "3,882,793"
    assert numbers.whole_or_short(-2.5) == "−2.5"
