"""The board's actions for the priority phase: order by suggested value, done, the
details of a decision (and of a later one), and the coverage panel.

A mixin of BoardScreen (message handlers are named, not decorated, so that the
screen finds them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...i18n import _
from ..columns import DECISION_TITLES
from ..modals.fields import FormField

if TYPE_CHECKING:  # loaded with the phase, not with the board
    from ..widgets.coverage import CoveragePanel


class PriorityActions:
    # -- priority phase: value order, done, later details, coverage -------------------------

    async def action_sort_by_value(self) -> None:
        from ...domain.scoring import suggested_value

        w = self.model.workshop
        failures = w.failure_by_id()
        undecided = sorted((c for c in w.countermeasures if c.decision == "undecided"), key=lambda c: c.rank)
        # Unset values go last, in their current order: the team still decides.
        ordered = sorted(undecided, key=lambda c: -(suggested_value(c, failures) or -1.0))
        await self.change(lambda: self.model.rank_column("undecided", [c.id for c in ordered]),
                          focus_id=ordered[0].id if ordered else None)
        self.notify(_("undecided sorted by suggested value; the team still decides"), timeout=3)

    async def action_done(self) -> None:
        _column, card = self.current_card()
        cm = self.model.countermeasure(card.id) if card is not None else None
        if cm is None:
            return
        if cm.decision not in ("now", "next") and not cm.done:
            self.notify(_("only a chosen countermeasure (now or next) can be done"), severity="warning")
            return
        await self.change(lambda: self.model.update_countermeasure(cm.id, done=not cm.done))

    def _later_form(self, cm_id: str) -> None:
        cm = self.model.countermeasure(cm_id)
        if cm is None:
            return
        self._form(_("Later: when does it become possible? (escape: decide later)"), [
            FormField("revisit_when", _("Condition, e.g. after 30 customers, after the Series B"), value=cm.revisit_when),
            FormField("remind_on", _("Reminder date (YYYY-MM-DD)"), value=cm.remind_on or ""),
        ], lambda v: self.model.update_countermeasure(cm_id, **v))

    def _decision_form(self, cm_id: str) -> None:
        cm = self.model.countermeasure(cm_id)
        if cm is None:
            return
        fields = [FormField("decision_note", _("Decision note: why, and who decided"), "area", cm.decision_note),
                  FormField("owner", _("Owner"), value=cm.owner),
                  FormField("intro_cost", _("Introduction cost (1-5)"), value=cm.intro_cost or ""),
                  FormField("maintenance_cost", _("Maintenance cost (1-5)"), value=cm.maintenance_cost or ""),
                  FormField("effect", _("Effect (1-5)"), value=cm.effect or "")]
        if cm.decision == "later":
            fields += [FormField("revisit_when", _("When it becomes possible"), value=cm.revisit_when),
                       FormField("remind_on", _("Reminder date (YYYY-MM-DD)"), value=cm.remind_on or "")]
        self._form(_("Decision: {text}").format(text=cm.text), fields,
                   lambda v: self.model.update_countermeasure(cm_id, **v))

    def action_coverage(self) -> None:
        coverage = self._coverage()
        if coverage is not None:
            coverage.focus()

    async def on_coverage_panel_jump(self, event: CoveragePanel.Jump) -> None:
        answering = [c for c in self.model.workshop.countermeasures if event.failure_id in c.failure_ids]
        if not answering:
            failure = self.model.failure(event.failure_id)
            self.notify(_("nothing answers it yet: write a countermeasure for it"), severity="warning")
            fields = self._countermeasure_fields()
            fields[1].value = [event.failure_id]
            self._form(_("New countermeasure for: {f}").format(f=failure.failure if failure else ""), fields,
                       lambda v: self.model.add_countermeasure(**v))
            return
        self.filter.text = ""
        box = self._filter_box()
        if box is not None:
            box.value = ""
            box.display = False
        await self.rebuild(focus_id=answering[0].id)
        self.notify(_("{n} countermeasures answer it: {where}").format(
            n=len(answering), where=", ".join(sorted({_(DECISION_TITLES[c.decision]) for c in answering}))),
            timeout=5)

