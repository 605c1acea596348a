"""Lesson 7's live charts: the numbers in their datasets, and a layout that stays the same
from tick to tick (then the browser updates the chart in place instead of re-mounting it)."""

import numpy as np
import pytest

from cnnviz.viz import train_a_cnn_live as live


def rows(spec, name) -> list[dict]:
    """A dataset's columns as rows; NaN (a missing value) as None."""
    columns = spec["datasets"][name]
    lengths = {len(values) for values in columns.values()}
    assert len(lengths) == 1, "columns of one dataset have one length"
    table = zip(*(np.asarray(values).tolist() for values in columns.values()), strict=True)
    missing = lambda v: isinstance(v, float) and np.isnan(v)  # noqa: E731
    return [
        {k: None if missing(v) else v for k, v in zip(columns, row, strict=True)} for row in table
    ]


def test_curves_carry_train_and_test_with_gaps_for_non_finite_losses():
    steps = np.arange(1, 11)
    loss = np.array([2.3, 2.0, 1.5, 1.0, 5.0, 1e6, np.inf, np.nan, 1e9, 1e12])
    accuracy = np.linspace(0.1, 1.0, 10)
    loss_spec, acc_spec = live.curve_specs(
        steps, loss, accuracy, [5, 10], [1.2, np.nan], [0.5, 0.1], diverged_step=6
    )
    plotted = [r["value"] for r in rows(loss_spec, "train")]
    assert plotted[:6] == pytest.approx(loss[:6].tolist())
    assert plotted[6] is None and plotted[7] is None  # inf and NaN are gaps, not numbers
    assert [r["value"] for r in rows(acc_spec, "train")] == pytest.approx(100 * accuracy)
    assert rows(acc_spec, "test") == [{"step": 5, "value": 50.0}, {"step": 10, "value": 10.0}]
    assert rows(loss_spec, "test")[1]["value"] is None
    assert rows(loss_spec, "diverged") == rows(acc_spec, "diverged") == [{"step": 6}]
    y = loss_spec["layer"][0]["encoding"]["y"]
    assert y["scale"]["type"] == "log" and y["axis"]["format"] == "~g"  # "0.5", never "5"
    assert acc_spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 100]


def test_long_histories_are_averaged_to_a_bounded_number_of_points():
    n = 5000
    loss_spec, _ = live.curve_specs(np.arange(n), np.ones(n), np.ones(n), [], [], [])
    train = rows(loss_spec, "train")
    assert len(train) <= live.MAX_CURVE_POINTS and train[-1]["step"] > n - 20
    with pytest.raises(ValueError, match="same length"):
        live.curve_specs(np.arange(3), np.ones(2), np.ones(3), [], [], [])


def test_the_curves_layout_does_not_change_while_training():
    """A changed layout would make the browser re-create the chart (it blinked)."""
    rng = np.random.default_rng(0)
    early = live.curve_specs(np.arange(1, 6), rng.random(5), rng.random(5), [], [], [])
    late = live.curve_specs(
        np.arange(1, 3001), rng.random(3000), rng.random(3000), [25, 50], [0.5, 0.4], [0.8, 0.9],
        diverged_step=2999,
    )  # fmt: skip
    for before, after in zip(early, late, strict=True):
        assert live.layout_of(before) == live.layout_of(after)
        assert rows(before, "train") != rows(after, "train")


def grid(weights, **options):
    settings = {"columns": 2, "printed": True, "decimals": 2, "cell_px": 40, "title": "conv1"}
    return live.filter_grid_spec(weights, **{**settings, **options})


def test_the_filter_grid_places_every_weight_in_its_tile():
    weights = np.random.default_rng(1).normal(0, 0.5, (5, 3, 3))
    spec = grid(weights)
    cells = rows(spec, "weights")
    assert len(cells) == 5 * 9
    for cell in cells:
        n, r, c = cell["filter"] - 1, cell["row"], cell["col"]
        assert cell["w"] == pytest.approx(weights[n, r, c])
        assert (cell["y"], cell["x"]) == ((n // 2) * 4 + r, (n % 2) * 4 + c)  # a gap of one cell
    x, y = (spec["layer"][0]["encoding"][a]["scale"]["domain"] for a in "xy")
    assert x == [0, 7] and y == [0, 11]  # 2 tiles a row, 3 rows, gaps between
    assert (spec["width"], spec["height"]) == (7 * 40, 11 * 40)
    text = spec["layer"][1]["encoding"]["text"]
    assert text["format"] == ".2f"  # d3 writes a real minus sign (−0.50)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domainMid"] == 0  # white is 0


def test_the_filter_grid_layout_does_not_change_with_the_weights():
    rng = np.random.default_rng(2)
    before, after = grid(rng.normal(0, 0.1, (8, 3, 3))), grid(rng.normal(0, 2, (8, 3, 3)))
    assert live.layout_of(before) == live.layout_of(after)
    assert rows(before, "weights") != rows(after, "weights")


def test_an_unprinted_grid_has_only_the_cells_and_bad_weights_are_refused():
    spec = grid(np.zeros((32, 3, 3)), columns=8, printed=False, cell_px=10)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect"]
    with pytest.raises(ValueError, match="finite"):
        grid(np.full((2, 3, 3), np.nan))
    with pytest.raises(ValueError, match=r"\(F, k, k\)"):
        grid(np.zeros((3, 3)))
