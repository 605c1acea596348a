"""TinyCNN: shapes, activations, the whole network's gradient, predictions, the layer table."""

import math

import numpy as np
import pytest

from cnnviz.nn import pooling as P
from cnnviz.nn.gradcheck import numerical_gradient, relative_error
from cnnviz.nn.model import CNNConfig, TinyCNN, mlp_comparison, param_shapes


def float64_copy(model: TinyCNN) -> TinyCNN:
    return TinyCNN(model.config, {k: v.astype(np.float64) for k, v in model.params.items()})


def test_default_architecture_shrinks_8_to_4_to_2():
    model = TinyCNN.create(None, np.random.default_rng(0))
    x = np.random.default_rng(1).random((3, 1, 8, 8))
    logits, acts = model.forward(x, return_activations=True)
    shapes = {name: a.shape for name, a in acts}
    assert list(shapes) == [
        "input", "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "dense",
        "softmax",
    ]  # fmt: skip
    assert shapes["conv1"] == (3, 8, 8, 8)
    assert shapes["pool1"] == (3, 8, 4, 4)
    assert shapes["conv2"] == (3, 16, 4, 4)
    assert shapes["pool2"] == (3, 16, 2, 2)
    assert shapes["flatten"] == (3, 64)
    assert logits.shape == shapes["softmax"] == (3, 10)
    assert logits.dtype == np.float32
    np.testing.assert_array_equal(dict(acts)["dense"], logits)
    np.testing.assert_allclose(dict(acts)["softmax"].sum(axis=1), 1, rtol=1e-6)
    assert (dict(acts)["relu1"] >= 0).all()


def test_he_initialisation_is_seeded_and_scaled():
    config = CNNConfig(input_shape=(1, 28, 28), filters=(32, 64))
    a = TinyCNN.create(config, np.random.default_rng(5))
    b = TinyCNN.create(config, np.random.default_rng(5))
    c = TinyCNN.create(config, np.random.default_rng(6))
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
        assert a.params[name].dtype == np.float32
    assert not np.array_equal(a.params["conv1.w"], c.params["conv1.w"])
    w2 = a.params["conv2.w"]  # fan_in = 32 * 3 * 3
    assert w2.std() == pytest.approx(math.sqrt(2 / (32 * 9)), rel=0.05)
    assert not a.params["conv2.b"].any()


@pytest.mark.parametrize(
    "config",
    [
        CNNConfig(input_shape=(1, 4, 4), filters=(2, 3)),
        CNNConfig(input_shape=(2, 6, 5), filters=(3,), kernel_size=5, pool="avg", n_classes=3),
        CNNConfig(input_shape=(1, 8, 8), filters=(2, 2, 2), kernel_size=1, n_classes=4),
    ],
)
def test_whole_network_gradient_matches_numerical_gradient(config):
    rng = np.random.default_rng(2)
    model = float64_copy(TinyCNN.create(config, rng))
    for name in model.params:  # non-zero biases, so their gradients are exercised too
        model.params[name] += 0.1 * rng.standard_normal(model.params[name].shape)
    x = rng.standard_normal((3, *config.input_shape))
    y = rng.integers(0, config.n_classes, size=3)
    loss, grads = model.loss_and_grads(x, y)
    assert set(grads) == set(model.params)
    for name, param in model.params.items():
        num = numerical_gradient(lambda: model.loss_and_grads(x, y)[0], param)
        assert grads[name].shape == param.shape
        assert relative_error(grads[name], num) < 1e-6, name


def test_whole_network_gradient_with_dropout():
    config = CNNConfig(input_shape=(1, 4, 4), filters=(2,), dropout=0.5, n_classes=3)
    model = float64_copy(TinyCNN.create(config, np.random.default_rng(0)))
    x = np.random.default_rng(1).standard_normal((4, 1, 4, 4))
    y = np.array([0, 1, 2, 1])

    def loss():  # a fresh generator with one seed: the same dropout mask every time
        return model.loss_and_grads(x, y, np.random.default_rng(9))[0]

    _, grads = model.loss_and_grads(x, y, np.random.default_rng(9))
    for name in ("dense.w", "conv1.w"):
        num = numerical_gradient(loss, model.params[name])
        assert relative_error(grads[name], num) < 1e-6, name
    _, other = model.loss_and_grads(x, y, np.random.default_rng(10))
    assert not np.allclose(grads["dense.w"], other["dense.w"])  # the mask matters
    with pytest.raises(ValueError, match="rng"):
        model.loss_and_grads(x, y)
    np.testing.assert_array_equal(model.forward(x), model.forward(x))  # eval: no dropout


