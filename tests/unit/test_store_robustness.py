"""The session file under stress: two writers at once, kill -9 mid-import, and files that must be refused."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from premortem_tui.store.fileformat import SCHEMA_VERSION
from premortem_tui.store.service import SessionService

CLI = [sys.executable, "-m", "premortem_tui.cli"]


def run_cli(*args, cwd=None, timeout=60):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def integrity(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()


def export_doc(failures=(), session_id="src", **extra):
    return {"format": "premortem-session", "format_version": 1, "session": {"id": session_id, "title": "Source"},
            "failures": list(failures), **extra}


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(doc, handle, ensure_ascii=False)
    return str(path)


# -- (a) two processes editing one file at once ------------------------------------------

WORKER = textwrap.dedent("""
    import os, random, sys, time
    from premortem_tui.store.service import SessionService

    path, tag, cm_id, go = sys.argv[1:5]
    rng = random.Random(tag)
    open(go + "." + tag + ".ready", "w").close()
    deadline = time.monotonic() + 30
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            sys.exit("never started")
        time.sleep(0.002)
    mine = []
    with SessionService.open(path) as service:
        for i in range(300):
            step = i % 3
            if step == 0:  # a new card somewhere near the top of the shared column
                mine.append(service.add_failure("Shared", tag + "-" + str(i), index=rng.randrange(0, 5)).id)
            elif step == 1:  # move one of ours inside the column (typed with other spacing and case)
                service.move_failure(rng.choice(mine), " shared ", rng.randrange(0, 60))
            else:  # the shared countermeasure, edited by both
                service.update_countermeasure(cm_id, effect=rng.randint(1, 5), decision_note=tag + "-" + str(i))
    print(",".join(mine))
