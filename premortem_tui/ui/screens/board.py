"""The facilitation board: agenda, countdown, and the current phase's columns."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, HorizontalScroll
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header

from ...domain.model import PHASE_KEYS
from ...domain.validate import ValidationError
from ...i18n import _
from ...store.fileformat import SessionFileError
from ..actions import BOARD_COMMANDS, board_bindings
from ..columns import PHASE_TITLES, Filter, phase_columns
from ..literal import Plain, PlainInput
from ..session_model import SessionModel
from ..widgets.agenda import AgendaStrip, PhaseTimer
from ..widgets.card_column import CardColumn, CardCursor
from ..widgets.footer import KeyBar
from .board_cards import CardActions

if TYPE_CHECKING:  # the impact and priority phases' widgets are imported when first shown
    from ..widgets.coverage import CoveragePanel
    from ..widgets.impact_phase import ImpactPhase
from .board_impact import ImpactActions
from .board_priority import PriorityActions
from .board_room import RoomActions

IMPACT_PROMPTS = ("Ask: does the time of day or of the month change the impact? If users can still view "
                  "but not register, are they saved? (p hides this)")
# Actions that only make sense in some phases: disabled elsewhere (check_action), which hides their
# keys from the footer; the command palette still lists them in every phase.
PHASE_SCOPED = {c.action.split("(")[0]: c.phases for c in BOARD_COMMANDS if c.phases}

PHASE_GUIDE = {
    "intro": "Explain the pre-mortem and confirm its purpose. Who decides when opinions split: the product manager.",
    "failures": "Individual work: one card per anticipated failure. Service, what fails, how long, when.",
    "impact": "Team discussion: judge each failure relatively. Type impact then likelihood (1-5).",
    "countermeasures": "Individual work: countermeasures at every stage, prevent to learn. Breadth first, no cost filter.",
    "priority": "Choose what to do: cost to introduce and to maintain against effect. Later? Set when, and a reminder.",
    "retro": "Look back on the workshop itself: keep, problem, try.",
}


COLUMN_MIN_WIDTH = 20


class BoardScreen(CardActions, ImpactActions, PriorityActions, RoomActions, Screen[None]):
    """One session on the shared screen."""

    CSS_PATH = "board.tcss"
    BINDINGS = board_bindings()
    # Moving between columns moves the focus: repaint the two widgets whose focus styles change,
    # not the whole screen (Textual's default for this reactive).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    COMMANDS_DECLARED = BOARD_COMMANDS

    def __init__(self, model: SessionModel) -> None:
        super().__init__()
        self.model = model
        self.filter = Filter()
        self._pending_impact: int | None = None
        self._last_state: dict[str, str] = {}
        self.show_prompts = True
        self._rebuilding = asyncio.Lock()
        self._filter_input: PlainInput | None = None
        self._coverage_panel: CoveragePanel | None = None
        self._impact: ImpactPhase | None = None
        # Each phase's widgets stay mounted in #columns once built; a phase change toggles `display`
        # (removing and remounting took 205-385 ms).
        self._phase_widgets: dict[str, list[Widget]] = {}

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        if self.model.readonly:
            yield Plain(_("read-only file: nothing you change here is saved"), id="readonly-banner")
        with Horizontal(id="top"):
            yield AgendaStrip()
            yield PhaseTimer()
        yield Plain("", id="phase-guide")
        yield HorizontalScroll(id="columns")
        # The coverage panel and the filter box are mounted when first needed: less to lay out first.
        yield KeyBar()

    @property
    def clock(self) -> Any:
        return self.app.clock  # type: ignore[attr-defined]

    @property
    def phase(self) -> str:
        return self.model.workshop.session.current_phase

    async def on_mount(self) -> None:
        self._title()
        await self.rebuild(initial=True)
        self.tick()
        self.set_interval(0.25, self.tick)
        self.set_interval(1.0, self.poll_other_processes)
        # The session service (and its ORM) opens once the board is on the screen.
        self.set_timer(0.3, self.model.start_opening)

    # Mounted when first needed and looked up on every keystroke: kept, not queried.
    def _filter_box(self) -> PlainInput | None:
        return self._filter_input

    def _coverage(self) -> CoveragePanel | None:
        return self._coverage_panel

    def _title(self) -> None:
        session = self.model.workshop.session
        self.title = session.title + (" " + _("(rehearsal)") if session.rehearsal else "")
        self.sub_title = self.model.path

    # -- columns --------------------------------------------------------------------

    def columns(self) -> list[CardColumn]:
        """The phase's columns, left to right (none in the impact phase)."""
        return [c for c in self._phase_widgets.get(self.phase, ()) if isinstance(c, CardColumn)]

    def focused_column(self) -> CardColumn | None:
        focused = self.focused
        if isinstance(focused, CardColumn) and focused in self.columns():
            return focused
        return None

    async def rebuild(self, *, focus_id: str | None = None, initial: bool = False) -> None:
        """Show the current phase; remount only when its set of columns changed."""
        async with self._rebuilding:  # a poll and a key must not mount two boards at once
            await self._rebuild(focus_id, initial)

    async def _rebuild(self, focus_id: str | None, initial: bool) -> None:
        hide_authors = self.app.settings.hide_authors  # type: ignore[attr-defined]
        ascii_borders = self.app.settings.ascii_borders  # type: ignore[attr-defined]
        holder = self.query_one("#columns", HorizontalScroll)
        focused, card = self.current_card()
        focus_key = focused.key if focused else None
        # Unless told which card to show, the focus stays where the user put it when that is not a card:
        # the filter box (the next letter belongs to it) or the coverage panel, while another screen's
        # change arrives, say.
        typing = focus_id is None and not initial and self.focused is not None \
            and not isinstance(self.focused, CardCursor)
        if focus_id is None and card is not None and not initial:
            focus_id = card.id
        self._show_guide()
        self.refresh_bindings()
        coverage = self._coverage()
        if self.phase == "priority" and coverage is None:
            from ..widgets.coverage import CoveragePanel  # the priority phase's: loaded when first shown

            coverage = self._coverage_panel = CoveragePanel(id="coverage")
            await self.mount(coverage, after=holder)
        if coverage is not None:
            coverage.display = self.phase == "priority"
            if coverage.display:
                coverage.show(self.model.workshop, self.size.width)
        if self.phase == "impact":
            view = self._impact
            if view is None:
                from ..widgets.impact_phase import ImpactPhase  # loaded when the phase is first shown

                view = self._impact = ImpactPhase(ascii_borders)
                await holder.mount(view)
                self._phase_widgets["impact"] = [view]
            self._show_phase_widgets()
            view.show(self.model.workshop, self.filter, hide_authors, focus_id)
            if not typing:
                self._focus_impact(view, focus_id, initial)
            self._show_detail()
            return
        specs = phase_columns(self.phase, self.model.workshop, self.filter, hide_authors)
        current = self.columns()
        if current and [c.key for c in current] == [s.key for s in specs]:
            for column, spec in zip(current, specs):
                column.set_cards(spec.cards, keep_id=focus_id if spec.key == focus_key or focus_key is None else None,
                                 heading=spec.title, hint=spec.hint)
        else:
            if current:
                await holder.remove_children(current)
            fresh = [CardColumn(spec.key, spec.cards, heading=spec.title, hint=spec.hint,
                                ascii_borders=ascii_borders) for spec in specs]
            self._phase_widgets[self.phase] = list(fresh)
            await holder.mount_all(fresh)
            self._fit_columns()
        self._show_phase_widgets()
        if not typing:
            self._focus_card(focus_id, focus_key, initial)

    def phase_widgets(self) -> list[Widget]:
        """Every phase's widgets built so far, the hidden ones too (a setting reaches them all)."""
        return [widget for widgets in self._phase_widgets.values() for widget in widgets]

    def _show_phase_widgets(self) -> None:
        """Show the current phase's widgets and hide the other phases' (kept mounted)."""
        for phase, widgets in self._phase_widgets.items():
            for widget in widgets:
                widget.display = phase == self.phase

    def _impact_view(self) -> ImpactPhase | None:
        """The impact phase's tray and grid, while that phase is shown (once built, they stay mounted)."""
        return self._impact if self.phase == "impact" else None

    def _show_guide(self) -> None:
        guide = f"{PHASE_KEYS.index(self.phase) + 1}. {_(PHASE_TITLES[self.phase])}: {_(PHASE_GUIDE[self.phase])}"
        if self.phase == "impact" and self.show_prompts:
            guide += "\n" + _(IMPACT_PROMPTS)
        if self.phase in ("impact", "priority"):
            pms = [p.name for p in self.model.workshop.participants if p.role == "pm"]
            guide += "\n" + (_("Decides when opinions split: {names} (product manager)").format(names=", ".join(pms))
                             if pms else _("No product manager among the participants: name the decider (a, "
                                            "in the introduction)"))
        box = self.query_one("#phase-guide", Plain)
        if str(box.content) != guide:  # the same text again would lay the whole screen out
            box.update(guide)

    def _focus_impact(self, view: ImpactPhase, focus_id: str | None, initial: bool) -> None:
        if focus_id and view.tray.select(focus_id):
            view.tray.focus()
        elif focus_id and view.grid.select(focus_id):
            view.grid.focus()
        elif initial or not (view.tray.has_focus or view.grid.has_focus):
            # Entering the phase: the first unjudged failure, else the highest-risk card.
            if view.tray.cards:
                view.tray.cursor = 0
                view.tray.focus()
            else:
                view.grid.select_highest()
                view.grid.focus()

    def _show_detail(self) -> None:
        view = self._impact_view()
        if view is None:
            return
        _column, card = self.current_card()
        failure = self.model.failure(card.id) if card is not None else None
        view.show_detail(failure, self.model.workshop, self.app.settings.hide_authors)  # type: ignore[attr-defined]

    def on_card_column_highlighted(self) -> None:
        self._show_detail()

    def on_impact_grid_highlighted(self) -> None:
        self._show_detail()

    def on_descendant_focus(self) -> None:
        self._show_detail()

    def on_impact_grid_left_edge(self) -> None:
        view = self._impact_view()
        if view is not None:
            view.tray.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phases = PHASE_SCOPED.get(action)
        return not phases or self.phase in phases

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Columns share the width; when too many to stay readable, they keep a width and scroll."""
        columns = self.columns()
        narrow = len(columns) * COLUMN_MIN_WIDTH > self.size.width
        for column in columns:
            column.styles.width = COLUMN_MIN_WIDTH if narrow else "1fr"

    def _focus_card(self, card_id: str | None, column_key: str | None, initial: bool) -> None:
        columns = self.columns()
        if card_id:
            for column in columns:
                if column.select(card_id):
                    column.focus()
                    return
        for column in columns:
            if column.key == column_key:
                column.focus()
                return
        target = next((c for c in columns if c.cards), columns[0] if columns else None)
        if target is not None:
            target.focus()

    def current_card(self) -> tuple[CardColumn | None, Any]:
        """The focused column (None in the impact phase) and the card under its cursor."""
        focused = self.focused
        if isinstance(focused, CardCursor):
            return self.focused_column(), focused.current
        return None, None

    # -- the clock -------------------------------------------------------------------

    def tick(self) -> None:
        now: datetime = self.clock.now()
        w = self.model.workshop
        phase = w.phase(self.phase)
        self.query_one(AgendaStrip).show(w.phases, self.phase, now)
        state = self.query_one(PhaseTimer).show(phase, w.phases, now)
        before = self._last_state.get(phase.key)
        if phase.running and before in ("ok", "warning") and state in ("zero", "overrun"):
            self.app.bell()  # once, as the countdown crosses zero
        self._last_state[phase.key] = state

    def poll_other_processes(self) -> None:
        if self.model.poll():
            self._title()
            self.run_worker(self.rebuild(), exclusive=True, group="rebuild")

    # -- changes go through one place, so errors are shown the same way ------------

    async def change(self, do: Callable[[], Any], focus_id: str | None = None) -> bool:
        try:
            result = do()
        except (ValidationError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return False
        card_id = getattr(result, "id", None)
        await self.rebuild(focus_id=focus_id or (card_id if isinstance(card_id, str) else None))
        self.tick()
        return True

    # -- timer and phases -----------------------------------------------------------

    async def action_toggle_timer(self) -> None:
        await self.change(self.model.toggle_timer)

    async def action_minutes(self, minutes: int) -> None:
        await self.change(lambda: self.model.adjust_minutes(minutes))

    async def action_phase(self, step: int) -> None:
        await self._enter_phase(lambda: self.model.step_phase(step))

    async def go_to_phase(self, key: str) -> None:
        await self._enter_phase(lambda: self.model.go_to_phase(key))

    async def _enter_phase(self, move: Callable[[], Any]) -> None:
        """Entering a phase focuses its most useful card, not the one focused before."""
        self._pending_impact = None
        try:
            move()
        except (ValidationError, SessionFileError) as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        await self.rebuild(initial=True)
        self.tick()

    # -- focus and moves ----------------------------------------------------------------

    def action_focus_column(self, step: int) -> None:
        view = self._impact_view()
        if view is not None:  # the tray is left of the grid (the grid moves its own cursor)
            (view.grid if step > 0 else view.tray).focus()
            return
        columns = self.columns()
        column = self.focused_column()
        if not columns:
            return
        index = columns.index(column) + step if column in columns else 0
        if 0 <= index < len(columns):
            target = columns[index]
            if column is not None:
                target.cursor = column.cursor
            target.focus()
            target.scroll_visible(animate=False)

    async def action_move_card(self, dx: int, dy: int) -> None:
        column, card = self.current_card()
        if card is not None and self.phase == "impact":
            await self._nudge_judgement(card.id, dx, dy)
            return
        if column is None or card is None:
            return
        columns = self.columns()
        if dx:
            index = columns.index(column) + dx
            if not 0 <= index < len(columns):
                return
            await self.move_to(card.id, card.kind, columns[index].key, column.cursor)
        else:
            await self.move_to(card.id, card.kind, column.key, max(0, column.cursor + dy))

    async def move_to(self, card_id: str, kind: str, column_key: str, index: int | None) -> None:
        m = self.model
        moves: dict[tuple[str, str], Callable[[], Any]] = {
            ("failures", "failure"): lambda: m.move_failure(card_id, column_key, index),
            ("countermeasures", "countermeasure"): lambda: m.move_countermeasure(card_id, column_key, index),
            ("priority", "countermeasure"): lambda: m.decide(card_id, column_key, index),
            ("retro", "retro"): lambda: m.retro_note(card_id) and m.move_retro(card_id, column_key, index),
        }
        move = moves.get((self.phase, kind))
        if move is None or not column_key:
            self.notify(_("cards of this phase do not move between columns"), severity="warning")
            return
        before = self.model.countermeasure(card_id) if kind == "countermeasure" else None
        if await self.change(move, focus_id=card_id) and self.phase == "priority" and column_key == "later" \
                and before is not None and before.decision != "later" \
                and not (before.revisit_when or before.remind_on):
            self._later_form(card_id)

    @on(CardColumn.Dropped)
    async def _dropped(self, event: CardColumn.Dropped) -> None:
        index = event.source.index_of(event.card_id)
        if index is None:
            return
        card = event.source.cards[index]
        if self.phase == "impact":
            await self._drop_on_grid(card.id, event.target, event.screen_x, event.screen_y)
        elif isinstance(event.target, CardColumn):
            await self.move_to(card.id, card.kind, event.target.key, event.index)

    # -- filter ----------------------------------------------------------------------------

    async def action_filter(self) -> None:
        box = self._filter_box()
        if box is None:
            box = PlainInput(placeholder=_("filter by text, service or author; enter keeps it, escape clears"),
                        id="filter")
            self._filter_input = box
            await self.mount(box, before=self.query_one(KeyBar))
        box.display = True
        box.focus()

    @on(PlainInput.Changed, "#filter")
    async def _filter_changed(self, event: PlainInput.Changed) -> None:
        self.filter.text = event.value
        await self.rebuild()

    @on(PlainInput.Submitted, "#filter")
    def _filter_kept(self) -> None:
        self._leave_filter(clear=False)

    def _leave_filter(self, *, clear: bool) -> None:
        box = self._filter_box()
        if box is not None:
            if clear:
                box.value = ""
            box.display = bool(box.value)
        view = self._impact_view()
        if view is not None:
            self._focus_impact(view, None, True)
        else:
            self._focus_card(None, None, False)

    async def action_home(self) -> None:
        box = self._filter_box()
        if box is not None and (box.has_focus or box.value):
            self._leave_filter(clear=True)
            return
        self.app.action_sessions()  # type: ignore[attr-defined]

    def action_quit(self) -> None:
        self.app.exit()

