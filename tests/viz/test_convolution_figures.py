"""Figures of a convolution step: padding shaded, window outlined, output filling in."""

import numpy as np
import pytest

from cnnviz.data import synthetic
from cnnviz.ops import conv
from cnnviz.viz import convolution as conv_figures
from cnnviz.viz import formulas
from tests.conftest import plotly_array


def _rects(fig, **match):
    return [s for s in fig.layout.shapes if all(getattr(s, k) == v for k, v in match.items())]


def test_padding_ring_is_shaded_on_all_four_sides():
    trace = conv.conv_trace(synthetic.binary_example(), synthetic.example_kernel(), pad=1)
    fig = conv_figures.padded_input_figure(trace.padded, trace.pad_rows, trace.pad_cols)
    bands = _rects(fig, fillcolor=conv_figures.PADDING_FILL)
    assert len(bands) == 4
    np.testing.assert_array_equal(plotly_array(fig.data[0].z), trace.padded)


def test_no_padding_no_bands():
    trace = conv.conv_trace(synthetic.binary_example(), synthetic.example_kernel())
    fig = conv_figures.padded_input_figure(trace.padded, trace.pad_rows, trace.pad_cols)
    assert not _rects(fig, fillcolor=conv_figures.PADDING_FILL)


def test_window_outline_covers_the_cells_of_the_step():
    trace = conv.conv_trace(np.arange(49).reshape(7, 7), np.ones((3, 3)), stride=2)
    step = trace.step(4)  # middle of a 3×3 output: rows 2–4, columns 2–4
    fig = conv_figures.padded_input_figure(
        trace.padded, trace.pad_rows, trace.pad_cols, rows=step.rows, cols=step.cols
    )
    (frame,) = fig.layout.shapes
    assert (frame.x0, frame.x1, frame.y0, frame.y1) == (1.5, 4.5, 1.5, 4.5)


def test_dilated_window_marks_each_tap():
    trace = conv.conv_trace(np.zeros((7, 7)), np.ones((2, 2)), dilation=3)
    step = trace.step(0)
    fig = conv_figures.padded_input_figure(
        trace.padded, trace.pad_rows, trace.pad_cols, rows=step.rows, cols=step.cols
    )
    assert len(fig.layout.shapes) == 1 + 4  # the span, then each of the 4 taps


def test_kernel_scale_is_symmetric_around_zero():
    fig = conv_figures.kernel_figure(np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-2, 2)


def test_feature_stack_names_each_slice():
    maps = np.random.default_rng(0).normal(size=(6, 6, 3))
    fig = conv_figures.feature_stack_figure(maps, names=["a", "b", "c"])
    assert sorted(a.text for a in fig.layout.annotations) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="F names"):
        conv_figures.feature_stack_figure(maps, names=["a"])


def test_feature_stack_gives_each_slice_its_own_colour_range():
    maps = np.zeros((4, 4, 2))
    maps[0, 0, 0], maps[1, 1, 1] = 400.0, -2.0  # an edge map and a faint blur map
    fig = conv_figures.feature_stack_figure(maps, names=["edge", "blur"])
    first, second = fig.data
    assert (first.zmin, first.zmax) == (-400.0, 400.0)
    assert (second.zmin, second.zmax) == (-2.0, 2.0)
    np.testing.assert_array_equal(np.asarray(second.z), maps[:, :, 1])  # hover: true values
    assert fig.layout.yaxis2.scaleanchor == "x2"


@pytest.mark.parametrize(
    ("n", "k", "s", "pad", "d", "out"),
    [(5, 3, 1, (0, 0), 1, 3), (6, 2, 1, (0, 1), 1, 6), (10, 3, 4, (3, 3), 3, 3)],
)
def test_output_size_lines_put_symbols_numbers_and_result_on_their_own_lines(n, k, s, pad, d, out):
    lines_latex = conv_figures.output_size_lines_latex(n, k, s, pad, d, name="W")
    body = lines_latex.removeprefix(r"\small ").removeprefix(r"\begin{aligned} ")
    body = body.removesuffix(r" \end{aligned}")
    lines = body.split(r" \\ ")
    if pad[0] != pad[1]:  # the wide uneven form: "W_out" alone on the first line
        assert lines.pop(0) == r"&W_{\text{out}}"
        lines[0] = r"W_{\text{out}} " + lines[0]
    assert len(lines) == 3 and lines[2] == f"&= {out}"
    assert lines[0].startswith(r"W_{\text{out}} &= ")
    # the same formula as the one-line form, only broken
    one_line = formulas.output_size_latex(n, k, s, pad, d, name="W")
    assert " ".join(lines).replace("&= ", "= ") == one_line
    assert out == (n + sum(pad) - d * (k - 1) - 1) // s + 1
