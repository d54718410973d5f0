"""The priority phase: decision columns, order by suggested value, done, the details of a
decision (and of a later one), and the coverage panel below."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult

from ...domain import vocabulary
from ...domain.scoring import suggested_value
from ...i18n import _
from ..columns import Filter
from ..widgets.coverage import CoveragePanel
from . import forms
from .base import PhaseView
from .columns_phase import ColumnsPhase

if TYPE_CHECKING:
    from ...domain.model import Workshop
    from ..session_model import SessionModel


class PriorityPhase(ColumnsPhase):
    phase = "priority"

    @staticmethod
    def mover(m: SessionModel, card_id: str, column: str, index: int | None) -> Any:
        return m.decide(card_id, column, index)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield CoveragePanel(id="coverage")

    async def show(self, workshop: Workshop, flt: Filter, hide_authors: bool, focus_id: str | None) -> None:
        await super().show(workshop, flt, hide_authors, focus_id)
        self.query_one(CoveragePanel).show(workshop, self.screen.size.width)

    def moved(self, card_id: str, column: str, index: int | None) -> PhaseView.Moved:
        """Moved to later with no condition and no date yet: ask for them once it is saved."""
        message = super().moved(card_id, column, index)
        cm = self.workshop.countermeasure(card_id) if self.workshop else None
        if column == "later" and cm is not None and cm.decision != "later" \
                and not (cm.revisit_when or cm.remind_on):
            message.then = PhaseView.FormWanted(
                _("Later: when does it become possible? (escape: decide later)"), forms.later_fields(cm),
                lambda m, v: m.update_countermeasure(card_id, **v))
        return message

    def add_form(self, column: str) -> PhaseView.FormWanted:
        return self.new_countermeasure()

    def _focused(self) -> Any:
        card = self.current_card()
        w = self.workshop
        return w.countermeasure(card.id) if card is not None and w is not None else None

    def action_sort_by_value(self) -> None:
        w = self.workshop
        if w is None:
            return
        failures = w.failure_by_id()
        undecided = sorted((c for c in w.countermeasures if c.decision == "undecided"), key=lambda c: c.rank)
        # Unset values go last, in their current order: the team still decides.
        ordered = sorted(undecided, key=lambda c: -(suggested_value(c, failures) or -1.0))
        self.post_message(PhaseView.Sorted("undecided", [c.id for c in ordered]))
        self.notify(_("undecided sorted by suggested value; the team still decides"), timeout=3)

    def action_done(self) -> None:
        cm = self._focused()
        if cm is None:
            return
        if cm.decision not in ("now", "next") and not cm.done:
            self.notify(_("only a chosen countermeasure (now or next) can be done"), severity="warning")
            return
        self.post_message(PhaseView.Updated("countermeasure", cm.id, done=not cm.done))

    def action_notes(self) -> None:
        cm = self._focused()
        if cm is not None:
            self.post_message(PhaseView.FormWanted(_("Decision: {text}").format(text=cm.text),
                                                   forms.decision_fields(cm),
                                                   lambda m, v: m.update_countermeasure(cm.id, **v)))

    def action_coverage(self) -> None:
        self.query_one(CoveragePanel).focus()

    @on(CoveragePanel.Jump)
    def _jump(self, event: CoveragePanel.Jump) -> None:
        event.stop()
        w = self.workshop
        if w is None:
            return
        answering = [c for c in w.countermeasures if event.failure_id in c.failure_ids]
        if not answering:
            failure = w.failure(event.failure_id)
            self.notify(_("nothing answers it yet: write a countermeasure for it"), severity="warning")
            self.post_message(self.new_countermeasure(
                answers=[event.failure_id],
                title=_("New countermeasure for: {f}").format(f=failure.failure if failure else "")))
            return
        self.post_message(PhaseView.Jump(answering[0].id))
        self.notify(_("{n} countermeasures answer it: {where}").format(
            n=len(answering), where=", ".join(sorted({vocabulary.label(vocabulary.DECISIONS, c.decision)
                                                     for c in answering}))), timeout=5)
