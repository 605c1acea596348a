"""AppTest for lesson 3: every preset and mode, custom kernels good and bad, uploads good and
bad, the pixel inspector's arithmetic, the live OpenCV check, the quiz and the URL."""

import re

import numpy as np
import pytest

from cnnviz.data import kernels, samples
from cnnviz.lessons import filter_playground as lesson
from cnnviz.ops import display, filtering
from cnnviz.ui.kernel_editor import KernelKeys
from tests.app.conftest import (
    app_test,
    chart_titled,
    charts,
    code_panel,
    open_code_panel,
    texts,
    trace_values,
)
from tests.app.test_convolution import edit_cells, latex
from tests.app.test_pixels import png_bytes
from tests.conftest import plotly_array
from tests.imageio_corpus import case_named

PAGE = "pages/3_Filter_Playground.py"
PRESET = lesson.PRESET.key
EDITOR = KernelKeys.of(lesson.KERNEL_KEY)
CHELSEA = "chelsea"


@pytest.fixture
def at():
    return app_test(PAGE).run()


def raw_chart(at) -> dict:
    return chart_titled(at, "Raw values")


def check_raw_chart_against(at, expected: np.ndarray) -> None:
    """The raw view's hover values (every k-th pixel of a large map) equal the library's."""
    figure = raw_chart(at)
    hover = figure["data"][-1]
    z = plotly_array(hover["z"]).astype(np.float64)
    rows, cols = plotly_array(hover["y"]), plotly_array(hover["x"])
    np.testing.assert_allclose(z, expected[np.ix_(rows, cols)], rtol=1e-6, atol=1e-3)


def library_result(kernel, mode="gray", mix="average", image=CHELSEA) -> np.ndarray:
    return filtering.filter_photo(samples.load_sample(image), kernel, mode, mix)


def captions(at) -> str:
    return " ".join(texts(at, "caption"))


def test_default_view_filters_the_cat_with_a_sobel_filter(at):
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("3 · Filter playground")
    sobel = kernels.PRESETS["sobel_vertical_edges"].array
    expected = library_result(sobel)
    check_raw_chart_against(at, expected)
    assert raw_chart(at)["layout"]["title"]["text"] == "Raw values (300 × 451)"
    for title in ("Clipped to 0–255", "Min–max normalised"):
        assert chart_titled(at, title)["layout"]["height"] == 360
    summary = filtering.range_summary(expected)
    assert f"from **{summary['min']:g}** to **{summary['max']:g}**".replace(
        "-", "\u2212"
    ) in captions(at)
    assert "below 0" in captions(at)
    assert any("sum to **0**" in t for t in texts(at, "markdown"))


def test_default_view_has_the_lesson_contract(at):
    assert "Live check" in captions(at) and "cv2.filter2D" in captions(at)
    (download,) = at.get("download_button")
    assert "Download as PNG" in download.proto.label
    assert [s.value for s in at.subheader][-1] == "Check yourself"
    assert at.expander[0].label == "The NumPy behind this"
    assert not at.code  # closed: no source read or sent
    code = code_panel(open_code_panel(at))
    assert "def filter_photo" in code and "def correlate2d" in code
    assert at.query_params["preset"] in ("sobel_vertical_edges", ["sobel_vertical_edges"])


@pytest.mark.parametrize("name", list(kernels.PRESETS))
def test_every_preset_is_applied_and_explained(at, name):
    at.selectbox(key=PRESET).set_value(name).run()
    assert not at.exception and not at.error
    preset = kernels.PRESETS[name]
    np.testing.assert_allclose(trace_values(chart_titled(at, "Kernel")), preset.array)
    check_raw_chart_against(at, library_result(preset.array))
    assert preset.explanation in captions(at)
    assert "Live check" in captions(at)


@pytest.mark.parametrize("mode", list(filtering.FILTER_MODES))
def test_every_mode_shows_the_library_result(at, mode):
    at.radio(key=lesson.MODE.key).set_value(mode).run()
    assert not at.exception
    expected = library_result(kernels.PRESETS["sobel_vertical_edges"].array, mode)
    if mode == "per_channel":
        for channel in ("red", "green", "blue"):
            at.radio(key=lesson.CHANNEL.key).set_value(channel).run()
            check_raw_chart_against(at, expected[:, :, ("red", "green", "blue").index(channel)])
            assert raw_chart(at)["layout"]["title"]["text"].startswith(f"Raw values — {channel}")
        clipped = chart_titled(at, "Clipped")
        assert clipped["data"][0]["type"] == "image"
    else:
        check_raw_chart_against(at, expected)
        assert lesson.CHANNEL.key not in [r.key for r in at.radio]


