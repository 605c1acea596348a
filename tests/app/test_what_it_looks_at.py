"""AppTest for lesson 9: which network is explained, every view and its controls, a drawing and
an upload, the quiz, the code panel, and the link (restored, and clamped when it is bad)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnviz.data import datasets, own_classes, starter_set
from cnnviz.data.pretrained import load_pretrained
from cnnviz.data.pretrained_digits import load_digits_cnn
from cnnviz.explain import gradcam, occlusion, saliency
from cnnviz.lessons import what_it_looks_at as lesson
from cnnviz.lessons.train_a_cnn import RUN_KEY
from cnnviz.lessons.your_own_classes.settings import RUNS_KEY
from cnnviz.lessons.your_own_classes.state import TrainingData
from cnnviz.nn import transfer
from cnnviz.nn.session import RunSettings, TrainingRun
from tests.app.conftest import (
    app_test,
    chart_titled,
    code_panel,
    open_code_panel,
    texts,
    trace_values,
)
from tests.app.test_train_a_cnn import canvas_state, drawing_png
from tests.conftest import plotly_array

PAGE = "pages/9_What_It_Looks_At.py"


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown(at) -> str:
    return "\n".join(texts(at, "markdown"))


def show(at, view: str):
    return ok(at.segmented_control(key=lesson.VIEW.key).set_value(view).run())


def test_the_shipped_network_through_every_view_and_control():
    at = ok(app_test(PAGE).run())
    model, info = load_digits_cnn()
    data = datasets.digits_dataset()
    x = data.x_test[0:1]
    assert at.title[0].value.startswith("9 · What does the network look at?")
    assert "The shipped pre-trained network" in markdown(at)
    assert any("You have not trained a network in lesson 7 or 8" in c.value for c in at.caption)
    assert f"{100 * info['test_accuracy']:.1f} % right" in markdown(at)
    assert len(at.radio) == 1  # the example's source: with one network there is no chooser
    example = chart_titled(at, "Test image 0 (8 × 8)")["data"][0]
    assert example.get("texttemplate")  # its 8 × 8 values are printed (they fit its column)
    # receptive field: the table's row and the box of conv2 unit (1, 1)
    assert "| conv2 | 3 | 1 | 1 | 1 | 4 | 2 | **8** |" in markdown(at)
    assert "rows −1 to 6" in markdown(at)  # the full field reaches into the padding
    chart_titled(at, "What conv2 unit (1, 1) can see")
    gradient = trace_values(chart_titled(at, "∂ conv2(1, 1) / ∂ input"))
    assert np.all(gradient[7] == 0) and np.all(gradient[:, 7] == 0)  # outside the box: 0
    ok(at.selectbox(key=lesson.LAYER.key).set_value("pool2").run())
    assert "**10**" in markdown(at)
    # saliency: the map is the engine's gradient, the checked pixel agrees with it
    show(at, "saliency")
    expected = saliency.saliency(model, x, int(np.argmax(model.forward(x))))
    shown = trace_values(chart_titled(at, "∂ score(0) / ∂ pixel"))
    np.testing.assert_allclose(shown, expected.gradient[0], rtol=1e-3, atol=1e-3)
    ok(at.slider(key="look_pixel_row").set_value(5).run())
    assert "Checked on pixel (5, 4)" in markdown(at)
    # occlusion: the count of forward passes follows the sliders (lesson 4's formula)
    show(at, "occlusion")
    assert "**49 occluded copies**" in markdown(at) and "**50 images**" in markdown(at)
    ok(at.slider(key=lesson.PATCH.key).set_value(3).run())
    ok(at.slider(key=lesson.STRIDE.key).set_value(2).run())
    assert "3 × 3 = **9 occluded copies**" in markdown(at)
    drop = occlusion.occlusion(model, x, 0, 3, 2).drop
    shown = trace_values(chart_titled(at, "Drop of P(0)"))
    np.testing.assert_allclose(shown, 100 * drop, atol=1e-3)
    # Grad-CAM: each stage drawn; nearest upsampling on demand
    show(at, "gradcam")
    cam = gradcam.grad_cam(model, x, 0)
    alpha = chart_titled(at, "α per channel")["data"][0]
    np.testing.assert_allclose(plotly_array(alpha["y"]), cam.alpha, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(trace_values(chart_titled(at, "ReLU(Σ α·A)")), cam.cam, atol=1e-3)
    ok(at.radio(key="look_interp").set_value("nearest").run())
    # what a filter wants: conv1 by default, then conv2 (mean) and a class
    show(at, "filter")
    chart_titled(at, "The input filter 0 of conv1 wants")
    ok(at.selectbox(key="look_filter_layer").set_value("conv2").run())
    ok(at.slider(key="look_filter").set_value(15).run())
    ok(at.radio(key="look_where").set_value("mean").run())
    chart_titled(at, "conv2 filter 15: 8 × 3 × 3 weights")
    ok(at.selectbox(key="look_filter_layer").set_value("dense").run())
    chart_titled(at, "The input 9 wants")  # the filter slider clamps to the 10 classes
    # fool it: no pixel moves by more than ε, the flip is found and surveyed
    show(at, "fool")
    ok(at.slider(key=lesson.EPS.key).set_value(0.3).run())
    change = trace_values(chart_titled(at, "The change x′ − x"))
    assert np.abs(change).max() <= 0.3 + 1e-6
    assert "flips from 0 to" in markdown(at)
    assert "smallest ε that flips it" in markdown(at) and "not robust" in markdown(at)
    assert at.query_params["view"] == "fool" and at.query_params["eps"] == "0.3"
    # the quiz asks about the view on screen first (FGSM's ε), then the receptive field of
    # pool2 (the layer chosen above); and the code that ran
    assert "FGSM nudges the image with ε = 0.3" in markdown(at)
    ok(at.number_input[0].set_value(0.3).run())
    assert at.success and "Right!" in at.success[0].value
    show(at, "field")
    assert "unit of pool2" in markdown(at)
    ok(at.number_input[0].set_value(10).run())
    assert at.success and "Right!" in at.success[0].value
    show(at, "fool")
    open_code_panel(at)
    assert "def fgsm(" in code_panel(at) and "def fgsm_sweep(" in code_panel(at)


def test_the_learners_lesson_7_network_is_explained_and_never_changed():
    run = TrainingRun.start(RunSettings(), datasets.digits_dataset())
    run.train(max_steps=30)
    before = {k: v.copy() for k, v in run.model.params.items()}
    at = app_test(PAGE)
    at.session_state[RUN_KEY] = run
    ok(at.run())
    assert at.radio(key=lesson.NETWORK.key).value == "yours"
    assert "Your network from lesson 7" in markdown(at) and "30 steps" in markdown(at)
    for view in lesson.VIEWS:
        show(at, view)
    x = run.data.x_test[0:1]
    answer = int(np.argmax(run.model.forward(x)))
    name = run.data.class_names[answer]
    assert f"The network says **{name}**" in markdown(at)
    assert all(np.array_equal(before[k], v) for k, v in run.model.params.items())
    ok(at.radio(key=lesson.NETWORK.key).set_value("shipped").run())
    assert "Explained here: **The shipped pre-trained network**" in markdown(at)


def test_a_diverged_lesson_7_network_is_refused_with_a_note():
    run = TrainingRun.start(RunSettings(), datasets.digits_dataset())
    run.train(max_steps=2)
    run.model.params["conv1.w"][0, 0, 0, 0] = np.nan  # what a diverged step leaves behind
    at = app_test(PAGE)
    at.session_state[RUN_KEY] = run
    ok(at.run())
    assert "Your lesson-7 network diverged" in at.warning[0].value
    assert "The shipped pre-trained network" in markdown(at)
    for view in lesson.VIEWS:  # every view explains the shipped network instead
        show(at, view)


def test_a_28_by_28_network_gets_a_numeric_inspector_where_its_maps_print_nothing():
    data = datasets.shapes_dataset(60, 20, np.random.default_rng(0))
    run = TrainingRun.start(RunSettings(dataset="shapes"), data)
    run.train(max_steps=3)
    at = app_test(PAGE, {"view": "saliency", "prow": "14", "pcol": "2"})
    at.session_state[RUN_KEY] = run
    ok(at.run())
    x = data.x_test[0:1]
    k = int(np.argmax(run.model.forward(x)))
    gradient = saliency.saliency(run.model, x, k).gradient[0]
    assert "text" not in chart_titled(at, "∂ score(")["data"][0]  # 28 wide: nothing printed
    window = chart_titled(at, "∂ score / ∂ pixel: rows 11–17, columns 0–6")
    assert "text" in window["data"][0]
    shown = trace_values(window) * 10.0 ** _unit_exponent(window)
    np.testing.assert_allclose(shown, gradient[11:18, 0:7], rtol=1e-3, atol=1e-6)
    show(at, "occlusion")
    chart_titled(at, "Drop: rows")
    show(at, "field")
    chart_titled(at, "∂ unit / ∂ input: rows")


def _unit_exponent(figure) -> int:
    """The power of ten a signed map's title names ("(× 10⁻²)"), 0 when none."""
    title = figure["layout"]["title"]["text"]
    if "× 10" not in title:
        return 0
    digits = title.split("× 10")[1].split(")")[0]
    return int(digits.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))