def test_predict_returns_classes_and_probabilities():
    model = TinyCNN.create(None, np.random.default_rng(0))
    x = np.random.default_rng(1).random((5, 1, 8, 8))
    classes, probs = model.predict(x, batch_size=2)
    assert classes.shape == (5,) and probs.shape == (5, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(classes, model.forward(x).argmax(axis=1))
    none, no_probs = model.predict(np.zeros((0, 1, 8, 8)))
    assert none.shape == (0,) and no_probs.shape == (0, 10)


def test_forward_rejects_the_wrong_input_shape():
    model = TinyCNN.create(None, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"\(N, 1, 8, 8\)"):
        model.forward(np.zeros((2, 1, 28, 28)))


def test_layer_table_matches_the_real_parameters_and_shapes():
    config = CNNConfig(input_shape=(1, 28, 28), filters=(8, 16, 4), pool="avg", dropout=0.25)
    model = TinyCNN.create(config, np.random.default_rng(0))
    rows = model.layer_table()
    by_name = {row["name"]: row for row in rows}
    for name in ("conv1", "conv2", "conv3", "dense"):
        expected = model.params[f"{name}.w"].size + model.params[f"{name}.b"].size
        assert by_name[name]["params"] == expected
    assert sum(row["params"] for row in rows) == model.n_params()
    _, acts = model.forward(np.zeros((1, 1, 28, 28)), return_activations=True)
    for name, a in acts:
        if a.ndim == 4 and name in by_name:  # table shapes are (H, W, C)
            assert by_name[name]["output_shape"] == (a.shape[2], a.shape[3], a.shape[1])
    assert by_name["pool3"]["output_shape"] == (3, 3, 4)
    assert [r["name"] for r in rows][-3:] == ["dropout", "dense", "softmax"]
    assert [r["index"] for r in rows] == list(range(len(rows)))


def test_mlp_of_the_same_width_has_far_more_parameters():
    config = CNNConfig()
    result = mlp_comparison(config)
    assert result["widths"] == (64, 8 * 8 * 8, 16 * 4 * 4, 10)
    assert result["params"] == 64 * 512 + 512 + 512 * 256 + 256 + 256 * 10 + 10
    assert result["cnn_params"] == sum(math.prod(s) for s in param_shapes(config).values())
    assert result["cnn_params"] == (8 * 9 + 8) + (16 * 8 * 9 + 16) + (64 * 10 + 10)
    assert result["params"] > 50 * result["cnn_params"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"filters": ()}, "blocks"),
        ({"filters": (8, 8, 8, 8)}, "at least 16"),
        ({"kernel_size": 4}, "kernel_size"),
        ({"pool": "median"}, "pool"),
        ({"dropout": 1.0}, "dropout"),
        ({"filters": (0,)}, "filters"),
        ({"input_shape": (1, 8)}, "input_shape"),
        ({"n_classes": 1}, "n_classes"),
    ],
)
def test_config_rejects_impossible_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        CNNConfig(**kwargs)


def test_training_path_matches_the_textbook_layer_order_even_with_ties():
    # The model pools before the ReLU when training with max pooling (same maths, less work).
    # Check it against conv -> ReLU -> pool written out with the layer functions, on integer
    # images, which give many tied windows, and with a negative bias, which gives dead ones.
    from cnnviz.nn import layers as L

    config = CNNConfig(input_shape=(1, 8, 8), filters=(3, 4))
    model = float64_copy(TinyCNN.create(config, np.random.default_rng(0)))
    model.params["conv1.b"][:] = [0.5, -0.5, 0.0]
    x = np.random.default_rng(1).integers(0, 3, size=(4, 1, 8, 8)).astype(np.float64)
    y = np.array([1, 2, 3, 4])
    loss, grads = model.loss_and_grads(x, y)

    p, caches, h = model.params, [], x
    for i in (1, 2):
        z, cc = L.conv_forward(h, p[f"conv{i}.w"], p[f"conv{i}.b"], 1, 1)
        a, cr = L.relu_forward(z)
        h, cp = P.pool_forward(a, 2, 2, "max")
        caches.append((cc, cr, cp))
    f, cf = L.flatten_forward(h)
    logits, cd = L.dense_forward(f, p["dense.w"], p["dense.b"])
    ref_loss, dlogits = L.softmax_cross_entropy(logits, y)
    df, dw, db = L.dense_backward(dlogits, cd)
    ref = {"dense.w": dw, "dense.b": db}
    dh = L.flatten_backward(df, cf)
    for i in (2, 1):
        cc, cr, cp = caches[i - 1]
        dh, ref[f"conv{i}.w"], ref[f"conv{i}.b"] = L.conv_backward(
            L.relu_backward(P.pool_backward(dh, cp), cr), cc
        )
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for name in ref:
        np.testing.assert_allclose(grads[name], ref[name], rtol=1e-10, atol=1e-12)
