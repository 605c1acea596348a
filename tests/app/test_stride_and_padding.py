"""AppTest for lesson 4: every control, every impossible setting, the shape calculator, URLs.

The central check: every size the page shows equals the shape of the array the library
really produces for those settings (`correlate2d` on zeros, `pool2d` on zeros).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnnviz.data import networks
from cnnviz.lessons import stride_and_padding as lesson
from cnnviz.ops import conv, pool, shapes
from cnnviz.ui.player import PlayerKeys
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

PAGE = "pages/4_Stride_and_Padding.py"
STEP = lesson.STEP.key
PLAYING = PlayerKeys.of(lesson.PLAYER_KEY).playing
SIZE = re.compile(r"(\d+) × (\d+)")


# --- reading the page ---------------------------------------------------------------------------


def latex(at) -> list[str]:
    return [x.value.strip().removeprefix("$$").removesuffix("$$").strip() for x in at.latex]


def formula_result(at, axis: str) -> int:
    (found,) = [x for x in latex(at) if f"{axis}_{{\\text{{out}}}}" in x]
    return int(found.rsplit("=", 1)[1].removesuffix(r"\end{aligned}").strip())


def title_size(figure: dict) -> tuple[int, int]:
    title = figure["layout"]["title"]["text"]
    return tuple(int(n) for n in SIZE.search(title).groups())


def shown_step(at) -> tuple[int, int]:
    for text in texts(at, "markdown"):
        found = re.search(r"\*\*Step (\d+) of (\d+)\*\*", text)
        if found:
            return int(found.group(1)), int(found.group(2))
    raise AssertionError("no step text on the page")


def mode_sizes(at) -> dict[str, tuple[int, int] | None]:
    """Output size under each padding mode, as the side-by-side section states it."""
    found = {}
    for text in texts(at, "markdown"):
        match = re.match(r"\*\*(valid|same|full)\*\* — .* output \*\*(\d+) × (\d+)\*\*", text)
        if match:
            found[match.group(1)] = (int(match.group(2)), int(match.group(3)))
        failed = re.match(r"\*\*(valid|same|full)\*\* — does not work here", text)
        if failed:
            found[failed.group(1)] = None
    return found


def results(at):
    """The shape calculator's read-only results table."""
    (table,) = [t for t in at.dataframe if t.editing_mode == "read_only"]
    return table.value


def editor_key(at) -> str:
    (editor,) = at.data_editor
    return editor.key


def edit_network(at, edited=None, added=None, deleted=None):
    at.session_state[editor_key(at)] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    return at.run()


def warnings(at) -> list[str]:
    return texts(at, "warning")