def test_a_drawing_an_upload_and_a_bad_file_are_explained_or_refused():
    at = ok(app_test(PAGE).run())
    ok(at.radio(key=lesson.SOURCE.key).set_value("draw").run())
    assert "Until there is one" in "\n".join(texts(at, "caption"))
    at.session_state[lesson.CANVAS_KEY] = canvas_state(drawing_png("1"))
    ok(at.run())
    chart_titled(at, "Your drawing (8 × 8)")
    ok(at.radio(key=lesson.SOURCE.key).set_value("upload").run())
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("seven.png", drawing_png("7"), "image/png"))
    ok(at.run())
    chart_titled(at, "Your image (8 × 8)")
    ok(at.selectbox(key=lesson.CLASS.key).set_value(3).run())
    assert "Every view explains class **3**" in markdown(at)
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("x.png", b"not an image", "image/png"))
    ok(at.run())
    assert "could not be used" in texts(at, "error")[0]
    chart_titled(at, "Test image 0 (8 × 8)")  # the views go on with a test image


def test_a_shared_link_restores_the_view():
    query = {"view": "occlusion", "patch": "3", "stride": "2", "example": "5", "class": "4"}
    at = ok(app_test(PAGE, query).run())
    assert "3 × 3 = **9 occluded copies**" in markdown(at)
    assert "A 3 × 3 grey patch slides over the 8 × 8 image with stride 2" in markdown(at)
    chart_titled(at, "Test image 5 (8 × 8)")
    assert "Every view explains class **4**" in markdown(at)
    assert at.query_params["patch"] == "3" and at.query_params["example"] == "5"


