"""Window positions, left-out rows/columns and coverage, against sliding_window_view and loops."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.ops import conv
from cnnviz.ops.shapes import ShapeError, fully_connected_params, kernel_span, resolve_padding
from cnnviz.ops.windows import coverage_2d, window_positions

PADS = st.one_of(st.integers(0, 4), st.sampled_from(["valid", "same", "full"]))


def reference_taps(n, k, stride, pad, dilation) -> np.ndarray:
    """(n_out, k) padded indices each window reads, from NumPy's sliding_window_view."""
    before, after = resolve_padding(n, k, stride, pad, dilation)
    index = np.arange(n + before + after)
    spans = sliding_window_view(index, kernel_span(k, dilation))[::stride]
    return spans[:, ::dilation]


@given(
    n=st.integers(1, 30),
    k=st.integers(1, 6),
    stride=st.integers(1, 5),
    pad=PADS,
    dilation=st.integers(1, 3),
)
def test_windows_match_sliding_window_view_and_the_real_output(n, k, stride, pad, dilation):
    try:
        axis = window_positions(n, k, stride, pad, dilation)
    except ShapeError:
        assert kernel_span(k, dilation) > n + sum(resolve_padding(n, k, stride, pad, dilation))
        return
    taps = reference_taps(n, k, stride, pad, dilation)
    assert [axis.taps(i) for i in range(axis.n_out)] == [tuple(t) for t in taps]
    out = conv.correlate2d(np.zeros((n, 1)), np.zeros((k, 1)), stride, pad, dilation)
    assert out.shape[0] == axis.n_out
    # what the floor drops: exactly the indices after the last window
    assert len(axis.left_out) == (axis.padded - axis.span) % stride
    assert all(i > taps.max() for i in axis.left_out)
    assert set(range(axis.padded)) - set(axis.left_out) >= set(taps.ravel())


@pytest.mark.parametrize(
    ("n", "k", "stride", "pad", "left_out", "left_out_input"),
    [
        (8, 3, 2, 0, (7,), (7,)),  # (8 - 3) / 2 = 2.5: the last real column is never read
        (7, 3, 2, 0, (), ()),  # (7 - 3) / 2 = 2: an exact fit
        (8, 3, 2, 1, (9,), ()),  # padded to 10: only the last padding zero is lost
        (10, 3, 3, 0, (9,), (9,)),
        (11, 2, 4, 1, (10, 11, 12), (9, 10)),  # padded 13, starts 0, 4, 8: ends at 9
        (32, 3, 1, 0, (), ()),  # n = 32, k = 3: 30 windows, nothing left out
    ],
)
def test_left_out_worked_examples(n, k, stride, pad, left_out, left_out_input):
    axis = window_positions(n, k, stride, pad)
    assert axis.left_out == left_out
    assert axis.left_out_input == left_out_input


@given(
    n=st.integers(1, 32),
    k=st.integers(1, 9),
    stride=st.integers(1, 6),
    pad=st.one_of(st.integers(0, 6), st.sampled_from(["valid", "same", "full"])),
    dilation=st.integers(1, 4),
)
def test_unread_indices_are_those_no_tap_reads(n, k, stride, pad, dilation):
    """Reference: the padded indices sliding_window_view's windows read, by set difference."""
    try:
        axis = window_positions(n, k, stride, pad, dilation)
    except ShapeError:
        return
    read = set(reference_taps(n, k, stride, pad, dilation).ravel().tolist())
    unread = sorted(set(range(axis.padded)) - read)
    assert list(axis.unread) == unread
    assert sorted(axis.between_windows + axis.between_taps + axis.left_out) == unread
    spans = [set(range(s, s + axis.span)) for s in axis.starts]
    assert all(not any(i in sp for sp in spans) for i in axis.between_windows)
    assert all(any(i in sp for sp in spans) for i in axis.between_taps)
    assert bool(axis.between_windows) == (stride > axis.span and axis.n_out > 1)
    assert not axis.between_taps or dilation > 1
    before = axis.pad[0]
    assert list(axis.unread_input) == [i - before for i in unread if before <= i < before + n]


