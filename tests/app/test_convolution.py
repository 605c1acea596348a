"""AppTest for lesson 2: the player, every setting, custom kernels good and bad, photos, URLs."""

import functools
import json
import re

import numpy as np
import pyarrow as pa
import pytest

from cnnviz.data import kernels, samples, synthetic
from cnnviz.lessons import convolution as lesson
from cnnviz.ops import conv, pixels
from cnnviz.viz import formulas
from tests.app.conftest import (
    app_test,
    chart_titled,
    code_panel,
    open_code_panel,
    texts,
    trace_values,
)
from tests.app.test_pixels import png_bytes
from tests.imageio_corpus import case_named

PAGE = "pages/2_Convolution.py"
STEP = lesson.STEP.key
PLAYING = f"{lesson.PLAYER_KEY}_playing"
PRESET = lesson.PRESET.key
CELLS = f"{lesson.KERNEL_KEY}_cells"


def output_chart(at) -> tuple[dict, dict[str, list]] | None:
    """The stepper's output map (a Vega-Lite chart): its spec and its cells' columns."""
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if spec["title"]["text"].startswith("Output "):
            (cells,) = chart.proto.datasets
            return spec, pa.ipc.open_stream(cells.data.data).read_all().to_pydict()
    return None


def output_map(at) -> np.ndarray:
    """The output values shown, NaN where the player has not got to yet: (H_out, W_out)."""
    _, cells = output_chart(at)
    shape = (max(cells["row"]) + 1, max(cells["col"]) + 1)
    values = [np.nan if v is None else v for v in cells["value"]]
    return np.array(values, dtype=np.float64).reshape(shape)


def latex(at) -> list[str]:
    """Every st.latex body, without the $$ … $$ Streamlit wraps it in."""
    return [x.value.strip().removeprefix("$$").removesuffix("$$").strip() for x in at.latex]


def step_latex(at) -> str:
    (found,) = [x for x in latex(at) if r"\cdot" in x and "aligned" in x and "lfloor" not in x]
    return found


def button(at, name):
    return at.button(key=f"{lesson.STEP.key}_{name}")


