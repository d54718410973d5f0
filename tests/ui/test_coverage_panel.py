"""The coverage panel draws again only the rows a change alters, and every row fits on
one line, also when the rows overflow and a scrollbar takes its share of the width."""

from __future__ import annotations

from pathlib import Path

from premortem_tui.store.service import SessionService
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.widgets.coverage import CoveragePanel

from .conftest import AUTHOR, SIZE, reopen
from .helpers import board, focus_text

ALERT = "Alert when no invoice is issued for 10 minutes during month-end closing"
ROUTING_POOL = "Run route optimisation on its own worker pool with its own quota"
ROUTING = "Route optimisation returns no plan, so dispatchers plan routes by hand"


def panel(app) -> CoveragePanel:
    return board(app).query_one(CoveragePanel)


def drawn(app) -> list[tuple[object, object]]:
    """Each row's option and prompt, as objects: a row drawn again has a new prompt."""
    p = panel(app)
    return [(o, o.prompt) for o in p.options]


def same_objects(before: list[tuple[object, object]], after: list[tuple[object, object]]) -> list[bool]:
    return [a[0] is b[0] and a[1] is b[1] for a, b in zip(before, after, strict=True)]


async def test_changes_that_cannot_alter_coverage_leave_every_row_as_drawn(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        before = drawn(app)
        assert len(before) >= 3
        alert = next(c for c in reopen(demo_path).countermeasures if c.text == ALERT)
        await focus_text(pilot, ALERT)  # a chosen one: its column's order is not coverage
        await pilot.press("J")
        await pilot.pause()
        assert next(c for c in reopen(demo_path).countermeasures if c.id == alert.id).rank == alert.rank + 1
        assert all(same_objects(before, drawn(app)))
        screen = board(app)
        await screen.change(lambda: screen.model.update_countermeasure(alert.id, text="Page on missing invoices"))
        await pilot.pause()
        assert next(c for c in reopen(demo_path).countermeasures if c.id == alert.id).text == "Page on missing invoices"
        assert all(same_objects(before, drawn(app)))  # its text is not on the panel


async def test_a_decision_draws_again_only_the_row_it_covers(make_app, demo_model, demo_path):
    app = make_app(demo_model)
    async with app.run_test(size=SIZE) as pilot:
        routing = next(f for f in reopen(demo_path).failures if f.failure == ROUTING)
        before = drawn(app)
        row = next(n for n, (o, _p) in enumerate(before) if o.id == routing.id)
        assert "GAP" in panel(app).render_line(row).text
        await focus_text(pilot, ROUTING_POOL)
        await pilot.press("L")  # decided now: the routing failure is covered at its stage
        await pilot.pause()
        after = drawn(app)
        assert same_objects(before, after) == [n != row for n in range(len(before))]
        shown = panel(app).render_line(row).text  # the frame shows the new row, not a stale drawing
        assert "GAP" not in shown and ROUTING.split(",")[0] in shown


async def test_every_row_is_one_line_when_the_rows_overflow(make_app, tmp_path: Path, clock):
    path = str(tmp_path / "many.premortem")
    with SessionService.open(path, create=True, clock=clock) as service:
        for n in range(CoveragePanel.ROWS * 3):
            service.add_failure("Billing", f"Invoices are issued twice after a retry storm, case {n} " * 3,
                                impact=4, likelihood=4)
        service.go_to_phase("priority")
    app = make_app(open_model(path, clock=clock, author=AUTHOR))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        p = panel(app)
        assert p.option_count == CoveragePanel.ROWS * 3
        assert p.virtual_size.height == p.option_count  # not wrapped under the scrollbar
        assert p.size.height == CoveragePanel.ROWS
