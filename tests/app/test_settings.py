"""`cnnviz.ui.settings`: each kind of setting reads a link's text, clamps it and says why."""

import pytest

from cnnviz.ui.settings import ChoiceSetting, FloatSetting, IntSetting, TextSetting

SIDE = IntSetting(key="k_side", url="side", label="Side", default=6, lo=4, hi=8)


@pytest.mark.parametrize(
    ("raw", "value", "note"),
    [
        ("5", 5, None),
        ("\u22125", 4, "side must be between 4 and 8; using 4."),
        ("99", 8, "side must be between 4 and 8; using 8."),
        ("2.5", 6, "“2.5” is not a whole number for side; using 6."),
        ("<b>", 6, "“b” is not a whole number for side; using 6."),
    ],
)
def test_whole_numbers_are_clamped_with_a_note(raw, value, note):
    assert SIDE.parse(raw) == (value, note)


def test_a_bound_from_other_settings_names_the_reason():
    window = IntSetting(
        key="k_window", url="window", label="Window", default=1, lo=1, hi=64,
        hi_from=lambda state: (state["k_side"] ** 2, f"{state['k_side']} squared"),
    )  # fmt: skip
    assert window.parse("50", {"k_side": 3}) == (
        9,
        "window must be between 1 and 9; using 9 (3 squared).",
    )
    assert window.parse("5", {"k_side": 3}) == (5, None)


def test_floats_choices_and_text():
    bias = FloatSetting(key="k_bias", url="bias", label="Bias", default=0.0, lo=-10.0, hi=10.0)
    assert bias.parse("\u22122.5") == (-2.5, None) and bias.parse("inf")[0] == 0.0
    times = ChoiceSetting(key="k_times", url="times", label="Times", default=1, choices=(1, 2, 3))
    assert times.parse("2") == (2, None)
    assert times.parse("9") == (1, "“9” is not a choice for times (1, 2, 3); using 1.")
    assert times.text(2) == "2" and bias.text(-2.5) == "-2.5"

    def upper(text: str) -> str:
        if not text.isalpha():
            raise ValueError("letters only.")
        return text.upper()

    word = TextSetting(key="k_word", url="word", label="Word", default="A", normalise=upper)
    assert word.parse("abc") == ("ABC", None)
    assert word.parse("a1")[1] == "word could not be used: letters only. Using the default."
    assert word.parse("x" * 3000)[0] == "A"
