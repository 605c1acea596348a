"""Every lesson follows the one notation table (`assets/lessons/notation.md`).

The scan reads what a learner reads: the lesson texts, and the string literals of the library and
pages that are not docstrings (docstrings are for programmers; `cnnviz.nn` is NCHW inside).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cnnviz.ui import page

ROOT = Path(__file__).resolve().parents[1]
NOTATION = ROOT / "assets" / "lessons" / "notation.md"

RETIRED = {
    "F as the filter size (F counts filters)": r"\bF\s*[×x]\s*F\b|\bW\s*=\s*\d+\s*,\s*F\s*=",
    "the CS231n size formula (use n, k, p, s)": r"\(\s*[WN]\s*[−-]\s*F\b|\+\s*2\s*P\b",
    "P or S for padding or stride (use p, s)": r"\b[PS]\s*=\s*\d",
    "channels-first shapes (use H × W × C)": r"\bC\s*[×x]\s*H\s*[×x]\s*W\b",
}


def _learner_strings(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal in a Python file that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in docstrings:
            found.append((node.lineno, node.value))
    return found


def _texts() -> list[tuple[str, str]]:
    texts = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in
             sorted((ROOT / "assets" / "lessons").glob("*.md")) if p != NOTATION]  # fmt: skip
    sources = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    for package in ("ui", "quiz", "viz", "data", "ops"):
        sources += sorted((ROOT / "cnnviz" / package).glob("*.py"))
    for source in sources:
        for line, text in _learner_strings(source):
            texts.append((f"{source.relative_to(ROOT)}:{line}", text))
    return texts


@pytest.mark.parametrize("rule", sorted(RETIRED))
def test_no_lesson_text_uses_a_retired_form(rule):
    pattern = re.compile(RETIRED[rule])
    offenders = [f"{where}: …{m.group(0)}…" for where, text in _texts()
                 for m in pattern.finditer(text)]  # fmt: skip
    assert not offenders, f"{rule}:\n" + "\n".join(offenders)


@pytest.mark.parametrize("symbol", ["H × W × C", "| k |", "| F |", "s, p, d", "η"])
def test_the_notation_table_defines_every_symbol(symbol):
    assert symbol in page.lesson_text("notation", "table")


def test_the_retired_forms_are_caught():
    """The scan itself works: each rule matches the form it retires."""
    examples = {
        "F as the filter size (F counts filters)": "W = 32, F = 3",
        "the CS231n size formula (use n, k, p, s)": "(W − F + 2P) / S + 1",
        "P or S for padding or stride (use p, s)": "P = 0, S = 1",
        "channels-first shapes (use H × W × C)": "shapes are C × H × W",
    }
    for rule, example in examples.items():
        assert re.search(RETIRED[rule], example), rule
