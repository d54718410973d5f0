"""The board's order is the file's order: after every change and every undo, the model in memory
equals a fresh read of the session file, column by column.

The store alone computes where cards sit; the model applies what it reports. These tests drive
the model the board uses (``SessionModel``) directly, without the app.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from premortem_tui.domain.model import Failure, Workshop
from premortem_tui.store.reader import read_inspected
from premortem_tui.store.service import SessionService
from premortem_tui.ui.session_model import SessionModel

SERVICES = ("API", "DB", "Queue")
STAGES = ("prevent", "detect", "respond")
DECISIONS = ("undecided", "now", "later")
KINDS = ("keep", "problem", "try")


def columns(w: Workshop) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Every column of the board as (id, position) top first: failures by service, countermeasures
    by stage and by decision (rank), retro notes by kind."""
    cols: dict[tuple[str, str], list[Any]] = {}
    for f in w.failures:
        cols.setdefault(("service", f.service), []).append((f.position, f.id))
    for c in w.countermeasures:
        cols.setdefault(("stage", c.stage), []).append((c.stage_position, c.id))
        cols.setdefault(("decision", c.decision), []).append((c.rank, c.id))
    for n in w.retro:
        cols.setdefault(("kind", n.kind), []).append((n.position, n.id))
    # Sorted by position alone (stable): a tie would show as a difference in list order.
    return {key: [(i, p) for p, i in sorted(cards, key=lambda pc: pc[0])] for key, cards in cols.items()}


def assert_mirrors_file(model: SessionModel, step: object = None) -> None:
    fresh = read_inspected(model.path)
    mine = model.workshop
    assert columns(mine) == columns(fresh), step
    by_id = lambda cards: sorted(cards, key=lambda c: c.id)  # noqa: E731
    assert by_id(mine.failures) == by_id(fresh.failures), step
    assert by_id(mine.countermeasures) == by_id(fresh.countermeasures), step
    assert by_id(mine.retro) == by_id(fresh.retro), step


@contextmanager
def seeded_model() -> Iterator[SessionModel]:
    """A small session (three cards a column) opened as the board opens it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "order.premortem")
        service = SessionService.open(path, create=True)
        failures = [service.add_failure(s, f"{s} fails {n}") for s in SERVICES for n in range(3)]
        for n, stage in enumerate(STAGES * 2):
            service.add_countermeasure(f"measure {n}", [failures[n].id], stage=stage)
        for n, kind in enumerate(KINDS * 2):
            service.add_retro(kind, f"note {n}")
        model = SessionModel(service.load(), path, service=service)
        try:
            yield model
        finally:
            model.close()


def pick(items: list[Any], r: int) -> Any:
    return items[r % len(items)]


def play(model: SessionModel, op: str, r: int, g: int, index: int | None) -> None:
    """One change as the board makes it: ``r`` picks the card, ``g`` the column, ``index`` the place."""
    w = model.workshop
    if op == "undo":
        model.undo()
    elif op == "add_failure":
        model.add_failure(service=pick(list(SERVICES), g), failure=f"new {r}", index=index)
    elif op == "add_countermeasure":
        model.add_countermeasure(text=f"new {r}", stage=pick(list(STAGES), g), index=index)
    elif op == "add_retro":
        model.add_retro(kind=pick(list(KINDS), g), text=f"new {r}", index=index)
    elif op == "variant" and w.failures:
        model.create_variant(pick(w.failures, r).id)
    elif op == "move_failure" and w.failures:
        model.move_failure(pick(w.failures, r).id, pick(list(SERVICES), g), index)
    elif op == "edit_failure" and w.failures:
        model.update_failure(pick(w.failures, r).id, service=pick(list(SERVICES), g))
    elif op == "move_countermeasure" and w.countermeasures:
        model.move_countermeasure(pick(w.countermeasures, r).id, pick(list(STAGES), g), index)
    elif op == "decide" and w.countermeasures:
        model.decide(pick(w.countermeasures, r).id, pick(list(DECISIONS), g), index)
    elif op == "edit_countermeasure" and w.countermeasures:
        model.update_countermeasure(pick(w.countermeasures, r).id, stage=pick(list(STAGES), g),
                                    decision=pick(list(DECISIONS), r + g))
    elif op == "rank" and w.countermeasures:
        decision = pick(list(DECISIONS), g)
        ids = [c.id for c in w.countermeasures if c.decision == decision]
        model.rank_column(decision, ids[r % (len(ids) or 1):] + ids[:r % (len(ids) or 1)])
    elif op == "move_retro" and w.retro:
        model.move_retro(pick(w.retro, r).id, pick(list(KINDS), g), index)
    elif op == "edit_retro" and w.retro:
        model.update_retro(pick(w.retro, r).id, kind=pick(list(KINDS), g))
    elif op.startswith("delete_"):
        kind = op.removeprefix("delete_")
        cards = {"failure": w.failures, "countermeasure": w.countermeasures, "retro": w.retro}[kind]
        if cards:
            model.delete(kind, pick(cards, r).id)


OPS = ("undo", "undo", "undo", "add_failure", "add_countermeasure", "add_retro", "variant",
       "move_failure", "move_failure", "edit_failure", "move_countermeasure", "decide", "decide",
       "edit_countermeasure", "rank", "move_retro", "edit_retro",
       "delete_failure", "delete_countermeasure", "delete_retro")
STEP = st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 5),
                 st.one_of(st.none(), st.integers(0, 6)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEP, min_size=1, max_size=25))
# The failures phase: a card leaves API, then L moves another across and u brings it back.
@example([("move_failure", 0, 1, 0), ("move_failure", 2, 1, 1), ("undo", 0, 0, None)])
# A delete closes a gap that a later undo of a move must not reopen (and the same for stages).
@example([("delete_failure", 0, 0, None), ("move_failure", 1, 1, 0), ("undo", 0, 0, None)])
@example([("delete_countermeasure", 0, 0, None), ("move_countermeasure", 0, 1, 0), ("undo", 0, 0, None),
          ("undo", 0, 0, None)])
def test_the_model_always_equals_the_file(steps: list[tuple[str, int, int, int | None]]) -> None:
    with seeded_model() as model:
        assert_mirrors_file(model)
        for step in steps:
            play(model, *step)
            assert_mirrors_file(model, step)
        while model.undo() is not None:  # back to the start, every step of the way
            assert_mirrors_file(model, "undo all")


def test_undoing_a_move_out_of_a_column_that_lost_a_card_puts_it_back_in_its_place() -> None:
    """Failures phase, column API ``a b c d``: ``a`` leaves, ``L`` on ``c``, then ``u``: ``b c d``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "order.premortem")
        service = SessionService.open(path, create=True)
        a, b, c, d = (service.add_failure("API", name) for name in "abcd")
        service.add_failure("DB", "x")
        model = SessionModel(service.load(), path, service=service)
        try:
            model.move_failure(a.id, "DB", 0)  # an earlier card left the column
            model.move_failure(c.id, "DB", 1)  # L on c: the next column, at the cursor's row
            assert model.undo() is not None
            api = lambda w: [f.failure for f in sorted(w.failures, key=lambda f: f.position)  # noqa: E731
                             if f.service == "API"]
            assert api(read_inspected(path)) == ["b", "c", "d"]
            assert api(model.workshop) == ["b", "c", "d"]
            assert_mirrors_file(model)
        finally:
            model.close()


