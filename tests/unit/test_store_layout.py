"""The file's layout against the code that reads it: the positional reader against the dataclasses,
and an upgraded file's schema against a fresh one's."""

from __future__ import annotations

import json
import sqlite3

import pytest

from premortem_tui.domain.model import Countermeasure, Failure, Previous
from premortem_tui.store import migrations, reader
from premortem_tui.store.fileformat import APP_MARKER, APPLICATION_ID
from premortem_tui.store.service import SessionService

# Every field a value no other field of its card has, so a value read into the wrong field shows.
FAILURE = dict(id="f-1", service="svc", failure="what fails", period="per", timing="tim", author="auth",
               position=7, impact=2, likelihood=3, acceptable=1, notes="notes", variant_of="f-0",
               prev_id="prev-f", prev_impact=4, prev_likelihood=5, prev_decision="wont")
COUNTERMEASURE = dict(id="c-1", text="do it", stage="detect", stage_position=6, intro_cost=1, maintenance_cost=2,
                      effect=3, decision="later", rank=9, decision_note="dn", owner="own", revisit_when="rw",
                      remind_on="2030-01-31", done=1, author="cauth", prev_id="prev-c", prev_impact=4,
                      prev_likelihood=5, prev_decision="next", prev_done=0)


def insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


@pytest.fixture
def every_field(tmp_path):
    path = str(tmp_path / "fields.premortem")
    with SessionService.open(path, create=True):
        pass
    conn = sqlite3.connect(path)
    insert(conn, "failure", FAILURE)
    insert(conn, "countermeasure", COUNTERMEASURE)
    insert(conn, "answer", dict(countermeasure_id="c-1", failure_id="f-1", position=0))
    conn.commit()
    yield conn
    conn.close()


def test_the_positional_read_puts_every_column_in_its_field(every_field):
    w = reader.read_workshop(every_field)
    assert w.failures == [Failure(
        service="svc", failure="what fails", period="per", timing="tim", author="auth", position=7, impact=2,
        likelihood=3, acceptable=True, notes="notes", variant_of="f-0",
        previous=Previous(id="prev-f", impact=4, likelihood=5, decision="wont", done=None), id="f-1")]
    assert w.countermeasures == [Countermeasure(
        text="do it", failure_ids=["f-1"], stage="detect", stage_position=6, intro_cost=1, maintenance_cost=2,
        effect=3, decision="later", rank=9, decision_note="dn", owner="own", revisit_when="rw",
        remind_on="2030-01-31", done=True, author="cauth",
        previous=Previous(id="prev-c", impact=4, likelihood=5, decision="next", done=False), id="c-1")]


def test_the_positional_read_equals_the_read_by_name(every_field):
    w = reader.read_workshop(every_field)
    every_field.row_factory = sqlite3.Row
    by_name_f = [reader.failure_from(r) for r in every_field.execute("SELECT * FROM failure")]
    by_name_c = [reader.countermeasure_from(r, ["f-1"]) for r in every_field.execute("SELECT * FROM countermeasure")]
    assert (w.failures, w.countermeasures) == (by_name_f, by_name_c)


def schema(path: str) -> dict:
    """What the file's layout means, whatever the text it was created with or the order of its columns
    (every read names its columns): tables and their columns, indexes, and the header's numbers."""
    conn = sqlite3.connect(path)
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {t: {c[1]: (c[2], c[3], c[4], c[5]) for c in conn.execute(f"PRAGMA table_info({t})")}
                   for t in tables}
        indexes = {(t, unique, tuple(c[2] for c in conn.execute(f"PRAGMA index_info({name})")))
                   for t in tables for _seq, name, unique, _origin, _partial in conn.execute(f"PRAGMA index_list({t})")}
        header = [conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("user_version", "application_id")]
        return {"columns": columns, "indexes": indexes, "header": header}
    finally:
        conn.close()


def version_1_file(path: str, session: tuple) -> None:
    """A file as the first version wrote it, holding one session row."""
    conn = sqlite3.connect(path)
    conn.executescript(migrations.V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta VALUES ('app', ?)", (APP_MARKER,))
    conn.execute("INSERT INTO session VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", session)
    conn.commit()
    conn.close()


def test_an_upgraded_file_has_the_schema_of_a_fresh_one(tmp_path):
    fresh, old = str(tmp_path / "fresh.premortem"), str(tmp_path / "old.premortem")
    with SessionService.open(fresh, create=True):
        pass
    version_1_file(old, ("s-v1", "Old workshop", "2025-06-01", "", "p", "g", 0, "intro", None, ""))
    with SessionService.open(old):
        pass  # opening upgrades it
    assert schema(old) == schema(fresh)


def test_an_upgrade_reads_the_previous_session_out_of_the_old_text_once(tmp_path):
    old = str(tmp_path / "carried.premortem")
    text = ("Previous session: Q1 dispatch, 2026-02-24\n\nWe sell a dispatch platform.\n\n"
            "Try (from last time):\n- Timebox the impact phase\n- Invite support")
    version_1_file(old, ("s-2", "Q2 dispatch", "2026-05-01", "", "p", "g", 0, "intro", "s-1", text))
    with SessionService.open(old) as service:
        s = service.load().session
    assert (s.previous_title, s.previous_date, s.previous_context, s.previous_tries) == (
        "Q1 dispatch", "2026-02-24", "We sell a dispatch platform.", ["Timebox the impact phase", "Invite support"])
    with SessionService.open(old) as service:  # opened again: nothing is parsed twice
        assert service.load().session == s


def test_an_older_file_is_exported_from_an_upgraded_copy_and_left_as_it_was(tmp_path, capsys):
    from premortem_tui.cli import main

    old = str(tmp_path / "old.premortem")
    version_1_file(old, ("s-v1", "Old workshop", "2025-06-01", "", "p", "g", 0, "intro", None, ""))
    with open(old, "rb") as handle:
        before = handle.read()
    assert main(["export", old, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["title"] == "Old workshop"
    with open(old, "rb") as handle:
        assert handle.read() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.premortem"]
