"""The customer-impact phase: the tray of unjudged failures and the weights on the left, the
grid and the focused card's details on the right; judging, acceptable flags, variants,
circumstances and relative comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical

from ...domain import vocabulary
from ...domain.model import service_key
from ...i18n import _
from ..columns import Filter, failure_card
from ..widgets.card_column import CardColumn, CardCursor, CardList
from ..widgets.impact_grid import ImpactGrid
from ..widgets.impact_phase import DetailPanel, WeightsPanel
from . import forms
from .base import PhaseView

if TYPE_CHECKING:
    from ...domain.model import Failure, Workshop


class ImpactPhase(PhaseView):
    """Judging failures relatively, on one impact x likelihood grid."""

    phase = "impact"
    DEFAULT_CSS = """
    ImpactPhase { layout: horizontal; }
    ImpactPhase > #impact-left { width: 26; height: 1fr; }
    ImpactPhase > #impact-left > CardColumn { height: 1fr; }
    ImpactPhase > #impact-right { width: 1fr; height: 1fr; }
    """

    def __init__(self, ascii_borders: bool, author: str = "") -> None:
        super().__init__(ascii_borders, author)
        self.tray = CardColumn("unjudged", [], heading=_("Not judged yet"), hint=_("every failure is judged"),
                               ascii_borders=ascii_borders)
        self._tray_key: tuple | None = None
        self.grid = ImpactGrid(ascii_borders=ascii_borders)
        self.show_prompts = True
        self._pending_impact: int | None = None  # the first digit typed, waiting for the second

    def compose(self) -> ComposeResult:
        with Vertical(id="impact-left"):
            yield self.tray
            yield WeightsPanel()
        with Vertical(id="impact-right"):
            yield self.grid
            yield DetailPanel()

    def columns(self) -> list[CardColumn]:
        return [self.tray]

    async def show(self, workshop: Workshop, flt: Filter, hide_authors: bool, focus_id: str | None) -> None:
        self.workshop, self.hide_authors = workshop, hide_authors
        shown = workshop.failures if not flt.active else \
            [f for f in workshop.failures if flt.keeps(f.failure, f.service, f.author, f.period, f.timing)]
        judged = [f for f in shown if f.impact is not None and f.likelihood is not None]
        unjudged = [f for f in shown if f.impact is None or f.likelihood is None]
        # Moving a judged card on the grid leaves the tray as it was. A changed card is a new object
        # (the session model replaces what the service returns), and tuples compare by identity first.
        tray_key = (hide_authors, flt.active, tuple(unjudged))
        if tray_key != self._tray_key:
            self._tray_key = tray_key
            unjudged.sort(key=lambda f: (service_key(f.service), f.position))
            carried = workshop.session.previous_session_id is not None
            # An empty tray says why: every failure judged, or none unjudged passes the filter.
            hint = _("no unjudged failure matches the filter") if flt.active else _("every failure is judged")
            self.tray.set_cards(CardList(unjudged, lambda f: failure_card(f, hide_authors, carried)),
                                keep_id=focus_id, hint=hint)
        elif focus_id:
            self.tray.select(focus_id)
        self.grid.hide_authors = hide_authors
        self.grid.set_failures(judged, keep_id=focus_id)
        self.query_one(WeightsPanel).show(workshop.failures)
        self._show_detail()

    def focus_card(self, card_id: str | None, initial: bool) -> None:
        if initial:
            self._pending_impact = None
        if card_id and self.tray.select(card_id):
            self.tray.focus()
        elif card_id and self.grid.select(card_id):
            self.grid.focus()
        elif initial or not (self.tray.has_focus or self.grid.has_focus):
            # Entering the phase: the first unjudged failure, else the highest-risk card.
            if self.tray.cards:
                self.tray.cursor = 0
                self.tray.focus()
            else:
                self.grid.select_highest()
                self.grid.focus()
        self._show_detail()

    def add_form(self, column: str) -> PhaseView.FormWanted:
        return self.new_failure()

    def prompts(self) -> str:
        return _(vocabulary.IMPACT_PROMPTS) if self.show_prompts else ""

    def set_ascii(self, ascii_borders: bool) -> None:
        super().set_ascii(ascii_borders)
        self.grid.ascii_borders = ascii_borders
        self.grid.refresh()

    # -- the focused card's details -----------------------------------------------------

    def _focused_failure(self) -> Failure | None:
        card = self.current_card()
        return self.workshop.failure(card.id) if card is not None and self.workshop is not None else None

    def _show_detail(self) -> None:
        if self.workshop is not None:
            self.query_one(DetailPanel).show(self._focused_failure(), self.workshop, self.hide_authors)

    def on_card_column_highlighted(self) -> None:
        self._show_detail()

    def on_impact_grid_highlighted(self) -> None:
        self._show_detail()

    def on_descendant_focus(self) -> None:
        self._show_detail()

    def on_impact_grid_left_edge(self) -> None:
        self.tray.focus()

    # -- judging ---------------------------------------------------------------------------

    def focus_column(self, step: int) -> None:
        (self.grid if step > 0 else self.tray).focus()  # the tray is left of the grid

    def move_card(self, dx: int, dy: int) -> None:
        f = self._focused_failure()
        if f is None:
            return
        impact = 3 if f.impact is None else max(1, min(5, f.impact - dy))
        likelihood = 3 if f.likelihood is None else max(1, min(5, f.likelihood + dx))
        self.post_message(PhaseView.Judged(f.id, impact, likelihood))

    def action_judge(self, digit: str) -> None:
        card = self.current_card()
        if card is None or card.kind != "failure":
            return
        n = int(digit)
        if n == 0:
            self._pending_impact = None
            self.post_message(PhaseView.Judged(card.id, None, None))
        elif self._pending_impact is None:
            self._pending_impact = n
            self.notify(_("impact {n}: now type the likelihood (1-5)").format(n=n), timeout=3)
        else:
            impact, self._pending_impact = self._pending_impact, None
            self.app.clear_notifications()  # the "now type the likelihood" hint is answered
            # From the tray the room goes card by card: the focus stays on the next unjudged one.
            follow = card.id
            if self.tray.has_focus and len(self.tray.cards) > 1:
                after = self.tray.cursor + 1 if self.tray.cursor + 1 < len(self.tray.cards) else self.tray.cursor - 1
                follow = self.tray.cards[after].id
            self.post_message(PhaseView.Judged(card.id, impact, n, focus_id=follow))

    @on(CardColumn.Dropped)
    def _tray_dropped(self, event: CardColumn.Dropped) -> None:
        event.stop()
        self._drop(event.card_id, event.target, event.screen_x, event.screen_y)

    @on(ImpactGrid.Dropped)
    def _grid_dropped(self, event: ImpactGrid.Dropped) -> None:
        event.stop()
        target, _region = self.screen.get_widget_at(event.screen_x, event.screen_y)
        while target is not None and not isinstance(target, CardCursor):
            target = target.parent
        self._drop(event.card_id, target, event.screen_x, event.screen_y)

    def _drop(self, failure_id: str, target: object, screen_x: int, screen_y: int) -> None:
        """Let go over a grid cell: judged there; over the tray: back to unjudged. Let go where the card
        already is (a click): nothing changes, and nothing is added to undo."""
        failure = self.workshop.failure(failure_id) if self.workshop is not None else None
        if failure is None:
            return
        if isinstance(target, ImpactGrid):
            region = target.content_region
            cell = target.cell_at(screen_x - region.x, screen_y - region.y)
            if cell is not None and cell != (failure.impact, failure.likelihood):
                self.post_message(PhaseView.Judged(failure_id, *cell))
        elif isinstance(target, CardColumn) and failure.judged:
            self.post_message(PhaseView.Judged(failure_id, None, None))

    # -- acceptable, variants, circumstances, comparison ------------------------------------

    def action_acceptable(self) -> None:
        f = self._focused_failure()
        if f is not None:
            self.post_message(PhaseView.Updated("failure", f.id, acceptable=not f.acceptable))

    def action_variant(self) -> None:
        f = self._focused_failure()
        if f is not None:
            self.post_message(PhaseView.FormWanted(
                _("Variant of: {service}: {failure}").format(service=f.service, failure=f.failure),
                forms.variant_fields(f), lambda m, v: m.create_variant(f.id, **v)))

    def action_notes(self) -> None:
        f = self._focused_failure()
        if f is not None:
            self.post_message(PhaseView.FormWanted(_("Circumstances that change the impact"),
                                                   forms.circumstances_fields(f),
                                                   lambda m, v: m.update_failure(f.id, **v)))

    def action_compare(self, scope: str) -> None:
        from ..modals.compare import CompareScreen

        if scope == "cell":
            impact, likelihood = self.grid.cell
            self.app.push_screen(CompareScreen(_("Cell impact {i} x likelihood {l}").format(i=impact, l=likelihood),
                                               self.grid.cell_cards()))
        else:
            self.app.push_screen(CompareScreen(_("Every judged failure"), self.grid.all_cards()))

    def action_prompts(self) -> None:
        self.show_prompts = not self.show_prompts
        self.post_message(PhaseView.GuideChanged())