@pytest.mark.parametrize("mix", list(filtering.CHANNEL_MIXES))
def test_every_channel_mix_of_full_depth(at, mix):
    at.radio(key=lesson.MODE.key).set_value("full_depth").run()
    at.selectbox(key=lesson.MIX.key).set_value(mix).run()
    assert not at.exception
    sobel = kernels.PRESETS["sobel_vertical_edges"].array
    check_raw_chart_against(at, library_result(sobel, "full_depth", mix))
    # the inspector splits the value into three channel sums
    assert any(r"\textstyle\sum" in x for x in latex(at))


def test_typing_a_kernel_filters_with_it(at):
    at = edit_cells(at, {(0, 0): "2", (1, 1): "-1/2"})
    assert not at.exception and not at.error
    assert at.session_state[PRESET] == "custom"
    kernel = np.array([[2, 0, -1], [2, -0.5, -2], [1, 0, -1]])
    check_raw_chart_against(at, library_result(kernel))
    assert at.query_params["kernel"] in ("2,0,-1;2,-1/2,-2;1,0,-1", ["2,0,-1;2,-1/2,-2;1,0,-1"])


def test_a_7x7_kernel_is_accepted_and_8_is_not_offered(at):
    at.number_input(key=EDITOR.rows).set_value(7).run()
    at.number_input(key=EDITOR.cols).set_value(7).run()
    assert not at.exception
    kernel = trace_values(chart_titled(at, "Kernel"))
    assert kernel.shape == (7, 7)
    check_raw_chart_against(at, library_result(kernel))
    assert at.number_input(key=EDITOR.rows).max == 7


@pytest.mark.parametrize(
    ("typed", "mentions"),
    [("", "empty"), ("abc", "not a number"), ("nan", "NaN"), ("-inf", "infinit"), ("1e9", "1000")],
)
def test_bad_cells_are_explained_and_the_last_kernel_stays(at, typed, mentions):
    at = edit_cells(at, {(2, 0): typed})
    assert not at.exception
    (error,) = at.error
    assert mentions.lower() in error.value.lower() and "row 3, column 1" in error.value
    check_raw_chart_against(at, library_result(kernels.PRESETS["sobel_vertical_edges"].array))


def test_inspector_arithmetic_equals_the_filtered_value(at):
    at.slider(key=lesson.ROW.key).set_value(57).run()
    at.slider(key=lesson.COL.key).set_value(301).run()
    expected = library_result(kernels.PRESETS["sobel_vertical_edges"].array)[57, 301]
    (arithmetic,) = [x for x in latex(at) if r"\cdot" in x and "aligned" in x]
    value = float(re.search(r"= (-?[\d.]+) \\end\{aligned\}", arithmetic).group(1))
    assert value == pytest.approx(expected, abs=1e-3)
    around = chart_titled(at, "Raw output around (57, 301)")
    assert plotly_array(around["data"][0]["z"])[4, 4] == pytest.approx(expected)
    assert "row 57, column 301" in captions(at)


def test_inspecting_the_corner_mentions_the_padding(at):
    at.slider(key=lesson.ROW.key).set_value(0).run()
    at.slider(key=lesson.COL.key).set_value(0).run()
    assert "padding" in captions(at)
    patch = trace_values(chart_titled(at, "Under the window (gray)"))
    assert (patch[0] == 0).all() and (patch[:, 0] == 0).all()


def upload(at, name: str, data: bytes):
    at.selectbox(key=lesson.IMAGE.key).set_value("upload").run()
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value((name, data, "image/png"))
    return at.run()


def test_an_upload_is_filtered(at):
    rgb = np.zeros((40, 60, 3), dtype=np.uint8)
    rgb[:, 30:] = (200, 100, 50)  # one vertical edge
    at = upload(at, "edge.png", png_bytes(rgb))
    assert not at.exception and not at.error
    sobel = kernels.PRESETS["sobel_vertical_edges"].array
    expected = filtering.filter_photo(rgb, sobel, "gray")
    np.testing.assert_allclose(trace_values(raw_chart(at)), expected)  # small: every value
    assert raw_chart(at)["layout"]["title"]["text"] == "Raw values (40 × 60)"


