"""Lesson 8 in a real browser: the starter classes, one removed, a drawing, uploads (mixed sizes,
one broken) and a camera photo (Chromium's fake camera) added to a class, both networks
trained, a prediction, the network downloaded and loaded back, screenshots."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cnnviz import nn
from tests.e2e.conftest import CHROMIUM_ARGS, LAPTOP, _chromium, screenshot, scroll_to, wait_for_app

pytestmark = pytest.mark.e2e

FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
HELD_OUT = re.compile(r"Transfer\*\*: step ([\d,]+), held-out accuracy")


@pytest.fixture
def camera_page(browser_type):
    """A page of a Chromium whose camera is a fake device that needs no permission prompt."""
    browser = browser_type.launch(executable_path=_chromium(), args=CHROMIUM_ARGS + FAKE_CAMERA)
    page = browser.new_page(viewport=LAPTOP)
    yield page
    browser.close()


PHOTO_TAKEN = """(added) => document.body.innerText.includes(added)
    || [...document.querySelectorAll("button")].some(b => /clear photo/i.test(b.innerText))"""


def source_choice(page: Page, name: str):
    """One choice of the "Add examples from" radio (the "Use it" radio has a Draw too)."""
    return page.get_by_test_id("stRadio").filter(has_text="Starter set").get_by_text(name)


def added(page: Page, text: str) -> None:
    expect(page.get_by_text(text)).to_be_visible(timeout=20_000)
    wait_for_app(page)


def transfer_steps(page: Page) -> int:
    text = page.evaluate("() => document.body.innerText")
    match = re.search(r"Transfer: step ([\d,]+), held-out accuracy", text)
    return int(match.group(1).replace(",", "")) if match else -1


def test_make_classes_train_both_and_predict(camera_page: Page, server, tmp_path):
    page = camera_page
    page.goto(f"{server.url}/Your_Own_Classes")
    wait_for_app(page)
    ready = "Ready to train: 3 classes (arrow 10, star 10, heart 10)"
    expect(page.get_by_text(ready)).to_be_visible()
    scroll_to(page, "1 · Make your classes")
    screenshot(page, "own-classes-laptop")
    arrow_pills = page.get_by_test_id("stButtonGroup").filter(has_text="✕ 10").first
    arrow_pills.get_by_text("✕ 3", exact=True).click()  # remove the third arrow
    expect(page.get_by_text("3 classes (arrow 9, star 10, heart 10)")).to_be_visible()
    wait_for_app(page)

    source_choice(page, "Draw").click()
    canvas = page.locator("canvas.upper-canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 110)
    page.mouse.down()
    page.mouse.move(box["x"] + 180, box["y"] + 110, steps=10)  # an arrow: shaft, then head
    page.mouse.move(box["x"] + 140, box["y"] + 70, steps=6)
    page.mouse.up()
    add = page.get_by_role("button", name="Add this drawing")
    expect(add).to_be_enabled(timeout=10_000)
    add.click()
    added(page, "Added 1 from your drawing to “arrow” (now 10)")

    source_choice(page, "Upload files").click()
    picture = np.zeros((80, 120, 3), np.uint8)
    picture[35:45, 10:110] = 255
    path = tmp_path / "arrow.png"
    Image.fromarray(picture).save(path)
    tall = tmp_path / "tall.png"
    Image.fromarray(np.ascontiguousarray(picture.transpose(1, 0, 2))).convert("L").save(tall)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG no image here")
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="several at once")
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([path, tall, broken])
    added(page, "Added 2 from 2 files to “arrow” (now 12)")
    expect(page.get_by_text("broken.png", exact=False).first).to_be_visible()

    source_choice(page, "Camera").click()
    take = page.get_by_role("button", name=re.compile("Take Photo", re.I))
    expect(take).to_be_enabled(timeout=20_000)
    # The button is enabled before the fake camera's video plays; a photo taken then is lost.
    page.wait_for_function(
        "() => [...document.querySelectorAll('video')].some(v => v.readyState >= 2)",
        timeout=30_000,
    )
    took = "Added 1 from the camera to “arrow” (now 13)"
    for _ in range(3):  # on a busy machine a click can land before the camera is ready: lost
        take.click()
        try:  # a photo taken shows "Clear photo" until the page has added it
            page.wait_for_function(PHOTO_TAKEN, arg=took, timeout=8_000)
            break
        except PlaywrightTimeout:
            continue
    added(page, took)
    scroll_to(page, "1 · Make your classes")
    screenshot(page, "own-classes-added-laptop")

    play = page.get_by_test_id("stButtonGroup").filter(has_text="Play")
    play.get_by_role("radio", name="Play").click()
    page.wait_for_function(
        "() => { const m = document.body.innerText.match(/Transfer: step ([\\d,]+)/);"
        " return m && parseInt(m[1].replace(/,/g, '')) >= 40 }",
        timeout=60_000,
    )
    play.get_by_role("radio", name="Pause").click()
    page.wait_for_timeout(1500)  # a tick already under way may still land
    steps = transfer_steps(page)
    page.wait_for_timeout(1500)
    assert transfer_steps(page) == steps >= 40  # paused
    scroll_to(page, "4 · Train two networks side by side")
    page.locator("[data-testid=stVegaLiteChart]").first.scroll_into_view_if_needed()
    screenshot(page, "own-training-laptop")

    scroll_to(page, "5 · Use it")
    expect(page.get_by_text("From scratch says")).to_be_visible()
    expect(page.get_by_text("Transfer says")).to_be_visible()
    screenshot(page, "own-use-laptop")

    scroll_to(page, "6 · Keep it")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the transfer network (.npz)").click()
    saved = tmp_path / "mine.npz"
    download.value.save_as(saved)
    assert nn.load_named(saved.read_bytes())[1] == ("arrow", "star", "heart")
    loader = page.get_by_test_id("stFileUploader").filter(has_text="Load a network")
    loader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(saved)
    added(page, "Loaded mine.npz into “Transfer”")
    expect(page.get_by_test_id("stException")).to_have_count(0)