@pytest.mark.parametrize(
    ("n", "k", "stride", "pad", "dilation", "between_windows", "between_taps", "left_out"),
    [
        (8, 1, 2, 0, 1, (1, 3, 5), (), (7,)),  # issue 10: reads [1,0,1,0,1,0,1,0] → 4 unread
        (9, 3, 2, 0, 2, (), (1, 3, 5, 7), ()),  # dilation 2 and stride 2: odd columns skipped
        (11, 2, 4, 1, 1, (2, 3, 6, 7), (), (10, 11, 12)),
        (8, 3, 2, 0, 1, (), (), (7,)),  # the default view: only the floor's drop
    ],
)
def test_unread_worked_examples(n, k, stride, pad, dilation, between_windows, between_taps,
                                left_out):  # fmt: skip
    axis = window_positions(n, k, stride, pad, dilation)
    assert axis.between_windows == between_windows
    assert axis.between_taps == between_taps
    assert axis.left_out == left_out
    assert len(axis.unread) == len(between_windows + between_taps + left_out)


def test_alphago_window_positions():
    axis = window_positions(19, 5, 1, 2)
    assert axis.padded == 23 and axis.n_out == 19 and axis.starts[-1] == 18
    assert window_positions(19, 3, 1, 1).padded == 21


def test_dilated_taps_skip_pixels():
    axis = window_positions(9, 3, 2, 0, dilation=2)
    assert axis.span == 5 and axis.taps(1) == (2, 4, 6)
    np.testing.assert_array_equal(axis.coverage(), [1, 0, 2, 0, 3, 0, 2, 0, 1])


@given(
    h=st.integers(1, 9),
    w=st.integers(1, 9),
    k=st.integers(1, 4),
    stride=st.integers(1, 3),
    pad=PADS,
    dilation=st.integers(1, 2),
)
def test_coverage_counts_what_correlate2d_reads(h, w, k, stride, pad, dilation):
    """Reference: a one-hot image through correlate2d with a kernel of ones sums to the number
    of windows that read that pixel."""
    try:
        rows = window_positions(h, k, stride, pad, dilation)
        cols = window_positions(w, k, stride, pad, dilation)
    except ShapeError:
        return
    coverage = coverage_2d(rows, cols)
    assert coverage.shape == (rows.padded, cols.padded)
    assert coverage.sum() == rows.n_out * cols.n_out * k * k
    top, left = rows.pad[0], cols.pad[0]
    ones = np.ones((k, k))
    for r in range(h):
        for c in range(w):
            image = np.zeros((h, w))
            image[r, c] = 1.0
            reads = conv.correlate2d(image, ones, stride, pad, dilation).sum()
            assert coverage[top + r, left + c] == reads


def test_coverage_by_loops():
    rows, cols = window_positions(5, 3, 1, 1), window_positions(6, 2, 2, 0)
    expected = np.zeros((7, 6), dtype=int)
    for i in range(rows.n_out):
        for j in range(cols.n_out):
            for r in rows.taps(i):
                for c in cols.taps(j):
                    expected[r, c] += 1
    np.testing.assert_array_equal(coverage_2d(rows, cols), expected)


def test_bad_settings_raise_the_shape_error_of_output_size():
    with pytest.raises(ShapeError, match="stride must be at least 1"):
        window_positions(5, 3, 0)
    with pytest.raises(ShapeError, match="Pad with at least 1 zero"):
        window_positions(3, 5)


def test_fully_connected_params_worked_example():
    # 15×15 input to 11×11 outputs, every output joined to every input
    assert fully_connected_params(225, 121) == 225 * 121 + 121 == 27_346
    with pytest.raises(ShapeError, match="at least 1"):
        fully_connected_params(0, 3)
    with pytest.raises(ShapeError, match="whole number"):
        fully_connected_params(2.5, 3)
