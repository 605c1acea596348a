"""AppTest for lesson 6: every control, the examples, bad scores, the quiz and URL state."""

import numpy as np
import pytest

from cnnviz.data import kernels, samples
from cnnviz.lessons import activations as lesson
from cnnviz.ops import activations as act
from cnnviz.ops import conv, pixels
from cnnviz.viz import formulas
from tests.app.conftest import (
    app_test,
    chart_titled,
    charts,
    code_panel,
    open_code_panel,
    texts,
    trace_values,
)
from tests.conftest import plotly_array

PAGE = "pages/6_Activations.py"
CURRICULUM_DIGIT = [0, 0.1, 0.1, 0.75, 0, 0, 0, 0, 0, 0.05]
FORMULAS_AT_MINUS_1_5 = {  # worked by hand: e^1.5 = 4.482, e^-1.5 = 0.223
    "relu": r"\mathrm{ReLU}(-1.5) = \max(0,\ (-1.5)) = 0",
    "leaky_relu": r"f(-1.5) = a \cdot x = 0.1 \cdot (-1.5) = -0.15",
    "sigmoid": r"\sigma(-1.5) = \frac{1}{1 + e^{-(-1.5)}} = \frac{1}{1 + 4.482} = 0.182",
    "tanh": r"\tanh(-1.5) = \frac{e^{-1.5} - e^{-(-1.5)}}{e^{-1.5} + e^{-(-1.5)}} = "
    r"\frac{0.223 - 4.482}{0.223 + 4.482} = -0.905",
}


def reference_map(image="chelsea", preset="sobel_vertical_edges"):
    """The feature map computed independently: gray, shrunk to 128 on the long side, 0-1."""
    gray = pixels.to_grayscale(samples.load_sample(image))
    H, W = gray.shape
    scale = 128 / max(H, W)
    small = pixels.resize(gray, round(H * scale), round(W * scale))
    return conv.correlate2d(small.astype(np.float64) / 255.0, kernels.PRESETS[preset].array)


def curve_titles(at) -> list[str]:
    (fig,) = [f for f in charts(at) if f["layout"].get("annotations")]
    return [a["text"] for a in fig["layout"]["annotations"]]


def map_values(at, title: str) -> np.ndarray:
    return trace_values(chart_titled(at, title)).astype(np.float64)


def probabilities(at) -> np.ndarray:
    return trace_values(chart_titled(at, "Probabilities"), "y") / 100


def page_text(at) -> str:
    return " ".join(texts(at, "markdown"))


def latex(at) -> list[str]:
    return [x.value.strip().removeprefix("$$").removesuffix("$$").strip() for x in at.latex]


def example(at, label):
    (button,) = [b for b in at.button if b.label == label]
    return button.click().run()


def quiz_input(at):
    (guess,) = [n for n in at.number_input if n.key.startswith(lesson.QUIZ_KEY)]
    return guess


@pytest.fixture
def at():
    return app_test(PAGE).run()


def test_default_view_shows_real_numbers_everywhere(at):
    assert not at.exception and not at.error
    assert at.title[0].value == "6 · Activations and softmax"
    assert curve_titles(at) == [
        "ReLU: f(−1.5) = 0",
        "Leaky ReLU: f(−1.5) = −0.15",
        "Sigmoid: f(−1.5) = 0.182",
        "tanh: f(−1.5) = −0.905",
    ]
    assert r"\mathrm{ReLU}(-1.5) = \max(0,\ (-1.5)) = 0" in latex(at)
    before = reference_map()
    assert before.shape == (83, 126) and before.min() < 0
    np.testing.assert_allclose(map_values(at, "Before: raw map 83 × 126"), before, rtol=1e-6)
    np.testing.assert_allclose(map_values(at, "After ReLU 83 × 126"), np.maximum(before, 0))
    crop = before[27:35, 46:54]
    np.testing.assert_array_equal(map_values(at, "Before: raw map 8 × 8"), crop)
    np.testing.assert_array_equal(map_values(at, "After ReLU 8 × 8"), np.maximum(crop, 0))
    printed = chart_titled(at, "Before: raw map 8 × 8")["data"][0]["text"]
    assert any(str(cell).startswith("\u2212") for row in printed for cell in row)
    np.testing.assert_allclose(probabilities(at), act.softmax([2, 1, 0.1]))
    assert any(
        "65.9% class “0”" in t and "next is class “1” with 24.2%." in t
        for t in texts(at, "markdown")
    )


