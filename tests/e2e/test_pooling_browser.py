"""Lesson 5 in a real browser: window and stride by keyboard, new numbers, uploads, screenshots."""

from __future__ import annotations

import io

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


def chart(page: Page, title: str):
    return page.get_by_test_id("stPlotlyChart").filter(has_text=title).first


def test_window_and_stride_by_keyboard_change_the_pooled_size(page: Page, server):
    open_page(page, f"{server.url}/Pooling")
    expect(chart(page, "Max pooled 3 × 3")).to_be_visible()
    page.get_by_role("slider", name="Window k (k × k)").focus()
    page.keyboard.press("ArrowRight")  # k = 3, stride 2: (6 - 3) // 2 + 1 = 2
    expect(chart(page, "Max pooled 2 × 2")).to_be_visible()
    page.wait_for_function("() => location.search.includes('size=3')", timeout=20_000)
    page.get_by_role("slider", name="Stride s").focus()
    page.keyboard.press("ArrowLeft")  # stride 1: 4 × 4, overlapping windows
    expect(chart(page, "Max pooled 4 × 4")).to_be_visible()
    expect(page.get_by_text("Overlapping windows add up", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_new_numbers_changes_the_seed_and_the_link(page: Page, server):
    open_page(page, f"{server.url}/Pooling?seed=5")
    page.get_by_role("button", name="New numbers").click()
    page.wait_for_function("() => location.search.includes('seed=6')", timeout=20_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_deep_link_with_bad_values_is_noted(page: Page, server):
    open_page(page, f"{server.url}/Pooling?side=99&map=nonsense&stride=3")
    alert = page.get_by_test_id("stAlertContentInfo").first
    expect(alert).to_contain_text("side must be between 4 and 8")
    expect(alert).to_contain_text("not a choice for map")
    expect(chart(page, "Input 8 × 8")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_too_large_window_in_a_link_is_noted_with_the_value_used(page: Page, server):
    open_page(page, f"{server.url}/Pooling?side=999&window=99")
    alert = page.get_by_test_id("stAlertContentInfo").first
    expect(alert).to_contain_text("window must be between 1 and 16; using 16")
    page.wait_for_function("() => location.search.includes('window=16')", timeout=20_000)
    expect(page.get_by_text("Window 16", exact=False).first).to_be_visible()


def _png(path, height: int, width: int) -> None:
    rgb = np.zeros((height, width, 3), dtype=np.uint8)
    rgb[:, width // 2 :] = 255
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="PNG")
    path.write_bytes(out.getvalue())


def test_upload_a_good_image_then_a_broken_one(page: Page, server, tmp_path):
    good, broken = tmp_path / "edge.png", tmp_path / "broken.png"
    _png(good, 48, 80)
    broken.write_bytes(b"not an image")
    open_page(page, f"{server.url}/Pooling?image=upload&map=photo")
    upload = page.get_by_test_id("stFileUploaderDropzoneInput")
    upload.set_input_files(str(good))
    expect(chart(page, "Original · 48 × 80 × 3")).to_be_visible()
    expect(chart(page, "Max pooled once · 24 × 40 × 3")).to_be_visible()
    upload.set_input_files(str(broken))
    alert = page.get_by_test_id("stAlertContentError")
    expect(alert).to_contain_text("broken.png")
    expect(alert).to_contain_text("could not be used")
    expect(chart(page, "Original · 170 × 256 × 3")).to_be_visible()  # the sample instead
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize(("size", "name"), SCREEN_SIZES)
def test_pooling_screenshots(page: Page, server, size, name):
    page.set_viewport_size(size)
    open_page(page, f"{server.url}/Pooling?values=ties&window=5")
    for each in page.get_by_test_id("stPlotlyChart").all():
        each.scroll_into_view_if_needed()
        expect(each.locator(".main-svg").first).to_be_visible()
    wait_for_app(page)
    scroll_to(page, "Max and average on the same numbers")
    screenshot(page, f"pooling-numbers-{name}")
    scroll_to(page, "What pooling loses — and keeps")
    screenshot(page, f"pooling-position-{name}")
    scroll_to(page, "Backward: where the gradient goes")
    screenshot(page, f"pooling-gradient-{name}")
    scroll_to(page, "Pooling a real picture")
    screenshot(page, f"pooling-picture-{name}")
    scroll_to(page, "Check yourself")
    screenshot(page, f"pooling-check-{name}")
    open_page(page, f"{server.url}/Pooling?map=photo&times=2&image=astronaut")
    expect(chart(page, "Max pooled twice · 64 × 64 × 3")).to_be_visible()
    scroll_to(page, "Pooling a real picture")
    screenshot(page, f"pooling-photo-{name}")
    open_page(page, f"{server.url}/Pooling?times=3")
    expect(chart(page, "Average pooled 3 times · 21 × 31")).to_be_visible()
    expect(page.get_by_text("3 times (⅛ size)").first).to_be_visible()
    scroll_to(page, "Pooling a real picture")
    screenshot(page, f"pooling-times3-{name}")
    average = chart(page, "Average pooled 3 times · 21 × 31")
    average.evaluate("element => element.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(600)
    expect(page.get_by_text("One colour scale for all three", exact=False)).to_be_in_viewport()
    screenshot(page, f"pooling-times3-average-{name}")
