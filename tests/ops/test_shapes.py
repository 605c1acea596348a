"""Output-size arithmetic and layer tables: worked examples from the lessons, and errors."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnviz.ops.shapes import (
    LayerError,
    ShapeError,
    kernel_span,
    layer_table,
    output_shape_2d,
    output_size,
    resolve_padding,
)

# --- worked examples (curriculum.md, lessons 2 and 4) ------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "stride", "pad", "expected"),
    [
        (5, 3, 1, 0, 3),  # the 5×5 binary image with a 3×3 kernel
        (6, 3, 1, 0, 4),  # 6×6 -> 4×4: the output shrinks
        (32, 3, 1, 0, 30),  # n = 32, k = 3, p = 0, s = 1
        (15, 5, 1, 0, 11),  # 15×15 input, 5×5 window
        (28, 5, 1, 0, 24),  # 28 -> 24 ...
        (24, 2, 2, 0, 12),  # ... -> 2×2 max-pool -> 12
        (32, 5, 1, 0, 28),  # 32×32×3, 5×5×3 filters
        (19, 5, 1, 2, 19),  # AlphaGo: 19 padded to 23, 5×5 conv
        (19, 3, 1, 1, 19),  # AlphaGo later layers: padded to 21, 3×3 conv
        (19, 1, 1, 0, 19),  # AlphaGo's last layer: 1×1 conv
        (4, 2, 2, 0, 2),  # 2×2 pooling at stride 2 turns 4×4 into 2×2
        (7, 3, 2, 0, 3),  # floor: (7 - 3) / 2 + 1
        (8, 3, 2, 0, 3),  # floor drops the last column: (8 - 3) / 2 = 2.5
    ],
)
def test_output_size_worked_examples(n, k, stride, pad, expected):
    assert output_size(n, k, stride, pad) == expected


def test_alphago_padding_reaches_23_and_21():
    assert sum(resolve_padding(19, 5, pad=2)) + 19 == 23
    assert sum(resolve_padding(19, 3, pad=1)) + 19 == 21


@pytest.mark.parametrize(
    ("n", "k", "dilation", "expected"),
    [(7, 3, 2, 3), (7, 3, 3, 1), (10, 2, 4, 6), (5, 1, 9, 5)],
)
def test_output_size_with_dilation(n, k, dilation, expected):
    assert output_size(n, k, dilation=dilation) == expected
    assert output_size(n, k, dilation=dilation) == n - kernel_span(k, dilation) + 1


@pytest.mark.parametrize(("k", "dilation", "span"), [(3, 1, 3), (3, 2, 5), (5, 3, 13), (1, 7, 1)])
def test_kernel_span(k, dilation, span):
    assert kernel_span(k, dilation) == span


# --- padding modes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "stride", "dilation", "expected"),
    [
        (5, 3, 1, 1, (1, 1)),
        (5, 4, 1, 1, (1, 2)),  # even span: the extra zero goes after (bottom/right)
        (5, 2, 1, 1, (0, 1)),
        (7, 3, 2, 1, (1, 1)),  # out = ceil(7/2) = 4, total = 3*2 + 3 - 7 = 2
        (6, 3, 2, 1, (0, 1)),  # out = 3, total = 2*2 + 3 - 6 = 1
        (5, 3, 1, 2, (2, 2)),  # span 5
        (10, 1, 3, 1, (0, 0)),  # a 1×1 kernel never needs padding
        (4, 2, 4, 1, (0, 0)),  # total would be negative: clamped to 0
    ],
)
def test_same_padding_is_tensorflow_convention(n, k, stride, dilation, expected):
    assert resolve_padding(n, k, stride, "same", dilation) == expected
    assert output_size(n, k, stride, "same", dilation) == math.ceil(n / stride)


@pytest.mark.parametrize(("n", "k", "dilation"), [(5, 3, 1), (4, 4, 1), (6, 3, 2), (1, 7, 1)])
def test_valid_and_full_padding(n, k, dilation):
    span = kernel_span(k, dilation)
    assert resolve_padding(n, k, pad="valid", dilation=dilation) == (0, 0)
    assert resolve_padding(n, k, pad="full", dilation=dilation) == (span - 1, span - 1)
    assert output_size(n, k, pad="full", dilation=dilation) == n + span - 1


@given(
    n=st.integers(1, 60),
    k=st.integers(1, 9),
    stride=st.integers(1, 5),
    pad=st.integers(0, 6),
    dilation=st.integers(1, 4),
)
def test_output_size_matches_formula_or_raises(n, k, stride, pad, dilation):
    numerator = n + 2 * pad - dilation * (k - 1) - 1
    if numerator < 0:
        with pytest.raises(ShapeError):
            output_size(n, k, stride, pad, dilation)
    else:
        assert output_size(n, k, stride, pad, dilation) == numerator // stride + 1


@given(n=st.integers(1, 60), k=st.integers(1, 9), stride=st.integers(1, 5))
def test_same_and_full_always_fit(n, k, stride):
    assert output_size(n, k, stride, "same") == math.ceil(n / stride)
    assert output_size(n, k, stride, "full") == (n + k - 2) // stride + 1


def test_output_shape_2d_names_the_axis():
    assert output_shape_2d((6, 9), (3, 2), stride=2) == (2, 4)
    with pytest.raises(ShapeError, match="^Width: .*kernel of 5"):
        output_shape_2d((6, 4), (3, 5))


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "mentions"),
    [
        ({"n": 0, "k": 3}, "input size must be at least 1, got 0"),
        ({"n": 5, "k": 0}, "kernel size must be at least 1, got 0"),
        ({"n": 5, "k": 3, "stride": 0}, "stride must be at least 1, got 0"),
        ({"n": 5, "k": 3, "dilation": 0}, "dilation must be at least 1, got 0"),
        ({"n": 5, "k": 3, "pad": -1}, "pad must be at least 0, got -1"),
        ({"n": 5, "k": 3, "pad": "sme"}, "'sme'"),
        ({"n": 5.0, "k": 3}, "whole number, got 5.0"),
        ({"n": 5, "k": True}, "whole number, got True"),
        ({"n": 5, "k": 3, "stride": 1.5}, "got 1.5"),
        ({"n": 5, "k": 3, "pad": None}, "got None"),
        ({"n": "5", "k": 3}, "got '5'"),
    ],
)
def test_bad_values_raise_shape_error(kwargs, mentions):
    with pytest.raises(ShapeError) as info:
        output_size(**kwargs)
    assert mentions in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "mentions"),
    [
        ({"n": 5, "k": 7}, ["spans 7", "only 5", "pad=1", "at most 5"]),
        ({"n": 5, "k": 8, "pad": 1}, ["spans 8", "(7 with padding)", "pad=2", "at most 7"]),
        ({"n": 5, "k": 3, "dilation": 3}, ["dilation 3", "spans 7", "pad=1", "at most 2"]),
        ({"n": 2, "k": 5, "pad": "valid"}, ["spans 5", "only 2", "pad=2", "at most 2"]),
    ],
)
def test_window_that_does_not_fit_says_what_would_work(kwargs, mentions):
    with pytest.raises(ShapeError) as info:
        output_size(**kwargs)
    for text in mentions:
        assert text in str(info.value)


def test_the_message_counts_with_the_right_plural():
    """Issue 10 item 29: "only 1 pixels", "1 zero(s)" read as "only 1 pixel", "1 zero"."""
    with pytest.raises(ShapeError) as info:
        output_size(1, 2)
    message = str(info.value)
    assert "the input is only 1 pixel, so" in message
    assert "Pad with at least 1 zero on each side (pad=1)" in message
    assert "(s)" not in message
    with pytest.raises(ShapeError) as info:
        output_size(2, 7)
    assert "only 2 pixels" in str(info.value) and "at least 3 zeros on each" in str(info.value)


def test_the_suggested_fixes_really_work():
    # A kernel of 8 on 5 pixels: the message suggests pad=2 or a kernel of at most 5.
    assert output_size(5, 8, pad=2) == 2
    assert output_size(5, 5) == 1
    with pytest.raises(ShapeError):
        output_size(5, 8, pad=1)


# --- layer tables ------------------------------------------------------------------------------


def test_layer_table_ten_filters_on_cifar_sized_input():
    rows = layer_table((32, 32, 3), [{"type": "conv", "filters": 10, "kernel": 5}])
    assert rows[0]["output_shape"] == (28, 28, 10)
    assert rows[0]["params"] == 10 * (5 * 5 * 3) + 10 == 760
    assert rows[0]["input_shape"] == (32, 32, 3)
    assert rows[0]["description"] == "conv 5×5, 10 filters, stride 1, pad 0"


def test_layer_table_three_filters_keep_depth_three():
    rows = layer_table((32, 32, 3), [{"type": "conv", "filters": 3, "kernel": 5}])
    assert rows[0]["output_shape"] == (28, 28, 3)


def test_layer_table_tiny_cnn():
    layers = [
        {"type": "conv", "filters": 8, "kernel": 3, "pad": 1},
        {"type": "relu"},
        {"type": "pool", "kernel": 2},
        {"type": "conv", "filters": 16, "kernel": 3, "pad": "same", "dilation": 1},
        {"type": "relu"},
        {"type": "pool", "kernel": 2, "mode": "avg"},
        {"type": "flatten"},
        {"type": "dense", "units": 10},
    ]
    rows = layer_table((28, 28, 1), layers)
    shapes = [row["output_shape"] for row in rows]
    assert shapes == [
        (28, 28, 8),
        (28, 28, 8),
        (14, 14, 8),
        (14, 14, 16),
        (14, 14, 16),
        (7, 7, 16),
        (784,),
        (10,),
    ]
    assert [row["params"] for row in rows] == [80, 0, 0, 1168, 0, 0, 0, 7850]
    assert [row["type"] for row in rows] == [layer["type"] for layer in layers]
    assert [row["index"] for row in rows] == list(range(8))
    for previous, row in zip(rows, rows[1:], strict=False):
        assert row["input_shape"] == previous["output_shape"]
    assert rows[2]["description"] == "max-pool 2×2, stride 2"
    assert rows[5]["description"] == "avg-pool 2×2, stride 2"
    assert rows[6]["description"] == "flatten 7×7×16 → 784"
    assert rows[7]["description"] == "dense 784 → 10"


def test_layer_table_28_conv5_pool2():
    layers = [{"type": "conv", "filters": 6, "kernel": 5}, {"type": "pool", "kernel": 2}]
    rows = layer_table((28, 28, 1), layers)
    assert [row["output_shape"] for row in rows] == [(24, 24, 6), (12, 12, 6)]


def test_layer_table_alphago_first_layer():
    rows = layer_table((19, 19, 48), [{"type": "conv", "filters": 192, "kernel": 5, "pad": 2}])
    assert rows[0]["output_shape"] == (19, 19, 192)
    assert rows[0]["params"] == 192 * 5 * 5 * 48 + 192


def test_layer_table_per_position_bias_alphago_last_layer():
    """Issue 10 item 10: a 1×1 conv with a different bias for each of the 19×19 points."""
    layer = {"type": "conv", "filters": 1, "kernel": 1, "bias": "per-position"}
    (row,) = layer_table((19, 19, 192), [layer])
    assert row["output_shape"] == (19, 19, 1)
    assert row["params"] == 192 + 361 == 553
    # the same layer with shared biases, and a strided one: biases follow the output size
    (shared,) = layer_table((19, 19, 192), [{**layer, "bias": "shared"}])
    assert shared["params"] == 192 + 1
    (strided,) = layer_table((19, 19, 2), [{**layer, "filters": 3, "stride": 2}])
    assert strided["params"] == 3 * 2 + 3 * 10 * 10


def test_layer_table_softmax_keeps_the_length_and_needs_a_flat_input():
    rows = layer_table((19, 19, 1), [{"type": "flatten"}, {"type": "softmax"}])
    assert rows[-1]["output_shape"] == (361,) and rows[-1]["params"] == 0
    assert "361 probabilities summing to 1" in rows[-1]["description"]
    with pytest.raises(LayerError, match="add a flatten layer before softmax"):
        layer_table((19, 19, 1), [{"type": "softmax"}])
    with pytest.raises(LayerError, match="'bias' must be one of"):
        layer_table((4, 4, 1), [{"type": "conv", "filters": 1, "kernel": 1, "bias": "each"}])


def test_layer_table_pool_stride_and_conv_dilation():
    layers = [
        {"type": "conv", "filters": 2, "kernel": 3, "stride": 2, "dilation": 2},
        {"type": "pool", "kernel": 3, "stride": 1},
    ]
    rows = layer_table((11, 13, 1), layers)
    # span 5: (11 - 5) // 2 + 1 = 4 and (13 - 5) // 2 + 1 = 5, then a 3×3 window at stride 1
    assert [row["output_shape"] for row in rows] == [(4, 5, 2), (2, 3, 2)]
    assert "dilation 2" in rows[0]["description"]


def test_layer_table_empty_list_and_dense_after_dense():
    assert layer_table((4, 4, 1), []) == []
    rows = layer_table(
        (2, 2, 1),
        [{"type": "flatten"}, {"type": "dense", "units": 3}, {"type": "dense", "units": 2}],
    )
    assert [row["params"] for row in rows] == [0, 4 * 3 + 3, 3 * 2 + 2]


@pytest.mark.parametrize(
    ("layers", "index", "mentions"),
    [
        ([{"type": "convolution", "filters": 3, "kernel": 3}], 0, "unknown layer type"),
        ([{"filters": 3, "kernel": 3}], 0, "unknown layer type None"),
        (["relu"], 0, "must be a dict"),
        ([{"type": "relu"}, {"type": "conv", "kernel": 3}], 1, "'filters' is missing"),
        ([{"type": "conv", "filters": 3, "kernel": 0}], 0, "got 0"),
        ([{"type": "conv", "filters": 2.5, "kernel": 3}], 0, "got 2.5"),
        ([{"type": "conv", "filter": 3, "kernel": 3}], 0, "unknown key(s) ['filter']"),
        ([{"type": "conv", "filters": 3, "kernel": 3, "pad": "half"}], 0, "'half'"),
        (
            [{"type": "relu"}, {"type": "relu"}, {"type": "conv", "filters": 1, "kernel": 9}],
            2,
            "spans 9",
        ),
        (
            [{"type": "flatten"}, {"type": "conv", "filters": 3, "kernel": 3}],
            1,
            "before the flatten",
        ),
        ([{"type": "flatten"}, {"type": "pool", "kernel": 2}], 1, "before the flatten"),
        ([{"type": "dense", "units": 10}], 0, "add a flatten layer before dense"),
        ([{"type": "flatten"}, {"type": "dense", "units": 0}], 1, "got 0"),
        ([{"type": "pool", "kernel": 2, "mode": "min"}], 0, "'min'"),
        ([{"type": "pool", "kernel": 2, "stride": 0}], 0, "'stride' must be at least 1, got 0"),
        ([{"type": "pool"}], 0, "'kernel' is missing"),
    ],
)
def test_layer_errors_name_the_layer(layers, index, mentions):
    with pytest.raises(LayerError) as info:
        layer_table((8, 8, 3), layers)
    error = info.value
    assert error.index == index
    assert str(error).startswith(f"Layer {index} (")
    assert mentions in str(error)
    assert isinstance(error, ShapeError)


def test_layer_error_message_shows_type():
    with pytest.raises(LayerError, match=r"^Layer 1 \(conv\): Height: "):
        layer_table((8, 8, 3), [{"type": "relu"}, {"type": "conv", "filters": 1, "kernel": 9}])


@pytest.mark.parametrize(
    "input_shape", [(28, 28), (28, 28, 0), (28, "28", 1), "28x28", (1, 2, 3, 4)]
)
def test_layer_table_rejects_bad_input_shape(input_shape):
    with pytest.raises(ShapeError) as info:
        layer_table(input_shape, [{"type": "relu"}])
    assert not isinstance(info.value, LayerError)
