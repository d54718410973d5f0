"""Carry a session into the next meeting (PRODUCT.md, command line: carry).

Pure: the caller reads the old session and writes the new one. The new session
gets a new id, today's date, the participants, every failure and
countermeasure under a new id (each remembering the card it came from and that
card's values), the decisions, reminders and done flags; timers start afresh
and the retrospective notes stay behind.

What the next meeting needs from the old session, beyond the cards, is kept as
data on the new session, and the introduction shows it: ``previous_title`` and
``previous_date`` name the old session, ``previous_context`` is its context as
the team wrote it, and ``previous_tries`` its retrospective's "try" notes (kept
apart from the retro notes, so that the new retrospective starts empty and still
shows what the team meant to try).

Files and exports written before these fields existed held all of it in the
``previous_context`` text; ``split_previous_context`` reads that text back once.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..i18n import _
from .model import (
    Countermeasure, Failure, Participant, Previous, Session, Workshop, default_phases, new_id,
)



def previous_tries(source: Workshop) -> list[str]:
    """The text of ``source``'s "try" retrospective notes, in board order."""
    notes = sorted((n for n in source.retro if n.kind == "try"), key=lambda n: n.position)
    return [n.text.strip() for n in notes if n.text.strip()]


# How the text of older files and exports began and listed the tries (always English: no
# catalogue was ever loaded when they were written).
_OLD_FIRST_LINE = re.compile(r"Previous session: (?P<title>.*?)(?:, (?P<date>\d{4}-\d{2}-\d{2}))?\s*$")
_OLD_TRIES_HEAD = "Try (from last time):"


def split_previous_context(text: str) -> tuple[str, str, list[str], str]:
    """(title, date, tries, context) from the ``previous_context`` text ``carry`` used to write:
    a first line "Previous session: T, D", the old context, and "Try (from last time):" with one
    "- note" per item (a note's later lines indented). Text of any other shape is all context."""
    paragraphs = text.strip().split("\n\n") if text.strip() else []
    title = day = ""
    if paragraphs and "\n" not in paragraphs[0] and (first := _OLD_FIRST_LINE.fullmatch(paragraphs[0].strip())):
        title, day = first.group("title"), first.group("date") or ""
        paragraphs = paragraphs[1:]
    tries: list[str] = []
    if paragraphs and paragraphs[-1].startswith(_OLD_TRIES_HEAD + "\n- "):
        body = paragraphs.pop()[len(_OLD_TRIES_HEAD) + 1:]
        tries = [" ".join(line.strip() for line in item.splitlines()).strip()
                 for item in ("\n" + body).split("\n- ") if item.strip()]
    return title, day, tries, "\n\n".join(paragraphs)


def previous_session_label(s: Session) -> str:
    """"<title>, <date>" of the session ``s`` was carried from (the date left out when unknown)."""
    return f"{s.previous_title}, {s.previous_date}" if s.previous_date else s.previous_title


def previous_date(w: Workshop) -> date | None:
    """The date of the session ``w`` was carried from, as recorded by ``carry``; None if unknown."""
    if not w.session.previous_session_id or not w.session.previous_date:
        return None
    try:
        return date.fromisoformat(w.session.previous_date)
    except ValueError:
        return None


def carry(source: Workshop, *, title: str | None = None, today: date) -> Workshop:
    """The next meeting's session, started from ``source`` (which is left untouched).

    - session: new id, ``title`` or "<old title> (next)", ``today``; purpose,
      ground rules and the rehearsal flag kept; context empty (the team
      rewrites it), the old one in ``previous_context``, the old title, date and
      "try" notes in ``previous_title``, ``previous_date`` and ``previous_tries``,
      ``previous_session_id`` the old id; the introduction is current;
    - participants: kept, with their ids;
    - failures and countermeasures: new ids, ``previous`` holds the old id and
      the old impact, likelihood (failures) or decision (countermeasures);
      everything else is kept, with variant links and answered failures
      pointing at the new ids;
    - phases: the default agenda, no time spent, no timer running;
    - retrospective: empty (the "try" notes are in ``previous_tries``).
    """
    old = source.session
    session = Session(
        id=new_id(),
        title=title.strip() if title and title.strip() else _("{title} (next)").format(title=old.title),
        date=today.isoformat(), context="", purpose=old.purpose, ground_rules=old.ground_rules,
        rehearsal=old.rehearsal, current_phase="intro", previous_session_id=old.id,
        previous_context=old.context.strip(), previous_title=old.title, previous_date=old.date,
        previous_tries=previous_tries(source))
    participants = [Participant(p.name, p.role, p.id) for p in source.participants]

    new_ids = {f.id: new_id() for f in source.failures}
    failures: list[Failure] = []
    for f in source.failures:
        failures.append(replace(
            f, id=new_ids[f.id], variant_of=new_ids.get(f.variant_of) if f.variant_of else None,
            previous=Previous(f.id, f.impact, f.likelihood, None)))
    countermeasures: list[Countermeasure] = []
    for c in source.countermeasures:
        countermeasures.append(replace(
            c, id=new_id(), failure_ids=[new_ids[i] for i in c.failure_ids if i in new_ids],
            previous=Previous(c.id, None, None, c.decision, c.done)))
    return Workshop(session=session, participants=participants, phases=default_phases(),
                    failures=failures, countermeasures=countermeasures, retro=[])
