"""AppTest for lesson 7: configure, play (ticks are reruns), pause, step, reset, change the
architecture mid-way, diverge and recover, draw, upload images and weights, URL state."""

from __future__ import annotations

import base64
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from cnnviz import nn
from cnnviz.data import preprocess
from cnnviz.ui import state, trainview
from tests.app.conftest import app_test, chart_titled, charts, texts, trace_values

PAGE = "pages/7_Train_a_CNN.py"


def trainer(at) -> trainview.Trainer:
    return at.session_state[state.TRAIN_TRAINER]


def markdown(at) -> str:
    return "\n".join(texts(at, "markdown"))


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at, key: str):
    return ok(at.button(key=key).click().run())


def play_control(at):
    return at.segmented_control(key=state.TRAIN_PLAYING)


def set_playing(at, value: str):
    return ok(play_control(at).set_value(value).run())


def play_ticks(at, ticks: int):
    """Play, then let `ticks` fragment ticks happen (AppTest never fires the timer: rerun)."""
    set_playing(at, "play")
    for _ in range(ticks):
        ok(at.run())
    return at


def drawing_png(text: str = "1", side: int = 224) -> bytes:
    """White strokes on black, as the canvas draws them, PNG-encoded RGBA."""
    image = np.zeros((side, side), dtype=np.uint8)
    cv2.putText(image, text, (60, 190), cv2.FONT_HERSHEY_SIMPLEX, 6, 255, 18)
    rgba = np.dstack([image, image, image, np.full_like(image, 255)])
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    return buffer.getvalue()


def canvas_state(png: bytes) -> dict:
    """What the drawable canvas sends after a stroke: fabric JSON and the PNG as a data URL."""
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    stroke = {"type": "path", "path": [["M", 60, 60], ["L", 60, 190]], "stroke": "#ffffff"}
    return {"drawing": {"raw": {"objects": [stroke], "background": "#000000"}, "data": url}}


@pytest.fixture
def at():
    return ok(app_test(PAGE).run())


def test_default_view_shows_the_untrained_network(at):
    assert at.title[0].value.startswith("7 · Train a tiny CNN")
    t = trainer(at)
    assert t.step == 0 and t.model.config.filters == (8, 16)
    assert "**Step 0**" in markdown(at)
    assert "| **total** | | **" in markdown(at)  # the layer table with its parameter count
    mlp = nn.mlp_comparison(t.model.config)
    assert f"**{mlp['params']:,}**" in markdown(at)
    # the first layer's 3×3 kernels are printed and are the model's weights
    conv1 = chart_titled(at, "conv1: 8 filters of 3×3×1")
    assert conv1["data"][0]["texttemplate"].startswith("%{z:")
    z = trace_values(conv1)
    np.testing.assert_allclose(z[0:3, 0:3], t.model.params["conv1.w"][0, 0], rtol=1e-6)
    # every layer of the chosen test image, up to the softmax
    for title in (
        "input (1 × 8 × 8)",
        "conv1 (8 × 8 × 8)",
        "relu1",
        "pool1 (8 × 4 × 4)",
        "conv2 (16 × 4 × 4)",
        "pool2 (16 × 2 × 2)",
        "flatten: 64",
        "dense: scores",
        "softmax: probabilities",
    ):
        chart_titled(at, title)
    assert at.query_params["lr"] == "0.01" and at.query_params["f1"] == "8"


def test_play_trains_in_slices_and_pause_stops(at):
    play_ticks(at, 6)
    t = trainer(at)
    assert play_control(at).value == "play"
    assert t.step > 20 and len(t.history["loss"]) == t.step
    assert t.tests["step"], "the test set is evaluated while playing"
    assert "images/s" in markdown(at) and f"**Step {t.step:,}**" in markdown(at)
    curves = chart_titled(at, "Loss and accuracy")
    assert len(trace_values(curves, "y")) > 0  # the train loss
    set_playing(at, "pause")
    paused_at = trainer(at).step
    for _ in range(3):
        ok(at.run())
    assert trainer(at).step == paused_at and play_control(at).value == "pause"


