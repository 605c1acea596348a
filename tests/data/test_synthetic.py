"""The synthetic teaching images: shapes, values and the classic worked example."""

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.data import synthetic


def test_checkerboard_default():
    board = synthetic.checkerboard()
    assert board.shape == (8, 8)
    assert board.dtype == np.uint8
    assert set(np.unique(board)) == {0, 255}
    assert board[0, 0] == 0  # dark top-left
    assert board[0, 1] == 255
    assert board[1, 0] == 255
    assert board[1, 1] == 0
    assert np.array_equal(board, board.T)
    assert (board == 255).sum() == 32


def test_checkerboard_with_larger_cells():
    board = synthetic.checkerboard(size=6, cell=2)
    expected_row0 = [0, 0, 255, 255, 0, 0]
    expected_row2 = [255, 255, 0, 0, 255, 255]
    assert board.shape == (6, 6)
    assert board[0].tolist() == expected_row0
    assert board[1].tolist() == expected_row0
    assert board[2].tolist() == expected_row2


def test_gradient_runs_left_to_right():
    ramp = synthetic.gradient()
    assert ramp.shape == (8, 16)
    assert ramp.dtype == np.uint8
    assert ramp[0, 0] == 0
    assert ramp[0, -1] == 255
    assert np.all(np.diff(ramp[0].astype(int)) > 0)
    assert np.all(ramp == ramp[0])  # every row is the same
    assert synthetic.gradient(2, 3).tolist() == [[0, 128, 255], [0, 128, 255]]


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        (synthetic.checkerboard, {"size": 0}),
        (synthetic.checkerboard, {"cell": -1}),
        (synthetic.checkerboard, {"size": 2.5}),
        (synthetic.gradient, {"width": 0}),
        (synthetic.gradient, {"height": True}),
    ],
)
def test_bad_sizes_raise_value_error(call, kwargs):
    with pytest.raises(ValueError, match="at least 1"):
        call(**kwargs)


def test_digit_four_shape_and_values():
    four = synthetic.digit_four()
    assert four.shape == (8, 8)
    assert four.dtype == np.uint8
    assert four.max() == 255
    assert four[0].sum() == 0  # blank top row
    assert four[:, 0].sum() == 0  # blank left column
    greys = np.unique(four[(four > 0) & (four < 255)])
    assert greys.size >= 3  # soft edges, not a purely binary image


def test_digit_four_has_ink_on_its_strokes():
    four = synthetic.digit_four()
    assert np.all(four[1:8, 6] >= 160)  # right vertical stroke, top to bottom
    assert np.all(four[4, 1:7] >= 240)  # crossbar
    assert min(four[1, 3], four[2, 2], four[3, 1]) >= 176  # left stroke slants down-left
    assert np.all(four[1:4, 4] == 0)  # open top: not a 9
    assert four[5:, :4].max() <= 64  # nothing below the bar on the left


def test_classic_example_values():
    image = synthetic.binary_example()
    kernel = synthetic.example_kernel()
    assert image.tolist() == [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ]
    assert kernel.tolist() == [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    assert np.issubdtype(image.dtype, np.integer)
    assert np.issubdtype(kernel.dtype, np.integer)


def test_classic_example_first_output_is_four():
    image = synthetic.binary_example()
    kernel = synthetic.example_kernel()
    assert (image[:3, :3] * kernel).sum() == 4
    windows = sliding_window_view(image, (3, 3))  # (3, 3, 3, 3)
    output = np.einsum("ijkl,kl->ij", windows, kernel)
    assert output.tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]


def test_functions_return_fresh_arrays():
    first = synthetic.binary_example()
    first[0, 0] = 9
    assert synthetic.binary_example()[0, 0] == 1
    four = synthetic.digit_four()
    four[:] = 0
    assert synthetic.digit_four().max() == 255


def test_synthetic_images_registry():
    assert list(synthetic.SYNTHETIC_IMAGES) == ["Checkerboard", "Gradient", "Digit 4"]
    for make in synthetic.SYNTHETIC_IMAGES.values():
        image = make()
        assert image.ndim == 2
        assert image.dtype == np.uint8
        assert image.max() == 255
        assert image.min() == 0
