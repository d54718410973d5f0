"""Two screens on one file: each sees the other's changes within a second."""

from __future__ import annotations

from premortem_tui.store.service import SessionService

from .conftest import SIZE
from .helpers import columns


async def test_a_card_added_elsewhere_appears_within_a_second(make_app, session_model, session_path, clock):
    with SessionService.open(str(session_path), clock=clock) as service:
        service.go_to_phase("failures")
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with SessionService.open(str(session_path), clock=clock) as other:  # the second screen
            other.add_failure("Billing", "No invoice can be issued", author="Ann")
        for _ in range(30):  # each screen looks every second; a loaded machine may be late
            await pilot.pause(0.1)
            if list(columns(app)) == ["Billing"]:
                break
        board = app.screen
        assert board.phase == "failures"
        [column] = board.columns()
        assert column.key == "Billing"
        assert [card.body for card in column.cards] == ["No invoice can be issued"]


async def test_a_change_made_while_the_board_was_opening_is_not_lost(make_app, demo_path, clock):
    from premortem_tui.ui.launch import open_model

    model = open_model(str(demo_path), clock=clock)  # painted from the lean read; the service opens later
    with SessionService.open(str(demo_path), clock=clock) as other:
        other.add_failure("Billing", "Written by another screen meanwhile")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # the service opens in a thread, then the next poll (each second) shows it
            if any(f.failure == "Written by another screen meanwhile" for f in app.screen.model.workshop.failures):
                break
            await pilot.pause(0.1)
        else:
            raise AssertionError("the change made meanwhile never appeared")


async def test_own_changes_do_not_look_like_someone_elses(make_app, session_model):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        model = app.screen.model
        model.add_participant("Aiko", "pm")
        assert model.poll() is False


def test_a_phase_without_countermeasures_is_painted_before_they_are_read(demo_at, demo_path):
    from premortem_tui.store.reader import read_file

    model = demo_at("failures")
    assert model.partial and model.workshop.countermeasures == []
    whole = model.whole()  # a report or an import preview waits for the full read
    assert not model.partial
    assert [c.id for c in whole.countermeasures] == [c.id for c in read_file(str(demo_path)).countermeasures]
    assert whole.countermeasures
    model.close()


def test_a_phase_with_countermeasures_is_read_whole(demo_at):
    model = demo_at("countermeasures")
    assert not model.partial and model.workshop.countermeasures
    model.close()


async def test_the_report_of_a_partly_read_session_has_its_countermeasures(make_app, demo_at):
    model = demo_at("failures")
    text = next(c.text for c in model.whole().countermeasures)
    model = demo_at("failures")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()  # the report is rendered in a worker
        await pilot.pause()
        assert text in app.screen.markdown


def test_the_service_opens_once_when_a_change_comes_before_the_opening_timer(demo_at):
    model = demo_at("failures")
    service = model.service  # a key pressed before the board's timer opened it: opened and waited for
    model.start_opening()  # then the timer fires
    assert model._thread is None and model.service is service
    model.close()