def test_digits_reach_ninety_percent_test_accuracy(at):
    play_ticks(at, 40)
    assert trainer(at).evaluation.accuracy > 0.9


def test_step_trains_one_batch_and_shows_the_update(at):
    at.radio(key=state.TRAIN_OPTIMIZER).set_value("sgd").run()
    at.select_slider(key=state.TRAIN_LR).set_value("0.1").run()
    at.session_state[state.TRAIN_VIEW] = "step"
    ok(at.run())
    assert "No training step" in "\n".join(texts(at, "info"))
    click(at, "train_step_button")
    t = trainer(at)
    assert t.step == 1 and t.evaluation is not None and t.tests["step"] == [1]
    step = nn.filter_step(t.model, t.optimizer, "conv1", 0)
    np.testing.assert_allclose(step.w_after, step.w_before - 0.1 * step.grad, atol=1e-6)
    np.testing.assert_allclose(trace_values(chart_titled(at, "dL/dw")), step.grad[0], rtol=1e-5)
    formula = at.latex[-1].value
    assert r"w \leftarrow w - \eta" in formula and f"{float(step.w_after[0, 0, 0]):.4g}" in formula
    # the quiz asks for exactly this update
    at.session_state[state.TRAIN_QUIZ] = 3
    ok(at.run())
    assert "Plain SGD with learning rate 0.1" in markdown(at)


def test_reset_gives_fresh_weights_and_an_empty_history(at):
    click(at, "train_step_button")
    click(at, "train_step_button")
    assert trainer(at).step == 2
    click(at, "train_reset_button")
    t = trainer(at)
    assert t.step == 0 and t.history["loss"] == [] and t.tests["step"] == []
    assert "Reset" in "\n".join(texts(at, "info"))
    fresh = nn.TinyCNN.create(t.model.config, np.random.default_rng(0))
    np.testing.assert_array_equal(t.model.params["conv1.w"], fresh.params["conv1.w"])


def test_changing_the_architecture_mid_way_starts_over_with_a_message(at):
    play_ticks(at, 2)
    assert trainer(at).step > 0
    ok(at.select_slider(key=f"{state.TRAIN_FILTERS}_1").set_value("4").run())
    t = trainer(at)
    assert t.step == 0 and t.model.config.filters == (4, 16)
    assert play_control(at).value == "pause"
    assert "starts over" in "\n".join(texts(at, "info"))
    ok(at.slider(key=state.TRAIN_BLOCKS).set_value(3).run())
    assert trainer(at).model.config.filters == (4, 16, 32)
    chart_titled(at, "conv3: 32 filters of 3×3×16")
    ok(at.selectbox(key=state.TRAIN_KERNEL).set_value("5").run())
    ok(at.selectbox(key=state.TRAIN_POOL).set_value("avg").run())
    assert trainer(at).model.config.kernel_size == 5 and trainer(at).model.config.pool == "avg"
    assert at.query_params["blocks"] == "3" and at.query_params["pool"] == "avg"


def test_changing_training_settings_keeps_the_weights(at):
    click(at, "train_step_button")
    weights = trainer(at).model.params["conv1.w"].copy()
    ok(at.select_slider(key=state.TRAIN_LR).set_value("0.001").run())
    assert "continues from the current weights" in "\n".join(texts(at, "info"))
    ok(at.select_slider(key=state.TRAIN_BATCH).set_value("64").run())
    ok(at.selectbox(key=state.TRAIN_AUGMENT).set_value("shift").run())
    ok(at.select_slider(key=state.TRAIN_DROPOUT).set_value("0.5").run())
    t = trainer(at)
    assert t.step == 1 and t.optimizer.lr == 0.001
    np.testing.assert_array_equal(t.model.params["conv1.w"], weights)
    assert t.model.config.dropout == 0.5
    click(at, "train_step_button")
    assert trainer(at).step == 2 and trainer(at).history["loss"][-1] > 0


