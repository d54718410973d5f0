"""The iCalendar export (RFC 5545): one all-day event per dated reminder of a session."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from .. import __version__
from ..domain.reminders import Reminder, collect
from ..domain.model import Workshop
from ..i18n import _

PRODID = f"-//premortem-tui//premortem-tui {__version__}//EN"
LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
UID_DOMAIN = "premortem-tui"

# Control characters are not allowed in TEXT values (RFC 5545 3.3.11), except HTAB.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


class NoDatedReminders(ValueError):
    """The session has no reminder with a date: a calendar needs at least one event."""


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub("", value)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # a continuation line starts with a space
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _instant(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def event_uid(session_id: str, countermeasure_id: str) -> str:
    """Stable across exports, so a calendar that imports the file again updates the event."""
    return f"{session_id}.{countermeasure_id}@{UID_DOMAIN}"


def _description(r: Reminder) -> str:
    lines = []
    if r.condition:
        lines.append(_("When: {condition}").format(condition=r.condition))
    if r.owner:
        lines.append(_("Owner: {owner}").format(owner=r.owner))
    session = r.session_title if not r.session_date else f"{r.session_title} ({r.session_date})"
    lines.append(_("Session: {session}").format(session=session))
    if r.failures:
        lines.append(_("Answers:"))
        lines += [f"- {label}" for label in r.failures]
    if r.decision_note:
        lines.append(_("Decision note: {note}").format(note=r.decision_note))
    return "\n".join(lines)


def _event(r: Reminder, stamp: datetime) -> list[str]:
    assert r.remind_on is not None
    return [
        "BEGIN:VEVENT",
        f"UID:{event_uid(r.session_id, r.countermeasure_id)}",
        f"DTSTAMP:{_instant(stamp)}",
        f"DTSTART;VALUE=DATE:{_date(r.remind_on)}",
        f"DTEND;VALUE=DATE:{_date(r.remind_on + timedelta(days=1))}",
        f"SUMMARY:{escape_text(_('Reminder: {text}').format(text=r.text))}",
        f"DESCRIPTION:{escape_text(_description(r))}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def dated_reminders(w: Workshop, today: date) -> list[Reminder]:
    """The session's reminders that have a date (those with only a condition get no event)."""
    return [r for r in collect([("", w)], today) if r.remind_on is not None]


def render_ics(w: Workshop, stamp: datetime) -> str:
    """A VCALENDAR with one all-day VEVENT per dated reminder of ``w``; CRLF line endings.

    ``stamp`` is the DTSTAMP of every event (the moment of export). Raises
    NoDatedReminders when there is no event to write: RFC 5545 requires at
    least one component in a calendar.
    """
    reminders = sorted(dated_reminders(w, stamp.date()), key=lambda r: r.remind_on or date.max)
    if not reminders:
        raise NoDatedReminders(_("the session has no reminder with a date, so there is no event "
                                 "for a calendar"))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(_('Reminders: {title}').format(title=w.session.title))}"]
    for reminder in reminders:
        lines += _event(reminder, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
