"""Validation with messages a facilitator can act on."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from ..i18n import _
from .model import DECISIONS, PHASE_KEYS, RETRO_KINDS, ROLES, STAGES, normalise_service
from .plaintext import describe, first_unsafe

MAX_SHORT = 200   # service, period, timing, names, owner
MAX_LONG = 4000   # failure text, notes, context


class ValidationError(ValueError):
    """Bad input; the message says which field and why."""


def shown(value: object, limit: int = 60) -> str:
    """``value`` quoted for a refusal: repr (which spells out control characters), cut short."""
    if isinstance(value, (list, dict)):  # repr of a large or deep container is slow, long or recursive
        return f"an array of {len(value)} items" if isinstance(value, list) else f"an object with {len(value)} keys"
    quoted = repr(value)
    return quoted if len(quoted) <= limit else quoted[:limit - 3] + "..."


MAX_MINUTES = 600  # a phase of ten hours is a typing error


def minutes(name: str, value: object) -> int:
    """A phase's planned minutes: a whole number from 1 to MAX_MINUTES (digits typed in a form too)."""
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise ValidationError(_("{name} must be a whole number of minutes from 1 to {most}, not {value}").format(
            name=_(name), most=MAX_MINUTES, value=shown(value)))
    return value


def score(name: str, value: object) -> int | None:
    """1-5 or unset (None). Accepts ints and digit strings; anything else is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("{name} must be a whole number from 1 to 5, not {value}").format(
            name=_(name), value=shown(value)))
    if isinstance(value, str) and value.strip().isdecimal():  # "²" is a digit int() refuses
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(_("{name} must be a whole number from 1 to 5, not {value}").format(
            name=_(name), value=shown(value)))
    return value


def text(name: str, value: object, *, required: bool = False, max_len: int = MAX_SHORT) -> str:
    """A string, trimmed; required text must not be empty; long text is refused, not cut.

    Control and bidi characters are refused (``plaintext``); long text (``max_len`` above
    MAX_SHORT) may hold tabs and line breaks, short text may not.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("{name} must be text, not {kind}").format(name=_(name), kind=type(value).__name__))
    value = value.strip()
    bad = first_unsafe(value, multiline=max_len > MAX_SHORT)
    if bad is not None:
        what = _("a line break or tab") if bad in "\t\n" else \
            _("the control character {name}").format(name=describe(bad))
        raise ValidationError(_("{name} must not contain {what}").format(name=_(name), what=what))
    if required and not value:
        raise ValidationError(_("{name} must not be empty").format(name=_(name)))
    if len(value) > max_len:
        raise ValidationError(_("{name} is too long ({length} characters, at most {max_len})").format(
            name=_(name), length=len(value), max_len=max_len))
    return value


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValidationError(_("{name} must be one of {allowed}, not {value}").format(
            name=_(name), allowed=", ".join(allowed), value=shown(value)))
    return value  # type: ignore[return-value]


def stage(value: object) -> str:
    return choice("stage", value, STAGES)


def decision(value: object) -> str:
    return choice("decision", value, DECISIONS)


def role(value: object) -> str:
    return choice("role", value, ROLES)


def retro_kind(value: object) -> str:
    return choice("kind", value, RETRO_KINDS)


def phase_key(value: object) -> str:
    return choice("phase", value, PHASE_KEYS)


# A workshop date or a reminder outside these is a typo; the bounds also keep date
# arithmetic (a day later, an iCalendar end date, a time zone shift) inside datetime's range.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def in_range(name: str, day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(_("{name} must be between {first} and {last}, not {day}").format(
            name=_(name), first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat(), day=day.isoformat()))


def iso_date(name: str, value: object) -> str | None:
    """YYYY-MM-DD from FIRST_DAY to LAST_DAY, or unset."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValidationError(_("{name} must be a date as YYYY-MM-DD, not {value}").format(
            name=_(name), value=shown(value)))
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(_("{name} is not a real date: {value!r}").format(name=_(name), value=value)) from None
    in_range(name, day)
    return value.strip()


_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def card_id(value: object) -> str:
    """Ids are 1-64 letters, digits and ``. _ : -`` (the app makes UUIDs).

    The charset is narrow because an id lands in places that give characters a meaning:
    an iCalendar UID, a CSV cell, a file name.
    """
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValidationError(_("an id must be 1-64 letters, digits or . _ : -, not {value}").format(
            value=repr(value)[:150]))
    return value


# The fields a change may set on a session, participant or card, each with its check.
SESSION_FIELDS: dict[str, Callable[[Any], Any]] = {
    "title": lambda v: text("title", v, required=True),
    "date": lambda v: iso_date("date", v) or "",
    "context": lambda v: text("context", v, max_len=MAX_LONG),
    "purpose": lambda v: text("purpose", v, max_len=MAX_LONG),
    "ground_rules": lambda v: text("ground rules", v, max_len=MAX_LONG),
    "rehearsal": bool,
    "current_phase": phase_key,
    "previous_session_id": lambda v: v,
    "previous_context": lambda v: text("previous context", v, max_len=MAX_LONG),
}
PARTICIPANT_FIELDS: dict[str, Callable[[Any], Any]] = {
    "name": lambda v: text("name", v, required=True),
    "role": role,
}
FAILURE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "service": lambda v: normalise_service(text("service", v, required=True)),
    "failure": lambda v: text("failure", v, required=True, max_len=MAX_LONG),
    "period": lambda v: text("period", v),
    "timing": lambda v: text("timing", v),
    "author": lambda v: text("author", v),
    "impact": lambda v: score("impact", v),
    "likelihood": lambda v: score("likelihood", v),
    "acceptable": bool,
    "notes": lambda v: text("notes", v, max_len=MAX_LONG),
    "variant_of": lambda v: v or None,
}
COUNTERMEASURE_FIELDS: dict[str, Callable[[Any], Any]] = {
    "text": lambda v: text("countermeasure", v, required=True, max_len=MAX_LONG),
    "stage": stage,
    "intro_cost": lambda v: score("introduction cost", v),
    "maintenance_cost": lambda v: score("maintenance cost", v),
    "effect": lambda v: score("effect", v),
    "decision": decision,
    "decision_note": lambda v: text("decision note", v, max_len=MAX_LONG),
    "owner": lambda v: text("owner", v),
    "revisit_when": lambda v: text("condition", v),
    "remind_on": lambda v: iso_date("reminder date", v),
    "done": bool,
    "author": lambda v: text("author", v),
}
RETRO_FIELDS: dict[str, Callable[[Any], Any]] = {
    "kind": retro_kind,
    "text": lambda v: text("note", v, required=True, max_len=MAX_LONG),
    "author": lambda v: text("author", v),
}


def clean(fields: dict[str, Any], rules: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """``fields`` checked and normalised by ``rules``; a field the rules do not name is refused."""
    unknown = set(fields) - set(rules)
    if unknown:
        raise ValidationError(_("unknown field {field!r}").format(field=sorted(unknown)[0]))
    return {name: rules[name](value) for name, value in fields.items()}
