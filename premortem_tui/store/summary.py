"""What the home screen shows of a session file without reading the whole of it: a line of
summary (title, date, phase, how many cards), and the cards its reminders are made of.

Both read-only over the standard library's sqlite3 (no ORM), a few small queries each: the
home screen lists dozens of files, and reading every card of each kept it busy for seconds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..i18n import _
from ..domain.model import STAGES, Countermeasure, Failure, Workshop
from ..domain.plaintext import visible as _t
from . import reader
from .check import inspect, readonly_uri
from .fileformat import SCHEMA_VERSION, SessionFileError


@dataclass(frozen=True)
class Summary:
    """One line of the home screen's list."""

    title: str
    date: str
    current_phase: str
    failures: int
    countermeasures: int


def _open(path: str) -> sqlite3.Connection | None:
    """A read-only connection to a current file; None for an older one (read through ``read_file``,
    which upgrades a copy); SessionFileError when the file is refused."""
    state = inspect(path, creating=False)
    if state.version < SCHEMA_VERSION:
        return None
    return sqlite3.connect(readonly_uri(path), uri=True, isolation_level=None)


def read_summary(path: str) -> Summary:
    """The session's title, date, current phase and card counts; SessionFileError when refused."""
    conn = _open(path)
    if conn is None:
        w = reader.read_file(path)
        return Summary(w.session.title, w.session.date, w.session.current_phase, len(w.failures),
                       len(w.countermeasures))
    try:
        conn.execute("BEGIN")  # one snapshot for the three reads
        title, when, phase = conn.execute("SELECT title, date, current_phase FROM session LIMIT 1").fetchone()
        (failures,), = conn.execute("SELECT count(*) FROM failure")
        (countermeasures,), = conn.execute("SELECT count(*) FROM countermeasure")
        return Summary(_t(title), _t(when), phase, failures, countermeasures)
    except (sqlite3.Error, TypeError, ValueError) as exc:
        raise SessionFileError(_("{path}: cannot be read ({detail})").format(path=path, detail=exc)) from None
    finally:
        conn.close()


# The countermeasures a reminder can come from, or whose lineage (``previous``) it follows; of the
# others, only the id and decision count (a card given first, with the same id, wins).
_FULL = "decision = 'later' OR prev_id IS NOT NULL"


def read_for_reminders(path: str) -> Workshop:
    """The session as far as its reminders need it (``reminders.collect`` gives the same answer as on
    the whole session): in board order, countermeasures decided later or carried, read whole; every
    other one as its id and decision only; of the failures, those the ones decided later answer (a
    reminder names them); no participants, phases or retro notes. SessionFileError when refused."""
    conn = _open(path)
    if conn is None:
        return reader.read_file(path)
    try:
        conn.execute("BEGIN")  # one snapshot
        conn.row_factory = sqlite3.Row
        session = reader.session_from(conn.execute("SELECT * FROM session LIMIT 1").fetchone())
        answers: dict[str, list[str]] = {}
        for cm_id, failure_id in conn.execute(
                "SELECT countermeasure_id, failure_id FROM answer WHERE countermeasure_id IN "
                "(SELECT id FROM countermeasure WHERE decision = 'later') ORDER BY countermeasure_id, position"):
            answers.setdefault(cm_id, []).append(failure_id)
        full = [reader.countermeasure_from(r, answers.get(r["id"], [])) for r in
                conn.execute(f"SELECT * FROM countermeasure WHERE {_FULL} ORDER BY stage_position, rowid")]
        full.sort(key=lambda c: STAGES.index(c.stage) if c.stage in STAGES else len(STAGES))
        conn.row_factory = None
        others = [Countermeasure(text="", decision=decision, id=cm_id) for cm_id, decision in
                  conn.execute(f"SELECT id, decision FROM countermeasure WHERE NOT ({_FULL})")]
        failures = [Failure(service=_t(service), failure=_t(text), id=fid) for fid, service, text in
                    conn.execute("SELECT id, service, failure FROM failure WHERE id IN "
                                 "(SELECT a.failure_id FROM answer a JOIN countermeasure c "
                                 "ON c.id = a.countermeasure_id WHERE c.decision = 'later')")]
        return Workshop(session=session, participants=[], phases=[], failures=failures,
                        countermeasures=full + others, retro=[])
    except (sqlite3.Error, TypeError, ValueError, KeyError) as exc:
        raise SessionFileError(_("{path}: cannot be read ({detail})").format(path=path, detail=exc)) from None
    finally:
        conn.close()
