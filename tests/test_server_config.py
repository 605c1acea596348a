"""The server settings a classroom depends on (`.streamlit/config.toml`)."""

import re

from tests.app.conftest import ROOT


def test_no_forced_full_garbage_collection_after_every_run():
    """Each lesson-7 tick is a script run; Streamlit's post-run ``gc.collect(2)`` took a quarter
    of a 30-learner server's time under the GIL (py-spy), so the config turns it off."""
    config = (ROOT / ".streamlit" / "config.toml").read_text()  # tomllib needs Python 3.11
    runner = config.split("[runner]", 1)[1].split("\n[", 1)[0]
    assert re.search(r"^postScriptGC\s*=\s*false\s*$", runner, re.MULTILINE)
