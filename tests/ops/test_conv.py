"""2-D correlation: worked examples, OpenCV and sliding_window_view references, fast == loop,
property tests of output shapes, the step trace and error messages."""

import tracemalloc

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from cnnviz.ops.conv import (
    ConvTrace,
    conv_trace,
    convolve2d,
    correlate2d,
    correlate2d_loop,
    pad_image,
)
from cnnviz.ops.shapes import ShapeError, output_size, resolve_padding

BINARY_IMAGE = np.array(
    [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ]
)
X_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
# Worked out by hand: at each position, add the four corners and the centre of the 3×3 patch.
BINARY_OUTPUT = np.array([[4, 3, 4], [2, 4, 3], [2, 3, 4]])

SOBEL_Y = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]])


def reference_correlate(image, kernel, stride=1, pad=0, dilation=1):
    """Independent reference: dilate the kernel by inserting zeros, take every window with
    sliding_window_view, and contract each window with the dilated kernel."""
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    pad_rows = resolve_padding(image.shape[0], kernel.shape[0], stride, pad, dilation)
    pad_cols = resolve_padding(image.shape[1], kernel.shape[1], stride, pad, dilation)
    padded = np.pad(image, [pad_rows, pad_cols] + [(0, 0)] * (image.ndim - 2))
    span = (dilation * (kernel.shape[0] - 1) + 1, dilation * (kernel.shape[1] - 1) + 1)
    dilated = np.zeros(span + kernel.shape[2:])
    dilated[::dilation, ::dilation] = kernel
    windows = sliding_window_view(padded, dilated.shape)[::stride, ::stride]
    if image.ndim == 3:
        windows = windows[:, :, 0]  # the window spans all channels: one position in depth
    return np.tensordot(windows, dilated, axes=dilated.ndim)


def random_case(rng, H, W, KH, KW, C=None):
    if C is None:
        return rng.normal(size=(H, W)), rng.normal(size=(KH, KW))
    return rng.normal(size=(H, W, C)), rng.normal(size=(KH, KW, C))


# --- worked examples -----------------------------------------------------------------------------


@pytest.mark.parametrize("function", [correlate2d, correlate2d_loop, convolve2d])
def test_binary_image_worked_example(function):
    out = function(BINARY_IMAGE, X_KERNEL)  # the X kernel is symmetric: convolve2d agrees
    np.testing.assert_array_equal(out, BINARY_OUTPUT)
    assert out[0, 0] == 4
    assert out.dtype == np.float64


def test_binary_example_first_value_by_hand():
    patch = BINARY_IMAGE[:3, :3]
    assert (patch * X_KERNEL).sum() == 4 == correlate2d(BINARY_IMAGE, X_KERNEL)[0, 0]


@pytest.mark.parametrize(
    ("image_shape", "kernel_shape", "pad", "expected"),
    [
        ((6, 6), (3, 3), 0, (4, 4)),
        ((32, 32, 3), (5, 5, 3), 0, (28, 28)),
        ((15, 15), (5, 5), 0, (11, 11)),
        ((28, 28), (5, 5), 0, (24, 24)),
        ((19, 19, 4), (5, 5, 4), 2, (19, 19)),  # AlphaGo: 19 padded to 23, 5×5 conv
        ((19, 19, 4), (3, 3, 4), 1, (19, 19)),  # padded to 21, 3×3 conv
        ((19, 19, 4), (1, 1, 4), 0, (19, 19)),  # the final 1×1 conv
    ],
)
def test_worked_example_shapes(image_shape, kernel_shape, pad, expected):
    rng = np.random.default_rng(0)
    out = correlate2d(rng.random(image_shape), rng.random(kernel_shape), pad=pad)
    assert out.shape == expected


def test_ten_filters_stack_to_depth_ten():
    rng = np.random.default_rng(1)
    image = rng.random((32, 32, 3))
    maps = np.stack([correlate2d(image, rng.random((5, 5, 3))) for _ in range(10)], axis=-1)
    assert maps.shape == (28, 28, 10)


def test_one_by_one_kernel_mixes_channels_per_pixel():
    rng = np.random.default_rng(2)
    image, kernel = rng.random((4, 5, 3)), rng.random((1, 1, 3))
    np.testing.assert_allclose(correlate2d(image, kernel), image @ kernel[0, 0])


