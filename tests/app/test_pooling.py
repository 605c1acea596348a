"""AppTest for lesson 5: every control, the numbers on screen, uploads and URL state."""

import json

import numpy as np
import pytest

from cnnviz.data import kernels, samples
from cnnviz.lessons import pooling as lesson
from cnnviz.ops import conv, pixels, pool
from cnnviz.viz import pooling as pool_figures
from tests.app.conftest import (
    app_test,
    chart_titled,
    charts,
    code_panel,
    open_code_panel,
    texts,
    trace_values,
)
from tests.app.test_pixels import png_bytes

PAGE = "pages/5_Pooling.py"


def matrix(seed=5, side=6, values="digits") -> np.ndarray:
    _, lo, hi = lesson.VALUE_RANGES[values]
    return np.random.default_rng(seed).integers(lo, hi + 1, size=(side, side))


def latex(at) -> list[str]:
    return [x.value for x in at.latex]


def shapes_of(figure: dict, color: str) -> list[dict]:
    return [
        s for s in figure["layout"].get("shapes", []) if s.get("line", {}).get("color") == color
    ]


@pytest.fixture
def at():
    return app_test(PAGE).run()


def test_default_view_pools_the_same_numbers_both_ways(at):
    assert not at.exception and not at.warning and not at.info
    assert at.title[0].value.startswith("5 · Pooling")
    x = matrix()
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Input 6 × 6")), x)
    np.testing.assert_array_equal(
        trace_values(chart_titled(at, "Max pooled 3 × 3")), pool.pool2d(x)
    )
    average = chart_titled(at, "Average pooled 3 × 3")
    np.testing.assert_allclose(trace_values(average), pool.pool2d(x, mode="avg"))
    sums, _ = pool.avg_pool_sums(x)
    text = np.array(average["data"][0]["text"], dtype=object)
    assert text[0, 0].startswith(f"{sums[0, 0]:.0f} ÷ 4<br>")  # each average as sum ÷ count


def test_every_max_winner_is_framed_and_bold(at):
    x = matrix()
    figure = chart_titled(at, "Input 6 × 6")
    frames = shapes_of(figure, pool_figures.WINNER_COLOR)
    winners = pool.max_pool_winners(x)
    cells = {(int(r), int(c)) for r, c in winners.reshape(-1, 2)}
    framed = {(round(f["y0"] + 0.4), round(f["x0"] + 0.4)) for f in frames}
    assert framed == cells
    text = np.array(figure["data"][0]["text"], dtype=object)
    for r, c in cells:
        assert text[r, c].startswith("<b>")
    assert len(shapes_of(figure, pool_figures.WINDOW_LINE)) == 9  # the nine 2×2 windows


def test_first_window_is_spelled_out(at):
    x = matrix()
    window = x[:2, :2].ravel()
    (formula,) = [t for t in latex(at) if r"\max" in t]
    assert f"\\max({', '.join(str(v) for v in window)}) = {window.max()}" in formula
    (average,) = [t for t in latex(at) if r"\div" in t]
    rows = [" + ".join(str(v) for v in row) for row in x[:2, :2]]  # one window row a line
    assert f"(&{rows[0]} \\\\ &+ {rows[1]}) \\div 4" in average
    assert f"&= {window.sum()} \\div 4 = {window.sum() / 4:g}" in average


def test_picking_another_window_moves_the_red_frame_and_the_arithmetic(at):
    at.slider(key=lesson.WINDOW.key).set_value(9).run()
    assert not at.exception
    x = matrix()
    (formula,) = [t for t in latex(at) if r"\max" in t]
    assert f"= {x[4:, 4:].max()}" in formula
    (red,) = shapes_of(chart_titled(at, "Input 6 × 6"), pool_figures.HIGHLIGHT)
    assert (red["x0"], red["y0"]) == (3.5, 3.5)


def test_new_numbers_button_and_seed_change_the_matrix(at):
    at.button(key=lesson.NEW_NUMBERS_KEY).click().run()
    assert at.session_state[lesson.SEED.key] == 6
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Input 6 × 6")), matrix(6))
    at.number_input(key=lesson.SEED.key).set_value(42).run()
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Input 6 × 6")), matrix(42))
    assert at.query_params["seed"] in ("42", ["42"])