def no_exception(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- library references -------------------------------------------------------------------------


def library_output(h, w, k, s, pad, d) -> tuple[int, int]:
    return conv.correlate2d(np.zeros((h, w)), np.zeros((k, k)), s, pad, d).shape


def library_padded(h, w, k, s, pad, d) -> tuple[int, int]:
    return conv.conv_trace(np.zeros((h, w)), np.zeros((k, k)), s, pad, d).padded.shape


def library_network_shapes(input_shape, layers) -> list[tuple]:
    """Run real arrays of zeros through each conv / pool layer; flatten and dense by size."""
    x = np.zeros(input_shape)
    out = []
    for layer in layers:
        kind = layer["type"]
        if kind == "conv":
            k, C = layer["kernel"], x.shape[2]
            fmap = conv.correlate2d(
                x, np.zeros((k, k, C)), layer.get("stride", 1), layer.get("pad", 0),
                layer.get("dilation", 1),
            )  # fmt: skip
            x = np.zeros(fmap.shape + (layer["filters"],))
        elif kind == "pool":
            x = pool.pool2d(x, layer["kernel"], layer.get("stride"), layer.get("mode", "max"))
        elif kind == "flatten":
            x = x.reshape(-1)
        elif kind == "dense":
            x = np.zeros(layer["units"]) @ np.zeros((layer["units"], layer["units"]))
        elif kind == "softmax":
            x = np.exp(x) / np.exp(x).sum()
        out.append(x.shape)
    return out


# --- the default view ---------------------------------------------------------------------------


@pytest.fixture
def at():
    return no_exception(app_test(PAGE).run())


def test_default_view(at):
    assert at.title[0].value.startswith("4 · Stride, padding and dilation")
    assert formula_result(at, "H") == formula_result(at, "W") == 3
    assert title_size(chart_titled(at, "Output ")) == (3, 3)
    assert title_size(chart_titled(at, "Padded input ")) == (7, 8)
    assert shown_step(at) == (1, 9)
    text = " ".join(texts(at, "markdown"))
    assert "The windows never read 1 column** (column 7 of the padded input, red)" in text
    assert "Column 7 comes after the last window" in text and "real input column" in text
    assert not warnings(at)


def test_default_view_has_the_lesson_contract(at):
    assert [s.value for s in at.subheader][-1] == "Check yourself"
    (expander,) = at.expander
    assert expander.label == "The NumPy behind this"
    assert not at.code  # closed: no source read or sent
    code = code_panel(open_code_panel(at))
    for name in ("def output_size", "def window_positions", "def correlate2d", "def layer_table"):
        assert name in code
    assert at.query_params["h"] in ("7", ["7"])
    tiny = networks.PRESETS["tiny"].text
    assert at.query_params["net"] in (tiny, [tiny])


def test_the_grid_prints_how_often_each_cell_is_read(at):
    grid = chart_titled(at, "Padded input ")
    coverage = trace_values(grid)
    expected = np.outer([1, 1, 2, 1, 2, 1, 1], [1, 1, 2, 1, 2, 1, 1, 0])
    np.testing.assert_array_equal(coverage, expected)
    centres = grid["data"][1]
    assert len(plotly_array(centres["x"])) == 9  # one dot per output cell


# --- every size shown equals the library's arrays -----------------------------------------------

SETTINGS = [
    (7, 8, 3, 2, "0", 1),
    (5, 5, 3, 1, "0", 1),
    (32, 32, 3, 1, "0", 1),
    (15, 15, 5, 1, "0", 1),
    (28, 28, 5, 1, "0", 1),
    (19, 19, 5, 1, "2", 1),
    (19, 19, 3, 1, "1", 1),
    (9, 13, 4, 1, "same", 1),
    (10, 7, 3, 3, "same", 2),
    (6, 11, 2, 2, "full", 1),
    (12, 5, 3, 2, "valid", 2),
    (1, 1, 1, 1, "0", 1),
    (3, 4, 5, 2, "1", 1),
    (20, 31, 8, 6, "6", 4),
]


@pytest.mark.parametrize(("h", "w", "k", "s", "pad", "d"), SETTINGS)
def test_every_size_shown_is_the_library_array_shape(h, w, k, s, pad, d):
    query = {"h": str(h), "w": str(w), "k": str(k), "s": str(s), "pad": pad, "d": str(d)}
    at = no_exception(app_test(PAGE, query).run())
    assert not any("adjusted" in t for t in texts(at, "info")), "the link should be used as is"
    pad_value = int(pad) if pad.isdigit() else pad
    H_out, W_out = library_output(h, w, k, s, pad_value, d)
    assert (formula_result(at, "H"), formula_result(at, "W")) == (H_out, W_out)
    output = chart_titled(at, "Output ")
    assert title_size(output) == (H_out, W_out) == trace_values(output).shape
    grid = chart_titled(at, "Padded input ")
    assert title_size(grid) == library_padded(h, w, k, s, pad_value, d) == trace_values(grid).shape
    assert shown_step(at) == (1, H_out * W_out)
    for mode, size in mode_sizes(at).items():
        if size is None:
            with pytest.raises(shapes.ShapeError):
                library_output(h, w, k, s, mode, d)
        else:
            assert size == library_output(h, w, k, s, mode, d), mode
    assert set(mode_sizes(at)) == set(shapes.PAD_MODES)


@pytest.mark.parametrize("name", list(networks.PRESETS))
def test_every_calculator_shape_is_the_library_array_shape(name):
    preset = networks.PRESETS[name]
    H, W, C = preset.input_shape
    at = no_exception(
        app_test(PAGE, {"net": preset.text, "nh": str(H), "nw": str(W), "nc": str(C)}).run()
    )
    layers = [networks.layer_from_cells(row) for row in networks.network_from_text(preset.text)]
    expected = library_network_shapes(preset.input_shape, layers)
    table = results(at)
    shown = [tuple(int(n) for n in text.split(" × ")) for text in table["Output shape"]]
    assert shown == expected
    params = shapes.layer_table(preset.input_shape, layers)
    assert list(table["Parameters"]) == [row["params"] for row in params]
    total = sum(row["params"] for row in params)
    assert any(f"Total: {total:,} learnable parameters" in t for t in texts(at, "markdown"))


# --- controls -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (lesson.HEIGHT.key, 12),
        (lesson.WIDTH.key, 5),
        (lesson.KERNEL.key, 5),
        (lesson.STRIDE.key, 1),
        (lesson.STRIDE.key, 3),
        (lesson.DILATION.key, 2),
    ],
)
def test_each_slider_changes_the_sizes_as_the_library_does(at, key, value):
    no_exception(at.slider(key=key).set_value(value).run())
    s = {k: at.slider(key=k).value for k in (lesson.HEIGHT.key, lesson.WIDTH.key,
         lesson.KERNEL.key, lesson.STRIDE.key, lesson.DILATION.key)}  # fmt: skip
    expected = library_output(
        s[lesson.HEIGHT.key], s[lesson.WIDTH.key], s[lesson.KERNEL.key],
        s[lesson.STRIDE.key], 0, s[lesson.DILATION.key],
    )  # fmt: skip
    assert (formula_result(at, "H"), formula_result(at, "W")) == expected
    assert title_size(chart_titled(at, "Output ")) == expected