def test_a_diverging_learning_rate_is_a_note_not_a_crash_and_reset_recovers(at):
    at.radio(key=state.TRAIN_OPTIMIZER).set_value("sgd").run()
    ok(at.select_slider(key=state.TRAIN_LR).set_value("100").run())
    play_ticks(at, 4)
    t = trainer(at)
    assert t.diverged and play_control(at).value == "pause"
    warning = "\n".join(texts(at, "warning"))
    assert "Training diverged" in warning and "smaller learning rate" in warning
    assert play_control(at).disabled
    curves = chart_titled(at, "Loss and accuracy")
    assert curves["layout"]["shapes"], "the divergence is marked on the curves"
    assert "Reset above" in "\n".join(texts(at, "info"))
    ok(at.select_slider(key=state.TRAIN_LR).set_value("0.01").run())
    click(at, "train_reset_button")
    assert not trainer(at).diverged and not at.warning
    click(at, "train_step_button")
    assert np.isfinite(trainer(at).history["loss"][-1])


def test_drawing_a_digit_sends_its_8x8_counts_through_the_network(at):
    at.session_state[state.TRAIN_VIEW] = "draw"
    ok(at.run())
    assert "Nothing drawn yet." in "\n".join(texts(at, "caption"))
    png = drawing_png("1")
    at.session_state[state.TRAIN_CANVAS] = canvas_state(png)
    ok(at.run())
    expected = preprocess.uci_digit(np.asarray(Image.open(io.BytesIO(png)))).counts
    np.testing.assert_array_equal(trace_values(chart_titled(at, "8 × 8 counts")), expected)
    assert "The network says" in markdown(at)
    chart_titled(at, "softmax: probabilities")
    assert any("uci_digit" in c.value for c in at.code)  # the NumPy behind it


def test_uploading_an_image_or_bad_bytes(at):
    at.session_state[state.TRAIN_VIEW] = "draw"
    ok(at.run())
    ok(at.radio(key=state.TRAIN_SOURCE).set_value("upload").run())
    at.file_uploader(key=state.TRAIN_UPLOAD).set_value(("seven.png", drawing_png("7"), "image/png"))
    ok(at.run())
    chart_titled(at, "8 × 8 counts")
    assert "The network says" in markdown(at)
    at.file_uploader(key=state.TRAIN_UPLOAD).set_value(("x.png", b"not an image", "image/png"))
    ok(at.run())
    assert "could not be used" in "\n".join(texts(at, "error"))
    blank = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(blank, format="PNG")
    at.file_uploader(key=state.TRAIN_UPLOAD).set_value(("blank.png", blank.getvalue(), "image/png"))
    ok(at.run())
    assert "no ink" in "\n".join(texts(at, "warning"))


def test_the_confusion_matrix_and_a_chosen_cell(at):
    play_ticks(at, 3)
    set_playing(at, "pause")
    at.session_state[state.TRAIN_VIEW] = "confusion"
    ok(at.run())
    t = trainer(at)
    figure = chart_titled(at, "Confusion matrix")
    mistakes, right = (trace_values(figure, "z"), None)
    assert mistakes.shape == (10, 10)
    diagonal = np.diag(t.evaluation.confusion)
    np.testing.assert_array_equal(np.diag(plotly_z(figure, 1)), diagonal)
    assert right is None
    at.session_state[state.TRAIN_CELL] = (3, 3)
    ok(at.run())
    assert any(f["layout"]["title"]["text"].endswith("true 3, predicted 3") for f in charts(at))
    wrong = int((t.evaluation.predictions != nn.digits_dataset().y_test).sum())
    assert f"**{wrong} of 359 test images are misclassified.**" in markdown(at)


def plotly_z(figure: dict, trace: int) -> np.ndarray:
    from tests.conftest import plotly_array

    return plotly_array(figure["data"][trace]["z"])