def test_undo_uses_the_index_the_store_reports_not_a_position_read_from_the_file() -> None:
    """A file may hold positions with gaps (written by another tool, or an older version): the
    card at position 5 of ``a(0) b(5) c(9)`` sits second, and undo puts it back second."""
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "gaps.premortem")
        gapped = [Failure("API", name, position=p) for name, p in (("a", 0), ("b", 5), ("c", 9))]
        source = Workshop(failures=[*gapped, Failure("DB", "x")])
        with SessionService.open(path, create=True) as service:
            service.import_workshop(source, whole_session=True)
        service = SessionService.open(path)
        model = SessionModel(service.load(), path, service=service)
        try:
            b = next(f for f in model.workshop.failures if f.failure == "b")
            model.move_failure(b.id, "DB", 0)
            model.undo()
            api = [f.failure for f in sorted(read_inspected(path).failures, key=lambda f: f.position)
                   if f.service == "API"]
            assert api == ["a", "b", "c"]
            assert_mirrors_file(model)
        finally:
            model.close()


def test_the_store_reports_every_column_a_change_touched_and_where_the_card_was() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with SessionService.open(str(Path(tmp) / "report.premortem"), create=True) as service:
            a, b, c = (service.add_failure("API", name) for name in "abc")
            x = service.add_failure("DB", "x")
            card, order = service.ordered(lambda: service.move_failure(b.id, "DB", 0))
            assert card.position == 0
            assert order.columns == {("failure", "position", "API"): [a.id, c.id],
                                     ("failure", "position", "DB"): [b.id, x.id]}
            assert order.was == {("failure", "position"): ("API", 1)}
            # A judgement moves nothing: nothing to report.
            _card, order = service.ordered(lambda: service.update_failure(a.id, impact=3))
            assert order.columns == {} and order.was == {}
            # Several calls in one: the newest order of each column, the first place the card left.
            _card, order = service.ordered(lambda: (service.move_failure(c.id, "DB", 0),
                                                    service.move_failure(c.id, "DB", 2))[1])
            assert order.columns[("failure", "position", "DB")] == [b.id, x.id, c.id]
            assert order.was == {("failure", "position"): ("API", 1)}


def test_ranking_a_column_leaves_cards_of_other_columns_where_they_are() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "rank.premortem")
        service = SessionService.open(path, create=True)
        u1, u2 = (service.add_countermeasure(f"u{n}") for n in (1, 2))
        now = service.add_countermeasure("n1")
        service.decide(now.id, "now", None)
        later = service.add_countermeasure("n2")
        service.decide(later.id, "now", None)
        model = SessionModel(service.load(), path, service=service)
        try:
            model.rank_column("undecided", [later.id, u2.id])  # a stale list naming a card now decided
            assert_mirrors_file(model)
            ranks = {c.text: c.rank for c in read_inspected(path).countermeasures}
            assert ranks == {"u2": 0, "u1": 1, "n1": 0, "n2": 1}
        finally:
            model.close()
