"""Reminders: which countermeasures are listed, once, in which order; and ``premortem reminders``."""

import hashlib
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

import pytest

from premortem_tui.cli import main
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import Countermeasure, Failure, Previous, Session, Workshop, new_id
from premortem_tui.domain.reminders import collect, needs_reminder
from premortem_tui.store.locations import store_dir
from premortem_tui.store.service import SessionService

TODAY = date(2026, 3, 10)


def _later(text: str, remind_on: date | None = None, condition: str = "", **extra) -> Countermeasure:
    return Countermeasure(text, decision="later", revisit_when=condition,
                          remind_on=remind_on.isoformat() if remind_on else None, **extra)


def _session(title: str, day: str, *cms: Countermeasure, failures=()) -> Workshop:
    return Workshop(session=Session(title=title, date=day), failures=list(failures), countermeasures=list(cms))


def _carry(w: Workshop, title: str, day: str) -> Workshop:
    """What carrying does to the cards: new ids, each remembering the card it came from."""
    fids = {f.id: new_id() for f in w.failures}
    failures = [replace(f, id=fids[f.id], previous=Previous(f.id, f.impact, f.likelihood)) for f in w.failures]
    cms = [replace(c, id=new_id(), failure_ids=[fids[i] for i in c.failure_ids if i in fids],
                   previous=Previous(c.id, decision=c.decision)) for c in w.countermeasures]
    return Workshop(session=Session(title=title, date=day, previous_session_id=w.session.id),
                    failures=failures, countermeasures=cms)


# -- collection rules ----------------------------------------------------------


def test_demo_has_one_overdue_and_one_future_reminder():
    w = demo_workshop(TODAY)
    found = collect([("demo.premortem", w)], TODAY)
    assert [r.text for r in found] == ["Replay queued dispatch assignments after an outage",
                                       "Re-send proof-of-delivery photos from the phone's queue on reconnect"]
    overdue, future = found
    assert overdue.due and overdue.overdue and overdue.remind_on == TODAY - timedelta(days=3)
    assert not future.due and not future.overdue
    assert overdue.condition == "after the dispatch queue migration"
    assert overdue.owner == "Daichi Sato" and overdue.decision == "later"
    assert overdue.failures == ("Dispatch: Dispatchers cannot assign jobs to drivers",)
    assert overdue.session_id == w.session.id and overdue.session_path == "demo.premortem"
    assert overdue.session_title == w.session.title


def test_due_first_then_by_date_then_condition_only():
    cms = [
        _later("condition only", condition="when the budget is approved"),
        _later("next month", TODAY + timedelta(days=30)),
        _later("today", TODAY),
        _later("tomorrow", TODAY + timedelta(days=1)),
        _later("last week", TODAY - timedelta(days=7)),
        _later("yesterday", TODAY - timedelta(days=1), condition="after the migration"),
    ]
    found = collect([("a", _session("A", "2026-03-01", *cms))], TODAY)
    assert [r.text for r in found] == ["last week", "yesterday", "today", "tomorrow", "next month",
                                       "condition only"]
    assert [(r.due, r.overdue) for r in found] == [
        (True, True), (True, True), (True, False), (False, False), (False, False), (False, False)]


def test_ordering_spans_sessions():
    a = _session("A", "2026-01-01", _later("a later", TODAY + timedelta(days=5)), _later("a cond", condition="x"))
    b = _session("B", "2026-02-01", _later("b due", TODAY - timedelta(days=2)), _later("b cond", condition="y"))
    found = collect([("b", b), ("a", a)], TODAY)
    assert [r.text for r in found] == ["b due", "a later", "b cond", "a cond"]
    assert [r.session_title for r in found] == ["B", "A", "B", "A"]


def test_done_not_later_and_bare_later_are_left_out():
    cms = [
        _later("done", TODAY, done=True),
        Countermeasure("chosen now", decision="now", remind_on=TODAY.isoformat(), revisit_when="x"),
        Countermeasure("won't", decision="wont", revisit_when="when asked"),
        Countermeasure("undecided", revisit_when="later maybe"),
        _later("bare later"),
        _later("blank condition", condition="   "),
        _later("kept", condition="after the audit"),
    ]
    found = collect([("a", _session("A", "2026-03-01", *cms))], TODAY)
    assert [r.text for r in found] == ["kept"]


def test_needs_reminder():
    assert needs_reminder(_later("bare"))
    assert needs_reminder(_later("blank", condition="  "))
    assert not needs_reminder(_later("dated", TODAY))
    assert not needs_reminder(_later("conditioned", condition="after the audit"))
    assert not needs_reminder(_later("done", done=True))
    assert not needs_reminder(Countermeasure("now", decision="now"))
    assert not needs_reminder(Countermeasure("undecided"))


