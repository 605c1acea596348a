"""Lesson 7's figures, checked on their JSON: the right numbers in the right cells."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnnviz.viz import train_a_cnn as figures
from tests.conftest import plotly_array


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def array(trace: dict, key: str) -> np.ndarray:
    return plotly_array(trace[key]).astype(np.float64)


def test_mosaic_places_every_map_with_a_gap_and_hover_indices():
    maps = np.arange(5 * 2 * 3, dtype=np.float32).reshape(5, 2, 3) - 10
    fig = spec(figures.mosaic_figure(maps, title="maps", columns=3))
    trace = fig["data"][0]
    z = array(trace, "z")
    assert z.shape == (2 * 2 + 1, 3 * 3 + 2)  # 2 rows of tiles, 3 columns, 1-cell gaps
    np.testing.assert_array_equal(z[0:2, 0:3], maps[0])
    np.testing.assert_array_equal(z[0:2, 4:7], maps[1])
    np.testing.assert_array_equal(z[3:5, 0:3], maps[3])
    assert np.isnan(z[2]).all() and np.isnan(z[:, 3]).all()  # the gaps
    assert np.isnan(z[3:5, 8:11]).all()  # no sixth map
    index = plotly_array(trace["customdata"])
    assert tuple(index[3, 5]) == (4, 0, 1)  # map 4, row 0, col 1
    assert trace["zmin"] == -trace["zmax"] == -float(np.abs(maps).max())  # white is 0
    assert trace["texttemplate"] == "%{text}"  # small maps print their values…
    printed = [t for row in trace["text"] for t in row if t]
    assert all(t.count(".") == 1 and len(t.split(".")[1]) == 2 for t in printed)  # 2 decimals
    negative = [t for t in printed if not t.lstrip("\u2212").replace(".", "").isdigit()]
    assert not negative and not any("-" in t for t in printed)  # …with real minus signs
    assert fig["layout"]["title"]["text"] == "maps"


def test_large_or_many_maps_use_hover_not_printed_values():
    big = figures.mosaic_figure(np.zeros((4, 28, 28)))
    assert "texttemplate" not in spec(big)["data"][0]
    assert spec(big)["data"][0]["zmax"] == 1.0  # an all-zero map still gets a colour range
    many = figures.mosaic_figure(np.ones((64, 8, 8)))
    assert "texttemplate" not in spec(many)["data"][0]
    forced = figures.mosaic_figure(np.ones((1, 3, 3)), printed=True, decimals=4)
    assert spec(forced)["data"][0]["text"][0] == ["1.0000"] * 3


def test_mosaic_captions_and_fixed_colour_range():
    fig = spec(
        figures.mosaic_figure(
            np.zeros((3, 8, 8)), captions=["a", "b", "c"], symmetric=False, zmin=0, zmax=16
        )
    )
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["a", "b", "c"]
    assert (fig["data"][0]["zmin"], fig["data"][0]["zmax"]) == (0, 16)


@pytest.mark.parametrize("bad", [np.zeros((3, 3)), np.zeros((0, 2, 2)), np.zeros((1, 2, 2, 2))])
def test_mosaic_rejects_arrays_that_are_not_maps(bad):
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        figures.mosaic_figure(bad)


def test_confusion_prints_every_count_and_separates_right_from_wrong():
    confusion = np.array([[5, 1, 0], [2, 7, 0], [0, 0, 9]])
    fig = spec(figures.confusion_figure(confusion, ["a", "b", "c"]))
    wrong, right = fig["data"]
    assert wrong["text"] == [["5", "1", "0"], ["2", "7", "0"], ["0", "0", "9"]]
    w, r = array(wrong, "z"), array(right, "z")
    assert np.isnan(np.diag(w)).all() and w[1, 0] == 2
    np.testing.assert_array_equal(np.diag(r), [5, 7, 9])
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"  # true class 0 at the top
    with pytest.raises(ValueError, match="3×3"):
        figures.confusion_figure(np.zeros((2, 2)), ["a", "b", "c"])


def test_vector_wraps_into_rows_with_each_position_on_hover():
    values = np.arange(70, dtype=np.float32) - 35
    trace = spec(figures.vector_figure(values, width=32))["data"][0]
    z = array(trace, "z")
    assert z.shape == (3, 32)
    np.testing.assert_array_equal(z.ravel()[:70], values)
    assert np.isnan(z.ravel()[70:]).all()
    assert plotly_array(trace["customdata"])[2, 5] == 69


def test_scores_print_with_a_true_minus_sign():
    fig = spec(figures.scores_figure(np.array([-1.5, 2.25]), ["x", "y"]))
    assert fig["data"][0]["text"] == ["\u22121.50", "2.25"]
    with pytest.raises(ValueError):
        figures.scores_figure(np.zeros(3), ["x", "y"])


# --- readable numbers (issue 10, items 21, 23 and 29) -----------------------------------------


@pytest.mark.parametrize(
    ("values", "exponent", "decimals", "first"),
    [
        ([0.3141, -0.05], 0, 4, "0.3141"),
        ([-4.6e-5, 1e-6], -5, 3, "\u22124.600"),  # never 0.0000 (the "change" tile)
        ([1.5, 0.2], 0, 3, "1.500"),
        ([0.0512, 0.001], -2, 3, "5.120"),
        ([0.0, 0.0], 0, 0, "0"),
        ([9.99996e-5], -4, 3, "1.000"),  # rounds up into the next power of ten
    ],
)
def test_unit_format_keeps_four_significant_digits(values, exponent, decimals, first):
    assert figures.unit_format(np.array(values)) == (exponent, decimals)
    assert figures.scaled_text(values[0], exponent, decimals) == first


def test_scaled_numbers_read_the_same_in_a_cell_a_title_and_an_equation():
    assert figures.unit_title(-5) == " (× 10⁻⁵)" and figures.unit_title(0) == ""
    assert figures.scaled_latex(-4.6e-5, -5, 3) == r"-4.600 \times 10^{-5}"
    fig = spec(
        figures.mosaic_figure(
            np.array([[[-4.6e-5, 1e-6]]]), printed=True, decimals=3, unit_exponent=-5
        )
    )
    trace = fig["data"][0]
    assert trace["texttemplate"] == "%{text}" and trace["text"][0] == ["\u22124.600", "0.100"]
    assert "%{z:.4g}" in trace["hovertemplate"]  # hover keeps the true value


def test_printed_numbers_must_fit_the_narrowest_width():
    weights = np.random.default_rng(0).normal(0, 0.5, (8, 3, 3)).astype(np.float32)
    weights[0, 0, 0] = -1.1  # "−1.10": its minus sign must stay visible
    columns = figures.fitted_columns(weights, decimals=2, width_px=358, max_rows=4)
    assert columns == 2  # 2 × (3 + 1) − 1 = 7 cells of ~49 px hold "−1.10"; 3 tiles would not
    assert figures.fitted_columns(weights, decimals=2, width_px=358, max_rows=3) is None
    fig = spec(
        figures.mosaic_figure(weights, columns=columns, printed=True, width_px=358, cell_px=40)
    )
    assert fig["data"][0]["texttemplate"] == "%{text}"
    assert "\u22121.10" in fig["data"][0]["text"][0]  # a readable minus sign, never a hyphen
    assert fig["data"][0]["textfont"]["size"] >= 10
    crowded = spec(figures.mosaic_figure(weights, columns=4, printed=True, width_px=358))
    assert "texttemplate" not in crowded["data"][0]  # 15 cells of 23 px: not printed at all
