"""The session service: the one object the UI and the command line change a session through.

Every method that changes something writes in one small transaction, begun with
``BEGIN IMMEDIATE`` so that two processes on one file never lose each other's
updates, and committed before it returns. A few (``toggle_timer``, ``step_phase``,
``create_variant``) first read what they act on in a transaction of its own: a change
another process makes in between is then simply the later one. Reads return domain objects.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable, Iterator, TypeVar

from sqlalchemy import create_engine, delete, update
from sqlalchemy.pool import StaticPool
from sqlmodel import Session as OrmSession
from sqlmodel import SQLModel, select

from ..domain import timer, validate
from ..domain.merge import MergePlan, plan_merge
from ..domain.plaintext import visible
from ..domain.model import (
    Countermeasure, Failure, Participant, Phase, RetroNote, Session, Workshop,
    default_phases, service_key,
)
from ..domain.timer import Clock, SystemClock
from . import atomic, migrations, reader
from .atomic import crash_point
from .check import FileState, inspect, readonly_uri
from .fileformat import APP_MARKER, APPLICATION_ID, SCHEMA_VERSION, SessionFileError
from .ordering import Column, ColumnOrder
from .schema import (
    AnswerRow, CountermeasureRow, FailureRow, MetaRow, ParticipantRow, PhaseRow, RetroRow,
    SessionRow, TombstoneRow,
)

BUSY_TIMEOUT_MS = 10_000

T = TypeVar("T")

# The board's columns: a failure's service, a countermeasure's stage and its decision (rank),
# a retro note's kind.
FAILURES = Column(FailureRow, "service", "position")
STAGES = Column(CountermeasureRow, "stage", "stage_position")
RANKS = Column(CountermeasureRow, "decision", "rank")
NOTES = Column(RetroRow, "kind", "position")

def _prev_columns(card: Failure | Countermeasure) -> dict[str, Any]:
    p = card.previous
    return {"prev_id": p.id if p else None, "prev_impact": p.impact if p else None,
            "prev_likelihood": p.likelihood if p else None, "prev_decision": p.decision if p else None}


def _failure_row(f: Failure) -> FailureRow:
    values = {k: v for k, v in asdict(f).items() if k != "previous"}
    return FailureRow(**values, **_prev_columns(f))


def _countermeasure_row(c: Countermeasure) -> CountermeasureRow:
    values = {k: v for k, v in asdict(c).items() if k not in ("previous", "failure_ids")}
    return CountermeasureRow(**values, **_prev_columns(c), prev_done=c.previous.done if c.previous else None)


def _phase_row(p: Phase, position: int) -> PhaseRow:
    since = p.running_since.isoformat() if p.running_since else None
    return PhaseRow(key=p.key, position=position, planned_minutes=p.planned_minutes,
                    spent_seconds=p.spent_seconds, running_since=since)


@dataclass
class Deleted:
    """What a delete removed, so that undo can put it back with its id and links."""

    kind: str  # failure, countermeasure, retro, participant
    card: Any
    index: int  # in its column (a countermeasure's stage)
    answers: list[tuple[str, str, int]] = field(default_factory=list)  # (cm id, failure id, position)
    variants: list[str] = field(default_factory=list)  # failures that were variants of it
    rank_index: int | None = None  # a countermeasure's index in its decision column


def _connect(path: str, *, wal: bool) -> sqlite3.Connection:
    """A read-write connection in autocommit mode; ``wal`` False for a file no one else opens yet."""
    try:
        raw = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                              isolation_level=None)
        raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # A file being built beside its target keeps everything in itself at each commit (no -wal
        # to lose at the rename), synced to disk before the rename.
        raw.execute("PRAGMA journal_mode = WAL" if wal else "PRAGMA journal_mode = DELETE")
        raw.execute("PRAGMA synchronous = NORMAL" if wal else "PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise SessionFileError(f"{path}: cannot be opened for writing ({exc})") from None
    return raw


def create_session_file(path: str, build: Callable[["SessionService"], Any] | None = None, *,
                        title: str | None = None, clock: Clock | None = None) -> bool:
    """Write a new session at ``path`` whole or not at all; False when a session is there already.

    The session (and what ``build(service)`` adds to it) is written in a temp file beside ``path``
    and put in place complete, by a rename that never replaces a session: a crash leaves no file
    at ``path`` (at most a temp file, which the next open of ``path`` removes), and of two processes
    creating ``path`` at once the second finds the first's session there and writes nothing.
    """
    path = os.fspath(path)
    state = inspect(path, creating=True)
    if state.exists:
        return False
    if not state.writable:
        raise SessionFileError(f"{path}: is read-only; a new session cannot be written there")
    # A file name may hold what a title may not (a control character): shown spelled out.
    title = title or visible(os.path.splitext(os.path.basename(path))[0], multiline=False)
    atomic.clean_stale(path)
    try:
        tmp = atomic.temp_beside(path)
    except OSError as exc:
        raise SessionFileError(f"{path}: cannot be written ({exc.strerror})") from None
    try:
        crash_point("create-temp")
        raw = _connect(tmp, wal=False)
        with SessionService(tmp, raw, readonly=False, clock=clock or SystemClock()) as service:
            service._create(title)
            crash_point("create-schema")
            if build is not None:
                build(service)
            crash_point("create-built")
        return atomic.place_new(tmp, path, point="create-placed")
    finally:
        atomic.remove_temp(tmp)


class SessionService:
    """One open session file."""

    def __init__(self, path: str, raw: sqlite3.Connection, *, readonly: bool, clock: Clock) -> None:
        self.path = path
        self.readonly = readonly
        self.clock = clock
        self._raw = raw
        self._lock = threading.RLock()
        self._engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
        self._order: ColumnOrder | None = None  # collecting for ordered()
        self._data_version = self._read_data_version()

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, path: str, *, create: bool = False, clock: Clock | None = None,
             title: str | None = None) -> "SessionService":
        """Check ``path`` read-only, then open it (creating it whole, or upgrading after a backup)."""
        path = os.fspath(path)
        clock = clock or SystemClock()
        state = inspect(path, creating=create)
        if not state.exists:
            # Ours, or the one another process created at the same moment: both open the same session.
            placed = create_session_file(path, title=title, clock=clock)
            state = FileState(exists=True, version=SCHEMA_VERSION) if placed else inspect(path, creating=False)
        if not state.writable:
            if state.version < SCHEMA_VERSION:
                raise SessionFileError(f"{path}: needs an upgrade but is read-only")
            raw = sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False,
                                  isolation_level=None)
            return cls(path, raw, readonly=True, clock=clock)
        atomic.clean_stale(path)  # what a crash after placing a new file left under its temp name
        raw = _connect(path, wal=True)
        if state.version < SCHEMA_VERSION:
            migrations.upgrade(path, raw)
            # The header (schema version) must reach the file itself, not only the WAL: another
            # process checks it there before it opens the file.
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return cls(path, raw, readonly=False, clock=clock)

    def _create(self, title: str) -> None:
        with self._write() as s:
            # Header fields first: they mark the file as ours from its first commit.
            s.connection().exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            s.connection().exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            SQLModel.metadata.create_all(s.connection())
            s.add(MetaRow(key="app", value=APP_MARKER))
            session = Session(title=validate.text("title", title, required=True) or "Pre-mortem",
                              date=self.clock.today().isoformat())
            s.add(SessionRow(**asdict(session)))
            for position, phase in enumerate(default_phases()):
                s.add(_phase_row(phase, position))

    def close(self) -> None:
        """Checkpoint the WAL, so the .premortem file alone is complete, and close."""
        with self._lock:
            if self._raw is None:
                return
            try:
                if not self.readonly:
                    self._raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # another process holds a read lock: it checkpoints when it closes
            self._engine.dispose()
            self._raw.close()
            self._raw = None  # type: ignore[assignment]

    def __enter__(self) -> "SessionService":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[OrmSession]:
        if self.readonly:
            raise SessionFileError(f"{self.path}: is read-only; nothing can be changed")
        with self._lock, self._engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            orm = OrmSession(bind=conn, autoflush=False, expire_on_commit=False)
            try:
                yield orm
                orm.flush()
                conn.commit()
                if self._order is not None and "column_order" in orm.info:
                    self._order.update(orm.info["column_order"])
            except BaseException:
                conn.rollback()
                raise
            finally:
                orm.close()

    def ordered(self, change: Callable[[], T]) -> tuple[T, ColumnOrder]:
        """Run ``change`` (calls of this service) and return its result with the order its
        committed writes left in the columns they touched: the board applies that as given."""
        with self._lock:  # no other thread's write lands in the report
            outer, self._order = self._order, ColumnOrder()
            try:
                result, order = change(), self._order
            finally:
                self._order = outer
            if outer is not None:
                outer.update(order)
            return result, order

    def _read_data_version(self) -> int:
        # Reads, writes and this poll share the one connection ``raw``, and SQLite's data_version of
        # a connection moves with other connections' commits only: one's own never count, and none
        # of another's can be skipped by re-reading it after one's own commit.
        return self._raw.execute("PRAGMA data_version").fetchone()[0]

    # -- reading -------------------------------------------------------------

    def load(self) -> Workshop:
        """The whole session, read in one snapshot."""
        with self._lock:
            self._raw.execute("BEGIN")
            try:
                return reader.read_workshop(self._raw)
            finally:
                self._raw.execute("COMMIT")

    def load_phases(self) -> list[Phase]:
        with self._lock:
            self._raw.row_factory = sqlite3.Row
            try:
                return [reader.phase_from(r) for r in self._raw.execute("SELECT * FROM phase ORDER BY position")]
            finally:
                self._raw.row_factory = None

    def deleted_ids(self) -> set[str]:
        with self._lock:
            return reader.read_deleted_ids(self._raw)

    def removed_cards(self) -> list[tuple[str, str, str]]:
        """(kind, previous id, label) of the carried failures and countermeasures deleted here."""
        with self._lock:
            return reader.read_removed(self._raw)

    def deleted_cards(self) -> list[tuple[str, str, str | None, str | None]]:
        """(kind, id, previous id, label) of every card deleted from this session."""
        with self._lock:
            return reader.read_tombstones(self._raw)

    def changed_elsewhere(self) -> bool:
        """True once after another process committed a change to the file."""
        with self._lock:
            version = self._read_data_version()
            changed, self._data_version = version != self._data_version, version
            return changed

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

    def _phase(self, s: OrmSession, key: str) -> PhaseRow:
        return self._get(s, PhaseRow, validate.phase_key(key))

    def _save_phase(self, s: OrmSession, row: PhaseRow, phase: Phase) -> Phase:
        row.spent_seconds = phase.spent_seconds
        row.running_since = phase.running_since.isoformat() if phase.running_since else None
        row.planned_minutes = phase.planned_minutes
        s.add(row)
        return phase

    def start_timer(self, key: str) -> Phase:
        """Start a phase's timer; any other running timer pauses (one clock for the room)."""
        now = self.clock.now()
        with self._write() as s:
            for row in s.exec(select(PhaseRow).where(PhaseRow.running_since.is_not(None))):
                if row.key != key:
                    self._save_phase(s, row, timer.pause(reader.phase_from(row.model_dump()), now))
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

    def current_phase(self) -> Phase:
        with self._lock:
            self._raw.row_factory = sqlite3.Row
            try:
                row = self._raw.execute(
                    "SELECT phase.* FROM phase JOIN session ON phase.key = session.current_phase").fetchone()
            finally:
                self._raw.row_factory = None
            return reader.phase_from(row)

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
            was_running = False
            for row in s.exec(select(PhaseRow).where(PhaseRow.running_since.is_not(None))):
                was_running = True
                self._save_phase(s, row, timer.pause(reader.phase_from(row.model_dump()), now))
            if was_running:  # the room's clock goes on, in the new phase (or the same one)
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

    def services(self) -> list[str]:
        with self._lock:
            names = [visible(r[0]) for r in self._raw.execute("SELECT DISTINCT service FROM failure")]
        return sorted(names, key=str.casefold)

    def add_failure(self, service: str, failure: str, period: str = "", timing: str = "",
                    author: str = "", *, index: int | None = None, **extra: Any) -> Failure:
        values = validate.clean({"service": service, "failure": failure, "period": period, "timing": timing,
                                 "author": author, **extra}, validate.FAILURE_FIELDS)
        with self._write() as s:
            values["service"] = self._canonical_service(s, values["service"])
            card = Failure(**values)
            s.add(_failure_row(card))
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

    def get_failure(self, failure_id: str) -> Failure:
        with self._lock:
            self._raw.row_factory = sqlite3.Row
            try:
                row = self._raw.execute("SELECT * FROM failure WHERE id = ?", (failure_id,)).fetchone()
            finally:
                self._raw.row_factory = None
        if row is None:
            raise validate.ValidationError(f"no failure with id {failure_id!r}")
        return reader.failure_from(row)

    # -- countermeasures -----------------------------------------------------

    def add_countermeasure(self, text: str, failure_ids: list[str] | tuple[str, ...] = (),
                           stage: str = "prevent", author: str = "", *, index: int | None = None,
                           **extra: Any) -> Countermeasure:
        values = validate.clean({"text": text, "stage": stage, "author": author, **extra},
                                validate.COUNTERMEASURE_FIELDS)
        card = Countermeasure(**values)
        with self._write() as s:
            s.add(_countermeasure_row(card))
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
            raise validate.ValidationError(f"no failure with id {missing[0]!r}")
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
                s.add(_failure_row(card))
                s.flush()
                FAILURES.place(s, card.service, card.id, deleted.index)
                if deleted.variants:
                    s.exec(update(FailureRow).where(FailureRow.id.in_(deleted.variants))
                           .values(variant_of=card.id))
            elif deleted.kind == "countermeasure":
                s.add(_countermeasure_row(card))
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

    # -- import ----------------------------------------------------------------

    def import_workshop(self, source: Workshop, *, whole_session: bool = False,
                        progress: Callable[[int, int], Any] | None = None) -> MergePlan:
        """Add the cards of ``source`` in one transaction (PRODUCT.md, import).

        ``whole_session``: the target is new, so it takes the source's session
        (id, title, date, context, agenda, participants) and every position as is.
        ``progress(done, total)`` is called as the cards are written.
        """
        with self._write() as s:
            if whole_session:  # everything, with the source's positions exactly
                target = Workshop(session=Session(), phases=[])
                self._replace_session(s, source)
                plan = MergePlan([replace(p) for p in source.participants],
                                 [replace(f) for f in source.failures],
                                 [replace(c) for c in source.countermeasures],
                                 [replace(n) for n in source.retro])
                ids = {f.id for f in plan.failures}
                for failure in plan.failures:
                    if failure.variant_of not in ids:
                        failure.variant_of = None
            else:
                target = reader.read_workshop(self._raw)
                plan = plan_merge(target, reader.read_deleted_ids(self._raw), source)
            known = {f.id for f in target.failures} | {f.id for f in plan.failures}
            self._insert_plan(plan, len(target.participants), known, progress or (lambda done, total: None))
            s.flush()
            crash_point("import-written")
        crash_point("import-committed")
        return plan

    def _replace_session(self, s: OrmSession, source: Workshop) -> None:
        row = s.exec(select(SessionRow)).one()
        s.delete(row)
        s.flush()
        s.add(SessionRow(**asdict(source.session)))
        phases = {p.key: p for p in source.phases}
        for position, default in enumerate(default_phases()):
            phase_row = self._phase(s, default.key)
            phase = phases.get(default.key, default)
            phase_row.planned_minutes = phase.planned_minutes
            phase_row.spent_seconds = phase.spent_seconds
            # An exported running timer counted its time up to the export: it runs on from now.
            phase_row.running_since = self.clock.now().isoformat() if phase.running_since else None
            s.add(phase_row)

    # An import writes plain rows with the driver's executemany, a chunk per call, in the
    # transaction of ``_write`` (the same connection): building an ORM object per card, or even
    # Core's per-row processing, was most of the time of an import or carry of thousands of cards.
    _CHUNK = 2000
    _FAILURE_KEYS = tuple(k for k in FailureRow.__table__.columns.keys() if not k.startswith("prev_"))
    _COUNTERMEASURE_KEYS = tuple(k for k in CountermeasureRow.__table__.columns.keys()
                                 if not k.startswith("prev_"))
    _RETRO_KEYS = tuple(RetroRow.__table__.columns.keys())

    def _insert_plan(self, plan: MergePlan, start: int, known: set[str],
                     progress: Callable[[int, int], Any]) -> None:
        """Write the plan's rows: participants after the ``start`` there are, answers only to
        failures in ``known``; ``progress(done, total)`` after each chunk of cards."""
        total, done = plan.card_count, 0

        def write(table: type[SQLModel], rows: list[dict[str, Any]], cards: bool = True) -> None:
            nonlocal done
            if not rows:
                return
            names = list(rows[0])
            columns = ", ".join(f'"{n}"' for n in names)
            values = ", ".join(f":{n}" for n in names)
            sql = f'INSERT INTO "{table.__tablename__}" ({columns}) VALUES ({values})'
            for first in range(0, len(rows), self._CHUNK):
                chunk = rows[first:first + self._CHUNK]
                self._raw.executemany(sql, chunk)
                if cards:
                    done += len(chunk)
                    progress(done, total)

        write(ParticipantRow, [{"id": p.id, "name": p.name, "role": p.role, "position": start + n}
                               for n, p in enumerate(plan.participants)], cards=False)
        write(FailureRow, [{**{k: getattr(f, k) for k in self._FAILURE_KEYS}, **_prev_columns(f)}
                           for f in plan.failures])
        write(CountermeasureRow, [{**{k: getattr(c, k) for k in self._COUNTERMEASURE_KEYS}, **_prev_columns(c),
                                   "prev_done": c.previous.done if c.previous else None}
                                  for c in plan.countermeasures])
        write(AnswerRow, [{"countermeasure_id": c.id, "failure_id": fid, "position": position}
                          for c in plan.countermeasures
                          for position, fid in enumerate(dict.fromkeys(c.failure_ids)) if fid in known],
              cards=False)
        write(RetroRow, [{k: getattr(n, k) for k in self._RETRO_KEYS} for n in plan.retro])

    # -- hand-off -----------------------------------------------------------------

    def copy_to(self, dest: str) -> None:
        """A self-contained copy of the session (safe while other processes write).

        Built beside DEST and renamed when complete: a failed copy leaves nothing behind.
        """
        from .atomic import clean_stale, place_new, remove_temp, temp_beside
        from .handoff import refuse_existing

        refuse_existing(dest)
        clean_stale(dest)  # what an earlier copy that was cut short left
        tmp = None
        try:
            tmp = temp_beside(dest)
            with self._lock:
                target = sqlite3.connect(tmp, isolation_level=None)
                try:
                    self._raw.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
            if not place_new(tmp, dest, point="copy-placed"):  # never replaces one that appeared meanwhile
                raise SessionFileError(f"{dest}: already exists; choose a new name")
        except (sqlite3.Error, OSError) as exc:
            raise SessionFileError(f"{dest}: cannot be written ({getattr(exc, 'strerror', None) or exc})") from None
        finally:
            if tmp is not None:
                remove_temp(tmp)

    # -- helpers ----------------------------------------------------------------

    @staticmethod
    def _get(s: OrmSession, table: type[SQLModel], key: str) -> Any:
        row = s.get(table, key)
        if row is None:
            raise validate.ValidationError(f"no {table.__tablename__} with id {key!r}")
        return row
