"""What a filter wants (gradient ascent), its top examples, and FGSM."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.explain.fgsm import fgsm, fgsm_sweep, loss_gradient, smallest_flipping_eps
from cnnviz.explain.filter_wants import filter_wants, top_examples
from cnnviz.nn.gradcheck import numerical_gradient, relative_error
from cnnviz.nn.layers import softmax_cross_entropy
from tests.explain.nets import images, tiny_model

MODEL = tiny_model(dtype=np.float32, filters=(4, 6))


@pytest.mark.parametrize(
    ("layer", "indices"), [("conv1", [0, 1, 2, 3]), ("conv2", [5, 0]), ("dense", [2])]
)
def test_gradient_ascent_raises_the_target_and_stays_in_range(layer, indices):
    result = filter_wants(MODEL, layer, indices, steps=25)
    assert result.images.shape == (len(indices), 1, 8, 8)
    assert result.images.min() >= 0 and result.images.max() <= 1
    assert result.objective.shape == (26, len(indices))
    assert (result.objective[-1] > result.objective[0]).all()
    # mostly upward: at least three steps in four raise the objective
    assert (np.diff(result.objective, axis=0) > 0).mean() >= 0.75
    again = filter_wants(MODEL, layer, indices, steps=25)
    np.testing.assert_array_equal(again.images, result.images)  # deterministic


def test_one_filter_alone_gives_the_same_picture_as_in_a_batch():
    one = filter_wants(MODEL, "conv2", 3, steps=10)
    batch = filter_wants(MODEL, "conv2", [1, 3], steps=10)
    assert one.indices == (3,)
    np.testing.assert_allclose(one.images[0], batch.images[1], atol=1e-6)


def test_top_examples_is_a_brute_force_argsort():
    x = images(MODEL, 37, seed=5)
    for layer, index in (("conv1", 2), ("conv2", 4), ("dense", 1)):
        scores = []
        for image in x:
            _, acts = MODEL.forward(image[None], return_activations=True)
            out = dict(acts)[layer][0, index]
            scores.append(float(np.mean(out)))
        expected = sorted(range(len(x)), key=lambda i: -scores[i])[:5]
        order, top = top_examples(MODEL, x, layer, index, k=5, batch_size=8)
        assert list(order) == expected
        np.testing.assert_allclose(top, np.array(scores)[expected], rtol=1e-5)


def test_bad_units_are_explained():
    with pytest.raises(ValueError, match="conv1 has 4 units"):
        filter_wants(MODEL, "conv1", 4)
    with pytest.raises(ValueError, match="choose a conv layer"):
        top_examples(MODEL, images(MODEL, 2), "relu1", 0)


MODEL64 = tiny_model(filters=(3, 4))


def test_the_fgsm_gradient_is_the_loss_gradient():
    x = images(MODEL64, 1)[0]
    gradient, _ = loss_gradient(MODEL64, x, 2)
    expected = numerical_gradient(
        lambda: softmax_cross_entropy(MODEL64.forward(x[None]), np.array([2]))[0], x
    )
    assert relative_error(gradient, expected) < 1e-6


@settings(max_examples=30, deadline=None)
@given(
    eps=st.floats(0, 0.6),
    label=st.integers(0, 2),
    seed=st.integers(0, 1000),
    dark=st.booleans(),
)
def test_fgsm_moves_no_pixel_more_than_eps_and_stays_in_range(eps, label, seed, dark):
    x = images(MODEL, 1, seed=seed)[0]
    if dark:  # pixels at the range limits: clipping must hold them there
        x[:, :4] = 0
        x[:, 4:, :4] = 1
    result = fgsm(MODEL, x, label, eps)
    change = np.abs(result.adversarial.astype(np.float64) - x)
    assert change.max() <= eps
    assert result.adversarial.min() >= 0 and result.adversarial.max() <= 1
    np.testing.assert_array_equal(result.changed, result.adversarial != x)
    moved = result.changed
    np.testing.assert_array_equal(np.sign(result.adversarial - x)[moved], result.sign[moved])
    assert result.adversarial.dtype == x.dtype


def test_sweep_finds_the_first_flip_like_a_loop_of_single_nudges():
    grid = [round(0.05 * i, 2) for i in range(1, 21)]
    flips = 0
    for seed in range(6):
        x = images(MODEL, 1, seed=seed)[0]
        label = int(MODEL.forward(x[None]).argmax())
        by_hand = next((e for e in grid if fgsm(MODEL, x, label, e).flipped), None)
        assert smallest_flipping_eps(MODEL, x, label, grid) == by_hand
        sweep = fgsm_sweep(MODEL, x, label, grid)
        assert list(sweep.predictions) == [
            fgsm(MODEL, x, label, e).adversarial_prediction for e in grid
        ]
        flips += by_hand is not None
    assert flips >= 1  # the grid reaches 1.0: some answers do flip


def test_the_centre_unit_of_conv1_wants_its_filter_pattern_inside_its_receptive_field():
    """conv1's centre unit sees a k × k window: ascent paints the weights' signs there (brighter
    than grey where a weight is positive, darker where negative) and leaves the rest grey."""
    result = filter_wants(MODEL, "conv1", [0, 1, 2, 3], steps=40, where="centre")
    for image, f in zip(result.images[:, 0], range(4), strict=True):
        w = MODEL.params["conv1.w"][f, 0]  # (3, 3)
        window = image[3:6, 3:6]  # the centre unit (4, 4) with pad 1 sees rows/cols 3..5
        np.testing.assert_array_equal(np.sign(window - 0.5), np.sign(w))
        strongest = np.unravel_index(np.abs(w).argmax(), w.shape)
        assert window[strongest] in (0.0, 1.0)  # the strongest weight's pixel saturates
        outside = np.ones((8, 8), bool)
        outside[3:6, 3:6] = False
        assert (image[outside] == 0.5).all()
    assert (result.objective[-1] > result.objective[0]).all() and result.where == "centre"
