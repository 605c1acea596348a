"""Lesson 6 in a real browser: move x, switch activations, type scores, press the examples."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    SCREEN_SIZES,
    screenshot,
    scroll_to,
    wait_for_app,
)
from tests.e2e.test_browser import open_page

pytestmark = pytest.mark.e2e

CURVES = '[data-testid="stPlotlyChart"]:has-text("ReLU: f(")'


def scores_box(page: Page):
    return page.get_by_label("Scores (logits), 2 to 10 numbers separated by commas")


def test_moving_x_updates_every_curve_and_the_formula(page: Page, server):
    open_page(page, f"{server.url}/Activations")
    expect(page.locator(CURVES).get_by_text("ReLU: f(−1.5) = 0", exact=True)).to_be_visible()
    page.get_by_role("slider", name="x").focus()
    for _ in range(20):  # 20 steps of 0.1: −1.5 -> 0.5
        page.keyboard.press("ArrowRight")
    expect(page.locator(CURVES).get_by_text("ReLU: f(0.5) = 0.5", exact=True)).to_be_visible()
    expect(page.locator(CURVES).get_by_text("Sigmoid: f(0.5) = 0.622")).to_be_visible()
    page.get_by_test_id("stRadio").get_by_text("Sigmoid", exact=True).click()
    expect(page.get_by_text("After Sigmoid 83 × 126").first).to_be_visible()
    # The link is written at the end of the script run, after the text above is drawn.
    expect(page).to_have_url(re.compile(r"[?&]x=0\.5(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]fn=sigmoid(&|$)"))
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_typed_scores_examples_and_bad_input(page: Page, server):
    open_page(page, f"{server.url}/Activations")
    box = scores_box(page)
    box.fill("1, two, 3")
    box.press("Enter")
    expect(page.get_by_text("“two” is not a number")).to_be_visible()
    page.get_by_role("button", name="Very large scores").click()
    expect(box).to_have_value("1000, 1001, 1002")
    expect(page.get_by_text("Without the trick these scores break softmax")).to_be_visible()
    expect(page.get_by_text("66.5%").first).to_be_visible()  # = softmax(0, 1, 2)
    page.get_by_role("button", name="Digit classifier output").click()
    expect(page.get_by_text(re.compile(r"75\.0% class “3”"))).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_typo_keeps_the_last_good_scores_in_the_link_and_ties_are_named(page: Page, server):
    open_page(page, f"{server.url}/Activations")
    page.get_by_role("button", name="Equal scores").click()
    expect(page.get_by_text("all 4 classes are equally likely (25.0% each)")).to_be_visible()
    expect(page.get_by_text("next is class", exact=False)).to_have_count(0)
    page.wait_for_function("() => location.search.includes('scores=3%2C+3')", timeout=20_000)
    box = scores_box(page)
    box.fill("abc, 1")
    box.press("Enter")
    expect(page.get_by_text("“abc” is not a number")).to_be_visible()
    page.wait_for_timeout(1000)
    assert "abc" not in page.url and "scores=3%2C+3%2C+3%2C+3" in page.url


def test_a_deep_link_with_bad_values_is_clamped_and_explained(page: Page, server):
    open_page(page, f"{server.url}/Activations?fn=softplus&x=99&scores=1,nan&T=0")
    expect(page.get_by_text("Some settings in this link were adjusted")).to_be_visible()
    expect(page.locator(CURVES).get_by_text("ReLU: f(6) = 6", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize(("size", "name"), SCREEN_SIZES)
def test_activations_screenshots(page: Page, server, size, name):
    page.set_viewport_size(size)
    open_page(page, f"{server.url}/Activations?fn=leaky_relu&x=-2&slope=0.2")
    wait_for_app(page)
    scroll_to(page, "Four activation functions")
    screenshot(page, f"activations-curves-{name}")
    scroll_to(page, "On a real feature map")
    screenshot(page, f"activations-map-{name}")
    page.get_by_test_id("stRadio").get_by_text("ReLU", exact=True).click()
    wait_for_app(page)
    scroll_to(page, "The orange square, in numbers")
    screenshot(page, f"activations-crop-{name}")
    page.get_by_role("button", name="Very large scores").click()
    expect(page.get_by_text("Without the trick these scores break softmax")).to_be_visible()
    scores_box(page).evaluate("element => element.scrollIntoView({block: 'start'})")
    page.mouse.move(800, 400)
    page.mouse.wheel(0, -110)  # the label above the box, too
    page.wait_for_timeout(500)
    screenshot(page, f"activations-softmax-{name}")
    page.get_by_test_id("stTable").evaluate("element => element.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(400)
    screenshot(page, f"activations-overflow-{name}")
    page.get_by_role("button", name="Digit classifier output").click()
    expect(page.get_by_text(re.compile(r"75\.0% class “3”"))).to_be_visible()
    page.get_by_role("button", name="Digit classifier output").evaluate(
        "element => element.scrollIntoView({block: 'start'})"
    )
    page.wait_for_timeout(500)
    screenshot(page, f"activations-digit-{name}")
