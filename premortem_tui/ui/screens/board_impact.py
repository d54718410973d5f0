"""The board's actions for the customer-impact phase: judging on the grid, acceptable
flags, variants, circumstances and relative comparison.

A mixin of BoardScreen (message handlers are named, not decorated, so that the
screen finds them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...i18n import _
from ...domain.model import TIMINGS
from ..modals.fields import FormField
from ..widgets.card_column import CardColumn, CardCursor

if TYPE_CHECKING:  # loaded with the phase, not with the board
    from ..widgets.impact_grid import ImpactGrid


class ImpactActions:
    async def on_impact_grid_dropped(self, event: ImpactGrid.Dropped) -> None:
        target, _region = self.get_widget_at(event.screen_x, event.screen_y)
        while target is not None and not isinstance(target, CardCursor):
            target = target.parent
        await self._drop_on_grid(event.card_id, target, event.screen_x, event.screen_y)

    async def _drop_on_grid(self, failure_id: str, target: object, screen_x: int, screen_y: int) -> None:
        """Let go over a grid cell: judged there; over the tray: back to unjudged. Let go where the card
        already is (a click): nothing changes, and nothing is added to undo."""
        failure = self.model.failure(failure_id)
        if failure is None:
            return
        from ..widgets.impact_grid import ImpactGrid

        if isinstance(target, ImpactGrid):
            region = target.content_region
            cell = target.cell_at(screen_x - region.x, screen_y - region.y)
            if cell is None or cell == (failure.impact, failure.likelihood):
                return
            impact, likelihood = cell
            await self.change(lambda: self.model.update_failure(failure_id, impact=impact, likelihood=likelihood))
        elif isinstance(target, CardColumn) and failure.judged:
            await self.change(lambda: self.model.update_failure(failure_id, impact=None, likelihood=None))

    # -- judgement (impact phase) ------------------------------------------------------

    async def _nudge_judgement(self, failure_id: str, dx: int, dy: int) -> None:
        failure = self.model.failure(failure_id)
        if failure is None:
            return
        impact = 3 if failure.impact is None else max(1, min(5, failure.impact - dy))
        likelihood = 3 if failure.likelihood is None else max(1, min(5, failure.likelihood + dx))
        await self.change(lambda: self.model.update_failure(failure_id, impact=impact, likelihood=likelihood))

    async def action_judge(self, digit: str) -> None:
        if self.phase != "impact":
            return
        _column, card = self.current_card()
        if card is None or card.kind != "failure":
            return
        n = int(digit)
        if n == 0:
            self._pending_impact = None
            await self.change(lambda: self.model.update_failure(card.id, impact=None, likelihood=None))
        elif self._pending_impact is None:
            self._pending_impact = n
            self.notify(_("impact {n}: now type the likelihood (1-5)").format(n=n), timeout=3)
        else:
            impact, self._pending_impact = self._pending_impact, None
            # From the tray the room goes card by card: the focus stays on the next unjudged one.
            follow = card.id
            if isinstance(self.focused, CardColumn) and len(self.focused.cards) > 1:
                tray = self.focused
                after = tray.cursor + 1 if tray.cursor + 1 < len(tray.cards) else tray.cursor - 1
                follow = tray.cards[after].id
            await self.change(lambda: self.model.update_failure(card.id, impact=impact, likelihood=n),
                              focus_id=follow)

    # -- impact phase: acceptable, variants, circumstances, comparison ------------------------

    def _focused_failure(self) -> Any:
        _column, card = self.current_card()
        return self.model.failure(card.id) if card is not None and card.kind == "failure" else None

    async def action_acceptable(self) -> None:
        failure = self._focused_failure()
        if failure is not None:
            await self.change(lambda: self.model.update_failure(failure.id, acceptable=not failure.acceptable))

    def action_variant(self) -> None:
        f = self._focused_failure()
        if f is None:
            return
        fields = [FormField("failure", _("What fails (similar, but different)"), "area", f.failure),
                  FormField("period", _("Period (how long)"), value=f.period),
                  FormField("timing", _("Timing (when)"), value=f.timing, suggestions=list(TIMINGS))]
        self._form(_("Variant of: {service}: {failure}").format(service=f.service, failure=f.failure), fields,
                   lambda v: self.model.create_variant(f.id, **v))

    def action_notes(self) -> None:
        if self.phase == "priority":
            _column, card = self.current_card()
            if card is not None and card.kind == "countermeasure":
                self._decision_form(card.id)
            return
        f = self._focused_failure()
        if f is None:
            return
        self._form(_("Circumstances that change the impact"),
                   [FormField("notes", _("e.g. worse at month end; viewing still works"), "area", f.notes)],
                   lambda v: self.model.update_failure(f.id, **v))

    def action_compare(self, scope: str) -> None:
        from ..modals.compare import CompareScreen

        view = self._impact_view()
        if view is None:
            return
        if scope == "cell":
            impact, likelihood = view.grid.cell
            self.app.push_screen(CompareScreen(_("Cell impact {i} x likelihood {l}").format(i=impact, l=likelihood),
                                               view.grid.cell_cards()))
        else:
            self.app.push_screen(CompareScreen(_("Every judged failure"), view.grid.all_cards()))

    def action_prompts(self) -> None:
        self.show_prompts = not self.show_prompts
        self._show_guide()