def test_a_reminder_date_that_is_not_a_date_counts_as_unset():
    cm = _later("odd", condition="after the audit")
    cm.remind_on = "next spring"
    (found,) = collect([("a", _session("A", "2026-03-01", cm))], TODAY)
    assert found.remind_on is None and not found.due
    bare = _later("odd and bare")
    bare.remind_on = "2026-02-30"
    assert collect([("a", _session("A", "2026-03-01", bare))], TODAY) == []
    assert needs_reminder(bare)


def test_a_carried_chain_is_listed_once_from_the_newest_session():
    failure = Failure("Billing", "No invoice")
    first = _session("Q1", "2026-01-10", _later("replay", TODAY - timedelta(days=1), "after the migration",
                                                failure_ids=[failure.id], owner="Eva"),
                     _later("only in Q1", condition="someday"), failures=[failure])
    second = _carry(first, "Q2", "2026-02-10")
    second.countermeasures[1].decision = "now"  # decided at the second meeting
    third = _carry(second, "Q3", "2026-03-10")
    third.countermeasures[0].owner = "Ben"
    for order in ([first, second, third], [third, first, second], [second, third, first]):
        found = collect([(w.session.title, w) for w in order], TODAY)
        assert [(r.text, r.session_title, r.owner) for r in found] == [("replay", "Q3", "Ben")]
        assert found[0].countermeasure_id == third.countermeasures[0].id
        assert found[0].failures == ("Billing: No invoice",)


def test_a_countermeasure_decided_at_the_next_meeting_is_no_longer_listed():
    first = _session("Q1", "2026-01-10", _later("replay", TODAY))
    second = _carry(first, "Q2", "2026-02-10")
    second.countermeasures[0].decision = "next"
    assert collect([("1", first), ("2", second)], TODAY) == []
    assert [r.session_title for r in collect([("1", first)], TODAY)] == ["Q1"]


def test_a_card_carried_twice_is_listed_from_the_newer_carry():
    first = _session("Q1", "2026-01-10", _later("replay", TODAY))
    rehearsal = _carry(first, "Q2 rehearsal", "2026-02-01")
    meeting = _carry(first, "Q2", "2026-02-10")
    for order in ([rehearsal, meeting, first], [meeting, first, rehearsal]):
        found = collect([(w.session.title, w) for w in order], TODAY)
        assert [r.session_title for r in found] == ["Q2"]


def test_a_copy_with_the_same_ids_is_listed_once():
    w = demo_workshop(TODAY)
    found = collect([("copy.premortem", w), ("demo.premortem", demo_workshop(TODAY))], TODAY)
    assert len(found) == 2 and {r.session_path for r in found} == {"copy.premortem"}


def test_no_sessions_no_reminders():
    assert collect([], TODAY) == []
    assert collect([("empty", Workshop())], TODAY) == []


# -- the command line ----------------------------------------------------------


def _write(path, workshop: Workshop) -> str:
    with SessionService.open(str(path), create=True) as service:
        service.import_workshop(workshop, whole_session=True)
    return str(path)