@pytest.mark.parametrize("pad", lesson.PADDINGS)
def test_every_padding_choice(at, pad):
    no_exception(at.selectbox(key=lesson.PAD.key).set_value(pad).run())
    pad_value = int(pad) if pad.isdigit() else pad
    expected = library_output(7, 8, 3, 2, pad_value, 1)
    assert (formula_result(at, "H"), formula_result(at, "W")) == expected
    assert title_size(chart_titled(at, "Padded input ")) == library_padded(7, 8, 3, 2, pad_value, 1)
    assert at.query_params["pad"] in (pad, [pad])


def test_same_with_an_even_kernel_pads_unevenly_and_says_so(at):
    at.slider(key=lesson.KERNEL.key).set_value(4)
    no_exception(at.selectbox(key=lesson.PAD.key).set_value("same").run())
    assert formula_result(at, "H") == formula_result(at, "W") == 4  # stride 2: ceil(n / 2)
    text = " ".join(texts(at, "markdown"))
    assert "a kernel of 4 (spanning 4) needs 3 zeros: 1 before and 2 after" in text
    assert "a kernel of 5 (spanning 5) needs 4 zeros: 2 on each side" in text


def test_all_windows_at_once_hides_the_player(at):
    no_exception(at.radio(key=lesson.VIEW.key).set_value("all").run())
    assert not [b for b in at.button if b.key and b.key.startswith(STEP)]
    assert any(t.startswith("**9 windows** (3 down × 3 across)") for t in texts(at, "markdown"))
    shapes_drawn = chart_titled(at, "Padded input ")["layout"].get("shapes", [])
    assert not [s for s in shapes_drawn if s.get("line", {}).get("color") == "#ff9f1c"]
    assert at.query_params["view"] in ("all", ["all"])


def test_player_next_back_and_play(at):
    no_exception(at.button(key=f"{STEP}_next").click().run())
    assert shown_step(at) == (2, 9)
    text = " ".join(texts(at, "markdown"))
    assert "rows 0–2 and columns 2–4" in text
    no_exception(at.button(key=f"{STEP}_back").click().run())
    assert shown_step(at) == (1, 9)
    no_exception(at.button(key=f"{STEP}_play").click().run())
    assert at.session_state[PLAYING] is True
    no_exception(at.button(key=f"{STEP}_pause").click().run())
    assert at.session_state[PLAYING] is False


def test_a_step_outlines_its_window_on_the_grid(at):
    at.session_state[STEP] = 4
    no_exception(at.run())
    outlines = [
        s
        for s in chart_titled(at, "Padded input ")["layout"]["shapes"]
        if s.get("line", {}).get("color") == "#ff9f1c"
    ]
    # step 5 is output (1, 1): rows 2–4, columns 2–4
    assert (outlines[0]["x0"], outlines[0]["y0"], outlines[0]["x1"], outlines[0]["y1"]) == (
        1.5, 1.5, 4.5, 4.5,
    )  # fmt: skip


def test_windows_that_fit_exactly_say_so(at):
    no_exception(at.slider(key=lesson.WIDTH.key).set_value(7).run())
    assert any(t.startswith("**Every row and column is read**") for t in texts(at, "markdown"))


def test_left_out_padding_is_named_as_padding(at):
    at.slider(key=lesson.HEIGHT.key).set_value(8)
    no_exception(at.selectbox(key=lesson.PAD.key).set_value("1").run())
    # 8 + 2 = 10 padded, span 3, stride 2: (10 − 3) / 2 = 3.5, the last padding row is dropped
    assert any("only padding zeros are lost" in t for t in texts(at, "markdown"))


# --- impossible settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "mentions"),
    [
        ({lesson.STRIDE.key: 0}, "stride of 0 never moves the window"),
        ({lesson.DILATION.key: 0}, "Dilation 0"),
        ({lesson.KERNEL.key: 9}, "Pad with at least 1 zero on each side"),  # 9 > 7 rows
        ({lesson.HEIGHT.key: 1, lesson.KERNEL.key: 2}, "kernel of at most 1"),
        ({lesson.KERNEL.key: 3, lesson.DILATION.key: 4}, "spans 9 pixels"),
    ],
)
def test_impossible_settings_are_explained_never_raised(at, changes, mentions):
    for key, value in changes.items():
        at.slider(key=key).set_value(value)
    no_exception(at.run())
    (warning,) = warnings(at)
    assert mentions in warning
    assert not [f for f in charts(at) if f["layout"]["title"]["text"].startswith("Output ")]
    assert [s.value for s in at.subheader][-1] == "Check yourself"


