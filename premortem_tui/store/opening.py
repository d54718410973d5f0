"""Opening a session file (creating it whole, upgrading it), its transactions, its reads,
and closing it: ``SessionFile``, the base ``SessionService`` is composed on."""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Protocol, Self, TypeVar

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session as OrmSession
from sqlmodel import SQLModel

from ..i18n import _
from ..domain import validate
from ..domain.model import Failure, Phase, Session, Workshop, default_phases
from ..domain.plaintext import visible
from ..domain.timer import Clock, SystemClock
from . import atomic, migrations, reader
from .atomic import crash_point
from .check import FileState, inspect, readonly_uri
from .fileformat import APP_MARKER, APPLICATION_ID, SCHEMA_VERSION, SessionFileError
from .ordering import ColumnOrder
from .rows import phase_row, session_row
from .schema import MetaRow, PhaseRow

BUSY_TIMEOUT_MS = 10_000

T = TypeVar("T")


def connect(path: str, *, wal: bool) -> sqlite3.Connection:
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
        raise SessionFileError(_("{path}: cannot be opened for writing ({detail})").format(
            path=path, detail=exc)) from None
    return raw


class Sharing(Protocol):
    """How one open session shares its file with other processes: the write lock every change
    begins with, and the poll that tells a window someone else committed. SQLite's is
    ``SqliteSharing``; another backend (a server database) plugs in here."""

    def begin_write(self, run: Callable[[str], object]) -> None:
        """Begin a write transaction through ``run`` (executes one statement on the transaction's
        connection), holding the lock that keeps other writers out until it commits."""

    def changed_elsewhere(self) -> bool:
        """True once after another process committed a change."""


class SqliteSharing:
    """``BEGIN IMMEDIATE`` (which waits up to the connection's busy timeout, BUSY_TIMEOUT_MS, set by
    ``connect``) and ``PRAGMA data_version`` polling on the one connection ``raw``."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self._raw = raw
        self._seen = self._version()

    def begin_write(self, run: Callable[[str], object]) -> None:
        # IMMEDIATE takes the write lock at BEGIN: two processes never both read-then-write.
        run("BEGIN IMMEDIATE")

    def _version(self) -> int:
        # Reads, writes and this poll share the one connection ``raw``, and SQLite's data_version of
        # a connection moves with other connections' commits only: one's own never count, and none
        # of another's can be skipped by re-reading it after one's own commit.
        return self._raw.execute("PRAGMA data_version").fetchone()[0]

    def changed_elsewhere(self) -> bool:
        version = self._version()
        changed, self._seen = version != self._seen, version
        return changed


class SessionFile:
    """One open session file: every change goes through ``_write``, every read through ``_raw``."""

    def __init__(self, path: str, raw: sqlite3.Connection, *, readonly: bool, clock: Clock) -> None:
        self.path = path
        self.readonly = readonly
        self.clock = clock
        self._raw = raw
        self._lock = threading.RLock()
        self._engine = create_engine("sqlite://", creator=lambda: raw, poolclass=StaticPool)
        self._order: ColumnOrder | None = None  # collecting for ordered()
        self.sharing: Sharing = SqliteSharing(raw)

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, path: str, *, create: bool = False, clock: Clock | None = None,
             title: str | None = None) -> Self:
        """Check ``path`` read-only, then open it (creating it whole, or upgrading after a backup)."""
        path = os.fspath(path)
        clock = clock or SystemClock()
        state = inspect(path, creating=create)
        if not state.exists:
            # Ours, or the one another process created at the same moment: both open the same session.
            placed = cls._create_file(path, title=title, clock=clock)
            state = FileState(exists=True, version=SCHEMA_VERSION) if placed else inspect(path, creating=False)
        if not state.writable:
            if state.version < SCHEMA_VERSION:
                raise SessionFileError(_("{path}: needs an upgrade but is read-only").format(path=path))
            raw = sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False,
                                  isolation_level=None)
            return cls(path, raw, readonly=True, clock=clock)
        atomic.clean_stale(path)  # what a crash after placing a new file left under its temp name
        raw = connect(path, wal=True)
        if state.version < SCHEMA_VERSION:
            migrations.upgrade(path, raw)
            # The header (schema version) must reach the file itself, not only the WAL: another
            # process checks it there before it opens the file.
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return cls(path, raw, readonly=False, clock=clock)

    @classmethod
    def _create_file(cls, path: str, build: Callable[[Self], Any] | None = None, *,
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
            raise SessionFileError(_("{path}: is read-only; a new session cannot be written there").format(path=path))
        # A file name may hold what a title may not (a control character): shown spelled out.
        title = title or visible(os.path.splitext(os.path.basename(path))[0], multiline=False)
        atomic.clean_stale(path)
        try:
            tmp = atomic.temp_beside(path)
        except OSError as exc:
            raise SessionFileError(_("{path}: cannot be written ({strerror})").format(
                path=path, strerror=exc.strerror)) from None
        try:
            crash_point("create-temp")
            raw = connect(tmp, wal=False)
            with cls(tmp, raw, readonly=False, clock=clock or SystemClock()) as service:
                service._create(title)
                crash_point("create-schema")
                if build is not None:
                    build(service)
                crash_point("create-built")
            return atomic.place_new(tmp, path, point="create-placed")
        finally:
            atomic.remove_temp(tmp)

    def _create(self, title: str) -> None:
        with self._write() as s:
            # Header fields first: they mark the file as ours from its first commit.
            s.connection().exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            s.connection().exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
            SQLModel.metadata.create_all(s.connection())
            s.add(MetaRow(key="app", value=APP_MARKER))
            session = Session(title=validate.text("title", title, required=True) or "Pre-mortem",
                              date=self.clock.today().isoformat())
            s.add(session_row(session))
            for position, phase in enumerate(default_phases()):
                s.add(phase_row(phase, position))

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[OrmSession]:
        if self.readonly:
            raise SessionFileError(_("{path}: is read-only; nothing can be changed").format(path=self.path))
        with self._lock, self._engine.connect() as conn:
            self.sharing.begin_write(conn.exec_driver_sql)
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

    def current_phase(self) -> Phase:
        with self._lock:
            self._raw.row_factory = sqlite3.Row
            try:
                row = self._raw.execute(
                    "SELECT phase.* FROM phase JOIN session ON phase.key = session.current_phase").fetchone()
            finally:
                self._raw.row_factory = None
            return reader.phase_from(row)

    def get_failure(self, failure_id: str) -> Failure:
        with self._lock:
            self._raw.row_factory = sqlite3.Row
            try:
                row = self._raw.execute("SELECT * FROM failure WHERE id = ?", (failure_id,)).fetchone()
            finally:
                self._raw.row_factory = None
        if row is None:
            raise validate.ValidationError(_("no failure with id {failure_id!r}").format(failure_id=failure_id))
        return reader.failure_from(row)

    def services(self) -> list[str]:
        with self._lock:
            names = [visible(r[0]) for r in self._raw.execute("SELECT DISTINCT service FROM failure")]
        return sorted(names, key=str.casefold)

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
            return self.sharing.changed_elsewhere()

    # -- helpers ----------------------------------------------------------------

    @staticmethod
    def _get(s: OrmSession, table: type[SQLModel], key: str) -> Any:
        row = s.get(table, key)
        if row is None:
            raise validate.ValidationError(_("no {tablename__} with id {key!r}").format(
                tablename__=table.__tablename__, key=key))
        return row

    def _phase(self, s: OrmSession, key: str) -> PhaseRow:
        return self._get(s, PhaseRow, validate.phase_key(key))
