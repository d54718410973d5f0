"""One vocabulary: the words the board, the exports and the screens use for the same thing.

Tables map a machine value (never shown, never translated) to its English msgid; ``_`` is
called where the text is shown, so the language can change at run time. ``long`` is the
heading form (board columns, phase titles); ``short`` the inline form (report cells).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..i18n import _

PHASES: Mapping[str, str] = {
    "intro": "Introduction", "failures": "Anticipated failures", "impact": "Customer impact",
    "countermeasures": "Countermeasures", "priority": "Priority", "retro": "Retrospective",
}
STAGES: Mapping[str, str] = {"prevent": "Prevent", "detect": "Detect", "respond": "Respond / mitigate",
                             "recover": "Recover", "learn": "Learn"}
STAGES_SHORT: Mapping[str, str] = {"prevent": "prevent", "detect": "detect", "respond": "respond",
                                   "recover": "recover", "learn": "learn"}
DECISIONS: Mapping[str, str] = {"undecided": "Undecided", "now": "Now", "next": "Next", "later": "Later",
                                "wont": "Won't"}
RETRO_KINDS: Mapping[str, str] = {"keep": "Keep", "problem": "Problem", "try": "Try"}
ROLES: Mapping[str, str] = {"pm": "Product manager (decides)", "cs": "Customer success",
                            "domain": "Domain expert", "engineer": "Engineer", "other": "Other"}
ROLES_SHORT: Mapping[str, str] = {**ROLES, "pm": "Product manager"}
BANDS: Mapping[str, str] = {"low": "low", "moderate": "moderate", "high": "high", "critical": "critical"}
UNJUDGED = "unjudged"


def label(table: Mapping[str, str], key: str) -> str:
    """The shown word for ``key`` in the current language (an unknown key is shown as itself)."""
    return _(table.get(key, key))


def labels(table: Mapping[str, str]) -> dict[str, str]:
    """Every key of ``table`` with its shown word, looked up now (not at import)."""
    return {key: _(text) for key, text in table.items()}
