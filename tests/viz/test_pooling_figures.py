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
