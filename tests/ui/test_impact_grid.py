"""The customer-impact phase: the tray of unjudged cards, the impact x likelihood
grid, the weights per service and the focused card's details.

Every change is checked on the screen and in the file as a second reader
finds it while the board still has it open.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, TextArea

from premortem_tui.domain.model import Workshop
from premortem_tui.domain.scoring import service_weights
from premortem_tui.domain.json_document import to_document
from premortem_tui.store.service import SessionService
from premortem_tui.ui.app import PremortemApp
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.modals.card_form import CardForm
from premortem_tui.ui.modals.compare import CompareScreen
from premortem_tui.ui.screens.board import BoardScreen
from premortem_tui.ui.settings import Settings
from premortem_tui.ui.widgets.card_column import CARD_HEIGHT
from premortem_tui.ui.widgets.impact_grid import ImpactGrid
from premortem_tui.ui.phases.impact import ImpactPhase
from premortem_tui.ui.widgets.impact_phase import DetailPanel, WeightsPanel

from fakes import FakeClock

from .conftest import AUTHOR, FIXED_NOW, SIZE, reopen
from .helpers import paste, settle

# service, what fails, period, timing, author, impact, likelihood
CARDS = (
    ("Billing", "No invoice can be issued", "30 minutes", "month-end closing", "Ann", None, None),
    ("Billing", "Invoices show last month's rate", "1 day", "start of month", "Bob", 4, 3),
    ("Dispatch", "Routes come back empty", "half a day", "early morning", "Ann", 4, 3),
    ("Dispatch", "Jobs cannot be assigned", "1 hour", "early morning", "Cy", None, None),
    ("Auth", "Nobody can log in", "1 hour", "business hours", "Bob", 3, 4),
    ("Portal", "Map does not load", "2 hours", "night", "Cy", 1, 2),
    ("Portal", "Shippers see no deliveries", "1 hour", "business hours", "Ann", 5, 4),
)
NO_INVOICE, RATE, ROUTES, JOBS, LOGIN, MAP, SHIPPERS = (c[1] for c in CARDS)


# -- helpers -------------------------------------------------------------------------


def write_session(path: Path, clock: FakeClock, phase: str = "impact") -> None:
    with SessionService.open(str(path), create=True, clock=clock) as service:
        for service_name, failure, period, timing, author, impact, likelihood in CARDS:
            card = service.add_failure(service_name, failure, period, timing, author)
            if impact is not None:
                service.update_failure(card.id, impact=impact, likelihood=likelihood)
        service.add_participant("Aiko", "pm")
        service.go_to_phase(phase)


@pytest.fixture
def impact_app(session_path: Path, clock: FakeClock, make_app):
    """The board on the impact phase of CARDS (``phase`` another phase to enter it by key)."""

    def build(phase: str = "impact") -> PremortemApp:
        write_session(session_path, clock, phase)
        return make_app(open_model(str(session_path), clock=clock, author=AUTHOR))

    return build


def view(app) -> ImpactPhase:
    assert isinstance(app.screen, BoardScreen), app.screen
    return app.screen.query_one(ImpactPhase)


def named(w: Workshop, text: str):
    return next(f for f in w.failures if f.failure == text)


def saved(path: Path, text: str) -> tuple:
    f = named(reopen(path), text)
    return f.impact, f.likelihood


def focused_id(app) -> str:
    focused = app.focused
    assert isinstance(focused, (ImpactGrid,)) or focused is view(app).tray, focused
    assert focused.current is not None
    return focused.current.id


async def focus_in_grid(pilot, failure_id: str) -> ImpactGrid:
    grid = view(pilot.app).grid
    assert grid.select(failure_id)
    grid.focus()
    grid.refresh_cursor()  # as the cursor keys do: the details follow
    await pilot.pause()
    return grid


def visible(widget) -> str:
    """What the widget shows on the screen, line by line (cut where its height ends)."""
    return "\n".join(widget.render_line(y).text.rstrip() for y in range(widget.size.height))


def detail(app) -> str:
    return str(view(app).query_one(DetailPanel).render())


def cell_line(grid: ImpactGrid, cell: tuple[int, int], line: int) -> str:
    """The text of one card line of a grid cell (0 is the first card under the band)."""
    x, y, width, _height = grid._regions[cell]
    return grid.render_line(y + 1 + line).text[x:x + width]


def weights_shown(app) -> list[tuple[str, int]]:
    lines = str(view(app).query_one(WeightsPanel).render()).splitlines()
    assert lines[0] == "Weight per service"
    rows = []
    for line in lines[1:]:
        if line.strip():
            match = re.fullmatch(r"(.*?)\s+#*\s*(\d+)", line)
            assert match, line
            rows.append((match.group(1).strip(), int(match.group(2))))
    return rows


def tray_ids(app) -> list[str]:
    return [c.id for c in view(app).tray.cards]


# -- entering the phase, digits, undo ------------------------------------------------------


async def test_entering_the_phase_focuses_the_first_unjudged_card_and_digits_place_it(impact_app, session_path):
    app = impact_app("failures")
    async with app.run_test(size=SIZE) as pilot:
        w = reopen(session_path)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        tray, grid = view(app).tray, view(app).grid
        # the tray lists the unjudged cards by service, and the first of them has the focus
        assert tray_ids(app) == [named(w, NO_INVOICE).id, named(w, JOBS).id]
        assert app.focused is tray and focused_id(app) == named(w, NO_INVOICE).id
        assert NO_INVOICE in detail(app) and "unjudged: type impact" in detail(app)

        await pilot.press("4")
        await pilot.pause()
        assert saved(session_path, NO_INVOICE) == (None, None)  # the impact waits for its likelihood
        await pilot.press("2")
        await pilot.pause()
        assert saved(session_path, NO_INVOICE) == (4, 2)
        assert [f.failure for f in grid.cells[(4, 2)]] == [NO_INVOICE]
        assert tray_ids(app) == [named(w, JOBS).id]
        assert view(app).tray.render_line(0).text.rstrip() == " Not judged yet (1)"
        # the room goes on with the next unjudged card
        assert app.focused is tray and focused_id(app) == named(w, JOBS).id
        assert JOBS in detail(app)

        await pilot.press("u")
        await pilot.pause()
        assert saved(session_path, NO_INVOICE) == (None, None)
        assert (4, 2) not in grid.cells
        assert tray_ids(app) == [named(w, NO_INVOICE).id, named(w, JOBS).id]

        # every card judged: entering the phase again focuses the highest risk in the grid
        await pilot.press("4", "2", "5", "1")
        await pilot.pause()
        assert tray_ids(app) == []
        assert {saved(session_path, NO_INVOICE), saved(session_path, JOBS)} == {(4, 2), (5, 1)}
        await pilot.press("left_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert app.focused is view(app).grid
        assert focused_id(app) == named(w, SHIPPERS).id
        assert view(app).grid.cell == (5, 4)


async def test_shifted_hjkl_nudge_a_card_and_0_sends_it_back_to_the_tray(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        card_id = named(reopen(session_path), NO_INVOICE).id
        assert focused_id(app) == card_id
        grid = view(app).grid
        for key, expected in [("L", (3, 3)),  # a tray card lands in the middle, whatever the direction
                              ("L", (3, 4)), ("H", (3, 3)), ("K", (4, 3)), ("J", (3, 3)), ("J", (2, 3))]:
            await pilot.press(key)
            await pilot.pause()
            assert saved(session_path, NO_INVOICE) == expected, key
            assert app.focused is grid and focused_id(app) == card_id, key
            assert grid.cell == expected, key
            assert card_id in {f.id for f in grid.cells[expected]}, key
            assert card_id not in tray_ids(app), key
        assert cell_line(grid, (2, 3), 0).startswith("> Billing")

        await pilot.press("0")
        await pilot.pause()
        assert saved(session_path, NO_INVOICE) == (None, None)
        assert card_id in tray_ids(app)
        assert all(card_id not in {f.id for f in cards} for cards in grid.cells.values())
        assert app.focused is view(app).tray and focused_id(app) == card_id


# -- the mouse -----------------------------------------------------------------------------


async def test_dragging_a_card_from_the_tray_into_a_cell_and_from_cell_to_cell(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        w = reopen(session_path)
        tray, grid = view(app).tray, view(app).grid
        jobs = named(w, JOBS).id
        assert tray_ids(app).index(jobs) == 1
        x, y, _w, _h = grid._regions[(2, 5)]
        assert grid.cell_at(x + 2, y + 1) == (2, 5)
        await pilot.mouse_down(tray, offset=(4, CARD_HEIGHT + 2))  # the second tray card
        await pilot.hover(grid, offset=(x + 2, y + 1))
        await pilot.mouse_up(grid, offset=(x + 2, y + 1))
        await pilot.pause()
        assert saved(session_path, JOBS) == (2, 5)
        assert [f.id for f in grid.cells[(2, 5)]] == [jobs]
        assert jobs not in tray_ids(app)

        x2, y2, _w, _h = grid._regions[(1, 1)]
        await pilot.mouse_down(grid, offset=(x + 2, y + 1))  # the card's line in its cell
        await pilot.hover(grid, offset=(x2 + 2, y2 + 1))
        await pilot.mouse_up(grid, offset=(x2 + 2, y2 + 1))
        await pilot.pause()
        assert saved(session_path, JOBS) == (1, 1)
        assert (2, 5) not in grid.cells and [f.id for f in grid.cells[(1, 1)]] == [jobs]
        assert app.focused is grid and focused_id(app) == jobs

        # and back to the tray: unjudged again
        await pilot.mouse_down(grid, offset=(x2 + 2, y2 + 1))
        await pilot.hover(tray, offset=(4, 2))
        await pilot.mouse_up(tray, offset=(4, 2))
        await pilot.pause()
        assert saved(session_path, JOBS) == (None, None)
        assert jobs in tray_ids(app)


async def test_clicking_a_grid_card_focuses_it_without_changing_anything(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        w = reopen(session_path)
        await pilot.press("4", "2")  # judges the first tray card
        await pilot.pause()
        assert saved(session_path, NO_INVOICE) == (4, 2)
        grid = view(app).grid
        x, y, _w, _h = grid._regions[(5, 4)]
        await pilot.click(grid, offset=(x + 2, y + 1))
        await pilot.pause()
        assert app.focused is grid and focused_id(app) == named(w, SHIPPERS).id
        assert saved(session_path, SHIPPERS) == (5, 4)
        # a click is not a change: u still undoes the judgement made before it
        await pilot.press("u")
        await pilot.pause()
        assert saved(session_path, NO_INVOICE) == (None, None)
        assert named(w, NO_INVOICE).id in tray_ids(app)


# -- acceptable, variants, circumstances -------------------------------------------------------


async def test_o_toggles_acceptable_on_the_card_the_details_and_the_grid(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        login = named(reopen(session_path), LOGIN).id
        grid = await focus_in_grid(pilot, login)
        assert "not marked acceptable" in detail(app)
        assert not cell_line(grid, (3, 4), 0).rstrip().endswith("OK")

        await pilot.press("o")
        await pilot.pause()
        assert named(reopen(session_path), LOGIN).acceptable is True
        assert "ACCEPTABLE" in detail(app)
        line = cell_line(grid, (3, 4), 0)
        assert line.startswith("> Auth") and line.rstrip().endswith("OK"), line
        assert app.focused is grid and focused_id(app) == login

        await pilot.press("o")
        await pilot.pause()
        assert named(reopen(session_path), LOGIN).acceptable is False
        assert "ACCEPTABLE" not in detail(app) and "not marked acceptable" in detail(app)
        assert not cell_line(grid, (3, 4), 0).rstrip().endswith("OK")


async def test_v_writes_a_variant_linked_both_ways(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        original = named(reopen(session_path), ROUTES)
        await focus_in_grid(pilot, original.id)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert app.screen.values() == {"failure": ROUTES, "period": "half a day", "timing": "early morning"}
        await pilot.press("end")
        await paste(pilot, " for big carriers")
        await pilot.press("tab", "ctrl+u", *"2 hours", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)

        w = reopen(session_path)
        variant = named(w, ROUTES + " for big carriers")
        assert variant.variant_of == original.id
        assert (variant.service, variant.period, variant.timing) == ("Dispatch", "2 hours", "early morning")
        assert (variant.impact, variant.likelihood, variant.author) == (None, None, AUTHOR)
        assert named(w, ROUTES).variant_of is None
        # the new card waits in the tray with the focus, and says what it is a variant of
        assert app.focused is view(app).tray and focused_id(app) == variant.id
        assert f"variant of: {ROUTES} (12)" in detail(app)
        # the original lists its variant
        await focus_in_grid(pilot, original.id)
        assert f"variant: {ROUTES} for big carriers (unjudged)" in detail(app)


async def test_n_edits_the_circumstances_of_the_focused_card(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "circumstances: (n edits)" in detail(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        assert isinstance(app.focused, TextArea) and app.focused.id == "field-notes"
        await paste(pilot, "Worse at month end; viewing still works")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert named(reopen(session_path), NO_INVOICE).notes == "Worse at month end; viewing still works"
        assert "circumstances: Worse at month end; viewing still works" in detail(app)
        assert focused_id(app) == named(reopen(session_path), NO_INVOICE).id


async def test_the_details_of_the_demo_show_its_variant_both_ways_at_120x40(make_app, demo_at):
    model = demo_at("impact")
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        original = named(model.workshop, "No invoice at all can be issued")
        variant = named(model.workshop, "Invoices cannot be registered, but existing ones can still be viewed")
        assert variant.variant_of == original.id and original.notes  # long circumstances, as a room writes them
        await focus_in_grid(pilot, variant.id)
        await settle(pilot)
        shown = visible(view(app).query_one(DetailPanel))
        assert "variant of: No invoice at all can be issued (20)" in shown, shown
        await focus_in_grid(pilot, original.id)
        await settle(pilot)
        shown = visible(view(app).query_one(DetailPanel))
        assert "circumstances: Mid-month nobody would notice" in shown
        assert f"variant: {variant.failure} (6)" in shown, shown  # on the screen, not cut off below the panel


# -- comparison, prompts, weights ------------------------------------------------------------


def compare_rows(app) -> list[tuple[str, str, str, str]]:
    assert isinstance(app.screen, CompareScreen), app.screen
    table = app.screen.query_one(DataTable)
    return [tuple(str(v) for v in (row[0], row[2], row[3], row[4])) for row in
            (table.get_row_at(n) for n in range(table.row_count))]


async def test_c_and_shift_c_compare_by_risk_then_service(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        await focus_in_grid(pilot, named(reopen(session_path), ROUTES).id)
        await pilot.press("c")
        await pilot.pause()
        assert compare_rows(app) == [("12", "4x3", "Billing", RATE), ("12", "4x3", "Dispatch", ROUTES)]
        assert "Cell impact 4 x likelihood 3" in str(app.screen.query_one("#compare-title").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)

        await pilot.press("C")
        await pilot.pause()
        assert compare_rows(app) == [("20", "5x4", "Portal", SHIPPERS), ("12", "3x4", "Auth", LOGIN),
                                     ("12", "4x3", "Billing", RATE), ("12", "4x3", "Dispatch", ROUTES),
                                     ("2", "1x2", "Portal", MAP)]
        await pilot.press("C")  # the key that opened it closes it
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_p_hides_and_shows_the_prompts_and_the_decider_stays_in_view(impact_app):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        guide = app.screen.query_one("#phase-guide")
        decider = "Decides when opinions split: Aiko (product manager)"
        assert "Ask: does the time of day" in visible(guide)
        await pilot.press("p")
        await pilot.pause()
        assert "Ask:" not in visible(guide)
        assert "3. Customer impact" in visible(guide) and decider in visible(guide)
        await pilot.press("p")
        await pilot.pause()
        assert "Ask: does the time of day" in visible(guide)
        # the prompts never push the name of the decider off the screen
        assert decider in visible(guide), visible(guide)


async def test_the_weights_follow_service_weights_and_a_judgement(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        expected = service_weights(reopen(session_path).failures)
        assert expected == [("Portal", 22), ("Auth", 12), ("Billing", 12), ("Dispatch", 12)]
        assert weights_shown(app) == expected

        await pilot.press("4", "2")  # Billing: 12 + 8
        await pilot.pause()
        expected = service_weights(reopen(session_path).failures)
        assert expected == [("Portal", 22), ("Billing", 20), ("Auth", 12), ("Dispatch", 12)]
        assert weights_shown(app) == expected

        await focus_in_grid(pilot, named(reopen(session_path), SHIPPERS).id)
        await pilot.press("J", "J", "J")  # 5x4 -> 2x4: Portal falls to 10
        await pilot.pause()
        assert saved(session_path, SHIPPERS) == (2, 4)
        expected = service_weights(reopen(session_path).failures)
        assert expected[0] == ("Billing", 20) and ("Portal", 10) in expected
        assert weights_shown(app) == expected


async def test_the_weights_show_japanese_service_names_whole(make_app, session_path, clock):
    with SessionService.open(str(session_path), create=True, clock=clock) as service:
        for name, text, impact, likelihood in (("請求管理", "全ての請求書が発行できない", 5, 4),
                                                ("配車", "配車担当者が仕事を割り当てられない", 3, 3)):
            card = service.add_failure(name, text)
            service.update_failure(card.id, impact=impact, likelihood=likelihood)
        service.go_to_phase("impact")
    app = make_app(open_model(str(session_path), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # eight and four cells wide: both fit the panel's twelve-cell name column
        assert weights_shown(app) == [("請求管理", 20), ("配車", 9)]
        grid = view(app).grid
        widths = {cell_len(grid.render_line(y).text.rstrip()) for y in range(grid.size.height)} - {0}
        assert len(widths) == 1, widths  # wide characters keep the grid's borders straight


# -- the file: what an export says ------------------------------------------------------------------


async def test_the_export_shows_the_judgement_acceptable_and_variant(impact_app, session_path):
    app = impact_app()
    async with app.run_test(size=SIZE) as pilot:
        original = named(reopen(session_path), NO_INVOICE).id
        await pilot.press("o", "v")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press("end", *" twice", "ctrl+s")
        await settle(pilot)
        variant = named(reopen(session_path), NO_INVOICE + " twice").id
        view(app).tray.select(original)
        await pilot.pause()
        assert focused_id(app) == original
        await pilot.press("4", "2")
        await pilot.pause()

    document = to_document(reopen(session_path), FIXED_NOW)
    failures = {f["id"]: f for f in document["failures"]}
    assert {k: failures[original][k] for k in ("impact", "likelihood", "risk", "acceptable", "variant_of")} == {
        "impact": 4, "likelihood": 2, "risk": 8, "acceptable": True, "variant_of": None}
    assert {k: failures[variant][k] for k in ("service", "impact", "likelihood", "acceptable", "variant_of")} == {
        "service": "Billing", "impact": None, "likelihood": None, "acceptable": False, "variant_of": original}


# -- pictures: Japanese cards on the grid -------------------------------------------------------------

JAPANESE_CARDS = (  # service, what fails, period, timing, author, impact, likelihood
    ("請求管理", "全ての請求書が発行できない", "30分", "月末締め", "田中", 4, 4),
    ("請求管理", "請求書は登録できないが、既存の請求書は閲覧できる", "2時間", "月中", "佐藤", 2, 3),
    ("請求管理", "請求書PDFに先月の燃料サーチャージ率が表示される", "1日", "月初", "田中", None, None),
    ("配車", "配車担当者がドライバーに仕事を割り当てられない", "1時間", "早朝", "鈴木", 5, 3),
    ("配車", "ルート最適化が計画を返さない", "半日", "早朝", "佐藤", None, None),
    ("ドライバーアプリ", "ドライバーがログアウトされ再ログインできない", "1時間", "早朝", "高橋", 4, 2),
    ("Customer portal", "荷主が配送状況を見られない", "1時間", "営業時間", "鈴木", 3, 2),
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside the test's directory, so the header shows a short, stable file name."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def japanese_impact_app() -> PremortemApp:
    clock = FakeClock(FIXED_NOW)
    path = "japanese.premortem"
    with SessionService.open(path, create=True, clock=clock, title="請求と配車の事前検討") as service:
        service.update_session(date="2026-11-28")
        for name, failure, period, timing, author, impact, likelihood in JAPANESE_CARDS:
            card = service.add_failure(name, failure, period, timing, author)
            if impact is not None:
                service.update_failure(card.id, impact=impact, likelihood=likelihood)
        service.add_participant("田中", "pm")
        service.go_to_phase("impact")
    return PremortemApp(open_model(path, clock=clock), clock=clock, settings=Settings(), author="")


def test_japanese_impact_grid_at_120x40(snap_compare, here):
    # prompts hidden (p): at this width they take two lines of the phase guide
    assert snap_compare(japanese_impact_app(), press=["p"], terminal_size=(120, 40))


def test_japanese_impact_grid_at_200x60(snap_compare, here):
    assert snap_compare(japanese_impact_app(), terminal_size=(200, 60))
