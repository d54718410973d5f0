"""The Markdown report, shown in the app, and exported to a file whose path is shown.

Rendering a big session's report takes a second or more, so a thread worker does
it, from the file as ``premortem export --format md`` does (the board changes
its cards in place, so the worker must not read them): the screen opens at once
saying so and fills in when the text is ready. The last report of each session
is kept, and shown again at once while the session is unchanged.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from ...domain.model import Workshop
from ...domain.timer import Clock
from ...export.markdown import clock_part, render_markdown
from ...i18n import _
from ...store.fileformat import SessionFileError
from ...store.reader import read_file_with_removed
from ..literal import Plain
from ..session_model import SessionModel
from ..widgets.report_view import ReportLines, ReportView


def report_path(session_path: str) -> Path:
    """Beside the session file: NAME-report.md."""
    path = Path(session_path).resolve()
    return path.with_name(path.stem + "-report.md")


class _Source(NamedTuple):
    """What a report was rendered from: the file as read, and what of it the time decided."""
    workshop: Workshop
    clock: tuple[Any, ...]  # markdown.clock_part
    authors: bool  # whether the report names them (not on a blameless screen)


class Prepared(NamedTuple):
    markdown: str
    lines: ReportLines


# Per open session: the source of its last report, and the report.
_last: WeakKeyDictionary[SessionModel, tuple[_Source, Prepared]] = WeakKeyDictionary()


def prepare(path: str, now: datetime, *, authors: bool = True) -> tuple[_Source, Prepared]:
    """The report as ``premortem export --format md`` writes it at ``now``, read from the file
    (``authors`` False: as ``--no-authors`` writes it)."""
    workshop, removed = read_file_with_removed(path)
    markdown = render_markdown(workshop if authors else workshop.without_authors(), now, removed=removed)
    return _Source(workshop, clock_part(workshop, now), authors), Prepared(markdown, ReportLines(markdown))


def cached(model: SessionModel, now: datetime, authors: bool) -> Prepared | None:
    """The last report of ``model`` if the session in memory is still the one it was read from
    and the clock changes nothing in it. (The deleted carried cards the report also lists change
    only with a deletion or a restore, so with the workshop.)"""
    last = _last.get(model)
    if last is None:
        return None
    source, prepared = last
    workshop = model.workshop
    return prepared if source.clock == clock_part(workshop, now) and source.authors == authors \
        and source.workshop == workshop else None


class ReportScreen(Screen[None]):
    CSS = """
    ReportScreen #report-path, ReportScreen #report-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("s", "save", _("Save as Markdown"), show=True),
        Binding("escape,r", "app.pop_screen", _("Back to the board"), show=True, key_display="esc"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
        Binding("q", "app.quit", _("Quit"), show=True),
    ]

    def __init__(self, model: SessionModel, clock: Clock) -> None:
        super().__init__()
        self.model = model
        self.clock = clock
        self.markdown: str | None = None  # the report's text, once rendered
        self.authors = True  # named in the report, unless the board hides them (on_mount)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain(_("s saves it to {path}").format(path=report_path(self.model.path)), id="report-path")
        yield Plain(_("preparing the report..."), id="report-status")
        yield ReportView()
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Report: {title}").format(title=self.model.workshop.session.title)
        self.query_one(ReportView).focus()
        self.authors = not self.app.settings.hide_authors  # type: ignore[attr-defined]
        now = self.clock.now()
        prepared = cached(self.model, now, self.authors)
        if prepared is not None:
            self._show(prepared)
        else:
            self._prepare(now)

    @work(thread=True, exclusive=True)
    def _prepare(self, now: datetime) -> None:
        try:
            source, prepared = prepare(self.model.path, now, authors=self.authors)
        except SessionFileError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        _last[self.model] = (source, prepared)  # kept even if the screen was left meanwhile
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, prepared)

    def _failed(self, why: str) -> None:
        if self.is_attached:
            self.query_one("#report-status", Plain).update(why)

    def _show(self, prepared: Prepared) -> None:
        if not self.is_attached:  # left before the report was ready
            return
        self.markdown = prepared.markdown
        self.query_one("#report-status", Plain).display = False
        self.query_one(ReportView).show(prepared.lines)

    def action_scroll(self, lines: int) -> None:
        self.query_one(ReportView).scroll_relative(y=lines, animate=False)

    def action_save(self) -> None:
        if self.markdown is None:
            self.notify(_("the report is still being prepared"), severity="warning")
            return
        target = report_path(self.model.path)
        tmp = target.with_name(target.name + ".part")
        try:
            tmp.write_text(self.markdown, encoding="utf-8")
            os.replace(tmp, target)
        except OSError as exc:
            self.notify(_("cannot write {path}: {why}").format(path=target, why=exc.strerror), severity="error")
            return
        self.query_one("#report-path", Plain).update(_("saved to {path}").format(path=target))
        self.notify(_("report saved to {path}").format(path=target), timeout=6)
