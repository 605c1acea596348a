"""Lesson 3 in a real browser: pick a preset, upload a photo, switch modes, download the PNG."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    SCREEN_SIZES,
    screenshot,
    scroll_to,
    wait_for_app,
)
from tests.e2e.test_browser import open_page

pytestmark = pytest.mark.e2e


def pick(page: Page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label``."""
    page.get_by_label(label, exact=True).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_picking_a_preset_filters_with_it(page: Page, server):
    open_page(page, f"{server.url}/Filter_Playground")
    expect(page.get_by_text("Raw values (300 × 451)")).to_be_visible()
    pick(page, "Kernel", "Box blur")
    expect(page.get_by_text("Nine weights of 1/9", exact=False)).to_be_visible()
    expect(page.get_by_text("The weights sum to 1", exact=False)).to_be_visible()
    expect(page.get_by_text("All of them fit in 0–255", exact=False)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]preset=box_blur(&|$)"))  # written after the text
    expect(page.get_by_text("Live check", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_an_uploaded_photo_is_filtered_and_downloaded(page: Page, server, tmp_path):
    rgb = np.zeros((60, 90, 3), dtype=np.uint8)
    rgb[:, 45:] = (250, 120, 30)  # one vertical edge
    upload = tmp_path / "edge.png"
    Image.fromarray(rgb).save(upload)
    open_page(page, f"{server.url}/Filter_Playground")
    pick(page, "Image", "Upload your own…")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    expect(page.get_by_text("Raw values (60 × 90)")).to_be_visible()
    page.get_by_text("Per channel (R, G, B)").click()
    expect(page.get_by_text("Raw values — red (60 × 90)")).to_be_visible()
    wait_for_app(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as PNG").click()
    downloaded = download_info.value
    assert downloaded.suggested_filename == "cnnviz-sobel_vertical_edges-per_channel-clipped.png"
    saved = Image.open(io.BytesIO(Path(downloaded.path()).read_bytes()))
    assert saved.size == (90, 60) and saved.mode == "RGB"
    pixels = np.asarray(saved)
    # Sobel "vertical edges" is left minus right: dark-to-bright gives negative values,
    # clipped to 0 — except at the photo's right border, where zeros of padding follow.
    assert pixels[:, 10:40].max() == 0 and pixels[30, 89, 0] == 255
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_bad_upload_is_explained(page: Page, server, tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"these are my notes, not a picture")
    open_page(page, f"{server.url}/Filter_Playground")
    pick(page, "Image", "Upload your own…")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bad))
    expect(page.get_by_text("could not be used", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize(("size", "name"), SCREEN_SIZES)
def test_playground_screenshots(page: Page, server, size, name):
    page.set_viewport_size(size)
    open_page(page, f"{server.url}/Filter_Playground?row=150&col=230")
    wait_for_app(page)
    screenshot(page, f"playground-top-{name}")
    scroll_to(page, "The result, three honest ways")
    screenshot(page, f"playground-result-{name}")
    scroll_to(page, "Inspect one pixel")
    screenshot(page, f"playground-inspect-{name}")
    page.goto(f"{server.url}/Filter_Playground?mode=full_depth&mix=red_minus_blue&preset=laplacian")
    wait_for_app(page)
    scroll_to(page, "Inspect one pixel")
    screenshot(page, f"playground-depth-{name}")
