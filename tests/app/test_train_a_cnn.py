"""AppTest for lesson 7: configure, play (ticks are reruns), pause, step, reset, change the
architecture mid-way, diverge and recover, draw, upload images and weights, URL state."""

from __future__ import annotations

import base64
import io
import json
import re

import cv2
import numpy as np
import pyarrow as pa
import pytest
from PIL import Image

from cnnviz import nn
from cnnviz.data import datasets, preprocess
from cnnviz.lessons import train_a_cnn as lesson
from cnnviz.nn.session import RunSettings, TrainingRun
from cnnviz.viz import matrices
from cnnviz.viz import train_a_cnn as figures
from cnnviz.viz import train_a_cnn_live as live_figures
from tests.app.conftest import (
    app_test,
    chart_titled,
    charts,
    code_panel,
    open_code_panel,
    texts,
    trace_values,
)

PAGE = "pages/7_Train_a_CNN.py"


def vega_titled(at, title: str) -> tuple[dict, dict[str, list[dict]]]:
    """The live Vega-Lite chart whose title starts with ``title``: its spec and its datasets."""
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if spec.get("title", {}).get("text", "").startswith(title):
            data = {
                d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist()
                for d in element.proto.datasets
            }
            return spec, data
    raise AssertionError(f"no live chart titled {title!r}")


def tile(cells: list[dict], number: int, k: int = 3) -> np.ndarray:
    """Filter ``number`` (1-based) of a live filter grid's cells as a (k, k) array."""
    out = np.full((k, k), np.nan)
    for cell in cells:
        if cell["filter"] == number:
            out[cell["row"], cell["col"]] = cell["w"]
    return out


def trainer(at) -> TrainingRun:
    return at.session_state[lesson.RUN_KEY]


def markdown(at) -> str:
    return "\n".join(texts(at, "markdown"))


def latex_of(element) -> str:
    """The LaTeX source of an ``st.latex`` element (Streamlit wraps it in $$ … $$)."""
    return element.value.strip().removeprefix("$$").removesuffix("$$").strip()


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at, key: str):
    return ok(at.button(key=key).click().run())


def play_control(at):
    return at.segmented_control(key=lesson.PLAYING_KEY)


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
    spec, data = vega_titled(at, "conv1: 8 filters of 3×3×1")
    assert spec["layer"][1]["encoding"]["text"]["format"] == ".2f"  # d3 prints a real minus
    for n in range(8):
        np.testing.assert_allclose(
            tile(data["weights"], n + 1), t.model.params["conv1.w"][n, 0], rtol=1e-6
        )
    # every layer of the chosen test image, up to the softmax, shaped H × W × C as in the table
    for title in (
        "input (8 × 8 × 1)",
        "conv1 (8 × 8 × 8)",
        "relu1 (8 × 8 × 8)",
        "pool1 (4 × 4 × 8)",
        "conv2 (4 × 4 × 16)",
        "pool2 (2 × 2 × 16)",
        "flatten: 64",
        "dense: scores",
        "softmax: probabilities",
    ):
        chart_titled(at, title)
    assert "| 4 × 4 × 8 |" in markdown(at)  # pool1 in the architecture table
    assert at.query_params["lr"] == "0.01" and at.query_params["f1"] == "8"


def test_conv1_weights_are_printed_only_where_they_fit_a_phone(at):
    """Item 23: on a 390 px phone the numbers must not overlap (a legible font in each cell)."""
    spec, data = vega_titled(at, "conv1: 8 filters of 3×3×1")
    wide = spec["layer"][0]["encoding"]["x"]["scale"]["domain"][1]
    assert wide == 7  # two 3×3 tiles a row: what fits 358 px of phone
    weights = [cell["w"] for cell in data["weights"]]
    longest = max(len(matrices.format_number(v, 2)) for v in weights)
    assert matrices.text_fits(wide, figures.PHONE_WIDTH_PX, longest, margins_px=16)
    font = spec["layer"][1]["mark"]["fontSize"]
    cell_px = spec["width"] / wide
    assert font >= matrices.MIN_FONT_PX
    assert longest * matrices.CHAR_WIDTH_EM * font <= cell_px  # the text fits its cell
    # 32 filters cannot be printed legibly in a short chart: hover only, no overlapping text
    ok(at.select_slider(key=lesson.FILTERS[0].key).set_value("32").run())
    spec, _ = vega_titled(at, "conv1: 32 filters")
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect"]


