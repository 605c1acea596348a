"""Lesson 9 in a real browser: every view of the shipped network, a drawn digit, an upload."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, scroll_to, wait_for_app
from tests.e2e.test_browser import open_page
from tests.e2e.test_train_a_cnn_browser import draw_a_one

pytestmark = pytest.mark.e2e

VIEWS = {
    "Receptive field": "What conv2 unit",
    "Saliency": "Checked on pixel",
    "Occlusion": "occluded copies",
    "Grad-CAM": "One weight per map",
    "What a filter wants": "test images that excite it most",
    "Fool it": "smallest ε that flips it",
}
"""Each view's button and a text only that view shows."""


def seven_png(path) -> None:
    """A photo-like upload: a dark 7 on light paper."""
    image = np.full((120, 100), 235, dtype=np.uint8)
    cv2.putText(image, "7", (18, 100), cv2.FONT_HERSHEY_SIMPLEX, 3.5, 20, 12)
    Image.fromarray(image).save(path, format="PNG")


def settled(page: Page, text: str) -> None:
    expect(page.get_by_text(text).first).to_be_visible(timeout=30_000)
    wait_for_app(page)


def test_every_view_a_drawing_and_an_upload(page: Page, server, tmp_path):
    open_page(page, f"{server.url}/What_It_Looks_At")
    expect(page.get_by_text("The shipped pre-trained network").first).to_be_visible()
    screenshot(page, "look-top-laptop")
    for button, text in VIEWS.items():
        page.get_by_test_id("stButtonGroup").get_by_text(button, exact=True).click()
        settled(page, text)
        name = button.split()[0].lower()
        scroll_to(page, "Six ways to ask why")
        screenshot(page, f"look-{name}-laptop")
        page.mouse.wheel(0, 650)
        screenshot(page, f"look-{name}-2-laptop")
        page.mouse.wheel(0, 650)
        screenshot(page, f"look-{name}-3-laptop")
    # a drawn digit: every view now explains it
    page.get_by_text("Draw one", exact=True).click()
    expect(page.locator("canvas.upper-canvas")).to_be_visible()
    draw_a_one(page)
    settled(page, "Your drawing (8 × 8)")
    screenshot(page, "look-drawn-laptop")
    # an upload, then a file that is not an image
    page.get_by_text("Upload an image", exact=True).click()
    upload = tmp_path / "seven.png"
    seven_png(upload)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    settled(page, "Your image (8 × 8)")
    screenshot(page, "look-upload-laptop")
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not an image at all")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bad))
    settled(page, "could not be used")
    expect(page.get_by_test_id("stException")).to_have_count(0)
