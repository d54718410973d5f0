"""One clock, ``today()`` included: the commands read the day from it, and nothing else reads the calendar."""

from __future__ import annotations

import ast
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import premortem_tui
from premortem_tui import cli
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain import timer
from premortem_tui.domain.timer import SystemClock, local_date
from premortem_tui.store.handoff import carry_file
from premortem_tui.store.reader import read_file
from premortem_tui.store.service import SessionService

from fakes import FakeClock

ELSEWHEN = datetime(2031, 6, 16, 12, 0, tzinfo=timezone.utc)
DAY = ELSEWHEN.astimezone().date()  # the clock's day where the room is
REPLAY = "Replay queued dispatch assignments after an outage"  # later, reminder 3 days before the demo's day


# -- the clocks ------------------------------------------------------------------------------------


def test_a_clock_s_day_is_the_local_day_of_its_instant():
    assert FakeClock(ELSEWHEN).today() == DAY
    late = datetime(2031, 6, 16, 23, 30, tzinfo=timezone.utc)
    assert FakeClock(late).today() == late.astimezone().date()


def test_the_system_clock_s_day_is_the_calendar_s():
    before = date.today()
    day = SystemClock().today()
    assert day in {before, date.today()}  # one of the two, if midnight passed in between


def test_a_sped_up_clock_s_day_moves_with_its_time():
    fast = SystemClock(speed=100 * 86400)  # a hundred days a second
    time.sleep(0.05)
    before = fast.now()
    day = fast.today()
    after = fast.now()
    assert local_date(before) <= day <= local_date(after)
    assert day >= date.today() + timedelta(days=4)


# -- the commands --------------------------------------------------------------------------------


@pytest.fixture
def elsewhen(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Every command of this test runs on a clock years away from the calendar."""
    assert DAY != date.today()
    clock = FakeClock(ELSEWHEN)
    monkeypatch.setattr(cli, "_clock", lambda speed=1.0: clock)
    return clock


def write_demo_for(path: Path, day: date) -> None:
    with SessionService.open(str(path), create=True) as service:
        service.import_workshop(demo_workshop(day), whole_session=True)


def test_reminders_are_due_by_the_command_s_clock(elsewhen, tmp_path, capsys):
    write_demo_for(tmp_path / "demo.premortem", DAY)
    assert cli.main(["reminders", "--due", str(tmp_path / "demo.premortem")]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"OVERDUE {(DAY - timedelta(days=3)).isoformat()}  "
                           f"when: after the dispatch queue migration  {REPLAY}")


def test_carry_dates_the_next_meeting_by_the_command_s_clock(elsewhen, tmp_path):
    write_demo_for(tmp_path / "demo.premortem", DAY)
    assert cli.main(["carry", str(tmp_path / "demo.premortem"), str(tmp_path / "next.premortem")]) == 0
    assert read_file(str(tmp_path / "next.premortem")).session.date == DAY.isoformat()


def test_the_exported_report_lists_the_reminders_due_by_the_command_s_clock(elsewhen, tmp_path, capsys):
    write_demo_for(tmp_path / "demo.premortem", DAY)
    carry_file(str(tmp_path / "demo.premortem"), str(tmp_path / "next.premortem"), clock=elsewhen)
    assert cli.main(["export", str(tmp_path / "next.premortem")]) == 0
    _before, _sep, since = capsys.readouterr().out.partition("Since last time")
    assert REPLAY in since.partition("\n## ")[0]


def test_a_new_file_is_dated_by_the_service_s_clock(tmp_path):
    with SessionService.open(str(tmp_path / "new.premortem"), create=True, clock=FakeClock(ELSEWHEN)) as service:
        assert service.load().session.date == DAY.isoformat()


def test_a_session_file_s_running_phase_comes_through_the_import_check_unchanged(tmp_path):
    from premortem_tui.store.sources import load_source

    clock = FakeClock(datetime.now(timezone.utc) - timedelta(minutes=10))  # started ten minutes ago
    with SessionService.open(str(tmp_path / "s.premortem"), create=True, clock=clock) as service:
        service.toggle_timer()  # the current phase, the introduction, starts
    clock.advance(600)  # now the file is imported: its phase has run for ten minutes, not twenty
    stored = read_file(str(tmp_path / "s.premortem")).phases[0]
    loaded = load_source(str(tmp_path / "s.premortem"))[0].phases[0]
    assert (loaded.spent_seconds, loaded.running_since) == (stored.spent_seconds, stored.running_since)
    assert timer.spent(loaded, clock.now()) == 600


# -- nothing else reads the calendar ----------------------------------------------------------------

CALENDAR = {("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow")}
# The one place the calendar is read.
ALLOWED = {("domain/timer.py", "SystemClock")}


def calendar_reads(tree: ast.AST) -> list[tuple[str, int]]:
    """(enclosing class or function, line) of every ``date.today``, ``datetime.now``... called or passed."""
    found: list[tuple[str, int]] = []

    def walk(node: ast.AST, owner: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = owner
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and owner == "":
                inner = child.name  # the outermost definition names the place
            if isinstance(child, ast.Attribute) and (_name(child.value), child.attr) in CALENDAR:
                found.append((inner, child.lineno))
            walk(child, inner)

    walk(tree, "")
    return found


def _name(node: ast.AST) -> str:
    """``date`` for ``date`` and for ``datetime.date``: how the module was imported does not matter."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def test_only_the_system_clock_reads_the_calendar():
    package = Path(premortem_tui.__file__).parent
    reads = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        reads += [(where, owner, line) for owner, line in calendar_reads(ast.parse(path.read_text("utf-8")))
                  if (where, owner) not in ALLOWED]
    assert reads == []


def test_the_calendar_check_finds_every_spelling():
    source = ("import datetime as dt\nfrom datetime import date, datetime\n"
              "x = date.today()\ndef f():\n    return datetime.now(timezone.utc)\n"
              "class C:\n    when = field(default_factory=dt.date.today)\n    def g(self):\n        return dt.datetime.utcnow()\n")
    assert calendar_reads(ast.parse(source)) == [("", 3), ("f", 5), ("C", 7), ("C", 9)]
