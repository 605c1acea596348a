"""Preset kernels, typed kernels and their URL text."""

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.data import kernels, samples
from cnnviz.ops import conv, filtering, pixels


def test_at_least_ten_presets_each_explained_in_one_sentence():
    assert len(kernels.PRESETS) >= 10
    for name, preset in kernels.PRESETS.items():
        assert name == preset.name and name.replace("_", "").isalnum()
        assert preset.explanation.endswith(".") and preset.explanation.count(". ") == 0
        assert max(preset.array.shape) <= kernels.MAX_KERNEL_SIDE


@pytest.mark.parametrize(
    ("name", "total"),
    [
        ("identity", 1),
        ("box_blur", 1),
        ("gaussian_blur", 1),
        ("gaussian_blur_5", 1),
        ("sharpen", 1),
        ("laplacian", 0),
        ("outline", 0),
        ("sobel_horizontal_edges", 0),
        ("sobel_vertical_edges", 0),
        ("prewitt_horizontal_edges", 0),
        ("prewitt_vertical_edges", 0),
        ("emboss", 1),
        ("motion_blur", 1),
    ],
)
def test_weight_sums_match_what_the_explanations_promise(name, total):
    assert kernels.PRESETS[name].array.sum() == pytest.approx(total)


def test_sobel_horizontal_edges_fires_on_a_horizontal_edge_only():
    image = np.zeros((8, 8))
    image[:4] = 255  # bright top half: one horizontal edge
    horizontal = conv.correlate2d(image, kernels.PRESETS["sobel_horizontal_edges"].array)
    vertical = conv.correlate2d(image, kernels.PRESETS["sobel_vertical_edges"].array)
    assert np.abs(horizontal).max() > 0 and np.abs(vertical).max() == 0


@pytest.mark.parametrize("name", list(kernels.PRESETS))
def test_presets_filter_like_opencv(name):
    gray = pixels.channel(samples.load_sample("camera")[:64, :64], "gray").astype(np.float64)
    kernel = kernels.PRESETS[name].array
    ours = conv.correlate2d(gray, kernel, pad="same")
    if kernel.shape[0] % 2 == 1 and kernel.shape[1] % 2 == 1:
        theirs = cv2.filter2D(gray, -1, kernel, borderType=cv2.BORDER_CONSTANT)
        np.testing.assert_allclose(ours, theirs, atol=1e-9)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([["1", " -2 ", "1/9"]], [[1, -2, 1 / 9]]),
        ([[0.5, "\u22121"]], [[0.5, -1]]),
        ([["1e2"], ["-3/4"]], [[100], [-0.75]]),
    ],
)
def test_parse_accepts_what_people_type(cells, expected):
    np.testing.assert_allclose(kernels.parse_kernel(cells), expected)


@pytest.mark.parametrize(
    ("cells", "mentions"),
    [
        ([], "empty"),
        ([[]], "empty"),
        ([["1", None]], "row 1, column 2 is empty"),
        ([["", "1"]], "row 1, column 1 is empty"),
        ([["abc"]], "not a number"),
        ([["nan"]], "NaN"),
        ([["-inf"]], "infinite"),
        ([["1e308"]], "between"),
        ([["2000"]], "between"),
        ([["1/0"]], "divides by zero"),
        ([["1", "2"], ["3"]], "same number"),
        ([["1"] * 8], "at most 7×7"),
        ([["1"]] * 8, "at most 7×7"),
        ([["1" * 50]], "too long"),
        (5, "table"),
    ],
)
def test_parse_explains_every_bad_kernel(cells, mentions):
    with pytest.raises(kernels.KernelError, match=mentions):
        kernels.parse_kernel(cells)


cell = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.integers(-(10**6), 10**6),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(cell, max_size=9), max_size=9))
def test_parse_gives_an_array_or_a_kernel_error_whatever_the_input(cells):
    try:
        weights = kernels.parse_kernel(cells)
    except kernels.KernelError:
        return
    assert weights.dtype == np.float64 and np.isfinite(weights).all()
    assert 1 <= weights.shape[0] <= 7 and 1 <= weights.shape[1] <= 7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(-1000, 1000), min_size=3, max_size=3), min_size=1, max_size=7))
def test_text_round_trip(rows):
    kernel = np.array(rows)
    back = kernels.kernel_from_text(kernels.kernel_to_text(kernel))
    np.testing.assert_allclose(back, kernel, rtol=1e-5, atol=1e-9)


def test_preset_text_is_exact_and_readable():
    assert kernels.kernel_to_text(kernels.PRESETS["box_blur"].array) == ";".join(
        ["1/9,1/9,1/9"] * 3
    )
    assert kernels.kernel_to_text([[1, -0.5]]) == "1,-1/2"


