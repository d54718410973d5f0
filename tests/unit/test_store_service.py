"""The session service: every change is committed, survives a reopen, and bad input changes nothing."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import timedelta

import pytest

from premortem_tui.domain.validate import ValidationError
from premortem_tui.store import check, migrations
from premortem_tui.store.fileformat import APP_MARKER, APPLICATION_ID, SCHEMA_VERSION, SessionFileError
from premortem_tui.store.service import SessionService

from fakes import FakeClock


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "s.premortem")


@pytest.fixture
def clock():
    return FakeClock()


def reopen(path, clock=None):
    """The file's content as a fresh process would see it."""
    with SessionService.open(path, clock=clock) as service:
        return service.load()


def by_id(cards):
    return {c.id: c for c in cards}


def column(workshop, service):
    return [f for f in sorted(workshop.failures, key=lambda f: f.position) if f.service == service]


def header_int(path, offset):
    with open(path, "rb") as handle:
        data = handle.read(100)
    return int.from_bytes(data[offset:offset + 4], "big")


# -- create, open, close --------------------------------------------------------


def test_create_open_close(path):
    assert not os.path.exists(path)
    with SessionService.open(path, create=True, title="Payments Q3") as service:
        assert service.readonly is False
        first = service.load()
    assert os.path.exists(path)
    assert header_int(path, 68) == APPLICATION_ID
    assert header_int(path, 60) == SCHEMA_VERSION
    assert first.session.title == "Payments Q3"
    assert [p.key for p in first.phases] == ["intro", "failures", "impact", "countermeasures", "priority", "retro"]
    assert [p.planned_minutes for p in first.phases] == [5, 10, 45, 10, 40, 10]
    again = reopen(path)
    assert again.session.id == first.session.id
    assert again.session.title == "Payments Q3"


def test_open_without_create_refuses_a_missing_file(path):
    with pytest.raises(SessionFileError) as info:
        SessionService.open(path)
    assert path in str(info.value)
    assert not os.path.exists(path)


def test_zero_byte_file_is_created_only_when_creating(path):
    open(path, "wb").close()
    with pytest.raises(SessionFileError):
        SessionService.open(path)
    assert os.path.getsize(path) == 0
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "down")
    assert [f.failure for f in reopen(path).failures] == ["down"]


def test_close_leaves_no_wal_and_close_twice_is_harmless(path):
    service = SessionService.open(path, create=True)
    service.add_failure("API", "down for an hour")
    assert os.path.exists(path + "-wal")
    service.close()
    service.close()
    assert not os.path.exists(path + "-wal")
    # The main file alone is complete: read it with nothing beside it.
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        assert conn.execute("SELECT failure FROM failure").fetchall() == [("down for an hour",)]
    finally:
        conn.close()


# -- every change is visible after reopening --------------------------------------


def test_session_and_participants_survive_reopen(path):
    with SessionService.open(path, create=True) as service:
        service.update_session(title="  Checkout  ", context="B2B customers pay monthly", rehearsal=True,
                               date="2026-03-01")
        pm = service.add_participant("Aiko", "pm")
        eng = service.add_participant("Ben")
        service.update_participant(eng.id, role="cs", name="Benjamin")
        gone = service.add_participant("Carl", "other")
        service.delete("participant", gone.id)
    w = reopen(path)
    assert w.session.title == "Checkout"
    assert w.session.context == "B2B customers pay monthly"
    assert w.session.rehearsal is True
    assert w.session.date == "2026-03-01"
    assert [(p.id, p.name, p.role) for p in w.participants] == [
        (pm.id, "Aiko", "pm"), (eng.id, "Benjamin", "cs")]


def test_deleted_participant_restored(path):
    with SessionService.open(path, create=True) as service:
        a = service.add_participant("Aiko", "pm")
        b = service.add_participant("Ben")
        c = service.add_participant("Carl")
        deleted = service.delete("participant", b.id)
        assert [p.id for p in service.load().participants] == [a.id, c.id]
        service.restore(deleted)
    assert [(p.id, p.name) for p in reopen(path).participants] == [(a.id, "Aiko"), (b.id, "Ben"), (c.id, "Carl")]


