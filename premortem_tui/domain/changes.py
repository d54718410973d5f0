"""What changed since the session a carried session came from.

Pure: the caller passes the session, the carried cards deleted from it (read
from its tombstones) and today. Each carried card remembers the id and the
values it came with (``previous``), so a change is a difference from those.

Done: a countermeasure counts as done since last time when it is done now and
was not done in the previous session (carry remembers the flag in the session
file; the JSON export has no place for it, so after a JSON round trip an
earlier done flag is unknown and such a card is not listed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, NamedTuple

from ..i18n import _
from . import scoring, vocabulary
from .carry import previous_date
from .reminders import reminder_date
from .model import DECISIONS, Countermeasure, Failure, Workshop


class RemovedCard(NamedTuple):
    """A carried card deleted from this session: its kind, the id it came from, what it said."""

    kind: str  # failure or countermeasure
    prev_id: str
    label: str


@dataclass(frozen=True)
class RiskChange:
    failure: Failure
    was_impact: int | None
    was_likelihood: int | None


@dataclass(frozen=True)
class DecisionChange:
    countermeasure: Countermeasure
    was: str | None


@dataclass
class Changes:
    risk_changed: list[RiskChange] = field(default_factory=list)
    new_failures: list[Failure] = field(default_factory=list)
    removed_failures: list[RemovedCard] = field(default_factory=list)
    removed_countermeasures: list[RemovedCard] = field(default_factory=list)
    decision_changed: list[DecisionChange] = field(default_factory=list)
    done: list[Countermeasure] = field(default_factory=list)
    # Apart from the changes: reminders whose date came since the previous session.
    reminders_due: list[Countermeasure] = field(default_factory=list)
    since: date | None = None

    @property
    def count(self) -> int:
        """How many changes (the reminders are not changes)."""
        return (len(self.risk_changed) + len(self.new_failures) + len(self.removed_failures)
                + len(self.removed_countermeasures) + len(self.decision_changed) + len(self.done))

    @property
    def empty(self) -> bool:
        return self.count == 0


def decision_labels() -> dict[str, str]:
    return vocabulary.labels(vocabulary.DECISIONS_SHORT)


def judgement_label(impact: int | None, likelihood: int | None) -> str:
    """``3x2``; an unset half shows as ``?``; both unset: "unjudged"."""
    if impact is None and likelihood is None:
        return _(vocabulary.UNJUDGED)
    return f"{'?' if impact is None else impact}x{'?' if likelihood is None else likelihood}"


def risk_changed(f: Failure) -> bool:
    """A carried failure whose impact or likelihood differs from the one it came with."""
    p = f.previous
    return p is not None and (f.impact, f.likelihood) != (p.impact, p.likelihood)


def decision_changed(c: Countermeasure) -> bool:
    p = c.previous
    return p is not None and p.decision is not None and p.decision != c.decision


def was_label(card: Failure | Countermeasure) -> str | None:
    """What the card was last time, for the board ("was 3x2", "was: later"); None if unchanged or new."""
    if isinstance(card, Failure):
        if not risk_changed(card):
            return None
        p = card.previous
        return _("was {judgement}").format(judgement=judgement_label(p.impact, p.likelihood))
    if not decision_changed(card):
        return None
    was = card.previous.decision
    return _("was: {decision}").format(decision=decision_labels().get(was, was))


def since_last_time(w: Workshop, removed: Iterable[tuple[str, str, str]], today: date,
                    since: date | None = None) -> Changes:
    """The changes of ``w`` since the session it was carried from.

    ``removed``: (kind, previous id, label) of the carried cards deleted here.
    ``since``: the previous session's date; by default the one ``carry``
    recorded (``previous_date``). Reminders due: countermeasures decided later
    and not done whose reminder date is after ``since`` and at most ``today``
    (every one due by today when ``since`` is unknown).
    """
    since = since if since is not None else previous_date(w)
    changes = Changes(since=since)
    for f in scoring.ranked_failures(w.failures):
        if f.previous is None:
            changes.new_failures.append(f)
        elif risk_changed(f):
            changes.risk_changed.append(RiskChange(f, f.previous.impact, f.previous.likelihood))
    for kind, prev_id, label in removed:
        if not prev_id:
            continue
        card = RemovedCard(kind, prev_id, label or "")
        if kind == "failure":
            changes.removed_failures.append(card)
        elif kind == "countermeasure":
            changes.removed_countermeasures.append(card)
    order = {d: n for n, d in enumerate(DECISIONS)}
    for c in sorted(w.countermeasures, key=lambda c: (order.get(c.decision, len(order)), c.rank)):
        if decision_changed(c):
            changes.decision_changed.append(DecisionChange(c, c.previous.decision))
        if c.done and (c.previous is None or c.previous.done is False):
            changes.done.append(c)
        when = reminder_date(c)
        if (c.decision == "later" and not c.done and when is not None and when <= today
                and (since is None or when > since)):
            changes.reminders_due.append(c)
    changes.reminders_due.sort(key=lambda c: reminder_date(c) or date.min)
    return changes
