"""Validation with messages a facilitator can act on."""

from __future__ import annotations

import re
from datetime import date

from .model import DECISIONS, PHASE_KEYS, RETRO_KINDS, ROLES, STAGES
from .plaintext import describe, first_unsafe

MAX_SHORT = 200   # service, period, timing, names, owner
MAX_LONG = 4000   # failure text, notes, context


class ValidationError(ValueError):
    """Bad input; the message says which field and why."""


def score(name: str, value: object) -> int | None:
    """1-5 or unset (None). Accepts ints and digit strings; anything else is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    if isinstance(value, str) and value.strip().isdecimal():  # "²" is a digit int() refuses
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    return value


def text(name: str, value: object, *, required: bool = False, max_len: int = MAX_SHORT) -> str:
    """A string, trimmed; required text must not be empty; long text is refused, not cut.

    Control and bidi characters are refused (``plaintext``); long text (``max_len`` above
    MAX_SHORT) may hold tabs and line breaks, short text may not.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be text, not {type(value).__name__}")
    value = value.strip()
    bad = first_unsafe(value, multiline=max_len > MAX_SHORT)
    if bad is not None:
        what = "a line break or tab" if bad in "\t\n" else f"the control character {describe(bad)}"
        raise ValidationError(f"{name} must not contain {what}")
    if required and not value:
        raise ValidationError(f"{name} must not be empty")
    if len(value) > max_len:
        raise ValidationError(f"{name} is too long ({len(value)} characters, at most {max_len})")
    return value


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValidationError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
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


def iso_date(name: str, value: object) -> str | None:
    """YYYY-MM-DD or unset."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValidationError(f"{name} must be a date as YYYY-MM-DD, not {value!r}")
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"{name} is not a real date: {value!r}") from None
    return value.strip()


_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def card_id(value: object) -> str:
    """Ids are 1-64 letters, digits and ``. _ : -`` (the app makes UUIDs).

    The charset is narrow because an id lands in places that give characters a meaning:
    an iCalendar UID, a CSV cell, a file name.
    """
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValidationError(f"an id must be 1-64 letters, digits or . _ : -, not {value!r}"[:200])
    return value
