"""The iCalendar export: checked by a strict reader of RFC 5545 written here, and by icalendar."""

import re
import sqlite3
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest

from premortem_tui.cli import main
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import Countermeasure, Failure, Session, Workshop
from premortem_tui.export.ics import NoDatedReminders, event_uid, render_ics
from premortem_tui.store.service import SessionService

TODAY = date(2026, 3, 10)
STAMP = datetime(2026, 3, 10, 9, 30, 5, tzinfo=timezone.utc)
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "X-WR-CALNAME"}
_NAME = re.compile(r"[A-Za-z0-9-]+")


def parse_strict(text: str) -> list[dict]:
    """The components of an iCalendar stream, failing on anything RFC 5545 does not allow here.

    Returns the components depth-first as {"name", "props": [(name, params, value)], "depth"}.
    """
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n"), "the stream ends with CRLF"
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert b"\r" not in line and b"\n" not in line, f"bare CR or LF in {line!r}"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # folding never cut a character in two
    logical: list[str] = []
    for line in physical:
        text_line = line.decode("utf-8")
        if text_line[:1] in (" ", "\t"):
            assert logical, "a continuation line cannot come first"
            logical[-1] += text_line[1:]
        else:
            logical.append(text_line)
    stack: list[dict] = []
    components: list[dict] = []
    for line in logical:
        head, sep, value = line.partition(":")
        assert sep, f"no colon in {line!r}"
        name, *params = head.split(";")
        assert _NAME.fullmatch(name), f"bad property name {name!r}"
        for param in params:
            key, eq, _value = param.partition("=")
            assert eq and _NAME.fullmatch(key), f"bad parameter {param!r}"
        name = name.upper()
        if name == "BEGIN":
            component = {"name": value, "props": [], "depth": len(stack)}
            if not stack:
                assert not components, "one VCALENDAR per stream"
                assert value == "VCALENDAR"
            stack.append(component)
            components.append(component)
        elif name == "END":
            assert stack and stack[-1]["name"] == value, f"END:{value} does not close {stack[-1:]}"
            stack.pop()
        else:
            assert stack, f"property outside a component: {line!r}"
            if name in TEXT_PROPERTIES:
                _check_text(value)
            stack[-1]["props"].append((name, params, value))
    assert not stack, "unbalanced BEGIN/END"
    return components


def _check_text(value: str) -> None:
    """A TEXT value: commas and semicolons escaped, only the escapes RFC 5545 defines."""
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            assert value[i + 1:i + 2] in ("\\", ";", ",", "n", "N"), f"bad escape in {value!r}"
            i += 2
            continue
        assert ch not in ",;", f"unescaped {ch!r} in {value!r}"
        assert ord(ch) >= 0x20 or ch == "\t", f"control character in {value!r}"
        i += 1


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _props(component: dict, name: str) -> list[tuple[list[str], str]]:
    return [(params, value) for n, params, value in component["props"] if n == name]


def _one(component: dict, name: str) -> tuple[list[str], str]:
    found = _props(component, name)
    assert len(found) == 1, f"{component['name']} has {len(found)} {name}"
    return found[0]


def _date_value(params: list[str], value: str) -> date:
    assert params == ["VALUE=DATE"], params
    assert re.fullmatch(r"\d{8}", value), value
    return datetime.strptime(value, "%Y%m%d").date()


def events(text: str) -> list[dict]:
    """Parse strictly and check what every calendar and event must have."""
    components = parse_strict(text)
    calendar = components[0]
    assert _one(calendar, "VERSION")[1] == "2.0"
    assert _one(calendar, "PRODID")[1]
    found = [c for c in components if c["name"] == "VEVENT"]
    assert found, "a calendar holds at least one component"
    for event in found:
        assert event["depth"] == 1
        assert _one(event, "UID")[1]
        assert re.fullmatch(r"\d{8}T\d{6}Z", _one(event, "DTSTAMP")[1])
        start = _date_value(*_one(event, "DTSTART"))
        if start < date.max:
            assert _date_value(*_one(event, "DTEND")) == start + timedelta(days=1)
        else:  # no next day to end on: a DATE start alone is one day (RFC 5545 3.6.1)
            assert not _props(event, "DTEND")
        event["start"] = start
        event["summary"] = unescape(_one(event, "SUMMARY")[1])
        event["description"] = unescape(_one(event, "DESCRIPTION")[1])
    uids = [_one(e, "UID")[1] for e in found]
    assert len(set(uids)) == len(uids)
    return found


# -- the demo ------------------------------------------------------------------


