"""Browser tests: a real ``streamlit run`` server on loopback, driven by a real Chromium.

The browser is the system's Chromium (Debian's package; ``scripts/test.sh`` installs it), never a
Playwright download. Under ``CI=true`` a missing browser fails the run instead of skipping.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("CNNVIZ_SCREENSHOTS") or ROOT / "test-results" / "screenshots")
"""Where `screenshot` writes: an ignored folder, so a test run leaves the checkout clean.
``scripts/update_screenshots.sh`` points it at docs/screenshots to refresh the README's images."""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
SCREEN_SIZES = [(LAPTOP, "laptop")]
"""The sizes of the screenshot tests: a laptop in every run; the projector too when the README's
images are refreshed (scripts/update_screenshots.sh), which keeps the suite under 6 minutes."""
if os.environ.get("CNNVIZ_SCREENSHOTS"):
    SCREEN_SIZES.append((PROJECTOR, "projector"))

expect.set_options(timeout=20_000)


def _chromium() -> str | None:
    for candidate in (os.environ.get("CNNVIZ_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    """Browser tests need a browser: without one they fail under CI and skip elsewhere."""
    if _chromium() or not any("e2e" in item.nodeid for item in items):
        return
    reason = "no Chromium found (install Debian's 'chromium' or set CNNVIZ_CHROMIUM)"
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"browser tests cannot run under CI=true: {reason}")
    for item in items:
        if "tests/e2e" in item.nodeid:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": _chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": LAPTOP}


@dataclass
class Server:
    """A running ``streamlit run app.py`` and where its output goes."""

    url: str
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(log: Path) -> Server:
    port = _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", log, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{server.log_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as reply:
                if reply.read() == b"ok":
                    return server
        except OSError:
            time.sleep(0.25)
    process.terminate()
    raise RuntimeError(f"streamlit did not become healthy in 60 s:\n{server.log_text()}")


def _stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


def _assert_clean_log(server: Server) -> None:
    text = server.log_text()
    assert "Traceback" not in text, f"the server logged a Python error:\n{text}"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """One server shared by the browser tests; its log must end free of Python errors."""
    running = _start_server(tmp_path_factory.mktemp("server") / "streamlit.log")
    yield running
    _stop_server(running)
    _assert_clean_log(running)


@pytest.fixture
def fresh_server(tmp_path) -> Iterator[Server]:
    """A server nobody has talked to yet, for first-request (deep link) tests."""
    running = _start_server(tmp_path / "streamlit.log")
    yield running
    _stop_server(running)
    _assert_clean_log(running)


def wait_for_app(page: Page) -> None:
    """Wait until the script has finished and at least one chart is drawn, with no error box."""
    expect(page.get_by_test_id("stAppViewContainer")).to_be_visible()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)


STEP_TEXT = re.compile(r"Step (\d+) of (\d+)")
"""The step players' caption, e.g. "Step 5 of 16"."""


def shown_step(page: Page) -> int:
    """The step a step player shows now (1-based)."""
    text = page.get_by_text(STEP_TEXT).first.inner_text()
    return int(STEP_TEXT.search(text).group(1))


def settled_step(page: Page, *, quiet_ms: int = 2000, timeout_ms: int = 30_000) -> int:
    """The step once it has stayed the same for `quiet_ms` (a player ticks every 0.8 s).

    After Pause, output of a tick that was already under way may still be arriving, and a
    fragment's rerun shows no status widget to wait for. A player that kept running never
    settles, so this fails (times out) for a Pause that does not work.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    step, since = shown_step(page), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        now = shown_step(page)
        if now != step:
            step, since = now, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return step
    raise AssertionError(f"the step never settled within {timeout_ms} ms (last: {step})")


SETTLED = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""
"""True once no script is running and no loading placeholder is left on the page."""


def scroll_to(page: Page, heading: str) -> None:
    """Scroll a heading to the top of the window and let the charts below it settle."""
    locator = page.get_by_role("heading", name=heading, exact=True)
    locator.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_function(SETTLED, timeout=30_000)
    page.wait_for_timeout(250)  # charts that came into view lay out their text


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a screenshot of the settled page under `SCREENSHOTS` (a half-loaded page fails)."""
    page.wait_for_function(SETTLED, timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