def edit_cells(at, edits: dict[tuple[int, int], str]):
    """Type into the kernel grid as a learner would (the data editor's edit state)."""
    (editor,) = at.data_editor
    rows: dict[int, dict[str, str]] = {}
    for (row, col), value in edits.items():
        rows.setdefault(row, {})[str(col)] = value
    at.session_state[editor.key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


@pytest.fixture
def at():
    return app_test(PAGE).run()


def test_default_view_is_the_classic_worked_example(at):
    assert not at.exception
    assert at.title[0].value.startswith("2 · Convolution")
    np.testing.assert_array_equal(
        trace_values(chart_titled(at, "Input 5 × 5")), synthetic.binary_example()
    )
    np.testing.assert_array_equal(
        trace_values(chart_titled(at, "Kernel")), synthetic.example_kernel()
    )
    shown = output_map(at)
    assert shown[0, 0] == 4 and np.isnan(shown.ravel()[1:]).all()
    assert step_latex(at).endswith(r"= 4 \end{aligned}")
    assert any("Step 1 of 9" in t for t in texts(at, "markdown"))


def test_default_view_has_the_lesson_contract(at):
    assert [s.value for s in at.subheader][-1] == "Check yourself"
    (expander,) = at.expander
    assert expander.label == "The NumPy behind this"
    assert not at.code  # closed: no source read or sent
    code = code_panel(open_code_panel(at))
    assert "def conv_trace" in code and "def correlate2d" in code
    assert any(r"\left\lfloor" in x and x.endswith(r"&= 3 \end{aligned}") for x in latex(at))
    assert at.query_params["preset"] in ("example", ["example"])


def test_next_back_and_scrub_move_the_window_and_the_arithmetic(at):
    expected = conv.correlate2d(synthetic.binary_example(), synthetic.example_kernel())
    button(at, "next").click().run()
    assert at.session_state[STEP] == 1
    assert step_latex(at).endswith(rf"= {formulas.number(expected.flat[1])} \end{{aligned}}")
    button(at, "back").click().run()
    assert at.session_state[STEP] == 0
    at.slider(key=f"{lesson.PLAYER_KEY}_scrub").set_value(9).run()
    assert at.session_state[STEP] == 8
    np.testing.assert_array_equal(output_map(at), expected)
    assert button(at, "next").disabled


def test_play_advances_one_step_per_tick_pauses_and_stops_at_the_end(at):
    button(at, "play").click().run()
    assert at.session_state[PLAYING] and at.session_state[STEP] == 0
    at.run()  # a timer tick (AppTest never fires timers: each run stands for one)
    assert at.session_state[STEP] == 1
    button(at, "pause").click().run()
    assert not at.session_state[PLAYING]
    at.run()
    assert at.session_state[STEP] == 1  # paused: no more steps
    button(at, "play").click().run()
    for _ in range(12):
        at.run()
    assert at.session_state[STEP] == 8 and not at.session_state[PLAYING]
    assert not at.exception


def test_while_playing_nothing_the_server_moves_can_read_as_a_learner_s_action(at):
    """Issue 12: a Pause click carried the step slider's previous position (the server had
    moved it a tick later); that read as a drag back, which paused, and the Play/Pause toggle
    then played on. While playing there is no slider, and Pause is its own button."""
    scrub = f"{lesson.PLAYER_KEY}_scrub"
    button(at, "play").click().run()
    at.run()  # a tick
    assert at.session_state[STEP] == 1
    assert not [s for s in at.slider if s.key == scrub]  # a progress bar instead
    assert at.get("progress")[0].proto.text == "Playing: 2 of 9 steps"
    assert [b.label for b in at.button if b.key.startswith(STEP)] == ["Back", "Pause", "Next"]
    button(at, "pause").click().run()
    at.run()  # a tick already on its way
    assert not at.session_state[PLAYING] and at.session_state[STEP] == 1
    assert at.slider(key=scrub).value == 2  # paused: the slider is back, at the step shown


def test_a_button_click_carrying_the_sliders_old_position_is_not_a_drag(at):
    scrub = f"{lesson.PLAYER_KEY}_scrub"
    button(at, "next").click().run()
    at.slider(key=scrub).set_value(1)  # the slider's position before that Next reached it
    button(at, "next").click().run()
    assert at.session_state[STEP] == 2
    at.slider(key=scrub).set_value(7).run()  # a real drag still moves the player
    assert at.session_state[STEP] == 6


def test_speed_can_be_changed_while_playing(at):
    button(at, "play").click().run()
    at.selectbox(key=f"{lesson.PLAYER_KEY}_speed").set_value("fast").run()
    assert not at.exception and at.session_state[PLAYING]


@pytest.mark.parametrize(
    ("control", "value", "shape"),
    [
        (lesson.STRIDE.key, 2, (2, 2)),
        (lesson.DILATION.key, 2, (1, 1)),
    ],
)
def test_stride_and_dilation_change_the_output(at, control, value, shape):
    at.slider(key=control).set_value(value).run()
    assert not at.exception
    assert output_map(at).shape == shape


@pytest.mark.parametrize(
    ("pad", "side"), [("1", 5), ("2", 7), ("3", 9), ("valid", 3), ("same", 5), ("full", 7)]
)
def test_every_padding_choice(at, pad, side):
    at.selectbox(key=lesson.PAD.key).set_value(pad).run()
    assert not at.exception
    expected = conv.correlate2d(
        synthetic.binary_example(),
        synthetic.example_kernel(),
        pad=int(pad) if pad.isdigit() else pad,
    )
    assert expected.shape == (side, side)
    at.slider(key=f"{lesson.PLAYER_KEY}_scrub").set_value(side * side).run()
    np.testing.assert_array_equal(output_map(at), expected)


def test_impossible_settings_are_explained_not_raised(at):
    at.slider(key=lesson.DILATION.key).set_value(3).run()  # span 7 > 5
    assert not at.exception
    (warning,) = at.warning
    assert "do not work" in warning.value
    assert output_chart(at) is None


def test_bias_is_added_to_every_output(at):
    at.number_input(key=lesson.BIAS.key).set_value(-2.5).run()
    assert step_latex(at).endswith(r"= 1.5 \end{aligned}")
    assert output_map(at)[0, 0] == 1.5


@pytest.mark.parametrize("name", list(kernels.PRESETS))
def test_every_preset_runs_and_shows_its_explanation(at, name):
    at.selectbox(key=PRESET).set_value(name).run()
    assert not at.exception
    preset = kernels.PRESETS[name]
    assert preset.explanation in texts(at, "caption")
    image = synthetic.binary_example()
    try:
        expected = conv.correlate2d(image, preset.array)
    except ValueError:  # a 5×5 preset on a 5×5 image still fits; bigger ones explain why
        assert at.warning
        return
    n = expected.size
    at.slider(key=f"{lesson.PLAYER_KEY}_scrub").set_value(n).run() if n > 1 else None
    np.testing.assert_allclose(output_map(at), expected)


def test_an_asymmetric_kernel_flips_under_convolution(at):
    at.selectbox(key=PRESET).set_value("sobel_horizontal_edges").run()
    at.radio(key=lesson.MODE.key).set_value("convolution").run()
    assert not at.exception
    image, sobel = synthetic.binary_example(), kernels.PRESETS["sobel_horizontal_edges"].array
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Kernel")), sobel[::-1, ::-1])
    at.slider(key=f"{lesson.PLAYER_KEY}_scrub").set_value(9).run()
    np.testing.assert_allclose(output_map(at), conv.convolve2d(image, sobel))
    assert any("changes under a 180° rotation" in t for t in texts(at, "markdown"))


def code_shown(at) -> list[str]:
    """The functions listed in "The NumPy behind this", e.g. "cnnviz.ops.conv.correlate2d"."""
    return [m.value.strip("`") for m in at.markdown if m.value.startswith("`cnnviz.")]


def test_convolution_numbers_come_from_the_convolve2d_the_page_shows(monkeypatch):
    """Page 2 once flipped the kernel itself and showed `conv.convolve2d`, which never ran.

    A marked `convolve2d` (its result + 1000) stands in for the real one: the output on screen
    carries the mark, so it was computed by the function the code panel shows.
    """
    real, calls = conv.convolve2d, []

    @functools.wraps(real)  # the code panel still shows the real function's source
    def marked(image, kernel, *args):
        calls.append(np.array(kernel))
        return real(image, kernel, *args) + 1000

    monkeypatch.setattr(conv, "convolve2d", marked)
    lesson.convolved.clear()  # a cached result would hide which function ran
    try:
        query = {"preset": "sobel_horizontal_edges", "mode": "convolution", "step": "8"}
        at = open_code_panel(app_test(PAGE, query))
    finally:
        lesson.convolved.clear()  # never leave marked numbers for another test
    assert not at.exception
    sobel = kernels.PRESETS["sobel_horizontal_edges"].array
    assert calls and all(np.array_equal(kernel, sobel) for kernel in calls)  # unflipped
    expected = real(synthetic.binary_example(), sobel) + 1000
    np.testing.assert_allclose(output_map(at), expected)
    assert "cnnviz.ops.conv.convolve2d" in code_shown(at)
    assert any("def convolve2d" in block.value for block in at.code)


def test_correlation_shows_only_the_functions_that_ran(at):
    shown = code_shown(open_code_panel(at))
    assert "cnnviz.ops.conv.conv_trace" in shown and "cnnviz.ops.conv.convolve2d" not in shown
    at.radio(key=lesson.MODE.key).set_value("convolution").run()
    assert "cnnviz.ops.conv.convolve2d" in code_shown(at)


def test_typing_a_kernel_makes_it_custom_and_is_used(at):
    at = edit_cells(at, {(0, 0): "-1", (2, 2): "1/2"})
    assert not at.exception and not at.error
    assert at.session_state[PRESET] == "custom"
    kernel = np.array([[-1, 0, 1], [0, 1, 0], [1, 0, 0.5]])
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Kernel")), kernel)
    assert at.query_params["kernel"] in ("-1,0,1;0,1,0;1,0,1/2", ["-1,0,1;0,1,0;1,0,1/2"])


@pytest.mark.parametrize(
    ("typed", "mentions"),
    [
        ("", "empty"),
        ("abc", "not a number"),
        ("nan", "NaN"),
        ("inf", "infinit"),
        ("1e9", "1000"),
        ("1/0", "zero"),
    ],
)
def test_bad_cells_get_a_clear_message_and_the_last_kernel_stays(at, typed, mentions):
    at = edit_cells(at, {(1, 1): typed})
    assert not at.exception
    (error,) = at.error
    assert mentions.lower() in error.value.lower() and "row 2, column 2" in error.value
    np.testing.assert_array_equal(
        trace_values(chart_titled(at, "Kernel")), synthetic.example_kernel()
    )


def test_resizing_the_kernel_keeps_the_top_left_weights(at):
    at.number_input(key=f"{lesson.KERNEL_KEY}_rows").set_value(2).run()
    at.number_input(key=f"{lesson.KERNEL_KEY}_cols").set_value(4).run()
    assert not at.exception
    np.testing.assert_array_equal(
        trace_values(chart_titled(at, "Kernel")), [[1, 0, 1, 0], [0, 1, 0, 0]]
    )


def test_a_crop_of_a_photo_steps_through_its_gray_values(at):
    at.radio(key=lesson.SOURCE.key).set_value("photo").run()
    assert not at.exception
    cat = samples.load_sample("chelsea")
    crop = pixels.channel(pixels.crop(cat, 104, 160, 8, 8), "gray")
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Input 8 × 8")), crop)
    at.slider(key=lesson.CROP.key).set_value(5).run()
    assert trace_values(chart_titled(at, "Input 5 × 5")).shape == (5, 5)


def test_an_uploaded_photo_and_a_broken_one(at):
    at.radio(key=lesson.SOURCE.key).set_value("photo").run()
    at.selectbox(key=lesson.IMAGE.key).set_value("upload").run()
    gradient = np.tile(np.arange(0, 240, 8, dtype=np.uint8), (20, 1))
    rgb = np.stack([gradient] * 3, axis=-1)
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("g.png", png_bytes(rgb), "image/png"))
    at.run()
    assert not at.exception
    shown = trace_values(chart_titled(at, "Input "))
    assert shown.shape[0] <= 10 and np.all(np.diff(shown, axis=1) == 8)
    case = case_named("png_truncated")
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("bad.png", case.data, "image/png"))
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "bad.png" in error.value and "could not be used" in error.value