def test_the_page_shows_the_rule_of_the_optimiser_that_runs(at):
    """Item 5: Adam by default, its own formulas; SGD's rule is named plain SGD."""
    assert "**plain SGD**" in markdown(at) and "w ← w − η · dL/dw" in markdown(at)
    rules = "\n".join(latex.value for latex in at.latex)
    assert isinstance(trainer(at).optimizer, nn.optim.Adam)
    assert "The update rule that runs: Adam" in markdown(at)
    assert r"\hat m" in rules and r"\beta_2 = 0.999" in rules and "10^{-8}" in rules
    assert r"w &\leftarrow w - \eta\,\frac{\partial L}{\partial w} &&" not in rules
    ok(at.radio(key=lesson.OPTIMIZER.key).set_value("momentum").run())
    rules = "\n".join(latex.value for latex in at.latex)
    assert r"v &\leftarrow \mu\, v - \eta" in rules and r"\mu = 0.9" in rules
    assert isinstance(trainer(at).optimizer, nn.optim.Momentum)
    ok(at.radio(key=lesson.OPTIMIZER.key).set_value("sgd").run())
    rules = "\n".join(latex.value for latex in at.latex)
    assert r"w &\leftarrow w - \eta\,\frac{\partial L}{\partial w}" in rules
    assert r"\hat m" not in rules and "The update rule that runs: SGD" in markdown(at)


def test_the_text_follows_the_data_set(at):
    """Items 9 and 20: class count and words follow the data set; the writers caveat."""
    text = markdown(at)
    assert "10 probabilities, one per\n   digit" in text or "10 probabilities, one per digit" in (
        " ".join(text.split())
    )
    assert "written by just 13 people" in text and "optimistic" in text
    ok(at.radio(key=lesson.DATASET.key).set_value("shapes").run())
    text = " ".join(markdown(at).split())
    assert "6 probabilities, one per shape" in text
    assert "10 probabilities" not in text and "digits it has never seen" not in text
    assert "shapes it has never seen" in text and "13 people" not in text


def test_the_loss_axis_labels_read_as_their_values(at):
    """Item 21: no bare "5" or "2" between 1 and 0.1 on the log axis."""
    play_ticks(at, 3)
    set_playing(at, "pause")
    spec, data = vega_titled(at, "Loss")
    y = spec["layer"][0]["encoding"]["y"]
    # d3's "~g" labels each tick with its value ("0.5", "2"), never a bare mantissa
    assert y["scale"]["type"] == "log" and y["axis"]["format"] == "~g"
    t = trainer(at)
    plotted = [row["value"] for row in data["train"]]
    steps, losses = live_figures.binned(
        np.array(t.history.step), np.array(t.history.loss), live_figures.MAX_CURVE_POINTS
    )
    np.testing.assert_allclose(plotted, losses, rtol=1e-6)  # the run's own losses, averaged
    assert [row["step"] for row in data["train"]] == steps.tolist()


def test_play_trains_in_slices_and_pause_stops(at):
    click(at, lesson.STEP_BUTTON)
    assert "images/s" not in markdown(at)  # one Step measures no throughput (item 29)
    play_ticks(at, 6)
    t = trainer(at)
    assert play_control(at).value == "play"
    assert t.step > 20 and t.history.offered == t.step  # every step reached the history
    assert t.history.step[0] == 1 and len(t.history) <= t.history.cap  # bounded, from step 1
    assert t.tests.step, "the test set is evaluated while playing"
    assert "images/s" in markdown(at) and f"**Step {t.step:,}**" in markdown(at)
    _, data = vega_titled(at, "Loss")
    steps, _ = live_figures.binned(
        np.array(t.history.step), np.array(t.history.loss), live_figures.MAX_CURVE_POINTS
    )
    assert [row["step"] for row in data["train"]] == steps.tolist()  # the run's train loss
    _, data = vega_titled(at, "Accuracy")
    assert [row["step"] for row in data["test"]] == t.tests.step
    set_playing(at, "pause")
    paused_at = trainer(at).step
    for _ in range(3):
        ok(at.run())
    assert trainer(at).step == paused_at and play_control(at).value == "pause"