def test_failures_add_update_and_services_join(path):
    with SessionService.open(path, create=True) as service:
        a = service.add_failure("Billing API", "returns 500 for every invoice", period="2 hours",
                                timing="month-end closing", author="Aiko")
        b = service.add_failure("  billing   API ", "slow")
        c = service.add_failure("BILLING api", "times out")
        d = service.add_failure("Search", "stale results")
        assert b.service == c.service == "Billing API"
        assert service.services() == ["Billing API", "Search"]
        service.update_failure(a.id, impact=4, likelihood="3", acceptable=True, notes="worse at month end")
        service.update_failure(d.id, service="billing api")  # joins the existing column, at its end
    w = reopen(path)
    assert {f.service for f in w.failures} == {"Billing API"}
    assert [f.id for f in column(w, "Billing API")] == [a.id, b.id, c.id, d.id]
    assert [f.position for f in column(w, "Billing API")] == [0, 1, 2, 3]
    got = by_id(w.failures)[a.id]
    assert (got.period, got.timing, got.author) == ("2 hours", "month-end closing", "Aiko")
    assert (got.impact, got.likelihood, got.risk, got.acceptable) == (4, 3, 12, True)
    assert got.notes == "worse at month end"


def test_move_failure_renumbers_positions(path):
    with SessionService.open(path, create=True) as service:
        ids = [service.add_failure("API", f"card {n}").id for n in range(4)]
        other = service.add_failure("DB", "disk full")
        service.move_failure(ids[3], "API", 0)           # up to the top
        service.move_failure(ids[0], "db", 0)            # to another column, spelled differently
    w = reopen(path)
    api = column(w, "API")
    assert [f.id for f in api] == [ids[3], ids[1], ids[2]]
    assert [f.position for f in api] == [0, 1, 2]
    db = column(w, "DB")
    assert [f.id for f in db] == [ids[0], other.id]
    assert [f.position for f in db] == [0, 1]


def test_countermeasures_add_update_move_decide(path):
    with SessionService.open(path, create=True) as service:
        f1 = service.add_failure("API", "down")
        f2 = service.add_failure("API", "slow")
        c1 = service.add_countermeasure("Health check alert", [f1.id, f2.id], stage="detect", author="Ben")
        c2 = service.add_countermeasure("Runbook", [f1.id], stage="respond")
        c3 = service.add_countermeasure("Load test", [f2.id], stage="detect")
        c4 = service.add_countermeasure("Postmortem template", [], stage="learn")
        service.update_countermeasure(c1.id, intro_cost=2, maintenance_cost=1, effect=4, owner="Aiko",
                                      decision_note="cheap", remind_on="2026-04-01", revisit_when="after launch")
        service.update_countermeasure(c2.id, failure_ids=[f2.id, f1.id], done=True)
        service.move_countermeasure(c3.id, "detect", 0)
        service.move_countermeasure(c2.id, "detect", 1)
        service.decide(c1.id, "now", 0)
        service.decide(c3.id, "now", 0)
        service.decide(c2.id, "later", None)
    w = reopen(path)
    cms = by_id(w.countermeasures)
    assert cms[c1.id].failure_ids == [f1.id, f2.id]
    assert cms[c2.id].failure_ids == [f2.id, f1.id]
    assert (cms[c1.id].intro_cost, cms[c1.id].maintenance_cost, cms[c1.id].effect) == (2, 1, 4)
    assert (cms[c1.id].owner, cms[c1.id].decision_note, cms[c1.id].remind_on) == ("Aiko", "cheap", "2026-04-01")
    assert cms[c1.id].revisit_when == "after launch"
    assert cms[c1.id].author == "Ben"
    assert cms[c2.id].done is True
    detect = sorted((c for c in w.countermeasures if c.stage == "detect"), key=lambda c: c.stage_position)
    assert [c.id for c in detect] == [c3.id, c2.id, c1.id]
    assert [c.stage_position for c in detect] == [0, 1, 2]
    assert not [c for c in w.countermeasures if c.stage == "respond"]
    now = sorted((c for c in w.countermeasures if c.decision == "now"), key=lambda c: c.rank)
    assert [(c.id, c.rank) for c in now] == [(c3.id, 0), (c1.id, 1)]
    assert (cms[c2.id].decision, cms[c2.id].rank) == ("later", 0)
    # the columns the cards left are renumbered too
    assert (cms[c4.id].decision, cms[c4.id].rank, cms[c4.id].stage_position) == ("undecided", 0, 0)


