"""Home: the store's sessions and recent files, newest first; new, open, demo."""

from __future__ import annotations

import os
import time
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker
from textual.widgets import Footer, Header

from ...domain.model import Workshop
from ...domain.reminders import collect, due_reminders
from ...domain.timer import Clock
from ...domain.validate import ValidationError
from ...i18n import _
from ...store.fileformat import SessionFileError
from ...store.locations import new_store_path, recent_files, store_dir, store_sessions
from ..columns import PHASE_TITLES, ROLE_TITLES
from ..literal import Plain, PlainInput, PlainLabel, PlainTable
from ..modals.card_form import CardForm
from ..modals.fields import FormField


def summarise(path: Path) -> tuple[tuple[str, str, str], bool]:
    """Title, date and how far the session got (an unreadable file says why), and whether it was read."""
    from ...store.summary import read_summary

    try:
        s = read_summary(str(path))
    except SessionFileError as exc:
        return (path.name, "", str(exc).split(": ", 1)[-1]), False
    far = _("{phase}: {f} failures, {c} countermeasures").format(
        phase=_(PHASE_TITLES.get(s.current_phase, s.current_phase)), f=s.failures, c=s.countermeasures)
    return (s.title, s.date, far), True


# Rows read are shown together at most this often: each update of the table lays it out and draws
# it again, and one per file kept the screen busy for seconds.
FILL_EVERY = 0.1


