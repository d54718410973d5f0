"""The priority board of the demo: value order, decisions, the later details,
done flags and the coverage panel.

Every change is checked on the board and in the file as a second reader finds
it while the board still has it open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from premortem_tui.domain.model import Workshop
from premortem_tui.domain.scoring import suggested_value
from premortem_tui.store.service import SessionService
from premortem_tui.ui.app import PremortemApp
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.modals.card_form import CardForm
from premortem_tui.ui.settings import Settings
from premortem_tui.ui.widgets.card_column import CardColumn
from premortem_tui.ui.widgets.coverage import CoveragePanel

from fakes import FakeClock

from .conftest import AUTHOR, FIXED_NOW, SIZE, reopen, write_fixed_demo
from .helpers import board, columns, focus_text, notices, paste, settle

ROUTING_POOL = "Run route optimisation on its own worker pool with its own quota"
ALERT = "Alert when no invoice is issued for 10 minutes during month-end closing"
LOAD_TEST = "Load-test invoice generation with last month-end's volume before each release"
TOKEN_REFRESH = "Refresh driver tokens silently a day before they expire"
MONTH_END_REVIEW = "Review month-end incidents with CS every quarter"
ROUTING = "Route optimisation returns no plan, so dispatchers plan routes by hand"
CSV_EXPORT = "Monthly deliveries CSV is missing the last day of the month"


# -- helpers ---------------------------------------------------------------------------------


def column_texts(app, key: str) -> list[str]:
    return [c.body for c in columns(app)[key].cards]


def focused_card(app):
    assert isinstance(app.focused, CardColumn), app.focused
    assert app.focused.current is not None
    return app.focused.key, app.focused.current


def cm(w: Workshop, text: str):
    return next(c for c in w.countermeasures if c.text == text)


def column_in_file(w: Workshop, decision: str) -> list[str]:
    """A decision column as the file orders it (by rank)."""
    return [c.text for c in sorted((c for c in w.countermeasures if c.decision == decision),
                                   key=lambda c: c.rank)]


# -- value order, moves, ranks ---------------------------------------------------------------------


async def test_s_sorts_the_undecided_column_by_suggested_value(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        before = reopen(demo_path)
        failures = before.failure_by_id()
        undecided = sorted((c for c in before.countermeasures if c.decision == "undecided"), key=lambda c: c.rank)
        expected = [c.text for c in sorted(undecided, key=lambda c: (suggested_value(c, failures) is None,
                                                                     -(suggested_value(c, failures) or 0)))]
        assert suggested_value(cm(before, MONTH_END_REVIEW), failures) is None
        assert column_texts(app, "undecided") != expected  # the demo is not in value order yet

        await pilot.press("s")
        await pilot.pause()
        assert column_texts(app, "undecided") == expected
        assert expected[-1] == MONTH_END_REVIEW  # unset value last
        after = reopen(demo_path)
        assert column_in_file(after, "undecided") == expected
        assert sorted(c.rank for c in after.countermeasures if c.decision == "undecided") == list(range(len(expected)))
        assert focused_card(app)[1].body == expected[0]
        # only the undecided column was reordered
        for decision in ("now", "next", "later", "wont"):
            assert column_in_file(after, decision) == column_in_file(before, decision)


async def test_L_decides_now_and_J_K_change_the_rank(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await focus_text(pilot, ROUTING_POOL)
        now_before = column_in_file(reopen(demo_path), "now")
        await pilot.press("L")
        await pilot.pause()
        assert focused_card(app)[0] == "now" and focused_card(app)[1].body == ROUTING_POOL
        assert column_texts(app, "now") == [ROUTING_POOL, *now_before]
        w = reopen(demo_path)
        assert (cm(w, ROUTING_POOL).decision, cm(w, ROUTING_POOL).rank) == ("now", 0)
        assert column_in_file(w, "now") == [ROUTING_POOL, *now_before]
        assert ROUTING_POOL not in column_in_file(w, "undecided")

        for key, rank in [("J", 1), ("J", 2), ("K", 1)]:
            await pilot.press(key)
            await pilot.pause()
            order = [*now_before]
            order.insert(rank, ROUTING_POOL)
            assert column_texts(app, "now") == order, key
            assert column_in_file(reopen(demo_path), "now") == order, key
            assert focused_card(app)[1].body == ROUTING_POOL and app.focused.cursor == rank, key


async def test_moving_to_later_asks_when_and_a_reminder(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await focus_text(pilot, LOAD_TEST)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, CardForm)
        assert "Later" in app.screen.form_title
        assert isinstance(app.focused, Input) and app.focused.id == "field-revisit_when"
        assert cm(reopen(demo_path), LOAD_TEST).decision == "later"  # the move is committed already
        await paste(pilot, "after 30 customers")
        await pilot.press("tab")
        await paste(pilot, "2026-11-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        board(app)
        saved = cm(reopen(demo_path), LOAD_TEST)
        assert (saved.decision, saved.revisit_when, saved.remind_on) == ("later", "after 30 customers", "2026-11-01")
        key, card = focused_card(app)
        assert key == "later" and card.body == LOAD_TEST
        assert "when: after 30 customers | remind 2026-11-01" in card.meta

        # escape: decided later, the details still to come
        await focus_text(pilot, TOKEN_REFRESH)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"someday", "escape")  # typed into: asked first, then discarded
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        board(app)
        saved = cm(reopen(demo_path), TOKEN_REFRESH)
        assert (saved.decision, saved.revisit_when, saved.remind_on) == ("later", "", None)
        key, card = focused_card(app)
        assert key == "later" and card.body == TOKEN_REFRESH
        assert "NEEDS: when?" in card.meta


async def test_n_opens_the_decision_form_and_saves_the_note_and_owner(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await focus_text(pilot, ALERT)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert isinstance(app.focused, TextArea) and app.focused.id == "field-decision_note"
        values = app.screen.values()
        assert (values["owner"], values["intro_cost"], values["maintenance_cost"], values["effect"]) == (
            "Eva Novak", "2", "1", "5")
        assert "revisit_when" not in values  # asked only for later
        await paste(pilot, "Cheap and it pages us (Aiko)")
        await pilot.press("tab", "ctrl+u", *"Ben", "ctrl+s")
        await settle(pilot)
        board(app)
        saved = cm(reopen(demo_path), ALERT)
        assert (saved.decision_note, saved.owner) == ("Cheap and it pages us (Aiko)", "Ben")
        assert (saved.intro_cost, saved.maintenance_cost, saved.effect, saved.decision) == (2, 1, 5, "now")
        assert focused_card(app)[1].body == ALERT

        # a card whose costs are still unset: a note alone saves, the costs stay unset
        await focus_text(pilot, MONTH_END_REVIEW)
        await pilot.press("n")
        await pilot.pause()
        await paste(pilot, "Worth an hour a quarter")
        await pilot.press("tab", *"Cy", "ctrl+s")
        await settle(pilot)
        board(app)
        saved = cm(reopen(demo_path), MONTH_END_REVIEW)
        assert (saved.decision_note, saved.owner) == ("Worth an hour a quarter", "Cy")
        assert (saved.intro_cost, saved.maintenance_cost, saved.effect) == (None, None, None)


async def test_d_marks_a_chosen_card_done_and_undone_and_refuses_an_undecided_one(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await focus_text(pilot, ALERT)
        await pilot.press("d")
        await pilot.pause()
        assert cm(reopen(demo_path), ALERT).done is True
        key, card = focused_card(app)
        assert key == "now" and card.body == ALERT and card.badge.endswith("done") and card.tone == "done"
        await pilot.press("d")
        await pilot.pause()
        assert cm(reopen(demo_path), ALERT).done is False
        assert "done" not in focused_card(app)[1].badge

        await focus_text(pilot, ROUTING_POOL)
        await pilot.press("d")
        await pilot.pause()
        assert cm(reopen(demo_path), ROUTING_POOL).done is False
        assert "done" not in focused_card(app)[1].badge
        assert "only a chosen countermeasure (now or next) can be done" in notices(app)


# -- coverage and the phase guide --------------------------------------------------------------------


def coverage_lines(app) -> list[tuple[str | None, str]]:
    panel = board(app).query_one(CoveragePanel)
    return [(o.id, str(o.prompt)) for o in (panel.get_option_at_index(n) for n in range(panel.option_count))]


async def highlight(pilot, failure_id: str) -> None:
    panel = board(pilot.app).query_one(CoveragePanel)
    for _step in range(panel.option_count + 1):
        if panel.highlighted is not None and panel.get_option_at_index(panel.highlighted).id == failure_id:
            return
        await pilot.press("down")
    raise AssertionError("the failure is not in the coverage panel")


async def test_coverage_shows_the_gap_and_enter_jumps_to_its_first_countermeasure(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        w = reopen(demo_path)
        routing = next(f for f in w.failures if f.failure == ROUTING)
        answering = [c for c in w.countermeasures if routing.id in c.failure_ids]
        assert {c.decision for c in answering} == {"undecided"}  # high, and nothing chosen answers it
        lines = coverage_lines(app)
        gaps = [fid for fid, text in lines if "GAP: no chosen countermeasure" in text]
        assert gaps == [routing.id]
        guide = str(board(app).query_one("#phase-guide").render())
        assert "Decides when opinions split: Aiko Tanaka (product manager)" in guide

        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.focused, CoveragePanel)
        await highlight(pilot, routing.id)
        await pilot.press("enter")
        await pilot.pause()
        key, card = focused_card(app)
        assert (key, card.body) == ("undecided", ROUTING_POOL) == ("undecided", answering[0].text)
        assert "3 countermeasures answer it: Undecided" in notices(app)


async def test_a_coverage_jump_past_the_filter_clears_the_filter_box_too(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        routing = next(f for f in reopen(demo_path).failures if f.failure == ROUTING)
        await pilot.press("slash", *"invoice", "enter")  # the filter hides every routing countermeasure
        await pilot.pause()
        box = board(app).query_one("#filter", Input)
        assert box.value == "invoice" and box.display
        assert column_texts(app, "undecided") == []

        await pilot.press("g")
        await pilot.pause()
        await highlight(pilot, routing.id)
        await pilot.press("enter")
        await pilot.pause()
        key, card = focused_card(app)
        assert (key, card.body) == ("undecided", ROUTING_POOL)
        assert len(column_texts(app, "undecided")) == 4  # the jump lifted the filter...
        # ...so the box no longer claims a filter that is not applied
        assert (box.value, box.display) == ("", False), (box.value, box.display)


async def test_coverage_enter_on_an_unanswered_failure_opens_a_new_countermeasure(make_app, demo_path, clock):
    with SessionService.open(str(demo_path), clock=clock) as service:
        csv = next(f for f in service.load().failures if f.failure == CSV_EXPORT)
        service.update_failure(csv.id, impact=4, likelihood=4)  # high, and nothing answers it
    app = make_app(open_model(str(demo_path), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        assert any(fid == csv.id and "GAP" in text for fid, text in coverage_lines(app))
        await pilot.press("g")
        await pilot.pause()
        await highlight(pilot, csv.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert CSV_EXPORT in app.screen.form_title
        assert app.screen.values()["failure_ids"] == [csv.id]
        await paste(pilot, "Check the CSV row count against the deliveries")
        await pilot.press("ctrl+s")
        await settle(pilot)
        board(app)
        added = cm(reopen(demo_path), "Check the CSV row count against the deliveries")
        assert (added.failure_ids, added.decision, added.author) == ([csv.id], "undecided", AUTHOR)
        assert "Check the CSV row count against the deliveries" in column_texts(app, "undecided")


# -- picture --------------------------------------------------------------------------------------------


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside the test's directory, so the header shows a short, stable file name."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_demo_priority_board_with_coverage_at_200x60(snap_compare, here):
    write_fixed_demo("demo.premortem")
    clock = FakeClock(FIXED_NOW)
    app = PremortemApp(open_model("demo.premortem", clock=clock), clock=clock, settings=Settings(), author="")
    assert snap_compare(app, terminal_size=(200, 60))


async def test_g_highlights_the_first_coverage_row_and_j_k_move_through_them(make_app, demo_model):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        panel = board(app).query_one(CoveragePanel)
        assert app.focused is panel and panel.highlighted == 0  # enter now jumps, with no arrow first
        await pilot.press("j", "j")
        await pilot.pause()
        assert panel.highlighted == 2
        await pilot.press("k")
        await pilot.pause()
        assert panel.highlighted == 1