def test_default_view_has_the_lesson_contract(at):
    assert [s.value for s in at.subheader][-1] == "Check yourself"
    (expander,) = at.expander
    assert expander.label == "The NumPy behind this"
    assert not at.code  # closed: no source read or sent
    code = code_panel(open_code_panel(at))
    for name in ("def activate", "def relu", "def softmax", "def softmax_steps", "def correlate2d"):
        assert name in code
    assert at.query_params["scores"] in ("2, 1, 0.1", ["2, 1, 0.1"])


@pytest.mark.parametrize("name", act.ACTIVATIONS)
def test_every_activation_is_applied_to_the_map_and_written_out(at, name):
    at.radio(key=lesson.FUNCTION.key).set_value(name).run()
    assert not at.exception
    title = lesson.TITLES[name]
    before = reference_map()
    expected = act.activate(name, before, 0.1)
    np.testing.assert_allclose(map_values(at, f"After {title} 83 × 126"), expected, rtol=1e-6)
    np.testing.assert_allclose(
        map_values(at, f"After {title} 8 × 8"), expected[27:35, 46:54], rtol=1e-12
    )
    assert latex(at)[0].startswith(FORMULAS_AT_MINUS_1_5[name])
    assert at.slider(key=lesson.SLOPE.key).disabled == (name != "leaky_relu")


def test_relu_zeroes_exactly_the_negative_values(at):
    after = map_values(at, "After ReLU 83 × 126")
    before = map_values(at, "Before: raw map 83 × 126")
    assert np.all(after[before <= 0] == 0) and np.array_equal(after[before > 0], before[before > 0])
    negatives = int(np.count_nonzero(reference_map() < 0))
    assert any(f"**{negatives}** of 10458 values are negative" in t for t in texts(at, "markdown"))


def test_moving_x_updates_the_points_and_the_formula(at):
    at.slider(key=lesson.X.key).set_value(2.0).run()
    assert curve_titles(at)[0] == "ReLU: f(2) = 2"
    assert curve_titles(at)[2] == "Sigmoid: f(2) = 0.881"
    assert r"\mathrm{ReLU}(2) = \max(0,\ 2) = 2" in latex(at)
    at.radio(key=lesson.FUNCTION.key).set_value("sigmoid").run()
    assert r"\sigma(2) = \frac{1}{1 + e^{-2}} = \frac{1}{1 + 0.135} = 0.881" in latex(at)
    at.radio(key=lesson.FUNCTION.key).set_value("tanh").run()
    assert any(x.startswith(r"\tanh(2) =") and x.endswith("= 0.964") for x in latex(at))
    assert at.query_params["x"] in ("2", ["2"])


def test_the_leaky_slope_changes_the_negative_side(at):
    at.radio(key=lesson.FUNCTION.key).set_value("leaky_relu").run()
    at.slider(key=lesson.SLOPE.key).set_value(0.3).run()
    assert not at.exception
    np.testing.assert_allclose(
        map_values(at, "After Leaky ReLU 83 × 126"), act.leaky_relu(reference_map(), 0.3), 1e-6
    )
    assert curve_titles(at)[1] == "Leaky ReLU: f(−1.5) = −0.45"
    assert r"f(-1.5) = a \cdot x = 0.3 \cdot (-1.5) = -0.45" in latex(at)[0]
    at.slider(key=lesson.X.key).set_value(1.0).run()
    assert "passed through" in latex(at)[0]


@pytest.mark.parametrize("image", samples.sample_names())
def test_every_photo(at, image):
    at.selectbox(key=lesson.IMAGE.key).set_value(image).run()
    assert not at.exception
    expected = reference_map(image)
    H, W = expected.shape
    np.testing.assert_allclose(map_values(at, f"Before: raw map {H} × {W}"), expected, rtol=1e-6)


@pytest.mark.parametrize("preset", list(kernels.PRESETS))
def test_every_filter(at, preset):
    at.selectbox(key=lesson.KERNEL.key).set_value(preset).run()
    assert not at.exception
    expected = reference_map(preset=preset)
    H, W = expected.shape
    np.testing.assert_allclose(map_values(at, f"Before: raw map {H} × {W}"), expected, rtol=1e-6)
    assert kernels.PRESETS[preset].explanation in texts(at, "caption")