def test_colour_step_adds_three_channel_sums_and_the_bias(at):
    at.number_input(key=lesson.BIAS.key).set_value(1.0).run()
    cat = samples.load_sample("chelsea").astype(float)
    patch = cat[104:107, 160:163]
    kernel3 = np.repeat(synthetic.example_kernel()[..., None], 3, axis=2)
    total = float(np.sum(patch * kernel3)) + 1.0
    assert any(r"\underbrace" in x and x.endswith(f"= {formulas.number(total)}") for x in latex(at))


def test_more_filters_make_a_deeper_output_volume(at):
    at.slider(key=lesson.FILTERS.key).set_value(3).run()
    assert not at.exception
    assert any("28 × 28 × 3" in t for t in texts(at, "markdown"))
    stack = chart_titled(at, "The 3 slices")
    assert len(stack["layout"]["annotations"]) == 3


def test_check_yourself_asks_for_the_next_value(at):
    expected = conv.correlate2d(synthetic.binary_example(), synthetic.example_kernel())
    (guess,) = [n for n in at.number_input if n.key.startswith(lesson.QUIZ_KEY)]
    guess.set_value(float(expected.flat[1])).run()
    assert any("Right!" in s.value for s in at.success)


def test_url_round_trip():
    query = {
        "input": "photo",
        "image": "coffee",
        "crop": "6",
        "row": "10",
        "col": "20",
        "preset": "custom",
        "kernel": "0,1;1,0",
        "bias": "2",
        "stride": "2",
        "pad": "1",
        "dilation": "1",
        "mode": "correlation",
        "step": "3",
        "filters": "4",
    }
    at = app_test(PAGE, query).run()
    assert not at.exception and not at.info
    crop = pixels.channel(pixels.crop(samples.load_sample("coffee"), 10, 20, 6, 6), "gray")
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Input 8 × 8")), np.pad(crop, 1))
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Kernel")), [[0, 1], [1, 0]])
    assert at.session_state[STEP] == 3
    for name, value in query.items():
        got = at.query_params[name]
        assert (got[0] if isinstance(got, list) else got) == value, name


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"kernel": "1,abc;0,1", "preset": "custom"}, "kernel could not be used"),
        ({"kernel": "9" * 3000, "preset": "custom"}, "too long"),
        ({"bias": "nan"}, "not a number"),
        ({"stride": "0"}, "between 1 and 4"),
        ({"pad": "[x](http://evil)"}, "not a choice"),
        ({"step": "-3"}, "between 0"),
    ],
)
def test_bad_url_values_are_noted_never_a_crash(query, note):
    at = app_test(PAGE, query).run()
    assert not at.exception
    (info,) = at.info
    assert note in info.value and "](" not in info.value


