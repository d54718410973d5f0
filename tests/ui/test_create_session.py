"""A path with no session is created only once the user agrees: from the command line and from home."""

from __future__ import annotations

import os
from pathlib import Path

from premortem_tui.store.locations import store_dir
from premortem_tui.ui.literal import Plain
from premortem_tui.ui.modals.card_form import CardForm
from premortem_tui.ui.modals.create_session import CreateSession
from premortem_tui.ui.screens.home import HomeScreen

from .conftest import SIZE, reopen
from .helpers import board, paste, settle


def question(app) -> str:
    assert isinstance(app.screen, CreateSession), app.screen
    return str(app.screen.query_one("#create-question", Plain).render())


def everything_under(*folders: Path) -> list[str]:
    """Every file and folder under ``folders``: what a cancelled question must leave as it was."""
    return sorted(os.path.join(root, name) for folder in folders if folder.exists()
                  for root, dirs, files in os.walk(folder) for name in dirs + files)


async def test_cancel_creates_nothing_and_exits_with_status_1(make_app, tmp_path):
    path = tmp_path / "ws.premortm"
    before = everything_under(tmp_path, store_dir().parent)
    app = make_app(create=str(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = question(app)
        assert f"No session at {path}. Create a new session there?" in text
        assert "the name does not end in .premortem" in text
        assert app.screen.focused is not None and app.screen.focused.id == "create-cancel"
        await pilot.press("enter")  # the focused button: Cancel
        await pilot.pause()
    assert app.return_code == 1
    assert not path.exists()
    assert everything_under(tmp_path, store_dir().parent) == before  # not even the list of recent files


async def test_escape_cancels_too(make_app, tmp_path):
    path = tmp_path / "ws.premortem"
    app = make_app(create=str(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "does not end in" not in question(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 1 and os.listdir(tmp_path) == []


async def test_create_opens_the_board_on_the_new_file(make_app, tmp_path):
    path = tmp_path / "ws.premortm"
    app = make_app(create=str(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CreateSession)
        assert not path.exists()  # nothing before the answer
        await pilot.press("tab", "enter")  # from Cancel back round to Create
        await settle(pilot)
        assert Path(board(app).model.path) == path
        await pilot.press("q")
    assert app.return_code == 0
    assert reopen(path).failures == []


async def test_y_creates_a_rehearsal_when_asked_for_one(make_app, tmp_path):
    path = tmp_path / "fast.premortem"
    app = make_app(create=str(path), rehearsal=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert board(app).model.path == str(path)
    assert reopen(path).session.rehearsal


async def open_by_path(pilot, typed: str) -> None:
    await pilot.press("f")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardForm)
    await paste(pilot, typed)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_open_a_file_asks_before_creating_a_missing_one(make_app, tmp_path):
    path = tmp_path / "team" / "q3.premortem"
    path.parent.mkdir()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = everything_under(tmp_path, store_dir().parent)
        await open_by_path(pilot, str(path))
        assert f"No session at {path}. Create a new session there?" in question(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert everything_under(tmp_path, store_dir().parent) == before
        await open_by_path(pilot, str(path))
        await pilot.press("y")
        await settle(pilot)
        assert Path(board(app).model.path) == path
    assert reopen(path).failures == []


async def test_open_a_file_opens_an_existing_one_without_asking(make_app, demo_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_by_path(pilot, str(demo_path))
        assert Path(board(app).model.path) == demo_path


async def test_open_a_file_in_a_missing_folder_is_refused_in_the_form(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_by_path(pilot, str(tmp_path / "nowhere" / "q3.premortem"))
        assert isinstance(app.screen, CardForm)  # the reason shows under the form; no question
        assert "does not exist" in str(app.screen.query_one("#form-error", Plain).render())
    assert os.listdir(tmp_path) == []