def test_a_kernel_too_large_for_the_padded_input_suggests_a_fix_that_works():
    at = no_exception(app_test(PAGE, {"h": "4", "w": "6", "k": "7", "s": "1"}).run())
    (warning,) = warnings(at)
    assert "Height:" in warning and "pad=2" in warning
    at.selectbox(key=lesson.PAD.key).set_value("2")
    no_exception(at.run())
    assert not warnings(at)
    assert formula_result(at, "H") == library_output(4, 6, 7, 1, 2, 1)[0]


# --- worked examples ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "size", "net_shapes"),
    [
        (0, (30, 30), ["30 × 30 × 10"]),
        (1, (11, 11), ["11 × 11 × 1"]),
        (2, (24, 24), ["24 × 24 × 6", "12 × 12 × 6"]),
        (3, (19, 19), ["19 × 19 × 192"] * 12 + ["19 × 19 × 1", "361", "361"]),
    ],
)
def test_worked_example_buttons(at, index, size, net_shapes):
    no_exception(at.button(key=lesson.example_key(index)).click().run())
    assert (formula_result(at, "H"), formula_result(at, "W")) == size
    assert list(results(at)["Output shape"]) == net_shapes
    assert shown_step(at)[0] == 1


def test_alphago_example_pads_19_to_23(at):
    no_exception(at.button(key=lesson.example_key(3)).click().run())
    assert title_size(chart_titled(at, "Padded input ")) == (23, 23)
    assert at.slider(key=lesson.KERNEL.key).value == 5


def test_the_15_by_15_example_compares_with_a_dense_layer(at):
    no_exception(at.button(key=lesson.example_key(1)).click().run())
    text = " ".join(texts(at, "markdown"))
    assert "225 · 121 + 121 = **27,346**" in text
    assert "9.0× fewer weights per output" in text and "121× fewer" in text


# --- the network shape calculator ---------------------------------------------------------------


def test_default_network_is_tinycnn(at):
    table = results(at)
    assert list(table["Output shape"]) == [
        "8 × 8 × 8", "8 × 8 × 8", "4 × 4 × 8", "4 × 4 × 16", "4 × 4 × 16", "2 × 2 × 16",
        "64", "10",
    ]  # fmt: skip
    assert any("Total: 1,898 learnable parameters" in t for t in texts(at, "markdown"))


@pytest.mark.parametrize("name", list(networks.PRESETS))
def test_presets_load_from_the_list(at, name):
    no_exception(at.selectbox(key=lesson.NET_PRESET_KEY).set_value(name).run())
    preset = networks.PRESETS[name]
    assert len(results(at)) == len(networks.network_from_text(preset.text))
    assert at.number_input(key=lesson.NET_DEPTH.key).value == preset.input_shape[2]
    assert at.selectbox(key=lesson.NET_PRESET_KEY).value is None
    assert at.query_params["net"] in (preset.text, [preset.text])


def test_editing_a_cell_updates_shapes_and_the_url(at):
    edit_network(at, edited={0: {"size": 4}})
    no_exception(at)
    table = results(at)
    assert table["Output shape"][0] == "8 × 8 × 4"
    assert table["Parameters"][0] == 4 * 9 + 4
    assert at.query_params["net"] in (
        networks.PRESETS["tiny"].text.replace("conv,8", "conv,4", 1),
        [networks.PRESETS["tiny"].text.replace("conv,8", "conv,4", 1)],
    )


def test_changing_the_input_shape_changes_every_row(at):
    no_exception(at.number_input(key=lesson.NET_HEIGHT.key).set_value(16).run())
    assert results(at)["Output shape"][5] == "4 × 2 × 16"
    assert results(at)["Output shape"][6] == "128"


@pytest.mark.parametrize(
    ("edit", "index", "mentions"),
    [
        ({0: {"kernel": 11}}, 0, "does not fit"),
        ({0: {"size": 0}}, 0, "at least 1"),
        ({0: {"stride": 0}}, 0, "at least 1"),
        ({2: {"kernel": 9}}, 2, "does not fit"),
        ({7: {"size": None}}, 7, "'units' is missing"),
        ({6: {"type": "relu"}}, 7, "add a flatten layer before dense"),
        ({5: {"type": "dense", "size": 3}}, 5, "add a flatten layer before dense"),
        ({0: {"type": None}}, 0, "unknown layer type None"),
    ],
)
def test_a_bad_layer_is_reported_on_its_row(at, edit, index, mentions):
    edit_network(at, edited=edit)
    no_exception(at)
    table = results(at)
    assert mentions in table["Problem"][index]
    assert (table["Output shape"][index], pd_none(table["Parameters"][index])) == ("—", None)
    assert all(table["Problem"][i] == "" for i in range(index))
    assert all("waits for layer" in p for p in table["Problem"][index + 1 :])
    (error,) = texts(at, "error")
    assert error.startswith(f"Layer {index} (")


