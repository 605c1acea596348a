"""Lesson 8's engine: freezing, per-layer learning rates, copying layers, the held-out split,
per-class accuracy, class names in weights files, and transfer beating training from scratch."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.nn import CNNConfig, ModelFileError, TinyCNN, evaluate, load, save, train_steps
from cnnviz.nn import model as model_module
from cnnviz.nn.gradcheck import numerical_gradient
from cnnviz.nn.optim import make_optimizer
from cnnviz.nn.serialize import load_named
from cnnviz.nn.train import filter_step, stratified_split
from cnnviz.nn.transfer import (
    LUMA,
    LayerMismatchError,
    copy_layers,
    frozen_plan,
    param_counts,
    transfer_network,
)


def float64_model(config, seed=0):
    model = TinyCNN.create(config, np.random.default_rng(seed))
    model.params = {k: v.astype(np.float64) for k, v in model.params.items()}
    return model


def batch(config, n=3, seed=1):
    rng = np.random.default_rng(seed)
    return rng.random((n, *config.input_shape)), rng.integers(0, config.n_classes, n)


@pytest.mark.parametrize(
    ("input_shape", "frozen"),
    [
        ((1, 8, 8), {"conv1"}),
        ((1, 8, 8), {"conv2"}),  # frozen above a trained layer: the gradient passes through
        ((1, 16, 16), {"conv2"}),  # the same with 8 × 8 maps (dx by taps, not one GEMM)
        ((1, 8, 8), {"dense", "conv1"}),
        ((3, 8, 8), set()),  # colour input
        ((3, 8, 8), {"conv2", "dense"}),
    ],
)
def test_gradients_of_trained_layers_match_numerical(input_shape, frozen):
    config = CNNConfig(input_shape=input_shape, filters=(3, 4), n_classes=3, pool="avg")
    model = float64_model(config)
    x, y = batch(config)
    _, grads = model.loss_and_grads(x, y, frozen=frozenset(frozen))
    trained = {k for k in model.params if k.split(".")[0] not in frozen}
    assert set(grads) == trained
    for name in trained:
        numeric = numerical_gradient(lambda: model.loss_and_grads(x, y)[0], model.params[name])
        # relative error on the gradient's scale (a few entries are ~0, where any
        # rounding is a large relative error)
        assert np.abs(grads[name] - numeric).max() < 1e-6 * np.abs(numeric).max(), name


def test_all_convs_frozen_runs_no_conv_backward(monkeypatch):
    config = CNNConfig(input_shape=(3, 16, 16), filters=(4, 8), n_classes=3)
    model = TinyCNN.create(config, np.random.default_rng(0))
    calls = []
    real = model_module.L.conv_backward
    monkeypatch.setattr(
        model_module.L, "conv_backward", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    x, y = batch(config)
    model.loss_and_grads(x, y, frozen=frozenset({"conv1", "conv2"}))
    assert calls == []
    model.loss_and_grads(x, y, frozen=frozenset({"conv1"}))
    assert len(calls) == 1  # conv2 only, and it needs no dx (nothing below trains)


def test_unknown_frozen_layer_is_a_clear_error():
    model = TinyCNN.create(CNNConfig(), np.random.default_rng(0))
    with pytest.raises(ValueError, match="conv3"):
        model.loss_and_grads(*batch(model.config), frozen=frozenset({"conv3"}))


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_frozen_layers_stay_bit_identical_while_training(name):
    config = CNNConfig(input_shape=(3, 8, 8), filters=(4, 6), n_classes=3, dropout=0.2)
    model = TinyCNN.create(config, np.random.default_rng(0))
    before = {k: v.copy() for k, v in model.params.items()}
    frozen = frozenset({"conv1"})
    optimizer = make_optimizer(name, 0.05, frozen=frozen)
    x, y = batch(config, n=12)
    steps = train_steps(model, (x, y), batch_size=4, optimizer=optimizer,
                        rng=np.random.default_rng(1))  # fmt: skip
    for _ in range(10):
        next(steps)
    for key in ("conv1.w", "conv1.b"):
        assert model.params[key].tobytes() == before[key].tobytes()
    assert not np.array_equal(model.params["conv2.w"], before["conv2.w"])
    with pytest.raises(ValueError, match="frozen"):
        filter_step(model, optimizer, "conv1", 0)
    # An optimiser told a layer is frozen skips it even when handed its gradient.
    _, grads = model.loss_and_grads(x, y, np.random.default_rng(2))
    make_optimizer(name, 0.05, frozen=frozenset({"dense"})).step(model.params, grads)
    after = model.params["dense.w"].copy()
    assert "dense.w" in grads and np.array_equal(after, model.params["dense.w"])


def test_learning_rate_multiplier_scales_a_layers_step():
    config = CNNConfig(filters=(2, 3), n_classes=3)
    model = TinyCNN.create(config, np.random.default_rng(0))
    _, grads = model.loss_and_grads(*batch(config))
    optimizer = make_optimizer("sgd", 0.5, lr_scale={"conv2": 0.1})
    optimizer.step({k: v.copy() for k, v in model.params.items()}, grads)
    np.testing.assert_allclose(
        optimizer.last_update["conv2.w"], -0.05 * grads["conv2.w"], rtol=1e-6
    )
    np.testing.assert_allclose(optimizer.last_update["dense.w"], -0.5 * grads["dense.w"], rtol=1e-6)
    with pytest.raises(ValueError, match="multiplier"):
        make_optimizer("adam", 0.1, lr_scale={"conv1": 0})


def test_copy_layers_copies_named_layers_and_draws_the_rest():
    source = TinyCNN.create(CNNConfig(input_shape=(1, 8, 8), filters=(4, 6), n_classes=10),
                            np.random.default_rng(0))  # fmt: skip
    target_config = CNNConfig(input_shape=(1, 16, 16), filters=(4, 6), n_classes=3)
    copy = copy_layers(source, target_config, ["conv1", "conv2"], np.random.default_rng(1))
    for key in ("conv1.w", "conv1.b", "conv2.w", "conv2.b"):
        np.testing.assert_array_equal(copy.params[key], source.params[key])
        assert not np.shares_memory(copy.params[key], source.params[key])
    assert copy.params["dense.w"].shape == (6 * 4 * 4, 3)


def test_gray_filters_spread_over_rgb_give_the_same_features_on_gray_images():
    source = TinyCNN.create(CNNConfig(input_shape=(1, 8, 8), filters=(4, 6), n_classes=5),
                            np.random.default_rng(0))  # fmt: skip
    rgb = transfer_network(source, (3, 8, 8), 3, np.random.default_rng(1))
    gray = np.random.default_rng(2).random((4, 1, 8, 8), dtype=np.float32)
    _, a_gray = source.forward(gray, return_activations=True)
    _, a_rgb = rgb.forward(np.repeat(gray, 3, axis=1), return_activations=True)
    np.testing.assert_allclose(dict(a_rgb)["flatten"], dict(a_gray)["flatten"], atol=1e-5)
    # With LUMA weights an RGB image reads as its luma-gray version.
    luma = transfer_network(source, (3, 8, 8), 3, np.random.default_rng(1), channel_mix=LUMA)
    colour = np.random.default_rng(3).random((2, 3, 8, 8), dtype=np.float32)
    as_gray = np.tensordot(np.array(LUMA, np.float32), colour, axes=([0], [1]))[:, None]
    _, a_luma = luma.forward(colour, return_activations=True)
    _, a_ref = source.forward(as_gray, return_activations=True)
    np.testing.assert_allclose(dict(a_luma)["flatten"], dict(a_ref)["flatten"], atol=1e-5)


@pytest.mark.parametrize(
    ("target", "names", "message"),
    [
        (dict(kernel_size=5), ["conv1"], "kernels"),
        (dict(filters=(8, 6)), ["conv1"], "conv1 has 4 filters"),
        (dict(pool="avg"), ["conv1"], "pooling"),
        (dict(filters=(4,)), ["conv1", "conv2"], "no layer 'conv2'"),
        (dict(), ["conv2"], "first conv layers"),
        (dict(n_classes=3), ["conv1", "dense"], "dense.w"),
    ],
)
def test_copy_layers_mismatches_say_what_differs(target, names, message):
    source = TinyCNN.create(CNNConfig(filters=(4, 6)), np.random.default_rng(0))
    config = CNNConfig(**({"filters": (4, 6)} | target))
    with pytest.raises(LayerMismatchError, match=message):
        copy_layers(source, config, names, np.random.default_rng(1))
    rgb_source = TinyCNN.create(CNNConfig(input_shape=(3, 8, 8)), np.random.default_rng(0))
    with pytest.raises(LayerMismatchError, match="channel"):
        copy_layers(rgb_source, CNNConfig(), ["conv1"], np.random.default_rng(1))


def test_plans_and_parameter_counts():
    model = TinyCNN.create(CNNConfig(input_shape=(3, 32, 32), filters=(4, 6, 8), n_classes=3),
                           np.random.default_rng(0))  # fmt: skip
    plan = frozen_plan(model.config)
    assert plan.frozen == {"conv1", "conv2", "conv3"} and plan.lr_scale == {}
    tune = frozen_plan(model.config, fine_tune_last=True)
    assert tune.frozen == {"conv1", "conv2"} and tune.lr_scale == {"conv3": 0.1}
    counts = param_counts(model, plan.frozen)
    assert counts["trained"] == 8 * 4 * 4 * 3 + 3
    assert counts["frozen"] == (4 * 27 + 4) + (6 * 36 + 6) + (8 * 54 + 8)
    assert counts["total"] == model.n_params()


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(1, 12), min_size=1, max_size=5),
    held=st.one_of(st.integers(0, 6), st.floats(0.05, 0.95)),
    seed=st.integers(0, 10),
)
def test_stratified_split_keeps_a_training_example_of_every_class(counts, held, seed):
    labels = np.random.default_rng(seed).permutation(np.repeat(np.arange(len(counts)), counts))
    train, held_out = stratified_split(labels, held, seed)
    assert np.intersect1d(train, held_out).size == 0
    assert np.array_equal(np.union1d(train, held_out), np.arange(len(labels)))
    for k, n in enumerate(counts):
        n_held = int(np.sum(labels[held_out] == k))
        wanted = held if isinstance(held, int) else max(1, round(held * n))
        assert n_held == min(wanted, n - 1)
    again = stratified_split(labels, held, seed)
    assert np.array_equal(again[1], held_out)


def test_per_class_accuracy():
    model = TinyCNN.create(CNNConfig(n_classes=3), np.random.default_rng(0))
    x = np.random.default_rng(1).random((40, 1, 8, 8))
    y = np.array([0, 1] * 20)  # class 2 has no examples
    result = evaluate(model, x, y)
    predicted = result.predictions
    for k in (0, 1):
        assert result.per_class_accuracy[k] == np.mean(predicted[y == k] == k)
    assert np.isnan(result.per_class_accuracy[2])
    assert result.per_class_count.tolist() == [20, 20, 0]


def test_weights_keep_class_names_and_reject_another_class_count_or_input():
    config = CNNConfig(input_shape=(3, 32, 32), filters=(4, 6, 8), n_classes=3)
    model = TinyCNN.create(config, np.random.default_rng(0))
    data = save(model, class_names=["star", "heart", "moon"])
    assert data == save(model, class_names=("star", "heart", "moon"))  # reproducible bytes
    loaded, names = load_named(data, expected=config)
    assert names == ("star", "heart", "moon")
    np.testing.assert_array_equal(loaded.params["conv1.w"], model.params["conv1.w"])
    assert load_named(save(model))[1] is None  # lesson 7's files: no names
    four = CNNConfig(input_shape=(3, 32, 32), filters=(4, 6, 8), n_classes=4)
    with pytest.raises(ModelFileError, match="3 classes apart \\(star, heart, moon\\)"):
        load_named(data, expected=four)
    assert load_named(data, expected=four, any_classes=True)[0].config.n_classes == 3
    with pytest.raises(ModelFileError, match="colour \\(RGB\\) 32 × 32 images.*gray 8 × 8"):
        load(data, expected=CNNConfig())
    with pytest.raises(ValueError, match="2 class names"):
        save(model, class_names=["a", "b"])


def test_files_written_the_old_way_still_load():
    """Lesson 7's files were written by np.savez_compressed, without class names."""
    import io
    import json
    from dataclasses import asdict

    model = TinyCNN.create(CNNConfig(filters=(4, 6)), np.random.default_rng(0))
    buffer = io.BytesIO()
    config = np.array(json.dumps(asdict(model.config)))
    np.savez_compressed(buffer, format=np.array("cnnviz-tinycnn-1"), config=config, **model.params)
    loaded, names = load_named(buffer.getvalue(), expected=model.config)
    assert names is None
    np.testing.assert_array_equal(loaded.params["conv2.w"], model.params["conv2.w"])


