"""The backward pass from any layer to the input pixels against numerical gradients."""

import numpy as np
import pytest

from cnnviz.nn.backprop import (
    activation_names,
    class_score_gradient,
    forward_keep,
    gradient_wrt_input,
)
from cnnviz.nn.gradcheck import numerical_gradient, relative_error
from tests.explain.nets import images, tiny_model

CONFIGS = [
    {"pool": "max", "filters": (3,), "kernel_size": 1},
    {"pool": "avg", "filters": (3,), "kernel_size": 5},
    {"pool": "max", "filters": (2, 3), "kernel_size": 3},
    {"pool": "avg", "filters": (2, 3), "kernel_size": 1, "dropout": 0.5},
    {"pool": "max", "filters": (2, 2, 3), "kernel_size": 5, "dropout": 0.3},
    {"pool": "avg", "filters": (2, 2, 3), "kernel_size": 3},
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(map(str, c.values())))
def test_input_gradient_from_every_kind_of_layer_matches_numerical(config):
    model = tiny_model(**config)
    x = images(model, 2)
    n = len(config["filters"])
    for layer in ("softmax", "dense", f"pool{n}", "relu1", "conv1"):
        trace = forward_keep(model, x)
        dout = np.random.default_rng(3).standard_normal(trace[layer].shape)
        dx, grads = gradient_wrt_input(model, trace, layer, dout)
        expected = numerical_gradient(
            lambda layer=layer, dout=dout: float(np.sum(forward_keep(model, x)[layer] * dout)), x
        )
        assert dx.shape == x.shape
        assert relative_error(dx, expected) < 1e-6, layer
        assert grads["input"] is dx and grads[layer] is not None
        below = activation_names(model.config)[: activation_names(model.config).index(layer) + 1]
        assert set(grads) == set(below)
        for name in below:
            assert grads[name].shape == trace[name].shape


@pytest.mark.parametrize("config", CONFIGS[:3], ids=lambda c: "-".join(map(str, c.values())))
def test_the_kept_forward_pass_is_the_model_forward_pass(config):
    model = tiny_model(dtype=np.float32, **config)
    x = images(model, 3)
    logits, activations = model.forward(x, return_activations=True)
    trace = forward_keep(model, x)
    assert trace.names == tuple(name for name, _ in activations)
    for name, value in activations:
        np.testing.assert_array_equal(trace[name], value, err_msg=name)
    np.testing.assert_array_equal(trace["dense"], logits)
    assert forward_keep(model, x, until="relu1").names == ("input", "conv1", "relu1")


def test_class_score_gradient_is_the_logit_gradient_and_the_dense_weights_path():
    model = tiny_model(filters=(2,), kernel_size=1, pool="avg")
    x = images(model, 1)
    dx, trace, grads = class_score_gradient(model, x, 2)
    # d logit_2 / d flatten is column 2 of the dense weights
    np.testing.assert_allclose(grads["flatten"][0], model.params["dense.w"][:, 2])
    expected = numerical_gradient(lambda: float(model.forward(x)[0, 2]), x)
    assert relative_error(dx, expected) < 1e-7


def test_wrong_layer_or_shapes_are_explained():
    model = tiny_model()
    trace = forward_keep(model, images(model, 1), until="pool1")
    with pytest.raises(ValueError, match="was not computed"):
        gradient_wrt_input(model, trace, "dense", np.zeros((1, 3)))
    with pytest.raises(ValueError, match="dout must be shaped like pool1"):
        gradient_wrt_input(model, trace, "pool1", np.zeros((1, 3)))
    with pytest.raises(ValueError, match="unknown layer"):
        forward_keep(model, images(model, 1), until="conv9")
    with pytest.raises(ValueError, match="expected an image"):
        forward_keep(model, np.zeros((2, 2, 8, 8)))
    with pytest.raises(ValueError, match="class_index must be 0..2"):
        class_score_gradient(model, images(model, 1), 3)
