"""The board's card actions: the forms that add and edit cards, delete and undo.

A mixin of BoardScreen."""

from __future__ import annotations

from typing import Any, Callable

from ...domain.model import RETRO_KINDS, ROLES, STAGES, TIMINGS
from ...domain.validate import ValidationError
from ...i18n import _
from ...store.fileformat import SessionFileError
from ..columns import RETRO_TITLES, ROLE_TITLES, STAGE_TITLES
from ..modals.fields import FormField


class CardActions:
    # -- add, edit, delete, undo --------------------------------------------------------

    def _form(self, title: str, fields: list[FormField], save: Callable[[dict[str, Any]], Any]) -> None:
        def submit(values: dict[str, Any]) -> str | None:
            try:
                result = save(values)
            except (ValidationError, SessionFileError) as exc:
                return str(exc)
            focus = getattr(result, "id", None)
            self.run_worker(self.rebuild(focus_id=focus if isinstance(focus, str) else None),
                            group="rebuild")
            return None
        from ..modals.card_form import CardForm

        CardForm.show(self.app, title, fields, submit)  # the app's kept form, refilled

    def _failure_fields(self, f: Any = None, service: str = "") -> list[FormField]:
        services = sorted({x.service for x in self.model.workshop.failures}, key=str.casefold)
        return [
            FormField("service", _("Target service"), value=f.service if f else service, suggestions=services,
                      placeholder=_("e.g. Billing")),
            FormField("failure", _("What fails"), "area", f.failure if f else ""),
            FormField("period", _("Period (how long)"), value=f.period if f else "", placeholder=_("e.g. 30 minutes")),
            FormField("timing", _("Timing (when)"), value=f.timing if f else "", suggestions=list(TIMINGS),
                      placeholder=", ".join(TIMINGS[:4]) + "..."),
            FormField("author", _("Author"), value=f.author if f else self.model.author),
        ]

    def _countermeasure_fields(self, c: Any = None, stage: str = "prevent") -> list[FormField]:
        options = [(f"{f.service}: {f.failure}", f.id) for f in self.model.workshop.failures]
        return [
            FormField("text", _("Countermeasure"), "area", c.text if c else ""),
            FormField("failure_ids", _("Failures it answers (space toggles)"), "pick", c.failure_ids if c else [],
                      options),
            FormField("stage", _("Stage"), "select", c.stage if c else stage,
                      [(_(STAGE_TITLES[s]), s) for s in STAGES]),
            FormField("author", _("Author"), value=c.author if c else self.model.author),
        ]

    def _retro_fields(self, n: Any = None, kind: str = "keep") -> list[FormField]:
        return [FormField("kind", _("Kind"), "select", n.kind if n else kind,
                          [(_(RETRO_TITLES[k]), k) for k in RETRO_KINDS]),
                FormField("text", _("Note"), "area", n.text if n else ""),
                FormField("author", _("Author"), value=n.author if n else self.model.author)]

    def _participant_fields(self, p: Any = None) -> list[FormField]:
        return [FormField("name", _("Name"), value=p.name if p else ""),
                FormField("role", _("Role"), "select", p.role if p else "engineer",
                          [(_(ROLE_TITLES[r]), r) for r in ROLES])]

    def action_add(self) -> None:
        column, _card = self.current_card()
        key = column.key if column else ""
        m = self.model
        if self.phase == "intro":
            self._form(_("New participant"), self._participant_fields(), lambda v: m.add_participant(**v))
        elif self.phase in ("failures", "impact"):
            service = key if self.phase == "failures" else ""
            self._form(_("New anticipated failure"), self._failure_fields(service=service),
                       lambda v: m.add_failure(**v))
        elif self.phase in ("countermeasures", "priority"):
            stage = key if self.phase == "countermeasures" and key in STAGES else "prevent"
            self._form(_("New countermeasure"), self._countermeasure_fields(stage=stage),
                       lambda v: m.add_countermeasure(**v))
        else:
            self._form(_("New retrospective note"), self._retro_fields(kind=key if key in RETRO_KINDS else "keep"),
                       lambda v: m.add_retro(**v))

    def action_edit(self) -> None:
        _column, card = self.current_card()
        if card is None:
            return
        m = self.model
        if card.kind == "failure":
            f = m.failure(card.id)
            self._form(_("Edit failure"), self._failure_fields(f), lambda v: m.update_failure(card.id, **v))
        elif card.kind == "countermeasure":
            c = m.countermeasure(card.id)
            self._form(_("Edit countermeasure"), self._countermeasure_fields(c),
                       lambda v: m.update_countermeasure(card.id, **v))
        elif card.kind == "retro":
            n = m.retro_note(card.id)
            self._form(_("Edit note"), self._retro_fields(n), lambda v: m.update_retro(card.id, **v))
        elif card.kind == "participant":
            p = next(p for p in m.workshop.participants if p.id == card.id)
            self._form(_("Edit participant"), self._participant_fields(p),
                       lambda v: m.update_participant(card.id, **v))
        else:  # the introduction's texts: purpose, ground rules, context, the previous context
            name = "previous_context" if card.kind == "previous" else card.id
            label = _("Previous context") if card.kind == "previous" else card.title
            self._form(_("Edit {what}").format(what=label.lower()),
                       [FormField(name, label, "area", getattr(m.workshop.session, name))],
                       lambda v: m.update_session(**v))

    async def action_delete(self) -> None:
        _column, card = self.current_card()
        if card is None:
            return
        if card.kind in ("text", "previous"):
            self.notify(_("the introduction's texts are edited, not deleted"), severity="warning")
            return
        if await self.change(lambda: self.model.delete(card.kind, card.id)):
            self.notify(_("deleted; u brings it back"), timeout=3)

    async def action_undo(self) -> None:
        label: list[str | None] = []
        if await self.change(lambda: label.append(self.model.undo())):
            self.notify(_("undone: {what}").format(what=label[0]) if label[0] else _("nothing to undo"),
                        timeout=3)

