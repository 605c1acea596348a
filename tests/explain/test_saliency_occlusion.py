"""Saliency against finite differences; occlusion against a brute-force loop."""

import numpy as np
import pytest

import cnnviz.explain.occlusion as occlusion_module
from cnnviz.explain.occlusion import default_patch, occlusion
from cnnviz.explain.saliency import finite_difference, saliency
from cnnviz.nn.gradcheck import numerical_gradient, relative_error
from cnnviz.nn.layers import softmax
from cnnviz.ops.shapes import output_size
from tests.explain.nets import images, tiny_model


@pytest.mark.parametrize("config", [{}, {"pool": "avg", "kernel_size": 5, "dropout": 0.5}])
def test_saliency_is_the_numerical_gradient_of_the_logit(config):
    model = tiny_model(**config)
    x = images(model, 1)[0]
    for class_index in range(3):
        result = saliency(model, x, class_index)
        expected = numerical_gradient(lambda c=class_index: float(model.forward(x[None])[0, c]), x)
        assert result.gradient.shape == x.shape and result.map.shape == x.shape[1:]
        assert relative_error(result.gradient, expected) < 1e-6
        np.testing.assert_array_equal(result.map, np.abs(result.gradient).max(axis=0))
        assert result.score == pytest.approx(model.forward(x[None])[0, class_index])


def test_the_pages_finite_difference_agrees_on_a_float32_network():
    model = tiny_model(dtype=np.float32, input_shape=(2, 8, 8))
    x = images(model, 1)
    check = finite_difference(model, x, 1, (1, 3, 4))
    assert check.pixel == (1, 3, 4)
    assert check.numeric == pytest.approx((check.score_plus - check.score_minus) / (2 * check.h))
    assert check.difference <= 1e-5 * max(1.0, abs(check.numeric))
    assert check.analytic == pytest.approx(
        saliency(model, x, 1).gradient[1, 3, 4], rel=1e-4, abs=1e-6
    )
    assert finite_difference(model, x, 1, (3, 4)).pixel == (0, 3, 4)
    with pytest.raises(ValueError, match="outside an image"):
        finite_difference(model, x, 1, (8, 0))


def brute_force_occlusion(model, x, class_index, patch, stride, value):
    """One forward pass per patch position, by hand."""
    _, H, W = x.shape
    base = softmax(model.forward(x[None]))[0, class_index]
    rows, cols = range(0, H - patch + 1, stride), range(0, W - patch + 1, stride)
    drop = np.zeros((len(rows), len(cols)))
    for i, top in enumerate(rows):
        for j, left in enumerate(cols):
            copy = x.copy()
            copy[:, top : top + patch, left : left + patch] = value
            drop[i, j] = base - softmax(model.forward(copy[None]))[0, class_index]
    per_pixel = np.full((H, W), np.nan)
    for r in range(H):
        for c in range(W):
            covering = [
                drop[i, j]
                for i, top in enumerate(rows)
                for j, left in enumerate(cols)
                if top <= r < top + patch and left <= c < left + patch
            ]
            if covering:
                per_pixel[r, c] = np.mean(covering)
    return drop, per_pixel


@pytest.mark.parametrize(
    ("patch", "stride", "value"), [(2, 1, None), (3, 2, 0.5), (5, 3, 0.0), (1, 1, 1.0)]
)
def test_occlusion_matches_a_loop_over_positions(patch, stride, value):
    model = tiny_model(input_shape=(2, 9, 8))
    x = images(model, 1)[0]
    result = occlusion(model, x, 2, patch, stride, value)
    fill = x.mean() if value is None else value
    drop, per_pixel = brute_force_occlusion(model, x, 2, patch, stride, fill)
    np.testing.assert_allclose(result.drop, drop, atol=1e-12)
    np.testing.assert_allclose(result.per_pixel, per_pixel, atol=1e-12)  # NaN where uncovered
    H_out, W_out = output_size(9, patch, stride), output_size(8, patch, stride)
    assert result.drop.shape == (H_out, W_out) and result.n_occluded == H_out * W_out
    assert result.n_images == H_out * W_out + 1 and result.n_batches == 1
    assert result.value == pytest.approx(fill)
    np.testing.assert_allclose(result.probabilities, result.base_probability - drop, atol=1e-12)


def test_large_sweeps_are_chunked_with_the_same_result(monkeypatch):
    model = tiny_model()
    x = images(model, 1)[0]
    whole = occlusion(model, x, 0, 2, 1)
    monkeypatch.setattr(occlusion_module, "CHUNK", 10)
    chunked = occlusion(model, x, 0, 2, 1)
    assert chunked.n_batches == 5  # 49 copies in chunks of 10
    np.testing.assert_allclose(chunked.drop, whole.drop, atol=1e-12)


def test_default_patch_sizes():
    assert default_patch(8) == (2, 1) and default_patch(28) == (7, 3) and default_patch(2) == (1, 1)
