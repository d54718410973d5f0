"""A change renumbers only the range of the column it moves, and a column whose positions have
gaps or ties (an older file, a hand edit) is numbered once, after which the model still equals
the file."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event

from premortem_tui.store.reader import read_inspected
from premortem_tui.store.service import SessionService
from premortem_tui.ui.session_model import SessionModel


def ranks(workshop, decision):
    cards = sorted((c for c in workshop.countermeasures if c.decision == decision), key=lambda c: c.rank)
    return [(c.text, c.rank) for c in cards]


def changed_rows(service, change) -> int:
    """How many rows ``change`` wrote (SQLite's count on the service's one connection); it must
    write them with set-based statements, not one parameter set per card."""
    many: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        if executemany:
            many.append(statement)
    event.listen(service._engine, "before_cursor_execute", seen)
    before = service._raw.total_changes
    try:
        change()
    finally:
        event.remove(service._engine, "before_cursor_execute", seen)
    assert not many, many
    return service._raw.total_changes - before


# The moved card's own row is written up to three times (its group, its position, the row object).
CARD_WRITES = 3


def test_a_move_near_the_end_of_a_long_column_writes_only_the_range(tmp_path):
    path = str(tmp_path / "s.premortem")
    with SessionService.open(path, create=True) as service:
        cms = [service.add_countermeasure(f"m{n}") for n in range(200)]
        # From 195 to 190 in the same column: 190..194 go one down, and the card itself.
        rows = changed_rows(service, lambda: service.decide(cms[195].id, "undecided", 190))
        assert rows <= 5 + CARD_WRITES, rows
        # Into another column's top: nothing but the card moves there, the old column closes up.
        rows = changed_rows(service, lambda: service.decide(cms[198].id, "now", 0))
        assert rows <= 1 + CARD_WRITES, rows  # the one card below it in the old column
        fresh = service.load()
    expected = [f"m{n}" for n in range(200) if n not in (195, 198)]
    expected.insert(190, "m195")
    assert ranks(fresh, "undecided") == [(t, n) for n, t in enumerate(expected)]
    assert ranks(fresh, "now") == [("m198", 0)]


def test_a_column_with_gaps_and_ties_is_numbered_once_and_stays_in_step(tmp_path):
    path = str(tmp_path / "s.premortem")
    with SessionService.open(path, create=True) as service:
        ids = [service.add_countermeasure(f"m{n}").id for n in range(6)]
    raw = sqlite3.connect(path)
    with raw:  # m0 m1 at 3 (a tie, read in rowid order), m2 at 7, m3 m4 m5 at 10, 11, 20
        for card_id, rank in zip(ids, (3, 3, 7, 10, 11, 20)):
            raw.execute("UPDATE countermeasure SET rank = ? WHERE id = ?", (rank, card_id))
    raw.close()
    service = SessionService.open(path)
    model = SessionModel(service.load(), path, service=service)
    try:
        model.decide(ids[4], "undecided", 1)  # m4 up to second: the column is written once, numbered
        assert ranks(read_inspected(path), "undecided") == [
            ("m0", 0), ("m4", 1), ("m1", 2), ("m2", 3), ("m3", 4), ("m5", 5)]
        model.decide(ids[0], "now", None)
        model.decide(ids[2], "undecided", 0)
        for _ in range(3):
            fresh = read_inspected(path)
            assert ranks(model.workshop, "undecided") == ranks(fresh, "undecided")
            assert ranks(model.workshop, "now") == ranks(fresh, "now")
            model.undo()
        assert ranks(read_inspected(path), "undecided") == [
            ("m0", 0), ("m1", 1), ("m2", 2), ("m3", 3), ("m4", 4), ("m5", 5)]
    finally:
        model.close()
