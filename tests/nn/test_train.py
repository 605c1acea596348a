"""Training generator, evaluation, divergence and the one-step view."""

import itertools

import numpy as np
import pytest

from cnnviz.data.augment import random_shift
from cnnviz.data.datasets import digits_dataset
from cnnviz.nn import (
    SGD,
    Adam,
    CNNConfig,
    TinyCNN,
    evaluate,
    filter_step,
    train_steps,
)
from cnnviz.nn.train import diverged_loss


@pytest.fixture(scope="module")
def digits():
    return digits_dataset()


def test_a_fixed_seed_run_on_the_digits_reaches_95_percent(digits):
    rng = np.random.default_rng(0)
    model = TinyCNN.create(CNNConfig(), rng)
    steps = train_steps(model, digits, batch_size=64, optimizer=Adam(0.01), rng=rng)
    accuracy = 0.0
    for stats in itertools.islice(steps, 300):  # at most 300 steps (about 13 epochs)
        assert not stats.diverged
        if stats.step % 25 == 0:
            accuracy = evaluate(model, digits.x_test, digits.y_test).accuracy
            if accuracy >= 0.95:
                break
    assert accuracy >= 0.95, f"test accuracy {accuracy:.3f} after {stats.step} steps"


def test_step_stats_count_steps_epochs_and_images():
    x = np.random.default_rng(0).random((10, 1, 4, 4)).astype(np.float32)
    y = np.arange(10) % 3
    model = TinyCNN.create(CNNConfig((1, 4, 4), (2,), n_classes=3), np.random.default_rng(1))
    rng = np.random.default_rng(2)
    stats = list(
        itertools.islice(train_steps(model, (x, y), batch_size=4, optimizer=SGD(0.1), rng=rng), 7)
    )
    assert [s.step for s in stats] == list(range(1, 8))
    assert [s.batch_size for s in stats] == [4, 4, 2, 4, 4, 2, 4]  # 10 images: 4 + 4 + 2
    assert [s.epoch for s in stats] == [0, 0, 0, 1, 1, 1, 2]
    assert [s.images_seen for s in stats] == [4, 8, 10, 14, 18, 20, 24]
    for s in stats:
        assert np.isfinite(s.loss) and 0 <= s.accuracy <= 1 and s.seconds >= 0


def test_training_is_reproducible_with_a_fixed_seed(digits):
    def run():
        rng = np.random.default_rng(7)
        model = TinyCNN.create(CNNConfig(dropout=0.2), rng)
        steps = train_steps(
            model, digits, batch_size=32, optimizer=Adam(0.01), rng=rng, augment=random_shift
        )
        losses = [s.loss for s in itertools.islice(steps, 5)]
        return losses, model.params["conv1.w"].copy()

    (losses_a, w_a), (losses_b, w_b) = run(), run()
    assert losses_a == losses_b
    np.testing.assert_array_equal(w_a, w_b)


def test_a_diverging_learning_rate_is_flagged_not_raised(digits):
    rng = np.random.default_rng(0)
    model = TinyCNN.create(CNNConfig(), rng)
    steps = train_steps(model, digits, batch_size=64, optimizer=SGD(1e4), rng=rng)
    stats = list(itertools.islice(steps, 30))
    assert any(s.diverged for s in stats)
    limit = diverged_loss(10)
    assert limit == pytest.approx(20 * np.log(10))
    for s in stats:
        assert s.diverged == (not np.isfinite(s.loss) or s.loss > limit)
    result = evaluate(model, digits.x_test, digits.y_test)  # still evaluates, no exception
    assert result.confusion.sum() == len(digits.y_test)


