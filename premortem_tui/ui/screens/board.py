"""The facilitation board: agenda, countdown, key bar, filter, and the current phase's widget.

Each phase is a widget (ui/phases) that owns its columns and its keys and asks for changes
with messages; every change, from a key, a drop or a form, goes through ``change`` here.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header

from ...domain import vocabulary
from ...domain.validate import ValidationError
from ...i18n import _
from ...store.fileformat import SessionFileError
from ..actions import COMMAND_ORDER, active_commands, screen_bindings
from ..columns import Filter
from ..literal import Plain, PlainInput
from ..phases import PhaseView, build_phase, forms
from ..session_model import SessionModel
from ..widgets.agenda import AgendaStrip, PhaseTimer
from ..widgets.card_column import CardColumn, CardCursor
from ..widgets.footer import KeyBar


class BoardScreen(Screen[None]):
    """One session on the shared screen."""

    CSS_PATH = "board.tcss"
    BINDINGS = screen_bindings()
    # Moving between columns moves the focus: repaint the two widgets whose focus styles change,
    # not the whole screen (Textual's default for this reactive).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, model: SessionModel) -> None:
        super().__init__()
        self.model = model
        self.filter = Filter()
        self._last_state: dict[str, str] = {}
        self._rebuilding = asyncio.Lock()
        self._filter_input: PlainInput | None = None
        # Each phase's widget stays mounted once built; a phase change toggles `display`
        # (removing and remounting took 205-385 ms).
        self._views: dict[str, PhaseView] = {}

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        if self.model.readonly:
            yield Plain(_("read-only file: nothing you change here is saved"), id="readonly-banner")
        with Horizontal(id="top"):
            yield AgendaStrip()
            yield PhaseTimer()
        yield Plain("", id="phase-guide")
        yield Vertical(id="columns")
        # The filter box is mounted when first needed: less to lay out first.
        yield KeyBar(order=COMMAND_ORDER)

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
        # The session service (and its ORM, ~0.5 s to import) opens once the board is on the screen:
        # the first change waits for it. Started at once, its import held up the first frame's output.
        self.set_timer(0.15, self.model.start_opening)

    def _title(self) -> None:
        session = self.model.workshop.session
        self.title = session.title + (" " + _("(rehearsal)") if session.rehearsal else "")
        self.sub_title = self.model.path

    # -- the phase shown -------------------------------------------------------------

    def view(self) -> PhaseView | None:
        """The current phase's widget, once built."""
        return self._views.get(self.phase)

    def columns(self) -> list[CardColumn]:
        """The phase's card columns, left to right (the tray in the impact phase)."""
        return view.columns() if (view := self.view()) else []

    def current_card(self) -> tuple[CardColumn | None, Any]:
        """The focused column (None on the grid) and the card under the focused cursor."""
        return (view.focused_column(), view.current_card()) if (view := self.view()) else (None, None)

    async def rebuild(self, *, focus_id: str | None = None, initial: bool = False) -> None:
        """Show the current phase; its widget remounts only what changed."""
        async with self._rebuilding:  # a poll and a key must not mount two boards at once
            await self._rebuild(focus_id, initial)

    async def _rebuild(self, focus_id: str | None, initial: bool) -> None:
        settings = self.app.settings  # type: ignore[attr-defined]
        view = self.view()
        if view is None:
            view = self._views[self.phase] = build_phase(self.phase, settings.ascii_borders, self.model.author)
            await self.query_one("#columns", Vertical).mount(view)
        card = view.current_card()
        # Unless told which card to show, the focus stays where the user put it when that is not a card:
        # the filter box (the next letter belongs to it), while another screen's change arrives, say.
        typing = focus_id is None and not initial and self.focused is not None \
            and not isinstance(self.focused, CardCursor)
        if focus_id is None and card is not None and not initial:
            focus_id = card.id
        for phase, widget in self._views.items():
            widget.display = phase == self.phase
        self._show_guide()
        await view.show(self.model.workshop, self.filter, settings.hide_authors, focus_id)
        if not typing:
            view.focus_card(focus_id, initial)
        self.refresh_bindings()

    def _show_guide(self) -> None:
        view = self.view()
        if view is None:
            return
        guide = view.guide(self.model.workshop)
        box = self.query_one("#phase-guide", Plain)
        if str(box.content) != guide:  # the same text again would lay the whole screen out
            box.update(guide)

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

    # -- every change goes through one place, so errors are shown the same way ------------

    def _commit(self, do: Callable[[], Any]) -> tuple[bool, Any]:
        """Run ``do``: (True, its result), or (False, the one-line error a refusal gives)."""
        try:
            return True, do()
        except (ValidationError, SessionFileError) as exc:
            return False, str(exc)

    async def change(self, do: Callable[[], Any], focus_id: str | None = None, *, entering: bool = False) -> bool:
        """Apply ``do`` and show the board after it; ``entering``: a new phase, focus its best card."""
        ok, result = self._commit(do)
        if not ok:
            self.notify(result, severity="error", timeout=6)
            return False
        await self._show_change(result, focus_id, entering)
        return True

    async def _show_change(self, result: Any, focus_id: str | None, entering: bool = False) -> None:
        self._title()  # the session's title or rehearsal flag may be what changed
        card_id = getattr(result, "id", None)
        await self.rebuild(focus_id=focus_id or (card_id if isinstance(card_id, str) else None), initial=entering)
        self.tick()

    def open_form(self, form: PhaseView.FormWanted) -> None:
        """A form whose saving goes through the same funnel; a refusal is shown in the form."""
        def submit(values: dict[str, Any]) -> str | None:
            ok, result = self._commit(lambda: form.save(self.model, values))
            if not ok:
                return result
            self.run_worker(self._show_change(result, None), group="rebuild")
            return None
        from ..modals.card_form import CardForm

        CardForm.show(self.app, form.title, form.fields, submit, new=form.new)  # the app's kept form, refilled

    @on(PhaseView.Change)
    async def _phase_change(self, event: PhaseView.Change) -> None:
        event.stop()
        if await self.change(lambda: event.apply(self.model), event.focus_id) and event.then is not None:
            self.open_form(event.then)

    @on(PhaseView.FormWanted)
    def _form_wanted(self, event: PhaseView.FormWanted) -> None:
        event.stop()
        self.open_form(event)

    @on(PhaseView.Jump)
    async def _jump(self, event: PhaseView.Jump) -> None:
        event.stop()
        self.filter.text = ""
        box = self._filter_input
        if box is not None:
            box.value = ""
            box.display = False
        await self.rebuild(focus_id=event.card_id)

    @on(PhaseView.GuideChanged)
    def _guide_changed(self, event: PhaseView.GuideChanged) -> None:
        event.stop()
        self._show_guide()

    # -- timer and phases -----------------------------------------------------------

    async def action_toggle_timer(self) -> None:
        await self.change(self.model.toggle_timer)

    async def action_minutes(self, minutes: int) -> None:
        await self.change(lambda: self.model.adjust_minutes(minutes))

    async def action_phase(self, step: int) -> None:
        await self.change(lambda: self.model.step_phase(step), entering=True)

    async def go_to_phase(self, key: str) -> None:
        await self.change(lambda: self.model.go_to_phase(key), entering=True)

    # -- cards: focus, moves, add, edit, delete, undo ----------------------------------------

    def action_focus_column(self, step: int) -> None:
        if view := self.view():
            view.focus_column(step)

    def action_move_card(self, dx: int, dy: int) -> None:
        if view := self.view():
            view.move_card(dx, dy)

    def action_add(self) -> None:
        if (view := self.view()) and (form := view.add_form(getattr(view.focused_column(), "key", ""))):
            self.open_form(form)

    def action_edit(self) -> None:
        if (view := self.view()) and (card := view.current_card()) and (form := view.edit_form(card)):
            self.open_form(form)

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

    # -- filter ----------------------------------------------------------------------------

    async def action_filter(self) -> None:
        box = self._filter_input
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
        box = self._filter_input
        if box is not None:
            if clear:
                box.value = ""
            box.display = bool(box.value)
        view = self.view()
        if view is not None:
            view.focus_card(None, view.phase == "impact")

    async def action_home(self) -> None:
        box = self._filter_input
        if box is not None and (box.has_focus or box.value):
            self._leave_filter(clear=True)
            return
        self.app.action_sessions()  # type: ignore[attr-defined]

    def action_quit(self) -> None:
        """Quit; with a timer running, ask first whether to pause it (see LeaveScreen)."""
        running = self.model.running_phase if not self.model.readonly else None
        if running is None:
            self.app.exit()
            return
        from ..modals.leave import LeaveScreen

        async def chosen(choice: str | None) -> None:
            if choice == "pause" and not await self.change(self.model.pause_timers):
                return
            if choice is not None:
                self.app.exit()
        self.app.push_screen(LeaveScreen(vocabulary.label(vocabulary.PHASES, running.key)), chosen)

    def action_session_details(self) -> None:
        def save(m: SessionModel, values: dict[str, Any]) -> None:
            m.update_session(**{**values, "rehearsal": values["rehearsal"] == "yes"})
        self.open_form(PhaseView.FormWanted(_("Session details"), forms.details_fields(self.model.workshop.session),
                                            save))

    def action_agenda(self) -> None:
        self.open_form(PhaseView.FormWanted(_("Agenda: planned minutes"),
                                            forms.agenda_fields(self.model.workshop.phases),
                                            lambda m, values: m.plan_agenda(values)))

    async def action_reset_timer(self) -> None:
        if await self.change(self.model.reset_timer):
            self.notify(_("this phase's clock is back at zero; u brings the time back"), timeout=4)

    async def action_end_workshop(self) -> None:
        if await self.change(self.model.end_workshop):
            self.notify(_("workshop ended; the report's agenda holds the time spent (space starts a timer again)"),
                        timeout=6)

    # -- the room: report, since last time, merging, hand-off, help, options -----------------

    def action_report(self) -> None:
        from .report import ReportScreen

        self.app.push_screen(ReportScreen(self.model, self.clock))

    def action_since(self) -> None:
        from .since import SinceLastTimeScreen

        self.app.push_screen(SinceLastTimeScreen(self.model.whole(), self.model.removed_cards(), self.clock.today()))

    def action_import_notes(self) -> None:
        from .import_notes import ImportScreen

        def merged(done: bool | None) -> None:
            if done:
                self.run_worker(self.rebuild(), group="rebuild")
        self.app.push_screen(ImportScreen(self.model), merged)

    def action_handoff_copy(self) -> None:
        from ...store.handoff import handoff_path

        target = handoff_path(self.model.path, self.clock.today())
        try:
            self.model.copy_to(target)
        except (SessionFileError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(_("hand-off copy written to {path}").format(path=target), timeout=8)

    def action_help(self) -> None:
        from .help import HelpScreen

        # Exactly what works here: the active bindings, a phase's keys only in their phase.
        active = self.active_bindings.values()
        judging = any(b.binding.action.startswith("judge(") for b in active)
        self.app.push_screen(HelpScreen(tuple(c for _node, c in active_commands(active)), judging=judging))

    def action_toggle_theme(self) -> None:
        self.app.toggle_theme()  # type: ignore[attr-defined]

    async def action_toggle_authors(self) -> None:
        settings = self.app.settings  # type: ignore[attr-defined]
        settings.hide_authors = not settings.hide_authors
        settings.save()
        await self.rebuild()
        self.notify(_("authors hidden") if settings.hide_authors else _("authors shown"), timeout=2)

    def action_toggle_ascii(self) -> None:
        settings = self.app.settings  # type: ignore[attr-defined]
        settings.ascii_borders = not settings.ascii_borders
        settings.save()
        for view in self._views.values():
            view.set_ascii(settings.ascii_borders)
