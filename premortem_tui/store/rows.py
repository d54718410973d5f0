"""How the domain's cards sit in the tables: their rows, and the board's columns."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ..domain.model import Countermeasure, Failure, Phase, Session
from .ordering import Column
from .schema import CountermeasureRow, FailureRow, PhaseRow, RetroRow, SessionRow

# The board's columns: a failure's service, a countermeasure's stage and its decision (rank),
# a retro note's kind.
FAILURES = Column(FailureRow, "service", "position")
STAGES = Column(CountermeasureRow, "stage", "stage_position")
RANKS = Column(CountermeasureRow, "decision", "rank")
NOTES = Column(RetroRow, "kind", "position")


def prev_columns(card: Failure | Countermeasure) -> dict[str, Any]:
    p = card.previous
    return {"prev_id": p.id if p else None, "prev_impact": p.impact if p else None,
            "prev_likelihood": p.likelihood if p else None, "prev_decision": p.decision if p else None}


def session_row(s: Session) -> SessionRow:
    values = asdict(s)
    values["previous_tries"] = json.dumps(s.previous_tries, ensure_ascii=False)
    return SessionRow(**values)


def failure_row(f: Failure) -> FailureRow:
    values = {k: v for k, v in asdict(f).items() if k != "previous"}
    return FailureRow(**values, **prev_columns(f))


def countermeasure_row(c: Countermeasure) -> CountermeasureRow:
    values = {k: v for k, v in asdict(c).items() if k not in ("previous", "failure_ids")}
    return CountermeasureRow(**values, **prev_columns(c), prev_done=c.previous.done if c.previous else None)


def phase_row(p: Phase, position: int) -> PhaseRow:
    since = p.running_since.isoformat() if p.running_since else None
    return PhaseRow(key=p.key, position=position, planned_minutes=p.planned_minutes,
                    spent_seconds=p.spent_seconds, running_since=since)