def test_uint8_input_does_not_overflow():
    image = np.full((3, 3), 255, dtype=np.uint8)
    assert correlate2d(image, np.ones((3, 3)))[0, 0] == 255 * 9


def test_inputs_are_not_modified():
    rng = np.random.default_rng(3)
    image, kernel = random_case(rng, 6, 6, 3, 3, C=2)
    before = image.copy(), kernel.copy()
    correlate2d(image, kernel, pad="same")
    convolve2d(image, kernel, pad="same")
    np.testing.assert_array_equal(image, before[0])
    np.testing.assert_array_equal(kernel, before[1])


# --- references --------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 3, 5, 7])
@pytest.mark.parametrize("shape", [(9, 9), (12, 17), (7, 30)])
def test_same_padding_matches_opencv_filter2d(k, shape):
    rng = np.random.default_rng(k)
    image, kernel = rng.normal(size=shape), rng.normal(size=(k, k))
    expected = cv2.filter2D(image, -1, kernel, anchor=(-1, -1), borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(correlate2d(image, kernel, pad="same"), expected, atol=1e-10)
    np.testing.assert_allclose(correlate2d(image, kernel, pad=k // 2), expected, atol=1e-10)


def test_opencv_filter2d_on_a_uint8_photo_like_image():
    rng = np.random.default_rng(4)
    image = rng.integers(0, 256, size=(20, 24), dtype=np.uint8)
    expected = cv2.filter2D(
        image.astype(np.float64), -1, SOBEL_Y.astype(float), borderType=cv2.BORDER_CONSTANT
    )
    np.testing.assert_allclose(correlate2d(image, SOBEL_Y, pad="same"), expected, atol=1e-9)


@pytest.mark.parametrize(
    ("image_shape", "kernel_shape", "stride", "pad", "dilation"),
    [
        ((9, 9), (3, 3), 1, 0, 1),
        ((9, 11), (3, 3), 2, 0, 1),
        ((10, 10), (3, 3), 3, 1, 1),
        ((12, 12), (3, 3), 1, 0, 2),
        ((13, 12), (3, 2), 2, 1, 3),
        ((8, 9), (2, 4), 1, "same", 1),
        ((8, 9), (4, 2), 2, "same", 2),
        ((5, 6), (3, 4), 1, "full", 1),
        ((6, 6), (1, 5), 1, "valid", 1),
        ((9, 9, 3), (3, 3, 3), 1, 0, 1),
        ((9, 10, 3), (3, 2, 3), 2, "same", 1),
        ((11, 11, 2), (3, 3, 2), 1, 2, 2),
        ((7, 8, 4), (2, 3, 4), 3, "full", 1),
    ],
)
def test_matches_sliding_window_reference_and_loop(
    image_shape, kernel_shape, stride, pad, dilation
):
    rng = np.random.default_rng(sum(image_shape) + sum(kernel_shape) + stride)
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    expected = reference_correlate(image, kernel, stride, pad, dilation)
    fast = correlate2d(image, kernel, stride, pad, dilation)
    loop = correlate2d_loop(image, kernel, stride, pad, dilation)
    assert fast.shape == loop.shape == expected.shape
    np.testing.assert_allclose(fast, expected, atol=1e-10)
    np.testing.assert_allclose(loop, expected, atol=1e-10)


def test_multichannel_is_sum_of_per_channel_correlations():
    rng = np.random.default_rng(5)
    image, kernel = random_case(rng, 8, 7, 3, 3, C=3)
    per_channel = sum(correlate2d(image[..., c], kernel[..., c], pad=1) for c in range(3))
    np.testing.assert_allclose(correlate2d(image, kernel, pad=1), per_channel)


@settings(max_examples=60, deadline=None)
@given(
    H=st.integers(1, 10),
    W=st.integers(1, 10),
    KH=st.integers(1, 5),
    KW=st.integers(1, 5),
    stride=st.integers(1, 4),
    pad=st.one_of(st.integers(0, 3), st.sampled_from(["valid", "same", "full"])),
    dilation=st.integers(1, 3),
    channels=st.sampled_from([None, 1, 3]),
    seed=st.integers(0, 2**16),
)
def test_output_shape_property(H, W, KH, KW, stride, pad, dilation, channels, seed):
    image, kernel = random_case(np.random.default_rng(seed), H, W, KH, KW, channels)
    try:
        expected = (
            output_size(H, KH, stride, pad, dilation),
            output_size(W, KW, stride, pad, dilation),
        )
    except ShapeError:
        with pytest.raises(ShapeError):
            correlate2d(image, kernel, stride, pad, dilation)
        return
    fast = correlate2d(image, kernel, stride, pad, dilation)
    assert fast.shape == expected
    np.testing.assert_allclose(fast, correlate2d_loop(image, kernel, stride, pad, dilation))
    np.testing.assert_allclose(fast, reference_correlate(image, kernel, stride, pad, dilation))


def test_fast_does_not_materialise_every_window():
    # All 7×7 windows of a 256×256×3 image would take 49× the image's memory; the row-by-row
    # version only views the windows, and needs the padded copy, the output and one temporary.
    rng = np.random.default_rng(6)
    image, kernel = rng.random((256, 256, 3)), rng.random((7, 7, 3))
    tracemalloc.start()
    correlate2d(image, kernel, pad="same")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 4 * image.nbytes


# --- convolution vs correlation ----------------------------------------------------------------


def test_convolve_is_correlate_with_flipped_kernel():
    rng = np.random.default_rng(7)
    for C in (None, 3):
        image, kernel = random_case(rng, 9, 8, 3, 2, C)
        flipped = kernel[::-1, ::-1]
        for stride, pad in [(1, 0), (2, "same"), (1, "full")]:
            np.testing.assert_allclose(
                convolve2d(image, kernel, stride, pad), correlate2d(image, flipped, stride, pad)
            )


def test_convolve_differs_for_asymmetric_kernel_only():
    rng = np.random.default_rng(8)
    image = rng.random((10, 10))
    assert not np.allclose(convolve2d(image, SOBEL_Y), correlate2d(image, SOBEL_Y))
    # Flipping Sobel-y turns it into its negative: the two answers are opposites.
    np.testing.assert_allclose(convolve2d(image, SOBEL_Y), -correlate2d(image, SOBEL_Y))
    for symmetric in (np.ones((3, 3)) / 9, X_KERNEL, np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]])):
        np.testing.assert_allclose(convolve2d(image, symmetric), correlate2d(image, symmetric))