@pytest.mark.parametrize("values", list(lesson.VALUE_RANGES))
@pytest.mark.parametrize("side", [4, 5, 8])
def test_every_size_and_value_range(at, side, values):
    at.slider(key=lesson.SIDE.key).set_value(side).run()
    at.selectbox(key=lesson.VALUES.key).set_value(values).run()
    assert not at.exception
    x = matrix(side=side, values=values)
    np.testing.assert_array_equal(trace_values(chart_titled(at, f"Input {side} × {side}")), x)
    n = side // 2
    shown = trace_values(chart_titled(at, f"Max pooled {n} × {n}"))
    np.testing.assert_array_equal(shown, pool.pool2d(x))
    _, lo, hi = lesson.VALUE_RANGES[values]
    assert x.min() >= lo and x.max() <= hi


@pytest.mark.parametrize("size", [1, 2, 3, 4])
@pytest.mark.parametrize("stride", [1, 2, 3, 4])
def test_every_window_and_stride(at, size, stride):
    at.slider(key=lesson.SIZE.key).set_value(size).run()
    at.slider(key=lesson.STRIDE.key).set_value(stride).run()
    assert not at.exception
    x = matrix()
    expected = pool.pool2d(x, size, stride)
    h, w = expected.shape
    np.testing.assert_array_equal(trace_values(chart_titled(at, f"Max pooled {h} × {w}")), expected)
    np.testing.assert_allclose(
        trace_values(chart_titled(at, f"Average pooled {h} × {w}")),
        pool.pool2d(x, size, stride, "avg"),
    )
    dout = np.arange(1, expected.size + 1.0).reshape(expected.shape)
    for title, mode in (("Max: all", "max"), ("Average: each", "avg")):
        np.testing.assert_allclose(
            trace_values(chart_titled(at, title)), pool.pool2d_backward(dout, x, size, stride, mode)
        )
    input_figure = chart_titled(at, "Input 6 × 6")
    shaded = [s for s in input_figure["layout"].get("shapes", []) if "fillcolor" in s]
    read = np.zeros((6, 6), dtype=bool)  # which numbers some window reads, by brute force
    for r in range(h):
        for c in range(w):
            read[r * stride : r * stride + size, c * stride : c * stride + size] = True
    assert len(shaded) == np.count_nonzero(~read)


def test_gradients_keep_the_total_and_max_sends_all_to_the_winner(at):
    dout = trace_values(chart_titled(at, "Upstream gradient 3 × 3"))
    np.testing.assert_array_equal(dout, np.arange(1, 10).reshape(3, 3))
    dx_max = trace_values(chart_titled(at, "Max: all to the winner"))
    assert np.count_nonzero(dx_max) == 9 and dx_max.sum() == 45
    dx_avg = trace_values(chart_titled(at, "Average: each gets ÷ 4"))
    np.testing.assert_allclose(dx_avg, np.kron(dout / 4, np.ones((2, 2))))
    assert any("Total upstream gradient 45" in t for t in texts(at, "caption"))


def test_ties_still_have_exactly_one_winner_per_window(at):
    at.selectbox(key=lesson.VALUES.key).set_value("ties").run()
    x = matrix(values="ties")
    dx_max = trace_values(chart_titled(at, "Max: all to the winner"))
    winners = pool.max_pool_winners(x)
    expected = np.zeros((6, 6))
    for (r, c), g in zip(winners.reshape(-1, 2), range(1, 10), strict=True):
        expected[r, c] += g
    np.testing.assert_array_equal(dx_max, expected)


