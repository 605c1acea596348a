"""The layering from design.md: only cnnviz/ui, cnnviz/lessons, app.py and pages/ use Streamlit;
`cnnviz.nn` never imports `cnnviz.data`; small modules; thin pages; one lesson name everywhere."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_PACKAGES = [ROOT / "cnnviz" / "ui", ROOT / "cnnviz" / "lessons"]
LIBRARY_FILES = sorted(
    p
    for p in (ROOT / "cnnviz").rglob("*.py")
    if not any(package in p.parents for package in STREAMLIT_PACKAGES)
)
MODULE_LINES = 450
"""No module in cnnviz/ over this: past it, split the module by idea."""
PAGE_LINES = 120
"""No lesson page over this: a page reads like a description of its UI."""


def imported_modules(path: Path, *, full: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name if full else alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module if full else node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_code_outside_ui_never_imports_streamlit(path):
    assert "streamlit" not in imported_modules(path)


def test_importing_the_library_does_not_load_streamlit():
    code = (
        "import sys, cnnviz.ops, cnnviz.data, cnnviz.viz, cnnviz.imageio, cnnviz.quiz; "
        "sys.exit('streamlit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_asset_builders_tools_are_not_used_by_the_app_or_tests():
    for path in [
        *LIBRARY_FILES,
        *ROOT.glob("tests/**/*.py"),
        ROOT / "app.py",
        *ROOT.glob("pages/*.py"),
    ]:
        assert not imported_modules(path) & {"skimage", "sklearn", "torch"}, path


@pytest.mark.parametrize("path", sorted(ROOT.glob("pages/*.py")), ids=lambda p: p.name)
def test_pages_are_thin_wiring(path):
    text = path.read_text(encoding="utf-8")
    assert "go.Figure(" not in text and "make_subplots(" not in text, "figures belong in cnnviz/viz"
    assert len(text.splitlines()) <= PAGE_LINES, "move logic into its cnnviz/lessons module"
    assert "page.lesson(" in text, "every lesson page starts with cnnviz.ui.page.lesson"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "cnnviz").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_module_is_too_big_to_read(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, f"{lines} lines: split it by idea"


def test_nn_takes_arrays_and_never_imports_data():
    for path in (ROOT / "cnnviz" / "nn").rglob("*.py"):
        assert not any(m.startswith("cnnviz.data") for m in imported_modules(path, full=True))


def test_the_ui_kit_holds_no_lesson_code():
    """cnnviz/ui is a small kit; a lesson's views live in cnnviz/lessons under its name."""
    from cnnviz.ui.lessons import LESSONS

    names = {lesson.name for lesson in LESSONS}
    kit = {p.stem for p in (ROOT / "cnnviz" / "ui").glob("*.py")}
    assert not {name for name in kit if name.endswith("view")}, "move views to cnnviz/lessons"
    lessons = {p.stem for p in (ROOT / "cnnviz" / "lessons").iterdir() if p.stem != "__init__"}
    assert lessons <= names
    for name in names:
        assert (ROOT / "assets" / "lessons" / f"{name}.md").is_file(), name
        assert (ROOT / "tests" / "app" / f"test_{name}.py").is_file(), name
        assert (ROOT / "cnnviz" / "quiz" / f"{name}.py").is_file(), name