@pytest.mark.parametrize("text", ["", ";", "1,2;3", "x" * 3000, "1,,2", "nan"])
def test_bad_text_raises_kernel_error(text):
    with pytest.raises(kernels.KernelError):
        kernels.kernel_from_text(text)


def test_full_depth_kernel_with_gray_weights_equals_filtering_gray():
    rgb = samples.load_sample("coffee")[:20, :20].astype(np.float64)
    kernel = kernels.PRESETS["sobel_vertical_edges"].array
    depth = kernels.full_depth_kernel(kernel, pixels.GRAYSCALE_WEIGHTS)
    assert depth.shape == (3, 3, 3)
    gray = rgb @ np.array(pixels.GRAYSCALE_WEIGHTS)
    # Equal as real numbers; the two sums round differently, and some values are exactly 0.
    np.testing.assert_allclose(
        conv.correlate2d(rgb, depth), conv.correlate2d(gray, kernel), rtol=1e-12, atol=1e-9
    )


# --- tables as editors give them, and text that must always read back ---------------------------


def test_preset_arrays_are_fresh_read_only_copies():
    first, second = kernels.PRESETS["sharpen"].array, kernels.PRESETS["sharpen"].array
    assert first is not second and not first.flags.writeable
    with pytest.raises(ValueError):
        first[1, 1] = 0
    assert kernels.PRESETS["sharpen"].array[1, 1] == 5


def test_parse_reads_a_dataframe_by_rows_not_by_column_labels():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([["1", "0", "-1"], ["2", None, "-2"]], columns=["0", "1", "2"])
    with pytest.raises(kernels.KernelError, match="row 2, column 2 is empty"):
        kernels.parse_kernel(frame)
    frame.iloc[1, 1] = "1/2"
    np.testing.assert_array_equal(kernels.parse_kernel(frame), [[1, 0, -1], [2, 0.5, -2]])


def test_parse_accepts_numpy_tables_and_refuses_other_shapes():
    np.testing.assert_array_equal(kernels.parse_kernel(np.eye(2, dtype=np.int64)), np.eye(2))
    for bad in (np.zeros(3), np.zeros((2, 2, 2)), np.float64(1.0), "12;34", ["12", "34"]):
        with pytest.raises(kernels.KernelError, match="table"):
            kernels.parse_kernel(bad)


def test_ragged_rows_name_the_short_row():
    with pytest.raises(kernels.KernelError, match="Row 3 has 2 value"):
        kernels.parse_kernel([[1, 2, 3], [4, 5, 6], [7, 8]])


@pytest.mark.parametrize("bad", [[[np.nan]], [[np.inf, 1]], [[1e9]], np.zeros((8, 1)), [1, 2]])
def test_text_of_an_unusable_kernel_is_a_kernel_error(bad):
    with pytest.raises(kernels.KernelError):
        kernels.kernel_to_text(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.from_regex(r"[-0-9.,;/e ]{0,40}", fullmatch=True))
def test_any_url_text_gives_a_kernel_or_a_kernel_error(text):
    try:
        weights = kernels.kernel_from_text(text)
    except kernels.KernelError:
        return
    assert weights.dtype == np.float64 and np.isfinite(weights).all()
    assert kernels.kernel_to_text(kernels.kernel_from_text(kernels.kernel_to_text(weights))) == (
        kernels.kernel_to_text(weights)
    )


nested = st.recursive(
    cell | st.booleans() | st.integers() | st.floats(width=32),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(nested)
def test_parse_never_raises_anything_but_kernel_error(cells):
    try:
        weights = kernels.parse_kernel(cells)
    except kernels.KernelError as error:
        assert str(error)
        return
    assert np.isfinite(weights).all() and np.abs(weights).max() <= kernels.MAX_ABS_WEIGHT


def test_full_depth_kernel_weights_each_slice_and_checks_its_input():
    depth = kernels.full_depth_kernel([[1, -2]], channel_weights=(1.0, 0.5, 0.0, 2.0))
    assert depth.shape == (1, 2, 4)
    np.testing.assert_array_equal(depth[0, 1], [-2, -1, 0, -4])
    np.testing.assert_allclose(kernels.full_depth_kernel([[3.0]]), [[[1, 1, 1]]])
    for kernel, weights in [([1, 2], (1,)), ([[np.nan]], (1,)), ([[1]], ()), ([[1]], (np.inf,))]:
        with pytest.raises(kernels.KernelError):
            kernels.full_depth_kernel(kernel, weights)


def test_centred_kernel_filters_like_the_original_inside_the_valid_area():
    image = np.random.default_rng(1).normal(size=(12, 12))
    sobel = kernels.PRESETS["sobel_vertical_edges"].array
    big = kernels.centred(sobel, 5)
    assert big.shape == (5, 5) and big.sum() == sobel.sum()
    # the 5×5 version's output is the 3×3 one's without its one-pixel border
    np.testing.assert_allclose(
        conv.correlate2d(image, big), conv.correlate2d(image, sobel)[1:-1, 1:-1]
    )
    with pytest.raises(kernels.KernelError, match="does not fit"):
        kernels.centred(np.ones((7, 7)), 5)


@pytest.mark.parametrize("text", ["100.0011", "100.001", "0.333333", "-2.5"])
def test_url_text_is_stable_once_written(text):
    once = kernels.kernel_to_text(kernels.kernel_from_text(text))
    assert kernels.kernel_to_text(kernels.kernel_from_text(once)) == once
    assert "/1000" not in once


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("box_blur", "sum to **1**"),
        ("sharpen", "sum to **1**"),
        ("sobel_vertical_edges", "sum to **0**"),
        ("laplacian", "sum to **0**"),
    ],
)
def test_weight_sum_note_names_the_sum_of_each_preset(name, says):
    assert says in kernels.weight_sum_note(kernels.PRESETS[name].array)