@pytest.mark.parametrize("spot", [0, 5, 15])
def test_the_spot_only_moves_the_output_between_windows(at, spot):
    at.select_slider(key=lesson.SPOT.key).set_value(spot).run()
    assert not at.exception
    row, col = divmod(spot, 4)
    shown = trace_values(chart_titled(at, "After max pooling"))
    expected = np.zeros((2, 2))
    expected[row // 2, col // 2] = 9
    np.testing.assert_array_equal(shown, expected)


def cat_map(name="sobel_vertical_edges"):
    cat = samples.load_sample("chelsea")
    small = pixels.resize(cat, 170, 256, "area")
    if name == "photo":
        return small
    gray = pixels.to_grayscale(small).astype(float)
    return conv.correlate2d(gray, kernels.PRESETS[name].array)  # no padding: 168 × 254


def test_real_feature_map_is_pooled_with_sizes(at):
    fmap = cat_map()
    chart_titled(at, "Original · 168 × 254")
    maxed = chart_titled(at, "Max pooled once · 84 × 127")
    averaged = chart_titled(at, "Average pooled once · 84 × 127")
    np.testing.assert_allclose(trace_values(maxed), pool.pool2d(fmap).astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(
        trace_values(averaged), pool.pool2d(fmap, mode="avg").astype(np.float32), rtol=1e-6
    )
    assert any("168 × 254 → 84 × 127" in t for t in texts(at, "markdown"))


@pytest.mark.parametrize(("times", "shape"), [(2, "42 × 63"), (3, "21 × 31")])
def test_pooling_again_and_again(at, times, shape):
    at.select_slider(key=lesson.TIMES.key).set_value(times).run()
    assert not at.exception
    word = lesson.TIMES_WORDS[times]
    original = chart_titled(at, "Original · 168 × 254")
    maxed = chart_titled(at, f"Max pooled {word} · {shape}")
    averaged = chart_titled(at, f"Average pooled {word} · {shape}")
    # One colour scale for all three maps, so the weaker average looks paler.
    limit = float(np.abs(cat_map()).max())
    for figure in (original, maxed, averaged):
        assert figure["data"][-1]["zmin"] == -limit and figure["data"][-1]["zmax"] == limit
    # 31 columns in a chart about 430 px wide: cells too small for numbers, colours only.
    assert "text" not in maxed["data"][0] and "text" not in averaged["data"][0]
    assert any("One colour scale for all three" in t for t in texts(at, "markdown"))


def test_the_photo_keeps_its_three_channels(at):
    at.selectbox(key=lesson.MAP.key).set_value("photo").run()
    assert not at.exception
    chart_titled(at, "Original · 170 × 256 × 3")
    chart_titled(at, "Max pooled once · 85 × 128 × 3")
    markdown = " ".join(texts(at, "markdown"))
    assert "170 × 256 × 3 → 85 × 128 × 3" in markdown
    photo = cat_map("photo")
    assert f"Mean pixel value: original {photo.mean():.1f}, max pooled" in markdown
    means = pool.global_avg_pool(cat_map("photo"))
    assert f"R = {means[0]:.2f}, G = {means[1]:.2f}, B = {means[2]:.2f}" in markdown


@pytest.mark.parametrize("name", lesson.MAPS)
def test_every_map_choice_runs(at, name):
    at.selectbox(key=lesson.MAP.key).set_value(name).run()
    assert not at.exception and not at.error


@pytest.mark.parametrize("image", samples.sample_names())
def test_every_sample_photo(at, image):
    at.selectbox(key=lesson.IMAGE.key).set_value(image).run()
    assert not at.exception
    assert any(" → " in t and "numbers kept" in t for t in texts(at, "markdown"))


def test_upload_good_then_bad_then_tiny(at):
    at.selectbox(key=lesson.IMAGE.key).set_value("upload").run()
    assert not at.exception
    rgb = np.zeros((40, 64, 3), dtype=np.uint8)
    rgb[:, 32:] = 255  # one vertical edge
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("edge.png", png_bytes(rgb), "image/png"))
    at.run()
    assert not at.exception and not at.error
    chart_titled(at, "Original · 38 × 62")  # a 3 × 3 filter without padding
    # Dark to bright is a negative Sobel response: max pooling drops it, the average keeps it.
    maxed = trace_values(chart_titled(at, "Max pooled once · 19 × 31"))
    averaged = trace_values(chart_titled(at, "Average pooled once · 19 × 31"))
    assert maxed.max() == 0 and averaged.min() == -4 * 255  # columns 30-31 share a window
    at.selectbox(key=lesson.MAP.key).set_value("photo").run()
    maxed = trace_values(chart_titled(at, "Max pooled once · 20 × 32 × 3"))
    assert (maxed[:, 16:] == 255).all() and (maxed[:, :16] == 0).all()
    at.selectbox(key=lesson.MAP.key).set_value("sobel_vertical_edges").run()
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("bad.png", b"not an image", "image/png"))
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "bad.png" in error.value and "could not be used" in error.value
    chart_titled(at, "Original · 168 × 254")  # the sample is used instead
    tiny = np.full((1, 1, 3), 200, dtype=np.uint8)
    at.file_uploader(key=lesson.UPLOAD_KEY).set_value(("dot.png", png_bytes(tiny), "image/png"))
    at.run()
    assert not at.exception
    filter_note, pool_note = (w.value for w in at.warning)
    assert "too small for the filter" in filter_note  # a 3 × 3 Sobel does not fit 1 × 1
    assert "too small to pool" in pool_note  # and the photo instead is too small to pool
    at.selectbox(key=lesson.MAP.key).set_value("photo").run()
    assert not at.exception
    (warning,) = at.warning  # nor does a 2 × 2 pooling window
    assert "too small to pool" in warning.value
    assert any("1 × 1 × 3 → 3 numbers" in t for t in texts(at, "markdown"))  # global pooling


