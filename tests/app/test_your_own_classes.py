"""AppTest for lesson 8: the starter classes, uploads (good and bad), a photo, a drawing, both
networks trained side by side (ticks are reruns), Step and Reset, prediction, confusion,
overfitting, download and reload (and files that do not fit), the link's settings."""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow as pa
import pytest
from PIL import Image

from cnnviz import nn
from cnnviz.data import own_classes
from cnnviz.data.pretrained import load_pretrained
from cnnviz.lessons.your_own_classes import keys
from cnnviz.nn import transfer
from tests.app.conftest import app_test, texts
from tests.app.test_train_a_cnn import canvas_state, drawing_png

PAGE = "pages/8_Your_Own_Classes.py"


def ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def runs(at) -> dict:
    return at.session_state[keys.RUNS_KEY]


def names(at) -> list[str]:
    return [slot.cls.name for slot in at.session_state[keys.SLOTS_KEY]]


def counts(at) -> list[int]:
    return [len(slot.cls.examples) for slot in at.session_state[keys.SLOTS_KEY]]


def notes(at) -> str:
    return "\n".join(texts(at, "info") + texts(at, "warning") + texts(at, "error"))


def png(seed: int, mode: str = "RGB", size=(60, 40)) -> bytes:
    rng = np.random.default_rng(seed)
    if mode == "I;16":
        pixels = rng.integers(0, 65535, size=size[::-1], dtype=np.uint16)
        image = Image.fromarray(pixels)
    else:
        channels = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
        pixels = rng.integers(0, 255, size=(*size[::-1], channels), dtype=np.uint8)
        image = Image.fromarray(pixels.squeeze())
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, size=(48, 64, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG")
    return buffer.getvalue()


def live_curves(at) -> dict[str, list[dict]]:
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if spec["title"]["text"].startswith("Accuracy"):
            return {
                d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist()
                for d in element.proto.datasets
            }
    raise AssertionError("no accuracy chart")


@pytest.fixture(scope="module")
def at():
    test = app_test(PAGE)
    return ok(test.run())


def test_starter_classes_train_side_by_side_with_frozen_layers(at):
    assert names(at) == ["arrow", "star", "heart"] and counts(at) == [10, 10, 10]
    assert "Ready to train: 3 classes" in "\n".join(texts(at, "success"))
    first = runs(at)
    assert first["scratch"].step == first["transfer"].step == 0
    table = "\n".join(texts(at, "markdown"))
    n = transfer.param_counts(first["transfer"].model, first["transfer"].frozen)
    assert f"| Transfer | {n['trained']:,} | {n['frozen']:,} | {n['total']:,} |" in table
    assert n["frozen"] > 7 * n["trained"]  # only the dense layer (3,075 numbers) trains
    before = {k: v.copy() for k, v in first["transfer"].model.params.items()}
    first_accuracy = first["transfer"].evaluation.accuracy
    pretrained = load_pretrained()[0]
    np.testing.assert_allclose(  # conv1 is the gray filters spread over R, G, B
        before["conv1.w"].sum(axis=1), pretrained.params["conv1.w"][:, 0], rtol=1e-5, atol=1e-7
    )
    at.session_state[keys.PLAYING_KEY] = "play"
    for _ in range(4):  # each run is one tick of the timer
        ok(at.run())
    at.session_state[keys.PLAYING_KEY] = "pause"
    ok(at.run())
    scratch, moved = runs(at)["scratch"], runs(at)["transfer"]
    assert scratch.step > 0 and moved.step > 0
    for name in ("conv1", "conv2", "conv3"):  # frozen: bit-identical after training
        np.testing.assert_array_equal(moved.model.params[f"{name}.w"], before[f"{name}.w"])
    assert not np.array_equal(moved.model.params["dense.w"], before["dense.w"])
    curves = live_curves(at)
    assert set(curves) == {f"{n}_{s}" for n in keys.NETWORKS for s in ("train", "held")}
    held = curves["transfer_held"]  # from the start evaluation (chance level) on
    assert [p["step"] for p in held] == [0, *moved.tests.step]
    assert held[0]["value"] == pytest.approx(100 * first_accuracy)
    steps = (scratch.step, moved.step)
    ok(at.button(key=keys.STEP_BUTTON).click().run())
    assert (runs(at)["scratch"].step, runs(at)["transfer"].step) == (steps[0] + 1, steps[1] + 1)
    # prediction of a held-out example by both networks, confusion, overfitting table
    assert any("says" in t for t in texts(at, "markdown"))
    assert "| From scratch | 100 % |" in "\n".join(texts(at, "markdown")) or scratch.step < 50
    assert len(at.get("plotly_chart")) >= 6
    ok(at.button(key=keys.RESET_BUTTON).click().run())
    assert runs(at)["scratch"].step == runs(at)["transfer"].step == 0
    np.testing.assert_array_equal(runs(at)["transfer"].model.params["conv2.w"], before["conv2.w"])


def test_fine_tuning_trains_conv3_at_a_tenth_of_the_rate(at):
    ok(at.radio(key=keys.FINE_TUNE.key).set_value("finetune").run())
    run = runs(at)["transfer"]
    assert run.frozen == {"conv1", "conv2"} and run.lr_scale == {"conv3": 0.1}
    before = run.model.params["conv3.w"].copy(), run.model.params["conv2.w"].copy()
    ok(at.button(key=keys.STEP_BUTTON).click().run())
    assert not np.array_equal(run.model.params["conv3.w"], before[0])
    np.testing.assert_array_equal(run.model.params["conv2.w"], before[1])
    ok(at.radio(key=keys.FINE_TUNE.key).set_value("frozen").run())
    assert runs(at)["transfer"].frozen == {"conv1", "conv2", "conv3"}


def test_uploads_photo_and_drawing_add_examples_and_bad_input_is_explained(at):
    ok(at.button(key=keys.ADD_CLASS_BUTTON).click().run())
    assert names(at)[-1] == "class 4" and counts(at)[-1] == 0
    assert "“class 4” has no examples yet; add 5 more examples" in notes(at)
    assert keys.RUNS_KEY in at.session_state  # nothing trained is thrown away meanwhile
    new_id = at.session_state[keys.SLOTS_KEY][-1].id
    assert "goes into the class of the same name" in "\n".join(texts(at, "caption"))
    ok(at.radio(key=keys.ADD_SOURCE.key).set_value("upload").run())
    ok(at.selectbox(key=keys.TARGET_KEY).set_value("4 · class 4").run())
    files = [(f"{i}.png", png(i, mode), "image/png") for i, mode in
             enumerate(("RGB", "RGBA", "L", "I;16"))]  # fmt: skip
    files.append(("broken.png", b"\x89PNG not really", "image/png"))
    at.file_uploader(key=f"{keys.UPLOADS_KEY}_0").set_value(files)
    ok(at.run())
    assert counts(at)[-1] == 4
    assert "Added 4 from 4 files" in notes(at) and "broken.png" in notes(at)
    assert "only 4 examples" in notes(at)  # still blocking, plainly
    ok(at.radio(key=keys.ADD_SOURCE.key).set_value("camera").run())
    at.camera_input(key=keys.CAMERA_KEY).set_value(("photo.jpg", jpeg(1), "image/jpeg"))
    ok(at.run())
    assert counts(at)[-1] == 5 and "from the camera" in notes(at)
    ok(at.radio(key=keys.ADD_SOURCE.key).set_value("draw").run())
    at.session_state[keys.CANVAS_KEY] = canvas_state(drawing_png("7"))
    ok(at.run())
    ok(at.button(key=keys.ADD_DRAWING).click().run())
    assert counts(at)[-1] == 6 and "your drawing" in notes(at)
    assert at.session_state[keys.CANVAS_CLEARS] == 1  # a blank canvas for the next one
    assert runs(at)["transfer"].model.config.n_classes == 4  # new data: both start over
    at.text_input(key=f"own_name_{new_id}").set_value("Star")
    ok(at.run())
    assert "Two classes are called “Star”" in notes(at)
    assert runs(at)["transfer"].model.config.n_classes == 4  # kept while the name is fixed
    at.text_input(key=f"own_name_{new_id}").set_value("squiggle")
    ok(at.run())
    ok(at.button_group(key=f"own_rm_{new_id}").set_value(0).run())
    assert counts(at)[-1] == 5
    ok(at.button(key=f"own_rm_class_{new_id}").click().run())
    assert names(at) == ["arrow", "star", "heart"]


def test_predict_an_upload_and_keep_the_network(at):
    ok(at.radio(key=keys.USE_SOURCE.key).set_value("upload").run())
    at.file_uploader(key=keys.USE_UPLOAD_KEY).set_value(("x.png", png(5), "image/png"))
    ok(at.run())
    said = [t for t in texts(at, "markdown") if " says **" in t]
    assert len(said) == 2  # both networks answer
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert not any(t.startswith("conv1 + ReLU") for t in titles)  # drawn only when opened
    at.session_state[keys.MAPS_OPEN_KEY] = True  # the learner opens the expander
    ok(at.run())
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t.startswith("conv3 + ReLU") for t in titles)
    run = runs(at)["transfer"]
    saved = nn.save(run.model, class_names=("arrow", "star", "heart"))
    model, stored = nn.load_named(saved)
    assert stored == ("arrow", "star", "heart")
    at.file_uploader(key=keys.WEIGHTS_UPLOAD_KEY).set_value(("mine.npz", saved, "x"))
    ok(at.run())
    assert "Loaded **mine.npz**" in notes(at)
    np.testing.assert_array_equal(runs(at)["transfer"].model.params["dense.w"],
                                  model.params["dense.w"])  # fmt: skip
    lesson7 = nn.TinyCNN.create(nn.CNNConfig(), np.random.default_rng(0))
    at.file_uploader(key=keys.WEIGHTS_UPLOAD_KEY).set_value(("digits.npz", nn.save(lesson7), "x"))
    ok(at.run())
    assert "**digits.npz** was not loaded (nothing changed)" in notes(at)
    four = transfer.transfer_network(load_pretrained()[0], (3, 32, 32), 4,
                                     np.random.default_rng(0))  # fmt: skip
    at.file_uploader(key=keys.WEIGHTS_UPLOAD_KEY).set_value(("four.npz", nn.save(four), "x"))
    ok(at.run())
    assert "**four.npz** was not loaded" in notes(at) and "4" in notes(at)
    np.testing.assert_array_equal(runs(at)["transfer"].model.params["dense.w"],
                                  model.params["dense.w"])  # fmt: skip


