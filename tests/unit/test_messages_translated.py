"""Every message a user can read goes through the translation function.

Read from the source (AST), so a new refusal that skips ``_`` fails here, not in a
Japanese meeting: a raised user-facing error carries ``_("...")`` (or
``_("...").format(...)``), or passes on another error's message unchanged; and a
msgid is never an f-string (the catalogue could not hold it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import premortem_tui

PACKAGE = Path(premortem_tui.__file__).parent
# The errors whose message reaches the user (one line on the command line, a toast, a form).
USER_FACING = {"ValidationError", "SessionFileError", "CommandError", "NoDatedReminders", "ArgumentTypeError"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _translated(arg: ast.expr) -> bool:
    if isinstance(arg, ast.Call):
        if _name(arg.func) == "_":
            return True
        if isinstance(arg.func, ast.Attribute) and arg.func.attr == "format":
            return _translated(arg.func.value)
        # str(exc): another error's message, already translated where it was raised
        return _name(arg.func) == "str" and len(arg.args) == 1 and isinstance(arg.args[0], ast.Name)
    return isinstance(arg, ast.Name)  # raise Error(exc): the same


def _untranslated_raises(tree: ast.AST) -> list[tuple[int, str]]:
    """User-facing errors made with a message that skips ``_``: raised, or built to raise later."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in USER_FACING:
            if not node.args or not _translated(node.args[0]):
                found.append((node.lineno, ast.unparse(node)[:80]))
    return found


def _formatted_msgids(tree: ast.AST) -> list[tuple[int, str]]:
    return [(node.lineno, ast.unparse(node)[:80]) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and _name(node.func) in ("_", "N_") and node.args
            and isinstance(node.args[0], ast.JoinedStr)]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_user_facing_errors_and_msgids_are_translatable(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _untranslated_raises(tree) == []
    assert _formatted_msgids(tree) == []


def test_the_check_finds_what_it_forbids() -> None:
    source = '''
raise ValidationError(f"{name} must not be empty")
raise SessionFileError("no such file")
raise ValidationError(_(f"{name} is wrong"))
raise ValidationError(_("{name} must not be empty").format(name=name))
raise SessionFileError(str(exc))
error = SessionFileError(f"{path}: cannot be read")
'''
    tree = ast.parse(source)
    assert [line for line, _text in _untranslated_raises(tree)] == [2, 3, 7]
    assert [line for line, _text in _formatted_msgids(tree)] == [4]
