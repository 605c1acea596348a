"""How long a learner waits in a real browser: sidebar click → first chart, link → text/chart.

Starts ``streamlit run app.py`` on a free port of 127.0.0.1 and drives Debian's Chromium
(``/usr/bin/chromium``, never a Playwright download) with Playwright, one page at a time:

- *sidebar*: a fresh browser opens Home, then clicks each lesson's sidebar link in turn and
  times the click → the lesson's first chart on screen (a plotly ``.main-svg`` of the new page,
  not a stale one, with a drawn trace);
- *link*: a fresh browser (new context: empty cache) opens each lesson's shared link and
  times navigation start → the lesson's title on screen (text) and → its first chart.

Every timing is repeated ``--tries`` times (default 3) and the median is printed, with the
slowest try. Bounded: every wait has a timeout (a timed-out wait is printed as ``>T s``), and
the server and browser are stopped at the end.

    .venv/bin/python benchmarks/browser_timing.py            # about 2 minutes
    .venv/bin/python benchmarks/browser_timing.py --tries 1 --lessons 2 4

*draw* (``--draw N``, instead of the above): lesson 7's "Draw your own" view; N strokes, each
on a cleared canvas, timed from the pen lifting to the network's answer on screen (the canvas
itself waits 200 ms after a stroke before it sends the drawing).

``--save-assets FILE`` writes the paths the first lesson's fresh browser downloaded from the
server (JSON), for ``classroom_load.py --open-link ... --assets FILE``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from classroom_load import _free_port, start_server
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cnnviz.ui.lessons import LESSONS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LAPTOP = {"width": 1366, "height": 768}
TIMEOUT_S = 30.0
SHARED_QUERY = {2: "input=photo"}
"""The query a teacher's link carries, per lesson number (lesson 2: the issue's photo link)."""

_TITLE_JS = """(heading) => {
  const h = document.querySelector('h1');
  return !!h && h.textContent.includes(heading);
}"""
_CHART_JS = """(heading) => {
  const h = document.querySelector('h1');
  if (!h || !h.textContent.includes(heading)) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg')].some(svg => {
    const box = svg.closest('[data-testid="stElementContainer"]');
    if (box && box.getAttribute('data-stale') === 'true') return false;
    return !!svg.querySelector('g.trace, g.hm, .heatmaplayer image, .imagelayer image');
  });
}"""


def _heading(lesson) -> str:
    return f"{lesson.number} · {lesson.heading or lesson.title}"


def _wait(page: Page, script: str, heading: str, start: float) -> float:
    """Seconds from `start` until `script(heading)` is true (inf when it timed out)."""
    try:
        page.wait_for_function(script, arg=heading, timeout=TIMEOUT_S * 1000, polling="raf")
    except PlaywrightTimeout:
        return float("inf")
    return time.perf_counter() - start


def sidebar_try(browser: Browser, base: str, lessons) -> dict[int, float]:
    """One fresh browser: Home, then each lesson's sidebar link; click → first chart (s)."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(base + "/", wait_until="commit")
    page.get_by_test_id("stSidebar").get_by_role("link", name="Home").wait_for(
        timeout=TIMEOUT_S * 1000
    )
    page.wait_for_timeout(1500)  # let Home settle before the first click
    seconds = {}
    for lesson in lessons:
        name = f"{lesson.number} · {lesson.title}"
        link = page.get_by_test_id("stSidebar").get_by_role("link", name=name)
        start = time.perf_counter()
        link.click()
        seconds[lesson.number] = _wait(page, _CHART_JS, _heading(lesson), start)
        page.wait_for_timeout(500)  # the rest of the page, before the next click
    context.close()
    return seconds


_RESOURCES_JS = "performance.getEntriesByType('resource').map(r => r.name)"