def test_demo_gives_one_event_per_dated_reminder():
    w = demo_workshop(TODAY)
    text = render_ics(w, STAMP)
    found = events(text)
    assert [e["start"] for e in found] == [TODAY - timedelta(days=3), TODAY + timedelta(days=61)]
    replay = found[0]
    assert replay["summary"] == "Reminder: Replay queued dispatch assignments after an outage"
    description = replay["description"]
    assert "When: after the dispatch queue migration" in description
    assert f"Session: {w.session.title} ({w.session.date})" in description
    assert "- Dispatch: Dispatchers cannot assign jobs to drivers" in description
    assert "Owner: Daichi Sato" in description
    assert _one(replay, "DTSTAMP")[1] == "20260310T093005Z"
    cm = next(c for c in w.countermeasures if c.text.startswith("Replay"))
    assert _one(replay, "UID")[1] == event_uid(w.session.id, cm.id)


def test_uids_are_stable_across_exports():
    first = [_one(e, "UID")[1] for e in events(render_ics(demo_workshop(TODAY), STAMP))]
    later = [_one(e, "UID")[1] for e in events(render_ics(demo_workshop(TODAY + timedelta(days=40)),
                                                          STAMP + timedelta(days=40)))]
    assert first == later


def test_condition_only_done_and_other_decisions_get_no_event():
    cms = [
        Countermeasure("dated", decision="later", remind_on="2026-04-01"),
        Countermeasure("condition only", decision="later", revisit_when="after the audit"),
        Countermeasure("done", decision="later", remind_on="2026-04-02", done=True),
        Countermeasure("chosen", decision="now", remind_on="2026-04-03"),
    ]
    found = events(render_ics(Workshop(session=Session(title="T", date="2026-03-01"), countermeasures=cms), STAMP))
    assert [e["summary"] for e in found] == ["Reminder: dated"]
    assert "When:" not in found[0]["description"]


def test_no_dated_reminder_is_refused():
    w = Workshop(countermeasures=[Countermeasure("x", decision="later", revisit_when="someday")])
    with pytest.raises(NoDatedReminders):
        render_ics(w, STAMP)


# -- escaping and folding ------------------------------------------------------


def test_special_characters_survive_escaping():
    nasty = "Back\\slash, comma; semicolon\nnew line\r\nCRLF\x07bell"
    failure = Failure("API, v2", "Times out; 5xx\nat peak")
    cm = Countermeasure(nasty, [failure.id], decision="later", revisit_when="when A, B; C\\D",
                        remind_on="2026-05-01", owner="O'Brien")
    w = Workshop(session=Session(title="Q2; \"big\", one", date="2026-03-01"), failures=[failure],
                 countermeasures=[cm])
    (event,) = events(render_ics(w, STAMP))
    assert event["summary"] == "Reminder: Back\\slash, comma; semicolon\nnew line\nCRLF\\x07bell"
    assert "When: when A, B; C\\D" in event["description"]
    assert "- API, v2: Times out; 5xx\nat peak" in event["description"]
    assert 'Session: Q2; "big", one (2026-03-01)' in event["description"]


def test_long_and_wide_lines_fold_at_75_octets_on_character_boundaries():
    text = "請求書を1件も発行できない場合に備えて手動発行の手順書を整備し、CSが顧客に電話する" * 4
    w = Workshop(session=Session(title="請求", date="2026-03-01"),
                 countermeasures=[Countermeasure(text, decision="later", remind_on="2026-05-01")])
    rendered = render_ics(w, STAMP)
    (event,) = events(rendered)  # parse_strict checks every physical line
    assert event["summary"] == f"Reminder: {text}"
    assert any(line.startswith(" ") for line in rendered.split("\r\n"))


def test_a_naive_stamp_is_taken_as_utc():
    (event,) = events(render_ics(Workshop(countermeasures=[
        Countermeasure("x", decision="later", remind_on="2026-05-01")]), datetime(2026, 1, 2, 3, 4, 5)))
    assert _one(event, "DTSTAMP")[1] == "20260102T030405Z"


# -- a second reader, and the command line ---------------------------------------


def test_icalendar_reads_it():
    w = demo_workshop(TODAY)
    calendar = icalendar.Calendar.from_ical(render_ics(w, STAMP))
    found = list(calendar.walk("VEVENT"))
    assert len(found) == 2
    replay = found[0]
    assert replay.decoded("DTSTART") == TODAY - timedelta(days=3)
    assert replay.decoded("DTEND") == TODAY - timedelta(days=2)
    assert str(replay["SUMMARY"]) == "Reminder: Replay queued dispatch assignments after an outage"
    assert "When: after the dispatch queue migration" in str(replay["DESCRIPTION"])
    assert str(calendar["VERSION"]) == "2.0"
    assert not calendar.errors and not any(e.errors for e in found)


