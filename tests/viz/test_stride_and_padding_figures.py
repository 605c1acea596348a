"""Lesson 4's figures: coverage numbers, padding ring, left-out bands, window centres, steps."""

import numpy as np
import pytest

from cnnviz.ops.windows import coverage_2d, window_positions
from cnnviz.viz import stride_and_padding as stride_figures
from cnnviz.viz.convolution import PADDING_FILL, WINDOW_COLOR
from tests.conftest import plotly_array


def figure(h, w, k, stride=1, pad=0, dilation=1, **kwargs):
    rows = window_positions(h, k, stride, pad, dilation)
    cols = window_positions(w, k, stride, pad, dilation)
    fig = stride_figures.window_grid_figure(rows, cols, coverage_2d(rows, cols), **kwargs)
    return fig, rows, cols


def shapes_with(fig, **match):
    return [s for s in fig.layout.shapes if all(getattr(s, k) == v for k, v in match.items())]


def test_cells_print_the_coverage():
    fig, rows, cols = figure(7, 8, 3, stride=2)
    z = plotly_array(fig.data[0].z)
    np.testing.assert_array_equal(z, coverage_2d(rows, cols))
    assert list(fig.data[0].text[0]) == ["1", "1", "2", "1", "2", "1", "1", "0"]


def test_left_out_column_is_a_red_band_over_the_last_column_only():
    fig, _, _ = figure(7, 8, 3, stride=2)
    (band,) = shapes_with(fig, fillcolor=stride_figures.LEFT_OUT_FILL)
    assert (band.x0, band.x1, band.y0, band.y1) == (6.5, 7.5, -0.5, 6.5)


def red_columns(fig, n_rows):
    """Columns covered by a full-height red band (x0..x1 in cell units)."""
    covered = set()
    for band in shapes_with(fig, fillcolor=stride_figures.LEFT_OUT_FILL):
        if (band.y0, band.y1) == (-0.5, n_rows - 0.5):
            covered |= set(range(int(band.x0 + 0.5), int(band.x1 + 0.5)))
    return covered


@pytest.mark.parametrize(
    ("w", "k", "stride", "dilation"),
    [(8, 1, 2, 1), (9, 3, 2, 2), (11, 2, 4, 1), (8, 3, 2, 1), (7, 3, 2, 1), (12, 3, 3, 2)],
)
def test_every_unread_column_is_red_and_no_other(w, k, stride, dilation):
    """Issue 10 item 1: gaps between windows (or taps) are marked, not only the floor's drop."""
    fig, rows, cols = figure(5, w, k, stride=stride, dilation=dilation)
    z = plotly_array(fig.data[0].z)
    never_read = {c for c in range(cols.padded) if not z[:, c].any()}
    assert red_columns(fig, rows.padded) == never_read == set(cols.unread)


def test_the_issue_example_marks_four_columns():
    fig, rows, _ = figure(1, 8, 1, stride=2)
    assert red_columns(fig, rows.padded) == {1, 3, 5, 7}
    bands = shapes_with(fig, fillcolor=stride_figures.LEFT_OUT_FILL)
    dashes = sorted(b.line.dash for b in bands if b.y0 == -0.5 and b.x0 >= 0)
    assert dashes == ["dash", "dot", "dot", "dot"]  # the floor's drop dashed, gaps dotted


def test_both_axes_left_out_and_none():
    fig, _, _ = figure(8, 8, 3, stride=2)
    assert len(shapes_with(fig, fillcolor=stride_figures.LEFT_OUT_FILL)) == 2
    fig, _, _ = figure(7, 7, 3, stride=2)
    assert not shapes_with(fig, fillcolor=stride_figures.LEFT_OUT_FILL)


def test_padding_ring_is_shaded_and_the_input_framed():
    fig, _, _ = figure(5, 5, 3, pad=1)
    assert len(shapes_with(fig, fillcolor=PADDING_FILL)) == 4
    (frame,) = [s for s in fig.layout.shapes if s.line.color == stride_figures.INPUT_FRAME]
    assert (frame.x0, frame.x1, frame.y0, frame.y1) == (0.5, 5.5, 0.5, 5.5)
    unpadded, _, _ = figure(5, 5, 3)
    assert not [s for s in unpadded.layout.shapes if s.line.color == stride_figures.INPUT_FRAME]
    fig, _, _ = figure(5, 5, 4, pad="same")  # 1 before, 2 after on both axes
    assert len(shapes_with(fig, fillcolor=PADDING_FILL)) == 4


def test_one_centre_dot_per_window_and_the_current_one_stands_out():
    fig, rows, cols = figure(7, 8, 3, stride=2, step=4)
    centres = fig.data[1]
    x, y = plotly_array(centres.x), plotly_array(centres.y)
    assert len(x) == rows.n_out * cols.n_out == 9
    offset = stride_figures.CENTRE_OFFSET
    assert (x[4] + offset, y[4] + offset) == (3.0, 3.0)  # window (1, 1) spans 2..4
    colours = list(centres.marker.color)
    assert colours[4] == WINDOW_COLOR and colours.count(WINDOW_COLOR) == 1


