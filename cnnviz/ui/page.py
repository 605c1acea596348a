"""Page setup shared by every page: config, styling and the sidebar navigation."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from cnnviz.nn import runtime
from cnnviz.ui import presenter, urlstate
from cnnviz.ui.lessons import LESSONS, Lesson, lesson_named
from cnnviz.ui.settings import Setting

LESSON_TEXT_DIR = Path(__file__).resolve().parents[2] / "assets" / "lessons"
SECTION_MARK = "<!-- section: "

_CSS = """
<style>
/* Readable on a projector: a little larger body text, tabular digits in tables. */
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  font-size: 1.05rem;
  line-height: 1.55;
}
[data-testid="stCaptionContainer"] { font-variant-numeric: tabular-nums; }
</style>
"""


NO_TUNING_VARIABLE = "CNNVIZ_NO_PROCESS_TUNING"
"""Set it (to anything) to leave the server process's BLAS threads and malloc as they are."""


@st.cache_resource(show_spinner=False)
def tune_server_process() -> dict[str, bool]:
    """Once per server process, before the first page runs: one BLAS thread and kept freed
    memory (`cnnviz.nn.runtime` says why: both make the tiny CNN's steps several times faster
    on a shared 2-core server). Process-wide, so it is done here, once and visibly, never by a
    library call. Returns what was applied; logged on the server."""
    if os.environ.get(NO_TUNING_VARIABLE):
        applied = {"one BLAS thread": False, "kept freed memory": False}
    else:
        applied = {
            "one BLAS thread": runtime.limit_blas_threads(1),
            "kept freed memory": runtime.keep_freed_memory(),
        }
    logging.getLogger("cnnviz").info("server process tuning: %s", applied)
    return applied


def setup(title: str):
    """Start a page: browser tab title, wide layout, styling and the lesson navigation.

    Must be the first Streamlit call of every page. The icon is an emoji, not a
    ``:material/...:`` name, which the browser would fetch from a font CDN. Returns the
    container at the top of the page where the presenter view puts its QR code.
    """
    st.set_page_config(
        page_title=f"{title} · cnnviz",
        page_icon="🧠",
        layout="wide",
        initial_sidebar_state="collapsed" if presenter.sidebar_collapsed() else "auto",
    )
    tune_server_process()
    st.html(_CSS)
    top = st.container()
    if not st.context.is_embedded:  # an embedding page shows the lesson, not our navigation
        _sidebar_navigation()
        presenter.style_and_toggle()
    return top


@dataclass(frozen=True)
class LessonPage:
    """A lesson page under way: its lesson, its text and the settings its link carries."""

    lesson: Lesson
    settings: tuple[Setting, ...]
    top: object = None
    """The container at the top of the page (the presenter view's QR code goes there)."""

    def text(self, section: str) -> str:
        """One section of this lesson's ``assets/lessons/<name>.md``."""
        return lesson_text(self.lesson.name, section)

    def finish(self, *more: Setting) -> None:
        """Write the page's settings (and ``more``, e.g. a component's) into the link; in the
        presenter view, show that link as a QR code at the top."""
        query = urlstate.sync((*self.settings, *more), extras=presenter.link_extras())
        presenter.bar(self.top, self.lesson.url_path, query)


def lesson(name: str, settings: Sequence[Setting] = (), *, intro: bool = True) -> LessonPage:
    """Start lesson ``name``: page setup, its title, the intro text, settings from the link.

    settings : every setting the link carries, restored before any widget is drawn (widgets
        the learner touched keep their values). Call `LessonPage.finish` last.
    intro : False when the page writes its own intro (e.g. one that depends on a setting).
    """
    info = lesson_named(name)
    top = setup(info.title)
    st.title(f"{info.number} · {info.heading or info.title}")
    if intro:
        st.markdown(lesson_text(name, "intro"))
    urlstate.restore(tuple(settings))
    return LessonPage(info, tuple(settings), top)


def _sidebar_navigation() -> None:
    with st.sidebar:
        st.markdown("### :material/neurology: cnnviz")
        st.page_link("app.py", label="Home", icon=":material/home:")
        for lesson in LESSONS:
            st.page_link(lesson.path, label=f"{lesson.number} · {lesson.title}", icon=lesson.icon)
        st.caption("Every number on these pages is computed live, by the code you can read.")


@st.cache_data(max_entries=64, show_spinner=False)
def lesson_text(lesson: str, section: str) -> str:
    """The markdown of one section of ``assets/lessons/<lesson>.md``.

    Sections start with a line ``<!-- section: name -->`` and run to the next such line.
    """
    text = (LESSON_TEXT_DIR / f"{lesson}.md").read_text(encoding="utf-8")
    for block in text.split(SECTION_MARK)[1:]:
        name, _, body = block.partition("-->")
        if name.strip() == section:
            return body.strip()
    raise KeyError(f"no section {section!r} in {lesson}.md")
