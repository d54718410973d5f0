"""The pure layers never import Textual (checked in a fresh interpreter)."""

import subprocess
import sys


def test_domain_store_export_do_not_import_textual():
    code = (
        "import sys\n"
        "import premortem_tui.domain.model, premortem_tui.domain.scoring, premortem_tui.domain.timer\n"
        "import premortem_tui.domain.merge, premortem_tui.domain.validate\n"
        "import premortem_tui.store.service, premortem_tui.store.reader, premortem_tui.store.sources\n"
        "import premortem_tui.export.json_format, premortem_tui.export.markdown, premortem_tui.export.csv_format\n"
        "import premortem_tui.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
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