def test_retro_notes_add_update_move(path):
    with SessionService.open(path, create=True) as service:
        k1 = service.add_retro("keep", "timeboxes worked", author="Aiko")
        k2 = service.add_retro("keep", "the grid")
        p1 = service.add_retro("problem", "too many cards")
        service.update_retro(k1.id, text="strict timeboxes worked")
        service.move_retro(p1.id, "keep", 0)
        service.move_retro(k2.id, "try", None)
    w = reopen(path)
    keep = sorted((n for n in w.retro if n.kind == "keep"), key=lambda n: n.position)
    assert [(n.id, n.position) for n in keep] == [(p1.id, 0), (k1.id, 1)]
    assert keep[1].text == "strict timeboxes worked"
    assert keep[1].author == "Aiko"
    assert [(n.id, n.kind) for n in w.retro if n.kind != "keep"] == [(k2.id, "try")]


def test_delete_and_restore_retro_and_countermeasure(path):
    with SessionService.open(path, create=True) as service:
        f = service.add_failure("API", "down")
        notes = [service.add_retro("try", f"note {n}") for n in range(3)]
        c1 = service.add_countermeasure("first", [f.id], stage="prevent")
        c2 = service.add_countermeasure("second", [f.id], stage="prevent")
        gone_note = service.delete("retro", notes[1].id)
        gone_cm = service.delete("countermeasure", c1.id)
    w = reopen(path)
    assert [(n.id, n.position) for n in w.retro] == [(notes[0].id, 0), (notes[2].id, 1)]
    assert [(c.id, c.stage_position, c.rank) for c in w.countermeasures] == [(c2.id, 0, 0)]
    with SessionService.open(path) as service:
        assert notes[1].id in service.deleted_ids()
        service.restore(gone_note)
        service.restore(gone_cm)
    w = reopen(path)
    assert [n.id for n in sorted(w.retro, key=lambda n: n.position)] == [n.id for n in notes]
    assert [(c.id, c.failure_ids) for c in sorted(w.countermeasures, key=lambda c: c.stage_position)] == [
        (c1.id, [f.id]), (c2.id, [f.id])]
    assert [(c.id, c.stage_position, c.rank) for c in sorted(w.countermeasures, key=lambda c: c.rank)] == [
        (c1.id, 0, 0), (c2.id, 1, 1)]
    with SessionService.open(path) as service:
        assert {notes[1].id, c1.id}.isdisjoint(service.deleted_ids())


def test_deleted_failure_restored_with_id_links_and_variants(path):
    with SessionService.open(path, create=True) as service:
        before = service.add_failure("API", "first")
        target = service.add_failure("API", "down for an hour", impact=5, likelihood=2, notes="n")
        after = service.add_failure("API", "last")
        variant = service.create_variant(target.id, "down at night", timing="night")
        cm = service.add_countermeasure("failover", [before.id, target.id, after.id], stage="recover")
        deleted = service.delete("failure", target.id)
    w = reopen(path)
    assert target.id not in by_id(w.failures)
    assert [(f.id, f.position) for f in column(w, "API")] == [(before.id, 0), (variant.id, 1), (after.id, 2)]
    assert by_id(w.countermeasures)[cm.id].failure_ids == [before.id, after.id]
    assert by_id(w.failures)[variant.id].variant_of is None
    with SessionService.open(path) as service:
        assert target.id in service.deleted_ids()
        service.restore(deleted)
    w = reopen(path)
    back = by_id(w.failures)[target.id]
    assert (back.failure, back.impact, back.likelihood, back.notes) == ("down for an hour", 5, 2, "n")
    assert [f.id for f in column(w, "API")] == [before.id, target.id, variant.id, after.id]
    assert [f.position for f in column(w, "API")] == [0, 1, 2, 3]
    assert by_id(w.countermeasures)[cm.id].failure_ids == [before.id, target.id, after.id]
    assert by_id(w.failures)[variant.id].variant_of == target.id
    with SessionService.open(path) as service:
        assert target.id not in service.deleted_ids()


# -- timers ---------------------------------------------------------------------------


def running(workshop):
    return [p.key for p in workshop.phases if p.running]


def spent(workshop):
    return {p.key: p.spent_seconds for p in workshop.phases}


def test_timer_start_pause_toggle(path, clock):
    with SessionService.open(path, create=True, clock=clock) as service:
        started = service.toggle_timer()
        assert started.key == "intro" and started.running_since == clock.now()
        clock.advance(30)
        paused = service.toggle_timer()
        assert paused.running_since is None and paused.spent_seconds == 30
        clock.advance(100)  # paused: no time counts
        service.start_timer("intro")
        clock.advance(12)
    w = reopen(path)
    assert running(w) == ["intro"]
    intro = w.phase("intro")
    assert intro.spent_seconds == 30
    assert intro.running_since == clock.now() - timedelta(seconds=12)
    with SessionService.open(path, clock=clock) as service:
        service.pause_timer("intro")
    assert spent(reopen(path))["intro"] == 42
    assert running(reopen(path)) == []


