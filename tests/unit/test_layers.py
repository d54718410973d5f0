"""The layer rule, checked two ways.

The import-linter contracts in pyproject.toml walk every import statement of
every module, lazy imports inside functions included: cli > ui > (store |
export) > domain > i18n, and domain, store and export never import Textual or
Rich. A fresh interpreter then proves the pure layers load without Textual.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"

# The linter puts its working directory first on sys.path, so a package built in
# tmp_path is the one it reads there; no cache, so nothing is written beside it.
_LINT = ("import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))")


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _LINT, str(CONFIG)], cwd=cwd, capture_output=True, text=True)


def test_the_import_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout, result.stdout


# A small package shaped like the real one, every layer importing the one below.
_CLEAN = {
    "__init__.py": "",
    "i18n.py": "def _(text):\n    return text\n",
    "domain/__init__.py": "",
    "domain/model.py": "from ..i18n import _\n",
    "store/__init__.py": "",
    "store/service.py": "from ..domain import model\n",
    "export/__init__.py": "",
    "export/json_format.py": "from ..domain import model\n",
    "ui/__init__.py": "",
    "ui/app.py": "import rich\nimport textual\nfrom ..store import service\nfrom ..export import json_format\n",
    "cli.py": "from .ui import app\n",
}


def _package(root: Path, extra: dict[str, str]) -> Path:
    for name, text in _CLEAN.items():
        path = root / "premortem_tui" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + extra.get(name, ""))
    for name in set(extra) - set(_CLEAN):
        (root / "premortem_tui" / name).write_text(extra[name])
    return root


def test_the_contracts_pass_a_clean_package(tmp_path):
    result = _lint(_package(tmp_path, {}))
    assert result.returncode == 0, result.stdout + result.stderr


_LAZY = "\n\ndef later():\n    {}\n"  # an import inside a function is an import all the same

VIOLATIONS = {
    "store imports export": ({"store/service.py": _LAZY.format("from ..export import json_format")},
                             "premortem_tui.store is not allowed to import premortem_tui.export"),
    "export imports store": ({"export/json_format.py": "from ..store import service\n"},
                             "premortem_tui.export is not allowed to import premortem_tui.store"),
    "domain imports store": ({"domain/model.py": _LAZY.format("from ..store import service")},
                             "premortem_tui.domain is not allowed to import premortem_tui.store"),
    "ui imports cli": ({"ui/app.py": "from .. import cli\n"},
                       "premortem_tui.ui is not allowed to import premortem_tui.cli"),
    "i18n imports domain": ({"i18n.py": "from .domain import model\n"},
                            "premortem_tui.i18n is not allowed to import premortem_tui.domain"),
    "domain imports textual": ({"domain/model.py": _LAZY.format("import textual.widgets")},
                               "premortem_tui.domain is not allowed to import textual"),
    "store imports rich": ({"store/service.py": "from rich.text import Text\n"},
                           "premortem_tui.store is not allowed to import rich"),
    "export imports textual": ({"export/json_format.py": "import textual\n"},
                               "premortem_tui.export is not allowed to import textual"),
    "a module outside every layer": ({"helpers.py": ""}, "- premortem_tui.helpers"),
}


@pytest.mark.parametrize("files, complaint", VIOLATIONS.values(), ids=VIOLATIONS.keys())
def test_the_contracts_refuse_a_violation(tmp_path, files, complaint):
    result = _lint(_package(tmp_path, files))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 broken" in result.stdout and complaint in result.stdout, result.stdout


def test_domain_store_export_do_not_import_textual():
    code = (
        "import importlib, pkgutil, sys\n"
        "import premortem_tui.domain, premortem_tui.store, premortem_tui.export, premortem_tui.cli\n"
        "for package in (premortem_tui.domain, premortem_tui.store, premortem_tui.export):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_lean_read_does_not_load_the_orm():
    code = (
        "import sys\n"
        "import premortem_tui.store.reader, premortem_tui.store.check, premortem_tui.export.json_format\n"
        "assert 'sqlmodel' not in sys.modules and 'sqlalchemy' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
