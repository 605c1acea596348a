"""AppTest for lesson 1: every widget path, uploads good and hostile, the URL round trip."""

import io

import numpy as np
import pytest
from PIL import Image

from cnnviz.data import digits, samples, synthetic
from cnnviz.lessons import pixels as lesson
from cnnviz.ops import pixels
from tests.app.conftest import (
    app_test,
    chart_titled,
    code_panel,
    open_code_panel,
    texts,
    trace_values,
)
from tests.imageio_corpus import hostile_and_odd_inputs

PAGE = "pages/1_Pixels.py"


def png_bytes(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def default_run():
    return app_test(PAGE).run()


def test_default_view_shows_the_cat_and_its_red_numbers(default_run):
    at = default_run
    assert not at.exception
    assert at.title[0].value.startswith("1 · Pixels")
    cat = samples.load_sample("chelsea")
    region = pixels.crop(cat, 100, 160, 16, 16)
    matrix = chart_titled(at, "Red values")
    np.testing.assert_array_equal(trace_values(matrix), region[..., 0])
    # every value is printed in its cell, readable without hovering
    assert np.asarray(matrix["data"][0]["text"]).shape == (16, 16)
    shape_line = f"**{cat.shape[0]} × {cat.shape[1]} × 3**"
    assert any(shape_line in text for text in texts(at, "markdown"))


def test_default_view_has_the_lesson_contract(default_run):
    at = default_run
    assert len(at.get("plotly_chart")) >= 6
    assert any("0.299" in latex.value for latex in at.latex)
    assert [s.value for s in at.subheader] == ["Check yourself"]
    (expander,) = at.expander
    assert expander.label == "The NumPy behind this"
    assert "def to_grayscale" not in code_panel(at)  # closed: no source read or sent
    code = code_panel(open_code_panel(app_test(PAGE)))
    assert "def to_grayscale" in code and "def crop" in code and "def resize" in code


@pytest.mark.parametrize("name", samples.sample_names())
def test_every_sample_can_be_picked(name):
    at = app_test(PAGE).run()
    at.selectbox(key=lesson.IMAGE.key).set_value(name).run()
    assert not at.exception
    image = samples.load_sample(name)
    assert any(f"**{image.shape[0]} × {image.shape[1]} × 3**" in t for t in texts(at, "markdown"))


@pytest.mark.parametrize("channel", ["red", "green", "blue", "gray"])
def test_each_channel_shows_its_own_numbers(channel):
    at = app_test(PAGE).run()
    at.slider(key=lesson.SIZE.key).set_value(8).run()
    at.slider(key=lesson.ROW.key).set_value(20).run()
    at.slider(key=lesson.COL.key).set_value(30).run()
    at.radio(key=lesson.CHANNEL.key).set_value(channel).run()
    assert not at.exception
    region = pixels.crop(samples.load_sample("chelsea"), 20, 30, 8, 8)
    expected = (
        pixels.to_grayscale(region) if channel == "gray" else region[..., "rgb".index(channel[0])]
    )
    shown = trace_values(
        chart_titled(at, f"{channel.capitalize()} values (rows 20–27, columns 30–37)")
    )
    np.testing.assert_array_equal(shown, expected)


def test_grayscale_formula_uses_the_regions_top_left_pixel():
    at = app_test(PAGE).run()
    at.slider(key=lesson.ROW.key).set_value(5).run()
    r, g, b = (int(v) for v in samples.load_sample("chelsea")[5, 160])
    formula = at.latex[1].value
    assert f"0.299 \\cdot {r}" in formula and f"0.114 \\cdot {b}" in formula
    assert f"{pixels.grayscale_value(r, g, b):.3f}" in formula


def test_drawn_four_is_printed_and_flattened_row_by_row(default_run):
    four = synthetic.digit_four()
    grid = chart_titled(default_run, "A 4 on an 8 × 8 grid")
    np.testing.assert_array_equal(trace_values(grid), four)
    flat = trace_values(chart_titled(default_run, "Flattened: 1 × 64 — where is the 4?"))
    np.testing.assert_array_equal(flat, four.reshape(1, 64))
    assert f"`{four.reshape(-1).tolist()}`" in texts(default_run, "markdown")


def test_a_uci_digit_can_be_browsed():
    at = app_test(PAGE).run()
    at.radio(key=lesson.DIGIT.key).set_value("uci").run()
    at.slider(key=lesson.EXAMPLE.key).set_value(42).run()
    assert not at.exception
    data = digits.load_digits()
    label = data.labels[42]
    grid = chart_titled(at, f"A {label} on an 8 × 8 grid")
    np.testing.assert_array_equal(trace_values(grid), data.images[42])
    chart_titled(at, f"Flattened: 1 × 64 — where is the {label}?")
    assert any(f"labelled **{data.labels[42]}**" in caption.value for caption in at.caption)


@pytest.mark.parametrize("method", ["area", "bilinear", "nearest"])
@pytest.mark.parametrize("side", [4, 28, 128])
def test_resize_shows_exactly_the_resized_pixels(side, method):
    at = app_test(PAGE).run()
    at.slider(key=lesson.RESIZE.key).set_value(side).run()
    at.radio(key=lesson.METHOD.key).set_value(method).run()
    assert not at.exception
    expected = pixels.resize(samples.load_sample("chelsea"), side, side, method)
    shown = trace_values(chart_titled(at, f"{side} × {side} × 3 = {side * side * 3:,} numbers"))
    np.testing.assert_array_equal(shown, expected)


def test_check_yourself_judges_reveals_and_moves_on():
    at = app_test(PAGE).run()
    assert any("16×16 pixels with 3 colour channels" in md.value for md in at.markdown)
    (guess,) = at.number_input
    guess.set_value(16 * 16 * 3).run()
    assert at.success and "768" in at.success[0].value
    at.number_input[0].set_value(5).run()
    assert at.warning and not at.success
    at.button(key=f"{lesson.QUIZ_KEY}_reveal").click().run()
    assert any("Answer: 768" in info.value for info in at.info)
    at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    assert not at.exception
    assert at.number_input[0].value is None  # a new question starts with an empty answer
    assert any("grayscale value" in md.value for md in at.markdown)


def test_uploading_a_good_image_uses_it_everywhere():
    at = app_test(PAGE).run()
    at.selectbox(key=lesson.IMAGE.key).set_value("upload").run()
    image = np.zeros((40, 60, 3), dtype=np.uint8)
    image[:, :, 2] = 200
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("blue.png", png_bytes(image), "image/png"))
    at.run()
    assert not at.exception and not at.error
    assert any("**40 × 60 × 3**" in text for text in texts(at, "markdown"))
    at.radio(key=lesson.CHANNEL.key).set_value("blue").run()
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Blue values")), 200)