class HomeScreen(Screen[None]):
    CSS = """
    HomeScreen #home-intro { padding: 1 2 0 2; }
    HomeScreen #author { margin: 0 2; width: 60; }
    HomeScreen #author-label { margin: 0 2; }
    HomeScreen #sessions { height: 1fr; margin: 1 2; }
    HomeScreen #reminders-title { margin: 1 2 0 2; text-style: bold; color: $text-warning; }
    HomeScreen #reminders { height: auto; max-height: 8; margin: 0 2; }
    """
    BINDINGS = [
        Binding("enter,o", "open", _("Open"), show=True, key_display="enter"),
        Binding("n", "new", _("New session"), show=True),
        Binding("d", "demo", _("Demo"), show=True),
        Binding("c", "carry", _("Carry to next meeting"), show=True),
        Binding("f", "open_path", _("Open a file"), show=True),
        Binding("r", "refresh", _("Refresh"), show=False),
        Binding("q", "app.quit", _("Quit"), show=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[Path] = []
        self._pending = None
        self._ask: str | None = None  # a missing path to ask about once the form has closed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain(_("Sessions in {store} and recent files, newest first.").format(store=store_dir()),
                     id="home-intro")
        yield PlainLabel(_("Writing as (new cards carry this author):"), id="author-label")
        yield PlainInput(self.app.author, placeholder=_("your name"), id="author")  # type: ignore[attr-defined]
        yield PlainLabel("", id="reminders-title")
        yield PlainTable(cursor_type="row", id="reminders")
        yield PlainTable(cursor_type="row", zebra_stripes=True, id="sessions")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("premortem: sessions")
        table = self.query_one("#sessions", PlainTable)
        table.add_columns(_("Title"), _("Date"), _("How far"), _("File"))
        self.query_one("#reminders", PlainTable).add_columns(_("Due"), _("Countermeasure"), _("Owner"),
                                                            _("Session"))
        self.query_one("#reminders", PlainTable).display = False
        self.action_refresh()

    @on(PlainInput.Changed, "#author")
    def _author(self, event: PlainInput.Changed) -> None:
        self.app.author = event.value.strip()  # type: ignore[attr-defined]

    @on(PlainInput.Submitted, "#author")
    def _author_done(self) -> None:
        self.query_one(PlainTable).focus()

    def action_refresh(self) -> None:
        seen: set[Path] = set()
        self.paths = []
        for path in [*store_sessions(), *recent_files()]:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                self.paths.append(path)
        self.paths.sort(key=lambda p: p.stat().st_mtime if p.exists() else 0, reverse=True)
        table = self.query_one("#sessions", PlainTable)
        table.clear()
        if not self.paths:
            table.add_row(_("No sessions yet: n starts one, d opens the demo"), "", "", "", key="")
        for path in self.paths:
            table.add_row(path.name, "", _("reading..."), str(path), key=str(path))
        table.focus()
        self._fill_rows(list(self.paths))

    @work(thread=True, exclusive=True, group="home-fill")
    def _fill_rows(self, paths: list[Path]) -> None:
        """Each row's summary, a few small queries per file, shown in batches; the reminders after
        every row (they read each session's countermeasures)."""
        from ...store.summary import read_for_reminders

        worker = get_current_worker()
        batch: list[tuple[str, str, str, str]] = []
        readable: list[Path] = []
        shown = time.monotonic()
        for path in paths:
            if worker.is_cancelled:
                return
            (title, when, far), read = summarise(path)
            if read:
                readable.append(path)
            batch.append((str(path), title, when, far))
            if time.monotonic() - shown >= FILL_EVERY:
                # Posted, not called: the reading goes on while the screen draws them.
                self.post_message(self.RowsRead(batch))
                batch, shown = [], time.monotonic()
        self.post_message(self.RowsRead(batch))
        sessions: list[tuple[str, Workshop]] = []
        for path in readable:
            if worker.is_cancelled:
                return
            try:
                sessions.append((str(path), read_for_reminders(str(path))))
            except SessionFileError:
                pass  # its row says why
        due = due_reminders(collect(sessions, self.clock.today()))
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_reminders, due)

    def _show_reminders(self, due: list) -> None:
        table = self.query_one("#reminders", PlainTable)
        table.clear()
        for n, r in enumerate(due):
            mark = _("OVERDUE") if r.overdue else _("DUE")
            table.add_row(f"{mark} {r.remind_on}", r.text, r.owner, r.session_title, key=f"{n}:{r.session_path}")
        table.display = bool(due)
        self.query_one("#reminders-title", PlainLabel).update(
            _("Reminders due ({n}): enter opens the session").format(n=len(due)) if due else "")

    @on(PlainTable.RowSelected, "#reminders")
    def _open_reminder(self, event: PlainTable.RowSelected) -> None:
        event.stop()
        self.open_path(str(event.row_key.value).split(":", 1)[1])

    class RowsRead(Message):
        """Summaries read by the worker: (key, title, date, how far) per row."""

        def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
            super().__init__()
            self.rows = rows

    def on_home_screen_rows_read(self, message: RowsRead) -> None:
        table = self.query_one("#sessions", PlainTable)
        for key, *values in message.rows:
            try:
                for column, value in zip(table.columns, values):
                    table.update_cell(key, column, value, update_width=True)  # the placeholder set the width
            except Exception:  # the row went away with a refresh
                pass

    def reading(self) -> bool:
        """True while the rows' summaries or the reminders are still being read."""
        return any(w.node is self and w.group == "home-fill" and not w.is_finished for w in self.workers)

    @property
    def clock(self) -> Clock:
        return self.app.clock  # type: ignore[attr-defined]

    def selected(self) -> Path | None:
        table = self.query_one("#sessions", PlainTable)
        if not self.paths or table.cursor_row >= len(self.paths):
            return None
        return Path(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value or "")

    def action_open(self) -> None:
        path = self.selected()
        if path is not None:
            self.open_path(str(path))

    @on(PlainTable.RowSelected, "#sessions")
    def _row_selected(self) -> None:
        self.action_open()

    def action_carry(self) -> None:
        from ...store.handoff import carry_file

        source = self.selected()
        if source is None:
            self.notify(_("choose the session to carry first"), severity="warning")
            return

        def submit(values: dict[str, object]) -> str | None:
            title = str(values["title"]).strip()
            target = new_store_path(f"{self.clock.today().isoformat()}-{title or source.stem}")
            try:
                carry_file(str(source), str(target), title or None, clock=self.clock)
            except (SessionFileError, ValidationError) as exc:
                return str(exc)
            return self.open_path(str(target), from_form=True)
        self._form(CardForm(
            _("Carry {name} to the next meeting (it stays as it is)").format(name=source.name),
            [FormField("title", _("Title of the next meeting (empty: \"<title> (next)\")"))], submit))

    def open_path(self, path: str, *, from_form: bool = False, create: bool = False) -> str | None:
        """Open ``path`` on the board; from a form, once the form has closed. Returns an error, if any.

        A path with no session yet is created only when ``create`` is given: otherwise the user is
        asked first (after the form, if any, has closed), and nothing is written unless they agree.
        """
        from ..launch import missing_session, open_model

        try:
            if not create and missing_session(path):
                if from_form:
                    self._ask = path
                else:
                    self.ask_to_create(path)
                return None
            model = open_model(path, clock=self.clock, author=self.app.author)  # type: ignore[attr-defined]
        except SessionFileError as exc:
            if not from_form:
                self.notify(str(exc), severity="error", timeout=8)
            return str(exc)
        if from_form:
            self._pending = model
        else:
            self.app.open_board(model)  # type: ignore[attr-defined]
        return None

    def ask_to_create(self, path: str) -> None:
        """Ask before a new session is created at ``path``; cancel leaves everything as it was."""
        from ..modals.create_session import CreateSession

        def answered(create: bool | None) -> None:
            if create:
                self.open_path(path, create=True)
        self.app.push_screen(CreateSession(path), answered)

    def _form(self, form: CardForm) -> None:
        """A form whose success opens a session: the board replaces this screen after the form is gone
        (or the question whether to create a missing one comes up)."""
        def closed(saved: bool | None) -> None:
            model, self._pending = self._pending, None
            ask, self._ask = self._ask, None
            if saved and model is not None:
                self.app.open_board(model)  # type: ignore[attr-defined]
            elif saved and ask is not None:
                self.ask_to_create(ask)
        self.app.push_screen(form, closed)

    def action_open_path(self) -> None:
        def submit(values: dict[str, object]) -> str | None:
            path = os.path.expanduser(str(values["path"]).strip())
            if not path:
                return _("type the path of a .premortem file")
            return self.open_path(path, from_form=True)
        self._form(CardForm(_("Open a session file (a missing one is created only if you agree)"),
                                      [FormField("path", _("Path"), placeholder="~/team/q3.premortem")], submit))

    def action_new(self) -> None:
        def submit(values: dict[str, object]) -> str | None:
            from ...store.service import create_new_session

            title = str(values["title"]).strip()
            if not title:
                return _("a session needs a title")
            path = new_store_path(f"{self.clock.today().isoformat()}-{title}")
            try:
                if not create_new_session(str(path), title=title, context=str(values["context"]),
                                          participants=str(values["participants"]), clock=self.clock):
                    return _("{path}: already exists; choose a new name").format(path=path)
            except (ValidationError, SessionFileError) as exc:
                return str(exc)
            return self.open_path(str(path), from_form=True)
        roles = ", ".join(f"{k} ({_(ROLE_TITLES[k]).lower()})" for k in ROLE_TITLES)
        self._form(CardForm(_("New session"), [
            FormField("title", _("Title"), placeholder=_("e.g. Billing pre-mortem, Q3")),
            FormField("context", _("Context: users, customers, funding, segment, what changed"), "area"),
            FormField("participants", _("Participants, one per line as name: role. Roles: {roles}").format(
                roles=roles), "area"),
        ], submit))

    def action_demo(self) -> None:
        from ..launch import write_demo

        path = new_store_path(_("demo"))
        try:
            write_demo(str(path), self.clock)
        except SessionFileError as exc:
            self.notify(str(exc), severity="error")
            return
        self.open_path(str(path))
