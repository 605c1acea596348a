"""The shared quiz widget's number display (the AppTests of each lesson drive the widget)."""

import pytest

from cnnviz.ui.widgets import answer_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (700.0, "700"),
        (3882793.0, "3,882,793"),
        (0.1234, "0.1234"),
        (-2.5, "−2.5"),
        (1e-5, "0.00001"),
    ],
)
def test_quiz_numbers_read_as_typed(value, shown):
    assert answer_text(value) == shown