def test_digits_reach_ninety_percent_test_accuracy(at):
    set_playing(at, "play")
    for _ in range(40):  # at most 40 ticks; each trains a fair slice of CPU time
        ok(at.run())
        if trainer(at).evaluation.accuracy > 0.9:
            break
    assert trainer(at).evaluation.accuracy > 0.9


def test_step_trains_one_batch_and_shows_the_update(at):
    at.radio(key=lesson.OPTIMIZER.key).set_value("sgd").run()
    at.select_slider(key=lesson.LR.key).set_value("0.1").run()
    at.session_state[lesson.VIEW.key] = "step"
    ok(at.run())
    assert "No training step" in "\n".join(texts(at, "info"))
    click(at, lesson.STEP_BUTTON)
    t = trainer(at)
    assert t.step == 1 and t.evaluation is not None and t.tests.step == [1]
    assert "images/s" not in markdown(at)  # a single Step: no throughput figure
    step = nn.filter_step(t.model, t.optimizer, "conv1", 0)
    np.testing.assert_allclose(step.w_after, step.w_before - 0.1 * step.grad, atol=1e-6)
    np.testing.assert_allclose(trace_values(chart_titled(at, "dL/dw")), step.grad[0], rtol=1e-5)
    formula = latex_of(at.latex[-1])
    exponent, decimals = figures.unit_format(step.w_after[0])
    w_after = figures.scaled_latex(float(step.w_after[0, 0, 0]), exponent, decimals)
    assert r"\Delta w &= -\eta" in formula and formula.endswith(f"= {w_after}\\end{{aligned}}")
    # the quiz asks for exactly this update
    at.session_state[lesson.QUIZ_KEY] = 3
    ok(at.run())
    assert "Plain SGD with learning rate η = 0.1" in markdown(at)


def step_view_after_one_sgd_step(at, lr: str):
    at.radio(key=lesson.OPTIMIZER.key).set_value("sgd").run()
    at.select_slider(key=lesson.LR.key).set_value(lr).run()
    at.session_state[lesson.VIEW.key] = "step"
    ok(at.run())
    click(at, lesson.STEP_BUTTON)
    return nn.filter_step(trainer(at).model, trainer(at).optimizer, "conv1", 0)


def test_tiny_changes_print_as_the_equation_writes_them(at):
    """Item 29: the change tile never shows 0.0000 while the equation says −4.6×10⁻⁵."""
    step = step_view_after_one_sgd_step(at, "0.001")
    tile = chart_titled(at, "change")
    exponent, decimals = figures.unit_format(step.update[0])
    assert exponent < -2 and tile["layout"]["title"]["text"] == "change" + figures.unit_title(
        exponent
    )
    text = np.asarray(tile["data"][0]["text"], dtype=object)
    assert text[0, 0] == figures.scaled_text(float(step.update[0, 0, 0]), exponent, decimals)
    assert all(t not in ("0.0000", "−0.0000", "0") for t in text.ravel() if t), text
    formula = latex_of(at.latex[-1])
    latex = figures.scaled_latex(float(step.update[0, 0, 0]), exponent, decimals)
    assert rf"= {latex}" in formula and latex.replace("-", "−").startswith(text[0, 0][:2])


def test_the_step_equation_is_broken_over_short_lines(at):
    """Item 25: at 1366 px the one-line equation was cut at "= (": one step per line now."""
    for optimizer in ("adam", "momentum", "sgd"):
        ok(at.radio(key=lesson.OPTIMIZER.key).set_value(optimizer).run())
        at.session_state[lesson.VIEW.key] = "step"
        click(at, lesson.STEP_BUTTON)
        formula = latex_of(at.latex[-1])
        assert formula.startswith(r"\begin{aligned}") and formula.endswith(r"\end{aligned}")
        lines = formula.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
        for line in lines.split(r"\\"):
            assert rendered_length(line) <= 36, line  # fits a phone, let alone a laptop


