"""The home screen: a new session made from its form, and its list filled as the files are read."""

from __future__ import annotations

import threading
from pathlib import Path

from premortem_tui.store.locations import remember, store_dir
from premortem_tui.store.service import SessionService
from premortem_tui.ui.launch import write_demo
from premortem_tui.ui.literal import PlainTable
from premortem_tui.ui.modals.card_form import CardForm
from premortem_tui.ui.screens import home
from premortem_tui.ui.screens.home import HomeScreen

from .conftest import SIZE, reopen
from .helpers import board, paste, settle


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#sessions", PlainTable)
    return [[str(v) for v in table.get_row_at(n)] for n in range(table.row_count)]


async def filled(pilot) -> list[list[str]]:
    """The rows once every summary and the reminders are read."""
    screen = pilot.app.screen
    for _attempt in range(200):
        await pilot.pause(0.02)
        if not screen.reading() and not any(row[2] == "reading..." for row in rows(pilot.app)):
            return rows(pilot.app)
    raise AssertionError("the home screen never finished reading its sessions")


async def test_a_new_session_is_written_listed_and_opened_again(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"Billing Q3", "tab")
        await paste(pilot, "Checkout for small shops")
        await pilot.press("tab")
        await paste(pilot, "Aiko: pm\nBen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        path = Path(board(app).model.path)
        assert board(app).model.workshop.session.title == "Billing Q3"
        await pilot.press("escape")  # back to the list of sessions
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        listed = await filled(pilot)
        assert [row[0] for row in listed] == ["Billing Q3"]
        assert listed[0][3] == str(path)
        await pilot.press("enter")
        await settle(pilot)
        assert Path(board(app).model.path) == path
    w = reopen(path)
    assert path.parent == store_dir()
    assert (w.session.title, w.session.context) == ("Billing Q3", "Checkout for small shops")
    assert [(p.name, p.role) for p in w.participants] == [("Aiko", "pm"), ("Ben", "engineer")]


async def test_a_refused_role_writes_no_session(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Doomed", "tab", "tab")
        await paste(pilot, "Aiko: astronaut")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CardForm)  # the form stays, saying why
    assert not list(store_dir().glob("*.premortem"))


async def test_the_list_shows_at_once_and_fills_as_the_files_are_read(make_app, clock, tmp_path, monkeypatch):
    store_dir().mkdir(parents=True)
    write_demo(str(store_dir() / "demo.premortem"), clock)
    with SessionService.open(str(store_dir() / "q1.premortem"), create=True, title="Q1") as service:
        service.add_failure("Billing", "Nothing works")
    outside = tmp_path / "elsewhere.premortem"
    with SessionService.open(str(outside), create=True, title="Elsewhere"):
        pass
    remember(outside)
    broken = store_dir() / "broken.premortem"
    broken.write_text("not a session")
    gate = threading.Event()
    read = home.summarise

    def held(path):
        assert gate.wait(10)  # the test looks at the screen before any summary is read
        return read(path)
    monkeypatch.setattr(home, "summarise", held)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = rows(app)
        assert sorted(Path(row[3]).name for row in before) == ["broken.premortem", "demo.premortem",
                                                                 "elsewhere.premortem", "q1.premortem"]
        assert {row[2] for row in before} == {"reading..."}
        reminders = app.screen.query_one("#reminders", PlainTable)
        assert not reminders.display
        await pilot.press("down")  # the screen answers while the files are read
        assert app.screen.query_one("#sessions", PlainTable).cursor_row == 1
        gate.set()
        after = {Path(row[3]).name: row for row in await filled(pilot)}
        assert after["q1.premortem"][0] == "Q1" and "1 failures" in after["q1.premortem"][2]
        assert after["elsewhere.premortem"][0] == "Elsewhere"
        assert after["demo.premortem"][1] and "countermeasures" in after["demo.premortem"][2]
        assert after["broken.premortem"][0] == "broken.premortem"
        assert "not" in after["broken.premortem"][2] and not after["broken.premortem"][1]
        assert reminders.display and reminders.row_count >= 1  # the demo's reminder, after the rows