def test_a_blur_has_nothing_for_relu_to_remove(at):
    at.selectbox(key=lesson.KERNEL.key).set_value("box_blur").run()
    assert any("**0** of" in t for t in texts(at, "markdown"))


def test_crop_sliders_pick_the_enlarged_square(at):
    at.slider(key=lesson.CROP.key).set_value(16).run()
    at.slider(key=lesson.ROW.key).set_value(60).run()
    at.slider(key=lesson.COL.key).set_value(100).run()
    assert not at.exception
    before = reference_map()
    np.testing.assert_array_equal(map_values(at, "Before: raw map 16 × 16"), before[60:76, 100:116])
    big = chart_titled(at, "Before: raw map 83 × 126")
    (outline,) = big["layout"]["shapes"]
    assert (outline["x0"], outline["y0"], outline["x1"]) == (99.5, 59.5, 115.5)


def test_the_crop_is_clamped_when_the_map_shrinks(at):
    at.slider(key=lesson.ROW.key).set_value(75).run()  # the last row that fits 83 - 8
    at.selectbox(key=lesson.KERNEL.key).set_value("gaussian_blur_5").run()  # 5×5: 81 × 124
    assert not at.exception
    assert at.session_state[lesson.ROW.key] == 73
    expected = reference_map(preset="gaussian_blur_5")[73:81, 46:54]
    np.testing.assert_allclose(map_values(at, "Before: raw map 8 × 8"), expected)


def test_typed_scores_and_temperature(at):
    at.text_input(key=lesson.SCORES_BOX_KEY).input("3; −1  0.5").run()
    assert not at.exception and not at.error
    np.testing.assert_allclose(probabilities(at), act.softmax([3, -1, 0.5]))
    at.slider(key=lesson.TEMPERATURE.key).set_value(0.1).run()
    np.testing.assert_allclose(probabilities(at), act.softmax([3, -1, 0.5], 0.1))
    assert probabilities(at)[0] > 0.9999
    at.slider(key=lesson.TEMPERATURE.key).set_value(10.0).run()
    np.testing.assert_allclose(probabilities(at), act.softmax([3, -1, 0.5], 10.0))
    assert at.query_params["scores"] in ("3, -1, 0.5", ["3, -1, 0.5"])  # read back cleanly
    assert at.query_params["T"] in ("10", ["10"])


@pytest.mark.parametrize(
    ("typed", "mentions"),
    [
        ("", "Type some scores"),
        ("1, two, 3", "“two” is not a number"),
        ("1, nan", "not a finite number"),
        ("inf, -inf", "not a finite number"),
        ("1e300, 0", "too large"),
        ("7", "You typed 1 score;"),
        ("1 2 3 4 5 6 7 8 9 10 11", "You typed 11 scores"),
    ],
)
def test_bad_scores_get_a_clear_message(at, typed, mentions):
    at.text_input(key=lesson.SCORES_BOX_KEY).input(typed).run()
    assert not at.exception
    (error,) = at.error
    assert mentions in error.value
    assert not any(
        f["layout"].get("title", {}).get("text", "").startswith("Prob") for f in charts(at)
    )
    assert [s.value for s in at.subheader][-1] == "Check yourself"  # the page goes on
    # The link keeps the last scores that worked, never the typo.
    assert at.query_params["scores"] in ("2, 1, 0.1", ["2, 1, 0.1"])


def test_a_typo_after_good_scores_keeps_the_good_ones_in_the_link(at):
    at.text_input(key=lesson.SCORES_BOX_KEY).input("4, 1").run()
    assert at.query_params["scores"] in ("4, 1", ["4, 1"])
    at.text_input(key=lesson.SCORES_BOX_KEY).input("abc, 1").run()
    assert not at.exception and at.error
    assert at.query_params["scores"] in ("4, 1", ["4, 1"])
    at.text_input(key=lesson.SCORES_BOX_KEY).input("5, 2").run()
    assert at.query_params["scores"] in ("5, 2", ["5, 2"])