def rendered_length(latex: str) -> int:
    """About how many characters a LaTeX line shows: a fraction of symbols counts as 3 (a few
    characters wide, stacked), a command as 1; braces, alignment marks and spaces as 0."""
    text = re.sub(r"\\frac\{[^{}]*\}\{[^{}]*\}", "fff", latex)
    text = re.sub(r"\\frac\{.*?\}\{.*?\}\}", "fff", text)
    text = re.sub(r"\\[a-zA-Z]+", "x", text)
    return len(re.sub(r"[{}&\s,\\]", "", text))


def test_the_sgd_quiz_accepts_the_honest_answer_from_the_shown_numbers(at):
    """Item 3: at learning rate 10 the answer computed from the shown, rounded numbers is right."""
    step_view_after_one_sgd_step(at, "10")
    at.session_state[lesson.QUIZ_KEY] = 3
    ok(at.run())
    prompt = next(m for m in texts(at, "markdown") if m.startswith("Plain SGD"))
    w, g = (float(x.replace("−", "-")) for x in re.findall(r"is (−?\d+(?:\.\d+)?)", prompt))
    honest = round(w - 10 * g, 4)
    guess = next(n for n in at.number_input if n.key.startswith(f"{lesson.QUIZ_KEY}_guess"))
    ok(guess.set_value(honest).run())
    assert any(s.startswith("Right!") for s in texts(at, "success")), texts(at, "warning")


def test_reset_gives_fresh_weights_and_an_empty_history(at):
    click(at, lesson.STEP_BUTTON)
    click(at, lesson.STEP_BUTTON)
    assert trainer(at).step == 2
    click(at, lesson.RESET_BUTTON)
    t = trainer(at)
    assert t.step == 0 and t.history.loss == [] and t.tests.step == []
    assert "Reset" in "\n".join(texts(at, "info"))
    fresh = nn.TinyCNN.create(t.model.config, np.random.default_rng(0))
    np.testing.assert_array_equal(t.model.params["conv1.w"], fresh.params["conv1.w"])


def test_changing_the_architecture_mid_way_starts_over_with_a_message(at):
    play_ticks(at, 2)
    assert trainer(at).step > 0
    ok(at.select_slider(key=lesson.FILTERS[0].key).set_value("4").run())
    t = trainer(at)
    assert t.step == 0 and t.model.config.filters == (4, 16)
    assert play_control(at).value == "pause"
    assert "starts over" in "\n".join(texts(at, "info"))
    ok(at.slider(key=lesson.BLOCKS.key).set_value(3).run())
    assert trainer(at).model.config.filters == (4, 16, 32)
    chart_titled(at, "conv3: 32 filters of 3×3×16")
    ok(at.selectbox(key=lesson.KERNEL.key).set_value("5").run())
    ok(at.selectbox(key=lesson.POOL.key).set_value("avg").run())
    assert trainer(at).model.config.kernel_size == 5 and trainer(at).model.config.pool == "avg"
    assert at.query_params["blocks"] == "3" and at.query_params["pool"] == "avg"


def test_changing_training_settings_keeps_the_weights(at):
    click(at, lesson.STEP_BUTTON)
    weights = trainer(at).model.params["conv1.w"].copy()
    ok(at.select_slider(key=lesson.LR.key).set_value("0.001").run())
    assert "continues from the current weights" in "\n".join(texts(at, "info"))
    ok(at.select_slider(key=lesson.BATCH.key).set_value("64").run())
    ok(at.selectbox(key=lesson.AUGMENT.key).set_value("shift").run())
    ok(at.select_slider(key=lesson.DROPOUT.key).set_value("0.5").run())
    t = trainer(at)
    assert t.step == 1 and t.optimizer.lr == 0.001
    np.testing.assert_array_equal(t.model.params["conv1.w"], weights)
    assert t.model.config.dropout == 0.5
    click(at, lesson.STEP_BUTTON)
    assert trainer(at).step == 2 and trainer(at).history.loss[-1] > 0