def test_step_outlines_the_dilated_taps():
    fig, _, _ = figure(9, 9, 3, stride=2, dilation=2, step=0)
    frames = [s for s in fig.layout.shapes if s.line.color == WINDOW_COLOR]
    assert (frames[0].x0, frames[0].x1) == (-0.5, 4.5)  # span 5
    assert len([s for s in frames if s.line.dash == "dot"]) == 9  # the 3×3 taps


def test_all_at_once_has_no_window_frame():
    fig, _, _ = figure(7, 8, 3, stride=2)
    assert not [s for s in fig.layout.shapes if s.line.color == WINDOW_COLOR]
    assert set(fig.data[1].marker.color) == {stride_figures.CENTRE_COLOR}


def test_cell_px_shrinks_the_figure():
    big, _, _ = figure(7, 8, 3)
    small, _, _ = figure(7, 8, 3, cell_px=12)
    assert small.layout.height < big.layout.height
    assert small.layout.height == 7 * 12 + small.layout.margin.t + small.layout.margin.b


def test_bad_arguments():
    rows = window_positions(5, 3)
    with pytest.raises(ValueError, match="coverage must be"):
        stride_figures.window_grid_figure(rows, rows, np.zeros((4, 5)))
    with pytest.raises(ValueError, match="step must be"):
        stride_figures.window_grid_figure(rows, rows, coverage_2d(rows, rows), step=9)


def test_output_order_numbers_each_cell_with_its_step():
    fig = stride_figures.output_order_figure((3, 4), step=5, title="Output 3 × 4")
    np.testing.assert_array_equal(plotly_array(fig.data[0].z), np.arange(1, 13).reshape(3, 4))
    (outline,) = fig.layout.shapes
    assert (outline.x0, outline.y0) == (0.5, 0.5)  # step 5 (0-based) is row 1, column 1


# --- printed numbers only where a cell is wide enough -------------------------------------------


def test_values_fit_needs_18_px_per_cell():
    assert stride_figures.values_fit(8, 520)
    assert not stride_figures.values_fit(32, 520)  # (520 − 46) / 32 ≈ 15 px
    assert stride_figures.values_fit(26, 520) and not stride_figures.values_fit(27, 520)
    assert stride_figures.values_fit(999, None)


def test_a_large_grid_prints_no_numbers_but_keeps_them_on_hover():
    fig, rows, cols = figure(32, 32, 3, width_px=520)
    heatmap = fig.data[0]
    assert heatmap.text is None and heatmap.texttemplate is None
    np.testing.assert_array_equal(plotly_array(heatmap.z), coverage_2d(rows, cols))
    assert "%{z}" in heatmap.hovertemplate
    # the height follows the narrower cells: no empty band under the grid
    margin = fig.layout.margin
    assert fig.layout.height - margin.t - margin.b <= 32 * (520 - 46) / 32 + 1


def test_a_small_grid_still_prints_its_numbers_at_the_same_width():
    fig, _, _ = figure(7, 8, 3, stride=2, width_px=520)
    assert list(fig.data[0].text[0]) == ["1", "1", "2", "1", "2", "1", "1", "0"]
    assert fig.data[0].texttemplate == "%{text}"


def test_side_by_side_grids_hide_numbers_sooner():
    small, _, _ = figure(8, 8, 3, cell_px=28, width_px=280)  # 8 cells in 234 px: 29 px each
    assert small.data[0].text is not None
    wide, _, _ = figure(16, 16, 3, cell_px=18, width_px=280)  # 16 cells: 14 px each
    assert wide.data[0].text is None


def test_output_order_prints_steps_only_when_they_fit():
    big = stride_figures.output_order_figure((30, 30), step=0, width_px=340)
    assert big.data[0].text is None and "%{z}" in big.data[0].hovertemplate
    small = stride_figures.output_order_figure((3, 3), step=0, width_px=340)
    assert [list(r) for r in small.data[0].text] == [
        ["1", "2", "3"],
        ["4", "5", "6"],
        ["7", "8", "9"],
    ]


def test_step_numbers_of_three_digits_are_printed_only_where_they_fit():
    """A 14 × 14 output numbers its steps up to 196: at ~300 px those ran into each other."""
    from cnnviz.lessons.stride_and_padding.windows import ORDER_PX

    assert stride_figures.values_fit(14, ORDER_PX, 1)  # one digit would fit a cell
    assert not stride_figures.values_fit(14, ORDER_PX, 3)  # "196" does not
    big = stride_figures.output_order_figure((14, 14), width_px=ORDER_PX)
    assert big.data[0].texttemplate is None  # hover only
    small = stride_figures.output_order_figure((4, 4), width_px=ORDER_PX)
    assert small.data[0].texttemplate  # 1..16 fit
