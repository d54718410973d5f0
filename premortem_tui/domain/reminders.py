"""Reminders: countermeasures decided *later*, with a condition or a date to revisit them.

METHOD.md step 5: a countermeasure that cannot be chosen now gets the condition
under which it could be, and a reminder. This module gathers them across
sessions; it is pure (no files, no clock): callers pass the workshops and today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Countermeasure, Workshop


@dataclass(frozen=True)
class Reminder:
    """One countermeasure to revisit, with what is needed to show it outside its session."""

    session_id: str
    session_title: str
    session_path: str
    countermeasure_id: str
    text: str
    condition: str              # when it becomes possible ("" if only a date was set)
    remind_on: date | None      # the reminder date, if any
    owner: str
    failures: tuple[str, ...]   # the answered failures, as "service: failure"
    decision: str               # always "later" for collected reminders
    as_of: date                 # the day ``due`` and ``overdue`` are judged against
    session_date: str = ""
    decision_note: str = ""

    @property
    def due(self) -> bool:
        """The reminder date has come (today or earlier)."""
        return self.remind_on is not None and self.remind_on <= self.as_of

    @property
    def overdue(self) -> bool:
        """The reminder date has passed (before today)."""
        return self.remind_on is not None and self.remind_on < self.as_of


def reminder_date(cm: Countermeasure) -> date | None:
    """The countermeasure's reminder date, or None when unset or not a real date."""
    if not cm.remind_on:
        return None
    try:
        return date.fromisoformat(cm.remind_on.strip())
    except ValueError:
        return None


def is_reminder(cm: Countermeasure) -> bool:
    """Decided later, not done, and given a condition or a reminder date."""
    return (cm.decision == "later" and not cm.done
            and (bool(cm.revisit_when.strip()) or reminder_date(cm) is not None))


def needs_reminder(cm: Countermeasure) -> bool:
    """Decided later (and not done) but given neither a condition nor a reminder date."""
    return (cm.decision == "later" and not cm.done
            and not cm.revisit_when.strip() and reminder_date(cm) is None)


def _failure_labels(w: Workshop, cm: Countermeasure) -> tuple[str, ...]:
    by_id = w.failure_by_id()
    return tuple(f"{by_id[i].service}: {by_id[i].failure}" for i in cm.failure_ids if i in by_id)


def to_reminder(path: str, w: Workshop, cm: Countermeasure, today: date) -> Reminder:
    return Reminder(
        session_id=w.session.id, session_title=w.session.title, session_path=path,
        countermeasure_id=cm.id, text=cm.text, condition=cm.revisit_when.strip(),
        remind_on=reminder_date(cm), owner=cm.owner, failures=_failure_labels(w, cm),
        decision=cm.decision, as_of=today, session_date=w.session.date, decision_note=cm.decision_note)


def _latest_cards(sessions: list[tuple[str, Workshop]]) -> list[tuple[int, Countermeasure]]:
    """Each countermeasure's newest incarnation, as (index of its session, card).

    A card carried into another of the given sessions (a card there has it as
    ``previous.id``) is left out; so is a second copy of the same card (same
    id, e.g. a hand-off copy), the first one given being kept. When one card
    was carried into two sessions, only the card of the newer session (by
    session date, then the longer chain, then the one given first) is kept.
    """
    cards: dict[str, tuple[int, Countermeasure]] = {}
    for index, (_path, w) in enumerate(sessions):
        for cm in w.countermeasures:
            cards.setdefault(cm.id, (index, cm))
    carried = {cm.previous.id for _i, cm in cards.values() if cm.previous is not None}

    def lineage(cm: Countermeasure) -> tuple[str, int]:
        """The id at the start of the card's chain (as far as the sessions tell) and its length."""
        seen = {cm.id}
        root, depth = cm.id, 0
        while cm.previous is not None and cm.previous.id not in seen:
            root, depth = cm.previous.id, depth + 1
            seen.add(root)
            if root not in cards:
                break
            cm = cards[root][1]
        return root, depth

    newest: dict[str, tuple[tuple[str, int, int], int, Countermeasure]] = {}
    for card_id, (index, cm) in cards.items():
        if card_id in carried:
            continue
        root, depth = lineage(cm)
        # Larger key wins: later session date, longer chain, earlier position in the list.
        key = (sessions[index][1].session.date or "", depth, -index)
        if root not in newest or key > newest[root][0]:
            newest[root] = (key, index, cm)
    return [(index, cm) for _key, index, cm in newest.values()]


def collect(sessions: list[tuple[str, Workshop]], today: date) -> list[Reminder]:
    """The reminders of ``sessions`` (pairs of file path and workshop), each countermeasure once.

    A countermeasure carried into a newer session is listed from the newest one
    only. Order: due ones first (oldest date first, so overdue before today's),
    then those with a later date (soonest first), then those with only a
    condition; ties keep the order of ``sessions`` and of each board.
    """
    found: list[tuple[tuple[int, date, int, int], Reminder]] = []
    positions = {id(cm): n for _p, w in sessions for n, cm in enumerate(w.countermeasures)}
    for index, cm in _latest_cards(sessions):
        if not is_reminder(cm):
            continue
        path, w = sessions[index]
        reminder = to_reminder(path, w, cm, today)
        if reminder.remind_on is None:
            rank, when = 2, date.max
        else:
            rank, when = (0 if reminder.due else 1), reminder.remind_on
        found.append(((rank, when, index, positions[id(cm)]), reminder))
    found.sort(key=lambda pair: pair[0])
    return [reminder for _key, reminder in found]


def due_reminders(reminders: list[Reminder]) -> list[Reminder]:
    return [r for r in reminders if r.due]