def test_a_large_upload_is_scaled_down_and_the_learner_is_told():
    at = app_test(PAGE).run()
    at.selectbox(key=lesson.IMAGE.key).set_value("upload").run()
    big = np.random.default_rng(0).integers(0, 255, (1200, 900, 3), dtype=np.uint8)
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("big.png", png_bytes(big), "image/png"))
    at.run()
    assert not at.exception
    assert any("512" in caption.value for caption in at.caption)
    assert any("**512 × 384 × 3**" in text for text in texts(at, "markdown"))


@pytest.mark.parametrize(
    "case", [c for c in hostile_and_odd_inputs() if not c.expect_ok], ids=lambda c: c.name
)
def test_hostile_uploads_get_a_clear_message_and_the_page_keeps_working(case):
    at = app_test(PAGE).run()
    at.selectbox(key=lesson.IMAGE.key).set_value("upload").run()
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("upload.png", case.data, "image/png"))
    at.run()
    assert not at.exception
    (error,) = at.error
    if case.expect_in_message:
        assert case.expect_in_message.lower() in error.value.lower()
    # the lesson goes on with a sample, and its widgets still work
    assert any("instead" in caption.value for caption in at.caption)
    at.slider(key=lesson.SIZE.key).set_value(4).run()
    assert not at.exception
    assert trace_values(chart_titled(at, "Red values")).shape == (4, 4)


def test_url_settings_are_restored_and_written_back():
    query = {
        "image": "coffee",
        "size": "8",
        "row": "10",
        "col": "20",
        "channel": "blue",
        "digit": "uci",
        "example": "7",
        "resize": "16",
        "method": "nearest",
    }
    at = app_test(PAGE, query).run()
    assert not at.exception and not at.info
    assert at.selectbox(key=lesson.IMAGE.key).value == "coffee"
    assert at.slider(key=lesson.SIZE.key).value == 8
    assert at.radio(key=lesson.CHANNEL.key).value == "blue"
    region = pixels.crop(samples.load_sample("coffee"), 10, 20, 8, 8)
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Blue values")), region[..., 2])
    assert _param(at, "resize") == "16"
    at.slider(key=lesson.ROW.key).set_value(11).run()
    assert _param(at, "row") == "11" and _param(at, "image") == "coffee"