def test_the_digit_classifier_example_reads_75_percent_three(at):
    at = example(at, "Digit classifier output")
    assert not at.exception
    np.testing.assert_allclose(probabilities(at), CURRICULUM_DIGIT, atol=2e-4)
    assert any(
        "75.0% class “3”**; next are classes “1” and “2” with 10.0% each." in t
        for t in texts(at, "markdown")
    )
    texts_on_bars = chart_titled(at, "Probabilities")["data"][0]["text"]
    assert texts_on_bars[3] == "75.0%" and texts_on_bars[9] == "5.0%"
    # The page says softmax outputs are all above 0: the example's "0"s must not print as 0.
    assert texts_on_bars[0] == "0.001%" and all(p > 0 for p in probabilities(at))
    assert "rounded to two decimals" in page_text(at) and "never gives exactly 0" in page_text(at)
    assert any(r"\textstyle\sum_{j=0}^{9}" in x for x in latex(at))  # 10 terms: total only


def test_very_large_scores_are_stable_and_the_naive_formula_is_shown_failing(at):
    at = example(at, "Very large scores")
    assert not at.exception
    np.testing.assert_allclose(probabilities(at), act.softmax([0, 1, 2]), rtol=1e-12)
    (warning,) = at.warning
    assert "Without the trick" in warning.value and "e^1002" in warning.value
    (table,) = at.table
    cells = table.value.to_numpy().ravel().tolist()
    assert cells.count("∞ (overflow)") == 3 and cells.count("NaN") == 3
    assert r"p_{2} &= \frac{e^{0}}{e^{-2} + e^{-1} + e^{0}}" in latex(at)[-1]


def test_overflow_note_names_exactly_the_entries_that_overflow(at):
    """Scores 1000, 0: e^1000 overflows, e^0 does not; the naive result is [NaN, 0]."""
    at.text_input(key=lesson.SCORES_BOX_KEY).input("1000, 0").run()
    assert not at.exception
    naive = act.softmax_steps(np.array([1000.0, 0.0])).naive_probabilities
    assert np.isnan(naive[0]) and naive[1] == 0
    (warning,) = at.warning
    assert "every naive probability" not in warning.value
    assert "class 0 is ∞ / ∞ = **NaN**" in warning.value
    assert "class 1 gets (a finite number) / ∞ = **0**" in warning.value
    (table,) = at.table
    naive_row = table.value.to_numpy()[-1].tolist()
    assert naive_row[1:] == ["NaN", "0"]


def test_equal_scores_and_start_again(at):
    at = example(at, "Equal scores")
    np.testing.assert_allclose(probabilities(at), [0.25] * 4)
    reading = " ".join(texts(at, "markdown"))
    assert "all 4 classes are equally likely (25.0% each)" in reading
    assert "next is" not in reading
    at = example(at, "Start again")
    assert at.text_input(key=lesson.SCORES_BOX_KEY).value == lesson.DEFAULT_SCORES
    assert not at.warning


@pytest.mark.parametrize(
    ("typed", "reading"),
    [
        ("2, 1, 2", "classes “0” and “2” tie at 42.2% each**; next is class “1” with 15.5%."),
        ("1, 3, 3, 3", "classes “1”, “2” and “3” tie at 31.9% each**; next is class “0”"),
        ("0, 5", "99.3% class “1”**; next is class “0” with 0.7%."),
        ("1, 0, 5, 1", "95.8% class “2”**; next are classes “0” and “3” with 1.8% each."),
        ("−1, −1", "all 2 classes are equally likely (50.0% each)"),
    ],
)
def test_the_reading_names_ties_and_never_a_false_winner(at, typed, reading):
    at.text_input(key=lesson.SCORES_BOX_KEY).input(typed).run()
    assert not at.exception
    assert any(reading in t for t in texts(at, "markdown")), texts(at, "markdown")


def test_check_yourself_counts_the_zeros_after_relu(at):
    crop = reference_map()[27:35, 46:54]
    quiz_input(at).set_value(float(np.count_nonzero(crop <= 0))).run()
    assert any("Right!" in s.value for s in at.success)