def test_a_diverging_learning_rate_is_a_note_not_a_crash_and_reset_recovers(at):
    at.radio(key=lesson.OPTIMIZER.key).set_value("sgd").run()
    ok(at.select_slider(key=lesson.LR.key).set_value("100").run())
    play_ticks(at, 4)
    t = trainer(at)
    assert t.diverged and play_control(at).value == "pause"
    warning = "\n".join(texts(at, "warning"))
    assert "Training diverged" in warning and "smaller learning rate" in warning
    assert play_control(at).disabled
    _, data = vega_titled(at, "Loss")
    assert data["diverged"] == [{"step": t.diverged_step}], "the divergence is marked"
    assert "Reset above" in "\n".join(texts(at, "info"))
    ok(at.select_slider(key=lesson.LR.key).set_value("0.01").run())
    click(at, lesson.RESET_BUTTON)
    assert not trainer(at).diverged and not at.warning
    click(at, lesson.STEP_BUTTON)
    assert np.isfinite(trainer(at).history.loss[-1])


def test_a_visible_button_clears_the_drawing(at):
    """Item 28: not only the canvas's hover toolbar: a Clear button gives a blank canvas."""
    at.session_state[lesson.VIEW.key] = "draw"
    ok(at.run())
    at.session_state[lesson.CANVAS_KEY] = canvas_state(drawing_png("1"))
    ok(at.run())
    assert "The network says" in markdown(at)
    assert at.button(key=lesson.CLEAR_BUTTON).label == "Clear the drawing"
    click(at, lesson.CLEAR_BUTTON)
    assert "Nothing drawn yet." in "\n".join(texts(at, "caption"))
    assert "The network says" not in markdown(at)
    assert at.session_state[lesson.CANVAS_CLEARS] == 1
    at.session_state[f"{lesson.CANVAS_KEY}_1"] = canvas_state(drawing_png("7"))
    ok(at.run())
    assert "The network says" in markdown(at)  # the new canvas draws as before


def test_the_verdict_and_counts_read_correctly(at):
    """Item 29: "wrong, it is a 0." (one full stop) and "1 test image" (singular)."""
    verdicts = []
    for index in range(6):
        at.session_state[lesson.IMAGE_KEY] = index
        ok(at.run())
        verdicts += [m for m in texts(at, "markdown") if m.startswith("The network says")]
    assert verdicts and all(v.endswith(".") and not v.endswith("..") for v in verdicts)
    assert any(re.search(r" — wrong, it is a \d\.$", v) for v in verdicts), verdicts
    at.session_state[lesson.VIEW.key] = "confusion"
    ok(at.run())
    confusion = trainer(at).evaluation.confusion
    true, predicted = (int(i[0]) for i in np.nonzero(confusion == 1))
    at.session_state[lesson.CELL_KEY] = (true, predicted)
    ok(at.run())
    chart_titled(at, f"1 test image: true {true}, predicted {predicted}")


def test_drawing_a_digit_sends_its_8x8_counts_through_the_network(at):
    at.session_state[lesson.VIEW.key] = "draw"
    ok(at.run())
    assert "Nothing drawn yet." in "\n".join(texts(at, "caption"))
    png = drawing_png("1")
    at.session_state[lesson.CANVAS_KEY] = canvas_state(png)
    ok(at.run())
    expected = preprocess.uci_digit(np.asarray(Image.open(io.BytesIO(png)))).counts
    np.testing.assert_array_equal(trace_values(chart_titled(at, "8 × 8 counts")), expected)
    assert "The network says" in markdown(at)
    chart_titled(at, "softmax: probabilities")
    assert "uci_digit" in code_panel(open_code_panel(at))  # the NumPy behind it


