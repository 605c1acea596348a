"""Grad-CAM on a network small enough to compute by hand."""

import numpy as np
import pytest

from cnnviz.explain.gradcam import grad_cam
from cnnviz.nn import CNNConfig, TinyCNN
from tests.explain.nets import images, tiny_model

X = np.array(
    [
        [1, -1, 2, 0],
        [0, 3, -2, 1],
        [-4, 2, 1, 1],
        [0, 0, -1, 3],
    ],
    dtype=np.float64,
)


def hand_network() -> TinyCNN:
    """1 block, two 1×1 filters (+1 and −1, so relu1 holds max(x, 0) and max(−x, 0)), 2×2
    average pooling, and a dense layer whose class-0 weights per pooled cell are
    channel 0: [[1, 2], [3, 2]] and channel 1: [[−1, 1], [0, 4]]."""
    config = CNNConfig(input_shape=(1, 4, 4), filters=(2,), kernel_size=1, pool="avg", n_classes=2)
    dense = np.zeros((8, 2))
    dense[:, 0] = [1, 2, 3, 2, -1, 1, 0, 4]  # flatten order: channel, row, column
    params = {
        "conv1.w": np.array([1.0, -1.0]).reshape(2, 1, 1, 1),
        "conv1.b": np.zeros(2),
        "dense.w": dense,
        "dense.b": np.zeros(2),
    }
    return TinyCNN(config, params)


def test_grad_cam_on_relu1_by_hand():
    # ∂score/∂A_c[i, j] = (dense weight of the pooled cell holding (i, j)) / 4 (average of 4),
    # so alpha_0 = (1 + 2 + 3 + 2) / 16 = 0.5 and alpha_1 = (−1 + 1 + 0 + 4) / 16 = 0.25;
    # cam = ReLU(0.5·max(x, 0) + 0.25·max(−x, 0)): 0.5·x where x > 0, −0.25·x where x < 0.
    result = grad_cam(hand_network(), X[None], 0, layer="relu1")
    np.testing.assert_allclose(result.alpha, [0.5, 0.25])
    np.testing.assert_allclose(result.activations, [np.maximum(X, 0), np.maximum(-X, 0)])
    np.testing.assert_allclose(result.gradients[0], np.kron([[1, 2], [3, 2]], np.ones((2, 2))) / 4)
    expected = [
        [0.5, 0.25, 1.0, 0.0],
        [0.0, 1.5, 0.5, 0.5],
        [1.0, 1.0, 0.5, 0.5],
        [0.0, 0.0, 0.25, 1.5],
    ]
    np.testing.assert_allclose(result.cam, expected)
    np.testing.assert_allclose(result.weighted_sum, expected)  # nothing negative to cut
    np.testing.assert_allclose(result.upsampled, expected)  # already 4 × 4
    # score = 1·1 + 2·0.75 + 3·0.5 + 2·1.25 − 1·0.25 + 1·0.5 + 0·1 + 4·0.25 = 7.75
    assert result.score == pytest.approx(7.75)
    assert (result.layer, result.class_index, result.interpolation) == ("relu1", 0, "bilinear")


def test_grad_cam_on_pool1_by_hand_with_nearest_upsampling():
    # pooled maps P_0 = [[1, 0.75], [0.5, 1.25]], P_1 = [[0.25, 0.5], [1, 0.25]];
    # alpha = mean dense weight per channel = 2 and 1; cam = ReLU(2·P_0 + P_1)
    result = grad_cam(hand_network(), X[None], 0, layer="pool1", interpolation="nearest")
    np.testing.assert_allclose(result.alpha, [2.0, 1.0])
    np.testing.assert_allclose(result.weighted[1], [[0.25, 0.5], [1, 0.25]])
    np.testing.assert_allclose(result.cam, [[2.25, 2.0], [2.0, 2.75]])
    np.testing.assert_allclose(result.upsampled, np.kron(result.cam, np.ones((2, 2))))
    np.testing.assert_allclose(result.heatmap.max(), 1.0)


def test_negative_evidence_is_cut_by_the_relu():
    # class 0 with the dense weights negated: every weighted sum is ≤ 0, so the cam is all 0
    model = hand_network()
    model.params["dense.w"] = -model.params["dense.w"]
    result = grad_cam(model, X[None], 0, layer="relu1")
    assert (result.weighted_sum <= 0).all() and (result.cam == 0).all()
    assert (result.heatmap == 0).all()


def test_default_layer_and_bilinear_upsampling_of_a_real_network():
    model = tiny_model(dtype=np.float32)  # 8×8 → relu2 is 4×4
    result = grad_cam(model, images(model, 1), 1)
    assert (
        result.layer == "relu2" and result.cam.shape == (4, 4) and result.upsampled.shape == (8, 8)
    )
    assert (result.upsampled >= 0).all() and result.upsampled.max() <= result.cam.max() + 1e-6
    with pytest.raises(ValueError, match="interpolation"):
        grad_cam(model, images(model, 1), 1, interpolation="cubic")
    with pytest.raises(ValueError, match="layer of maps"):
        grad_cam(model, images(model, 1), 1, layer="dense")