def test_only_one_timer_runs(path, clock):
    with SessionService.open(path, create=True, clock=clock) as service:
        service.start_timer("impact")
        clock.advance(20)
        service.start_timer("priority")
        clock.advance(5)
        service.start_timer("impact")
    w = reopen(path)
    assert running(w) == ["impact"]
    assert spent(w)["impact"] == 20
    assert spent(w)["priority"] == 5


def test_next_phase_stops_the_running_timer_and_starts_the_next(path, clock):
    with SessionService.open(path, create=True, clock=clock) as service:
        service.toggle_timer()
        clock.advance(40)
        session = service.step_phase(1)
        assert session.current_phase == "failures"
        clock.advance(7)
    w = reopen(path)
    assert w.session.current_phase == "failures"
    assert running(w) == ["failures"]
    assert spent(w)["intro"] == 40
    assert w.phase("failures").running_since == clock.now() - timedelta(seconds=7)
    with SessionService.open(path, clock=clock) as service:
        service.go_to_phase("priority")
        clock.advance(3)
        assert service.step_phase(-1).current_phase == "countermeasures"
    w = reopen(path)
    assert running(w) == ["countermeasures"]
    assert spent(w)["failures"] == 7
    assert spent(w)["priority"] == 3


def test_changing_phase_with_no_timer_running_starts_none(path, clock):
    with SessionService.open(path, create=True, clock=clock) as service:
        service.go_to_phase("retro")
        assert service.step_phase(1) is None  # past the end
        service.go_to_phase("intro")
        assert service.step_phase(-1) is None
    w = reopen(path)
    assert w.session.current_phase == "intro"
    assert running(w) == []
    assert set(spent(w).values()) == {0}


def test_adjust_minutes(path, clock):
    with SessionService.open(path, create=True, clock=clock) as service:
        service.adjust_minutes("impact", 5)
        service.adjust_minutes("intro", -10)  # never below one minute
    w = reopen(path)
    assert w.phase("impact").planned_minutes == 50
    assert w.phase("intro").planned_minutes == 1


# -- validation changes nothing --------------------------------------------------


