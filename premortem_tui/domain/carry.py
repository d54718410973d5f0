"""Carry a session into the next meeting (PRODUCT.md, command line: carry).

Pure: the caller reads the old session and writes the new one. The new session
gets a new id, today's date, the participants, every failure and
countermeasure under a new id (each remembering the card it came from and that
card's values), the decisions, reminders and done flags; timers start afresh
and the retrospective notes stay behind.

What the next meeting needs from the old session, beyond the cards, goes into
the new session's ``previous_context``, which the introduction shows:

- its first line names the previous session: ``Previous session: <title>, <date>``
  (``previous_date`` reads the date back from the end of that line, so the
  label may be translated);
- then the old context, as the team wrote it;
- then the old "try" notes of the retrospective, under the line
  ``Try (from last time):``, one ``- note`` per line. They are kept as text
  rather than as retro notes so that the new retrospective starts empty and
  still shows what the team meant to try.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..i18n import _
from .model import (
    Countermeasure, Failure, Participant, Previous, Session, Workshop, default_phases, new_id,
)

_DATE_AT_END = re.compile(r"(\d{4}-\d{2}-\d{2})\s*$")


def previous_tries(source: Workshop) -> list[str]:
    """The text of ``source``'s "try" retrospective notes, in board order."""
    notes = sorted((n for n in source.retro if n.kind == "try"), key=lambda n: n.position)
    return [n.text.strip() for n in notes if n.text.strip()]


def _previous_context(source: Workshop) -> str:
    s = source.session
    if s.date:
        first = _("Previous session: {title}, {date}").format(title=s.title, date=s.date)
    else:
        first = _("Previous session: {title}").format(title=s.title)
    parts = [first]
    if s.context.strip():
        parts.append(s.context.strip())
    tries = previous_tries(source)
    if tries:
        lines = [_("Try (from last time):")]
        # A note of several lines stays one item: its later lines are indented under it.
        lines += ["- " + "\n  ".join(line.strip() for line in t.splitlines() if line.strip()) for t in tries]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def previous_date(w: Workshop) -> date | None:
    """The date of the session ``w`` was carried from, as recorded by ``carry``; None if unknown."""
    if not w.session.previous_session_id or not w.session.previous_context:
        return None
    first = w.session.previous_context.splitlines()[0]
    match = _DATE_AT_END.search(first)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def carry(source: Workshop, *, title: str | None = None, today: date) -> Workshop:
    """The next meeting's session, started from ``source`` (which is left untouched).

    - session: new id, ``title`` or "<old title> (next)", ``today``; purpose,
      ground rules and the rehearsal flag kept; context empty (the team
      rewrites it), the old one in ``previous_context`` (see the module doc),
      ``previous_session_id`` the old id; the introduction is current;
    - participants: kept, with their ids;
    - failures and countermeasures: new ids, ``previous`` holds the old id and
      the old impact, likelihood (failures) or decision (countermeasures);
      everything else is kept, with variant links and answered failures
      pointing at the new ids;
    - phases: the default agenda, no time spent, no timer running;
    - retrospective: empty (the "try" notes are in ``previous_context``).
    """
    old = source.session
    session = Session(
        id=new_id(),
        title=title.strip() if title and title.strip() else _("{title} (next)").format(title=old.title),
        date=today.isoformat(), context="", purpose=old.purpose, ground_rules=old.ground_rules,
        rehearsal=old.rehearsal, current_phase="intro", previous_session_id=old.id,
        previous_context=_previous_context(source))
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