def test_non_finite_losses_are_flagged_and_skip_the_update(digits):
    rng = np.random.default_rng(0)
    model = TinyCNN.create(CNNConfig(), rng)
    for name in model.params:  # weights so large that the scores overflow to inf
        model.params[name] *= np.float32(1e37)
    before = {name: p.copy() for name, p in model.params.items()}
    steps = train_steps(model, digits, batch_size=64, optimizer=SGD(0.1), rng=rng)
    stats = list(itertools.islice(steps, 3))
    assert all(s.diverged and not np.isfinite(s.loss) for s in stats)
    for name, value in model.params.items():
        np.testing.assert_array_equal(value, before[name])  # nothing NaN was written


def test_evaluate_confusion_matrix_and_accuracy(digits):
    model = TinyCNN.create(CNNConfig(), np.random.default_rng(0))
    result = evaluate(model, digits.x_test, digits.y_test, batch_size=100)
    assert result.confusion.shape == (10, 10)
    np.testing.assert_array_equal(result.confusion.sum(axis=1), np.bincount(digits.y_test))
    assert result.accuracy == pytest.approx(np.trace(result.confusion) / len(digits.y_test))
    np.testing.assert_array_equal(result.predictions, model.predict(digits.x_test)[0])
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1, rtol=1e-5)
    assert result.loss > 0


def test_filter_step_shows_the_last_sgd_update(digits):
    rng = np.random.default_rng(0)
    model = TinyCNN.create(CNNConfig(), rng)
    opt = SGD(0.05)
    with pytest.raises(ValueError, match="no training step"):
        filter_step(model, opt, "conv1", 0)
    before = model.params["conv2.w"][3].copy()
    next(train_steps(model, digits, batch_size=16, optimizer=opt, rng=rng))
    step = filter_step(model, opt, "conv2", 3)
    assert step.grad.shape == (8, 3, 3)
    np.testing.assert_allclose(step.w_before, before, atol=1e-6)
    np.testing.assert_array_equal(step.w_after, model.params["conv2.w"][3])
    np.testing.assert_allclose(step.w_after, step.w_before - 0.05 * step.grad, atol=1e-6)
    assert step.lr == 0.05 and step.optimizer == "sgd"
    assert step.bias_after == pytest.approx(step.bias_before - 0.05 * step.bias_grad, abs=1e-6)
    with pytest.raises(ValueError, match="filters"):
        filter_step(model, opt, "conv1", 8)
    with pytest.raises(ValueError, match="conv layer"):
        filter_step(model, opt, "dense", 0)


def test_augmentation_changes_the_batches(digits):
    calls = []

    def spy(xb, rng):
        calls.append(xb.shape)
        return random_shift(xb, rng)

    rng = np.random.default_rng(0)
    model = TinyCNN.create(CNNConfig(), rng)
    list(
        itertools.islice(
            train_steps(model, digits, batch_size=8, optimizer=SGD(0.1), rng=rng, augment=spy), 3
        )
    )
    assert calls == [(8, 1, 8, 8)] * 3


def test_bad_arguments_are_explained(digits):
    model = TinyCNN.create(CNNConfig(), np.random.default_rng(0))
    with pytest.raises(ValueError, match="batch_size"):
        next(
            train_steps(
                model, digits, batch_size=0, optimizer=SGD(0.1), rng=np.random.default_rng(0)
            )
        )
    with pytest.raises(ValueError, match="labels"):
        evaluate(model, digits.x_test, digits.y_test[:-1])


def test_train_steps_changes_no_process_wide_setting(digits, monkeypatch):
    """BLAS threads and malloc are tuned once at server start, never by a library call."""
    from cnnviz.nn import runtime

    def forbidden(*args, **kwargs):
        raise AssertionError("train_steps must not change process-wide settings")

    monkeypatch.setattr(runtime, "keep_freed_memory", forbidden)
    monkeypatch.setattr(runtime, "limit_blas_threads", forbidden)
    rng = np.random.default_rng(0)
    model = TinyCNN.create(CNNConfig(), rng)
    next(train_steps(model, digits, batch_size=8, optimizer=SGD(0.1), rng=rng))
