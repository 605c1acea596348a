"""Receptive fields: the formula against the pixels a unit's gradient really reaches."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnnviz.explain.receptive_field import (
    field_table,
    input_box,
    pointwise_conv,
    stacked_vs_single,
)
from cnnviz.nn import CNNConfig, TinyCNN
from cnnviz.nn import layers as L
from cnnviz.nn import pooling as P
from cnnviz.nn.backprop import forward_keep, gradient_wrt_input
from cnnviz.ops import shapes

# --- a generic stack built from the nn layer functions, all weights positive ---------------


def dilated(w: np.ndarray, d: int) -> np.ndarray:
    """(F, C, k, k) -> (F, C, d(k-1)+1, d(k-1)+1) with zeros between the taps."""
    F, C, k, _ = w.shape
    out = np.zeros((F, C, d * (k - 1) + 1, d * (k - 1) + 1))
    out[:, :, ::d, ::d] = w
    return out


def stack_input_gradient(layers, n, unit, rng):
    """Gradient of unit (row, col) of channel 0 of the last layer w.r.t. an n × n input.

    Positive weights and biases of 1 keep every activation positive (ReLU passes everything)
    and no two paths cancel, so the gradient is non-zero exactly where the unit is connected.
    Returns (n, n), summed over the 2 input channels.
    """
    x, backward = rng.uniform(0.1, 1, (1, 2, n, n)), []
    for layer in layers:
        if layer["type"] == "conv":
            k, s, d = layer["kernel"], layer["stride"], layer["dilation"]
            n_in = x.shape[2]
            before, after = shapes.resolve_padding(n_in, k, s, layer["pad"], d)
            xp = np.pad(x, ((0, 0), (0, 0), (before, after), (before, after)))
            x, cache = L.conv_forward(
                xp, dilated(rng.uniform(0.5, 1, (2, 2, k, k)), d), np.ones(2), s
            )
            backward.append(
                lambda g, c=cache, b=before, m=n_in: L.conv_backward(g, c)[0][
                    :, :, b : b + m, b : b + m
                ]
            )
        elif layer["type"] == "pool":
            x, cache = P.pool_forward(x, layer["kernel"], layer["stride"], "avg")
            backward.append(lambda g, c=cache: P.pool_backward(g, c))
        else:
            x, cache = L.relu_forward(x)
            backward.append(lambda g, c=cache: L.relu_backward(g, c))
    dout = np.zeros_like(x)
    dout[0, 0, unit[0], unit[1]] = 1
    for step in reversed(backward):
        dout = step(dout)
    return dout[0].sum(axis=0)


def bounding_box(support: np.ndarray):
    rows, cols = np.nonzero(support)
    return (rows.min(), rows.max()), (cols.min(), cols.max())


conv_layers = st.builds(
    lambda k, s, d, pad: {"type": "conv", "kernel": k, "stride": s, "dilation": d, "pad": pad},
    st.sampled_from([1, 3, 5]),
    st.sampled_from([1, 2]),
    st.sampled_from([1, 2]),
    st.one_of(st.integers(0, 2), st.sampled_from(["same", "valid"])),
)
pool_layers = st.builds(
    lambda k, s: {"type": "pool", "kernel": k, "stride": s},
    st.sampled_from([2, 3]),
    st.sampled_from([1, 2]),
)
stacks = st.lists(
    st.one_of(conv_layers, pool_layers, st.just({"type": "relu"})), min_size=1, max_size=4
)


@settings(max_examples=40, deadline=None)
@given(layers=stacks, n=st.integers(6, 16), where=st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_formula_box_is_the_bounding_box_of_the_gradient_support(layers, n, where):
    try:
        table = field_table(layers, n)
    except ValueError:  # a window that no longer fits the shrunken map
        assume(False)
    last = table[-1]
    unit = tuple(min(int(f * last.size), last.size - 1) for f in where)
    assume(all(k["pad"] in ("same", "valid") or k["pad"] <= (k["kernel"] - 1) * k["dilation"]
               for k in layers if k["type"] == "conv"))  # fmt: skip
    support = stack_input_gradient(layers, n, unit, np.random.default_rng(0)) != 0
    box = input_box(layers, last.name, *unit, input_hw=(n, n))
    assert support.any() and not (support & ~box.mask(n, n)).any()
    # Where the box is not clipped, the unit's extreme taps are real pixels: the support
    # reaches the box's edge there (a clipped edge may land on a dilation hole).
    (top, bottom), (left, right) = bounding_box(support)
    for got, clipped, full in zip(
        (top, bottom, left, right),
        (*box.rows, *box.cols),
        (*box.full_rows, *box.full_cols),
        strict=True,
    ):
        if clipped == full:
            assert got == full
    # r_out = r_in + (k − 1)·d·j_in and j_out = j_in·s, by hand
    r, j = 1, 1
    for layer in layers:
        if layer["type"] != "relu":
            k, d = layer["kernel"], layer.get("dilation", 1)
            r, j = r + (k - 1) * d * j, j * layer["stride"]
    assert (last.field, last.jump) == (r, j)
    # A field inside the image, no dilation and windows at least as long as their stride: no
    # holes, so every pixel of the box reaches the unit. (At a clipped edge, pixels the floor
    # dropped from a map are reached only through padding: inside the box, not in the support.)
    inside = box.rows == box.full_rows and box.cols == box.full_cols
    if inside and all(
        x.get("dilation", 1) == 1 and x.get("kernel", 1) >= x.get("stride", 1) for x in layers
    ):
        assert np.array_equal(support, box.mask(n, n))


def positive_tinycnn(config: CNNConfig) -> TinyCNN:
    model = TinyCNN.create(config, np.random.default_rng(0))
    params = {
        k: np.abs(v).astype(np.float64) + (1 if k.endswith(".b") else 0.1)
        for k, v in model.params.items()
    }
    return TinyCNN(config, params)


@pytest.mark.parametrize(
    "config",
    [
        CNNConfig(),
        CNNConfig(input_shape=(1, 12, 10), filters=(2, 2, 2), kernel_size=5, pool="avg"),
        CNNConfig(input_shape=(1, 8, 8), filters=(2,), kernel_size=1, pool="avg"),
        CNNConfig(input_shape=(1, 16, 16), filters=(2, 2), kernel_size=7, pool="avg"),
    ],
)
def test_tinycnn_boxes_match_the_gradient_support(config):
    """avg pooling: the support is the whole clipped box; max pooling reaches a subset of it
    (each window passes its gradient to one winner)."""
    model = positive_tinycnn(config)
    x = np.random.default_rng(1).uniform(0.1, 1, (1, *config.input_shape))
    trace = forward_keep(model, x)
    H, W = config.input_shape[1:]
    for layer in trace.names[1:-3]:
        _, _, h, w = trace[layer].shape
        for row, col in np.ndindex(h, w):
            dout = np.zeros_like(trace[layer])
            dout[0, 0, row, col] = 1
            dx, _ = gradient_wrt_input(model, trace, layer, dout)
            support, box = dx[0, 0] != 0, input_box(config, layer, row, col).mask(H, W)
            if config.pool == "avg" or layer.startswith(("conv1", "relu1")):
                assert np.array_equal(support, box), (layer, row, col)
            else:
                assert support.any() and not (support & ~box).any(), (layer, row, col)
    assert input_box(config, "dense", 0, 0).mask(H, W).all()


def test_default_network_table_by_hand():
    rows = {r.name: r for r in field_table(CNNConfig())}
    assert [
        (rows[n].field, rows[n].jump, rows[n].start) for n in ("conv1", "pool1", "conv2", "pool2")
    ] == [
        (3, 1, -1),
        (4, 2, -1),
        (8, 2, -3),
        (10, 4, -3),
    ]
    assert rows["conv2"].arithmetic == "r = 4 + (3 − 1)·1·2 = 8, j = 2·1 = 2"
    box = input_box(CNNConfig(), "pool2", 1, 0)
    assert box.full_rows == (1, 10) and box.rows == (1, 7) and box.cols == (0, 6)
    assert box.centre == (5.5, 1.5) and (box.height, box.width) == (7, 7)


def test_two_3x3_see_5x5_with_fewer_weights_and_1x1_sees_one_pixel():
    layers = [{"type": "conv", "kernel": 3}, {"type": "conv", "kernel": 3}]
    assert (
        field_table(layers, 9)[-1].field
        == 5
        == field_table([{"type": "conv", "kernel": 5}], 9)[-1].field
    )
    c = stacked_vs_single(16)
    assert (c.field, c.stacked_weights, c.single_weights) == (5, 2 * 9 * 256, 25 * 256)
    assert "4,608 weights" in c.sentence() and "6,400" in c.sentence()
    # the counts are those of real weight arrays
    assert c.stacked_weights == 2 * np.zeros((16, 16, 3, 3)).size
    p = pointwise_conv(16, 8)
    assert (p.field, p.weights, p.biases) == (1, np.zeros((8, 16, 1, 1)).size, 8)
    assert field_table([{"type": "conv", "kernel": 1}], 5)[-1].field == 1


def test_bad_units_and_layers_are_explained():
    with pytest.raises(ValueError, match="pool2 has 2 rows"):
        input_box(CNNConfig(), "pool2", 2, 0)
    with pytest.raises(ValueError, match="unknown layer"):
        input_box(CNNConfig(), "conv7", 0, 0)
    with pytest.raises(ValueError, match="receptive fields need conv, pool or relu"):
        field_table([{"type": "dense", "units": 3}], 8)
