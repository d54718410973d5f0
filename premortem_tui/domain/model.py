"""The entities of a pre-mortem session, as plain dataclasses."""

from __future__ import annotations

import uuid
from functools import lru_cache
from dataclasses import dataclass, field, replace
from datetime import datetime

PHASE_KEYS: tuple[str, ...] = ("intro", "failures", "impact", "countermeasures", "priority", "retro")
DEFAULT_MINUTES: dict[str, int] = {
    "intro": 5, "failures": 10, "impact": 45, "countermeasures": 10, "priority": 40, "retro": 10,
}
STAGES: tuple[str, ...] = ("prevent", "detect", "respond", "recover", "learn")
DECISIONS: tuple[str, ...] = ("undecided", "now", "next", "later", "wont")
CHOSEN: frozenset[str] = frozenset({"now", "next"})
ROLES: tuple[str, ...] = ("pm", "cs", "domain", "engineer", "other")
RETRO_KINDS: tuple[str, ...] = ("keep", "problem", "try")
TIMINGS: tuple[str, ...] = (
    "early morning", "business hours", "evening", "night", "start of month",
    "middle of month", "end of month", "month-end closing",
)

DEFAULT_PURPOSE = (
    "Imagine concrete failures before they happen, judge together how much each "
    "would hurt our customers, and choose what is worth doing about them."
)
DEFAULT_GROUND_RULES = (
    "Blameless: failures are prevented by mechanisms, not by effort.\n"
    "Be concrete: service, what fails, how long and when.\n"
    "Judge impact relatively, card against card; the product manager decides when opinions split.\n"
    "Countermeasures: breadth first, cost later."
)


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Previous:
    """Where a carried card came from, and the values it had there."""

    id: str
    impact: int | None = None
    likelihood: int | None = None
    decision: str | None = None
    # Kept in the session file but not in the JSON export (its format is fixed): None = not known.
    done: bool | None = None


@dataclass
class Session:
    id: str = field(default_factory=new_id)
    title: str = "Pre-mortem"
    date: str = ""
    context: str = ""
    purpose: str = DEFAULT_PURPOSE
    ground_rules: str = DEFAULT_GROUND_RULES
    rehearsal: bool = False
    current_phase: str = "intro"
    previous_session_id: str | None = None
    previous_context: str = ""      # the previous session's context, as its team wrote it
    previous_title: str = ""        # the session this one was carried from (empty: none)
    previous_date: str = ""         # its date, YYYY-MM-DD or empty
    previous_tries: list[str] = field(default_factory=list)  # its retrospective's "try" notes
    ended_at: str = ""  # when the facilitator ended the workshop: an ISO 8601 UTC instant, or empty


@dataclass
class Participant:
    name: str
    role: str = "engineer"
    id: str = field(default_factory=new_id)


@dataclass
class Phase:
    key: str
    planned_minutes: int
    spent_seconds: float = 0.0
    running_since: datetime | None = None  # UTC, aware

    @property
    def running(self) -> bool:
        return self.running_since is not None


@dataclass
class Failure:
    service: str
    failure: str
    period: str = ""
    timing: str = ""
    author: str = ""
    position: int = 0
    impact: int | None = None
    likelihood: int | None = None
    acceptable: bool = False
    notes: str = ""
    variant_of: str | None = None
    previous: Previous | None = None
    id: str = field(default_factory=new_id)

    @property
    def risk(self) -> int | None:
        """impact x likelihood; unset while either is unset (scoring.risk, inlined: it is hot)."""
        if self.impact is None or self.likelihood is None:
            return None
        return self.impact * self.likelihood

    @property
    def judged(self) -> bool:
        return self.impact is not None and self.likelihood is not None


@dataclass
class Countermeasure:
    text: str
    failure_ids: list[str] = field(default_factory=list)
    stage: str = "prevent"
    stage_position: int = 0
    intro_cost: int | None = None
    maintenance_cost: int | None = None
    effect: int | None = None
    decision: str = "undecided"
    rank: int = 0
    decision_note: str = ""
    owner: str = ""
    revisit_when: str = ""
    remind_on: str | None = None  # YYYY-MM-DD
    done: bool = False
    author: str = ""
    previous: Previous | None = None
    id: str = field(default_factory=new_id)


@dataclass
class RetroNote:
    kind: str
    text: str
    author: str = ""
    position: int = 0
    id: str = field(default_factory=new_id)


@dataclass
class Workshop:
    """A whole session: what one file holds."""

    session: Session = field(default_factory=Session)
    participants: list[Participant] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    countermeasures: list[Countermeasure] = field(default_factory=list)
    retro: list[RetroNote] = field(default_factory=list)

    def phase(self, key: str) -> Phase:
        for phase in self.phases:
            if phase.key == key:
                return phase
        raise KeyError(key)

    def failure_by_id(self) -> dict[str, Failure]:
        return {f.id: f for f in self.failures}

    def failure(self, failure_id: str) -> Failure | None:
        return next((f for f in self.failures if f.id == failure_id), None)

    def countermeasure(self, cm_id: str) -> Countermeasure | None:
        return next((c for c in self.countermeasures if c.id == cm_id), None)

    def retro_note(self, note_id: str) -> RetroNote | None:
        return next((n for n in self.retro if n.id == note_id), None)

    def participant(self, pid: str) -> Participant | None:
        return next((p for p in self.participants if p.id == pid), None)

    def without_authors(self) -> Workshop:
        """A copy with no card naming its author (blameless: for the shared screen and what is
        saved from it); the participants stay, as the room knows who came."""
        return replace(self, failures=[replace(f, author="") for f in self.failures],
                       countermeasures=[replace(c, author="") for c in self.countermeasures],
                       retro=[replace(n, author="") for n in self.retro])


def default_phases() -> list[Phase]:
    """The six phases of METHOD.md with their default timeboxes (120 minutes)."""
    return [Phase(key, DEFAULT_MINUTES[key]) for key in PHASE_KEYS]


def normalise_service(name: str) -> str:
    """Trim and fold inner white space; the case-insensitive key joins services."""
    return " ".join(name.split())


@lru_cache(maxsize=4096)
def service_key(name: str) -> str:
    """The key that joins a service typed with other case or spacing (a handful of names, looked up
    for every card on every change: cached)."""
    return normalise_service(name).casefold()
