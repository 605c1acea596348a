"""Presenter view on a 1920 × 1080 projector in a real browser: no sidebar, larger lesson, a
QR code a phone can read (the link of the view, without the presenter flag), a way back; and
``?embed=true`` shows the lesson without our navigation."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PROJECTOR, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

TEXT_PX_JS = """() => {
  const p = document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p');
  return parseFloat(getComputedStyle(p).fontSize) * (p.currentCSSZoom || 1);
}"""


def read_qr(png: bytes) -> str:
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    image = cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
    return cv2.QRCodeDetector().detectAndDecode(image)[0]


def test_presenter_view_on_a_projector(page: Page, server):
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server.url}/Pooling?size=3")
    wait_for_app(page)
    expect(
        page.get_by_test_id("stMain").get_by_test_id("stMarkdownContainer").first
    ).to_be_visible()
    normal_px = page.evaluate(TEXT_PX_JS)
    page.get_by_text("Presenter view").click()  # the sidebar's toggle
    qr = page.get_by_test_id("stImage").locator("img")
    expect(qr).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    assert page.evaluate(TEXT_PX_JS) >= 1.25 * normal_px >= 20  # larger for the back row
    expect(page.get_by_role("heading", name="Check yourself")).to_have_count(0)
    assert "present=1" in page.url
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=stImage] img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    shot = qr.screenshot()
    link = read_qr(shot)
    assert link.startswith(f"{server.url}/Pooling?") and "size=3" in link
    assert "present" not in link  # students get the normal lesson at the same settings
    screenshot(page, "presenter-pooling-projector")
    page.goto(link)  # what a student's phone opens
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(page.get_by_test_id("stImage")).to_have_count(0)
    page.goto(f"{server.url}/Pooling?size=3&present=1")  # the teacher's own link
    wait_for_app(page)
    page.get_by_role("button", name="Leave presenter view").click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    expect(page.get_by_role("heading", name="Check yourself")).to_be_visible()


def test_an_embedded_lesson_has_no_sidebar(page: Page, server):
    page.goto(f"{server.url}/Pooling?embed=true")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="5 · Pooling")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_role("link")).to_have_count(0)
