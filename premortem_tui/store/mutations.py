"""The changes of a session: its fields and participants, the agenda and its timers, and
the cards (failures, countermeasures, retro notes) with their places in the columns."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session as OrmSession
from sqlmodel import select

from ..i18n import _
from ..domain import timer, validate, vocabulary
from ..domain.model import Countermeasure, Failure, Participant, Phase, RetroNote, Session, service_key
from . import reader
from .opening import SessionFile
from .rows import FAILURES, NOTES, RANKS, STAGES, countermeasure_row, failure_row
from .schema import AnswerRow, CountermeasureRow, FailureRow, ParticipantRow, PhaseRow, RetroRow, SessionRow


class MutationMixin(SessionFile):
    """Every change but delete and undo (``SessionService``) and import (``ImportMixin``)."""

    # -- the session and its participants ----------------------------------

    def update_session(self, **fields: Any) -> Session:
        values = validate.clean(fields, validate.SESSION_FIELDS)
        with self._write() as s:
            row = s.exec(select(SessionRow)).one()
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
            return reader.session_from(row.model_dump())

    def add_participant(self, name: str, role: str = "engineer") -> Participant:
        person = Participant(**validate.clean({"name": name, "role": role}, validate.PARTICIPANT_FIELDS))
        with self._write() as s:
            count = len(s.exec(select(ParticipantRow.id)).all())
            s.add(ParticipantRow(id=person.id, name=person.name, role=person.role, position=count))
        return person

    def update_participant(self, participant_id: str, **fields: Any) -> Participant:
        values = validate.clean(fields, validate.PARTICIPANT_FIELDS)
        with self._write() as s:
            row = self._get(s, ParticipantRow, participant_id)
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
            return reader.participant_from(row.model_dump())

    # -- the agenda and its timers -----------------------------------------

    def _save_phase(self, s: OrmSession, row: PhaseRow, phase: Phase) -> Phase:
        row.spent_seconds = phase.spent_seconds
        row.running_since = phase.running_since.isoformat() if phase.running_since else None
        row.planned_minutes = phase.planned_minutes
        s.add(row)
        return phase

    def _pause_running(self, s: OrmSession, now: Any, *, but: str | None = None) -> bool:
        """Pause every running timer (but ``but``'s); whether one was running."""
        paused = False
        for row in s.exec(select(PhaseRow).where(PhaseRow.running_since.is_not(None))):
            if row.key != but:
                paused = True
                self._save_phase(s, row, timer.pause(reader.phase_from(row.model_dump()), now))
        return paused

    def start_timer(self, key: str) -> Phase:
        """Start a phase's timer; any other running timer pauses (one clock for the room)."""
        now = self.clock.now()
        with self._write() as s:
            self._pause_running(s, now, but=key)
            row = self._phase(s, key)
            return self._save_phase(s, row, timer.start(reader.phase_from(row.model_dump()), now))

    def pause_timer(self, key: str) -> Phase:
        now = self.clock.now()
        with self._write() as s:
            row = self._phase(s, key)
            return self._save_phase(s, row, timer.pause(reader.phase_from(row.model_dump()), now))

    def toggle_timer(self) -> Phase:
        """Start or pause the current phase's timer."""
        with self._lock:
            workshop_phase = self.current_phase()
            if workshop_phase.running:
                return self.pause_timer(workshop_phase.key)
            return self.start_timer(workshop_phase.key)

    def plan_agenda(self, planned: dict[str, int]) -> list[Phase]:
        """Set the planned minutes of the phases named, in one transaction."""
        checked = {validate.phase_key(key): validate.minutes(vocabulary.label(vocabulary.PHASES, key), value)
                   for key, value in planned.items()}
        with self._write() as s:
            for key, value in checked.items():
                row = self._phase(s, key)
                row.planned_minutes = value
                s.add(row)
        return self.load_phases()

    def reset_timer(self, key: str) -> Phase:
        """A phase's clock back to zero, stopped (its planned minutes stay)."""
        with self._write() as s:
            row = self._phase(s, validate.phase_key(key))
            return self._save_phase(s, row, replace(reader.phase_from(row.model_dump()), spent_seconds=0.0,
                                                    running_since=None))

    def restore_phase(self, phase: Phase) -> Phase:
        """Put a phase's timer back as it was (undo of a reset)."""
        with self._write() as s:
            return self._save_phase(s, self._phase(s, phase.key), phase)

    def pause_timers(self) -> None:
        """Pause whichever timer runs (leaving the room)."""
        with self._write() as s:
            self._pause_running(s, self.clock.now())

    def end_workshop(self) -> Session:
        """Stop the running timer and record the end, in one transaction: the agenda then holds
        the time really spent."""
        now = self.clock.now()
        with self._write() as s:
            self._pause_running(s, now)
            session = s.exec(select(SessionRow)).one()
            session.ended_at = now.isoformat()
            s.add(session)
            return reader.session_from(session.model_dump())

    def adjust_minutes(self, key: str, minutes: int) -> Phase:
        with self._write() as s:
            row = self._phase(s, key)
            return self._save_phase(s, row, timer.adjust_planned(reader.phase_from(row.model_dump()), minutes))

    def go_to_phase(self, key: str) -> Session:
        """Make ``key`` the current phase; a running timer stops and the new phase's starts."""
        key = validate.phase_key(key)
        now = self.clock.now()
        with self._write() as s:
            session = s.exec(select(SessionRow)).one()
            if self._pause_running(s, now):  # the room's clock goes on, in the new phase (or the same one)
                row = self._phase(s, key)
                self._save_phase(s, row, timer.start(reader.phase_from(row.model_dump()), now))
            session.current_phase = key
            s.add(session)
            return reader.session_from(session.model_dump())

    def step_phase(self, step: int) -> Session | None:
        """Move ``step`` phases on (back when negative); None past either end."""
        with self._lock:
            current = self.current_phase().key
            target = timer.neighbour(current, step)
            return self.go_to_phase(target) if target else None

    # -- failures ------------------------------------------------------------

    def _canonical_service(self, s: OrmSession, name: str) -> str:
        """A service typed with other case or spacing joins the existing one."""
        key = service_key(name)
        for existing in s.exec(select(FailureRow.service).distinct()).all():
            if service_key(existing) == key:
                return existing
        return name

    def add_failure(self, service: str, failure: str, period: str = "", timing: str = "",
                    author: str = "", *, index: int | None = None, **extra: Any) -> Failure:
        values = validate.clean({"service": service, "failure": failure, "period": period, "timing": timing,
                                 "author": author, **extra}, validate.FAILURE_FIELDS)
        with self._write() as s:
            values["service"] = self._canonical_service(s, values["service"])
            card = Failure(**values)
            s.add(failure_row(card))
            s.flush()
            card.position = FAILURES.place(s, card.service, card.id, index)
            return card

    def update_failure(self, failure_id: str, **fields: Any) -> Failure:
        values = validate.clean(fields, validate.FAILURE_FIELDS)
        with self._write() as s:
            row = self._get(s, FailureRow, failure_id)
            if "service" in values:
                values["service"] = self._canonical_service(s, values["service"])
                if service_key(values["service"]) != service_key(row.service):
                    FAILURES.move(s, row, values["service"], None)
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
            return reader.failure_from(row.model_dump())

    def move_failure(self, failure_id: str, service: str, index: int | None) -> Failure:
        """Put a failure into ``service``'s column at ``index`` (the end when None)."""
        name = validate.FAILURE_FIELDS["service"](service)
        with self._write() as s:
            row = self._get(s, FailureRow, failure_id)
            FAILURES.move(s, row, self._canonical_service(s, name), index)
            return reader.failure_from(row.model_dump())

    def create_variant(self, failure_id: str, failure: str | None = None, timing: str | None = None,
                       period: str | None = None, author: str = "") -> Failure:
        """A new failure of the same service linked to ``failure_id`` (similar but different)."""
        with self._lock:
            original = self.get_failure(failure_id)
            return self.add_failure(
                original.service, failure if failure is not None else original.failure,
                period if period is not None else original.period,
                timing if timing is not None else original.timing,
                author, index=original.position + 1, variant_of=original.id)

    # -- countermeasures -----------------------------------------------------

    def add_countermeasure(self, text: str, failure_ids: list[str] | tuple[str, ...] = (),
                           stage: str = "prevent", author: str = "", *, index: int | None = None,
                           **extra: Any) -> Countermeasure:
        values = validate.clean({"text": text, "stage": stage, "author": author, **extra},
                                validate.COUNTERMEASURE_FIELDS)
        card = Countermeasure(**values)
        with self._write() as s:
            s.add(countermeasure_row(card))
            s.flush()
            card.failure_ids = self._set_answers(s, card.id, list(failure_ids))
            card.stage_position = STAGES.place(s, card.stage, card.id, index)
            card.rank = RANKS.place(s, card.decision, card.id, None)
            return card

    def update_countermeasure(self, cm_id: str, *, failure_ids: list[str] | None = None,
                              **fields: Any) -> Countermeasure:
        values = validate.clean(fields, validate.COUNTERMEASURE_FIELDS)
        with self._write() as s:
            row = self._get(s, CountermeasureRow, cm_id)
            for column in (STAGES, RANKS):
                if column.group in values and values[column.group] != getattr(row, column.group):
                    column.move(s, row, values[column.group], None)
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
            ids = self._set_answers(s, cm_id, failure_ids) if failure_ids is not None else self._answers(s, cm_id)
            return reader.countermeasure_from(row.model_dump(), ids)

    def move_countermeasure(self, cm_id: str, stage: str, index: int | None) -> Countermeasure:
        stage = validate.stage(stage)
        with self._write() as s:
            row = self._get(s, CountermeasureRow, cm_id)
            STAGES.move(s, row, stage, index)
            return reader.countermeasure_from(row.model_dump(), self._answers(s, cm_id))

    def decide(self, cm_id: str, decision: str, index: int | None) -> Countermeasure:
        """Put a countermeasure into a decision column at ``index`` (its rank there)."""
        decision = validate.decision(decision)
        with self._write() as s:
            row = self._get(s, CountermeasureRow, cm_id)
            RANKS.move(s, row, decision, index)
            return reader.countermeasure_from(row.model_dump(), self._answers(s, cm_id))

    def rank(self, decision: str, cm_ids: list[str]) -> None:
        """Store ``cm_ids`` as the order of a decision column (the rest keep their order after them)."""
        decision = validate.decision(decision)
        with self._write() as s:
            RANKS.arrange(s, decision, cm_ids)

    def _answers(self, s: OrmSession, cm_id: str) -> list[str]:
        return list(s.exec(select(AnswerRow.failure_id).where(AnswerRow.countermeasure_id == cm_id)
                           .order_by(AnswerRow.position)).all())

    def _set_answers(self, s: OrmSession, cm_id: str, failure_ids: list[str]) -> list[str]:
        existing = set(s.exec(select(FailureRow.id).where(FailureRow.id.in_(failure_ids))).all())
        missing = [fid for fid in failure_ids if fid not in existing]
        if missing:
            raise validate.ValidationError(_("no failure with id {missing!r}").format(missing=missing[0]))
        ids = list(dict.fromkeys(failure_ids))
        s.exec(delete(AnswerRow).where(AnswerRow.countermeasure_id == cm_id))
        for position, fid in enumerate(ids):
            s.add(AnswerRow(countermeasure_id=cm_id, failure_id=fid, position=position))
        return ids

    # -- retrospective -------------------------------------------------------

    def add_retro(self, kind: str, text: str, author: str = "", *, index: int | None = None) -> RetroNote:
        note = RetroNote(**validate.clean({"kind": kind, "text": text, "author": author}, validate.RETRO_FIELDS))
        with self._write() as s:
            s.add(RetroRow(**asdict(note)))
            s.flush()
            note.position = NOTES.place(s, note.kind, note.id, index)
            return note

    def update_retro(self, note_id: str, **fields: Any) -> RetroNote:
        values = validate.clean(fields, validate.RETRO_FIELDS)
        with self._write() as s:
            row = self._get(s, RetroRow, note_id)
            if "kind" in values and values["kind"] != row.kind:
                NOTES.move(s, row, values["kind"], None)
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
            return reader.retro_from(row.model_dump())

    def move_retro(self, note_id: str, kind: str, index: int | None) -> RetroNote:
        kind = validate.retro_kind(kind)
        with self._write() as s:
            row = self._get(s, RetroRow, note_id)
            NOTES.move(s, row, kind, index)
            return reader.retro_from(row.model_dump())