def test_a_large_upload_is_worked_on_at_a_bounded_size(at):
    ramp = np.add.outer(np.arange(1300) // 6, np.arange(1500) // 7).astype(np.uint8)
    big = np.stack([ramp, ramp[::-1], ramp.T[:1300, :1300].repeat(2, axis=1)[:, :1500]], -1)
    at = upload(at, "big.png", png_bytes(big))
    assert not at.exception and not at.error
    title = raw_chart(at)["layout"]["title"]["text"]
    height, width = (int(n) for n in re.findall(r"\d+", title))
    assert max(height, width) == 1024 and height == round(1300 * 1024 / 1500)
    payload = sum(len(str(f)) for f in charts(at))
    assert payload < 1_500_000, "large maps are sent as pictures, not numbers"


@pytest.mark.parametrize("case", ["png_truncated", "html_page", "empty"])
def test_a_bad_upload_is_explained_and_a_sample_is_used(at, case):
    at = upload(at, "bad.png", case_named(case).data)
    assert not at.exception
    (error,) = at.error
    assert "could not be used" in error.value
    check_raw_chart_against(at, library_result(kernels.PRESETS["sobel_vertical_edges"].array))


def test_the_flat_area_question_is_judged(at):
    guess = next(n for n in at.number_input if n.key.startswith(f"{lesson.QUIZ_KEY}_guess"))
    guess.set_value(0.0).run()  # Sobel weights sum to 0: a flat area gives 0
    assert at.success and "sum of the weights" in at.success[0].value
    guess = next(n for n in at.number_input if n.key.startswith(f"{lesson.QUIZ_KEY}_guess"))
    guess.set_value(5.0).run()
    assert at.warning


def test_the_url_restores_a_view():
    at = app_test(
        PAGE,
        {
            "image": "coffee",
            "preset": "custom",
            "kernel": "1,1;1,1",
            "mode": "per_channel",
            "channel": "blue",
            "row": "3",
            "col": "4",
        },
    ).run()
    assert not at.exception and not at.info
    kernel = np.ones((2, 2))
    expected = library_result(kernel, "per_channel", image="coffee")
    check_raw_chart_against(at, expected[:, :, 2])
    assert chart_titled(at, "Raw output around (3, 4)")
    at.selectbox(key=PRESET).set_value("emboss").run()
    assert at.query_params["preset"] in ("emboss", ["emboss"])
    assert at.query_params["mode"] in ("per_channel", ["per_channel"])
    assert at.query_params["image"] in ("coffee", ["coffee"])


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"mode": "sepia"}, "not a choice for mode"),
        ({"preset": "custom", "kernel": "1,abc"}, "kernel could not be used"),
        ({"preset": "custom", "kernel": "nan"}, "kernel could not be used"),
        ({"row": "-5"}, "row must be between"),
        ({"col": "1e99"}, "asked for col 1e+99, but here it goes from 0 to 450; using 450"),
        ({"image": "<script>"}, "not a choice for image"),
        ({"mix": "x", "mode": "full_depth"}, "not a choice for mix"),
    ],
)
def test_bad_url_values_are_noted_never_raised(query, note):
    at = app_test(PAGE, query).run()
    assert not at.exception
    assert any(note in i.value for i in at.info), [i.value for i in at.info]
    assert "<script>" not in " ".join(i.value for i in at.info)
    assert charts(at)


def test_a_row_beyond_a_small_photo_is_clamped():
    at = app_test(PAGE, {"row": "1000", "col": "1000"}).run()
    assert not at.exception
    assert at.slider(key=lesson.ROW.key).value == 299
    assert at.slider(key=lesson.COL.key).value == 450


def quiz_guess(at):
    return next(n for n in at.number_input if n.key.startswith(f"{lesson.QUIZ_KEY}_guess"))


def quiz_prompt(at) -> str:
    starts = ("Imagine", "The inspected", "The raw result")
    return next(t for t in texts(at, "markdown") if t.startswith(starts))


def reveal(at) -> str:
    at.button(key=f"{lesson.QUIZ_KEY}_reveal").click().run()
    (info,) = [i.value for i in at.info if i.value.startswith("**Answer:")]
    return info