def _store_with_two_sessions() -> tuple[str, str]:
    """The demo, and a small session written through the service's own methods."""
    directory = store_dir()
    directory.mkdir(parents=True)
    demo = _write(directory / "demo.premortem", demo_workshop(date.today()))
    path = str(directory / "checkout.premortem")
    with SessionService.open(path, create=True, title="Checkout pre-mortem") as service:
        failure = service.add_failure("Checkout", "Card payments fail")
        cm = service.add_countermeasure("Second payment provider", [failure.id], "respond")
        service.decide(cm.id, "later", None)
        service.update_countermeasure(cm.id, revisit_when="when card volume doubles", owner="Mia")
        due = service.add_countermeasure("Retry failed payments, with an alert", [failure.id], "recover")
        service.decide(due.id, "later", None)
        service.update_countermeasure(due.id, remind_on=date.today().isoformat(), owner="Noah")
        bare = service.add_countermeasure("Synthetic checkout every minute", [failure.id], "detect")
        service.decide(bare.id, "later", None)
    return demo, path


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_reminders_of_the_store(capsys):
    demo, checkout = _store_with_two_sessions()
    before = {p: _digest(p) for p in (demo, checkout)}
    assert main(["reminders"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 4
    overdue, due, future, condition = lines
    assert overdue.startswith("OVERDUE ") and "Replay queued dispatch assignments" in overdue
    assert "Daichi Sato" in overdue and overdue.endswith("Dispatch platform pre-mortem (demo)")
    assert due.startswith(f"DUE {date.today().isoformat()}") and "Retry failed payments, with an alert" in due
    assert "Noah" in due and due.endswith("Checkout pre-mortem")
    assert future.startswith((date.today() + timedelta(days=61)).isoformat())
    assert "Mia" in condition
    assert "Synthetic checkout" not in out  # later without a condition or a date is no reminder
    # Each line: its date, then its condition beside it ("-" for the one that has none).
    assert [line.split("  ")[0].strip() for line in lines] == [
        f"OVERDUE {(date.today() - timedelta(days=3)).isoformat()}", f"DUE {date.today().isoformat()}",
        (date.today() + timedelta(days=61)).isoformat(), "-"]
    assert [line.split("  ", 1)[1].strip().split("  ")[0] for line in lines] == [
        "when: after the dispatch queue migration", "-", "when: when the first enterprise shipper contract is signed",
        "when: when card volume doubles"]
    # Aligned: every line's columns start at the same places.
    assert len({line.index(when) for line, when in zip(lines, ("when:", "-  ", "when:", "when:"))}) == 1
    assert len({line.index(text) for line, text in zip(lines, ("Replay", "Retry", "Re-send", "Second"))}) == 1
    assert len({line.index(owner) for line, owner in zip(lines, ("Daichi Sato", "Noah", "Eva Novak", "Mia"))}) == 1
    assert {p: _digest(p) for p in (demo, checkout)} == before  # listing reads, never writes


def test_reminders_due_only(capsys):
    _store_with_two_sessions()
    assert main(["reminders", "--due"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["OVERDUE", "DUE"]


def test_reminders_of_given_files(capsys, tmp_path):
    demo, checkout = _store_with_two_sessions()
    assert main(["reminders", checkout, checkout]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.endswith("Checkout pre-mortem") for line in lines)


def test_a_refused_file_is_a_warning_and_the_others_are_listed(capsys):
    demo, checkout = _store_with_two_sessions()
    junk = store_dir() / "junk.premortem"
    junk.write_text("not a session\n", encoding="utf-8")
    (store_dir() / "empty.premortem").write_bytes(b"")
    assert main(["reminders"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 4
    warnings = err.splitlines()
    assert len(warnings) == 2 and all(w.startswith("warning: ") for w in warnings)
    assert any(str(junk) in w for w in warnings)
    assert junk.read_text(encoding="utf-8") == "not a session\n"
    assert main(["reminders", str(junk), checkout, "missing.premortem"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert len(err.splitlines()) == 2 and "missing.premortem" in err and "Traceback" not in err


def test_a_carried_session_in_the_store_is_listed_once(capsys):
    directory = store_dir()
    directory.mkdir(parents=True)
    old = demo_workshop(date.today())
    _write(directory / "q1.premortem", old)
    new = _carry(old, "Q2 pre-mortem", date.today().isoformat())
    _write(directory / "q2.premortem", new)
    assert main(["reminders"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.endswith("Q2 pre-mortem") for line in lines)


def test_after_premortem_carry_the_store_lists_each_reminder_once(capsys):
    directory = store_dir()
    directory.mkdir(parents=True)
    old = _write(directory / "q1.premortem", demo_workshop(date.today()))
    new = str(directory / "q2.premortem")
    assert main(["carry", old, new, "--title", "Q2 pre-mortem"]) == 0
    capsys.readouterr()
    assert main(["reminders"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.endswith("Q2 pre-mortem") for line in lines)
    assert main(["reminders", old]) == 0  # the old session alone still has its own
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_no_reminders(capsys, tmp_path):
    assert main(["reminders"]) == 0  # no store yet
    assert capsys.readouterr().out == "no reminders\n"
    path = str(tmp_path / "plain.premortem")
    SessionService.open(path, create=True).close()
    assert main(["reminders", "--due", path]) == 0
    assert capsys.readouterr().out == "no reminders\n"


def test_wide_characters_keep_the_columns_aligned(capsys, tmp_path):
    w = _session("請求の事前検死", "2026-03-01",
                 _later("請求書の再発行を自動化する", condition="監査のあと", owner="佐藤"),
                 _later("Retry", condition="after the audit", owner="Sam"))
    path = _write(tmp_path / "ja.premortem", w)
    assert main(["reminders", path]) == 0
    lines = capsys.readouterr().out.splitlines()

    def width(text):
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    assert width(lines[0][:lines[0].index("請求書")]) == width(lines[1][:lines[1].index("Retry")])
    assert width(lines[0][:lines[0].index("佐藤")]) == width(lines[1][:lines[1].index("Sam")])


@pytest.mark.parametrize("args", [["reminders", "--help"], ["--help"]])
def test_help_mentions_reminders(capsys, args):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0
    assert "reminders" in capsys.readouterr().out


def test_the_readme_describes_reminders_as_its_help_does():
    """The README's synopsis, description and options of ``reminders`` are the help's own words."""
    import argparse
    from pathlib import Path

    from premortem_tui.cli import _parser_for

    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())
    parser = _parser_for("reminders")
    usage = " ".join(parser.format_usage().split()).removeprefix("usage: ").replace("[-h] ", "")
    assert usage == "premortem reminders [--due] [FILE ...]"
    assert usage in readme
    assert " ".join(parser.description.split()) in readme
    options = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    assert [a.metavar or a.option_strings[0] for a in options] == ["FILE", "--due"]
    for action in options:
        name = action.option_strings[0] if action.option_strings else action.metavar
        assert f"`{name}`: {action.help}" in readme
