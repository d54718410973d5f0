"""The Textual application: the home screen or one session's board."""

from __future__ import annotations

import gc
import time
from functools import partial
from typing import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.content import Content
from textual.screen import Screen

from ..domain.model import PHASE_KEYS
from ..domain.plaintext import visible
from ..domain.timer import Clock, SystemClock
from ..i18n import _
from .columns import PHASE_TITLES
from .session_model import SessionModel
from .settings import Settings

THEMES = ("textual-dark", "textual-light")
# The cycle collector's full passes wait for a pause in the input (see _collect_when_idle),
# for at most FULL_PASS_DELAY times as long as Python would wait: what waits is garbage.
IDLE_SECONDS = 1.0
FULL_PASS_DELAY = 4
NO_AUTOMATIC_FULL_PASS = 1 << 30


def _palette_help(text: str, keys: str) -> str:
    # The palette reads help as markup: "[/]" or "[H]" would be taken for tags.
    return f"{text} [{keys}]".strip().replace("[", "\\[")


class PremortemApp(App[None]):
    TITLE = "premortem"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, model: SessionModel | None = None, *, clock: Clock | None = None,
                 settings: Settings | None = None, author: str = "", create: str | None = None,
                 rehearsal: bool = False) -> None:
        """``create``: a path with no session yet, opened only if the user agrees to create it
        (else the app exits with status 1); ``rehearsal`` then marks the new session a rehearsal."""
        super().__init__()
        self.model = model
        self.create = create
        self.rehearsal = rehearsal
        self.error: str | None = None  # why the app exited with status 1, for the command line
        self.clock = clock or SystemClock()
        self.settings = settings or Settings.load()
        self.author = author
        self.theme = self.settings.theme if self.settings.theme in THEMES else THEMES[0]

    def on_mount(self) -> None:
        # A full pass of the cycle collector over a session of 10,000 cards took 50-150 ms, on
        # whichever keystroke it fell. It runs instead when the room pauses (and only when Python
        # would have run one by then), or, in a long run of keys, at a quarter of Python's rate;
        # the young generations are collected as usual.
        self._gc_thresholds = gc.get_threshold()
        self._last_input = time.monotonic()
        gc.set_threshold(self._gc_thresholds[0], self._gc_thresholds[1], NO_AUTOMATIC_FULL_PASS)
        self.set_interval(0.5, self._collect_when_idle)
        if self.model is not None:
            # After the terminal's first size report, already queued: a board pushed before it is laid
            # out and drawn twice, and the second time delays the first paint.
            self.call_later(self.open_board, self.model)
        elif self.create is not None:
            self.call_later(self._ask_to_create, self.create)
        else:
            self.action_sessions()

    def _ask_to_create(self, path: str) -> None:
        from .modals.create_session import CreateSession

        def answered(create: bool | None) -> None:
            if not create:
                self.exit(return_code=1)
                return
            from ..store.fileformat import SessionFileError
            from .launch import open_model

            try:
                model = open_model(path, clock=self.clock, author=self.author, rehearsal=self.rehearsal)
            except SessionFileError as exc:  # the folder went away meanwhile, say
                self.error = str(exc)
                self.exit(return_code=1)
                return
            self.open_board(model)
        self.push_screen(CreateSession(path), answered)

    def open_board(self, model: SessionModel) -> None:
        from .screens.board import BoardScreen

        if self.model is not None and self.model is not model:
            self.model.close()
        self.model = model
        self.switch_or_push(BoardScreen(model))

    def notify(self, message: str, *, title: str = "", severity: str = "information",  # type: ignore[override]
               timeout: float | None = None, markup: bool = False) -> None:
        """Toasts are literal text: a message often holds a user's string or a path."""
        super().notify(visible(message), title=visible(title), severity=severity,  # type: ignore[arg-type]
                       timeout=timeout, markup=False)

    def format_title(self, title: str, sub_title: str) -> Content:
        # Every screen's header passes here: a title or a path never reaches the terminal raw.
        return super().format_title(visible(title), visible(sub_title))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _collect_when_idle(self) -> None:
        due, waited = self._gc_thresholds[2], gc.get_count()[2]
        if waited >= due and (time.monotonic() - self._last_input > IDLE_SECONDS
                              or waited >= due * FULL_PASS_DELAY):
            gc.collect()

    def on_key(self, event: events.Key) -> None:
        # A key that bubbled up from the screen below while a form opens was typed for the form:
        # it was dispatched before the form was up (see CardForm.type_key).
        if getattr(self.screen, "typing_early", False):
            event.stop()
            event.prevent_default()
            self.screen.type_key(event)  # type: ignore[attr-defined]

    async def action_quit(self) -> None:
        """ctrl+q anywhere: a form whose fields were changed asks first (CardForm.before_quit)."""
        before_quit = getattr(self.screen, "before_quit", None)
        if before_quit is not None and before_quit():
            return
        self.quit_board()

    def switch_or_push(self, screen: Screen[None]) -> None:
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def quit_board(self) -> None:
        """Quit; over the board, as q on the board (a running timer asks first)."""
        from .screens.board import BoardScreen

        board = next((s for s in reversed(self.screen_stack) if isinstance(s, BoardScreen)), None)
        if board is not None:
            board.action_quit()
        else:
            self.exit()

    def action_sessions(self) -> None:
        from .screens.home import HomeScreen

        self.switch_or_push(HomeScreen())

    def toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]
        self.settings.theme = self.theme
        self.settings.save()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, then the screen's active bindings: on the board, a phase's keys
        only in their phase (its widget owns them), under their declared names; elsewhere, the
        screen's described keys."""
        from .actions import COMMAND_BY_ACTION

        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            command = COMMAND_BY_ACTION.get(binding.action)
            # A widget's own keys (a list's cursor, a field's editing) are not commands.
            if not enabled or binding.action in seen or binding.action.startswith("app.") \
                    or not (command or (binding.description and node is screen)):
                continue
            seen.add(binding.action)
            if command is not None:
                title, text, keys = _(command.title), _(command.help), command.keys_label
            else:
                title, text, keys = binding.description, "", binding.key_display or binding.key.split(",")[0]
            yield SystemCommand(title, _palette_help(text, keys), partial(node.run_action, binding.action))
        if hasattr(screen, "go_to_phase"):
            for n, key in enumerate(PHASE_KEYS, 1):
                yield SystemCommand(_("Go to phase {n}: {title}").format(n=n, title=_(PHASE_TITLES[key])),
                                    _("Make it the current phase"), partial(screen.go_to_phase, key),
                                    discover=False)

    def on_unmount(self) -> None:
        gc.set_threshold(*self._gc_thresholds)
        if self.model is not None:
            self.model.close()