def pd_none(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def test_a_pool_after_flatten_is_reported(at):
    edit_network(at, added=[{"type": "pool", "kernel": 2}])
    no_exception(at)
    table = results(at)
    assert len(table) == 9
    assert "put pool layers before the flatten layer" in table["Problem"][8]


def test_adding_a_blank_row_asks_for_a_type(at):
    edit_network(at, added=[{}])
    no_exception(at)
    assert "unknown layer type None" in results(at)["Problem"][8]
    assert at.query_params["net"] in (
        networks.PRESETS["tiny"].text + ";",
        [networks.PRESETS["tiny"].text + ";"],
    )


def test_deleting_every_row_leaves_a_hint(at):
    edit_network(at, deleted=list(range(8)))
    no_exception(at)
    assert any("table is empty" in t for t in texts(at, "info"))
    assert not [t for t in at.dataframe if t.editing_mode == "read_only"]


def test_a_dense_stack_has_no_conv_comparison(at):
    no_exception(app_test(PAGE, {"net": "flatten;dense,10", "nh": "4"}).run())


# --- URL state ----------------------------------------------------------------------------------


def test_a_deep_link_restores_every_setting():
    query = {
        "h": "15", "w": "9", "k": "5", "s": "1", "pad": "same", "d": "2", "view": "all",
        "net": "conv,4,3;pool,3,1,avg", "nh": "10", "nw": "12", "nc": "2", "step": "3",
    }  # fmt: skip
    at = no_exception(app_test(PAGE, query).run())
    assert not texts(at, "info")
    assert (formula_result(at, "H"), formula_result(at, "W")) == (15, 9)
    assert at.radio(key=lesson.VIEW.key).value == "all"
    assert list(results(at)["Output shape"]) == ["8 × 10 × 4", "6 × 8 × 4"]
    assert "avg-pool 3×3, stride 1" in list(results(at)["Layer"])
    assert {k: at.query_params[k] for k in query} == {
        k: at.query_params[k] for k in query
    }  # written back unchanged
    assert at.query_params["pad"] in ("same", ["same"])


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"h": "abc"}, "not a whole number for h"),
        ({"w": "99"}, "w must be between 1 and 32"),
        ({"k": "-3"}, "k must be between 1 and 9"),
        ({"s": "1.5"}, "not a whole number for s"),
        ({"d": "1e9"}, "d must be between 0 and 4"),
        ({"pad": "banana"}, "not a choice for pad"),
        ({"pad": "7"}, "not a choice for pad"),
        ({"view": "<script>"}, "not a choice for view"),
        ({"step": "nan"}, "not a whole number for step"),
        ({"net": "conv,8,3;sigmoid"}, "net could not be used"),
        ({"net": "conv,x"}, "net could not be used"),
        ({"net": ";".join(["relu"] * 41)}, "net could not be used"),
        ({"net": "pool,2,2,min"}, "net could not be used"),
        ({"nc": "0"}, "nc must be between 1 and 512"),
    ],
)
def test_bad_url_values_are_clamped_and_noted(query, note):
    at = no_exception(app_test(PAGE, query).run())
    (info,) = texts(at, "info")
    assert note in info
    # the page still works with the adjusted values (d=4 makes the kernel too wide: explained)
    assert charts(at) and (warnings(at) or chart_titled(at, "Output "))


def test_a_step_far_past_the_end_is_clamped():
    at = no_exception(app_test(PAGE, {"step": "500"}).run())
    assert shown_step(at) == (9, 9)


def test_impossible_settings_from_a_link_are_explained():
    at = no_exception(app_test(PAGE, {"s": "0", "d": "0"}).run())
    (warning,) = warnings(at)
    assert "stride of 0" in warning


# --- check yourself -----------------------------------------------------------------------------


def quiz_input(at):
    (field,) = [n for n in at.number_input if n.key and n.key.startswith(lesson.QUIZ_KEY)]
    return field


