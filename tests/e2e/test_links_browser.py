"""Links shared before the code was reshaped open the same view in a real browser."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

OLD_LINKS = [
    ("/Pixels?channel=green&resize=4", "Green values (rows 100–115"),
    ("/Convolution?input=photo&stride=2&pad=same&step=3", "Step 4 of"),
    ("/Pooling?side=8&size=3&stride=1&window=7", "Window 7"),
    ("/Activations?fn=tanh&scores=1000, 0", "class 0 is ∞ / ∞"),
    ("/Train_a_CNN?data=shapes&opt=sgd&lr=0.1&view=step", "The update rule that runs: SGD"),
]


def test_old_links_open_the_same_view(page: Page, server):
    for link, shown in OLD_LINKS:
        page.goto(server.url + link)
        wait_for_app(page)
        expect(page.get_by_text(shown, exact=False).first).to_be_visible()
        expect(page.get_by_text("Some settings in this link were adjusted")).to_have_count(0)
        asked = dict(parse_qsl(urlsplit(link).query))
        # The page writes its whole link at the end of its run: the asked values must be in it.
        page.wait_for_function(
            "names => names.every(n => new URLSearchParams(location.search).has(n))",
            arg=list(asked),
        )
        shared = dict(parse_qsl(urlsplit(page.url).query))
        assert {name: shared[name] for name in asked} == asked, link
