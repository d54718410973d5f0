"""Schema versions and the steps between them.

A file of an older version is upgraded in place, after a backup copy beside it
(``NAME.premortem.bak-vN``, written once and never replaced). Each step runs in
one transaction with the bump of ``user_version``, so an interrupted step leaves
the old version intact and a retry carries on from the last committed step.
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Callable

from ..domain.carry import split_previous_context
from ..i18n import _
from . import atomic
from .atomic import crash_point
from .fileformat import SCHEMA_VERSION, SessionFileError, backup_path

# Version 1: the first layout; version 2 added tombstones (deleted ids never
# come back through an import) and variant links between failures; version 3 keeps the previous
# session's title, date and tries as data, and when the workshop was ended.
V1_SCHEMA = """
CREATE TABLE meta (key VARCHAR NOT NULL PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE session (id VARCHAR NOT NULL PRIMARY KEY, title VARCHAR NOT NULL, date VARCHAR NOT NULL,
  context VARCHAR NOT NULL, purpose VARCHAR NOT NULL, ground_rules VARCHAR NOT NULL,
  rehearsal BOOLEAN NOT NULL, current_phase VARCHAR NOT NULL, previous_session_id VARCHAR,
  previous_context VARCHAR NOT NULL);
CREATE TABLE participant (id VARCHAR NOT NULL PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL,
  position INTEGER NOT NULL);
CREATE TABLE phase (key VARCHAR NOT NULL PRIMARY KEY, position INTEGER NOT NULL,
  planned_minutes INTEGER NOT NULL, spent_seconds FLOAT NOT NULL, running_since VARCHAR);
CREATE TABLE failure (id VARCHAR NOT NULL PRIMARY KEY, service VARCHAR NOT NULL, failure VARCHAR NOT NULL,
  period VARCHAR NOT NULL, timing VARCHAR NOT NULL, author VARCHAR NOT NULL, position INTEGER NOT NULL,
  impact INTEGER, likelihood INTEGER, acceptable BOOLEAN NOT NULL, notes VARCHAR NOT NULL,
  prev_id VARCHAR, prev_impact INTEGER, prev_likelihood INTEGER, prev_decision VARCHAR);
CREATE INDEX ix_failure_service ON failure (service);
CREATE TABLE countermeasure (id VARCHAR NOT NULL PRIMARY KEY, text VARCHAR NOT NULL, stage VARCHAR NOT NULL,
  stage_position INTEGER NOT NULL, intro_cost INTEGER, maintenance_cost INTEGER, effect INTEGER,
  decision VARCHAR NOT NULL, rank INTEGER NOT NULL, decision_note VARCHAR NOT NULL, owner VARCHAR NOT NULL,
  revisit_when VARCHAR NOT NULL, remind_on VARCHAR, done BOOLEAN NOT NULL, author VARCHAR NOT NULL,
  prev_id VARCHAR, prev_impact INTEGER, prev_likelihood INTEGER, prev_decision VARCHAR);
CREATE INDEX ix_countermeasure_stage ON countermeasure (stage);
CREATE INDEX ix_countermeasure_decision ON countermeasure (decision);
CREATE TABLE answer (countermeasure_id VARCHAR NOT NULL, failure_id VARCHAR NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (countermeasure_id, failure_id));
CREATE INDEX ix_answer_failure_id ON answer (failure_id);
CREATE TABLE retro (id VARCHAR NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL, text VARCHAR NOT NULL,
  author VARCHAR NOT NULL, position INTEGER NOT NULL);
"""


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    # Each change is skipped when already there, so a step never fails on a file it half-knows.
    if "prev_done" not in _columns(conn, "countermeasure"):
        conn.execute("ALTER TABLE countermeasure ADD COLUMN prev_done BOOLEAN")
    conn.execute("CREATE TABLE IF NOT EXISTS tombstone (id VARCHAR NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL, "
                 "prev_id VARCHAR, label VARCHAR)")
    if "variant_of" not in _columns(conn, "failure"):
        conn.execute("ALTER TABLE failure ADD COLUMN variant_of VARCHAR")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """The previous session's title, date and tries become columns, read once from the text
    ``carry`` wrote them into; and the end of the workshop gets a column."""
    have = _columns(conn, "session")
    for name, default in (("previous_title", "''"), ("previous_date", "''"), ("previous_tries", "'[]'"),
                          ("ended_at", "''")):
        if name not in have:
            conn.execute(f"ALTER TABLE session ADD COLUMN {name} VARCHAR NOT NULL DEFAULT {default}")
    for sid, text, title in conn.execute("SELECT id, previous_context, previous_title FROM session").fetchall():
        if title or not text:
            continue
        title, day, tries, context = split_previous_context(text)
        conn.execute("UPDATE session SET previous_title = ?, previous_date = ?, previous_tries = ?, "
                     "previous_context = ? WHERE id = ?",
                     (title, day, json.dumps(tries, ensure_ascii=False), context, sid))


STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3}


def upgrade(path: str, conn: sqlite3.Connection) -> str | None:
    """Back ``path`` up, then bring it to SCHEMA_VERSION; returns the backup path (None when
    another process had upgraded it already).

    ``conn`` is a read-write connection in WAL and autocommit mode (isolation_level None). The
    version is read from it under the write lock, not from the file header (which lags behind the
    WAL until a checkpoint): a retry after a crash, or a second process, resumes where the file is.
    """
    backup = None
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                conn.execute("COMMIT")
                return backup
            if backup is None:
                backup = _back_up(path, version)
            STEPS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            crash_point("upgrade-applied")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        crash_point(f"upgrade-v{version + 1}")


def _back_up(path: str, version: int) -> str:
    """Copy ``path`` to NAME.bak-vVERSION, unless that backup exists: then it is the original, kept.

    Called under the write lock: the copy is the last commit, which is of ``version``.
    """
    backup = backup_path(path, version)
    atomic.clean_stale(backup)
    if os.path.isfile(backup) and os.path.getsize(backup):
        return backup
    try:
        tmp = atomic.temp_beside(backup)
    except OSError as exc:
        raise SessionFileError(_("{path}: needs an upgrade, but its backup cannot be written ({strerror})").format(
            path=path, strerror=exc.strerror)) from None
    try:
        # A second connection reads the committed file while ``conn`` holds the write lock (WAL
        # lets it), and a backup never reads through its own connection's open transaction.
        source, target = sqlite3.connect(path), sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # the copy stands alone, no -wal beside it
        finally:
            target.close()
            source.close()
        crash_point("upgrade-backup-written")
        atomic.place_new(tmp, backup, point="upgrade-backup-placed")
    finally:
        atomic.remove_temp(tmp)
    return backup