""")


def test_two_processes_edit_one_file_at_once(tmp_path):
    path = str(tmp_path / "shared.premortem")
    with SessionService.open(path, create=True) as service:
        seed = service.add_failure("Shared", "seed card")
        cm = service.add_countermeasure("shared alert", [seed.id], stage="detect", effect=1)
    go = str(tmp_path / "go")
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER)
    procs = [subprocess.Popen([sys.executable, str(worker), path, tag, cm.id, go],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in "AB"]
    try:
        deadline = time.monotonic() + 30
        while not all(os.path.exists(f"{go}.{tag}.ready") for tag in "AB"):
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.01)
        open(go, "w").close()  # both start editing at the same moment
        results = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert err == ""
    made = [set(out.strip().split(",")) for out, _ in results]
    assert all(len(ids) == 100 for ids in made)

    assert integrity(path) == [("ok",)]
    with SessionService.open(path) as service:
        w = service.load()
    assert not os.path.exists(path + "-wal")
    ids = {f.id for f in w.failures}
    assert ids == {seed.id} | made[0] | made[1]  # no card lost, none duplicated
    assert len(w.failures) == 201
    assert {f.service for f in w.failures} == {"Shared"}
    # every move renumbered the whole column inside its own transaction: no gaps, no duplicates
    assert sorted(f.position for f in w.failures) == list(range(201))
    shared = w.countermeasures[0]
    assert shared.failure_ids == [seed.id]
    assert 1 <= shared.effect <= 5
    assert shared.decision_note in {"A-299", "B-299"}


# -- (b) kill -9 in the middle of an import --------------------------------------------------

BIG = 5000


@pytest.fixture(scope="module")
def big_import(tmp_path_factory):
    """A session holding one imported card, and a JSON export of 5,000 more."""
    root = tmp_path_factory.mktemp("kill")
    failures = [{"id": f"big-{n}", "service": f"service {n % 12}", "failure": f"failure {n} " + "x" * 60,
                 "impact": n % 5 + 1, "likelihood": n // 5 % 5 + 1, "position": n // 12} for n in range(BIG)]
    big = write_json(root / "big.json", export_doc(failures, session_id="big"))
    tiny = write_json(root / "tiny.json", export_doc([{"id": "tiny-1", "service": "API", "failure": "down"}]))
    base = str(root / "base.premortem")
    result = run_cli("import", base, tiny)
    assert result.returncode == 0, result.stderr
    assert not os.path.exists(base + "-wal")
    return base, big


def _kill_import(base, big, target, wait):
    """Start ``import target big``, let ``wait`` decide when to SIGKILL it; True if it was still running."""
    shutil.copyfile(base, target)
    proc = subprocess.Popen([*CLI, "import", target, big], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait(proc, target + "-wal")
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return alive
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def _until(proc, predicate, limit=30.0):
    deadline = time.monotonic() + limit
    while proc.poll() is None and not predicate():
        assert time.monotonic() < deadline, "the import never got there"
        time.sleep(0.001)


def _wal_size(wal):
    try:
        return os.path.getsize(wal)
    except OSError:
        return -1


def wal_opened_then(delay):
    def wait(proc, wal):
        _until(proc, lambda: os.path.exists(wal))
        time.sleep(delay)
    return wait


@pytest.mark.parametrize("delay", [0.05, 0.4, 0.9])
def test_kill_9_during_import_loses_nothing_committed(tmp_path, big_import, delay):
    base, big = big_import
    target = str(tmp_path / "S.premortem")
    alive = _kill_import(base, big, target, wal_opened_then(delay))
    assert integrity(target) == [("ok",)]
    with SessionService.open(target) as service:
        w = service.load()
    assert integrity(target) == [("ok",)]
    imported = [f for f in w.failures if f.id.startswith("big-")]
    assert len(imported) in (0, BIG), f"a partial import survived: {len(imported)} cards"
    assert [f.id for f in w.failures if not f.id.startswith("big-")] == ["tiny-1"]
    if not alive:
        assert len(imported) == BIG


def _kill_9_after(code: str, line: str) -> None:
    """Run ``code`` in a child process, wait until it prints ``line``, then SIGKILL it."""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == line
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def test_kill_9_with_the_import_written_but_not_committed(tmp_path, big_import):
    """Deterministic: the child stops at the commit of the import, every row already written into the
    open transaction, and is killed there."""
    base, big = big_import
    target = str(tmp_path / "S.premortem")
    shutil.copyfile(base, target)
    code = textwrap.dedent(f"""
        import sys, time
        from sqlalchemy.engine import Connection
        from premortem_tui.cli import main

        def stop_at_commit(self):
            rows = self.exec_driver_sql("SELECT count(*) FROM failure").scalar()
            print(f"at commit {{rows}}", flush=True)
            time.sleep(60)

        Connection.commit = stop_at_commit
        main(["import", {target!r}, {big!r}])
    """)
    # every row is written inside the open transaction when the process dies
    _kill_9_after(code, f"at commit {BIG + 1}")
    with SessionService.open(target) as service:
        assert [f.id for f in service.load().failures] == ["tiny-1"]
    assert integrity(target) == [("ok",)]
    # the file stays usable: the same import completes now
    result = run_cli("import", target, big)
    assert result.returncode == 0, result.stderr
    with SessionService.open(target) as service:
        assert len(service.load().failures) == BIG + 1
    assert integrity(target) == [("ok",)]


def test_kill_9_after_a_commit_loses_nothing(tmp_path):
    """A change committed just before the process dies is in the file (still only in its WAL)."""
    path = str(tmp_path / "S.premortem")
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "before")
    code = textwrap.dedent(f"""
        import time
        from premortem_tui.store.service import SessionService
        service = SessionService.open({path!r})
        service.add_failure("API", "committed just before the kill")
        print("committed", flush=True)
        time.sleep(60)
    """)
    _kill_9_after(code, "committed")
    assert os.path.exists(path + "-wal")
    result = run_cli("export", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [f["failure"] for f in json.loads(result.stdout)["failures"]] == [
        "before", "committed just before the kill"]
    assert integrity(path) == [("ok",)]


# -- (c) files that are refused ------------------------------------------------------------


def _session_with_data(path, cards=40):
    with SessionService.open(path, create=True) as service:
        for n in range(cards):
            service.add_failure(f"service {n % 7}", f"failure {n} " + "y" * 900, impact=n % 5 + 1)
        service.add_countermeasure("alert", [], stage="detect")
    assert not os.path.exists(path + "-wal")


def make_random(path):
    with open(path, "wb") as handle:
        handle.write(random.Random(1).randbytes(8192))


def make_zero(path):
    open(path, "wb").close()


def make_text(path):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("title: not a session\nfailures: many\n")


def make_foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE inventory (item TEXT, qty INTEGER)")
    conn.execute("INSERT INTO inventory VALUES ('bolts', 40)")
    conn.commit()
    conn.close()


def make_truncated(path):
    _session_with_data(path)
    size = os.path.getsize(path)
    with open(path, "r+b") as handle:
        handle.truncate(size // 2)


def make_newer(path):
    _session_with_data(path, cards=3)
    with open(path, "r+b") as handle:
        handle.seek(60)
        handle.write((SCHEMA_VERSION + 1).to_bytes(4, "big"))


def make_corrupt(path):
    """A real session whose pages past the first were overwritten with garbage."""
    _session_with_data(path)
    with open(path, "r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(random.Random(2).randbytes(4096 * 4))


BAD_FILES = {
    "random bytes": make_random,
    "zero bytes": make_zero,
    "text": make_text,
    "other program's SQLite": make_foreign_sqlite,
    "truncated session": make_truncated,
    "newer schema": make_newer,
    "corrupt session": make_corrupt,
}


def assert_refused(result, path, digest_before, *, name=None):
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert (name or path) in lines[0]
    assert result.stdout == ""
    assert digest(path) == digest_before
    for suffix in ("-wal", "-shm", "-journal"):
        assert not os.path.exists(path + suffix), suffix


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_export_refuses(tmp_path, kind):
    path = str(tmp_path / "bad.premortem")
    BAD_FILES[kind](path)
    before = digest(path)
    out = str(tmp_path / "out.json")
    result = run_cli("export", path, "--format", "json", "-o", out)
    assert_refused(result, path, before)
    assert not os.path.exists(out)
    assert sorted(os.listdir(tmp_path)) == ["bad.premortem"]


def test_export_newer_schema_says_so(tmp_path):
    path = str(tmp_path / "new.premortem")
    make_newer(path)
    result = run_cli("export", path, "--format", "json")
    assert result.returncode == 1
    assert "newer" in result.stderr


def test_export_refuses_a_missing_file(tmp_path):
    path = str(tmp_path / "missing.premortem")
    result = run_cli("export", path, "--format", "json")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and path in result.stderr
    assert "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("kind", [k for k in BAD_FILES if k != "zero bytes"])
def test_import_into_a_bad_file_refuses(tmp_path, kind):
    path = str(tmp_path / "bad.premortem")
    BAD_FILES[kind](path)
    before = digest(path)
    source = write_json(tmp_path / "x.json", export_doc([{"id": "f1", "service": "API", "failure": "down"}]))
    result = run_cli("import", path, source)
    assert_refused(result, path, before)
    assert sorted(os.listdir(tmp_path)) == ["bad.premortem", "x.json"]


def test_import_into_a_zero_byte_file_creates_the_session(tmp_path):
    path = str(tmp_path / "empty.premortem")
    make_zero(path)
    source = write_json(tmp_path / "x.json", export_doc([{"id": "f1", "service": "API", "failure": "down"}]))
    result = run_cli("import", path, source)
    assert result.returncode == 0, result.stderr
    with SessionService.open(path) as service:
        assert [f.id for f in service.load().failures] == ["f1"]


BAD_SOURCES = {
    "invalid JSON": '{"format": "premortem-session", "format_version": 1, "failures": [',
    "wrong format": json.dumps({"format": "trello-board", "format_version": 1, "cards": []}),
    "impact 7": json.dumps(export_doc([{"id": "f1", "service": "API", "failure": "down", "impact": 7}])),
    "not an object": json.dumps([1, 2, 3]),
    "newer format_version": json.dumps({**export_doc(), "format_version": 99}),
    "random bytes": random.Random(3).randbytes(512),
    "NaN": '{"format": "premortem-session", "format_version": 1, "failures": '
           '[{"id": "f1", "service": "API", "failure": "down", "position": NaN}]}',
    "Infinity": '{"format": "premortem-session", "format_version": 1, '
                '"phases": [{"key": "intro", "spent_seconds": Infinity}]}',
    "huge position": json.dumps(export_doc([{"id": "f1", "service": "API", "failure": "down",
                                             "position": 10**30}])),
    "negative minutes spent": json.dumps({**export_doc(), "phases": [{"key": "intro", "spent_seconds": -60}]}),
    "lone surrogate": '{"format": "premortem-session", "format_version": 1, "failures": '
                      '[{"id": "f1", "service": "API", "failure": "\\ud800"}]}',
    "two participants with one id": json.dumps({**export_doc(), "participants": [
        {"id": "p1", "name": "Aiko"}, {"id": "p1", "name": "Ben"}]}),
    "two cards with one id": json.dumps(export_doc([{"id": "f1", "service": "API", "failure": "down"},
                                                    {"id": "f1", "service": "DB", "failure": "full"}])),
    "format_version true": json.dumps({**export_doc(), "format_version": True}),
}


def _write_source(path, content):
    with open(path, "wb") as handle:
        handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


@pytest.mark.parametrize("kind", list(BAD_SOURCES))
def test_bad_source_is_refused_and_file_unchanged(tmp_path, kind):
    path = str(tmp_path / "S.premortem")
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "down")
    before = digest(path)
    good = write_json(tmp_path / "good.json", export_doc([{"id": "g1", "service": "DB", "failure": "full"}]))
    bad = _write_source(tmp_path / "bad.json", BAD_SOURCES[kind])
    result = run_cli("import", path, good, bad)  # a good source first: nothing is written either
    assert_refused(result, path, before, name=bad)
    with SessionService.open(path) as service:
        assert [f.failure for f in service.load().failures] == ["down"]


@pytest.mark.parametrize("kind", ["invalid JSON", "wrong format", "impact 7", "lone surrogate"])
def test_bad_source_creates_no_file(tmp_path, kind):
    path = str(tmp_path / "new.premortem")
    bad = _write_source(tmp_path / "bad.json", BAD_SOURCES[kind])
    result = run_cli("import", path, bad)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and bad in result.stderr
    assert not os.path.exists(path)
    assert sorted(os.listdir(tmp_path)) == ["bad.json"]


def test_missing_source_is_refused(tmp_path):
    path = str(tmp_path / "S.premortem")
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "down")
    before = digest(path)
    missing = str(tmp_path / "nope.json")
    assert_refused(run_cli("import", path, missing), path, before, name=missing)


def test_bad_session_file_as_source_is_refused(tmp_path):
    path = str(tmp_path / "S.premortem")
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "down")
    before = digest(path)
    foreign = str(tmp_path / "foreign.db")
    make_foreign_sqlite(foreign)
    foreign_before = digest(foreign)
    result = run_cli("import", path, foreign)
    assert_refused(result, path, before, name=foreign)
    assert digest(foreign) == foreign_before


def test_a_new_file_never_takes_on_the_wal_of_a_deleted_one(tmp_path):
    """A session killed mid-meeting leaves NAME-wal; the file is deleted and NAME made anew: the new
    session must be the new one, not the old one replayed from that WAL."""
    from premortem_tui.store.service import create_session_file

    path = tmp_path / "meeting.premortem"
    assert create_session_file(str(path), title="Old meeting")
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA wal_autocheckpoint=0")
    raw.execute("UPDATE session SET current_phase = 'retro'")
    raw.commit()
    wal = (tmp_path / "meeting.premortem-wal").read_bytes()
    assert wal  # the change is only in the WAL
    raw.close()  # (closing checkpoints and removes it: put back what a kill -9 leaves)
    path.unlink()
    (tmp_path / "meeting.premortem-wal").write_bytes(wal)
    assert create_session_file(str(path), title="New meeting")
    service = SessionService.open(str(path))
    try:
        w = service.load()
    finally:
        service.close()
    assert w.session.title == "New meeting" and w.session.current_phase == "intro"
