"""Page setup shared by every page: config, styling and the sidebar navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cnnviz.ui.lessons import LESSONS

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


def setup(title: str) -> None:
    """Start a page: browser tab title, wide layout, styling and the lesson navigation.

    Must be the first Streamlit call of every page. The icon is an emoji, not a
    ``:material/...:`` name, which the browser would fetch from a font CDN.
    """
    st.set_page_config(page_title=f"{title} · cnnviz", page_icon="🧠", layout="wide")
    st.html(_CSS)
    _sidebar_navigation()


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
