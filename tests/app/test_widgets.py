"""The shared quiz widget's number display (the AppTests of each lesson drive the widget)."""

import inspect
import json

import pytest

from cnnviz.ui.widgets import answer_text
from tests.app.conftest import app_test, code_panel, open_code_panel


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


@pytest.mark.parametrize("page", ["pages/2_Convolution.py", "pages/6_Activations.py"])
def test_no_chart_shows_plotly_s_toolbar_over_its_title(page):
    """The toolbar covered titles such as "Output 3 × 3 — click a cell" (always on touch)."""
    at = app_test(page).run()
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    assert configs and all(c.get("displayModeBar") is False for c in configs)


def test_numpy_behind_reads_sources_safely_from_many_sessions_at_once():
    """Sessions run in threads; parallel ``inspect.getsource`` crashed lesson 7 under a class
    ("AST constructor recursion depth mismatch")."""
    import threading

    from cnnviz.nn import layers, pooling, train
    from cnnviz.ui.widgets import source_of

    functions = [layers.conv_forward, layers.conv_backward, pooling.pool_forward, train.train_steps]
    results, errors = [], []
    start = threading.Barrier(16)

    def read_all() -> None:
        start.wait()
        try:
            results.append([source_of(f) for f in functions])
        except Exception as error:  # noqa: BLE001 - any failure is the test's finding
            errors.append(error)

    threads = [threading.Thread(target=read_all) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(r == [inspect.getsource(f) for f in functions] for r in results)


def test_the_code_panel_reads_sources_only_once_opened(monkeypatch):
    """A closed "The NumPy behind this" costs nothing: no source is read or sent. Opening it
    (the click reruns the page) shows the sources of the functions that ran, and it stays open
    when another widget changes."""
    from cnnviz.lessons import activations as lesson
    from cnnviz.ops import activations
    from cnnviz.ui import widgets

    read = []
    monkeypatch.setattr(widgets, "source_of", lambda f: read.append(f) or inspect.getsource(f))
    at = app_test("pages/6_Activations.py").run()
    (panel,) = at.expander
    assert panel.label == "The NumPy behind this" and not panel.proto.expanded
    assert read == [] and not at.code
    assert not any("not a copy" in caption.value for caption in at.caption)
    open_code_panel(at)
    assert at.expander[0].proto.expanded
    assert activations.softmax in read and "def softmax(" in code_panel(at)
    at.radio(key=lesson.FUNCTION.key).set_value("tanh").run()
    assert "def tanh(" in code_panel(at) and "def relu(" not in code_panel(at)
