"""SQLModel tables of a session file (schema version ``SCHEMA_VERSION``).

One file holds one session, so the card tables carry no session id.
"""

from __future__ import annotations

from typing import Optional

from sqlmodel import Field, SQLModel


class MetaRow(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str = ""


class SessionRow(SQLModel, table=True):
    __tablename__ = "session"
    id: str = Field(primary_key=True)
    title: str = ""
    date: str = ""
    context: str = ""
    purpose: str = ""
    ground_rules: str = ""
    rehearsal: bool = False
    current_phase: str = "intro"
    previous_session_id: Optional[str] = None
    previous_context: str = ""
    # Version 3: the previous session's title, date and "try" notes (a JSON array of text).
    previous_title: str = Field(default="", sa_column_kwargs={"server_default": ""})
    previous_date: str = Field(default="", sa_column_kwargs={"server_default": ""})
    previous_tries: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})
    ended_at: str = Field(default="", sa_column_kwargs={"server_default": ""})


class ParticipantRow(SQLModel, table=True):
    __tablename__ = "participant"
    id: str = Field(primary_key=True)
    name: str
    role: str = "engineer"
    position: int = 0


class PhaseRow(SQLModel, table=True):
    __tablename__ = "phase"
    key: str = Field(primary_key=True)
    position: int = 0
    planned_minutes: int = 10
    spent_seconds: float = 0.0
    running_since: Optional[str] = None  # ISO 8601 UTC


class FailureRow(SQLModel, table=True):
    __tablename__ = "failure"
    id: str = Field(primary_key=True)
    service: str = Field(index=True)
    failure: str
    period: str = ""
    timing: str = ""
    author: str = ""
    position: int = 0
    impact: Optional[int] = None
    likelihood: Optional[int] = None
    acceptable: bool = False
    notes: str = ""
    variant_of: Optional[str] = None
    prev_id: Optional[str] = None
    prev_impact: Optional[int] = None
    prev_likelihood: Optional[int] = None
    prev_decision: Optional[str] = None


class CountermeasureRow(SQLModel, table=True):
    __tablename__ = "countermeasure"
    id: str = Field(primary_key=True)
    text: str
    stage: str = Field(default="prevent", index=True)
    stage_position: int = 0
    intro_cost: Optional[int] = None
    maintenance_cost: Optional[int] = None
    effect: Optional[int] = None
    decision: str = Field(default="undecided", index=True)
    rank: int = 0
    decision_note: str = ""
    owner: str = ""
    revisit_when: str = ""
    remind_on: Optional[str] = None
    done: bool = False
    author: str = ""
    prev_id: Optional[str] = None
    prev_impact: Optional[int] = None
    prev_likelihood: Optional[int] = None
    prev_decision: Optional[str] = None
    prev_done: Optional[bool] = None


class AnswerRow(SQLModel, table=True):
    """A countermeasure answers a failure."""

    __tablename__ = "answer"
    countermeasure_id: str = Field(primary_key=True)
    failure_id: str = Field(primary_key=True, index=True)
    position: int = 0


class RetroRow(SQLModel, table=True):
    __tablename__ = "retro"
    id: str = Field(primary_key=True)
    kind: str
    text: str
    author: str = ""
    position: int = 0


class TombstoneRow(SQLModel, table=True):
    """Ids deleted from this session: an import never brings them back."""

    __tablename__ = "tombstone"
    id: str = Field(primary_key=True)
    kind: str = ""
    prev_id: Optional[str] = None  # a carried card: the id it came from
    label: Optional[str] = None    # what it said ("service: failure", or the countermeasure's text)
