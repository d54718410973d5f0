"""The countdown on a fake clock: last minute, time up, overrun, one bell, and a
clock that keeps running while no screen is open."""

from __future__ import annotations

from textual.widgets import Digits, Static

from premortem_tui.domain import timer
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.screens.board import BoardScreen
from premortem_tui.ui.widgets.agenda import PhaseTimer

from .conftest import AUTHOR, SIZE, reopen


def countdown(app) -> tuple[PhaseTimer, str, str]:
    """The timer widget, its digits and its words, after a tick at the clock's current instant."""
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    screen.tick()
    widget = screen.query_one(PhaseTimer)
    return widget, widget.query_one(Digits).value, str(widget.query_one("#timer-state", Static).content)


async def test_countdown_warns_overruns_and_rings_once(make_app, session_model, session_path, clock, monkeypatch):
    app = make_app(session_model)
    bells: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(None))
    planned = session_model.workshop.phase("intro").planned_minutes * 60

    async with app.run_test(size=SIZE) as pilot:
        widget, digits, words = countdown(app)
        assert digits == f"{planned // 60:02d}:00" and "paused" in words

        await pilot.press("space")
        await pilot.pause()
        clock.advance(planned - 90)
        widget, digits, words = countdown(app)
        assert digits == "01:30" and "running" in words
        assert not widget.has_class("-warning")

        clock.advance(60)  # 30 seconds left: the last minute
        widget, digits, words = countdown(app)
        assert digits == "00:30"
        assert widget.has_class("-warning") and "LAST MINUTE" in words
        assert bells == []

        clock.advance(30)  # exactly zero
        widget, digits, words = countdown(app)
        assert digits == "00:00" and widget.has_class("-zero") and "TIME UP" in words
        assert not widget.has_class("-warning")
        assert len(bells) == 1

        clock.advance(75)  # past zero: overrun counts up
        widget, digits, words = countdown(app)
        assert widget.has_class("-overrun") and not widget.has_class("-zero")
        assert "OVER TIME" in words
        assert digits == "+01:15"
        clock.advance(5)
        countdown(app)
        await pilot.pause()
        widget, digits, words = countdown(app)
        assert digits == "+01:20"
        assert len(bells) == 1  # once, as the countdown crossed zero

        await pilot.press("space")
        await pilot.pause()
        widget, digits, words = countdown(app)
        assert "paused" in words and digits == "+01:20"
        intro = reopen(session_path).phase("intro")
        assert intro.running_since is None and intro.spent_seconds == planned + 80
        assert len(bells) == 1


async def test_a_bell_rings_when_the_countdown_jumps_from_ok_to_overrun(make_app, session_model, clock,
                                                                       monkeypatch):
    app = make_app(session_model)
    bells: list[None] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(None))
    planned = session_model.workshop.phase("intro").planned_minutes * 60
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        clock.advance(planned + 10)
        widget, digits, _words = countdown(app)
        countdown(app)
        assert widget.has_class("-overrun") and digits == "+00:10"
        assert len(bells) == 1


async def test_the_clock_runs_on_while_the_board_is_closed(make_app, session_model, session_path, clock):
    planned = session_model.workshop.phase("intro").planned_minutes * 60
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")  # left running when the app closes
        await pilot.pause()
        clock.advance(60)
        _widget, digits, _words = countdown(app)
        assert digits == f"{(planned - 60) // 60:02d}:00"
        await pilot.press("q")
        await pilot.pause()
    assert reopen(session_path).phase("intro").running

    clock.advance(150)  # nobody has the file open for two and a half minutes
    model = open_model(str(session_path), clock=clock, author=AUTHOR)
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        intro = model.workshop.phase("intro")
        assert intro.running
        assert timer.spent(intro, clock.now()) == 210
        _widget, digits, words = countdown(app)
        assert digits == timer.format_clock(planned - 210) and "running" in words
        agenda = app.screen.query_one("#agenda-intro", Static)
        assert f"{210 // 60}/{planned // 60}" in str(agenda.content)