def test_impulse_response_shows_the_flip():
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1
    kernel = np.arange(1, 10).reshape(3, 3)
    # Convolution stamps the kernel as it is; correlation stamps it turned 180 degrees.
    np.testing.assert_array_equal(convolve2d(impulse, kernel, pad="same")[1:4, 1:4], kernel)
    np.testing.assert_array_equal(
        correlate2d(impulse, kernel, pad="same")[1:4, 1:4], kernel[::-1, ::-1]
    )


def test_convolve_matches_opencv_with_flipped_kernel():
    rng = np.random.default_rng(9)
    image, kernel = rng.normal(size=(11, 13)), rng.normal(size=(5, 5))
    expected = cv2.filter2D(image, -1, cv2.flip(kernel, -1), borderType=cv2.BORDER_CONSTANT)
    np.testing.assert_allclose(convolve2d(image, kernel, pad="same"), expected, atol=1e-10)


# --- padding -------------------------------------------------------------------------------------


def test_pad_image_adds_zeros_and_keeps_dtype():
    image = np.arange(1, 7, dtype=np.uint8).reshape(2, 3)
    padded = pad_image(image, (1, 2), (0, 1))
    assert padded.shape == (5, 4)
    assert padded.dtype == np.uint8
    np.testing.assert_array_equal(padded[1:3, 0:3], image)
    assert padded.sum() == image.sum()  # everything else is zero


def test_pad_image_leaves_channels_alone():
    image = np.ones((2, 2, 3))
    padded = pad_image(image, (1, 1), (2, 2))
    assert padded.shape == (4, 6, 3)
    assert padded.sum() == image.sum()