def test_export_command_writes_ics(tmp_path, capsys):
    path = str(tmp_path / "demo.premortem")
    with SessionService.open(path, create=True) as service:
        service.import_workshop(demo_workshop(date.today()), whole_session=True)
    assert main(["export", path, "--format", "ics"]) == 0
    out = capsys.readouterr().out
    assert len(events(out)) == 2
    target = tmp_path / "reminders.ics"
    assert main(["export", path, "--format", "ics", "-o", str(target)]) == 0
    assert len(events(target.read_bytes().decode("utf-8"))) == 2
    assert b"\r\n" in target.read_bytes() and b"\r\r\n" not in target.read_bytes()


def test_export_command_refuses_a_session_without_dated_reminders(tmp_path, capsys):
    path = str(tmp_path / "plain.premortem")
    with SessionService.open(path, create=True) as service:
        cm = service.add_countermeasure("Second payment provider", [], "respond")
        service.decide(cm.id, "later", None)
        service.update_countermeasure(cm.id, revisit_when="when card volume doubles")
    assert main(["export", path, "--format", "ics"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("premortem: ")


# -- text and ids from a file written by another program ---------------------------

INJECTED = "\r\nATTENDEE:mailto:attacker@evil.example\r\nX-A:"


def _parsed_events(text: str) -> list:
    calendar = icalendar.Calendar.from_ical(text)
    assert not calendar.errors
    return list(calendar.walk("VEVENT"))


def _names(text: str) -> set[str]:
    return {name for component in icalendar.Calendar.from_ical(text).walk() for name in component}


def test_a_hostile_id_adds_no_property():
    cm = Countermeasure("Rotate keys", decision="later", remind_on="2026-05-01", id="evil" + INJECTED)
    w = Workshop(session=Session(id="s" + INJECTED, title="T"), countermeasures=[cm])
    text = render_ics(w, STAMP)
    (event,) = events(text)
    assert len(_parsed_events(text)) == 1
    assert not {"ATTENDEE", "X-A"} & _names(text)
    uid = _one(event, "UID")[1]
    assert re.fullmatch(r"[A-Za-z0-9._:-]+@premortem-tui", uid), uid
    assert uid == event_uid(w.session.id, cm.id)  # a digest, so the same on every export
    assert event_uid("s1", "c1") == "s1.c1@premortem-tui"  # a valid id stays readable


def test_hostile_text_stays_inside_its_value():
    failure = Failure("API", "Down" + INJECTED)
    cm = Countermeasure("Rotate" + INJECTED, [failure.id], decision="later", remind_on="2026-05-01",
                        owner="ops\rATTENDEE:mailto:x@evil.example", revisit_when="when\x1b]0;pwned\x07",
                        decision_note="note\nEND:VEVENT\nBEGIN:VEVENT")
    w = Workshop(session=Session(title="Q3\r\nX-A:1", date="2026-03-01"), failures=[failure], countermeasures=[cm])
    text = render_ics(w, STAMP)
    (event,) = events(text)
    assert len(_parsed_events(text)) == 1
    assert not {"ATTENDEE", "X-A"} & _names(text)
    assert "\x1b" not in text and "When: when\\x1b]0;pwned\\x07" in event["description"]
    assert event["summary"] == "Reminder: Rotate\nATTENDEE:mailto:attacker@evil.example\nX-A:"
    assert "Owner: ops\nATTENDEE:mailto:x@evil.example" in event["description"]
    assert "Decision note: note\nEND:VEVENT\nBEGIN:VEVENT" in event["description"]


def test_the_last_date_a_calendar_can_hold_exports():
    w = Workshop(session=Session(title="T"), countermeasures=[
        Countermeasure("far", decision="later", remind_on="9999-12-31"),
        Countermeasure("near", decision="later", remind_on="0001-01-01")])
    text = render_ics(w, STAMP)
    assert [e["start"] for e in events(text)] == [date.min, date.max]
    far = _parsed_events(text)[1]
    assert far.decoded("DTSTART") == date.max and "DTEND" not in far


def test_export_command_writes_the_last_date(tmp_path, capsys):
    path = str(tmp_path / "far.premortem")
    with SessionService.open(path, create=True) as service:
        cm = service.add_countermeasure("Renew the domain", [], "prevent")
        service.decide(cm.id, "later", None)
    raw = sqlite3.connect(path)  # input refuses dates past 2999; another program's file may hold one
    with raw:
        raw.execute("UPDATE countermeasure SET remind_on = '9999-12-31' WHERE id = ?", (cm.id,))
    raw.close()
    assert main(["export", path, "--format", "ics"]) == 0
    (event,) = events(capsys.readouterr().out)
    assert event["start"] == date.max