def test_weights_download_and_upload_good_and_bad(at):
    download = at.get("download_button")[0]
    assert download.proto.label.startswith("Download the weights")
    other = nn.TinyCNN.create(nn.CNNConfig(filters=(4,), kernel_size=5), np.random.default_rng(3))
    at.file_uploader(key=state.TRAIN_WEIGHTS_UPLOAD).set_value(
        ("mine.npz", nn.save(other), "application/octet-stream")
    )
    ok(at.run())
    t = trainer(at)
    assert t.model.config.filters == (4,) and t.model.config.kernel_size == 5
    np.testing.assert_array_equal(t.model.params["conv1.w"], other.params["conv1.w"])
    assert at.slider(key=state.TRAIN_BLOCKS).value == 1
    assert "Loaded **mine.npz**" in "\n".join(texts(at, "info"))
    click(at, "train_step_button")  # continue training the loaded weights
    assert trainer(at).step == 1
    at.file_uploader(key=state.TRAIN_WEIGHTS_UPLOAD).set_value(("bad.npz", b"PK\x03\x04junk", "x"))
    ok(at.run())
    assert "could not be loaded" in "\n".join(texts(at, "info"))
    assert trainer(at).model.config.filters == (4,)  # nothing changed
    odd = nn.TinyCNN.create(nn.CNNConfig(filters=(3, 5)), np.random.default_rng(0))
    at.file_uploader(key=state.TRAIN_WEIGHTS_UPLOAD).set_value(("odd.npz", nn.save(odd), "x"))
    ok(at.run())
    assert "cannot build" in "\n".join(texts(at, "info"))


def test_shapes_data_set_trains(at):
    ok(at.radio(key=state.TRAIN_DATASET).set_value("shapes").run())
    t = trainer(at)
    assert t.model.config.input_shape == (1, 28, 28) and t.model.config.n_classes == 6
    play_ticks(at, 2)
    assert trainer(at).step > 0
    chart_titled(at, "conv1 (8 × 28 × 28)")  # large maps: hover, not printed
    assert "texttemplate" not in chart_titled(at, "conv1 (8 × 28 × 28)")["data"][0]


def test_a_shared_link_restores_the_configuration():
    query = {
        "data": "digits",
        "blocks": "1",
        "f1": "4",
        "kernel": "5",
        "opt": "sgd",
        "lr": "0.1",
        "batch": "16",
        "view": "step",
    }
    at = ok(app_test(PAGE, query).run())
    t = trainer(at)
    assert t.model.config.filters == (4,) and t.model.config.kernel_size == 5
    assert t.settings.optimizer == "sgd" and t.settings.lr == 0.1 and t.settings.batch == 16
    assert not any("adjusted" in text for text in texts(at, "info"))


@pytest.mark.parametrize(
    "query",
    [
        {"lr": "banana", "blocks": "9", "f1": "7", "view": "<b>x</b>"},
        {"data": "cifar", "kernel": "4", "seed": "-3", "batch": "1e9", "opt": ""},
        {"dropout": "0.9", "pool": "min", "f2": "1000", "augment": "yes", "seed": "nan"},
    ],
)
def test_bad_url_values_are_clamped_and_noted(query):
    at = ok(app_test(PAGE, query).run())
    assert "adjusted" in at.info[0].value
    assert trainer(at).step == 0


def test_drawing_a_shape_is_resized_to_28x28(at):
    ok(at.radio(key=state.TRAIN_DATASET).set_value("shapes").run())
    at.session_state[state.TRAIN_VIEW] = "draw"
    ok(at.run())
    png = drawing_png("+")
    at.session_state[state.TRAIN_CANVAS] = canvas_state(png)
    ok(at.run())
    expected = preprocess.toy_shape(np.asarray(Image.open(io.BytesIO(png))))
    np.testing.assert_array_equal(trace_values(chart_titled(at, "28 × 28 input")), expected)
    assert "The network says" in markdown(at)
