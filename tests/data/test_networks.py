"""Preset networks and their text form: round trips, hand-computed shapes, bad text."""

import pytest

from cnnviz.data import networks
from cnnviz.ops.shapes import layer_table


def table(name):
    preset = networks.PRESETS[name]
    rows = networks.network_from_text(preset.text)
    return layer_table(preset.input_shape, [networks.layer_from_cells(r) for r in rows])


@pytest.mark.parametrize("name", list(networks.PRESETS))
def test_presets_round_trip_and_fit(name):
    text = networks.PRESETS[name].text
    assert networks.normalised_text(text) == text
    assert table(name)  # layer_table raises if a preset does not fit


def test_tinycnn_shapes_and_parameters():
    rows = table("tiny")
    assert [r["output_shape"] for r in rows][-3:] == [(2, 2, 16), (64,), (10,)]
    # 8·(3·3·1) + 8, 16·(3·3·8) + 16, 64·10 + 10
    assert sum(r["params"] for r in rows) == 80 + 1168 + 650


def test_lenet_shapes():
    rows = table("lenet")
    shapes = [r["output_shape"] for r in rows]
    assert shapes[:7] == [(28, 28, 6), (28, 28, 6), (14, 14, 6), (10, 10, 16), (10, 10, 16),
                          (5, 5, 16), (400,)]  # fmt: skip
    assert sum(r["params"] for r in rows) == 156 + 2416 + 48120 + 10164 + 850


def test_alphago_keeps_the_board():
    rows = table("alphago")
    convs = [r for r in rows if r["type"] == "conv"]
    assert len(convs) == 13  # the paper's 13 layers
    assert all(r["output_shape"][:2] == (19, 19) for r in convs)
    assert rows[0]["params"] == 192 * 5 * 5 * 48 + 192
    assert convs[-1]["output_shape"] == (19, 19, 1)


def test_alphago_last_layer_has_a_bias_per_position_and_the_paper_total():
    """Silver et al. 2016: the 1×1 layer has a different bias for each of the 361 points."""
    rows = table("alphago")
    last_conv = [r for r in rows if r["type"] == "conv"][-1]
    assert last_conv["params"] == 192 * 1 * 1 + 361 == 553
    assert "a bias per position (19×19)" in last_conv["description"]
    by_hand = (5 * 5 * 48 * 192 + 192) + 11 * (3 * 3 * 192 * 192 + 192) + 553
    assert sum(r["params"] for r in rows) == by_hand == 3_882_793
    # it ends in a softmax over the 361 board points
    assert [r["type"] for r in rows[-2:]] == ["flatten", "softmax"]
    assert rows[-1]["output_shape"] == (361,) and rows[-1]["params"] == 0
    assert "3,882,793" in networks.PRESETS["alphago"].note


def test_preset_labels_say_what_the_networks_are():
    """Issue 10 item 11: the 28 → 24 → 12 net is not LeNet; LeNet's halvings are subsampling."""
    mnist = networks.PRESETS["mnist"]
    assert "LeNet on MNIST" not in mnist.title + mnist.note
    assert "not LeNet" in mnist.note
    lenet = networks.PRESETS["lenet"]
    assert "like" in lenet.title
    assert "convolutions shrink 32 → 28 → 14" not in lenet.note
    for fact in ("subsampling halves 28 → 14 and 10 → 5", "tanh", "trainable average", "C3"):
        assert fact in lenet.note


def test_preset_notes_use_the_lesson_notation():
    """Issue 10 item 7: F is the number of filters, never a kernel size (CS231n's F = 3)."""
    import re

    for preset in networks.PRESETS.values():
        text = preset.title + " " + preset.note
        for match in re.finditer(r"\bF = (\d+)", text):
            assert "filters" in text[match.end() : match.end() + 10], text
        assert not re.search(r"\b[WPS] = \d", text), text
    assert "n = 32, k = 3, p = 0, s = 1" in networks.PRESETS["cifar"].note


def test_worked_example_presets():
    assert [r["output_shape"] for r in table("mnist")] == [(24, 24, 6), (12, 12, 6)]
    assert table("cifar")[0]["output_shape"] == (30, 30, 10)
    assert table("local")[0]["output_shape"] == (11, 11, 1)
    assert table("local")[0]["params"] == 26


def test_text_keeps_empty_fields_and_blank_rows():
    rows = networks.network_from_text("conv,8,,2;;pool,2,,avg")
    assert rows[0] == {"type": "conv", "size": 8, "kernel": None, "stride": 2, "pad": None,
                       "dilation": None, "mode": None, "bias": None}  # fmt: skip
    assert rows[1]["type"] is None
    assert networks.network_to_text(rows) == "conv,8,,2;;pool,2,,avg"
    assert networks.network_from_text("") == []


def test_cells_a_type_does_not_use_are_dropped():
    row = {"type": "relu", "size": 3, "kernel": 2, "stride": None, "pad": "same",
           "dilation": None, "mode": "max"}  # fmt: skip
    assert networks.network_to_text([row]) == "relu"
    assert networks.layer_from_cells(row) == {"type": "relu"}


def test_layer_from_cells():
    conv = networks.network_from_text("conv,4,3,1,same,2")[0]
    assert networks.layer_from_cells(conv) == {
        "type": "conv", "filters": 4, "kernel": 3, "stride": 1, "pad": "same", "dilation": 2,
    }  # fmt: skip
    assert networks.layer_from_cells(networks.network_from_text("conv,4,3,1,2")[0])["pad"] == 2
    assert networks.layer_from_cells({"type": "dense", "size": 7}) == {"type": "dense", "units": 7}
    assert networks.layer_from_cells({"type": "softmax"}) == {"type": "softmax"}
    assert networks.layer_from_cells({"type": "pool2"}) == {"type": None}
    last = networks.network_from_text("conv,1,1,1,0,1,per-position")[0]
    assert networks.layer_from_cells(last)["bias"] == "per-position"


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("conv,8,3;sigmoid", "unknown layer type 'sigmoid'"),
        ("softmax,3", "too many fields"),
        ("conv,1,1,1,0,1,each", "shared or per-position"),
        ("conv,x", "must be a whole number"),
        ("conv,-1", "must be a whole number"),
        ("conv,999999", "must be a whole number"),
        ("conv,1,2,3,4,5,shared,6", "too many fields"),
        ("relu,1", "too many fields"),
        ("pool,2,2,min", "max or avg"),
        ("conv,8,3,1,half", "valid, same or full"),
        (";".join(["relu"] * 41), "at most 40"),
    ],
)
def test_bad_text_is_explained(text, mentions):
    with pytest.raises(networks.NetworkTextError, match=mentions):
        networks.network_from_text(text)
    assert issubclass(networks.NetworkTextError, ValueError)
