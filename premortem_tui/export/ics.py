"""The iCalendar export (RFC 5545): one all-day event per dated reminder of a session.

Every property is built by the icalendar library, which escapes TEXT values
(``\\ ; ,`` and line breaks) and folds lines at 75 octets: a card's text, even
one holding CR LF and a property of its own, stays inside its value.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar, Event, vText

from .. import __version__
from ..domain.model import Workshop
from ..domain.plaintext import visible
from ..domain.reminders import Reminder, collect
from ..domain.validate import ValidationError, card_id
from ..i18n import _

PRODID = f"-//premortem-tui//premortem-tui {__version__}//EN"
UID_DOMAIN = "premortem-tui"


class NoDatedReminders(ValueError):
    """The session has no reminder with a date: a calendar needs at least one event."""


def _text(value: str) -> vText:
    """A TEXT value: line breaks as LF (icalendar writes them as ``\\n``); control characters,
    which RFC 5545 3.3.11 forbids, spelt out as on screen."""
    return vText(visible(value.replace("\r\n", "\n").replace("\r", "\n")))


def _uid_part(value: str) -> str:
    """An id as it is when it has the charset import allows, else a stable digest of it:
    a session file written by another program may hold any id."""
    try:
        return card_id(value)
    except ValidationError:
        return "sha256-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def event_uid(session_id: str, countermeasure_id: str) -> str:
    """Stable across exports, so a calendar that imports the file again updates the event."""
    return f"{_uid_part(session_id)}.{_uid_part(countermeasure_id)}@{UID_DOMAIN}"


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


def _event(r: Reminder, stamp: datetime) -> Event:
    assert r.remind_on is not None
    event = Event()
    event.add("uid", event_uid(r.session_id, r.countermeasure_id))
    event.add("dtstamp", stamp)
    event.add("dtstart", r.remind_on)
    # An all-day event ends the next day; on the last day a date can have, DTEND is left out,
    # which RFC 5545 3.6.1 reads as the same one day.
    if r.remind_on < date.max:
        event.add("dtend", r.remind_on + timedelta(days=1))
    event.add("summary", _text(_("Reminder: {text}").format(text=r.text)))
    event.add("description", _text(_description(r)))
    event.add("transp", "TRANSPARENT")
    return event


def dated_reminders(w: Workshop, today: date) -> list[Reminder]:
    """The session's reminders that have a date (those with only a condition get no event)."""
    return [r for r in collect([("", w)], today) if r.remind_on is not None]


def render_ics(w: Workshop, stamp: datetime) -> str:
    """A VCALENDAR with one all-day VEVENT per dated reminder of ``w``; CRLF line endings.

    ``stamp`` is the DTSTAMP of every event (the moment of export; naive means UTC).
    Raises NoDatedReminders when there is no event to write: RFC 5545 requires at
    least one component in a calendar.
    """
    reminders = sorted(dated_reminders(w, stamp.date()), key=lambda r: r.remind_on or date.max)
    if not reminders:
        raise NoDatedReminders(_("the session has no reminder with a date, so there is no event "
                                 "for a calendar"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    stamp = stamp.astimezone(timezone.utc)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(_("Reminders: {title}").format(title=w.session.title)))
    for reminder in reminders:
        calendar.add_component(_event(reminder, stamp))
    return calendar.to_ical(sorted=False).decode("utf-8")
