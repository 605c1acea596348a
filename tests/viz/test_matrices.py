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


@pytest.mark.parametrize(
    ("n_cols", "width_px", "longest", "fits"),
    [
        (28, 480, 3, False),  # lesson 1's 28 × 28 grid in a half column: 15 px cells, 3 digits
        (28, 700, 3, True),  # 23 px cells hold "255" at 10 px
        (8, 300, 2, True),
        (16, 358, 5, False),  # "−1.10" needs 34 px, a phone gives 19
        (3, 200, 5, True),
        (10, 100, 1, False),  # 5 px cells hold nothing legibly
        (5, None, 9, True),  # unknown width: assume it fits
    ],
)
def test_text_fits(n_cols, width_px, longest, fits):
    assert matrices.text_fits(n_cols, width_px, longest) is fits


def test_text_fits_is_the_legible_cell_width_exactly():
    need = matrices.min_text_cell_px(3)
    assert need == 3 * matrices.CHAR_WIDTH_EM * matrices.MIN_FONT_PX + matrices.TEXT_PAD_PX
    width = int(matrices.SIDE_MARGINS_PX + 10 * need)
    assert matrices.text_fits(10, width, 3)
    assert not matrices.text_fits(10, width - 1, 3)
    assert matrices.text_fits(10, width, 0)  # empty cells need only the minimum height


@pytest.mark.parametrize("bad", [(0, 100, 1), (3, 100, -1)])
def test_text_fits_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        matrices.text_fits(*bad)


def test_width_px_hides_numbers_that_would_overlap_but_keeps_hover():
    values = np.full((28, 28), 255.0)
    fig = matrices.matrix_figure(values, width_px=480)
    assert fig.data[0].text is None and fig.data[0].texttemplate is None
    assert "%{z}" in fig.data[0].hovertemplate


def test_width_px_prints_numbers_that_fit_at_a_legible_size():
    values = np.array([[-1.1, 2.25], [0.0, 3.0]])
    fig = matrices.matrix_figure(values, width_px=300)
    assert np.asarray(fig.data[0].text).tolist() == [["−1.10", "2.25"], ["0.00", "3.00"]]
    assert fig.data[0].textfont.size is None  # plotly fits it to the drawn cells ...
    font = fig.layout.font.size  # ... up to the size that fits the laptop width
    assert font >= matrices.MIN_FONT_PX
    assert fig.layout.xaxis.tickfont.size == matrices.AXIS_FONT_PX
    cell = (fig.layout.height - fig.layout.margin.t - fig.layout.margin.b) / 2
    assert 5 * matrices.CHAR_WIDTH_EM * font + matrices.TEXT_PAD_PX <= cell


def test_width_px_sizes_the_height_to_the_width_no_empty_band():
    fig = matrices.matrix_figure(np.zeros((28, 28)), width_px=400)
    plot_height = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_height <= 400 - matrices.SIDE_MARGINS_PX
    assert plot_height >= 400 - matrices.SIDE_MARGINS_PX - 28  # within one cell of the width


def test_without_width_px_the_figure_is_unchanged():
    values = np.arange(9.0).reshape(3, 3)
    fig = matrices.matrix_figure(values)
    assert fig.to_json() == matrices.matrix_figure(values, width_px=None).to_json()
    assert fig.layout.height == 3 * 48 + 26 + 20 and fig.data[0].textfont.size == 18


def test_a_single_row_keeps_a_fixed_font_plotly_cannot_measure_its_cells():
    fig = matrices.matrix_figure(np.array([[1.0, 2.0, 3.0]]), width_px=400)
    assert fig.data[0].textfont.size >= matrices.MIN_FONT_PX
    assert fig.layout.font.size is None


def test_a_width_limited_grid_hugs_its_title():
    assert matrices.matrix_figure(np.zeros((4, 4)), width_px=300).layout.yaxis.constraintoward == (
        "top"
    )
