"""Every "today" the app shows comes from the clock it was started with, not from the calendar.

The clock here stands on a day years away from the real one: a screen that read the
calendar would find the demo's reminders not yet due and date new files wrongly.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from premortem_tui.store.handoff import carry_file
from premortem_tui.store.locations import store_dir
from premortem_tui.store.service import SessionService
from premortem_tui.ui.app import PremortemApp
from premortem_tui.ui.launch import open_model, write_demo
from premortem_tui.ui.modals.card_form import CardForm
from premortem_tui.ui.screens.home import HomeScreen
from premortem_tui.ui.screens.report import ReportScreen
from premortem_tui.ui.screens.since import SinceLastTimeScreen
from premortem_tui.ui.settings import Settings

from fakes import FakeClock

from .conftest import AUTHOR, SIZE, reopen
from .helpers import board, settle

ELSEWHEN = datetime(2031, 6, 16, 12, 0, tzinfo=timezone.utc)
DAY = ELSEWHEN.astimezone().date()  # the clock's day where the room is
REPLAY = "Replay queued dispatch assignments after an outage"  # later, reminder 3 days before the demo's day


@pytest.fixture
def clock() -> FakeClock:
    assert DAY != date.today()  # the point of these tests: the two days differ
    return FakeClock(ELSEWHEN)


def app_on(clock: FakeClock, model=None) -> PremortemApp:
    return PremortemApp(model, clock=clock, settings=Settings(), author=AUTHOR)


async def test_since_last_time_and_the_report_list_the_reminders_due_by_the_clock(clock, tmp_path):
    demo, carried = tmp_path / "demo.premortem", tmp_path / "next.premortem"
    write_demo(str(demo), clock)
    carry_file(str(demo), str(carried), "Next meeting", clock=clock)
    app = app_on(clock, open_model(str(carried), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, SinceLastTimeScreen)
        since = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert f"{(DAY - timedelta(days=3)).isoformat()}: {REPLAY}" in since
        await pilot.press("escape", "r")
        await app.workers.wait_for_complete()  # the report is rendered in a worker
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        _before, _sep, report_since = app.screen.markdown.partition("Since last time")
        assert REPLAY in report_since.partition("\n## ")[0]


async def test_the_hand_off_copy_is_named_after_the_clock_s_day(clock, tmp_path):
    demo = tmp_path / "demo.premortem"
    write_demo(str(demo), clock)
    app = app_on(clock, open_model(str(demo), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        await pilot.pause()
    assert [p.name for p in tmp_path.glob("demo-handoff-*")] == [f"demo-handoff-{DAY.isoformat()}.premortem"]


# -- the home screen -------------------------------------------------------------------------------


async def reminders_shown(pilot) -> list[list[str]]:
    table = pilot.app.screen.query_one("#reminders", DataTable)
    for _attempt in range(100):  # the sessions and their reminders are read in a thread
        await pilot.pause(0.02)
        if table.row_count:
            return [[str(v) for v in table.get_row_at(n)] for n in range(table.row_count)]
    raise AssertionError("the home screen shows no reminder due")


async def test_home_shows_the_reminders_due_by_the_clock(clock):
    store_dir().mkdir(parents=True)
    write_demo(str(store_dir() / "demo.premortem"), clock)
    app = app_on(clock)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        shown = await reminders_shown(pilot)
    assert [row[:2] for row in shown] == [[f"OVERDUE {(DAY - timedelta(days=3)).isoformat()}", REPLAY]]


async def test_a_new_session_from_home_is_dated_and_named_by_the_clock(clock):
    app = app_on(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"Spring", "ctrl+s")
        await settle(pilot)
        board(app)
        path = Path(app.model.path)
    assert path.name == f"{DAY.isoformat()}-Spring.premortem"
    assert reopen(path).session.date == DAY.isoformat()


async def test_carry_and_demo_from_home_follow_the_clock(clock):
    store_dir().mkdir(parents=True)
    with SessionService.open(str(store_dir() / "q1.premortem"), create=True, title="Q1") as service:
        service.add_failure("Billing", "Nothing works")
    app = app_on(clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"Q2", "ctrl+s")
        await settle(pilot)
        carried = Path(board(app).model.path)
        app.pop_screen()
        app.push_screen(HomeScreen())
        await pilot.pause()
        await pilot.press("d")
        await settle(pilot)
        demo = Path(board(app).model.path)
    assert carried.name == f"{DAY.isoformat()}-Q2.premortem"
    assert reopen(carried).session.date == DAY.isoformat()
    assert reopen(demo).session.date == (DAY - timedelta(days=14)).isoformat()  # the demo met two weeks ago
