"""Lesson 2 in a real browser: play, pause, step, click an output cell, type a kernel."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    SCREEN_SIZES,
    screenshot,
    scroll_to,
    shown_step,
    wait_for_app,
)
from tests.e2e.player_checks import human_click, pause_at_random_moments
from tests.e2e.test_browser import open_page

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_play_runs_the_window_and_every_pause_stops_it(page: Page, server):
    """Issue 12: 2 of 10 Pause clicks were ignored (a click carried the slider's previous
    position, read as a drag back that turned the Pause into "back one and play on")."""
    open_page(page, f"{server.url}/Convolution?input=photo")
    expect(page.get_by_text("Step 1 of 36")).to_be_visible()
    page.get_by_role("button", name="Play", exact=True).click()
    # the fragment ticks on its own: wait for a later step without touching the page
    page.wait_for_function("() => /Step [3-9] of 36/.test(document.body.innerText)")
    # while it plays, the address bar follows the step (a link copied now opens there)
    page.wait_for_function(
        """() => {
            const shown = /Step (\\d+) of 36/.exec(document.body.innerText);
            const inUrl = new URL(location.href).searchParams.get("step");
            return shown && inUrl !== null && Number(inUrl) >= 2
                && Number(inUrl) === Number(shown[1]) - 1;
        }""",
        timeout=20_000,
    )
    # the label fits its button while playing (it was cut to "Pa…" at 1366 px)
    pause = page.get_by_role("button", name="Pause", exact=True)
    assert not pause.evaluate(
        "b => [...b.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)"
    )
    human_click(page, "Pause")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    print(*pause_at_random_moments(page, tries=6, seed=12, tick_s=0.8), sep="\n")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def output_cell(page: Page, row: int, col: int, *, side: int = 3) -> tuple[float, float]:
    """The page position of output cell (row, col) in the ``side`` × ``side`` output chart."""
    chart = page.get_by_test_id("stVegaLiteChart").filter(has_text=f"Output {side} × {side}")
    box = chart.locator("g.mark-rect").first.bounding_box()  # the cells' layer: the whole grid
    return box["x"] + (col + 0.5) * box["width"] / side, box["y"] + (row + 0.5) * box[
        "height"
    ] / side


def test_next_and_clicking_an_output_cell_jump_to_its_step(page: Page, server):
    open_page(page, f"{server.url}/Convolution")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 2 of 9")).to_be_visible()
    page.get_by_role("slider", name="Step (of 9)").focus()
    page.keyboard.press("End")
    expect(page.get_by_text("Step 9 of 9")).to_be_visible()
    page.get_by_text("Output 3 × 3", exact=False).first.scroll_into_view_if_needed()
    page.mouse.click(*output_cell(page, 1, 1))  # the middle cell of the 3×3 output: step 5
    expect(page.get_by_text("Step 5 of 9")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Step 6 of 9")).to_be_visible()
    page.mouse.click(*output_cell(page, 1, 1))  # the same cell again still counts
    expect(page.get_by_text("Step 5 of 9")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_every_tap_on_a_phone_selects_the_tapped_cell_also_while_playing(browser, server):
    """Issue 12: on a touch phone plotly selected the *previously* tapped cell (the first tap
    nothing): these taps gave steps 1, 5, 5, 7, 7, 9. Each tap lands at a seeded random
    moment of playback; it must pause the player at the tapped cell's step."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    rng = random.Random(12)
    try:
        open_page(page, f"{server.url}/Convolution")
        for row, col in [(1, 1), (0, 2), (2, 0), (1, 1), (2, 2), (0, 0)]:
            page.get_by_role("button", name="Play", exact=True).tap()
            expect(page.get_by_role("button", name="Pause", exact=True)).to_be_visible()
            page.wait_for_timeout(rng.uniform(200, 1800))
            page.get_by_text("Output 3 × 3", exact=False).first.scroll_into_view_if_needed()
            page.touchscreen.tap(*output_cell(page, row, col))
            expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
            step = row * 3 + col + 1
            expect(page.get_by_text(f"Step {step} of 9")).to_be_visible()
            page.wait_for_timeout(900)  # a tick later it has not moved on
            assert shown_step(page) == step, (row, col)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        context.close()


def test_a_deep_link_restores_settings_and_a_bad_kernel_is_explained(page: Page, server):
    open_page(page, f"{server.url}/Convolution?preset=custom&kernel=1,abc&stride=2&pad=same")
    expect(page.get_by_text("kernel could not be used", exact=False)).to_be_visible()
    expect(page.get_by_text("Step 1 of 9")).to_be_visible()  # 5×5, same, stride 2 -> 3×3
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_link_shared_before_the_reshaping_opens_the_same_view(page: Page, server):
    open_page(page, f"{server.url}/Convolution?input=photo&stride=2&pad=same&step=3")
    # an 8 × 8 crop of the cat, same padding, stride 2: a 4 × 4 output, the 4th step shown
    expect(page.get_by_text("Step 4 of 16")).to_be_visible()
    expect(page.get_by_text("Below is an 8×8 crop of the photo", exact=False)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]step=3(&|$)"))
    expect(page.get_by_test_id("stAlertContentInfo")).to_have_count(0)  # nothing adjusted
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize(("size", "name"), SCREEN_SIZES)
def test_convolution_screenshots(page: Page, server, size, name):
    page.set_viewport_size(size)
    open_page(page, f"{server.url}/Convolution?step=4&pad=1")
    wait_for_app(page)
    scroll_to(page, "Warm-up: two weights sliding along a row")
    screenshot(page, f"convolution-warmup-{name}")
    scroll_to(page, "Step by step")
    screenshot(page, f"convolution-settings-{name}")
    page.get_by_role("button", name="Play").scroll_into_view_if_needed()
    page.get_by_role("button", name="Play").evaluate(
        "element => element.scrollIntoView({block: 'start'})"
    )
    page.wait_for_timeout(500)
    screenshot(page, f"convolution-step-{name}")
    scroll_to(page, "Colour and depth")
    screenshot(page, f"convolution-colour-{name}")