def test_a_link_restores_the_settings_and_clamps_bad_values():
    nonsense = {"seed": "-5", "dropout": "lots", "use": "telepathy", "add": "%00", "finetune": ""}
    at = app_test(PAGE, {"channels": "gray", "held": "9", "copies": "2", "lr": "7", **nonsense})
    ok(at.run())
    assert runs(at)["scratch"].model.config.input_shape == (1, 32, 32)
    data = at.session_state[keys.DATA_KEY]
    assert len(data.own.held) == 3 * 4 and len(data.y_train) == 3 * 6 * 3
    assert "held must be between 1 and 4; using 4." in notes(at)
    assert "“7” is not a choice for lr" in notes(at)
    assert at.session_state[keys.SEED.key] == 0 and at.session_state[keys.DROPOUT.key] == "0.5"
    assert at.session_state[keys.USE_SOURCE.key] == "held"
    assert at.session_state[keys.ADD_SOURCE.key] == "starter"


def test_the_gap_experiment_measures_training_vs_new_examples(monkeypatch):
    from cnnviz.lessons.your_own_classes import gap

    monkeypatch.setattr(gap, "SEEDS", (0,))  # one seed: the wiring, not the benchmark
    gap.measured.clear()
    at = ok(app_test(PAGE).run())
    ok(at.button(key=keys.GAP_BUTTON).click().run())
    channels, rows = at.session_state[keys.GAP_KEY]
    assert channels == 3 and [(r.copies, r.dropout) for r in rows] == list(gap.CASES)
    assert all(r.train == 1.0 and r.held < 1.0 for r in rows)  # 5 examples: memorised
    table = "\n".join(texts(at, "markdown"))
    plain = rows[0]
    assert f"| 0 | 0 | 100 % | {100 * plain.held:.0f} % |" in table
    assert f"Here the gap was **{100 * (1 - plain.held):.0f} points**" in table
    gap.measured.clear()


