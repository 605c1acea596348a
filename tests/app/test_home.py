import sys

import numpy as np

from cnnviz.data import synthetic
from cnnviz.ui import page
from cnnviz.ui.lessons import LESSONS
from tests.app.conftest import ROOT, app_test, charts, trace_values


def test_home_explains_why_cnns_and_links_every_built_lesson():
    at = app_test("app.py").run()
    assert not at.exception
    assert "see how a CNN sees" in at.title[0].value
    body = " ".join(md.value for md in at.markdown)
    assert "fully connected" in body and "weight count explodes" in body
    assert "AlphaGo" in body
    (four,) = charts(at)  # a computer's view of a picture: the numbers, printed
    np.testing.assert_array_equal(trace_values(four), synthetic.digit_four())
    links = [link.proto.page for link in at.get("page_link")]
    for lesson in LESSONS:
        # one link in the sidebar, one card on the page
        assert links.count(lesson.url_path) == 2
        assert lesson.promise in body
    (notation,) = at.expander
    assert notation.label == "The notation every lesson uses"
    assert "| F | the number of filters" in notation.markdown[0].value


def test_home_links_only_home_and_lessons_that_exist():
    at = app_test("app.py").run()
    by_url = {lesson.url_path: lesson for lesson in LESSONS}
    pages = {path.name for path in (ROOT / "pages").glob("*.py")}
    assert {lesson.path.split("/")[1] for lesson in LESSONS} == pages
    for link in at.get("page_link"):
        if link.proto.label == "Home":
            continue
        assert link.proto.page in by_url, link.proto


def test_the_server_process_is_tuned_once_when_the_first_page_runs(monkeypatch):
    """One BLAS thread and kept memory are set by the page kit, once per process — never as
    a side effect of a library call (train_steps is pure)."""
    page.tune_server_process.clear()
    app_test("app.py").run()
    applied = page.tune_server_process()  # the cached result of the page's call
    if sys.platform.startswith("linux"):
        assert applied["kept freed memory"] is True
    page.tune_server_process.clear()
    monkeypatch.setenv(page.NO_TUNING_VARIABLE, "1")
    app_test("app.py").run()
    assert page.tune_server_process() == {"one BLAS thread": False, "kept freed memory": False}
    page.tune_server_process.clear()