def test_quiz_right_wrong_reveal_and_next(at):
    assert "How many columns does the output have?" in " ".join(texts(at, "markdown"))
    no_exception(quiz_input(at).set_value(3).run())
    assert any(s.startswith("Right!") for s in texts(at, "success"))
    no_exception(quiz_input(at).set_value(4).run())
    assert any("Not quite" in w for w in warnings(at))
    no_exception(at.button(key=f"{lesson.QUIZ_KEY}_reveal").click().run())
    assert any(t.startswith("**Answer: 3.**") for t in texts(at, "info"))
    no_exception(at.button(key=f"{lesson.QUIZ_KEY}_next").click().run())
    assert "does no window ever read" in " ".join(texts(at, "markdown"))
    no_exception(quiz_input(at).set_value(1).run())
    assert any(s.startswith("Right!") for s in texts(at, "success"))


def test_quiz_still_asks_when_the_settings_are_impossible():
    at = no_exception(app_test(PAGE, {"s": "0"}).run())
    assert "A new problem" in " ".join(texts(at, "markdown"))


# --- review fixes: no crash from any slider value, readable charts, short labels ----------------


def test_kernel_7_with_dilation_4_is_explained_not_raised(at):
    """Review bug: the quiz's new problem was narrower than a 7-tap kernel at dilation 4."""
    at.slider(key=lesson.KERNEL.key).set_value(7).run()
    no_exception(at)
    at.slider(key=lesson.DILATION.key).set_value(4).run()
    no_exception(at)
    (warning,) = warnings(at)
    assert "spans 25 pixels" in warning
    assert [s.value for s in at.subheader][-1] == "Check yourself"
    assert at.query_params["k"] in ("7", ["7"]) and at.query_params["d"] in ("4", ["4"])


def test_the_bad_deep_link_from_the_review_is_clamped_and_explained():
    at = no_exception(app_test(PAGE, {"k": "99", "d": "1e9", "w": "0"}).run())
    (info,) = texts(at, "info")
    assert "k must be between 1 and 9" in info and "d must be between 0 and 4" in info
    assert "w must be between 1 and 32" in info
    assert warnings(at)  # k=9, d=4 spans 33 pixels: explained
    assert [s.value for s in at.subheader][-1] == "Check yourself"
    assert at.query_params["k"] in ("9", ["9"])  # synced: the script reached the end


def test_every_slider_extreme_and_padding_choice_runs_without_error():
    """All 32 corners of (height, width, kernel, stride, dilation), each padding choice."""
    at = no_exception(app_test(PAGE).run())
    corners = [
        (h, w, k, s, d)
        for h in (1, lesson.MAX_SIDE)
        for w in (1, lesson.MAX_SIDE)
        for k in (1, lesson.MAX_KERNEL)
        for s in (0, lesson.MAX_STRIDE)
        for d in (0, lesson.MAX_DILATION)
    ]
    for index, (h, w, k, s, d) in enumerate(corners):
        for pads in (lesson.PADDINGS[index % len(lesson.PADDINGS)], "full"):
            values = {
                lesson.HEIGHT.key: h, lesson.WIDTH.key: w, lesson.KERNEL.key: k,
                lesson.STRIDE.key: s, lesson.DILATION.key: d,
            }  # fmt: skip
            for key, value in values.items():
                at.slider(key=key).set_value(value)
            at.selectbox(key=lesson.PAD.key).set_value(pads)
            at.run()
            assert not at.exception, ((h, w, k, s, d, pads), [e.value for e in at.exception])
            assert [x.value for x in at.subheader][-1] == "Check yourself"
            assert warnings(at) or chart_titled(at, "Output ")


def test_the_32_example_prints_no_numbers_in_its_big_grids(at):
    no_exception(at.button(key=lesson.example_key(0)).click().run())
    grid, output = chart_titled(at, "Padded input "), chart_titled(at, "Output ")
    for figure in (grid, output):
        assert "hover for the numbers" in figure["layout"]["title"]["text"]
        assert "text" not in figure["data"][0] or figure["data"][0]["text"] is None
    (valid,) = [f for f in charts(at) if f["layout"]["title"]["text"].startswith("“valid”")]
    assert valid["data"][0].get("text") is None
    assert any("hover a cell for the numbers" in c for c in texts(at, "caption"))


def test_the_default_grids_still_print_their_numbers(at):
    for figure in (chart_titled(at, "Padded input "), chart_titled(at, "Output ")):
        assert figure["data"][0]["text"] and "hover" not in figure["layout"]["title"]["text"]
    for figure in [f for f in charts(at) if f["layout"]["title"]["text"].startswith("“")]:
        assert figure["data"][0]["text"]
    assert not any("hover a cell" in c for c in texts(at, "caption"))


def test_example_buttons_have_short_labels_and_full_help(at):
    buttons = [at.button(key=lesson.example_key(i)) for i in range(4)]
    assert [b.label for b in buttons] == list(lesson.EXAMPLES)
    assert all(len(b.label) <= 16 for b in buttons)
    assert "11 × 11" in buttons[1].help and "23 × 23" in buttons[3].help