def link_try(
    browser: Browser, base: str, lesson, assets: list[str] | None = None
) -> tuple[float, float]:
    """A fresh browser opens the lesson's shared link: seconds to its title, to a chart.
    assets : if given, receives the paths the browser downloaded from the server."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    query = SHARED_QUERY.get(lesson.number)
    url = f"{base}/{lesson.url_path}" + (f"?{query}" if query else "")
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    text = _wait(page, _TITLE_JS, _heading(lesson), start)
    chart = _wait(page, _CHART_JS, _heading(lesson), start)
    if assets is not None:
        page.wait_for_timeout(3000)  # the rest of the page's files
        names = page.evaluate(_RESOURCES_JS)
        assets += [n.removeprefix(base) for n in names if n.startswith(base) and "stream" not in n]
    context.close()
    return text, chart


DRAW_URL = "/Train_a_CNN?view=draw"
_ANSWER = "document.body.innerText.match(/The network says[^\\n]*/)?.[0] || ''"
_ANSWER_SHOWN_JS = (
    "() => { if (!(" + _ANSWER + ")) return false;"
    " window.__shown = performance.now(); return true; }"
)


def draw_try(browser: Browser, base: str, strokes: int) -> list[float]:
    """Seconds from lifting the pen to the answer on screen, for `strokes` drawings (each on a
    cleared canvas, so the answer is new every time)."""
    page = browser.new_page(viewport=LAPTOP)
    page.goto(base + DRAW_URL, wait_until="commit")
    page.locator("canvas.upper-canvas").first.wait_for(timeout=TIMEOUT_S * 1000)
    page.wait_for_timeout(2000)  # the rest of the page
    seconds = []
    for stroke in range(strokes):
        if page.evaluate(f"() => !!({_ANSWER})"):
            page.get_by_role("button", name="Clear the drawing").click()
            page.wait_for_function(f"() => !({_ANSWER})", timeout=TIMEOUT_S * 1000)
            page.wait_for_timeout(500)  # the new, empty canvas
        canvas = page.locator("canvas.upper-canvas").first
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        x = box["x"] + box["width"] / 2 + (stroke % 5 - 2) * 15  # a slightly different 1
        page.mouse.move(x - 25, box["y"] + 60)
        page.mouse.down()
        page.mouse.move(x + 5, box["y"] + 30, steps=8)
        page.mouse.move(x + 5, box["y"] + box["height"] - 25, steps=16)
        page.evaluate("() => { window.__up = performance.now(); }")
        page.mouse.up()
        try:
            page.wait_for_function(_ANSWER_SHOWN_JS, timeout=TIMEOUT_S * 1000, polling="raf")
            seconds.append(page.evaluate("() => (window.__shown - window.__up) / 1000"))
        except PlaywrightTimeout:
            seconds.append(float("inf"))
        page.wait_for_timeout(800)  # the figures below the answer, before the next stroke
    page.close()
    return seconds


def _cell(values: list[float]) -> str:
    if not values:
        return ""
    med, top = statistics.median(values), max(values)
    fmt = lambda s: f">{TIMEOUT_S:.0f}" if s == float("inf") else f"{s:.2f}"  # noqa: E731
    return f"{fmt(med)} ({fmt(top)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=3)
    parser.add_argument("--lessons", type=int, nargs="*", help="lesson numbers (default: all)")
    parser.add_argument("--draw", type=int, metavar="N", help="time N drawings in lesson 7 only")
    parser.add_argument("--save-assets", type=Path, help="JSON file for the files a page loads")
    args = parser.parse_args()
    tries = min(max(args.tries, 1), 5)
    lessons = [x for x in LESSONS if not args.lessons or x.number in args.lessons]
    port = _free_port()
    log = Path("/tmp") / f"browser-timing-{port}.log"
    server = start_server(port, log)
    base = f"http://127.0.0.1:{port}"
    sidebar: dict[int, list[float]] = {x.number: [] for x in lessons}
    text: dict[int, list[float]] = {x.number: [] for x in lessons}
    chart: dict[int, list[float]] = {x.number: [] for x in lessons}
    try:
        if args.draw:
            return _draw_report(base, args.draw)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            assets: list[str] = []
            link_try(browser, base, lessons[0], assets)  # warms the server's caches, untimed
            if args.save_assets:
                args.save_assets.write_text(json.dumps(assets, indent=0))
                print(f"{len(assets)} files a fresh browser loads: {args.save_assets}")
            for _ in range(tries):
                for number, s in sidebar_try(browser, base, lessons).items():
                    sidebar[number].append(s)
                for lesson in lessons:
                    t, c = link_try(browser, base, lesson)
                    text[lesson.number].append(t)
                    chart[lesson.number].append(c)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"\nmedian (slowest) of {tries} tries, seconds; server log {log}")
    print(f"{'lesson':<28} {'sidebar→chart':>15} {'link→text':>15} {'link→chart':>15}")
    for x in lessons:
        query = SHARED_QUERY.get(x.number)
        name = f"{x.number} {x.url_path}" + (f"?{query}" if query else "")
        print(
            f"{name:<28} {_cell(sidebar[x.number]):>15} {_cell(text[x.number]):>15} "
            f"{_cell(chart[x.number]):>15}"
        )
    return 0


def _draw_report(base: str, strokes: int) -> int:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        draw_try(browser, base, 2)  # warms the server and the browser, untimed
        seconds = sorted(draw_try(browser, base, strokes))
        browser.close()
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    print(f"\nlesson 7, pen lifted → answer on screen, {strokes} drawings (seconds):")
    print(f"median {statistics.median(seconds):.2f}, p95 {p95:.2f}, max {seconds[-1]:.2f}; "
          f"over 0.5 s: {sum(s > 0.5 for s in seconds)} of {strokes}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
