"""The lean read of a whole session, on the standard library's sqlite3.

Used for the first paint and by exports, so neither pays for the ORM; the
session service reuses it on its own connection.

Every text read from a file passes ``_t`` (``plaintext.visible``): input refuses control
characters, but a file may have been written by another program, and what it holds must
reach no screen, export or terminal as an escape sequence.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Container
from urllib.parse import quote
from datetime import datetime

from ..domain.carry import split_previous_context
from ..i18n import _
from ..domain.plaintext import visible as _t
from ..domain.model import (
    RETRO_KINDS, STAGES, Countermeasure, Failure, Participant, Phase, Previous, RetroNote, Session, Workshop,
)
from .check import inspect, readonly_uri
from .fileformat import SCHEMA_VERSION, SessionFileError


def _previous(m) -> Previous | None:
    if m["prev_id"] is None:
        return None
    done = m["prev_done"] if "prev_done" in m.keys() else None
    return Previous(m["prev_id"], m["prev_impact"], m["prev_likelihood"], m["prev_decision"],
                    None if done is None else bool(done))


def parse_instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# Each *_from takes a mapping: an sqlite3.Row or a table row's model_dump().
def session_from(m) -> Session:
    session = Session(
        id=m["id"], title=_t(m["title"]), date=_t(m["date"]), context=_t(m["context"]),
        purpose=_t(m["purpose"]), ground_rules=_t(m["ground_rules"]), rehearsal=bool(m["rehearsal"]),
        current_phase=m["current_phase"], previous_session_id=m["previous_session_id"],
        previous_context=_t(m["previous_context"]))
    if "previous_tries" in m.keys():
        session.previous_title, session.previous_date = _t(m["previous_title"]), _t(m["previous_date"])
        session.previous_tries = tries_from(m["previous_tries"])
        session.ended_at = _t(m["ended_at"])
    else:  # a version 2 file not upgraded yet (read for a summary): as the upgrade will read it
        session.previous_title, session.previous_date, session.previous_tries, session.previous_context = \
            split_previous_context(session.previous_context)
    return session


def tries_from(value: object) -> list[str]:
    """The "try" notes column: a JSON array of text (anything else holds none)."""
    try:
        tries = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return []
    return [_t(t) for t in tries if isinstance(t, str)] if isinstance(tries, list) else []


def participant_from(m) -> Participant:
    return Participant(_t(m["name"]), m["role"], m["id"])


def phase_from(m) -> Phase:
    return Phase(m["key"], m["planned_minutes"], m["spent_seconds"], parse_instant(m["running_since"]))


def failure_from(m) -> Failure:
    return Failure(
        service=_t(m["service"]), failure=_t(m["failure"]), period=_t(m["period"]), timing=_t(m["timing"]),
        author=_t(m["author"]), position=m["position"], impact=m["impact"], likelihood=m["likelihood"],
        acceptable=bool(m["acceptable"]), notes=_t(m["notes"]), variant_of=m["variant_of"],
        previous=_previous(m), id=m["id"])


def countermeasure_from(m, failure_ids: list[str]) -> Countermeasure:
    return Countermeasure(
        text=_t(m["text"]), failure_ids=list(failure_ids), stage=m["stage"], stage_position=m["stage_position"],
        intro_cost=m["intro_cost"], maintenance_cost=m["maintenance_cost"], effect=m["effect"],
        decision=m["decision"], rank=m["rank"], decision_note=_t(m["decision_note"]), owner=_t(m["owner"]),
        revisit_when=_t(m["revisit_when"]), remind_on=m["remind_on"], done=bool(m["done"]),
        author=_t(m["author"]), previous=_previous(m), id=m["id"])


def retro_from(m) -> RetroNote:
    return RetroNote(m["kind"], _t(m["text"]), _t(m["author"]), m["position"], m["id"])


_FAILURE_COLUMNS = ("id, service, failure, period, timing, author, position, impact, likelihood, acceptable, "
                    "notes, variant_of, prev_id, prev_impact, prev_likelihood, prev_decision")
_COUNTERMEASURE_COLUMNS = ("id, text, stage, stage_position, intro_cost, maintenance_cost, effect, decision, "
                           "rank, decision_note, owner, revisit_when, remind_on, done, author, prev_id, "
                           "prev_impact, prev_likelihood, prev_decision, prev_done")


def _prev(prev_id, impact, likelihood, decision, done) -> Previous | None:
    if prev_id is None:
        return None
    return Previous(prev_id, impact, likelihood, decision, None if done is None else bool(done))


def read_workshop(conn: sqlite3.Connection, *, lean_phases: Container[str] = ()) -> Workshop:
    """Everything in the session, in board order.

    When the current phase is one of ``lean_phases``, countermeasures are left out (an empty
    list): a first paint of a phase that does not show them need not wait for them.
    """
    conn.row_factory = sqlite3.Row
    try:
        session = session_from(conn.execute("SELECT * FROM session LIMIT 1").fetchone())
        participants = [participant_from(r) for r in
                        conn.execute("SELECT * FROM participant ORDER BY position, rowid")]
        phases = [phase_from(r) for r in conn.execute("SELECT * FROM phase ORDER BY position")]
    finally:
        conn.row_factory = None
    # The two big tables are read positionally: thousands of rows, and the first paint waits for them.
    failures = [Failure(_t(r[1]), _t(r[2]), _t(r[3]), _t(r[4]), _t(r[5]), r[6], r[7], r[8], bool(r[9]), _t(r[10]),
                        r[11],
                        _prev(r[12], r[13], r[14], r[15], None), r[0])
                for r in conn.execute(f"SELECT {_FAILURE_COLUMNS} FROM failure "
                                      "ORDER BY service COLLATE NOCASE, position, rowid")]
    if session.current_phase in lean_phases:
        countermeasures: list[Countermeasure] = []
    else:
        countermeasures = _read_countermeasures(conn)
    conn.row_factory = sqlite3.Row
    try:
        retro = [retro_from(r) for r in conn.execute("SELECT * FROM retro ORDER BY position, rowid")]
    finally:
        conn.row_factory = None
    retro.sort(key=lambda n: _order(RETRO_KINDS, n.kind))
    return Workshop(session, participants, phases, failures, countermeasures, retro)


def _read_countermeasures(conn: sqlite3.Connection) -> list[Countermeasure]:
    answers: dict[str, list[str]] = {}
    for cm_id, failure_id in conn.execute(
            "SELECT countermeasure_id, failure_id FROM answer ORDER BY countermeasure_id, position"):
        answers.setdefault(cm_id, []).append(failure_id)
    countermeasures = [Countermeasure(_t(r[1]), answers.get(r[0], []), r[2], r[3], r[4], r[5], r[6], r[7], r[8],
                                      _t(r[9]), _t(r[10]), _t(r[11]), r[12], bool(r[13]), _t(r[14]),
                                      _prev(r[15], r[16], r[17], r[18], r[19]), r[0])
                       for r in conn.execute(f"SELECT {_COUNTERMEASURE_COLUMNS} FROM countermeasure "
                                             "ORDER BY stage_position, rowid")]
    countermeasures.sort(key=lambda c: _order(STAGES, c.stage))
    return countermeasures


def _order(keys: tuple[str, ...], key: str) -> int:
    return keys.index(key) if key in keys else len(keys)


def read_deleted_ids(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT id FROM tombstone")}


def _read_older(path: str, version: int) -> Workshop:
    """An older file is read from an upgraded copy: a command that only reads never changes it."""
    import os
    import tempfile

    from .migrations import upgrade

    source = sqlite3.connect(readonly_uri(path), uri=True)
    with tempfile.TemporaryDirectory(prefix="premortem-") as tmp:
        copy_path = os.path.join(tmp, "upgraded.premortem")
        copy = sqlite3.connect(copy_path, isolation_level=None)
        try:
            source.backup(copy)
            upgrade(copy_path, copy)
            return read_workshop(copy)
        except _BAD_FILE as exc:
            raise _refusal(path, exc) from None
        finally:
            copy.close()
            source.close()


# A column of the wrong type (written by another program) fails in the conversion to domain values.
_BAD_FILE = (sqlite3.Error, ValueError, TypeError)


def _refusal(path: str, exc: Exception) -> SessionFileError:
    if isinstance(exc, sqlite3.Error):
        return SessionFileError(_("{path}: cannot be read ({detail})").format(path=path, detail=exc))
    return SessionFileError(_("{path}: holds a value of the wrong type ({detail})").format(
        path=path, detail=str(exc)[:80]))


def read_file(path: str) -> Workshop:
    """Check ``path`` and read it without writing anything (commands that only read)."""
    state = inspect(path, creating=False)
    if state.version < SCHEMA_VERSION:
        return _read_older(path, state.version)
    return read_inspected(path)


def read_inspected(path: str, *, lean_phases: Container[str] = ()) -> Workshop:
    """``read_file`` for a file that ``inspect`` has just accepted at the current version
    (``lean_phases``: see ``read_workshop``)."""
    conn = sqlite3.connect(readonly_uri(path), uri=True)
    try:
        return read_workshop(conn, lean_phases=lean_phases)
    except _BAD_FILE as exc:
        raise _refusal(path, exc) from None
    finally:
        conn.close()


class LeanRead:
    """The first (lean) read of a current file, its connection kept open until ``whole_if_unchanged``
    says whether the file is still what was read: then the session service, once open, need not
    read it all again before the first change (at 10,000 cards that read is a quarter second)."""

    def __init__(self, path: str, *, lean_phases: Container[str] = ()) -> None:
        # Not ``immutable`` (readonly_uri's choice when no -wal is there): an immutable connection
        # never sees another's commits. The file is writable (the session service opens it read-write
        # next), so SQLite may put its -wal and -shm beside it. Used by the opening thread later; one
        # thread at a time (the model's opening, then close).
        self._path, self._had_wal = path, os.path.exists(path + "-wal")
        uri = "file:" + quote(os.path.abspath(path)) + "?mode=ro"
        self._conn: sqlite3.Connection | None = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            # data_version moves with every commit of another connection: read before the session,
            # so that a commit landing during the read counts as a change.
            self._version = self._data_version()
            self.workshop = read_workshop(self._conn, lean_phases=lean_phases)
            self.partial = self.workshop.session.current_phase in lean_phases
        except _BAD_FILE as exc:
            self.close()
            raise _refusal(path, exc) from None
        except BaseException:
            self.close()
            raise

    def _data_version(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]  # type: ignore[union-attr]

    def whole_if_unchanged(self) -> Workshop | None:
        """The whole session as read (the countermeasures a lean read left out, read now), when no
        one has committed to the file since; None when someone has (read it again). Closes."""
        if self._conn is None:
            return None
        try:
            if self._data_version() != self._version:
                return None
            workshop = self.workshop
            if self.partial:
                countermeasures = _read_countermeasures(self._conn)
                if self._data_version() != self._version:
                    return None
                workshop = Workshop(workshop.session, workshop.participants, workshop.phases,
                                    workshop.failures, countermeasures, workshop.retro)
            return workshop
        except _BAD_FILE:
            return None  # read it again through the service, which reports what is wrong
        finally:
            self.close()

    def close(self, *, tidy: bool = False) -> None:
        """Close; ``tidy`` when no session service opened the file after this read: a read-only
        connection cannot remove the -wal and -shm it made, the last read-write one to close does
        (SQLite does so only when no other connection has the file open)."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        conn.close()
        if tidy and not self._had_wal:
            try:
                rw = sqlite3.connect(self._path)
                try:
                    rw.execute("SELECT 1 FROM session LIMIT 1").fetchall()
                finally:
                    rw.close()
            except sqlite3.Error:
                pass  # left for the next open of the file: empty, nothing is lost