def test_red_minus_blue_turns_a_flat_gray_patch_into_0_in_the_note_and_the_quiz(at):
    """Issue 10 item 2: the slices are box × (1, 0, −1), so a flat 100 image filters to 0."""
    at.selectbox(key=PRESET).set_value("box_blur").run()
    assert reveal(at).startswith("**Answer: 100.**")  # gray: 100 × 1
    at.radio(key=lesson.MODE.key).set_value("full_depth").run()
    at.selectbox(key=lesson.MIX.key).set_value("red_minus_blue").run()
    assert not at.exception and not at.error
    (note,) = [t for t in texts(at, "markdown") if t.startswith("The weights sum to")]
    assert "red minus blue" in note and "1 × 0 = **0**" in note
    assert "(R = G = B = 100) becomes **0**" in note and "100 stays 100" not in note
    flat = np.full((15, 15, 3), 100, dtype=np.uint8)
    box = kernels.PRESETS["box_blur"].array
    assert filtering.filter_photo(flat, box, "full_depth", "red_minus_blue")[7, 7] == 0
    prompt = quiz_prompt(at)
    assert "R = G = B = 100" in prompt and "red minus blue" in prompt
    quiz_guess(at).set_value(0.0).run()
    assert at.success and "= 100 × 1 × 0 = 0" in at.success[0].value
    quiz_guess(at).set_value(100.0).run()
    assert at.warning and not at.success
    assert reveal(at).startswith("**Answer: 0.**")


def test_per_channel_questions_name_the_channel(at):
    at.radio(key=lesson.MODE.key).set_value("per_channel").run()
    at.radio(key=lesson.CHANNEL.key).set_value("blue").run()
    assert "in each channel" in quiz_prompt(at)
    (note,) = [t for t in texts(at, "markdown") if t.startswith("The weights sum to")]
    assert "0 in each channel" in note
    at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    assert "raw blue value" in quiz_prompt(at) and "in its blue channel" in quiz_prompt(at)


def test_the_clipped_question_answers_what_the_clipped_view_shows(at):
    at.slider(key=lesson.ROW.key).set_value(57).run()
    at.slider(key=lesson.COL.key).set_value(301).run()
    at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    raw = library_result(kernels.PRESETS["sobel_vertical_edges"].array)
    shown = display.clip_to_uint8(raw)[57, 301]
    assert reveal(at).startswith(f"**Answer: {shown}.**")


def kernel_column_layout(at) -> list[tuple[str, str]]:
    """(type, key or text) of every element in the kernel column, top to bottom."""
    found = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            found.append(
                (child.type, getattr(child, "key", None) or str(getattr(child, "value", "")))
            )
            walk(child)

    walk(at.columns[1])
    return found


def test_the_kernel_grid_keeps_its_place_after_the_first_edit(at):
    """Issue 10 item 26: nothing above the grid changes when the preset turns into "custom"."""
    before = kernel_column_layout(at)
    at = edit_cells(at, {(0, 0): "2"})
    after = kernel_column_layout(at)
    assert at.session_state[PRESET] == "custom"
    grid = [kind for kind, _ in after].index("dataframe")
    assert [kind for kind, _ in before].index("dataframe") == grid
    assert before[:grid] == after[:grid]
    sobel = kernels.PRESETS["sobel_vertical_edges"]
    assert before[grid + 1] == ("caption", sobel.explanation)  # the explanation is below the grid
    assert after[grid + 1][0] == "caption"
    assert after[grid + 1][1].startswith("Custom kernel (3 × 3): your own weights")


def test_the_photo_is_shown_as_it_is_beside_the_results(at):
    """Issue 10 item 26: the input picture, before any filter, next to the three views."""
    figure = chart_titled(at, "Input photo (300 × 451 × 3)")
    assert figure["data"][0]["type"] == "image"
    rgb = np.zeros((40, 60, 3), dtype=np.uint8)
    rgb[:, 30:] = (200, 100, 50)
    at = upload(at, "edge.png", png_bytes(rgb))
    figure = chart_titled(at, "Input photo (40 × 60 × 3)")
    np.testing.assert_array_equal(trace_values(figure), rgb)


def test_the_tie_back_is_honest_about_lesson_7(at):
    """Issue 10 item 16: edge/blob/colour filters are what large photo networks learn."""
    (tieback,) = [t for t in texts(at, "markdown") if t.startswith("**Where this is going.**")]
    tieback = " ".join(tieback.split())
    assert "large networks trained on millions of photos" in tieback
    assert "eight 3 × 3 filters" in tieback and "a couple of them look like edge" in tieback
    assert "its input has no colour" in tieback
