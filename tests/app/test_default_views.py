"""Every lesson's default view is light: a shared link opened by a whole class at once sends
each browser at most 300 KB of chart data and no code (the code panel is closed, so empty)."""

import json

import pytest

from cnnviz.ui.lessons import LESSONS
from tests.app.conftest import app_test, charts

CHART_BUDGET = 300_000
"""Bytes of plotly JSON per default view (docs/design: payload ≤ 300 KB per rerun)."""


@pytest.mark.parametrize("lesson", LESSONS[:6], ids=lambda lesson: lesson.title)
def test_default_view_sends_at_most_300_kb_of_charts_and_no_code(lesson):
    at = app_test(lesson.path).run()
    assert not at.exception
    figures = charts(at)
    payload = sum(len(json.dumps(figure)) for figure in figures)
    assert figures and payload < CHART_BUDGET, f"{lesson.title}: {payload:,} bytes"
    (panel,) = [e for e in at.expander if e.label == "The NumPy behind this"]
    assert not panel.proto.expanded and not panel.children
