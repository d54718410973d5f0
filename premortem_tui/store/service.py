"""The session service: the one object the UI and the command line change a session through.

Every method that changes something writes in one small transaction, begun under the
file's write lock (``Sharing.begin_write``, opening.py) so that two processes on one file
never lose each other's updates, and committed before it returns. A few (``toggle_timer``, ``step_phase``,
``create_variant``) first read what they act on in a transaction of its own: a change
another process makes in between is then simply the later one. Reads return domain objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from sqlalchemy import delete, update
from sqlmodel import select

from ..domain.timer import Clock
from . import reader
from .importing import ImportMixin
from .mutations import MutationMixin
from .rows import FAILURES, NOTES, RANKS, STAGES, countermeasure_row, failure_row
from .schema import AnswerRow, CountermeasureRow, FailureRow, ParticipantRow, RetroRow, TombstoneRow


@dataclass
class Deleted:
    """What a delete removed, so that undo can put it back with its id and links."""

    kind: str  # failure, countermeasure, retro, participant
    card: Any
    index: int  # in its column (a countermeasure's stage)
    answers: list[tuple[str, str, int]] = field(default_factory=list)  # (cm id, failure id, position)
    variants: list[str] = field(default_factory=list)  # failures that were variants of it
    rank_index: int | None = None  # a countermeasure's index in its decision column


class SessionService(MutationMixin, ImportMixin):
    """One open session file: opened, read and written through ``SessionFile`` (opening.py),
    changed by ``MutationMixin`` (mutations.py), imported into and copied by ``ImportMixin``
    (importing.py); delete and undo are here."""

    # -- delete and undo -----------------------------------------------------

    _TABLES = {"failure": FailureRow, "countermeasure": CountermeasureRow, "retro": RetroRow,
               "participant": ParticipantRow}

    def delete(self, kind: str, card_id: str) -> Deleted:
        """Delete a card (or participant) and remember everything undo needs."""
        table = self._TABLES[kind]
        with self._write() as s:
            row = self._get(s, table, card_id)
            data = row.model_dump()
            answers: list[tuple[str, str, int]] = []
            variants: list[str] = []
            rank_index = None
            if kind == "failure":
                card: Any = reader.failure_from(data)
                index = FAILURES.remove(s, row.service, card_id)
                answers = [(a.countermeasure_id, a.failure_id, a.position) for a in
                           s.exec(select(AnswerRow).where(AnswerRow.failure_id == card_id))]
                s.exec(delete(AnswerRow).where(AnswerRow.failure_id == card_id))
                variants = list(s.exec(select(FailureRow.id).where(FailureRow.variant_of == card_id)))
                s.exec(update(FailureRow).where(FailureRow.variant_of == card_id).values(variant_of=None))
            elif kind == "countermeasure":
                card = reader.countermeasure_from(data, self._answers(s, card_id))
                index = STAGES.remove(s, row.stage, card_id)
                rank_index = RANKS.remove(s, row.decision, card_id)
                answers = [(card_id, fid, n) for n, fid in enumerate(card.failure_ids)]
                s.exec(delete(AnswerRow).where(AnswerRow.countermeasure_id == card_id))
            elif kind == "retro":
                card = reader.retro_from(data)
                index = NOTES.remove(s, row.kind, card_id)
            else:
                card = reader.participant_from(data)
                index = data["position"]
            s.delete(row)
            s.flush()
            if kind != "participant":
                previous = getattr(card, "previous", None)
                label = f"{card.service}: {card.failure}" if kind == "failure" else card.text
                s.merge(TombstoneRow(id=card_id, kind=kind, prev_id=previous.id if previous else None,
                                     label=label))
            return Deleted(kind, card, index, answers, variants, rank_index)

    def restore(self, deleted: Deleted) -> dict[str, list[str]]:
        """Undo a delete: the card comes back with its id, its place and its links.

        Returns the failures each countermeasure whose links came back now answers, in order.
        """
        card = deleted.card
        with self._write() as s:
            if deleted.kind == "failure":
                s.add(failure_row(card))
                s.flush()
                FAILURES.place(s, card.service, card.id, deleted.index)
                if deleted.variants:
                    s.exec(update(FailureRow).where(FailureRow.id.in_(deleted.variants))
                           .values(variant_of=card.id))
            elif deleted.kind == "countermeasure":
                s.add(countermeasure_row(card))
                s.flush()
                STAGES.place(s, card.stage, card.id, deleted.index)
                RANKS.place(s, card.decision, card.id,
                            card.rank if deleted.rank_index is None else deleted.rank_index)
            elif deleted.kind == "retro":
                s.add(RetroRow(**asdict(card)))
                s.flush()
                NOTES.place(s, card.kind, card.id, deleted.index)
            else:
                s.add(ParticipantRow(id=card.id, name=card.name, role=card.role, position=deleted.index))
            linked = {x for answer in deleted.answers for x in answer[:2]}
            present = set(s.exec(select(FailureRow.id).where(FailureRow.id.in_(linked))).all()) | \
                set(s.exec(select(CountermeasureRow.id).where(CountermeasureRow.id.in_(linked))).all())
            relinked = set()
            for cm_id, fid, position in deleted.answers:
                if cm_id in present and fid in present:
                    s.merge(AnswerRow(countermeasure_id=cm_id, failure_id=fid, position=position))
                    relinked.add(cm_id)
            tomb = s.get(TombstoneRow, card.id)
            if tomb is not None:
                s.delete(tomb)
            s.flush()
            return {cm_id: self._answers(s, cm_id) for cm_id in relinked}


def create_session_file(path: str, build: Callable[[SessionService], Any] | None = None, *,
                        title: str | None = None, clock: Clock | None = None) -> bool:
    """Write a new session at ``path`` whole or not at all; False when a session is there already
    (how: ``SessionFile._create_file``)."""
    return SessionService._create_file(path, build, title=title, clock=clock)


def parse_participants(lines: str) -> list[tuple[str, str]]:
    """(name, role) of each line ``name: role`` (no role: engineer); blank names are skipped."""
    people = []
    for line in lines.splitlines():
        name, _sep, role = line.partition(":")
        if name.strip():
            people.append((name.strip(), role.strip().lower() or "engineer"))
    return people


def create_new_session(path: str, *, title: str, context: str = "", participants: str = "",
                       clock: Clock | None = None) -> bool:
    """The new-session form's file: its title, context and participants (one ``name: role`` a line)
    written at ``path`` all in or not at all (a refused role leaves no file); False when a session
    is there already."""
    people = parse_participants(participants)

    def build(service: SessionService) -> None:
        service.update_session(context=context)
        for name, role in people:
            service.add_participant(name, role)
    return create_session_file(path, build, title=title, clock=clock)