def test_check_yourself_asks_about_the_numbers_on_screen(at):
    x = matrix()
    (guess,) = [n for n in at.number_input if n.key.startswith(lesson.QUIZ_KEY)]
    guess.set_value(float(x[4:, 4:].max())).run()
    assert any("Right!" in s.value for s in at.success)
    at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    (guess,) = [n for n in at.number_input if n.key.startswith(lesson.QUIZ_KEY)]
    guess.set_value(round(x[4:, 4:].mean(), 2)).run()
    assert any("Right!" in s.value for s in at.success)
    at.button(key=f"{lesson.QUIZ_KEY}_next").click().run()
    (guess,) = [n for n in at.number_input if n.key.startswith(lesson.QUIZ_KEY)]
    guess.set_value(84.0 * 127).run()  # 168 × 254 × 1 map, 2 × 2 at stride 2
    assert any("Right!" in s.value for s in at.success)
    at.button(key=f"{lesson.QUIZ_KEY}_reveal").click().run()
    assert any("Answer: 10,668" in i.value for i in at.info)
    # The answer box shows what was typed, not a 2-decimal rendering ("10668.00").
    (guess,) = [n for n in at.number_input if n.key.startswith(lesson.QUIZ_KEY)]
    assert guess.proto.format == "%g"
    guess.set_value(700.0).run()
    assert any("Not quite — 700 is not it" in w.value for w in at.warning)


def test_lesson_contract_and_payload(at):
    assert [s.value for s in at.subheader][-1] == "Check yourself"
    (expander,) = at.expander
    assert expander.label == "The NumPy behind this"
    assert not at.code  # closed: no source read or sent
    payload = sum(len(json.dumps(f)) for f in charts(at))
    assert payload < 300_000, payload
    code = code_panel(open_code_panel(at))
    for name in ("def pool2d(", "def pool2d_backward(", "def max_pool_winners(", "global_avg"):
        assert name in code


def test_url_round_trip():
    query = {
        "seed": "17",
        "side": "8",
        "values": "signed",
        "size": "3",
        "stride": "2",
        "window": "4",
        "spot": "10",
        "image": "coffee",
        "map": "laplacian",
        "times": "2",
    }
    at = app_test(PAGE, query).run()
    assert not at.exception and not at.info
    x = matrix(17, 8, "signed")
    np.testing.assert_array_equal(trace_values(chart_titled(at, "Input 8 × 8")), x)
    np.testing.assert_array_equal(
        trace_values(chart_titled(at, "Max pooled 3 × 3")), pool.pool2d(x, 3, 2)
    )
    (formula,) = [t for t in latex(at) if r"\max" in t]
    assert formula.strip("$\n").endswith(f"= {x[2:5, 0:3].max()}")  # window 4: rows 2–4, cols 0–2
    assert any("A cup of coffee" in t for t in texts(at, "markdown"))
    for name, value in query.items():
        got = at.query_params[name]
        assert (got[0] if isinstance(got, list) else got) == value, name


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"seed": "abc"}, "not a whole number"),
        ({"seed": "-4"}, "between 0 and 9999"),
        ({"side": "100"}, "between 4 and 8"),
        ({"values": "<script>"}, "not a choice"),
        ({"size": "0"}, "between 1 and 4"),
        ({"stride": "2.5"}, "not a whole number"),
        ({"window": "999"}, "between 1 and 9; using 9 (the 6 × 6 matrix has 9 windows"),
        ({"spot": "nan"}, "not a whole number"),
        ({"image": "[x](http://evil)"}, "not a choice"),
        ({"map": "sobel"}, "not a choice"),
        ({"times": "9"}, "between 1 and 3"),
    ],
)
def test_bad_url_values_are_noted_never_a_crash(query, note):
    at = app_test(PAGE, query).run()
    assert not at.exception
    (info,) = at.info
    assert note in info.value and "](" not in info.value and "<script>" not in info.value


def test_a_window_number_beyond_this_matrix_is_clamped():
    at = app_test(PAGE, {"window": "50", "side": "4"}).run()  # only 4 windows
    assert not at.exception
    assert at.session_state[lesson.WINDOW.key] == 4
    (info,) = at.info
    assert "window must be between 1 and 4; using 4" in info.value


def test_the_window_note_names_the_value_really_used():
    at = app_test(PAGE, {"side": "999", "window": "99"}).run()  # 8 × 8, k 2, s 2: 16 windows
    assert not at.exception
    (info,) = at.info
    assert "side must be between 4 and 8; using 8" in info.value
    assert "window must be between 1 and 16; using 16" in info.value and "64" not in info.value
    assert at.session_state[lesson.WINDOW.key] == 16
    assert at.query_params["window"] in ("16", ["16"])
