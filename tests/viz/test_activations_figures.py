"""Lesson 6 figures and formulas, read back from the figure JSON."""

import numpy as np
import pytest

from cnnviz.ops import activations as act
from cnnviz.viz import activations as figures
from tests.conftest import plotly_array

XS = np.linspace(-6, 6, 121)
TITLES = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "sigmoid": "Sigmoid", "tanh": "tanh"}


def curves_figure(x=-2.0, slope=0.1, chosen="ReLU"):
    curves = {t: act.activate(n, XS, slope) for n, t in TITLES.items()}
    slopes = {t: act.activate_grad(n, XS, slope) for n, t in TITLES.items()}
    values = {t: float(act.activate(n, x, slope)) for n, t in TITLES.items()}
    return figures.activation_curves_figure(XS, curves, slopes, values, x=x, chosen=chosen)


def test_one_panel_per_activation_with_curve_slope_and_point():
    fig = curves_figure().to_plotly_json()
    data, layout = fig["data"], fig["layout"]
    assert len(data) == 12
    for i, name in enumerate(TITLES):
        slope_line, curve, point = data[3 * i : 3 * i + 3]
        axis = "" if i == 0 else str(i + 1)
        assert curve["xaxis"] == f"x{axis}" and point["yaxis"] == f"y{axis}"
        np.testing.assert_allclose(plotly_array(curve["y"]), act.activate(name, XS, 0.1))
        np.testing.assert_allclose(plotly_array(slope_line["y"]), act.activate_grad(name, XS, 0.1))
        assert slope_line["line"]["dash"] == "dot"
        assert list(point["x"]) == [-2.0, -2.0]
        assert point["y"][1] == pytest.approx(float(act.activate(name, -2.0, 0.1)))
    domains = [layout[f"xaxis{'' if i == 0 else i + 1}"]["domain"] for i in range(4)]
    assert all(a[1] < b[0] for a, b in zip(domains, domains[1:], strict=False))
    assert [a["text"] for a in layout["annotations"]] == [
        "ReLU: f(−2) = 0",
        "Leaky ReLU: f(−2) = −0.2",
        "Sigmoid: f(−2) = 0.119",
        "tanh: f(−2) = −0.964",
    ]


def test_the_chosen_panel_is_highlighted():
    data = curves_figure(chosen="Sigmoid").to_plotly_json()["data"]
    colours = [data[3 * i + 1]["line"]["color"] for i in range(4)]
    assert colours == [figures.CURVE_COLOR] * 2 + [figures.CHOSEN_COLOR, figures.CURVE_COLOR]


def test_curves_figure_checks_its_input():
    with pytest.raises(ValueError, match="1-D array"):
        figures.activation_curves_figure(np.zeros((2, 2)), {}, {}, {}, x=0, chosen="ReLU")
    with pytest.raises(ValueError, match="same titles"):
        figures.activation_curves_figure(XS, {"ReLU": XS}, {}, {}, x=0, chosen="ReLU")


def test_a_small_map_prints_its_values_with_real_minus_signs():
    values = np.array([[-1.25, 0.0], [0.5, 2.0]])
    fig = figures.activated_map_figure(values, title="t", window=(0, 0, 1, 1)).to_plotly_json()
    (heatmap,) = fig["data"]
    np.testing.assert_array_equal(plotly_array(heatmap["z"]), values)
    assert heatmap["text"][0][0] == "\u22121.25" and heatmap["text"][1][1] == "2.00"
    assert (heatmap["zmin"], heatmap["zmax"]) == (-2.0, 2.0)
    assert heatmap["showscale"] is False
    assert fig["layout"]["shapes"][0]["x0"] == -0.5


def test_a_large_map_has_hover_values_a_colour_bar_and_the_outline():
    values = np.linspace(-3, 1, 40 * 50).reshape(40, 50)
    fig = figures.activated_map_figure(values, window=(5, 6, 8, 8)).to_plotly_json()
    (heatmap,) = fig["data"]
    np.testing.assert_allclose(plotly_array(heatmap["z"]), values, rtol=1e-6)
    assert "text" not in heatmap and heatmap.get("showscale", True)
    assert (heatmap["zmin"], heatmap["zmax"]) == (-3.0, 3.0)
    (shape,) = fig["layout"]["shapes"]
    assert (shape["x0"], shape["y0"], shape["x1"], shape["y1"]) == (5.5, 4.5, 13.5, 12.5)


