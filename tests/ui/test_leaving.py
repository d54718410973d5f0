"""Leaving the board with a timer running asks first; ending the workshop stops the clock and says
when it ended."""

from __future__ import annotations


import pytest

from premortem_tui.ui.modals.leave import LeaveScreen

from .conftest import SIZE, reopen
from .helpers import board, settle


async def keys(pilot, *names: str) -> None:
    """Press each key and let the board settle after it."""
    for name in names:
        await pilot.press(name)
        await settle(pilot)


def running(path) -> list[str]:
    return [p.key for p in reopen(path).phases if p.running_since is not None]


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_quitting_with_a_running_timer_asks_and_p_pauses_it(make_app, session_model, session_path, quit_key):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "space")
        assert running(session_path) == ["intro"]
        await keys(pilot, quit_key)
        assert isinstance(app.screen, LeaveScreen)
        await keys(pilot, "p")
        assert not app.is_running
    assert running(session_path) == []


async def test_k_keeps_the_timer_running_and_escape_stays(make_app, session_model, session_path):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "space", "q", "escape")  # stay
        board(app)
        assert app.is_running
        await keys(pilot, "q", "k")
        assert not app.is_running
    assert running(session_path) == ["intro"]


async def test_quitting_with_no_timer_running_asks_nothing(make_app, session_model):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "q")
        assert not app.is_running


async def test_ending_the_workshop_stops_the_clock_and_the_report_says_when(make_app, session_model, session_path,
                                                                            clock):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "space")
        clock.advance(7 * 60)
        await keys(pilot, "E")
        w = reopen(session_path)
        assert running(session_path) == []
        assert w.phase("intro").spent_seconds == pytest.approx(7 * 60)
        assert w.session.ended_at
        clock.advance(5 * 3600)  # the next day's report does not count the night
        from premortem_tui.export.markdown import render_markdown

        report = render_markdown(w, clock.now())
        assert "**Ended:**" in report
        await keys(pilot, "q")  # nothing runs: no question
        assert not app.is_running


async def test_q_on_the_report_asks_too(make_app, session_model, session_path):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "space", "r", "q")
        assert isinstance(app.screen, LeaveScreen)
        await keys(pilot, "p")
        assert not app.is_running
    assert running(session_path) == []


async def test_session_details_agenda_and_a_reset_timer_from_the_board(make_app, session_model, session_path, clock):
    from premortem_tui.ui.modals.card_form import CardForm

    from .helpers import paste

    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "S")
        assert isinstance(app.screen, CardForm)
        app.screen.query_one("#field-title").value = ""
        app.screen.query_one("#field-title").focus()
        await paste(pilot, "Q3 billing [/] 請求")
        app.screen.query_one("#field-rehearsal").value = "yes"
        await keys(pilot, "ctrl+s")
        s = reopen(session_path).session
        assert (s.title, s.rehearsal) == ("Q3 billing [/] 請求", True)
        assert "(rehearsal)" in board(app).title

        await keys(pilot, "M")
        app.screen.query_one("#field-impact").value = "50"
        await keys(pilot, "ctrl+s")
        assert reopen(session_path).phase("impact").planned_minutes == 50
        await keys(pilot, "M")
        app.screen.query_one("#field-failures").value = "0"  # refused, in the form, nothing written
        await keys(pilot, "ctrl+s")
        assert isinstance(app.screen, CardForm)
        assert reopen(session_path).phase("failures").planned_minutes != 0
        await keys(pilot, "escape", "d")  # a changed form asks first
        board(app)

        await keys(pilot, "space")
        clock.advance(90)
        await keys(pilot, "R")
        intro = reopen(session_path).phase("intro")
        assert (intro.spent_seconds, intro.running_since) == (0.0, None)
        await keys(pilot, "u")
        assert reopen(session_path).phase("intro").running_since is not None  # the time is back
