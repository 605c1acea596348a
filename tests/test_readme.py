"""The README's promises: two set-up commands, the CI calling the second, links that work."""

import re
from urllib.parse import parse_qsl, urlsplit

from cnnviz.lessons import pixels
from cnnviz.ui.lessons import LESSONS
from tests.app.conftest import ROOT, app_test

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks() -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S)]


def test_exactly_two_set_up_commands_run_and_test():
    run, test = _bash_blocks()
    assert "pip install -r requirements.txt" in run and run.endswith("streamlit run app.py")
    assert test == "bash scripts/test.sh"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "CI=true" in ci and "scripts/test.sh" in ci


def test_every_image_in_the_readme_exists():
    for path in re.findall(r"\]\((docs/[^)]+\.png)\)", README):
        assert (ROOT / path).is_file(), path


def test_every_built_lesson_is_marked_ready_in_the_lesson_map():
    for lesson in LESSONS:
        assert re.search(rf"\| {lesson.number} \| \*\*{lesson.title}\*\* \|.*\| ready \|", README)


def test_the_example_share_link_opens_without_adjustments():
    (link,) = re.findall(r"`(/Pixels\?[^`]+)`", README)
    query = dict(parse_qsl(urlsplit(link).query))
    at = app_test("pages/1_Pixels.py", query).run()
    assert not at.exception and not at.info
    assert at.radio(key=pixels.CHANNEL.key).value == query["channel"]