def test_probability_bars_show_percentages_and_mark_the_largest():
    p = act.softmax([2.0, 1.0, 0.1])
    fig = figures.probability_bars_figure(p, title="P").to_plotly_json()
    (bars,) = fig["data"]
    np.testing.assert_allclose(plotly_array(bars["y"]), 100 * p)
    assert list(bars["text"]) == ["65.9%", "24.2%", "9.9%"]
    assert list(bars["x"]) == ["0", "1", "2"]
    assert bars["marker"]["color"][0] == figures.TOP_BAR_COLOR
    assert set(bars["marker"]["color"][1:]) == {figures.BAR_COLOR}
    assert fig["layout"]["title"]["text"] == "P"


def test_probability_bars_label_nan_and_check_labels():
    fig = figures.probability_bars_figure(np.array([np.nan, np.nan]), labels=["cat", "dog"])
    assert list(fig.data[0].text) == ["NaN", "NaN"] and list(fig.data[0].x) == ["cat", "dog"]
    with pytest.raises(ValueError, match="2 labels for 3"):
        figures.probability_bars_figure(np.ones(3) / 3, labels=["a", "b"])
    with pytest.raises(ValueError, match="non-empty 1-D"):
        figures.probability_bars_figure(np.ones((2, 2)))


@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [
        ("relu", 3.0, r"\mathrm{ReLU}(3) = \max(0,\ 3) = 3"),
        ("relu", -0.5, r"\mathrm{ReLU}(-0.5) = \max(0,\ (-0.5)) = 0"),
        ("leaky_relu", -2.0, r"f(-2) = a \cdot x = 0.1 \cdot (-2) = -0.2"),
        ("leaky_relu", 1.5, r"f(1.5) = 1.5 \quad"),
        ("sigmoid", 0.0, r"\sigma(0) = \frac{1}{1 + e^{-0}} = \frac{1}{1 + 1} = 0.5"),
        (
            "tanh",
            1.0,
            r"\tanh(1) = \frac{e^{1} - e^{-1}}{e^{1} + e^{-1}} = "
            r"\frac{2.718 - 0.368}{2.718 + 0.368} = 0.762",
        ),
    ],
)
def test_activation_latex_substitutes_the_numbers(name, x, expected):
    value = float(act.activate(name, x, 0.1))
    assert figures.activation_latex(name, x, value, 0.1).startswith(expected)


def test_activation_latex_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="Unknown activation"):
        figures.activation_latex("softplus", 0.0, 0.0)


def test_softmax_latex_spells_out_short_sums_and_totals_long_ones():
    steps = act.softmax_steps([1000.0, 1001.0, 1002.0])
    text = figures.softmax_latex(steps.shifted, steps.exps, 2, scaled_max=1002.0)
    assert text.startswith(r"\begin{aligned} p_{2} &= \frac{e^{0}}{e^{-2} + e^{-1} + e^{0}}")
    assert r"&= \frac{1}{0.135 + 0.368 + 1} \\ &= 0.665" in text and "1002" in text
    long = act.softmax_steps(np.arange(6.0))
    text = figures.softmax_latex(long.shifted, long.exps, 5, scaled_max=5.0)
    assert r"\sum_{j=0}^{5}" in text
    assert f"&= {long.probabilities[5]:.3f} \\\\ & (m" in text


@pytest.mark.parametrize(
    ("p", "label"),
    [(0.75, "75.0%"), (1e-5, "0.001%"), (0.0004, "0.04%"), (3e-9, "3×10⁻⁷%"), (0.0, "0%")],
)
def test_percent_labels_never_print_a_positive_share_as_zero(p, label):
    assert figures.percent_label(p) == label
    assert (figures.percent_label(p) == "0%") == (p == 0)
