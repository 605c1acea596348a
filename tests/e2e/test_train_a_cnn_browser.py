"""Lesson 7 in a real browser: train the digits live to > 90 %, pause, draw a digit, predict."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LAPTOP, PROJECTOR, screenshot, scroll_to, wait_for_app
from tests.e2e.test_browser import open_page

pytestmark = pytest.mark.e2e

PROGRESS = re.compile(r"Step ([\d,]+) · epoch")
ACCURACY_JS = """() => {
  const m = document.body.innerText.match(/test accuracy ([\\d.]+) %/);
  return m && parseFloat(m[1]) > 90;
}"""


def trained_steps(page: Page) -> int:
    """The step counter of the training progress line."""
    text = page.get_by_text(PROGRESS).first.inner_text()
    return int(PROGRESS.search(text).group(1).replace(",", ""))


def play_control(page: Page, name: str):
    """One half of the Play | Pause control."""
    return page.get_by_test_id("stButtonGroup").get_by_role("radio", name=name)


def train_to_ninety_percent(page: Page) -> None:
    play_control(page, "Play").click()
    expect(play_control(page, "Play")).to_be_checked()
    page.wait_for_function("() => /Step [1-9]/.test(document.body.innerText)", timeout=30_000)
    page.wait_for_function(ACCURACY_JS, timeout=180_000)
    play_control(page, "Pause").click()
    expect(play_control(page, "Pause")).to_be_checked()
    page.wait_for_timeout(1500)  # a tick already under way may still land


def draw_a_one(page: Page) -> None:
    canvas = page.locator("canvas.upper-canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x - 25, box["y"] + 60)
    page.mouse.down()
    page.mouse.move(x + 5, box["y"] + 30, steps=8)  # the little flag of a 1
    page.mouse.move(x + 5, box["y"] + box["height"] - 25, steps=16)
    page.mouse.up()


def test_train_pause_draw_and_predict(page: Page, server):
    open_page(page, f"{server.url}/Train_a_CNN")
    expect(page.get_by_text(PROGRESS)).to_be_visible()
    assert trained_steps(page) == 0
    train_to_ninety_percent(page)
    paused_at = trained_steps(page)
    page.wait_for_timeout(2000)  # four ticks, if it were still playing
    assert trained_steps(page) == paused_at > 0
    page.get_by_text("Draw your own", exact=True).click()
    wait_for_app(page)
    expect(page.locator("canvas.upper-canvas")).to_be_visible()
    draw_a_one(page)
    expect(page.get_by_text("The network says")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("8 × 8 counts (0–16)")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_diverging_learning_rate_shows_a_note_and_reset_recovers(page: Page, server):
    open_page(page, f"{server.url}/Train_a_CNN?opt=sgd&lr=100")
    play_control(page, "Play").click()
    expect(page.get_by_text("Training diverged at step")).to_be_visible(timeout=60_000)
    expect(play_control(page, "Play")).to_be_disabled()
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.get_by_text("Training diverged")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize(("size", "name"), [(LAPTOP, "laptop"), (PROJECTOR, "projector")])
def test_train_screenshots(page: Page, server, size, name):
    page.set_viewport_size(size)
    open_page(page, f"{server.url}/Train_a_CNN")
    scroll_to(page, "Choose the data and the network")
    screenshot(page, f"train-settings-{name}")
    train_to_ninety_percent(page)
    wait_for_app(page)
    scroll_to(page, "Train")
    screenshot(page, f"train-live-{name}")
    scroll_to(page, "Look inside")
    screenshot(page, f"train-layers-{name}")
    page.get_by_text("Block 1", exact=True).evaluate(
        "element => element.scrollIntoView({block: 'start'})"
    )
    page.wait_for_timeout(600)
    screenshot(page, f"train-blocks-{name}")
    page.get_by_text("Confusion & mistakes", exact=True).click()
    wait_for_app(page)
    scroll_to(page, "Look inside")
    screenshot(page, f"train-confusion-{name}")
    page.get_by_text("Inside one step", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name="Step", exact=True).click()
    wait_for_app(page)
    scroll_to(page, "Look inside")
    screenshot(page, f"train-step-{name}")
    page.get_by_text("Draw your own", exact=True).click()
    wait_for_app(page)
    draw_a_one(page)
    expect(page.get_by_text("The network says")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    scroll_to(page, "Look inside")
    screenshot(page, f"train-draw-{name}")
    expect(page.get_by_test_id("stException")).to_have_count(0)