def test_transfer_beats_scratch_few_shot():
    """All 8 starter classes (never seen in pre-training), 2 gray examples per class, 100 Adam
    steps, held-out accuracy on 10 new examples per class. Measured with these 5 seeds: from
    scratch 58.0 %, frozen transfer 69.8 %, a margin of 11.8 points; asserted: at least 8
    (benchmarks/transfer_vs_scratch.py has the full table over 10 seeds)."""
    from cnnviz.data import own_classes, starter_set
    from cnnviz.data.pretrained import load_pretrained

    pre, _ = load_pretrained()
    names = starter_set.CLASS_NAMES

    def xy(sets):
        x = np.concatenate([own_classes.prepare_batch(v, 1) for v in sets.values()])
        return x, np.repeat(np.arange(len(sets)), [len(v) for v in sets.values()])

    scores = {"scratch": [], "transfer": []}
    for seed in range(5):
        rng = np.random.default_rng(100 + seed)
        train = xy(starter_set.make_starter_set(names, 2, rng))
        test = xy(starter_set.make_starter_set(names, 10, rng))
        for method, accuracies in scores.items():
            rng = np.random.default_rng(seed)
            if method == "scratch":
                config = CNNConfig(input_shape=(1, 32, 32), filters=pre.config.filters, n_classes=8)
                model, frozen = TinyCNN.create(config, rng), frozenset()
            else:
                model = transfer_network(pre, (1, 32, 32), 8, rng)
                frozen = frozen_plan(model.config).frozen
            opt = make_optimizer("adam", 0.01, frozen=frozen)
            steps = train_steps(model, train, batch_size=16, optimizer=opt, rng=rng, frozen=frozen)
            for _ in range(100):
                next(steps)
            accuracies.append(evaluate(model, *test).accuracy)
    assert np.mean(scores["transfer"]) - np.mean(scores["scratch"]) >= 0.08, scores