def test_pad_image_rejects_1d():
    with pytest.raises(ShapeError, match=r"\(5,\)"):
        pad_image(np.ones(5), (1, 1), (1, 1))


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "kernel", "kwargs", "error", "mentions"),
    [
        (np.ones((5, 5)), np.ones((3, 3, 3)), {}, ShapeError, "(3, 3, 3)"),
        (np.ones((5, 5, 3)), np.ones((3, 3)), {}, ShapeError, "(KH, KW, 3)"),
        (np.ones((5, 5, 3)), np.ones((3, 3, 2)), {}, ShapeError, "(3, 3, 2)"),
        (np.ones(5), np.ones(3), {}, ShapeError, "(5,)"),
        (np.ones((2, 5, 5, 3)), np.ones((3, 3, 3)), {}, ShapeError, "(2, 5, 5, 3)"),
        (np.ones((0, 5)), np.ones((3, 3)), {}, ShapeError, "(0, 5)"),
        (np.ones((5, 5)), np.ones((0, 3)), {}, ShapeError, "(0, 3)"),
        (np.ones((5, 5)), np.array([[1, np.nan], [0, 1]]), {}, ValueError, "NaN or infinity"),
        (np.ones((5, 5)), np.array([[1, np.inf], [0, 1]]), {}, ValueError, "NaN or infinity"),
        (np.ones((5, 5)), np.ones((7, 3)), {}, ShapeError, "Height: a kernel of 7"),
        (np.ones((5, 4)), np.ones((3, 5)), {}, ShapeError, "Width: a kernel of 5"),
        (np.ones((5, 5)), np.ones((3, 3)), {"stride": 0}, ShapeError, "got 0"),
        (np.ones((5, 5)), np.ones((3, 3)), {"dilation": 3}, ShapeError, "dilation 3"),
        (np.ones((5, 5)), np.ones((3, 3)), {"pad": "sme"}, ShapeError, "'sme'"),
        (np.ones((5, 5)), np.ones((3, 3)), {"pad": -2}, ShapeError, "got -2"),
    ],
)
@pytest.mark.parametrize("function", [correlate2d, correlate2d_loop, convolve2d, conv_trace])
def test_bad_inputs_explain_themselves(function, image, kernel, kwargs, error, mentions):
    with pytest.raises(error) as info:
        function(image, kernel, **kwargs)
    assert mentions in str(info.value)
    assert isinstance(info.value, ValueError)


# --- the step trace ----------------------------------------------------------------------------


def test_trace_of_worked_example():
    trace = conv_trace(BINARY_IMAGE, X_KERNEL, bias=0.5)
    assert isinstance(trace, ConvTrace)
    assert trace.n_steps == 9
    np.testing.assert_array_equal(trace.output, BINARY_OUTPUT + 0.5)
    first = trace.step(0)
    assert (first.out_row, first.out_col, first.total, first.value) == (0, 0, 4.0, 4.5)
    np.testing.assert_array_equal(first.patch, BINARY_IMAGE[:3, :3])
    np.testing.assert_array_equal(first.products, BINARY_IMAGE[:3, :3] * X_KERNEL)
    last = trace.step(8)
    assert (last.out_row, last.out_col) == (2, 2)
    np.testing.assert_array_equal(last.rows, [2, 3, 4])


@pytest.mark.parametrize(
    ("image_shape", "kernel_shape", "stride", "pad", "dilation", "bias"),
    [
        ((5, 5), (3, 3), 1, 0, 1, 0.0),
        ((6, 7), (3, 2), 2, 1, 1, -1.5),
        ((9, 8), (2, 3), 1, "same", 2, 2.0),
        ((4, 5), (3, 3), 3, "full", 1, 0.25),
        ((6, 6, 3), (3, 3, 3), 1, 1, 1, 1.0),
        ((7, 6, 2), (2, 2, 2), 2, "valid", 2, -0.5),
    ],
)
def test_trace_steps_agree_with_correlate2d(image_shape, kernel_shape, stride, pad, dilation, bias):
    rng = np.random.default_rng(10)
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    trace = conv_trace(image, kernel, stride, pad, dilation, bias)
    expected = correlate2d(image, kernel, stride, pad, dilation) + bias
    np.testing.assert_allclose(trace.output, expected)
    H_out, W_out = expected.shape
    assert trace.n_steps == H_out * W_out
    assert trace.padded.shape[:2] == (
        image_shape[0] + sum(trace.pad_rows),
        image_shape[1] + sum(trace.pad_cols),
    )
    for i in range(trace.n_steps):
        step = trace.step(i)
        assert step.index == i
        assert (step.out_row, step.out_col) == divmod(i, W_out)
        assert step.value == pytest.approx(trace.output[step.out_row, step.out_col])
        assert step.value == pytest.approx(step.products.sum() + bias)
        assert step.total == pytest.approx(step.products.sum())
        assert step.patch.shape == step.products.shape == kernel.shape
        np.testing.assert_allclose(step.products, step.patch * kernel)
        np.testing.assert_array_equal(step.patch, trace.padded[np.ix_(step.rows, step.cols)])
        assert trace.step_of_cell(step.out_row, step.out_col) == i


