"""Handing the session on: the report, a carried session's markers and "since
last time", notes merged from files written in advance, the hand-off copy, and
the home screen's sessions, carry and reminders.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from premortem_tui.domain.duplicates import likely_duplicates
from premortem_tui.domain.model import Workshop
from premortem_tui.store.handoff import carry_file
from premortem_tui.store.locations import store_dir
from premortem_tui.store.service import SessionService
from premortem_tui.ui.app import PremortemApp
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.modals.card_form import CardForm
from premortem_tui.ui.screens.home import HomeScreen
from premortem_tui.ui.screens.import_notes import ImportScreen
from premortem_tui.ui.screens.report import ReportScreen
from premortem_tui.ui.widgets.report_view import ReportView
from premortem_tui.ui.screens.since import SinceLastTimeScreen
from premortem_tui.ui.settings import Settings
from premortem_tui.ui.phases.impact import ImpactPhase
from premortem_tui.ui.widgets.impact_phase import DetailPanel

from .conftest import AUTHOR, DEMO_TODAY, SIZE, reopen, write_fixed_demo
from .helpers import board, columns, focus_text, notices, paste, settle

ASSIGN = "Dispatchers cannot assign jobs to drivers"  # judged 5x3 in the demo
ROUTING_POOL = "Run route optimisation on its own worker pool with its own quota"  # undecided in the demo
NO_INVOICE = "No invoice at all can be issued"
REPLAY = "Replay queued dispatch assignments after an outage"  # later, reminder 3 days before DEMO_TODAY


# -- helpers -------------------------------------------------------------------------------


def card_named(app, text: str):
    for column in columns(app).values():
        for card in column.cards:
            if card.body == text:
                return card
    raise AssertionError(f"{text!r} is not on the board")


def failure(w: Workshop, text: str):
    return next(f for f in w.failures if f.failure == text)


def countermeasure(w: Workshop, text: str):
    return next(c for c in w.countermeasures if c.text == text)


def shown(widget: Static) -> str:
    return str(widget.render())


@pytest.fixture
def fixed_demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.premortem"
    write_fixed_demo(path)
    return path


@pytest.fixture
def carried(fixed_demo: Path, tmp_path: Path, clock) -> Path:
    """The next meeting of the demo, with the impact phase current."""
    path = tmp_path / "next.premortem"
    carry_file(str(fixed_demo), str(path), "Next meeting", clock=clock)
    with SessionService.open(str(path), clock=clock) as service:
        service.go_to_phase("impact")
    return path


# -- the report ----------------------------------------------------------------------------------


async def test_r_shows_the_report_s_saves_it_beside_the_file_and_escape_returns(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()  # the report is rendered in a worker
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        source = app.screen.markdown
        assert "## Coverage" in source and "Dispatch platform pre-mortem (demo)" in source
        shown_lines = app.screen.query_one(ReportView).lines
        headings = {line.text for line in shown_lines if line.kind == "heading"}
        assert {"Coverage", "Dispatch platform pre-mortem (demo)"} <= headings
        target = demo_path.with_name("demo-report.md")
        assert shown(app.screen.query_one("#report-path", Static)) == f"s saves it to {target.resolve()}"
        assert not target.exists()

        await pilot.press("s")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == source
        assert shown(app.screen.query_one("#report-path", Static)) == f"saved to {target.resolve()}"
        assert sorted(p.name for p in demo_path.parent.iterdir() if not p.name.startswith("demo.premortem")) == [
            "demo-report.md"]  # nothing half-written left behind

        await pilot.press("escape")
        await pilot.pause()
        board(app)


# -- a carried session ----------------------------------------------------------------------------


async def test_a_carried_session_marks_changed_and_new_cards(make_app, carried, clock):
    model = open_model(str(carried), clock=clock, author=AUTHOR)
    app = make_app(model)
    async with app.run_test(size=SIZE) as pilot:
        assign = failure(reopen(carried), ASSIGN)
        assert (assign.previous.impact, assign.previous.likelihood) == (5, 3)
        view = board(app).query_one(ImpactPhase)
        assert view.grid.select(assign.id)
        view.grid.focus()
        await pilot.pause()
        assert "(was" not in shown(view.query_one(DetailPanel))  # unchanged so far

        await pilot.press("J")
        await pilot.pause()
        saved = failure(reopen(carried), ASSIGN)
        assert (saved.impact, saved.likelihood) == (4, 3)
        assert (saved.previous.impact, saved.previous.likelihood) == (5, 3)  # where it came from stays
        assert "(was 5x3) impact 4" in shown(view.query_one(DetailPanel))

        await pilot.press("left_square_bracket")  # the failures board
        await pilot.pause()
        badges = {c.body: c.badge for column in columns(app).values() for c in column.cards}
        assert badges[ASSIGN] == "12 ! high (was 5x3)"
        assert [body for body, badge in badges.items() if "(was" in badge or "(new)" in badge] == [ASSIGN]

        await focus_text(pilot, NO_INVOICE)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"Credit notes fail", "ctrl+s")  # the service is filled in: on to the failure
        await settle(pilot)
        assert card_named(app, "Credit notes fail").badge == "unjudged (new)"
        added = failure(reopen(carried), "Credit notes fail")
        assert (added.service, added.previous) == ("Billing", None)


def change_lines(screen: SinceLastTimeScreen) -> str:
    return "\n".join(shown(s) for s in screen.query(Static))


async def test_D_lists_exactly_the_changes_made(make_app, carried, clock):
    app = make_app(open_model(str(carried), clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, SinceLastTimeScreen)
        assert "Nothing has changed since last time." in change_lines(app.screen)
        await pilot.press("escape")
        await pilot.pause()

        view = board(app).query_one(ImpactPhase)
        assert view.grid.select(failure(reopen(carried), ASSIGN).id)
        view.grid.focus()
        await pilot.press("J")  # 5x3 -> 4x3
        await pilot.press("right_square_bracket", "right_square_bracket")  # the priority board
        await pilot.pause()
        await focus_text(pilot, ROUTING_POOL)
        await pilot.press("L")  # undecided -> now
        await pilot.pause()
        w = reopen(carried)
        assert countermeasure(w, ROUTING_POOL).decision == "now"
        assert (failure(w, ASSIGN).impact, failure(w, ASSIGN).likelihood) == (4, 3)

        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, SinceLastTimeScreen)
        text = change_lines(app.screen)
        changes, _sep, reminders = text.partition("Reminders that came due")
        assert "Nothing has changed" not in changes
        assert [line.strip() for line in changes.splitlines() if line.strip() and "escape closes" not in line] == [
            "Risk changed (1)", f"- Dispatch: {ASSIGN}  5x3 -> 4x3 (high)",
            "Decisions changed (1)", f"- {ROUTING_POOL}  undecided -> now"]
        assert REPLAY in reminders  # the reminders are listed apart from the changes
        await pilot.press("escape")
        await pilot.pause()
        board(app)


# -- notes written in advance -------------------------------------------------------------------------


def write_notes(path: Path, author: str, cards: list[tuple[str, str]]) -> None:
    with SessionService.open(str(path), create=True) as service:
        for service_name, text in cards:
            service.add_failure(service_name, text, author=author)


async def test_I_previews_by_author_merges_and_a_second_merge_adds_nothing(make_app, demo_at, demo_path, tmp_path):
    ann, bob = tmp_path / "ann.premortem", tmp_path / "bob.premortem"
    write_notes(ann, "Ann", [("Billing", NO_INVOICE + "!"), ("billing ", "Credit notes are sent twice")])
    write_notes(bob, "Bob", [("Dispatch", "Drivers get two jobs at once")])
    app = make_app(demo_at("failures"))
    incoming = {("Billing", NO_INVOICE + "!", "Ann"), ("Billing", "Credit notes are sent twice", "Ann"),
                ("Dispatch", "Drivers get two jobs at once", "Bob")}
    async with app.run_test(size=SIZE) as pilot:
        before = len(reopen(demo_path).failures)
        await pilot.press("I")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen) and isinstance(app.focused, Input)
        await paste(pilot, f"{ann} {bob}")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = shown(app.screen.query_one("#import-preview", Static))
        assert "  Ann: 2\n" in preview and "  Bob: 1\n" in preview
        assert "checking for duplicates" not in preview
        assert "Likely duplicates" in preview
        assert f"! Billing: {NO_INVOICE}!  ~  {NO_INVOICE}" in preview
        assert len(reopen(demo_path).failures) == before  # a preview commits nothing

        await pilot.press("ctrl+s")
        await settle(pilot)
        board(app)
        w = reopen(demo_path)
        assert len(w.failures) == before + 3
        assert incoming <= {(f.service, f.failure, f.author) for f in w.failures}
        assert NO_INVOICE + "!" in [c.body for c in columns(app)["Billing"].cards]
        assert "Drivers get two jobs at once" in [c.body for c in columns(app)["Dispatch"].cards]

        await pilot.press("I")
        await pilot.pause()
        await paste(pilot, f"{ann} {bob}")
        await pilot.press("enter")
        await pilot.pause()
        preview = shown(app.screen.query_one("#import-preview", Static))
        assert preview.count("Nothing to add") == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        board(app)
        w = reopen(demo_path)
        assert len(w.failures) == before + 3
        counts = Counter((f.service, f.failure, f.author) for f in w.failures)
        assert all(counts[card] == 1 for card in incoming), counts
        assert [c.body for c in columns(app)["Billing"].cards].count(NO_INVOICE + "!") == 1
        assert "merged: 0 cards added" in notices(app)


async def test_I_checks_for_duplicates_off_the_ui_thread(make_app, demo_at, tmp_path, monkeypatch):
    from premortem_tui.ui.screens import import_notes

    ann = tmp_path / "ann.premortem"
    write_notes(ann, "Ann", [("Billing", NO_INVOICE + "!")])
    release = threading.Event()

    def slow_check(target, incoming):
        release.wait(10)  # a check that would freeze the screen if it ran on the UI thread
        return likely_duplicates(target, incoming)

    monkeypatch.setattr(import_notes, "likely_duplicates", slow_check)
    app = make_app(demo_at("failures"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("I")
        await pilot.pause()
        await paste(pilot, str(ann))
        await pilot.press("enter")
        await pilot.pause()
        preview = shown(app.screen.query_one("#import-preview", Static))
        assert "checking for duplicates..." in preview and "  Ann: 1\n" in preview
        assert "Likely duplicates" not in preview
        await pilot.press("x")  # the screen still answers keys
        await pilot.pause()
        assert app.screen.query_one(Input).value.endswith("x")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = shown(app.screen.query_one("#import-preview", Static))
        assert "checking for duplicates" not in preview
        assert f"! Billing: {NO_INVOICE}!  ~  {NO_INVOICE}" in preview


# -- the hand-off copy -----------------------------------------------------------------------------------


async def test_y_writes_a_copy_that_opens_alone_with_the_same_cards(make_app, demo_model, demo_path, tmp_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")  # a change only in the open file's log so far
        await pilot.pause()
        assert countermeasure(reopen(demo_path), ROUTING_POOL).decision == "now"
        await pilot.press("y")
        await pilot.pause()
        (copy,) = demo_path.parent.glob("demo-handoff-*.premortem")
        assert copy.name == f"demo-handoff-{DEMO_TODAY.isoformat()}.premortem"
        assert any(str(copy) in message for message in notices(app))
        assert not Path(str(copy) + "-wal").exists()

        elsewhere = tmp_path / "mailed"
        elsewhere.mkdir()
        alone = Path(shutil.copy(copy, elsewhere / "received.premortem"))
        assert sorted(p.name for p in elsewhere.iterdir()) == ["received.premortem"]
        original, received = reopen(demo_path), reopen(alone)

    def cards(w: Workshop) -> tuple:
        return (sorted((f.id, f.service, f.failure, f.impact, f.likelihood) for f in w.failures),
                sorted((c.id, c.text, c.decision, c.rank, c.done) for c in w.countermeasures),
                sorted((n.id, n.text) for n in w.retro))

    assert cards(received) == cards(original)
    assert countermeasure(received, ROUTING_POOL).decision == "now"
    assert received.session.id == original.session.id


# -- the home screen ------------------------------------------------------------------------------------------


@pytest.fixture
def store() -> Path:
    """The store of this test's PREMORTEM_HOME, with the demo (for the clock's day) and a plain session in it."""
    sessions = store_dir()
    sessions.mkdir(parents=True)
    write_fixed_demo(sessions / "demo.premortem")
    with SessionService.open(str(sessions / "plain.premortem"), create=True, title="Plain session") as service:
        service.add_failure("Billing", "Nothing works")
    return sessions


async def rows_read(pilot) -> tuple[DataTable, DataTable]:
    sessions = pilot.app.screen.query_one("#sessions", DataTable)
    reminders = pilot.app.screen.query_one("#reminders", DataTable)
    for _attempt in range(100):  # the sessions are read in a thread
        await pilot.pause(0.02)
        if reminders.row_count and all(str(sessions.get_row_at(n)[2]) != "reading..."
                                       for n in range(sessions.row_count)):
            return sessions, reminders
    raise AssertionError("the home screen never finished reading its sessions")


def rows(table: DataTable) -> list[list[str]]:
    return [[str(v) for v in table.get_row_at(n)] for n in range(table.row_count)]


def home_app(clock) -> PremortemApp:
    return PremortemApp(None, clock=clock, settings=Settings(), author=AUTHOR)


async def test_home_lists_the_store_and_the_due_reminders(clock, store):
    app = home_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        sessions, reminders = await rows_read(pilot)
        listed = {row[3]: row[:3] for row in rows(sessions)}
        assert listed == {
            str(store / "demo.premortem"): ["Dispatch platform pre-mortem (demo)", "2026-11-14",
                                            "Priority: 12 failures, 13 countermeasures"],
            str(store / "plain.premortem"): ["Plain session", listed[str(store / "plain.premortem")][1],
                                             "Introduction: 1 failures, 0 countermeasures"]}
        # only the reminder whose date has come; the other one is two months ahead
        assert rows(reminders) == [["OVERDUE 2026-11-25", REPLAY, "Daichi Sato",
                                    "Dispatch platform pre-mortem (demo)"]]
        assert "Reminders due (1)" in shown(app.screen.query_one("#reminders-title"))


async def test_home_c_carries_the_selected_session_into_the_store(clock, store):
    app = home_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        sessions, _reminders = await rows_read(pilot)
        demo = str(store / "demo.premortem")
        sessions.move_cursor(row=[row[3] for row in rows(sessions)].index(demo))
        await pilot.pause()
        assert app.screen.selected() == Path(demo)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press(*"Spring", "ctrl+s")
        await settle(pilot)
        board(app)
        new = Path(app.model.path)
        assert new.parent == store and new != Path(demo) and new.exists()
        old, carried_over = reopen(demo), reopen(new)
        assert carried_over.session.title == "Spring"
        assert carried_over.session.previous_session_id == old.session.id
        assert sorted(f.failure for f in carried_over.failures) == sorted(f.failure for f in old.failures)
        assert {f.previous.id for f in carried_over.failures} == {f.id for f in old.failures}
        assert board(app).model.workshop.session.title == "Spring"
        assert old.session.title == "Dispatch platform pre-mortem (demo)"  # the source is left as it was


async def test_home_enter_on_a_reminder_opens_its_session(clock, store):
    app = home_app(clock)
    async with app.run_test(size=SIZE) as pilot:
        _sessions, reminders = await rows_read(pilot)
        reminders.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        board(app)
        assert os.path.samefile(app.model.path, store / "demo.premortem")
        assert REPLAY in [c.body for c in columns(app)["later"].cards]