def test_the_warm_up_pairs_are_editable_and_a_2d_kernel_sees_top_bottom_changes(at):
    digit = synthetic.digit_four()
    at.number_input(key=lesson.PAIRS["Left–right changes"][0].key).set_value(2.0).run()
    at.number_input(key=lesson.PAIRS["Left–right changes"][1].key).set_value(-0.5).run()
    assert not at.exception
    edited = trace_values(chart_titled(at, "(2, \u22120.5) → 8 × 7"))
    np.testing.assert_allclose(edited, conv.correlate2d(digit, np.array([[2.0, -0.5]])))
    top_bottom = trace_values(chart_titled(at, "(\u22121, \u22121, 1, 1) → 7 × 7"))
    np.testing.assert_allclose(top_bottom, conv.correlate2d(digit, kernels.TOP_BOTTOM_2X2))
    # the 2-D kernel responds where a horizontal stroke starts or ends; a pair cannot
    assert np.abs(top_bottom).max() > 0


def size_formulas(at) -> list[str]:
    return [x for x in latex(at) if r"\lfloor" in x]


def test_output_size_formula_is_broken_so_the_result_shows_on_a_phone(at):
    """Item 25: one long display line hid "= 3" past the right edge of a 390 px phone."""
    formulas_ = size_formulas(at)
    assert len(formulas_) == 2  # height and width
    for body in formulas_:
        assert body.startswith(r"\begin{aligned}") and body.endswith(r"\end{aligned}")
        lines = body.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
        lines = [line.strip() for line in lines.split(r"\\")]
        assert len(lines) == 3
        assert lines[0].endswith(r"\right\rfloor + 1")  # the formula in symbols
        assert lines[1].startswith(r"&= \left\lfloor \frac{5 + 2 \cdot 0")  # the numbers
        assert lines[2] == "&= 3"  # the result, on its own line
        # each line short enough for a phone: at most ~40 characters of rendered maths
        for line in lines:
            rendered = re.sub(r"\\[a-z]+|[{}&]", "", line)
            assert len(rendered) <= 40, rendered