def test_a_class_of_250_examples_and_huge_or_mixed_files():
    at = ok(app_test(PAGE).run())
    ok(at.radio(key=keys.ADD_SOURCE.key).set_value("upload").run())
    huge = Image.new("L", (6000, 4000), 0)  # 24 megapixels, a few KB as PNG
    buffer = io.BytesIO()
    huge.save(buffer, format="PNG")
    first = [("huge.png", buffer.getvalue(), "image/png")]
    first += [(f"{i}.png", png(i, size=(20 + i, 90 - i)), "image/png") for i in range(59)]
    at.file_uploader(key=f"{keys.UPLOADS_KEY}_0").set_value(first)
    ok(at.run())
    assert counts(at)[0] == 70 and "Added 60 from 60 files" in notes(at)
    assert max(at.session_state[keys.SLOTS_KEY][0].cls.examples[10].shape[:2]) <= 160
    small = [(f"{i}.png", png(i, mode="L", size=(8, 8)), "image/png") for i in range(70)]
    for round_ in range(1, 4):  # 70 + 60 + 60 + 60 = 250, the most a class keeps
        at.file_uploader(key=f"{keys.UPLOADS_KEY}_{round_}").set_value(small)
        ok(at.run())
    assert counts(at)[0] == 250
    assert "Only the first 60 files of one upload are read" in notes(at)
    assert "arrow” has 250 examples; only the first 200 are used" in notes(at)
    assert len(at.session_state[keys.DATA_KEY].own.x) == 200 + 10 + 10
    at.file_uploader(key=f"{keys.UPLOADS_KEY}_4").set_value(small[:3])
    ok(at.run())
    assert counts(at)[0] == 250 and "3 not added: a class keeps at most 250" in notes(at)


def test_too_few_classes_or_examples_block_training_and_say_why():
    at = ok(app_test(PAGE).run())
    first = at.session_state[keys.SLOTS_KEY][0].id
    for _ in range(6):
        ok(at.button_group(key=f"own_rm_{first}").set_value(0).run())
    assert "“arrow” has only 4 examples; add 1 more example" in notes(at)
    assert keys.RUNS_KEY in at.session_state  # kept, shown again once fixed
    for slot in list(at.session_state[keys.SLOTS_KEY])[1:]:
        ok(at.button(key=f"own_rm_class_{slot.id}").click().run())
    assert "Make at least 2 classes" in notes(at)
    assert min(own_classes.MIN_EXAMPLES, 5) == 5
