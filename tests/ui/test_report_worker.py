"""The report renders off the UI thread, is kept until the session changes, and formats
only the table rows it draws."""

from __future__ import annotations

import threading

from textual.app import App

from premortem_tui.export.markdown import render_markdown
from premortem_tui.store.reader import read_file_with_removed
from premortem_tui.ui.screens import report as report_screen
from premortem_tui.ui.screens.board import BoardScreen
from premortem_tui.ui.screens.report import ReportScreen
from premortem_tui.ui.widgets import report_view
from premortem_tui.ui.widgets.report_view import ReportView

from .conftest import SIZE
from .helpers import notices


def counting_render(monkeypatch, gate: threading.Event | None = None) -> list[int]:
    """Count the report's renderings; with ``gate``, each waits for it (a slow session)."""
    calls: list[int] = []

    def render(*args, **kwargs):
        calls.append(1)
        if gate is not None:
            gate.wait(timeout=5)
        return render_markdown(*args, **kwargs)
    monkeypatch.setattr(report_screen, "render_markdown", render)
    return calls


async def ready(app, pilot) -> ReportScreen:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, ReportScreen) and app.screen.markdown is not None
    return app.screen


async def test_keys_are_handled_while_the_report_is_prepared(make_app, demo_model, monkeypatch):
    gate = threading.Event()
    counting_render(monkeypatch, gate)
    app = make_app(demo_model)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReportScreen) and screen.markdown is None
            assert str(screen.query_one("#report-status").render()) == "preparing the report..."
            await pilot.press("s")  # answered at once, though nothing is rendered yet
            await pilot.pause()
            assert "the report is still being prepared" in notices(app)
            await pilot.press("escape")  # back to the board while the worker still renders
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, BoardScreen)  # the late report does not pop up
    finally:
        gate.set()


async def test_the_report_is_kept_until_the_session_changes(make_app, demo_model, monkeypatch):
    calls = counting_render(monkeypatch)
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        first = (await ready(app, pilot)).markdown
        await pilot.press("escape", "r")
        await pilot.pause()
        # Shown at once, from what was kept: no worker, no second rendering.
        assert isinstance(app.screen, ReportScreen) and app.screen.markdown == first
        assert len(calls) == 1
        await pilot.press("escape")
        await pilot.pause()
        demo_model.add_failure(service="Billing", failure="Invoices go out twice")
        await pilot.press("r")
        second = (await ready(app, pilot)).markdown
        assert len(calls) == 2 and "Invoices go out twice" in second and "Invoices go out twice" not in first
        await pilot.press("escape")
        await pilot.pause()
        demo_model.undo()  # back to the first session: rendered again, the same text
        await pilot.press("r")
        assert (await ready(app, pilot)).markdown == first and len(calls) == 3


async def test_s_saves_what_export_writes(make_app, demo_model, demo_path, clock):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await ready(app, pilot)
        await pilot.press("s")
        await pilot.pause()
    workshop, removed = read_file_with_removed(str(demo_path))  # what `premortem export` reads
    saved = demo_path.with_name("demo-report.md").read_text(encoding="utf-8")
    assert saved == render_markdown(workshop, clock.now(), removed=removed)


async def test_only_the_table_rows_drawn_are_formatted(monkeypatch):
    rows = "".join(f"| {n} | card {n} | {'x' * (n % 60)} |\n" for n in range(10_000))
    markdown = "# Big\n\n| # | Card | Notes |\n|---|---|---|\n" + rows
    cut: list[str] = []

    def truncate(text: str, width: int) -> str:
        cut.append(text)
        return original(text, width)
    original = report_view.truncate
    monkeypatch.setattr(report_view, "truncate", truncate)

    class Report(App):
        def compose(self):
            yield ReportView(markdown)

    app = Report()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ReportView)
        await pilot.pause()
        assert 0 < len(cut) <= 3 * 40  # three cells a row, one screen of rows
        assert view.virtual_size.height == 10_004
        drawn = [view.render_line(y).text for y in range(3)]
        assert drawn[0].strip() == "Big" and drawn[2].startswith("#    | Card ")  # widths from every row
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        last = view.render_line(view.size.height - 1).text
        assert last.startswith("9999 | card 9999 | " + "x" * (9999 % 60))
        assert len(cut) <= 3 * 80
