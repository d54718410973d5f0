"""A session full of hostile strings, through every screen: no crash, the text shown literally,
no control character sent to the terminal.

Brackets come in through the service (they are ordinary text); control characters are written
straight into the file, as another program could, since every input refuses them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from premortem_tui.store.service import SessionService
from premortem_tui.ui.launch import open_model

from fakes import FakeClock

from .conftest import AUTHOR, SIZE
from .helpers import board, notices, paste, settle

CLICK = "[@click=app.quit]CLICK-QUIT[/]"
TITLE = "Q3 [/]"
PM = "Bob [/]"
FAILURE = "Disk [/var/log] fills up"
RED = "[bold red]x[/]"
WIP = "[WIP] Alert"
DONE = "[x] done"
COUNTERMEASURE = "Rotate [/var/log] daily"
OWNER = "ops [/team]"
RETRO = "Ann: [/]"
CONTEXT = "Ann: [/] wrote [i]this[/i]"

OSC52 = "\x1b]52;c;cHduZWQtY2xpcA==\x07"
OSC_TITLE = "\x1b]0;pwned-title\x07"
CLEAR = "\x1b[2J\x1b[H"
RLO = "\u202eevil"


def hostile_session(path: Path, clock: FakeClock) -> None:
    with SessionService.open(str(path), create=True, clock=clock) as service:
        service.update_session(title=TITLE, context=CONTEXT)
        service.add_participant(PM, "pm")
        service.add_participant(CLICK, "cs")
        web = service.add_failure("Web [b]", FAILURE, "[WIP]", DONE, AUTHOR)
        service.add_failure("Web [b]", RED, "", "", AUTHOR)
        service.add_failure("Web [b]", WIP, "", "", AUTHOR)
        judged = service.add_failure("Pay [/]", "Pay [/] times out", "1h", "", AUTHOR)
        service.update_failure(judged.id, impact=5, likelihood=4)
        service.update_failure(web.id, impact=4, likelihood=4)
        cm = service.add_countermeasure(COUNTERMEASURE, [web.id], "detect", author=AUTHOR)
        service.update_countermeasure(cm.id, owner=OWNER, decision="later", revisit_when="[/] later",
                                      remind_on="2026-01-01")
        service.add_retro("keep", RETRO, AUTHOR)
    # What another program could have written: control characters, escape sequences, bidi overrides.
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE session SET title = title || ?", (OSC_TITLE,))
        raw.execute("UPDATE failure SET failure = failure || ? WHERE failure = ?", (OSC52, WIP))
        raw.execute("UPDATE failure SET notes = ?", (CLEAR + "notes",))
        raw.execute("UPDATE countermeasure SET decision_note = ?", ("\x9b31m" + RLO,))
        raw.execute("UPDATE retro SET text = text || ?", (CLEAR,))
    raw.close()


def screen_strips(app):
    return app.screen._compositor.render_strips()


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in screen_strips(app))


def assert_clean(app) -> None:
    """Nothing drawn holds a control character or a bidi override."""
    for strip in screen_strips(app):
        for segment in strip:
            bad = [ch for ch in segment.text if ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f or ch in "\u202e\u2066"]
            assert not bad, (segment.text, app.screen)


@pytest.fixture
def hostile_model(tmp_path: Path, clock: FakeClock):
    path = tmp_path / "hostile.premortem"
    hostile_session(path, clock)
    return open_model(str(path), clock=clock, author=AUTHOR)


async def visit(pilot, *keys: str) -> str:
    for key in keys:
        await pilot.press(key)
    await settle(pilot, 4)
    assert pilot.app.is_running
    assert_clean(pilot.app)
    return screen_text(pilot.app)


async def test_every_phase_shows_hostile_text_literally(hostile_model, make_app):
    app = make_app(hostile_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = await visit(pilot)  # introduction
        assert app.screen.title.startswith(TITLE) and "\\x1b]0;pwned-title\\x07" in app.screen.title
        assert PM in text and CLICK in text and "Ann: [/] wrote [i]this[/i]" in text
        text = await visit(pilot, "right_square_bracket")  # failures
        assert "Web [b]" in text and "Disk [/var/log]" in text and "[bold red]x[/]" in text
        assert "[WIP] Alert" in text and "\\x1b]52;c" in text
        text = await visit(pilot, "right_square_bracket")  # impact: the PM in the guide, the grid
        assert "Bob [/]" in text and "Pay [/]" in text
        text = await visit(pilot, "C")  # compare every judged card
        assert "Disk [/var/log] fills up" in text and "Pay [/] times out" in text
        await visit(pilot, "escape")
        text = await visit(pilot, "right_square_bracket")  # countermeasures
        assert "Rotate [/var/log]" in text
        text = await visit(pilot, "right_square_bracket")  # priority
        assert "Rotate [/var/log]" in text
        text = await visit(pilot, "right_square_bracket")  # retrospective
        assert "Ann: [/]" in text and "\\x1b[2J" in text
        text = await visit(pilot, "r")  # the report
        assert "Q3 [/]" in text
        await visit(pilot, "escape")
        await visit(pilot, "D")  # since last time (not carried: says so)
        await visit(pilot, "escape")
        text = await visit(pilot, "question_mark")
        await visit(pilot, "escape")
        assert app.is_running


async def test_a_click_on_markup_in_a_name_runs_nothing(tmp_path, clock, make_app):
    path = tmp_path / "click.premortem"
    with SessionService.open(str(path), create=True, clock=clock) as service:
        service.add_participant(CLICK, "pm")  # the impact phase's guide names the product manager
        service.go_to_phase("impact")
    app = make_app(open_model(str(path), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        row = next(n for n, line in enumerate(lines) if "CLICK-QUIT" in line)
        assert CLICK in lines[row]
        await pilot.click(offset=(lines[row].index("CLICK-QUIT") + 2, row))
        await settle(pilot)
        assert app.is_running


async def test_forms_and_refusals_show_hostile_text_literally(hostile_model, make_app):
    app = make_app(hostile_model)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(4):
            await pilot.press("right_square_bracket")
        await settle(pilot)  # priority: the countermeasure is focused
        await pilot.press("n")  # the decision form: its title names the countermeasure
        await settle(pilot)
        assert "Decision: " + COUNTERMEASURE in screen_text(app)
        # A refused value, whose message repeats what was typed, with markup in it.
        app.screen.query_one("#field-intro_cost").focus()
        await paste(pilot, "[/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "[/]" in app.screen.query_one("#form-error").render().plain
        assert_clean(app)
        # A pasted escape sequence is spelled out in the field: never drawn, saved as shown.
        owner = app.screen.query_one("#field-owner")
        owner.focus()
        owner.value = ""
        await paste(pilot, "ops" + OSC_TITLE)
        assert owner.value == "ops\\x1b]0;pwned-title\\x07"
        assert_clean(app)
        app.screen.query_one("#field-intro_cost").value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert board(app).model.workshop.countermeasures[0].owner == "ops\\x1b]0;pwned-title\\x07"
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        board(app).notify("saved [/] to [b]x[/b]" + OSC_TITLE)
        await settle(pilot)
        assert "saved [/] to [b]x[/b]" in notices(app)[-1] and "\x1b" not in notices(app)[-1]


async def test_home_screen_lists_a_hostile_session_and_reminder(tmp_path, monkeypatch, clock, make_app):
    monkeypatch.setenv("PREMORTEM_HOME", str(tmp_path / "home"))
    store = tmp_path / "home" / "sessions"
    store.mkdir(parents=True)
    hostile_session(store / "q3[b]x.premortem", clock)
    app = make_app(None)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(20):
            await settle(pilot)
            if OWNER in screen_text(app):
                break
        text = screen_text(app)
        assert_clean(app)
        assert "Q3 [/]\\x1b]0;pwned-title\\x07" in text
        assert OWNER in text and COUNTERMEASURE in text


async def test_import_preview_names_a_hostile_path_and_key(hostile_model, make_app, tmp_path):
    (tmp_path / "notes[").mkdir()
    notes = tmp_path / "notes[/].json"
    notes.write_text('{"format": "premortem-session", "format_version": 1, "[/]": 1, '
                     '"session": {"title": "n"}, "failures": [{"service": "S [/]", "failure": "F [b]"}]}',
                     encoding="utf-8")
    app = make_app(hostile_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("I")
        await settle(pilot)
        await paste(pilot, f"'{notes}'")
        await pilot.press("enter")
        await settle(pilot, 6)
        text = screen_text(app)
        assert_clean(app)
        assert "notes[/].json" in text and "'[/]'" in text



async def test_a_path_with_an_escape_sequence_is_shown_spelled_out(tmp_path, clock, make_app):
    path = tmp_path / "q4\x1b]0;pwned\x07.premortem"
    SessionService.open(str(tmp_path / "q4.premortem"), create=True, clock=clock).close()
    (tmp_path / "q4.premortem").rename(path)
    app = make_app(open_model(str(path), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_clean(app)
        assert "q4\\x1b]0;pwned\\x07.premortem" in screen_text(app)


async def test_a_pasted_escape_in_a_text_area_is_spelled_out(session_model, make_app):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "a")
        await settle(pilot)
        area = app.screen.query_one("#field-failure")
        area.focus()
        await paste(pilot, "Disk\nfull" + CLEAR)
        assert area.text == "Disk\nfull\\x1b[2J\\x1b[H"
        assert_clean(app)