def test_the_span_note_is_its_own_line(at):
    formula, note = latex(at)[:2]
    assert formula.startswith(r"n_{\text{out}}") and "spans" not in formula
    assert "the window spans" in note


def test_dilation_0_is_explained_like_stride_0(at):
    no_exception(at.slider(key=lesson.DILATION.key).set_value(0).run())
    (warning,) = warnings(at)
    assert "Dilation 0 would stack all the kernel's taps on one pixel" in warning
    assert "Dilation 1 is an ordinary kernel" in warning
    assert any("dilation of at least 1" in c for c in texts(at, "caption"))


# --- issue 10: the corrected text and answers for the review's examples -------------------------


def page_text(at) -> str:
    """Everything a learner reads: prose, captions, notices, formulas, button help, table cells."""
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success"):
        parts += texts(at, kind)
    parts += latex(at) + [b.help or "" for b in at.button]
    parts += [str(cell) for t in at.dataframe for cell in np.ravel(t.value.to_numpy())]
    return "\n".join(parts)


def red_columns(figure: dict) -> set[int]:
    """Columns under a full-height red band of the window grid."""
    n_rows = trace_values(figure).shape[0]
    covered = set()
    for band in figure["layout"].get("shapes", []):
        if band.get("fillcolor") == "rgba(230, 57, 70, 0.30)" and (band["y0"], band["y1"]) == (
            -0.5, n_rows - 0.5,
        ):  # fmt: skip
            covered |= set(range(int(band["x0"] + 0.5), int(band["x1"] + 0.5)))
    return covered


def test_every_unread_column_is_shown_explained_and_asked():
    """Item 1: width 8, k 1, s 2, p 0, d 1 reads columns [1,0,1,0,1,0,1,0]: 4 unread."""
    at = no_exception(app_test(PAGE, {"w": "8", "k": "1", "s": "2", "pad": "0", "d": "1"}).run())
    grid = chart_titled(at, "Padded input ")
    np.testing.assert_array_equal(trace_values(grid)[0], [1, 0, 1, 0, 1, 0, 1, 0])
    assert red_columns(grid) == {1, 3, 5, 7}
    text = " ".join(texts(at, "markdown"))
    assert "**The windows never read 4 columns** (columns 1, 3, 5, 7 of the padded input" in text
    assert "Columns 1, 3, 5 lie between windows" in text and "stride 2 > span 1" in text
    assert "Column 7 comes after the last window" in text and "the floor drops" in text
    assert "**The windows never read 3 rows** (rows 1, 3, 5" in text  # h 7: gaps only
    assert "jumps over" in text and "at the end" in text  # the lesson text names both kinds
    no_exception(at.button(key=f"{lesson.QUIZ_KEY}_next").click().run())
    assert "does no window ever read" in " ".join(texts(at, "markdown"))
    no_exception(quiz_input(at).set_value(1).run())
    assert any("Not quite" in w for w in warnings(at))  # the old, floor-only answer
    no_exception(quiz_input(at).set_value(4).run())
    assert any(
        s.startswith("Right! 4 of the 8 columns are never read.") for s in texts(at, "success")
    )


def test_no_filter_size_is_called_F_anywhere_in_lesson_4(at):
    """Item 7: one notation — n, k, F (number of filters), s, p, d; no CS231n "F = 3"."""
    seen = [page_text(at)]
    for index in range(len(lesson.EXAMPLES)):
        seen.append(page_text(no_exception(at.button(key=lesson.example_key(index)).click().run())))
    for name in networks.PRESETS:
        seen.append(page_text(no_exception(at.selectbox(key=lesson.NET_PRESET_KEY)
                                           .set_value(name).run())))  # fmt: skip
    text = "\n".join(seen)
    for match in re.finditer(r"\bF = (\d+)", text):
        assert text[match.end() :].startswith(" filters"), text[
            match.start() - 40 : match.end() + 20
        ]
    assert not re.search(r"\b[WPS] = \d", text)
    assert "n = 32, k = 3" in text and "F = 10 filters" in text


def test_alphago_last_layer_has_a_bias_per_position_and_a_softmax(at):
    """Item 10: 192 weights + 361 biases = 553; 3,882,793 in all; softmax over 361 points."""
    no_exception(at.button(key=lesson.example_key(3)).click().run())
    table = results(at)
    assert table["Parameters"][12] == 553
    assert "a bias per position (19×19)" in table["Layer"][12]
    assert list(table["Output shape"][-2:]) == ["361", "361"]
    assert "softmax: 361 scores → 361 probabilities" in table["Layer"][14]
    text = " ".join(texts(at, "markdown"))
    assert "**Total: 3,882,793 learnable parameters**." in text
    assert "In the table: AlphaGo's policy network (19×19×48)." in text


