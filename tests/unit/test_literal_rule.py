"""The UI shows strings only through ``ui/literal.py``: Textual's own text widgets read a ``str``
as markup, so a card saying ``[/]`` would crash the screen (see tests/ui/test_hostile_text.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import premortem_tui.ui as ui

# Widgets and prompts that read a plain str as markup, and fields that would draw a pasted escape.
MARKUP_READERS = {"Static", "Label", "DataTable", "Option", "Selection", "Markdown", "RichLog", "Log",
                  "Input", "TextArea", "Button"}
UI = Path(ui.__file__).parent


def offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
            found += [f"{path.name}:{node.lineno} imports {a.name}" for a in node.names if a.name in MARKUP_READERS]
        if isinstance(node, ast.keyword) and node.arg == "markup" and not (
                isinstance(node.value, ast.Constant) and node.value.value is False):
            found.append(f"{path.name}:{node.value.lineno} passes markup={ast.unparse(node.value)}")
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("from_markup", "render_str"):
            found.append(f"{path.name}:{node.lineno} calls {node.func.attr}")
    return found


def test_the_ui_reads_no_string_as_markup():
    files = [p for p in UI.rglob("*.py") if p.name != "literal.py"]
    assert len(files) > 20
    assert [o for p in files for o in offences(p)] == []


def test_the_rule_finds_an_offence(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from textual.widgets import Static, Input\nx = Text.from_markup(s)\nnotify(s, markup=True)\n")
    assert len(offences(sample)) == 4  # Static, Input, from_markup, markup=True