def snapshot(path):
    """Every row of every table, for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in tables}
    finally:
        conn.close()


@pytest.mark.parametrize("change", [
    lambda s, ids: s.update_failure(ids["f"], impact=6),
    lambda s, ids: s.update_failure(ids["f"], likelihood=0),
    lambda s, ids: s.update_failure(ids["f"], failure="   "),
    lambda s, ids: s.add_failure("API", ""),
    lambda s, ids: s.add_failure("", "down"),
    lambda s, ids: s.add_failure("API", "down", impact=6),
    lambda s, ids: s.add_countermeasure("alert", [ids["f"]], stage="pray"),
    lambda s, ids: s.add_countermeasure("alert", ["no-such-failure"]),
    lambda s, ids: s.update_countermeasure(ids["c"], stage="bad"),
    lambda s, ids: s.update_countermeasure(ids["c"], effect=6),
    lambda s, ids: s.update_countermeasure(ids["c"], remind_on="2026-02-30"),
    lambda s, ids: s.move_countermeasure(ids["c"], "bad", 0),
    lambda s, ids: s.decide(ids["c"], "maybe", 0),
    lambda s, ids: s.add_retro("keep", "  "),
    lambda s, ids: s.add_participant("Dana", "boss"),
    lambda s, ids: s.update_session(title=""),
    lambda s, ids: s.go_to_phase("lunch"),
], ids=["impact 6", "likelihood 0", "blank failure text", "empty failure", "empty service", "add impact 6",
        "bad stage", "unknown failure link", "update bad stage", "effect 6", "unreal date", "move bad stage",
        "bad decision", "empty retro", "bad role", "empty title", "bad phase"])
def test_validation_errors_change_nothing(path, change):
    with SessionService.open(path, create=True) as service:
        f = service.add_failure("API", "down", impact=3, likelihood=2)
        c = service.add_countermeasure("alert", [f.id], stage="detect", effect=2)
        service.add_retro("keep", "ok")
        service.add_participant("Aiko", "pm")
    before = snapshot(path)
    with SessionService.open(path) as service:
        with pytest.raises(ValidationError):
            change(service, {"f": f.id, "c": c.id})
    assert snapshot(path) == before


# -- read-only files -----------------------------------------------------------------


def _assert_readonly_session(path, digest_before):
    with SessionService.open(path) as service:
        assert service.readonly is True
        assert [f.failure for f in service.load().failures] == ["down"]
        with pytest.raises(SessionFileError) as info:
            service.add_failure("API", "another")
        assert path in str(info.value)
        with pytest.raises(SessionFileError):
            service.toggle_timer()
    assert file_digest(path) == digest_before
    assert not os.path.exists(path + "-wal")
    assert not os.path.exists(path + "-shm")


def file_digest(path):
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_read_only_file_opens_read_only(path):
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "down")
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running with privileges that ignore file permissions")
        _assert_readonly_session(path, file_digest(path))
    finally:
        os.chmod(path, 0o644)


def test_file_reported_not_writable_opens_read_only(path, monkeypatch):
    """The same path with the permission check answering 'not writable' (works for any user)."""
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "down")
    digest = file_digest(path)
    real_access = os.access

    def access(p, mode, *args, **kwargs):
        if os.fspath(p) == path and mode & os.W_OK:
            return False
        return real_access(p, mode, *args, **kwargs)

    monkeypatch.setattr(check.os, "access", access)
    _assert_readonly_session(path, digest)


# -- hand-off copy -----------------------------------------------------------------------


def test_copy_to_makes_a_self_contained_equal_file(tmp_path, path):
    dest = str(tmp_path / "handoff" / "copy.premortem")
    os.makedirs(os.path.dirname(dest))
    service = SessionService.open(path, create=True)
    try:
        f = service.add_failure("API", "down", impact=4, likelihood=4)
        service.add_countermeasure("alert", [f.id], stage="detect")
        service.add_retro("keep", "good")
        service.add_participant("Aiko", "pm")
        service.copy_to(dest)  # while the source is still open, with its WAL
        original = service.load()
        with pytest.raises(SessionFileError):
            service.copy_to(dest)  # never overwrites
    finally:
        service.close()
    assert os.listdir(os.path.dirname(dest)) == ["copy.premortem"]
    assert header_int(dest, 68) == APPLICATION_ID
    copy = reopen(dest)
    assert copy == original
    assert copy == reopen(path)


# -- migration from version 1 ----------------------------------------------------------


def make_v1_file(path):
    conn = sqlite3.connect(path)
    conn.executescript(migrations.V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta VALUES ('app', ?)", (APP_MARKER,))
    conn.execute("INSERT INTO session VALUES ('sess-v1', 'Old workshop', '2025-06-01', 'ctx', 'p', 'g', 0, "
                 "'impact', NULL, '')")
    for position, (key, minutes) in enumerate([("intro", 5), ("failures", 10), ("impact", 45),
                                               ("countermeasures", 10), ("priority", 40), ("retro", 10)]):
        conn.execute("INSERT INTO phase VALUES (?, ?, ?, ?, NULL)", (key, position, minutes, 60.0 * position))
    conn.execute("INSERT INTO failure VALUES ('fail-v1', 'Billing', 'invoices lost', '1 day', 'night', 'Aiko', 0, "
                 "4, 5, 0, 'notes', NULL, NULL, NULL, NULL)")
    conn.commit()
    conn.close()


def test_version_1_file_is_upgraded_after_a_backup(path):
    make_v1_file(path)
    with SessionService.open(path) as service:
        w = service.load()
        assert [(f.id, f.failure, f.risk, f.variant_of) for f in w.failures] == [
            ("fail-v1", "invoices lost", 20, None)]
        service.delete("failure", "fail-v1")  # the version-2 tombstone table works
    assert header_int(path, 60) == SCHEMA_VERSION
    w = reopen(path)
    assert w.session.id == "sess-v1" and w.session.current_phase == "impact"
    assert w.failures == []
    backup = path + ".bak-v1"
    assert backup.endswith("s.premortem.bak-v1")
    assert os.path.exists(backup)
    assert header_int(backup, 60) == 1
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT id FROM failure").fetchall() == [("fail-v1",)]
    finally:
        conn.close()
    assert not [n for n in os.listdir(os.path.dirname(path)) if n.endswith(".tmp")]


def test_version_1_file_keeps_its_failure_after_upgrade(path):
    make_v1_file(path)
    w = reopen(path)
    assert [(f.id, f.service, f.period, f.timing, f.author, f.impact, f.likelihood) for f in w.failures] == [
        ("fail-v1", "Billing", "1 day", "night", "Aiko", 4, 5)]
    assert header_int(path, 60) == SCHEMA_VERSION
    assert header_int(path + ".bak-v1", 60) == 1
