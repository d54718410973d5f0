"""One vocabulary: the words the board, the exports and the screens use for the same thing.

Tables map a machine value (never shown, never translated) to its English msgid; ``_`` is
called where the text is shown, so the language can change at run time. ``long`` is the
heading form (board columns, phase titles); ``short`` the inline form (report cells).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..i18n import _

PHASES: Mapping[str, str] = {
    "intro": "Introduction", "failures": "Anticipated failures", "impact": "Customer impact",
    "countermeasures": "Countermeasures", "priority": "Priority", "retro": "Retrospective",
}
PHASES_SHORT: Mapping[str, str] = {"intro": "Intro", "failures": "Failures", "impact": "Impact",
                                   "countermeasures": "Measures", "priority": "Priority", "retro": "Retro"}
STAGES: Mapping[str, str] = {"prevent": "Prevent", "detect": "Detect", "respond": "Respond / mitigate",
                             "recover": "Recover", "learn": "Learn"}
STAGES_SHORT: Mapping[str, str] = {"prevent": "prevent", "detect": "detect", "respond": "respond",
                                   "recover": "recover", "learn": "learn"}
DECISIONS: Mapping[str, str] = {"undecided": "Undecided", "now": "Now", "next": "Next", "later": "Later",
                                "wont": "Won't"}
DECISIONS_SHORT: Mapping[str, str] = {"undecided": "undecided", "now": "now", "next": "next", "later": "later",
                                      "wont": "won't"}
RETRO_KINDS: Mapping[str, str] = {"keep": "Keep", "problem": "Problem", "try": "Try"}
ROLES: Mapping[str, str] = {"pm": "Product manager (decides)", "cs": "Customer success",
                            "domain": "Domain expert", "engineer": "Engineer", "other": "Other"}
ROLES_SHORT: Mapping[str, str] = {**ROLES, "pm": "Product manager"}
BANDS: Mapping[str, str] = {"low": "low", "moderate": "moderate", "high": "high", "critical": "critical"}
UNJUDGED = "unjudged"
# The grid's axes: a word and, for impact, what it means for customers.
IMPACTS: Mapping[int, tuple[str, str]] = {
    5: ("severe", "customers stop work; money or trust lost"),
    4: ("major", "a key task blocked for many customers"),
    3: ("moderate", "a workaround exists; support load rises"),
    2: ("minor", "some customers notice; little harm"),
    1: ("negligible", "barely noticed"),
}
LIKELIHOODS: Mapping[int, str] = {1: "rare", 2: "unlikely", 3: "possible", 4: "likely", 5: "almost certain"}
# The countdown's states, written beside the time (never colour alone).
TIMER_STATES: Mapping[str, str] = {"ok": "", "warning": "LAST MINUTE", "zero": "TIME UP", "overrun": "OVER TIME"}

# What each phase's board asks the room to do, under the agenda.
PHASE_GUIDE: Mapping[str, str] = {
    "intro": "Explain the pre-mortem and confirm its purpose. Who decides when opinions split: the product manager.",
    "failures": "Individual work: one card per anticipated failure. Service, what fails, how long, when.",
    "impact": "Team discussion: judge each failure relatively. Type impact then likelihood (1-5).",
    "countermeasures": "Individual work: countermeasures at every stage, prevent to learn. Breadth first, no cost "
                       "filter.",
    "priority": "Choose what to do: cost to introduce and to maintain against effect. Later? Set when, and a "
                "reminder.",
    "retro": "Look back on the workshop itself: keep, problem, try.",
}
IMPACT_PROMPTS = ("Ask: does the time of day or of the month change the impact? If users can still view "
                  "but not register, are they saved? (p hides this)")


def label(table: Mapping[Any, str], key: Any) -> str:
    """The shown word for ``key`` in the current language (an unknown key is shown as itself,
    an empty one as nothing)."""
    text = table.get(key, key)
    return _(text) if text else ""


def labels(table: Mapping[str, str]) -> dict[str, str]:
    """Every key of ``table`` with its shown word, looked up now (not at import)."""
    return {key: _(text) for key, text in table.items()}


def choices(table: Mapping[str, str]) -> list[tuple[str, str]]:
    """(shown word, key) pairs in the table's order: the options of a select field."""
    return [(_(text), key) for key, text in table.items()]
