"""One phase of the board as one widget.

A phase widget shows its part of a Workshop, owns the keys that only make sense in
that phase (its ``BINDINGS``: Textual offers them only while the focus is inside it,
so the key bar, the palette and the help list exactly what works), and asks for
changes with messages. The board screen applies every change through its one funnel;
no phase widget changes the session itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.message import Message
from textual.widget import Widget

from ...domain import vocabulary
from ...domain.model import PHASE_KEYS
from ...i18n import _
from ..actions import phase_bindings
from ..columns import Filter
from ..modals.fields import FormField
from ..widgets.card_column import CardColumn, CardCursor
from . import forms

if TYPE_CHECKING:
    from ...domain.model import Workshop
    from ..session_model import SessionModel


class PhaseView(Widget):
    """What every phase's widget does; the board screen knows phases only through this."""

    phase: ClassVar[str]

    DEFAULT_CSS = "PhaseView { height: 1fr; width: 1fr; }"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "phase" in cls.__dict__:  # the phase's own keys, from the one declaration of every action
            cls.BINDINGS = phase_bindings(cls.phase)
        super().__init_subclass__(**kwargs)  # Textual merges the bindings here

    class Change(Message):
        """A change to apply: ``apply(model)`` runs it on the session model. ``focus_id``: the card
        to focus afterwards (else the changed card); ``then``: a form to open once it is saved."""

        then: PhaseView.FormWanted | None = None

        def __init__(self, apply: Callable[[SessionModel], Any], focus_id: str | None = None) -> None:
            super().__init__()
            self.apply, self.focus_id = apply, focus_id

    class Updated(Change):
        """Fields of one card changed in place: a judgement, an acceptable flag, done."""

        def __init__(self, kind: str, card_id: str, focus_id: str | None = None, **values: Any) -> None:
            def update(model: SessionModel) -> Any:
                save = model.update_failure if kind == "failure" else model.update_countermeasure
                return save(card_id, **values)
            super().__init__(update, focus_id)
            self.kind, self.card_id, self.values = kind, card_id, values

    class Judged(Updated):
        """A failure placed on the grid (or back in the tray: both None)."""

        def __init__(self, failure_id: str, impact: int | None, likelihood: int | None,
                     focus_id: str | None = None) -> None:
            super().__init__("failure", failure_id, focus_id, impact=impact, likelihood=likelihood)

    class Sorted(Change):
        """A column put in a new order (the undecided column, by suggested value)."""

        def __init__(self, column: str, ids: list[str]) -> None:
            super().__init__(lambda model: model.rank_column(column, ids), ids[0] if ids else None)
            self.column, self.ids = column, ids

    class Moved(Change):
        """A card moved to ``column`` at ``index`` (by key or by mouse); ``move`` is the phase's
        way of moving it (a decision in the priority phase, a stage in the countermeasures')."""

        def __init__(self, card_id: str, column: str, index: int | None,
                     move: Callable[[SessionModel, str, str, int | None], Any]) -> None:
            super().__init__(lambda model: move(model, card_id, column, index), card_id)
            self.card_id, self.column, self.index = card_id, column, index

    class FormWanted(Message):
        """Open a form; ``save(model, values)`` applies what it holds. ``new``: a new card's form,
        which opens on its first empty field (an edit form, on its first field)."""

        def __init__(self, title: str, fields: list[FormField],
                     save: Callable[[SessionModel, dict[str, Any]], Any], *, new: bool = False) -> None:
            super().__init__()
            self.title, self.fields, self.save, self.new = title, fields, save, new

    class Jump(Message):
        """Show ``card_id``, clearing a filter that hides it."""

        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    class GuideChanged(Message):
        """What the phase adds to the guide line changed."""

    def __init__(self, ascii_borders: bool, author: str = "") -> None:
        super().__init__()
        self.ascii_borders = ascii_borders
        self.author = author  # a new card's author, unless changed in its form
        self.workshop: Workshop | None = None
        self.hide_authors = False

    async def show(self, workshop: Workshop, flt: Filter, hide_authors: bool, focus_id: str | None) -> None:
        """Show ``workshop``; keep ``focus_id`` under the cursor where it is shown."""
        raise NotImplementedError

    def focus_card(self, card_id: str | None, initial: bool) -> None:
        """Focus ``card_id``, else (entering the phase) the most useful card."""
        raise NotImplementedError

    def columns(self) -> list[CardColumn]:
        return []

    def current_card(self) -> Any:
        """The card under the focused cursor in this phase, or None."""
        focused = self.screen.focused
        if isinstance(focused, CardCursor) and self in focused.ancestors:
            return focused.current
        return None

    def focused_column(self) -> CardColumn | None:
        focused = self.screen.focused
        return focused if isinstance(focused, CardColumn) and focused in self.columns() else None

    def focus_column(self, step: int) -> None:
        """Move the focus one column left or right."""

    def move_card(self, dx: int, dy: int) -> None:
        """Move the focused card (shift+arrows, H/J/K/L)."""

    def guide(self, w: Workshop) -> str:
        """The line under the agenda: the phase, what the room does in it, and who decides."""
        key = self.phase
        lines = [f"{PHASE_KEYS.index(key) + 1}. {vocabulary.label(vocabulary.PHASES, key)}: "
                 f"{vocabulary.label(vocabulary.PHASE_GUIDE, key)}"]
        if prompts := self.prompts():
            lines.append(prompts)
        if key in ("impact", "priority"):
            pms = [p.name for p in w.participants if p.role == "pm"]
            lines.append(_("Decides when opinions split: {names} (product manager)").format(names=", ".join(pms))
                         if pms else _("No product manager among the participants: name the decider (a, in the "
                                       "introduction)"))
        return "\n".join(lines)

    def prompts(self) -> str:
        """Questions the phase asks the room, under its guide line."""
        return ""

    def set_ascii(self, ascii_borders: bool) -> None:
        self.ascii_borders = ascii_borders
        for column in self.columns():
            column.set_ascii(ascii_borders)

    # -- forms: what a new card of this phase is, and how a card is edited -------------------

    def add_form(self, column: str) -> PhaseView.FormWanted | None:
        """The form for a new card in ``column`` (the focused one, or "")."""
        return None

    def new_failure(self, service: str = "") -> PhaseView.FormWanted:
        assert self.workshop is not None
        return PhaseView.FormWanted(_("New anticipated failure"),
                                    forms.failure_fields(self.workshop, self.author, service=service),
                                    lambda m, v: m.add_failure(**v), new=True)

    def new_countermeasure(self, stage: str = "prevent", answers: list[str] | None = None,
                           title: str | None = None) -> PhaseView.FormWanted:
        assert self.workshop is not None
        return PhaseView.FormWanted(title or _("New countermeasure"),
                                    forms.countermeasure_fields(self.workshop, self.author, stage=stage,
                                                                answers=answers),
                                    lambda m, v: m.add_countermeasure(**v), new=True)

    def edit_form(self, card: Any) -> PhaseView.FormWanted | None:
        w, kind, card_id = self.workshop, card.kind, card.id
        if w is None:
            return None
        Form = PhaseView.FormWanted
        if kind == "failure" and (f := w.failure(card_id)) is not None:
            return Form(_("Edit failure"), forms.failure_fields(w, self.author, f),
                        lambda m, v: m.update_failure(card_id, **v))
        if kind == "countermeasure" and (c := w.countermeasure(card_id)) is not None:
            return Form(_("Edit countermeasure"), forms.countermeasure_fields(w, self.author, c),
                        lambda m, v: m.update_countermeasure(card_id, **v))
        if kind == "retro" and (n := w.retro_note(card_id)) is not None:
            return Form(_("Edit note"), forms.retro_fields(self.author, n), lambda m, v: m.update_retro(card_id, **v))
        if kind == "participant" and (p := w.participant(card_id)) is not None:
            return Form(_("Edit participant"), forms.participant_fields(p),
                        lambda m, v: m.update_participant(card_id, **v))
        if kind == "previous" and not card_id.startswith("previous_context"):
            self.notify(_("carried from the previous session: it is not edited here"), severity="warning")
            return None
        if kind in ("text", "previous"):  # the introduction's texts: purpose, ground rules, context
            name = "previous_context" if kind == "previous" else card_id
            label = _("Previous context") if kind == "previous" else card.title
            return Form(_("Edit {what}").format(what=label.lower()),
                        [FormField(name, label, "area", getattr(w.session, name))],
                        lambda m, v: m.update_session(**v))
        return None