def test_trace_window_includes_stride_and_dilation():
    trace = conv_trace(np.zeros((9, 9)), np.ones((3, 2)), stride=2, dilation=3)
    # span (7, 4): W_out = (9 - 4) // 2 + 1 = 3, so step 4 is output cell (1, 1)
    rows, cols = trace.window(4)
    np.testing.assert_array_equal(rows, [2, 5, 8])
    np.testing.assert_array_equal(cols, [2, 5])


def test_trace_padding_is_recorded():
    trace = conv_trace(np.ones((5, 5)), np.ones((4, 4)), pad="same")
    assert trace.pad_rows == (1, 2) and trace.pad_cols == (1, 2)
    assert trace.padded.shape == (8, 8)
    assert trace.padded[0].sum() == 0 and trace.padded[-2:].sum() == 0
    assert trace.output.shape == (5, 5)


def test_partial_output_has_nan_exactly_after_step():
    trace = conv_trace(np.arange(20.0).reshape(4, 5), np.ones((2, 2)))
    for i in range(trace.n_steps):
        partial = trace.partial_output(i)
        done = ~np.isnan(partial.ravel())
        np.testing.assert_array_equal(done, np.arange(trace.n_steps) <= i)
        np.testing.assert_array_equal(partial.ravel()[: i + 1], trace.output.ravel()[: i + 1])
    assert not np.isnan(trace.output).any()  # the trace itself is untouched


def test_step_of_cell_is_inverse_of_step():
    trace = conv_trace(np.ones((6, 7, 2)), np.ones((2, 3, 2)), stride=1)
    H_out, W_out = trace.output.shape
    cells = [(r, c) for r in range(H_out) for c in range(W_out)]
    assert [trace.step_of_cell(r, c) for r, c in cells] == list(range(trace.n_steps))


@pytest.mark.parametrize("i", [-1, 9, 100, 1.0, True])
def test_trace_rejects_out_of_range_steps(i):
    trace = conv_trace(BINARY_IMAGE, X_KERNEL)
    for method in (trace.step, trace.window, trace.partial_output):
        with pytest.raises(ValueError, match=f"0 to 8, got {i!r}"):
            method(i)


@pytest.mark.parametrize(("row", "col"), [(3, 0), (0, 3), (-1, 0)])
def test_step_of_cell_rejects_cells_outside_output(row, col):
    with pytest.raises(ValueError, match=rf"\({row}, {col}\).*3×3"):
        conv_trace(BINARY_IMAGE, X_KERNEL).step_of_cell(row, col)


def test_trace_is_read_only_but_callers_arrays_are_not():
    kernel = X_KERNEL.astype(float)
    trace = conv_trace(BINARY_IMAGE, kernel)
    with pytest.raises(ValueError, match="read-only"):
        trace.output[0, 0] = 1
    kernel[0, 0] = 7.0  # still writable, and the trace kept its own copy
    assert trace.kernel[0, 0] == 1


@pytest.mark.parametrize("bias", [np.nan, np.inf, "1", None])
def test_trace_rejects_non_finite_bias(bias):
    with pytest.raises(ValueError, match="bias"):
        conv_trace(BINARY_IMAGE, X_KERNEL, bias=bias)


def test_channel_sums_of_a_colour_step_add_up_to_its_total():
    rng = np.random.default_rng(5)
    trace = conv_trace(rng.integers(0, 256, (4, 4, 3)), rng.normal(size=(3, 3, 3)), bias=2.0)
    step = trace.step(3)
    sums = step.channel_sums()
    assert sums.shape == (3,)
    np.testing.assert_allclose(sums, (step.patch * trace.kernel).sum(axis=(0, 1)))
    assert sums.sum() + 2.0 == pytest.approx(step.value)
    with pytest.raises(ValueError, match="multi-channel"):
        conv_trace(np.ones((3, 3)), np.ones((2, 2))).step(0).channel_sums()