def read_tombstones(conn: sqlite3.Connection) -> list[tuple[str, str, str | None, str | None]]:
    """(kind, id, previous id, label) of every deleted card, oldest deletion first."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(tombstone)")}
    if not {"prev_id", "label"} <= columns:  # written before deletions remembered what they removed
        return [(kind, card_id, None, None) for card_id, kind in
                conn.execute("SELECT id, kind FROM tombstone ORDER BY rowid")]
    return [(kind, card_id, prev_id, _t(label) if label else label) for kind, card_id, prev_id, label in
            conn.execute("SELECT kind, id, prev_id, label FROM tombstone ORDER BY rowid")]


def read_removed(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(kind, previous id, label) of the carried failures and countermeasures deleted from the session.

    The one filter of tombstones into removed cards: whoever shows them (report, since-last-time
    screen) reads them here rather than filtering ``read_tombstones`` again."""
    return [(kind, prev_id, label or "") for kind, _id, prev_id, label in read_tombstones(conn)
            if prev_id and kind in ("failure", "countermeasure")]


def read_file_with_removed(path: str) -> tuple[Workshop, list[tuple[str, str, str]]]:
    """``read_file`` and the carried cards deleted from the session (see ``read_removed``)."""
    state = inspect(path, creating=False)
    if state.version < SCHEMA_VERSION:
        return read_file(path), []  # before version 2 nothing remembered deletions
    conn = sqlite3.connect(readonly_uri(path), uri=True, isolation_level=None)
    try:
        conn.execute("BEGIN")  # one snapshot for both reads
        try:
            return read_workshop(conn), read_removed(conn)
        finally:
            conn.execute("COMMIT")
    except _BAD_FILE as exc:
        raise _refusal(path, exc) from None
    finally:
        conn.close()
