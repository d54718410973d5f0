"""The home screen's lean reads: a file's summary, and the cards its reminders come from, agree
with a read of the whole session."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from premortem_tui.domain.carry import carry
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.reminders import collect
from premortem_tui.store.fileformat import SessionFileError
from premortem_tui.store.reader import read_file
from premortem_tui.store.service import SessionService
from premortem_tui.store.summary import read_for_reminders, read_summary

DAY = date(2026, 3, 10)
TODAY = date(2026, 6, 2)


def write_session(path, workshop) -> str:
    with SessionService.open(str(path), create=True) as service:
        service.import_workshop(workshop, whole_session=True)
    return str(path)


def with_reminders(w, when: str):
    """Every countermeasure of ``w`` decided later, half with a date, half with only a condition."""
    cms = [replace(c, decision="later", done=False, remind_on=when if n % 2 else None,
                   revisit_when="" if n % 2 else "when the budget is there") for n, c in enumerate(w.countermeasures)]
    return replace(w, countermeasures=cms)


def test_the_summary_counts_what_the_whole_read_holds(tmp_path):
    path = write_session(tmp_path / "a.premortem", demo_workshop(DAY))
    whole = read_file(path)
    s = read_summary(path)
    assert (s.title, s.date, s.current_phase) == (whole.session.title, whole.session.date,
                                                 whole.session.current_phase)
    assert (s.failures, s.countermeasures) == (len(whole.failures), len(whole.countermeasures))
    assert s.countermeasures > 0 and s.failures > 0


def test_a_refused_file_raises_the_store_error(tmp_path):
    bad = tmp_path / "bad.premortem"
    bad.write_text("not a session")
    with pytest.raises(SessionFileError):
        read_summary(str(bad))
    with pytest.raises(SessionFileError):
        read_for_reminders(str(bad))


def test_reminders_from_the_lean_read_equal_those_from_whole_sessions(tmp_path):
    first = with_reminders(demo_workshop(DAY), "2026-05-01")
    # The next meeting: carried cards (their lineage), one of them decided again, one card done.
    carried = carry(first, title="Next", today=date(2026, 4, 1))
    cms = list(carried.countermeasures)
    cms[0] = replace(cms[0], decision="now")
    cms[1] = replace(cms[1], done=True)
    # A card of the first was deleted in the next (so not carried), and a hand-off copy of the first,
    # given before it, decided that card otherwise: the first given wins.
    dropped = first.countermeasures[3].id
    carried = replace(carried, countermeasures=[c for c in cms if c.previous.id != dropped])
    copy = replace(first, countermeasures=[replace(c, decision="wont") if c.id == dropped else c
                                           for c in first.countermeasures])
    paths = [write_session(tmp_path / f"{name}.premortem", w)
             for name, w in (("copy", copy), ("first", first), ("next", carried))]
    lean = collect([(p, read_for_reminders(p)) for p in paths], TODAY)
    whole = collect([(p, read_file(p)) for p in paths], TODAY)
    assert lean == whole
    assert len(whole) > 2 and any(r.failures for r in whole)
