"""What the impact phase tells the room while it judges: the digit hint goes once answered, and an
empty tray says whether everything is judged or the filter hides the rest."""

from __future__ import annotations

from premortem_tui.ui.phases.impact import ImpactPhase

from .helpers import board, notices, settle


async def test_the_likelihood_hint_goes_once_the_likelihood_is_typed(demo_at, make_app):
    app = make_app(demo_at("impact"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        assert any("now type the likelihood" in n for n in notices(app))
        await pilot.press("2")
        await settle(pilot)
        assert not any("now type the likelihood" in n for n in notices(app))


async def test_an_empty_tray_under_a_filter_does_not_claim_every_failure_is_judged(demo_at, make_app):
    app = make_app(demo_at("impact"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = board(app).view()
        assert isinstance(view, ImpactPhase) and view.tray.cards  # the demo leaves some unjudged
        judged = next(f for f in board(app).model.workshop.failures if f.judged)
        await pilot.press("slash")
        await pilot.press(*judged.failure)  # matches a judged card only
        await settle(pilot)
        assert not view.tray.cards
        assert view.tray.hint == "no unjudged failure matches the filter"
        await pilot.press("escape")
        await settle(pilot)
        assert view.tray.cards and view.tray.hint == "every failure is judged"