def test_uploading_an_image_or_bad_bytes(at):
    at.session_state[lesson.VIEW.key] = "draw"
    ok(at.run())
    ok(at.radio(key=lesson.SOURCE.key).set_value("upload").run())
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("seven.png", drawing_png("7"), "image/png"))
    ok(at.run())
    chart_titled(at, "8 × 8 counts")
    assert "The network says" in markdown(at)
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("x.png", b"not an image", "image/png"))
    ok(at.run())
    assert "could not be used" in "\n".join(texts(at, "error"))
    blank = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(blank, format="PNG")
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("blank.png", blank.getvalue(), "image/png"))
    ok(at.run())
    assert "no ink" in "\n".join(texts(at, "warning"))


def test_the_confusion_matrix_and_a_chosen_cell(at):
    play_ticks(at, 3)
    set_playing(at, "pause")
    at.session_state[lesson.VIEW.key] = "confusion"
    ok(at.run())
    t = trainer(at)
    figure = chart_titled(at, "Confusion matrix")
    mistakes, right = (trace_values(figure, "z"), None)
    assert mistakes.shape == (10, 10)
    diagonal = np.diag(t.evaluation.confusion)
    np.testing.assert_array_equal(np.diag(plotly_z(figure, 1)), diagonal)
    assert right is None
    at.session_state[lesson.CELL_KEY] = (3, 3)
    ok(at.run())
    assert any(f["layout"]["title"]["text"].endswith("true 3, predicted 3") for f in charts(at))
    wrong = int((t.evaluation.predictions != datasets.digits_dataset().y_test).sum())
    verb = "is" if wrong == 1 else "are"
    assert f"**{wrong} of 359 test images {verb} misclassified.**" in markdown(at)


def plotly_z(figure: dict, trace: int) -> np.ndarray:
    from tests.conftest import plotly_array

    return plotly_array(figure["data"][trace]["z"])


def test_weights_download_and_upload_good_and_bad(at):
    download = at.get("download_button")[0]
    assert download.proto.label.startswith("Download the weights")
    other = nn.TinyCNN.create(nn.CNNConfig(filters=(4,), kernel_size=5), np.random.default_rng(3))
    at.file_uploader(key=lesson.WEIGHTS_UPLOAD_KEY).set_value(
        ("mine.npz", nn.save(other), "application/octet-stream")
    )
    ok(at.run())
    t = trainer(at)
    assert t.model.config.filters == (4,) and t.model.config.kernel_size == 5
    np.testing.assert_array_equal(t.model.params["conv1.w"], other.params["conv1.w"])
    assert at.slider(key=lesson.BLOCKS.key).value == 1
    assert "Loaded **mine.npz**" in "\n".join(texts(at, "info"))
    click(at, lesson.STEP_BUTTON)  # continue training the loaded weights
    assert trainer(at).step == 1
    at.file_uploader(key=lesson.WEIGHTS_UPLOAD_KEY).set_value(("bad.npz", b"PK\x03\x04junk", "x"))
    ok(at.run())
    assert "could not be loaded" in "\n".join(texts(at, "info"))
    assert trainer(at).model.config.filters == (4,)  # nothing changed
    odd = nn.TinyCNN.create(nn.CNNConfig(filters=(3, 5)), np.random.default_rng(0))
    at.file_uploader(key=lesson.WEIGHTS_UPLOAD_KEY).set_value(("odd.npz", nn.save(odd), "x"))
    ok(at.run())
    assert "cannot build (input 8 × 8 × 1," in "\n".join(texts(at, "info"))  # H × W × C


def test_shapes_data_set_trains(at):
    ok(at.radio(key=lesson.DATASET.key).set_value("shapes").run())
    t = trainer(at)
    assert t.model.config.input_shape == (1, 28, 28) and t.model.config.n_classes == 6
    play_ticks(at, 2)
    assert trainer(at).step > 0
    chart_titled(at, "conv1 (28 × 28 × 8)")  # large maps: hover, not printed
    assert "texttemplate" not in chart_titled(at, "conv1 (28 × 28 × 8)")["data"][0]


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
    assert t.settings.optimizer == "sgd" and t.settings.lr == 0.1 and t.settings.batch_size == 16
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
    ok(at.radio(key=lesson.DATASET.key).set_value("shapes").run())
    at.session_state[lesson.VIEW.key] = "draw"
    ok(at.run())
    png = drawing_png("+")
    at.session_state[lesson.CANVAS_KEY] = canvas_state(png)
    ok(at.run())
    expected = preprocess.toy_shape(np.asarray(Image.open(io.BytesIO(png))))
    np.testing.assert_array_equal(trace_values(chart_titled(at, "28 × 28 input")), expected)
    assert "The network says" in markdown(at)


