"""Bringing cards in and sending the session out: import (one transaction, written as
plain rows) and a self-contained copy of the file."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any, Callable

from sqlmodel import Session as OrmSession
from sqlmodel import SQLModel, select

from ..i18n import _
from ..domain.merge import MergePlan, plan_merge
from ..domain.model import Session, Workshop, default_phases
from . import reader
from .atomic import crash_point
from .fileformat import SessionFileError
from .opening import SessionFile
from .rows import FAILURES, NOTES, RANKS, STAGES, prev_columns, session_row
from .schema import AnswerRow, CountermeasureRow, FailureRow, ParticipantRow, RetroRow, SessionRow


class ImportMixin(SessionFile):
    """``import_workshop`` and ``copy_to``."""

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
        s.add(session_row(source.session))
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
        write(FailureRow, [{**{k: getattr(f, k) for k in self._FAILURE_KEYS}, **prev_columns(f)}
                           for f in plan.failures])
        write(CountermeasureRow, [{**{k: getattr(c, k) for k in self._COUNTERMEASURE_KEYS}, **prev_columns(c),
                                   "prev_done": c.previous.done if c.previous else None}
                                  for c in plan.countermeasures])
        write(AnswerRow, [{"countermeasure_id": c.id, "failure_id": fid, "position": position}
                          for c in plan.countermeasures
                          for position, fid in enumerate(dict.fromkeys(c.failure_ids)) if fid in known],
              cards=False)
        write(RetroRow, [{k: getattr(n, k) for k in self._RETRO_KEYS} for n in plan.retro])

    def remove_merged(self, plan: MergePlan) -> None:
        """Undo a merge (``import_workshop`` into an existing session): take out the cards and
        participants ``plan`` added, as if never merged (no tombstones, so merging again adds them
        again), with their links, and close up the columns they sat in.

        Merged cards are new ids: removing them changes no card that was there before, except a
        link someone made since from an earlier countermeasure to a merged failure, which goes with
        the failure, as on a delete. Cards of the plan no longer in the file are skipped."""
        groups: dict[tuple[Any, str], None] = {}  # the columns to close up, in order
        with self._write() as s:
            for table, ids, columns in (("failure", [f.id for f in plan.failures], (FAILURES,)),
                                        ("countermeasure", [c.id for c in plan.countermeasures],
                                         (STAGES, RANKS)),
                                        ("retro", [n.id for n in plan.retro], (NOTES,)),
                                        ("participant", [p.id for p in plan.participants], ())):
                for first in range(0, len(ids), 500):  # under SQLite's limit of bound parameters
                    chunk = ids[first:first + 500]
                    marks = ", ".join("?" * len(chunk))
                    for column in columns:
                        for (group,) in self._raw.execute(
                                f'SELECT DISTINCT "{column.group}" FROM "{table}" WHERE id IN ({marks})', chunk):
                            groups[(column, group)] = None
                    if table == "failure":
                        self._raw.execute(f"DELETE FROM answer WHERE failure_id IN ({marks})", chunk)
                        self._raw.execute(f"UPDATE failure SET variant_of = NULL WHERE variant_of IN ({marks})",
                                          chunk)
                    elif table == "countermeasure":
                        self._raw.execute(f"DELETE FROM answer WHERE countermeasure_id IN ({marks})", chunk)
                    self._raw.execute(f'DELETE FROM "{table}" WHERE id IN ({marks})', chunk)
            for column, group in groups:
                column.arrange(s, group, [])  # the order kept, the gaps closed, the new order reported

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
                raise SessionFileError(_("{dest}: already exists; choose a new name").format(dest=dest))
        except (sqlite3.Error, OSError) as exc:
            raise SessionFileError(_("{dest}: cannot be written ({detail})").format(
                dest=dest, detail=getattr(exc, 'strerror', None) or exc)) from None
        finally:
            if tmp is not None:
                remove_temp(tmp)
