"""Typed kernels and their URL text: what people type, what they must never break."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnviz.data import kernel_text, kernels


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([["1", " -2 ", "1/9"]], [[1, -2, 1 / 9]]),
        ([[0.5, "\u22121"]], [[0.5, -1]]),
        ([["1e2"], ["-3/4"]], [[100], [-0.75]]),
    ],
)
def test_parse_accepts_what_people_type(cells, expected):
    np.testing.assert_allclose(kernel_text.parse_kernel(cells), expected)


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
    with pytest.raises(kernel_text.KernelError, match=mentions):
        kernel_text.parse_kernel(cells)


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
        weights = kernel_text.parse_kernel(cells)
    except kernel_text.KernelError:
        return
    assert weights.dtype == np.float64 and np.isfinite(weights).all()
    assert 1 <= weights.shape[0] <= 7 and 1 <= weights.shape[1] <= 7


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.floats(-1000, 1000), min_size=3, max_size=3), min_size=1, max_size=7))
def test_text_round_trip(rows):
    kernel = np.array(rows)
    back = kernel_text.kernel_from_text(kernel_text.kernel_to_text(kernel))
    np.testing.assert_allclose(back, kernel, rtol=1e-5, atol=1e-9)


def test_preset_text_is_exact_and_readable():
    assert kernel_text.kernel_to_text(kernels.PRESETS["box_blur"].array) == ";".join(
        ["1/9,1/9,1/9"] * 3
    )
    assert kernel_text.kernel_to_text([[1, -0.5]]) == "1,-1/2"


@pytest.mark.parametrize("text", ["", ";", "1,2;3", "x" * 3000, "1,,2", "nan"])
def test_bad_text_raises_kernel_error(text):
    with pytest.raises(kernel_text.KernelError):
        kernel_text.kernel_from_text(text)


# --- tables as editors give them, and text that must always read back ---------------------------


def test_parse_reads_a_dataframe_by_rows_not_by_column_labels():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([["1", "0", "-1"], ["2", None, "-2"]], columns=["0", "1", "2"])
    with pytest.raises(kernel_text.KernelError, match="row 2, column 2 is empty"):
        kernel_text.parse_kernel(frame)
    frame.iloc[1, 1] = "1/2"
    np.testing.assert_array_equal(kernel_text.parse_kernel(frame), [[1, 0, -1], [2, 0.5, -2]])


def test_parse_accepts_numpy_tables_and_refuses_other_shapes():
    np.testing.assert_array_equal(kernel_text.parse_kernel(np.eye(2, dtype=np.int64)), np.eye(2))
    for bad in (np.zeros(3), np.zeros((2, 2, 2)), np.float64(1.0), "12;34", ["12", "34"]):
        with pytest.raises(kernel_text.KernelError, match="table"):
            kernel_text.parse_kernel(bad)


def test_ragged_rows_name_the_short_row():
    with pytest.raises(kernel_text.KernelError, match="Row 3 has 2 value"):
        kernel_text.parse_kernel([[1, 2, 3], [4, 5, 6], [7, 8]])


@pytest.mark.parametrize("bad", [[[np.nan]], [[np.inf, 1]], [[1e9]], np.zeros((8, 1)), [1, 2]])
def test_text_of_an_unusable_kernel_is_a_kernel_error(bad):
    with pytest.raises(kernel_text.KernelError):
        kernel_text.kernel_to_text(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.from_regex(r"[-0-9.,;/e ]{0,40}", fullmatch=True))
def test_any_url_text_gives_a_kernel_or_a_kernel_error(text):
    try:
        weights = kernel_text.kernel_from_text(text)
    except kernel_text.KernelError:
        return
    assert weights.dtype == np.float64 and np.isfinite(weights).all()
    assert kernel_text.kernel_to_text(
        kernel_text.kernel_from_text(kernel_text.kernel_to_text(weights))
    ) == (kernel_text.kernel_to_text(weights))


nested = st.recursive(
    cell | st.booleans() | st.integers() | st.floats(width=32),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(nested)
def test_parse_never_raises_anything_but_kernel_error(cells):
    try:
        weights = kernel_text.parse_kernel(cells)
    except kernel_text.KernelError as error:
        assert str(error)
        return
    assert np.isfinite(weights).all() and np.abs(weights).max() <= kernel_text.MAX_ABS_WEIGHT


@pytest.mark.parametrize("text", ["100.0011", "100.001", "0.333333", "-2.5"])
def test_url_text_is_stable_once_written(text):
    once = kernel_text.kernel_to_text(kernel_text.kernel_from_text(text))
    assert kernel_text.kernel_to_text(kernel_text.kernel_from_text(once)) == once
    assert "/1000" not in once