def constant(latex: str, name: str) -> float:
    """A constant the rule prints, e.g. ``\\beta_2 = 0.999`` or ``\\epsilon = 10^{-8}``."""
    match = re.search(re.escape(name) + r" = (10\^\{(-?\d+)\}|[\d.]+)", latex)
    return 10.0 ** int(match.group(2)) if match.group(2) else float(match.group(1))


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_the_rule_shown_is_the_rule_the_engine_runs(name):
    """Item 5: apply the displayed formula by hand, with its displayed constants, for three
    steps; the optimiser the page runs must make the same changes."""
    optimizer = nn.make_optimizer(name, 0.01)
    latex = lesson.optimizer_latex(optimizer)
    eta = constant(latex, r"\eta")
    grads = np.random.default_rng(0).normal(size=(3, 5))
    w = np.linspace(-1, 1, 5)
    params = {"w": w.astype(np.float32)}
    m = v = np.zeros(5)
    for t, g in enumerate(grads, start=1):
        if name == "sgd":
            w = w - eta * g
        elif name == "momentum":
            v = constant(latex, r"\mu") * v - eta * g
            w = w + v
        else:
            b1, b2, eps = (constant(latex, c) for c in (r"\beta_1", r"\beta_2", r"\epsilon"))
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g**2
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
            w = w - eta * m_hat / (np.sqrt(v_hat) + eps)
        optimizer.step(params, {"w": g.astype(np.float32)})
        np.testing.assert_allclose(params["w"], w, rtol=1e-5, atol=1e-6)


def test_an_old_link_opens_the_same_view():
    """A link shared before the reshaping: same settings, same view, no note."""
    at = ok(app_test(PAGE, {"data": "shapes", "opt": "sgd", "lr": "0.1", "view": "step"}).run())
    t = trainer(at)
    assert t.settings == RunSettings(dataset="shapes", optimizer="sgd", lr=0.1)
    assert t.model.config.input_shape == (1, 28, 28)
    assert "The update rule that runs: SGD" in markdown(at)
    assert at.segmented_control(key=lesson.VIEW.key).value == "step"
    assert "No training step" in "\n".join(texts(at, "info"))
    assert not any("adjusted" in text for text in texts(at, "info"))


def test_link_names_are_unchanged_and_defaults_come_from_run_settings():
    names = [setting.url for setting in lesson.SETTINGS]
    assert names == [
        "data", "blocks", "f1", "f2", "f3", "kernel", "pool", "dropout", "opt", "lr", "batch",
        "augment", "seed", "view",
    ]  # fmt: skip
    default = RunSettings()
    texts_now = {setting.url: setting.text(setting.default) for setting in lesson.SETTINGS}
    assert texts_now == {
        "data": default.dataset, "blocks": str(default.blocks),
        **{f"f{i}": str(f) for i, f in enumerate(default.filters, start=1)},
        "kernel": str(default.kernel_size), "pool": default.pool, "dropout": f"{default.dropout:g}",
        "opt": default.optimizer, "lr": f"{default.lr:g}", "batch": str(default.batch_size),
        "augment": default.augment, "seed": str(default.seed), "view": "layers",
    }  # fmt: skip
    assert texts_now == {
        "data": "digits",
        "blocks": "2",
        "f1": "8",
        "f2": "16",
        "f3": "32",
        "kernel": "3",
        "pool": "max",
        "dropout": "0",
        "opt": "adam",
        "lr": "0.01",
        "batch": "32",
        "augment": "none",
        "seed": "0",
        "view": "layers",
    }  # the defaults of links shared so far
    assert lesson.BLOCKS.hi == lesson.MAX_BLOCKS == 3 and lesson.SEED.hi == 9999