def test_weight_sum_note_for_other_sums_gives_the_flat_area_value():
    note = kernels.weight_sum_note(np.ones((3, 3)))  # sum 9: 100 -> 900
    assert "**9**" in note and "becomes 900" in note and "brighter" in note
    assert "negative" in kernels.weight_sum_note(-np.ones((1, 2)) / 4)
    assert "darker" in kernels.weight_sum_note(np.full((2, 2), 0.1))


def test_the_playground_has_the_classic_filters():
    for name in (
        "identity",
        "box_blur",
        "gaussian_blur",
        "sharpen",
        "laplacian",
        "sobel_horizontal_edges",
        "sobel_vertical_edges",
        "prewitt_horizontal_edges",
        "prewitt_vertical_edges",
        "emboss",
    ):
        assert name in kernels.PRESETS
    np.testing.assert_array_equal(
        kernels.PRESETS["sobel_horizontal_edges"].array, [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
    )


def test_weight_sum_note_follows_the_mode():
    box = kernels.PRESETS["box_blur"].array
    assert "keeps its brightness (100 stays 100)" in kernels.weight_sum_note(box, "gray")
    assert "each channel's 100 stays 100" in kernels.weight_sum_note(box, "per_channel")
    assert "becomes 900 in each channel" in kernels.weight_sum_note(np.ones((3, 3)), "per_channel")
    # the mix only matters in full depth
    assert kernels.weight_sum_note(box, "gray", "red_minus_blue") == kernels.weight_sum_note(box)


def test_weight_sum_note_in_full_depth_follows_the_mix():
    """Issue 10 item 2: box blur with red minus blue turns a flat gray 100 into 0, not 100."""
    box = kernels.PRESETS["box_blur"].array
    note = kernels.weight_sum_note(box, "full_depth", "red_minus_blue")
    assert "times 1, 0 and −1, so all 3 × 3 × 3 weights sum to 1 × 0 = **0**" in note
    assert "(R = G = B = 100) becomes **0**" in note and "100 stays 100" not in note
    assert "1 × (1·R + 0·G − 1·B)" in note
    average = kernels.weight_sum_note(box, "full_depth", "average")
    assert "times 1/3, 1/3 and 1/3" in average and "100 stays 100" in average
    luma = kernels.weight_sum_note(np.ones((3, 3)), "full_depth", "luma")
    assert "9 × 1 = **9**" in luma and "becomes 900" in luma
    sobel = kernels.PRESETS["sobel_vertical_edges"].array
    assert "whatever its colour" in kernels.weight_sum_note(sobel, "full_depth", "red")


@settings(max_examples=100)
@given(
    kernel=st.sampled_from([p.array for p in kernels.PRESETS.values()]),
    scale=st.sampled_from([1.0, 2.0, -0.5, 3.0]),
    mode=st.sampled_from(tuple(filtering.FILTER_MODES)),
    mix=st.sampled_from(tuple(filtering.CHANNEL_MIXES)),
)
def test_weight_sum_note_names_what_a_flat_gray_image_filters_to(kernel, scale, mode, mix):
    """The note's flat-area value is the middle of an actual flat 100 image, filtered."""
    kernel = kernel * scale
    flat = np.full((15, 15, 3), 100, dtype=np.uint8)
    raw = filtering.filter_photo(flat, kernel, mode, mix)
    middle = float(np.atleast_1d(raw[7, 7])[0])
    note = kernels.weight_sum_note(kernel, mode, mix)
    if abs(middle) < 1e-6:
        assert "becomes 0" in note or "becomes **0**" in note
    elif abs(middle - 100) < 1e-6:
        assert "100 stays 100" in note
    else:
        value = kernels.weight_text(round(middle, 6)).replace("-", "\u2212")
        assert f"becomes {value}" in note, (middle, note)
