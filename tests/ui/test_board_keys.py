"""Every key of the facilitator's cheat sheet, pressed on the board.

Each change is checked twice: on the board, and in the file as a second
reader finds it while the board is still open (every change is committed the
moment it is made).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Input, TextArea

from premortem_tui.domain.model import Workshop
from premortem_tui.i18n import _
from premortem_tui.store.service import SessionService
from premortem_tui.ui.actions import BOARD_COMMANDS
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.modals.card_form import CardForm
from premortem_tui.ui.modals.discard import DiscardQuestion
from premortem_tui.ui.screens.help import HelpScreen
from premortem_tui.ui.widgets.card_column import CardColumn

from .conftest import AUTHOR, FIXED_NOW, SIZE, reopen
from .helpers import board, columns, settle

NO_INVOICE = "No invoice at all can be issued"


# -- helpers -------------------------------------------------------------------------


def focused(app) -> CardColumn:
    assert isinstance(app.focused, CardColumn), app.focused
    return app.focused


def focused_card(app):
    _column, card = board(app).current_card()
    assert card is not None
    return card


async def focus_card(pilot, card_id: str) -> None:
    """Put the cursor on a card (the focus keys have their own test)."""
    for column in columns(pilot.app).values():
        if column.select(card_id):
            column.focus()
            await pilot.pause()
            return
    raise AssertionError(f"card {card_id} is not on the board")


def failure_named(w: Workshop, text: str):
    return next(f for f in w.failures if f.failure == text)


def links_to(w: Workshop, failure_id: str) -> set[str]:
    return {c.id for c in w.countermeasures if failure_id in c.failure_ids}


# -- help, palette, quit --------------------------------------------------------------


async def test_help_lists_every_command_escape_closes_it_and_q_quits(make_app, demo_model):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        phase = board(app).phase
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        titles = {str(table.get_row_at(n)[1]) for n in range(table.row_count)}
        keys = {str(table.get_row_at(n)[0]) for n in range(table.row_count)}
        for command in BOARD_COMMANDS:  # what works in this phase, and nothing else
            here = not command.phases or phase in command.phases
            assert (_(command.title) in titles) == here, command.title
            if here:
                assert command.keys_label in keys
        assert (_("Judge") in titles) == (phase == "impact")
        await pilot.press("escape")
        await pilot.pause()
        board(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_command_palette_runs_next_phase_by_name(make_app, session_model, session_path):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        assert board(app).phase == "intro"
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Next phase")
        commands = app.screen.query_one(CommandList)
        for _attempt in range(50):  # the palette searches in a worker
            await pilot.pause(0.02)
            if commands.option_count and "Next phase" in str(commands.get_option_at_index(0).prompt):
                break
        assert "Next phase" in str(commands.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert board(app).phase == "failures"
        assert reopen(session_path).session.current_phase == "failures"


async def test_q_in_a_text_field_types_a_q_and_escape_cancels_the_form(make_app, session_model, session_path):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "a")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press("q", "tab", *"Down")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, CardForm)
        assert app.screen.query_one("#field-service", Input).value == "q"
        assert app.screen.query_one("#field-failure", TextArea).text == "Down"
        await pilot.press("escape")  # the fields were changed: asked first
        await pilot.pause()
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("right", "enter")  # discard
        await pilot.pause()
        board(app)
        assert session_model.workshop.failures == []
        assert reopen(session_path).failures == []


# -- timer and agenda ------------------------------------------------------------------------


async def test_space_starts_and_pauses_and_plus_minus_change_the_minutes(make_app, session_model, session_path,
                                                                         clock):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert session_model.workshop.phase("intro").running_since == FIXED_NOW
        assert reopen(session_path).phase("intro").running_since == FIXED_NOW

        clock.advance(90)
        await pilot.press("space")
        await pilot.pause()
        for w in (session_model.workshop, reopen(session_path)):
            intro = w.phase("intro")
            assert intro.running_since is None
            assert intro.spent_seconds == pytest.approx(90)

        planned = session_model.workshop.phase("intro").planned_minutes
        await pilot.press("+", "+")
        await pilot.pause()
        assert session_model.workshop.phase("intro").planned_minutes == planned + 2
        assert reopen(session_path).phase("intro").planned_minutes == planned + 2
        await pilot.press("-")
        await pilot.pause()
        assert session_model.workshop.phase("intro").planned_minutes == planned + 1
        assert reopen(session_path).phase("intro").planned_minutes == planned + 1


async def test_brackets_change_the_phase_and_hand_the_running_timer_on(make_app, session_model, session_path,
                                                                       clock):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        clock.advance(60)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert board(app).phase == "failures"
        for w in (session_model.workshop, reopen(session_path)):
            assert w.session.current_phase == "failures"
            assert w.phase("intro").running_since is None
            assert w.phase("intro").spent_seconds == pytest.approx(60)
            assert w.phase("failures").running_since == clock.now()

        clock.advance(30)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert board(app).phase == "intro"
        for w in (session_model.workshop, reopen(session_path)):
            assert w.session.current_phase == "intro"
            assert w.phase("failures").running_since is None
            assert w.phase("failures").spent_seconds == pytest.approx(30)
            assert w.phase("intro").running_since == clock.now()


# -- adding cards ---------------------------------------------------------------------------------


async def test_a_adds_a_failure_through_the_form_in_japanese(make_app, session_model, session_path):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"請求管理", "tab", *"全ての請求書が発行できない", "tab", *"30分", "tab", *"月中")
        await pilot.press("ctrl+s")
        await pilot.pause()
        board(app)
        column = columns(app)["請求管理"]
        assert [c.body for c in column.cards] == ["全ての請求書が発行できない"]
        assert "30分" in column.cards[0].meta and "月中" in column.cards[0].meta
        (saved,) = reopen(session_path).failures
        assert (saved.service, saved.failure, saved.period, saved.timing, saved.author) == (
            "請求管理", "全ての請求書が発行できない", "30分", "月中", AUTHOR)


async def test_a_adds_a_participant_in_the_introduction(make_app, session_model, session_path):
    app = make_app(session_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"Aiko", "ctrl+s")
        await pilot.pause()
        assert [c.body for c in columns(app)["participants"].cards] == ["Aiko"]
        assert [(p.name, p.role) for p in reopen(session_path).participants] == [("Aiko", "engineer")]


async def test_a_adds_a_countermeasure_to_the_focused_stage(make_app, session_path, clock):
    with SessionService.open(str(session_path), create=True, clock=clock) as service:
        failure = service.add_failure("Billing", "No invoice can be issued")
        service.go_to_phase("countermeasures")
    app = make_app(open_model(str(session_path), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        assert focused(app).key == "prevent"
        await pilot.press("l")
        assert focused(app).key == "detect"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert isinstance(app.focused, TextArea)
        # text, then the failures it answers (search, then space toggles), then save
        await pilot.press(*"Alert", "tab", *"inv", "tab", "space", "ctrl+s")
        await pilot.pause()
        (card,) = columns(app)["detect"].cards
        assert card.body == "Alert"
        (saved,) = reopen(session_path).countermeasures
        assert (saved.text, saved.stage, saved.failure_ids) == ("Alert", "detect", [failure.id])


async def test_a_adds_a_retro_note_to_the_focused_kind(make_app, session_path, clock):
    with SessionService.open(str(session_path), create=True, clock=clock) as service:
        service.go_to_phase("retro")
    app = make_app(open_model(str(session_path), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert focused(app).key == "problem"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert app.screen.values()["kind"] == "problem"  # the focused column's kind
        assert app.focused is app.screen.query_one("#field-text", TextArea)  # not the kind: typing goes in
        await pilot.press(*"Late", "ctrl+s")
        await pilot.pause()
        assert [c.body for c in columns(app)["problem"].cards] == ["Late"]
        (note,) = reopen(session_path).retro
        assert (note.kind, note.text, note.author) == ("problem", "Late", AUTHOR)


# -- edit, delete, undo --------------------------------------------------------------------------------


async def test_e_and_enter_edit_the_focused_card_and_u_undoes_the_edit(make_app, demo_at, demo_path):
    model = demo_at("failures")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        card_id = failure_named(model.workshop, NO_INVOICE).id
        await focus_card(pilot, card_id)

        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert app.screen.query_one("#field-failure", TextArea).text == NO_INVOICE
        await pilot.press("tab", "end", *" now", "ctrl+s")
        await pilot.pause()
        edited = NO_INVOICE + " now"
        assert focused_card(app).body == edited
        assert failure_named(reopen(demo_path), edited).id == card_id

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert app.screen.query_one("#field-failure", TextArea).text == edited
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("u")
        await pilot.pause()
        assert focused_card(app).body == NO_INVOICE
        assert failure_named(reopen(demo_path), NO_INVOICE).id == card_id


async def test_x_deletes_and_u_brings_the_card_back_with_its_id_and_links(make_app, demo_at, demo_path):
    model = demo_at("failures")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        before = reopen(demo_path)
        card_id = failure_named(before, NO_INVOICE).id
        linked = links_to(before, card_id)
        assert linked
        await focus_card(pilot, card_id)

        await pilot.press("x")
        await pilot.pause()
        assert all(c.id != card_id for c in columns(app)["Billing"].cards)
        after = reopen(demo_path)
        assert all(f.id != card_id for f in after.failures)
        assert links_to(after, card_id) == set()

        await pilot.press("u")
        await pilot.pause()
        assert any(c.id == card_id for c in columns(app)["Billing"].cards)
        restored = reopen(demo_path)
        assert failure_named(restored, NO_INVOICE).id == card_id
        assert links_to(restored, card_id) == linked
        assert links_to(model.workshop, card_id) == linked
        # What the board holds in memory is what the file says, positions included.
        by_id = lambda cards: sorted(cards, key=lambda c: c.id)  # noqa: E731
        assert by_id(model.workshop.failures) == by_id(restored.failures)
        assert by_id(model.workshop.countermeasures) == by_id(restored.countermeasures)

        # A countermeasure, deleted and brought back, takes its place and its links again.
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert board(app).phase == "countermeasures"
        measure = next(c for c in model.workshop.countermeasures if len(c.failure_ids) > 1)
        await focus_card(pilot, measure.id)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        again = reopen(demo_path)
        assert by_id(model.workshop.countermeasures) == by_id(again.countermeasures)
        assert by_id(model.workshop.failures) == by_id(again.failures)


# -- filter and focus ----------------------------------------------------------------------------------


async def test_slash_filters_the_cards_and_escape_clears_the_filter(make_app, demo_at):
    model = demo_at("failures")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        shown = {key: len(c.cards) for key, c in columns(app).items()}
        theme = app.theme
        await pilot.press("slash", *"month")
        await pilot.pause()
        box = board(app).query_one("#filter", Input)
        assert box.value == "month" and box.has_focus  # every letter typed went into the box
        assert app.theme == theme  # "t" typed, not pressed
        filtered = {key: len(c.cards) for key, c in columns(app).items()}
        assert filtered["Dispatch"] == 0 < shown["Dispatch"]
        assert filtered["Customer portal"] < shown["Customer portal"]
        assert sum(filtered.values()) < sum(shown.values())

        await pilot.press("escape")
        await pilot.pause()
        assert box.value == "" and not box.display
        assert {key: len(c.cards) for key, c in columns(app).items()} == shown
        board(app)  # escape cleared the filter; it did not leave the board


async def test_arrows_and_hjkl_move_the_focus(make_app, demo_at):
    model = demo_at("failures")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        keys = list(columns(app))
        await focus_card(pilot, columns(app)[keys[0]].cards[0].id)
        assert (focused(app).key, focused(app).cursor) == (keys[0], 0)
        for key, where in [("j", (keys[0], 1)), ("down", (keys[0], 2)), ("k", (keys[0], 1)), ("up", (keys[0], 0)),
                           ("l", (keys[1], 0)), ("right", (keys[2], 0)), ("h", (keys[1], 0)),
                           ("left", (keys[0], 0))]:
            await pilot.press(key)
            await pilot.pause()
            assert (focused(app).key, focused(app).cursor) == where, key


# -- moving cards -----------------------------------------------------------------------------------------


async def test_shifted_keys_move_a_failure_across_services_and_within_its_column(make_app, demo_at, demo_path):
    model = demo_at("failures")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        card_id = failure_named(model.workshop, NO_INVOICE).id
        await focus_card(pilot, card_id)
        steps = [("L", "Customer portal", 0), ("H", "Billing", 0), ("J", "Billing", 1), ("K", "Billing", 0),
                 ("shift+right", "Customer portal", 0), ("shift+down", "Customer portal", 1),
                 ("shift+up", "Customer portal", 0), ("shift+left", "Billing", 0),
                 ("u", "Customer portal", 0), ("u", "Customer portal", 1)]  # u undoes the moves
        for key, service, position in steps:
            await pilot.press(key)
            await pilot.pause()
            saved = failure_named(reopen(demo_path), NO_INVOICE)
            assert (saved.service, saved.position) == (service, position), key
            assert focused_card(app).id == card_id, key
            assert focused(app).key == service, key


async def test_shifted_keys_change_a_countermeasures_stage(make_app, demo_at, demo_path):
    app = make_app(demo_at("countermeasures"))
    async with app.run_test(size=SIZE) as pilot:
        card = columns(app)["prevent"].cards[0]
        await focus_card(pilot, card.id)
        for key, stage in [("L", "detect"), ("shift+right", "respond"), ("H", "detect"), ("shift+left", "prevent")]:
            await pilot.press(key)
            await pilot.pause()
            saved = next(c for c in reopen(demo_path).countermeasures if c.id == card.id)
            assert saved.stage == stage, key
            assert focused(app).key == stage and focused_card(app).id == card.id, key


async def test_impact_keys_judge_clear_and_nudge(make_app, session_path, clock):
    with SessionService.open(str(session_path), create=True, clock=clock) as service:
        first = service.add_failure("Billing", "No invoice can be issued")
        second = service.add_failure("Dispatch", "Jobs cannot be assigned")
        service.go_to_phase("impact")
    model = open_model(str(session_path), clock=clock, author=AUTHOR)

    def judged(failure_id: str) -> tuple:
        mine = model.failure(failure_id)
        saved = next(f for f in reopen(session_path).failures if f.id == failure_id)
        assert (mine.impact, mine.likelihood) == (saved.impact, saved.likelihood)
        return saved.impact, saved.likelihood

    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        assert focused_card(app).id == first.id  # entering the phase focuses the first unjudged card
        await pilot.press("4")
        await pilot.pause()
        assert judged(first.id) == (None, None)  # impact typed, likelihood still to come
        await pilot.press("2")
        await pilot.pause()
        assert judged(first.id) == (4, 2)
        assert focused_card(app).id == second.id  # the room goes on with the next unjudged card

        await pilot.press("5", "1")
        await pilot.pause()
        assert judged(second.id) == (5, 1)
        assert focused_card(app).id == second.id  # the tray is empty: the focus follows the card
        await pilot.press("0")
        await pilot.pause()
        assert judged(second.id) == (None, None)
        assert focused_card(app).id == second.id
        for key, expected in [("K", (3, 3)),  # an unjudged card lands in the middle
                              ("K", (4, 3)), ("J", (3, 3)), ("L", (3, 4)), ("H", (3, 3)), ("shift+up", (4, 3))]:
            await pilot.press(key)
            await pilot.pause()
            assert judged(second.id) == expected, key
            assert focused_card(app).id == second.id, key
        assert judged(first.id) == (4, 2)


# -- the mouse ---------------------------------------------------------------------------------------------


async def test_dragging_a_card_to_another_column_moves_it(make_app, demo_at, demo_path):
    model = demo_at("failures")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        source, target = columns(app)["Billing"], columns(app)["Dispatch"]
        assert source.cards[0].body == NO_INVOICE
        await pilot.mouse_down(source, offset=(4, 2))
        await pilot.hover(target, offset=(4, 2))
        await pilot.mouse_up(target, offset=(4, 2))
        await pilot.pause()
        saved = failure_named(reopen(demo_path), NO_INVOICE)
        assert (saved.service, saved.position) == ("Dispatch", 0)
        assert columns(app)["Dispatch"].cards[0].body == NO_INVOICE


# -- room options ------------------------------------------------------------------------------------------


async def test_t_w_b_switch_theme_authors_and_borders(make_app, demo_at):
    app = make_app(demo_at("failures"))
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("t")
        assert app.theme == "textual-light"
        await pilot.press("t")
        assert app.theme == "textual-dark"

        def metas() -> list[str]:
            return [c.meta for column in columns(app).values() for c in column.cards]

        assert any("by Eva Novak" in meta for meta in metas())
        await pilot.press("w")
        await pilot.pause()
        assert app.settings.hide_authors
        assert metas() and not any("by " in meta for meta in metas())
        await pilot.press("w")
        await pilot.pause()
        assert any("by Eva Novak" in meta for meta in metas())

        column = columns(app)["Dispatch"]  # not the focused one: its first card, under the heading, is drawn plain
        assert column.render_line(1).text.startswith("╭")
        await pilot.press("b")
        await pilot.pause()
        assert app.settings.ascii_borders
        assert all(c.ascii_borders for c in columns(app).values())
        first_line = column.render_line(1).text.rstrip()
        assert first_line.startswith("+-") and first_line.endswith("+")
        assert focused(app).render_line(1).text.startswith("#=")
        await pilot.press("b")
        await pilot.pause()
        assert column.render_line(1).text.startswith("╭")


# -- a file the board has just created is a session file for other processes at once -------------------


async def test_a_new_file_is_readable_while_the_board_has_it_open(make_app, tmp_path: Path, clock):
    path = tmp_path / "created-by-the-board.premortem"
    app = make_app(open_model(str(path), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert reopen(path).phase("intro").running


async def test_the_palette_offers_exactly_the_actions_that_work_here(demo_at, make_app):
    app = make_app(demo_at("failures"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Add card" in titles and "Report" in titles
        assert "Clear judgement" not in titles and "Sort by value" not in titles  # impact, priority only
        await pilot.press("right_square_bracket")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Clear judgement" in titles and "Sort by value" not in titles


async def test_the_palette_offers_the_home_screens_actions(make_app):
    app = make_app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {"New session", "Demo", "Carry to next meeting", "Open a file"} <= set(commands)
        assert commands["New session"].help == "\\[n]"


@pytest.mark.parametrize("phase", ["failures", "impact", "priority"])
async def test_help_and_palette_list_the_same_actions_in_each_phase(demo_at, make_app, phase):
    app = make_app(demo_at(phase))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        palette = {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        helped = {str(table.get_row_at(n)[1]) for n in range(table.row_count)}
        board_titles = {_(c.title) for c in BOARD_COMMANDS}
        # Every board action the help lists is in the palette, and the other way round.
        assert helped & board_titles == palette & board_titles
        assert ("Sort by value" in helped) == (phase == "priority")
        assert ("Clear judgement" in helped) == (phase == "impact")


@pytest.mark.parametrize("phase", ["intro", "failures", "impact", "countermeasures", "priority", "retro"])
async def test_the_palette_offers_exactly_the_phase_s_commands_and_runs_them_where_they_live(
        demo_at, make_app, phase):
    """A phase's keys belong to its widget: the palette lists them only in their phase, and
    picking one runs it on that widget (not on the screen, where it would do nothing)."""
    app = make_app(demo_at(phase))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        offered = {c.title for c in app.get_system_commands(app.screen)}
        for command in BOARD_COMMANDS:
            assert (_(command.title) in offered) == (not command.phases or phase in command.phases), command.title
        if phase == "priority":
            undecided = columns(app)["undecided"]
            before = [c.id for c in undecided.cards]
            sort = next(c for c in app.get_system_commands(app.screen) if c.title == "Sort by value")
            await sort.callback()
            await settle(pilot)
            assert [c.id for c in columns(app)["undecided"].cards] != before
            assert [c.id for c in columns(app)["undecided"].cards] == [
                c.id for c in sorted((c for c in board(app).model.workshop.countermeasures
                                      if c.decision == "undecided"), key=lambda c: c.rank)]


async def test_ascii_borders_reach_the_phases_kept_out_of_sight(demo_at, make_app):
    """Phases stay mounted once shown: b in one phase draws every phase's borders in ASCII."""
    app = make_app(demo_at("failures"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")  # impact: failures kept, hidden
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert all(c.ascii_borders for c in columns(app).values())
        assert columns(app)["Dispatch"].render_line(1).text.startswith("+-")
        await pilot.press("b")  # and back, from this side
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert not board(app).view().grid.ascii_borders
