import numpy as np
import plotly.graph_objects as go
import pytest

from cnnviz.viz import matrices
from tests.conftest import plotly_array


def test_small_matrix_prints_every_value_with_a_true_minus_sign():
    values = np.array([[1, -2, 3], [0, 255, -0.0]])
    fig = matrices.matrix_figure(values, title="m")
    heatmap = fig.data[0]
    assert isinstance(heatmap, go.Heatmap)
    assert heatmap.texttemplate == "%{text}"
    assert np.asarray(heatmap.text).tolist() == [["1", "−2", "3"], ["0", "255", "0"]]
    np.testing.assert_array_equal(plotly_array(fig.to_plotly_json()["data"][0]["z"]), values)


def test_fractional_values_get_two_decimals():
    fig = matrices.matrix_figure(np.array([[0.5, -1.25]]))
    assert np.asarray(fig.data[0].text).tolist() == [["0.50", "−1.25"]]


def test_large_matrix_has_hover_but_no_printed_values():
    fig = matrices.matrix_figure(np.zeros((64, 40)))
    assert fig.data[0].text is None
    assert "%{z}" in fig.data[0].hovertemplate


def test_nan_cells_are_left_blank():
    fig = matrices.matrix_figure(np.array([[1.0, np.nan]]))
    assert np.asarray(fig.data[0].text).tolist() == [["1", ""]]


def test_window_is_outlined_around_the_right_cells():
    fig = matrices.matrix_figure(np.zeros((5, 5)), window=(1, 2, 3, 2))
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (1.5, 3.5, 0.5, 3.5)


def test_rows_run_top_to_bottom_like_an_image():
    fig = matrices.matrix_figure(np.zeros((3, 3)))
    assert fig.layout.yaxis.autorange == "reversed"


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((0, 2)), np.zeros((2, 2, 2))])
def test_rejects_non_matrices(bad):
    with pytest.raises(ValueError, match="2-D"):
        matrices.matrix_figure(bad)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(-3, 0, "−3"), (2.5, 1, "2.5"), (-0.001, 2, "0.00"), (np.inf, 0, "∞"), (-np.inf, 0, "−∞")],
)
def test_format_number(value, decimals, text):
    assert matrices.format_number(value, decimals) == text


def test_title_sits_above_the_top_axis_ticks():
    fig = matrices.matrix_figure(np.zeros((3, 3)), title="Red values")
    title = fig.layout.title
    assert title.yref == "container" and title.yanchor == "top" and title.y == 1
    untitled = matrices.matrix_figure(np.zeros((3, 3)))
    assert fig.layout.margin.t > untitled.layout.margin.t


def test_origin_numbers_a_crop_as_in_its_image():
    fig = matrices.matrix_figure(np.arange(6).reshape(2, 3), origin=(100, 160))
    heatmap = fig.data[0]
    assert (heatmap.y0, heatmap.x0) == (100, 160)
    assert fig.layout.xaxis.tick0 == 160 and fig.layout.yaxis.tick0 == 100


@pytest.mark.parametrize(
    ("values", "decimals"),
    [([0.0, 255.0], 0), ([127.5, 24.0], 1), ([1 / 9], 2), ([np.nan, 3.0], 0), ([0.25], 2)],
)
def test_decimals_needed_is_the_fewest_that_show_every_value(values, decimals):
    assert matrices.decimals_needed(np.array(values)) == decimals