@pytest.mark.parametrize(
    "query, note",
    [
        ({"view": "nonsense", "eps": "abc"}, "not a choice for view"),
        ({"example": "9999", "patch": "99", "view": "occlusion"}, "The link asked for example"),
        ({"class": "42"}, "The link asked for class 42"),
        ({"layer": "pool4"}, "does not have; using pool2"),
        ({"net": "transfer"}, "The link asked for your transfer network from lesson 8"),
    ],
)
def test_bad_link_values_are_clamped_and_noted(query, note):
    at = ok(app_test(PAGE, query).run())
    assert any(note in text for text in texts(at, "info")), texts(at, "info")


def lesson_8_runs(steps: int) -> dict[str, TrainingRun]:
    """Lesson 8's two runs, built as its state and train modules build them (RGB, 3 classes)."""
    classes = starter_set.starter_classes(("star", "heart", "arrow"), 6, seed=0)
    own = own_classes.build_dataset(classes, 3, 2, 0, "auto")
    data = TrainingData(own, own.x_train, own.y_train, 0, "test")
    settings = RunSettings(dataset="test", blocks=3, filters=(16, 32, 64), optimizer="adam",
                           lr=0.01, batch_size=12, seed=0)  # fmt: skip
    model = transfer.transfer_network(
        load_pretrained()[0], data.input_shape, 3, np.random.default_rng(0)
    )
    frozen = transfer.frozen_plan(model.config).frozen
    runs = {
        "scratch": TrainingRun.start(settings, data),
        "transfer": TrainingRun.start(settings, data, model=model, frozen=frozen),
    }
    runs["transfer"].train(max_steps=steps)
    return runs  # the scratch run has not trained: it is not offered


def test_lesson_8s_transfer_network_on_held_out_drawn_and_uploaded_rgb_examples():
    runs = lesson_8_runs(steps=3)
    model, data = runs["transfer"].model, runs["transfer"].data
    at = app_test(PAGE)
    at.session_state[RUNS_KEY] = runs
    ok(at.run())
    assert at.radio(key=lesson.NETWORK.key).value == "transfer"
    assert at.radio(key=lesson.NETWORK.key).options == [
        "Your transfer network from lesson 8",
        "The shipped pre-trained digits network",
    ]
    assert "trained for 3 steps on your classes (star, heart, arrow)" in markdown(at)
    assert not any("You have not trained" in c.value for c in at.caption)
    x = data.x_test[0:1]
    k = int(np.argmax(model.forward(x)))
    assert f"Every view explains class **{data.class_names[k]}**" in markdown(at)
    assert chart_titled(at, "Held-out example 0 (32 × 32)")["data"][0]["type"] == "image"
    for view in lesson.VIEWS:
        show(at, view)
    assert "| held-out example | class (answered right) |" in markdown(at)  # Fool it's survey
    cam = gradcam.grad_cam(model, x, k)  # relu3 of the transfer net: 64 maps of 8 × 8
    show(at, "gradcam")
    bars = chart_titled(at, "α per channel")  # in units of 10^n, named in its title
    shown = plotly_array(bars["data"][0]["y"]) * 10.0 ** _unit_exponent(bars)
    np.testing.assert_allclose(shown, cam.alpha, rtol=1e-4, atol=1e-9)
    assert chart_titled(at, "Upsampled 8 × 8 → 32 × 32")["data"][0]["type"] == "image"
    ok(at.radio(key=lesson.SOURCE.key).set_value("upload").run())
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("star.png", drawing_png("7"), "image/png"))
    ok(at.run())
    chart_titled(at, "Your image (32 × 32)")
    for view in lesson.VIEWS:
        show(at, view)
    ok(at.radio(key=lesson.SOURCE.key).set_value("draw").run())
    at.session_state[lesson.CANVAS_KEY] = canvas_state(drawing_png("1"))
    ok(at.run())
    chart_titled(at, "Your drawing (32 × 32)")
    for view in lesson.VIEWS:
        show(at, view)
    assert any(name in markdown(at) for name in ("star", "heart", "arrow"))
