"""Real server, real Chromium: open every page, upload, move a slider, look for errors.

Screenshots land in docs/screenshots (the README shows them) — open them and look.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from cnnviz.ui.lessons import LESSONS
from tests.e2e.conftest import SCREEN_SIZES, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

CHART = '[data-testid="stPlotlyChart"] .main-svg'


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    expect(page.locator(CHART).first).to_be_visible()


def url_path(lesson_path: str) -> str:
    """pages/1_Pixels.py -> /Pixels (classic multipage URL)."""
    return "/" + lesson_path.split("/")[-1].removesuffix(".py").split("_", 1)[1]


def test_a_deep_link_works_as_the_first_request_to_a_fresh_server(page: Page, fresh_server):
    # a link shared before lesson 1 moved to cnnviz/lessons/pixels opens the same view
    page.goto(f"{fresh_server.url}/Pixels?channel=green&resize=4")
    expect(page.get_by_role("heading", name="1 · Pixels")).to_be_visible()
    expect(page.get_by_text("Green values (rows 100–115", exact=False)).to_be_visible()
    expect(page.get_by_text("4 × 4 × 3 = 48 numbers", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_home_links_every_lesson_and_each_opens_cleanly(page: Page, server):
    page.goto(server.url)
    expect(
        page.get_by_role("heading", name="cnnviz — see how a CNN sees", exact=False)
    ).to_be_visible()
    wait_for_app(page)
    screenshot(page, "home")
    for lesson in LESSONS:
        page.get_by_test_id("stSidebar").get_by_role(
            "link", name=f"{lesson.number} · {lesson.title}"
        ).click()
        expect(page.get_by_role("heading", name=f"{lesson.number} · ")).to_be_visible()
        wait_for_app(page)
        assert page.url.endswith(url_path(lesson.path)) or url_path(lesson.path) + "?" in page.url
        page.get_by_test_id("stSidebar").get_by_role("link", name="Home").click()
        expect(
            page.get_by_role("heading", name="cnnviz — see how a CNN sees", exact=False)
        ).to_be_visible()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.title)
def test_every_lesson_opens_directly(page: Page, server, lesson):
    open_page(page, server.url + url_path(lesson.path))
    expect(page.get_by_role("heading", name=f"{lesson.number} · ")).to_be_visible()


def test_moving_a_slider_with_the_keyboard_moves_the_region(page: Page, server):
    open_page(page, f"{server.url}/Pixels")
    expect(page.get_by_text("Red values (rows 100–115", exact=False)).to_be_visible()
    slider = page.get_by_role("slider", name="Region top row")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Red values (rows 102–117", exact=False)).to_be_visible()
    # The link is written at the end of the script run, after the text above is drawn.
    expect(page).to_have_url(re.compile(r"[?&]row=102(&|$)"))
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _png(path, height: int, width: int) -> None:
    gradient = np.linspace(0, 255, width, dtype=np.uint8)
    rgb = np.stack([np.tile(gradient, (height, 1))] * 3, axis=-1)
    rgb[..., 2] = 255 - rgb[..., 2]
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="PNG")
    path.write_bytes(out.getvalue())


def test_upload_a_good_image_then_a_broken_one(page: Page, server, tmp_path):
    good, broken = tmp_path / "gradient.png", tmp_path / "broken.png"
    _png(good, 64, 96)
    broken.write_text("<html><body>not an image</body></html>")
    open_page(page, f"{server.url}/Pixels?image=upload")
    upload = page.get_by_test_id("stFileUploaderDropzoneInput")
    upload.set_input_files(str(good))
    expect(page.get_by_text("64 × 96 × 3", exact=True)).to_be_visible()
    expect(page.get_by_text("your image “gradient.png”", exact=False).first).to_be_visible()
    screenshot(page, "pixels-upload")

    upload.set_input_files(str(broken))
    alert = page.get_by_test_id("stAlertContentError")
    expect(alert).to_contain_text("broken.png")
    expect(alert).to_contain_text("could not be used")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # the lesson carries on with a sample photo, and its controls still respond
    wait_for_app(page)  # the slider is clamped again by the run that showed the error
    slider = page.get_by_role("slider", name="Region left column")
    columns = page.get_by_text(re.compile(r"columns \d+–\d+")).first
    before = columns.text_content()
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(columns).not_to_have_text(before)  # the region moved one column


@pytest.mark.parametrize(("size", "name"), SCREEN_SIZES)
def test_pixels_screenshots(page: Page, server, size, name):
    page.set_viewport_size(size)
    open_page(page, f"{server.url}/Pixels")
    # nine charts: photo, region, its values, colour, gray, digit grid, flattened, resized, values
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(9)
    for chart in page.get_by_test_id("stPlotlyChart").all():
        chart.scroll_into_view_if_needed()
        expect(chart.locator(".main-svg").first).to_be_visible()
    page.get_by_role("heading", name="1 · Pixels").scroll_into_view_if_needed()
    screenshot(page, f"pixels-{name}")
    scroll_to_top(page.get_by_role("heading", name="Zoom in and read the numbers"))
    screenshot(page, f"pixels-numbers-{name}")
    scroll_to_top(page.get_by_role("heading", name="A digit as numbers"))
    screenshot(page, f"pixels-digit-{name}")


def scroll_to_top(locator) -> None:
    """Scroll so that ``locator`` is at the top of the view (for a screenshot of what follows)."""
    locator.evaluate("element => element.scrollIntoView({block: 'start'})")
    locator.page.wait_for_timeout(400)
