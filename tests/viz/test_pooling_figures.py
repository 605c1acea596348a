"""Lesson 5 figures: windows, leftovers, winners and sum ÷ count, read back from the JSON."""

import numpy as np
import pytest

from cnnviz.ops import pool
from cnnviz.viz import pooling
from tests.conftest import plotly_array

X = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]])


def shapes(fig, **match):
    return [s for s in fig.to_plotly_json()["layout"].get("shapes", []) if _matches(s, match)]


def _matches(shape, match):
    return all(shape.get(k) == v or shape.get("line", {}).get(k) == v for k, v in match.items())


def test_input_figure_draws_windows_winners_and_highlight():
    winners = pool.max_pool_winners(X)
    fig = pooling.pool_input_figure(X, size=2, stride=2, winners=winners, highlight=(1, 0))
    np.testing.assert_array_equal(plotly_array(fig.data[0].z), X)
    assert len(shapes(fig, color=pooling.WINDOW_LINE)) == 4
    frames = shapes(fig, color=pooling.WINNER_COLOR)
    centres = sorted((round(f["y0"] + 0.4), round(f["x0"] + 0.4)) for f in frames)
    assert centres == [(1, 1), (1, 3), (2, 0), (3, 3)]  # the worked example's winners
    text = np.array(fig.data[0].text, dtype=object)
    assert text[1, 1] == "<b>6</b>" and text[0, 0] == "1"
    (red,) = shapes(fig, color=pooling.HIGHLIGHT)
    assert (red["x0"], red["y0"], red["x1"], red["y1"]) == (-0.5, 1.5, 1.5, 3.5)


@pytest.mark.parametrize(
    ("shape", "size", "stride", "unread"),
    [((4, 4), 2, 2, 0), ((5, 7), 2, 2, 5 * 7 - 4 * 6), ((6, 6), 1, 2, 36 - 9), ((6, 6), 3, 1, 0)],
)
def test_numbers_no_window_reads_are_shaded(shape, size, stride, unread):
    fig = pooling.pool_input_figure(np.zeros(shape), size=size, stride=stride)
    shaded = [s for s in fig.to_plotly_json()["layout"].get("shapes", []) if "fillcolor" in s]
    assert len(shaded) == unread


def test_overlapping_windows_are_not_drawn_but_a_shared_winner_is_framed_once():
    x = np.zeros((3, 3))
    x[1, 1] = 5
    fig = pooling.pool_input_figure(x, size=2, stride=1, winners=pool.max_pool_winners(x, 2, 1))
    assert not shapes(fig, color=pooling.WINDOW_LINE)
    assert len(shapes(fig, color=pooling.WINNER_COLOR)) == 1


def test_average_figure_writes_sum_over_count():
    sums, count = pool.avg_pool_sums(X)
    fig = pooling.average_figure(sums, count, title="avg")
    np.testing.assert_allclose(plotly_array(fig.data[0].z), [[3.25, 5.25], [2, 2]])
    text = np.array(fig.data[0].text, dtype=object)
    assert text[0, 0] == "13 ÷ 4<br><b>3.25</b>"
    assert text[1, 1] == "8 ÷ 4<br><b>2.00</b>"
    negative = pooling.average_figure(np.array([[-6.0]]), 4)
    assert negative.data[0].text[0][0] == "\u22126 ÷ 4<br><b>\u22121.5</b>"


def test_average_figure_rejects_bad_input():
    with pytest.raises(ValueError, match="2-D"):
        pooling.average_figure(np.ones(3), 4)
    with pytest.raises(ValueError, match="count"):
        pooling.average_figure(np.ones((2, 2)), 0)


def test_gradient_figure_is_centred_on_zero():
    grad = np.array([[0.0, 2.0], [-1.0, 0.0]])
    fig = pooling.gradient_figure(grad, winners=np.array([[[0, 1]]]))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-2.0, 2.0)
    assert len(shapes(fig, color=pooling.WINNER_COLOR)) == 1
    zero = pooling.gradient_figure(np.zeros((2, 2)))
    assert (zero.data[0].zmin, zero.data[0].zmax) == (-1.0, 1.0)


def test_real_map_prints_values_only_where_cells_are_wide_enough():
    rng = np.random.default_rng(0)
    big = rng.normal(0, 100, size=(21, 31))  # lesson 5's map pooled three times
    fig = pooling.real_map_figure(big, title="t", limit=400.0, chart_width_px=280).to_plotly_json()
    (trace,) = fig["data"]
    assert "text" not in trace and not trace.get("texttemplate")  # 31 cells in ~150 px
    assert trace["zmin"] == -400 and trace["zmax"] == 400 and trace["showscale"]
    np.testing.assert_allclose(plotly_array(trace["z"]), big)
    small = np.array([[-12.5, 3.0], [0.0, 7.25]])
    fig = pooling.real_map_figure(small, title="t", chart_width_px=280).to_plotly_json()
    (trace,) = fig["data"]
    assert trace["text"][0][0] == "\u221212.50"  # a real minus sign
    assert trace["zmin"] == -12.5 and trace["zmax"] == 12.5
    # The rule: printed only when chart width minus margins and colour bar gives 18 px a cell.
    plot_px = 280 - 46 - pooling.COLORBAR_PX
    wide = np.zeros((4, plot_px // pooling.MIN_PRINTED_CELL_PX))
    narrow = np.zeros((4, wide.shape[1] + 1))
    assert "text" in pooling.real_map_figure(wide, chart_width_px=280).to_plotly_json()["data"][0]
    assert "text" not in pooling.real_map_figure(narrow).to_plotly_json()["data"][0]


def test_real_map_larger_than_printable_is_a_raw_map_with_the_shared_limit():
    values = np.arange(40 * 50, dtype=np.float64).reshape(40, 50) - 1000
    fig = pooling.real_map_figure(values, limit=5000.0, chart_width_px=2000).to_plotly_json()
    assert "text" not in fig["data"][-1] and fig["data"][-1]["zmax"] == 5000
    with pytest.raises(ValueError, match="finite"):
        pooling.real_map_figure(np.array([[np.nan]]))
