"""Presenter view: a teacher's projector shows the lesson large, without the sidebar or the
quiz, with a QR code of the view's link so the class opens exactly what is on the screen.

On with the sidebar's toggle or ``present=1`` in a link (kept in the link while on). The QR
code encodes the link *without* ``present``: a student's phone opens the normal lesson at the
same settings. It is made on the server by `segno` — no outside service, works offline.
"""

from __future__ import annotations

import io
import urllib.parse
from collections.abc import Mapping

import segno
import streamlit as st

PRESENT_URL = "present"
PRESENT_KEY = "presenter_view"
SIDEBAR_URL = "sidebar"
"""``sidebar=collapsed`` in a link opens the page with the sidebar folded away."""
ZOOM = 1.3
"""How much larger the lesson is drawn: body text ~17 → 22 px, chart labels 12 → 16 px."""
FALLBACK_BASE = "http://localhost:8501"
"""The app's address when the browser has not told it (tests, a very old browser)."""

_CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {{
  display: none !important;
}}
[data-testid="stMainBlockContainer"] {{ zoom: {ZOOM}; padding-top: 1.5rem; }}
</style>
"""


def presenting() -> bool:
    """True while this session shows the presenter view (first from the link, then the toggle)."""
    if PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = st.query_params.get(PRESENT_URL) in ("1", "on", "true")
    return bool(st.session_state[PRESENT_KEY])


def sidebar_collapsed() -> bool:
    """True when the link asks for the sidebar folded away (``sidebar=collapsed``)."""
    return st.query_params.get(SIDEBAR_URL) == "collapsed"


def link_extras() -> dict[str, str]:
    """The view's own link parameters, beside the lesson's settings."""
    extras = {PRESENT_URL: "1"} if presenting() else {}
    if sidebar_collapsed():
        extras[SIDEBAR_URL] = "collapsed"
    return extras


def class_link(base: str | None, page_path: str, query: Mapping[str, str]) -> str:
    """The link a student opens: the app's address, the page, its settings — not ``present``.

    base : the app's address as the browser sees it (``st.context.url``), e.g.
        "http://10.0.0.5:8501/" (None: `FALLBACK_BASE`);  page_path : "" for Home, "Pooling"
    """
    shown = {k: v for k, v in query.items() if k not in (PRESENT_URL, SIDEBAR_URL)}
    root = (base or FALLBACK_BASE).split("?")[0].rstrip("/")
    if page_path and root.endswith("/" + page_path):  # the browser may report the page too
        root = root[: -len(page_path) - 1]
    url = f"{root}/{page_path}"
    return url + ("?" + urllib.parse.urlencode(shown) if shown else "")


def qr_png(link: str, *, scale: int = 6) -> bytes:
    """A QR code of ``link`` as PNG bytes (black on white, the standard quiet zone of 4; the
    lowest error correction keeps a long link's code coarse enough for the back row)."""
    buffer = io.BytesIO()
    segno.make(link, error="l").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def style_and_toggle() -> None:
    """The presenter styling when on; the toggle in the sidebar when off."""
    if presenting():
        st.html(_CSS)
    else:
        st.sidebar.toggle(
            "Presenter view",
            key=PRESENT_KEY,
            help="For a projector: larger lesson, no sidebar or quiz, and a QR code of this "
            "view for the class.",
        )


def bar(container, page_path: str, query: Mapping[str, str]) -> None:
    """In ``container`` (top of the page): the QR code and link of this view, and the way out."""
    if not presenting():
        return
    link = class_link(st.context.url, page_path, query)
    with container:
        code, text = st.columns([1, 4], vertical_alignment="center")
        code.image(qr_png(link), width=230, caption="Scan to open this view", output_format="PNG")
        text.markdown(f"**Open this view on your phone or laptop:** {link}")
        if "localhost" in link or "127.0.0.1" in link:
            text.warning(
                "This address only works on this computer. Open the app by the server's "
                "network address (e.g. http://192.168.1.20:8501) so the class can reach it.",
                icon=":material/wifi_off:",
            )
        text.button(
            "Leave presenter view",
            icon=":material/close_fullscreen:",
            key="presenter_leave",
            on_click=lambda: st.session_state.update({PRESENT_KEY: False}),
        )