def test_kernels_unchanged_by_a_half_turn_are_not_called_symmetric(at):
    """Item 15: Sobel is mirror-symmetric yet flipping changes it."""
    text = " ".join(texts(at, "markdown"))
    assert "unchanged by a 180° rotation" in text and "symmetric kernel" not in text
    assert "Mirror symmetry is not enough" in text
    assert "Your kernel is unchanged by a 180° rotation" in text  # the classic kernel


def test_padding_help_says_same_gives_ceil_n_over_s():
    """Item 18: "same = keep the size" is false at stride 2…4; the size is ⌈n / s⌉."""
    at = app_test(PAGE).run()
    help_text = at.selectbox(key=lesson.PAD.key).help
    assert "same = output size ⌈n / s⌉" in help_text and "keep the size" not in help_text
    at.slider(key=lesson.STRIDE.key).set_value(2).run()
    at.selectbox(key=lesson.PAD.key).set_value("same").run()
    assert not at.exception
    assert output_map(at).shape == (3, 3)  # ⌈5 / 2⌉ = 3, not 5
    assert all(x.endswith("&= 3 \\end{aligned}") for x in size_formulas(at))


def test_the_intro_follows_the_input_on_screen():
    """Item 27: "Below is the classic example: a 5×5 …" stayed after picking a photo crop."""
    at = app_test(PAGE).run()
    assert any(
        "classic example: a 5×5 black-and-white image (1 = ink) and a 3×3 kernel" in t
        for t in texts(at, "markdown")
    )
    at.radio(key=lesson.SOURCE.key).set_value("photo").run()
    assert not at.exception
    body = " ".join(texts(at, "markdown"))
    assert "Below is the classic example" not in body
    assert "Below is an 8×8 crop of the photo" in body and "row 104, column 160" in body
    at.slider(key=lesson.CROP.key).set_value(5).run()
    assert "Below is a 5×5 crop" in " ".join(texts(at, "markdown"))


def test_ticks_queued_behind_each_other_step_once(at, monkeypatch):
    """On a busy server the browser's ticks queue up; run back to back they would each step,
    and a Pause waiting behind them landed several steps late. One step per interval."""
    from cnnviz.ui import player

    monkeypatch.setattr(player, "CLOCK", lambda: 100.0)  # three ticks at the same moment
    button(at, "play").click().run()
    for _ in range(3):
        at.run()
    assert at.session_state[STEP] == 1
    monkeypatch.setattr(player, "CLOCK", lambda: 101.0)  # a whole interval later
    at.run()
    assert at.session_state[STEP] == 2
