"""AppTest helpers: run a page script headless, read its charts back as arrays."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.ui import player
from cnnviz.ui.widgets import NUMPY_BEHIND_KEY
from tests.conftest import plotly_array

ROOT = Path(__file__).resolve().parents[2]


def app_test(script: str, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest for ``script`` (relative to the repo root), with optional URL parameters.

    Pages run as they do when served: ``app.py`` is the entrypoint and the test switches to
    the page, so links such as ``st.page_link("app.py")`` resolve as in the browser.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if script != "app.py":
        at.switch_page(script)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at


def open_code_panel(at: AppTest) -> AppTest:
    """Open "The NumPy behind this" as a learner's click does, then run: the click sets the
    expander's state to open and reruns the page (AppTest has no click for an expander)."""
    at.session_state[NUMPY_BEHIND_KEY] = True
    return at.run()


def code_panel(at: AppTest) -> str:
    """All the source shown in the page's code blocks, as one string."""
    return " ".join(block.value for block in at.code)


def charts(at: AppTest) -> list[dict]:
    """Every plotly figure on the page, as figure JSON."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titled(at: AppTest, start: str) -> dict:
    """The one figure whose title starts with ``start``."""
    found = [
        f for f in charts(at) if f["layout"].get("title", {}).get("text", "").startswith(start)
    ]
    assert len(found) == 1, f"expected one chart titled {start!r}, found {len(found)}"
    return found[0]


def trace_values(figure: dict, key: str = "z") -> np.ndarray:
    """The array ``key`` of the figure's first trace."""
    return plotly_array(figure["data"][0][key])


def texts(at: AppTest, kind: str) -> list[str]:
    """The bodies of every element of one kind (``"error"``, ``"info"``, ``"markdown"``…)."""
    return [element.value for element in at.get(kind)]


@pytest.fixture
def no_exception():
    """Assert an AppTest run raised nothing (call with the AppTest after each run)."""

    def check(at: AppTest) -> AppTest:
        assert not at.exception, [e.value for e in at.exception]
        return at

    return check


@pytest.fixture(autouse=True)
def ticks_a_second_apart(monkeypatch):
    """AppTest never fires a player's timer: each run stands for one tick. The player steps at
    most once per interval (`cnnviz.ui.player.QUEUED_TICK`), so its clock moves a second per
    reading here, as if each run were a real tick."""
    seconds = itertools.count()
    monkeypatch.setattr(player, "CLOCK", lambda: float(next(seconds)))
