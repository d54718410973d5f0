"""A crash at any point of creating, importing, upgrading or carrying loses nothing and wedges nothing.

A child process is ended with ``os._exit`` (no cleanup, as kill -9 would) at each named crash point
(PREMORTEM_CRASH_AT, see store/atomic.py); then the file opens (a new one is absent or complete),
its integrity check is ok, and a retry gives exactly what an uninterrupted run gives.
"""

from __future__ import annotations

import json
import os
import sqlite3
import re
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import date, datetime, timezone

import pytest

from premortem_tui.cli import main
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.export.json_format import dumps
from premortem_tui.store import migrations
from premortem_tui.store.fileformat import APP_MARKER, APPLICATION_ID, SCHEMA_VERSION
from premortem_tui.store.reader import read_file
from premortem_tui.store.service import SessionService

CLI = [sys.executable, "-m", "premortem_tui.cli"]
CRASHED = 70  # the status crash_point ends the process with


def run(*args, code=None, crash_at=""):
    """``premortem ARGS``, or python ``code`` with ARGS, in a child process (crashing at ``crash_at``)."""
    command = [sys.executable, "-c", textwrap.dedent(code), *args] if code else [*CLI, *args]
    env = {**os.environ, "PREMORTEM_CRASH_AT": crash_at}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def integrity(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def header_int(path, offset):
    with open(path, "rb") as handle:
        handle.seek(offset)
        return int.from_bytes(handle.read(4), "big")


NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def export_json(path):
    """The JSON export of ``path`` (read as ``premortem export`` reads it)."""
    return json.loads(dumps(read_file(path), NOW))


def canonical(doc):
    """``doc`` with fresh random ids (a new session's, carried cards') numbered in order of appearance,
    so two runs that did the same compare equal."""
    names: dict[str, str] = {}

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and UUID.fullmatch(value):
            return names.setdefault(value, f"id-{len(names)}")
        return value
    return walk(doc)


def leftovers(folder, *keep):
    return sorted(set(os.listdir(folder)) - set(keep))


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A JSON export of the demo workshop (a whole session: id, title, context, agenda, cards)."""
    root = tmp_path_factory.mktemp("src")
    path = str(root / "demo.premortem")
    with SessionService.open(path, create=True) as service:
        service.import_workshop(demo_workshop(date(2025, 3, 1)), whole_session=True)
    out = str(root / "demo.json")
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(dumps(read_file(path), NOW))
    return out


# -- the defects, each reproduced without the crash-point hook ------------------------------


def test_a_crash_while_a_new_file_is_created_leaves_no_unusable_file(tmp_path):
    path = str(tmp_path / "new.premortem")
    result = run(code=f"""
        import os
        from premortem_tui.store.service import SessionService
        SessionService._create = lambda self, title: os._exit(70)  # dies before the first commit
        SessionService.open({path!r}, create=True)
    """)
    assert result.returncode == CRASHED, result.stderr
    assert not os.path.exists(path)  # the new file appears whole or not at all
    assert main(["import", path, _tiny(tmp_path)]) == 0
    assert leftovers(tmp_path) == ["new.premortem", "tiny.json"]  # the crashed attempt's temp file too
    assert header_int(path, 68) == APPLICATION_ID
    assert [f["id"] for f in export_json(path)["failures"]] == ["t1"]


def _tiny(folder):
    path = str(folder / "tiny.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"format": "premortem-session", "format_version": 1, "session": {"id": "tiny", "title": "T"},
                   "failures": [{"id": "t1", "service": "API", "failure": "down"}]}, handle)
    return path


def test_a_killed_import_into_a_new_file_is_all_or_nothing(tmp_path, source):
    path = str(tmp_path / "new.premortem")
    result = run(code=f"""
        import os, sys
        from premortem_tui.cli import main
        from premortem_tui.store.service import SessionService
        SessionService.import_workshop = lambda self, *a, **k: os._exit(70)
        main(["import", {path!r}, {source!r}])
    """)
    assert result.returncode == CRASHED, result.stderr
    assert not os.path.exists(path)
    assert main(["import", path, source]) == 0
    assert leftovers(tmp_path) == ["new.premortem"]
    back = export_json(path)
    with open(source, encoding="utf-8") as handle:
        expected = json.load(handle)
    assert back["session"] == expected["session"]  # id, title, date, context: the source's
    assert back == expected


def make_v1_file(path):
    conn = sqlite3.connect(path)
    conn.executescript(migrations.V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta VALUES ('app', ?)", (APP_MARKER,))
    conn.execute("INSERT INTO session VALUES ('sess-v1', 'Old workshop', '2025-06-01', 'ctx', 'p', 'g', 0, "
                 "'impact', NULL, '')")
    for position, key in enumerate(("intro", "failures", "impact", "countermeasures", "priority", "retro")):
        conn.execute("INSERT INTO phase VALUES (?, ?, 10, 0, NULL)", (key, position))
    conn.execute("INSERT INTO failure VALUES ('fail-v1', 'Billing', 'invoices lost', '1 day', 'night', 'Aiko', 0, "
                 "4, 5, 0, 'notes', NULL, NULL, NULL, NULL)")
    conn.execute("INSERT INTO countermeasure VALUES ('cm-v1', 'alert', 'detect', 0, 1, 2, 3, 'undecided', 0, '', "
                 "'', '', NULL, 0, '', NULL, NULL, NULL, NULL)")
    conn.execute("INSERT INTO answer VALUES ('cm-v1', 'fail-v1', 0)")
    conn.commit()
    conn.close()


def assert_original_v1_backup(path):
    backup = path + ".bak-v1"
    assert header_int(backup, 60) == 1
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "prev_done" not in {r[1] for r in conn.execute("PRAGMA table_info(countermeasure)")}
        assert conn.execute("SELECT id FROM failure").fetchall() == [("fail-v1",)]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """The export of a version-1 file upgraded without interruption."""
    path = str(tmp_path_factory.mktemp("v1") / "old.premortem")
    make_v1_file(path)
    SessionService.open(path).close()
    return export_json(path)


def test_a_crash_after_the_upgrade_commit_resumes_and_keeps_the_backup(tmp_path, upgraded):
    path = str(tmp_path / "old.premortem")
    make_v1_file(path)
    result = run(code=f"""
        import os
        from premortem_tui.store import migrations, service
        upgrade = migrations.upgrade
        def upgrade_then_die(*args):
            upgrade(*args)
            os._exit(70)  # committed, not yet checkpointed: the header still says version 1
        migrations.upgrade = upgrade_then_die
        service.SessionService.open({path!r})
    """)
    assert result.returncode == CRASHED, result.stderr
    assert header_int(path, 60) == 1 and os.path.getsize(path + "-wal") > 0
    with SessionService.open(path) as service:  # the retry
        assert [f.id for f in service.load().failures] == ["fail-v1"]
    assert header_int(path, 60) == SCHEMA_VERSION
    assert integrity(path) == [("ok",)]
    assert_original_v1_backup(path)
    assert export_json(path) == upgraded


def test_an_existing_backup_is_never_overwritten(tmp_path):
    path = str(tmp_path / "old.premortem")
    make_v1_file(path)
    with open(path + ".bak-v1", "wb") as handle:
        handle.write(b"the first backup")
    SessionService.open(path).close()
    with open(path + ".bak-v1", "rb") as handle:
        assert handle.read() == b"the first backup"


def test_the_upgrade_step_is_idempotent():
    conn = sqlite3.connect(":memory:")
    conn.executescript(migrations.V1_SCHEMA)
    migrations.STEPS[1](conn)
    migrations.STEPS[1](conn)  # a step found already applied is skipped, not an error
    assert "prev_done" in {r[1] for r in conn.execute("PRAGMA table_info(countermeasure)")}


# -- every named crash point --------------------------------------------------------------------

CREATE = ["create-temp", "create-schema", "create-built", "create-placed"]
IMPORT_NEW = ["create-temp", "create-schema", "import-written", "import-committed", "create-built",
              "create-placed"]
IMPORT_EXISTING = ["import-written", "import-committed"]
UPGRADE = ["upgrade-backup-written", "upgrade-backup-placed", "upgrade-applied", "upgrade-v2", "upgrade-v3"]

OPEN = """
    import sys
    from premortem_tui.store.service import SessionService
    SessionService.open(sys.argv[1], create=True).close()
"""


def crash(point, *args, code=None):
    result = run(*args, code=code, crash_at=point)
    assert result.returncode == CRASHED, f"never reached {point}: {result.stderr}"


def assert_absent_or_complete(path, expected):
    """A new file after a crash: not there at all, or the whole session."""
    if os.path.exists(path):
        assert integrity(path) == [("ok",)]
        assert canonical(export_json(path)) == expected


@pytest.fixture(scope="module")
def expected(tmp_path_factory, source, upgraded):
    """What each operation gives when nothing interrupts it."""
    root = tmp_path_factory.mktemp("expected")
    created = str(root / "new.premortem")
    SessionService.open(created, create=True).close()
    imported = str(root / "imported.premortem")
    assert main(["import", imported, source]) == 0
    existing = str(root / "existing.premortem")
    assert main(["import", existing, _tiny(root)]) == 0
    base = str(root / "base.premortem")
    shutil.copyfile(existing, base)
    assert main(["import", existing, source]) == 0
    carried = str(root / "next.premortem")
    assert main(["carry", imported, carried]) == 0
    return {"create": canonical(export_json(created)), "import": canonical(export_json(imported)),
            "existing": export_json(existing), "base": base, "carry": canonical(export_json(carried)),
            "carry source": imported, "upgrade": upgraded}


@pytest.mark.parametrize("point", CREATE)
def test_crash_while_creating(tmp_path, expected, point):
    path = str(tmp_path / "new.premortem")
    crash(point, path, code=OPEN)
    assert_absent_or_complete(path, expected["create"])
    SessionService.open(path, create=True).close()  # the retry
    assert leftovers(tmp_path) == ["new.premortem"]
    assert integrity(path) == [("ok",)]
    assert canonical(export_json(path)) == expected["create"]


@pytest.mark.parametrize("point", IMPORT_NEW)
def test_crash_while_importing_into_a_new_file(tmp_path, expected, source, point):
    path = str(tmp_path / "new.premortem")
    crash(point, "import", path, source)
    assert_absent_or_complete(path, expected["import"])
    assert main(["import", path, source]) == 0
    assert leftovers(tmp_path) == ["new.premortem"]
    assert integrity(path) == [("ok",)]
    assert canonical(export_json(path)) == expected["import"]


@pytest.mark.parametrize("point", IMPORT_EXISTING)
def test_crash_while_importing_into_an_existing_file(tmp_path, expected, source, point):
    path = str(tmp_path / "S.premortem")
    shutil.copyfile(expected["base"], path)
    before = export_json(path)
    crash(point, "import", path, source)
    assert integrity(path) == [("ok",)]
    assert export_json(path) in (before, expected["existing"])  # nothing of the import, or all of it
    assert main(["import", path, source]) == 0
    assert integrity(path) == [("ok",)]
    assert export_json(path) == expected["existing"]


@pytest.mark.parametrize("point", UPGRADE)
def test_crash_while_upgrading(tmp_path, expected, point):
    path = str(tmp_path / "old.premortem")
    make_v1_file(path)
    crash(point, path, code=OPEN)
    assert integrity(path) == [("ok",)]
    SessionService.open(path).close()  # the retry
    # Stopped between two steps, the retry starts from version 2: that state is backed up too.
    assert leftovers(tmp_path) == ["old.premortem", "old.premortem.bak-v1"] + \
        (["old.premortem.bak-v2"] if point == "upgrade-v2" else [])
    assert header_int(path, 60) == SCHEMA_VERSION
    assert integrity(path) == [("ok",)]
    assert_original_v1_backup(path)
    assert export_json(path) == expected["upgrade"]


@pytest.mark.parametrize("point", IMPORT_NEW)
def test_crash_while_carrying(tmp_path, expected, point):
    path = str(tmp_path / "next.premortem")
    crash(point, "carry", expected["carry source"], path)
    assert_absent_or_complete(path, expected["carry"])
    if not os.path.exists(path):
        assert main(["carry", expected["carry source"], path]) == 0
    else:
        assert main(["carry", expected["carry source"], path]) == 1  # NEW is there: refused, as always
    SessionService.open(path).close()  # opening NEW removes what the crashed carry left beside it
    assert leftovers(tmp_path) == ["next.premortem"]
    assert integrity(path) == [("ok",)]
    assert canonical(export_json(path)) == expected["carry"]


def test_four_processes_creating_one_file_end_up_on_one_session(tmp_path):
    path = str(tmp_path / "new.premortem")
    code = """
        import os, sys, time
        from premortem_tui.store.service import SessionService
        path, go, tag = sys.argv[1:]
        open(go + tag, "w").close()
        while not os.path.exists(go):
            time.sleep(0.001)
        with SessionService.open(path, create=True) as service:
            service.add_failure("API", tag)
            print(service.load().session.id)
    """
    go = str(tmp_path / "go")
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), path, go, tag],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in "ABCD"]
    deadline = time.monotonic() + 60
    while not all(os.path.exists(go + tag) for tag in "ABCD") and time.monotonic() < deadline:
        time.sleep(0.01)
    open(go, "w").close()  # all four create at the same moment
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _out, err in results]
    assert len({out.strip() for out, _err in results}) == 1  # one session for all four
    assert sorted(f.failure for f in read_file(path).failures) == ["A", "B", "C", "D"]
    assert leftovers(tmp_path, "go", *(go[len(str(tmp_path)) + 1:] + t for t in "ABCD")) == ["new.premortem"]