def _param(at, name):
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize(
    ("query", "expect_note"),
    [
        ({"row": "abc"}, "not a whole number"),
        ({"size": "999"}, "between 2 and 32"),
        ({"channel": "purple"}, "not a choice"),
        ({"image": "../../etc/passwd"}, "not a choice"),
        ({"resize": "1e400"}, "not a whole number"),
        ({"example": "-5"}, "between 0 and 1796"),
        ({"row": "`**<script>alert(1)</script>**`"}, "not a whole number"),
    ],
)
def test_bad_url_values_are_noted_and_clamped_never_a_crash(query, expect_note):
    at = app_test(PAGE, query).run()
    assert not at.exception
    (note,) = at.info
    assert expect_note in note.value
    assert "<script>" not in note.value


def test_a_row_from_the_url_beyond_the_image_is_clamped_to_fit():
    at = app_test(PAGE, {"row": "4000", "size": "32"}).run()
    assert not at.exception
    height = samples.load_sample("chelsea").shape[0]
    assert at.slider(key=lesson.ROW.key).value == height - 32


def _ask(at, number: int):
    """Press "Next question" until question ``number`` (0-based) of lesson 1 is on screen."""
    for _ in range(number):
        at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    return at


def _first_ink_by_hand(digit: np.ndarray) -> int:
    """Position of the first non-zero value when the rows are written one after another."""
    position = 0
    for row in digit.tolist():
        for value in row:
            if value != 0:
                return position
            position += 1
    raise AssertionError("no ink")


@pytest.mark.parametrize("example", [0, 42, 1796])  # labels 0, 1 and 8
def test_where_is_the_digit_follows_the_uci_digit_on_screen(example):
    """Item 14: the question and the title stayed "where is the 4?" for any UCI digit."""
    at = app_test(PAGE).run()
    at.radio(key=lesson.DIGIT.key).set_value("uci").run()
    at.slider(key=lesson.EXAMPLE.key).set_value(example).run()
    data = digits.load_digits()
    digit, label = data.images[example], data.labels[example]
    chart_titled(at, f"Flattened: 1 × 64 — where is the {label}?")
    _ask(at, 2)
    assert any(f"grid shows a {label}." in md.value for md in at.markdown)
    answer = _first_ink_by_hand(digit)
    at.number_input[0].set_value(answer).run()
    assert at.success, [md.value for md in at.markdown]


def test_the_drawn_four_question_is_answered_from_its_pixels():
    at = _ask(app_test(PAGE).run(), 2)
    four = synthetic.digit_four()
    assert any("grid shows a 4." in md.value for md in at.markdown)
    at.number_input[0].set_value(_first_ink_by_hand(four)).run()
    assert at.success


def test_a_dense_layer_not_the_network_fixes_the_input_size(default_run):
    """Item 13: conv layers take any size; only a dense layer fixes it."""
    text = " ".join(texts(default_run, "markdown"))
    assert "first layer expects" not in text
    assert "**dense** (fully connected) layer has one weight per input number" in text
    assert "Convolution layers themselves take any size" in text


def test_the_grayscale_sample_explains_its_three_channels():
    """Item 19: the "(grayscale)" camera photo was reported as H × W × 3 without a word."""
    at = app_test(PAGE).run()
    at.selectbox(key=lesson.IMAGE.key).set_value("camera").run()
    h, w = samples.load_sample("camera").shape[:2]
    (note,) = [c.value for c in at.caption if "This picture is grayscale" in c.value]
    assert "R = G = B" in note and f"{h} × {w} × 1 = {h * w:,} numbers" in note
    default = app_test(PAGE).run()
    assert not any("This picture is grayscale" in c.value for c in default.caption)


def test_the_28_by_28_grid_prints_no_overlapping_numbers_and_has_no_empty_band(default_run):
    """Item 22: 3-digit values overlapped in 15 px cells; the figure was taller than its grid."""
    grid = chart_titled(default_run, "Its grayscale values")
    assert "text" not in grid["data"][0] and "texttemplate" not in grid["data"][0]
    assert "%{z}" in grid["data"][0]["hovertemplate"]  # the values are still there on hover
    layout = grid["layout"]
    plot_height = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    assert plot_height <= 420 - 46  # no taller than the half column is wide
    assert layout["yaxis"]["constraintoward"] == "top"


def test_a_small_resize_prints_its_numbers_and_whole_pixel_ticks():
    at = app_test(PAGE).run()
    at.slider(key=lesson.RESIZE.key).set_value(4).run()
    grid = chart_titled(at, "Its grayscale values")
    assert np.asarray(grid["data"][0]["text"]).shape == (4, 4)
    image = chart_titled(at, "4 × 4 × 3")
    for axis in ("xaxis", "yaxis"):
        assert image["layout"][axis]["dtick"] == 1 and image["layout"][axis]["tick0"] == 0