def test_preset_labels_say_what_the_networks_are(at):
    """Item 11: 28 → 24 → 12 is not LeNet; LeNet-5's 28 → 14 and 10 → 5 are subsampling."""
    button = at.button(key=lesson.example_key(2))
    assert "LeNet" not in button.label and "not LeNet" in button.help
    assert "LeNet on MNIST" not in page_text(at)
    no_exception(at.selectbox(key=lesson.NET_PRESET_KEY).set_value("lenet").run())
    text = " ".join(texts(at, "markdown"))
    assert "**In the table: LeNet-5-like (32×32 grayscale).**" in text
    assert "2×2 subsampling halves 28 → 14 and 10 → 5" in text
    assert "convolutions shrink 32 → 28 → 14" not in text
    assert "tanh" in text and "trainable average subsampling" in text


def test_the_loaded_network_stays_named_until_it_is_edited(at):
    """Item 29: the list goes back to its placeholder, but the table's name stays visible."""
    assert "**In the table: Lesson 7's TinyCNN (8×8 digits).**" in " ".join(texts(at, "markdown"))
    no_exception(at.selectbox(key=lesson.NET_PRESET_KEY).set_value("alphago").run())
    assert at.selectbox(key=lesson.NET_PRESET_KEY).value is None
    assert "In the table: AlphaGo's policy network" in " ".join(texts(at, "markdown"))
    edit_network(at, edited={0: {"size": 4}})
    no_exception(at)
    text = " ".join(texts(at, "markdown"))
    assert "In the table: your own network" in text and "In the table: AlphaGo" not in text


def test_the_layer_tables_show_every_row(monkeypatch):
    """Item 29: no scrolling inside the tables (a projector hid AlphaGo's last rows)."""
    import streamlit

    heights = []
    for name in ("dataframe", "data_editor"):
        original = getattr(streamlit, name)

        def record(*args, _original=original, _name=name, **kwargs):
            heights.append((_name, kwargs.get("height", "auto")))
            return _original(*args, **kwargs)

        monkeypatch.setattr(streamlit, name, record)
    preset = networks.PRESETS["alphago"]
    query = {"net": preset.text, "nh": "19", "nw": "19", "nc": "48"}
    at = no_exception(app_test(PAGE, query).run())
    assert len(results(at)) == 15
    assert sorted(heights) == [("data_editor", "content"), ("dataframe", "content")]


def test_padding_does_not_read_corners_as_often_unless_full():
    """Item 12: same padding, 3×3, stride 1 — a corner is read 4 times, an inner pixel 9."""
    at = no_exception(app_test(PAGE, {"k": "3", "s": "1", "pad": "same"}).run())
    intro = texts(at, "markdown")[0]
    assert "as often as the others" not in page_text(at)
    assert "reach the border pixels more often" in intro
    same = trace_values(chart_titled(at, "“same”"))[1:-1, 1:-1]  # the 7 × 8 input inside
    full = trace_values(chart_titled(at, "“full”"))[2:-2, 2:-2]
    assert (same[0, 0], same[3, 3], same.max()) == (4, 9, 9)
    assert (full == 9).all() and full.shape == (7, 8)
    text = " ".join(texts(at, "markdown"))
    assert "same: the corner pixel 4×, the most-read pixel 9×" in text
    assert "full: every pixel 9×" in text and "valid: the corner pixel 1×" in text
    assert "Only full padding (at stride 1) reads every" in text


def test_counts_read_with_the_right_plural():
    """Item 29: "only 1 pixels", "1 zero(s)" — now "only 1 pixel", "1 zero"."""
    at = no_exception(app_test(PAGE, {"h": "1", "k": "2"}).run())
    (warning,) = warnings(at)
    assert "the input is only 1 pixel, so" in warning
    assert "Pad with at least 1 zero on each side" in warning and "(s)" not in warning
    at = no_exception(app_test(PAGE, {"s": "1", "pad": "1"}).run())
    text = " ".join(texts(at, "markdown"))
    assert "Next it moves 1 column right" in text
    assert "(1 zero left, 1 right)" in text and "(s)" not in page_text(at)


def test_a_one_pixel_window_names_one_row_and_column():
    at = no_exception(app_test(PAGE, {"k": "1", "s": "1"}).run())
    text = " ".join(texts(at, "markdown"))
    assert "the window covers row 0 and column 0 of the padded input" in text
    assert "a kernel of 1 (spanning 1) needs 0 zeros" in text
    assert "a kernel of 2 (spanning 2) needs 1 zero: 0 before and 1 after" in text