def test_check_yourself_other_questions(at):
    crop = reference_map()[27:35, 46:54]
    at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    smallest = float(np.round(crop.min(), 2))
    prompt = f"The smallest value in the enlarged map is {formulas.text_number(smallest, 2)}"
    assert any(m.value.startswith(prompt) for m in at.markdown)
    quiz_input(at).set_value(0.0).run()  # ReLU of the smallest (negative) value
    assert any("Right!" in s.value for s in at.success)
    at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    top = round(100 * float(act.softmax([2, 1, 0.1]).max()), 1)
    quiz_input(at).set_value(top).run()
    assert any("Right!" in s.value for s in at.success)
    at.button(key=f"{lesson.QUIZ_KEY}_reveal").click().run()
    assert any(f"Answer: {top:g}" in i.value for i in at.info)


def test_check_yourself_without_usable_scores_skips_the_softmax_question(at):
    at.text_input(key=lesson.SCORES_BOX_KEY).input("oops").run()
    for _ in range(3):
        at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
        assert not at.exception
        assert not any("Add 10 to every" in m.value for m in at.markdown)


def test_url_round_trip():
    query = {
        "fn": "tanh",
        "x": "0.7",
        "slope": "0.25",
        "image": "astronaut",
        "kernel": "laplacian",
        "crop": "10",
        "row": "5",
        "col": "7",
        "scores": "1, 2, 3, 4",
        "T": "2.5",
    }
    at = app_test(PAGE, query).run()
    assert not at.exception and not at.info
    before = reference_map("astronaut", "laplacian")
    np.testing.assert_allclose(map_values(at, "After tanh 10 × 10"), np.tanh(before[5:15, 7:17]))
    np.testing.assert_allclose(probabilities(at), act.softmax([1, 2, 3, 4], 2.5))
    assert curve_titles(at)[3] == "tanh: f(0.7) = 0.604"
    for name, value in query.items():
        got = at.query_params[name]
        assert (got[0] if isinstance(got, list) else got) == value, name


@pytest.mark.parametrize(
    ("query", "note", "key", "used"),
    [
        ({"fn": "softplus"}, "not a choice for fn", lesson.FUNCTION.key, "relu"),
        ({"x": "abc"}, "not a number for x", lesson.X.key, -1.5),
        ({"x": "99"}, "between -6 and 6", lesson.X.key, 6.0),
        ({"slope": "-1"}, "between 0 and 0.5", lesson.SLOPE.key, 0.0),
        ({"image": "<script>"}, "not a choice for image", lesson.IMAGE.key, "chelsea"),
        ({"kernel": "[x](http://evil)"}, "not a choice for kernel", lesson.KERNEL.key, None),
        ({"crop": "100"}, "between 4 and 16", lesson.CROP.key, 16),
        ({"row": "-5"}, "between 0", lesson.ROW.key, 0),
        ({"col": "1.5"}, "not a whole number", lesson.COL.key, 46),
        ({"scores": "1,nan"}, "not a finite number", lesson.SCORES_BOX_KEY, lesson.DEFAULT_SCORES),
        ({"scores": "1," * 2000}, "too long", lesson.SCORES_BOX_KEY, lesson.DEFAULT_SCORES),
        ({"T": "0"}, "between 0.1 and 10", lesson.TEMPERATURE.key, 0.1),
        ({"T": "inf"}, "not a number for T", lesson.TEMPERATURE.key, 1.0),
    ],
)
def test_bad_url_values_are_noted_never_a_crash(query, note, key, used):
    at = app_test(PAGE, query).run()
    assert not at.exception
    (info,) = at.info
    assert note in info.value and "](" not in info.value and "<script>" not in info.value
    if used is not None:
        assert at.session_state[key] == used
    assert chart_titled(at, "Probabilities")


def test_a_link_to_a_crop_beyond_the_map_is_clamped():
    at = app_test(PAGE, {"row": "4000", "col": "4000", "crop": "16"}).run()
    assert not at.exception
    assert (at.session_state[lesson.ROW.key], at.session_state[lesson.COL.key]) == (67, 110)
    np.testing.assert_array_equal(
        map_values(at, "Before: raw map 16 × 16"), reference_map()[67:83, 110:126]
    )


def test_probability_bars_decode_as_percentages(at):
    bars = chart_titled(at, "Probabilities")["data"][0]
    np.testing.assert_allclose(plotly_array(bars["y"]), 100 * act.softmax([2, 1, 0.1]))
    assert list(bars["text"]) == ["65.9%", "24.2%", "9.9%"]
