"""Schema versions and the steps between them.

A file of an older version is upgraded in place, after a backup copy beside it
(``NAME.premortem.bak-vN``). Each step runs in one transaction with the bump of
``user_version``, so an interrupted upgrade leaves the old version intact.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Callable

from .fileformat import SCHEMA_VERSION, backup_path

# Version 1: the first layout; version 2 added tombstones (deleted ids never
# come back through an import) and variant links between failures.
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


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE countermeasure ADD COLUMN prev_done BOOLEAN")
    conn.execute("CREATE TABLE tombstone (id VARCHAR NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL, "
                 "prev_id VARCHAR, label VARCHAR)")
    conn.execute("ALTER TABLE failure ADD COLUMN variant_of VARCHAR")


STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2}


def upgrade(path: str, conn: sqlite3.Connection, version: int) -> str:
    """Back ``path`` up, then bring it from ``version`` to SCHEMA_VERSION; returns the backup path.

    ``conn`` is a read-write connection in autocommit mode (isolation_level None).
    """
    backup = backup_path(path, version)
    tmp = backup + ".tmp"
    target = sqlite3.connect(tmp)
    try:
        conn.backup(target)
    finally:
        target.close()
    os.replace(tmp, backup)
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            STEPS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return backup
