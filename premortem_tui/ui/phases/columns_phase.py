"""The phases that are kanban columns: introduction, failures, countermeasures, retrospective
(and, with its coverage panel, priority)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalScroll

from ...domain.model import RETRO_KINDS, STAGES
from ...i18n import _
from ..columns import Filter, phase_columns
from ..widgets.card_column import CardColumn
from . import forms
from .base import PhaseView

if TYPE_CHECKING:
    from ...domain.model import Workshop
    from ..session_model import SessionModel

COLUMN_MIN_WIDTH = 20

Move = Callable[["SessionModel", str, str, "int | None"], Any]


class ColumnsPhase(PhaseView):
    """A row of card columns that scrolls sideways when they do not fit."""

    DEFAULT_CSS = "ColumnsPhase > .phase-columns { height: 1fr; }"
    # How a card moves between this phase's columns (None: it does not).
    mover: Move | None = None

    def __init__(self, ascii_borders: bool, author: str = "") -> None:
        super().__init__(ascii_borders, author)
        self._columns: list[CardColumn] = []
        self._focus_key: str | None = None

    def compose(self) -> ComposeResult:
        yield HorizontalScroll(classes="phase-columns")

    def columns(self) -> list[CardColumn]:
        return self._columns

    async def show(self, workshop: Workshop, flt: Filter, hide_authors: bool, focus_id: str | None) -> None:
        self.workshop, self.hide_authors = workshop, hide_authors
        specs = phase_columns(self.phase, workshop, flt, hide_authors)
        focused = self.focused_column()
        focus_key = self._focus_key = focused.key if focused else None
        current = self._columns
        if current and [c.key for c in current] == [s.key for s in specs]:
            for column, spec in zip(current, specs):
                column.set_cards(spec.cards, keep_id=focus_id if spec.key == focus_key or focus_key is None else None,
                                 heading=spec.title, hint=spec.hint)
            return
        holder = self.query_one(".phase-columns", HorizontalScroll)
        if current:
            await holder.remove_children(current)
        self._columns = [CardColumn(spec.key, spec.cards, heading=spec.title, hint=spec.hint,
                                    ascii_borders=self.ascii_borders) for spec in specs]
        await holder.mount_all(self._columns)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Columns share the width; when too many to stay readable, they keep a width and scroll."""
        narrow = len(self._columns) * COLUMN_MIN_WIDTH > self.size.width
        for column in self._columns:
            column.styles.width = COLUMN_MIN_WIDTH if narrow else "1fr"

    def focus_card(self, card_id: str | None, initial: bool) -> None:
        columns = self._columns
        if card_id:
            for column in columns:
                if column.select(card_id):
                    column.focus()
                    return
        for column in columns:
            if column.key == self._focus_key:
                column.focus()
                return
        target = next((c for c in columns if c.cards), columns[0] if columns else None)
        if target is not None:
            target.focus()

    def focus_column(self, step: int) -> None:
        columns, column = self._columns, self.focused_column()
        if not columns:
            return
        index = columns.index(column) + step if column in columns else 0
        if 0 <= index < len(columns):
            target = columns[index]
            if column is not None:
                target.cursor = column.cursor
            target.focus()
            target.scroll_visible(animate=False)

    def move_card(self, dx: int, dy: int) -> None:
        column = self.focused_column()
        card = column.current if column is not None else None
        if column is None or card is None:
            return
        if dx:
            index = self._columns.index(column) + dx
            if 0 <= index < len(self._columns):
                self._move(card.id, self._columns[index].key, column.cursor)
        else:
            self._move(card.id, column.key, max(0, column.cursor + dy))

    @on(CardColumn.Dropped)
    def _dropped(self, event: CardColumn.Dropped) -> None:
        event.stop()
        if isinstance(event.target, CardColumn) and event.source.index_of(event.card_id) is not None:
            self._move(event.card_id, event.target.key, event.index)

    def _move(self, card_id: str, column: str, index: int | None) -> None:
        if self.mover is None or not column:
            self.notify(_("cards of this phase do not move between columns"), severity="warning")
            return
        self.post_message(self.moved(card_id, column, index))

    def moved(self, card_id: str, column: str, index: int | None) -> PhaseView.Moved:
        return PhaseView.Moved(card_id, column, index, self.mover)  # type: ignore[arg-type]


class IntroPhase(ColumnsPhase):
    phase = "intro"

    def add_form(self, column: str) -> PhaseView.FormWanted:
        return PhaseView.FormWanted(_("New participant"), forms.participant_fields(),
                                    lambda m, v: m.add_participant(**v), new=True)


class FailuresPhase(ColumnsPhase):
    phase = "failures"

    def add_form(self, column: str) -> PhaseView.FormWanted:
        return self.new_failure(service=column)

    @staticmethod
    def mover(m: SessionModel, card_id: str, column: str, index: int | None) -> Any:
        return m.move_failure(card_id, column, index)


class CountermeasuresPhase(ColumnsPhase):
    phase = "countermeasures"

    def add_form(self, column: str) -> PhaseView.FormWanted:
        return self.new_countermeasure(stage=column if column in STAGES else "prevent")

    @staticmethod
    def mover(m: SessionModel, card_id: str, column: str, index: int | None) -> Any:
        return m.move_countermeasure(card_id, column, index)


class RetroPhase(ColumnsPhase):
    phase = "retro"

    def add_form(self, column: str) -> PhaseView.FormWanted:
        assert self.workshop is not None
        return PhaseView.FormWanted(_("New retrospective note"),
                                    forms.retro_fields(self.author, kind=column if column in RETRO_KINDS else "keep"),
                                    lambda m, v: m.add_retro(**v), new=True)

    @staticmethod
    def mover(m: SessionModel, card_id: str, column: str, index: int | None) -> Any:
        return m.retro_note(card_id) and m.move_retro(card_id, column, index)
