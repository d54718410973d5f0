"""The Markdown report, shown in the app, and exported to a file whose path is shown.

Rendering a big session's report takes a second or more, so it happens in a thread
worker: the screen opens at once saying so and fills in when the text is ready.
The worker reads a copy of the workshop, since the board changes its cards in
place. The last report of each session is kept, and shown again at once while
the session (and what the clock adds to it) is unchanged.
"""

from __future__ import annotations

import os
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
from ..literal import Plain
from ..session_model import SessionModel
from ..widgets.report_view import ReportLines, ReportView


def report_path(session_path: str) -> Path:
    """Beside the session file: NAME-report.md."""
    path = Path(session_path).resolve()
    return path.with_name(path.stem + "-report.md")


class _Source(NamedTuple):
    """What a report is rendered from."""
    workshop: Workshop
    removed: list[tuple[str, str, str]]
    clock: tuple[Any, ...]  # what of the report the time decides (markdown.clock_part)


class Prepared(NamedTuple):
    markdown: str
    lines: ReportLines


# Per open session: the source of its last report (a copy nobody changes) and the report.
_last: WeakKeyDictionary[SessionModel, tuple[_Source, Prepared]] = WeakKeyDictionary()


def _copy(card: Any) -> Any:
    """``card`` with its own fields (and lists), without the cost of dataclasses.replace."""
    new = object.__new__(type(card))
    new.__dict__.update({k: list(v) if isinstance(v, list) else v for k, v in card.__dict__.items()})
    return new


def snapshot(w: Workshop) -> Workshop:
    """A copy of ``w`` down to its cards: the board may change them while a worker reads this."""
    return Workshop(session=_copy(w.session), participants=[_copy(p) for p in w.participants],
                    failures=[_copy(f) for f in w.failures],
                    countermeasures=[_copy(c) for c in w.countermeasures],
                    retro=[_copy(n) for n in w.retro], phases=[_copy(p) for p in w.phases])


def cached(model: SessionModel, workshop: Workshop, removed: list[tuple[str, str, str]],
           clock: tuple[Any, ...]) -> Prepared | None:
    """The last report of ``model`` if nothing it was rendered from has changed since."""
    last = _last.get(model)
    if last is None:
        return None
    source, prepared = last
    same = source.clock == clock and source.removed == removed and source.workshop == workshop
    return prepared if same else None


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
        self.markdown: str | None = None  # the report's text once it is rendered

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain(_("s saves it to {path}").format(path=report_path(self.model.path)), id="report-path")
        yield Plain(_("preparing the report..."), id="report-status")
        yield ReportView()
        yield Footer()

    def on_mount(self) -> None:
        workshop = self.model.whole()
        self.title = _("Report: {title}").format(title=workshop.session.title)
        self.query_one(ReportView).focus()
        now = self.clock.now()
        removed = self.model.removed_cards()
        times = clock_part(workshop, now)
        prepared = cached(self.model, workshop, removed, times)
        if prepared is not None:
            self._show(prepared)
        else:
            self._prepare(_Source(snapshot(workshop), removed, times), now)

    @work(thread=True, exclusive=True)
    def _prepare(self, source: _Source, now: Any) -> None:
        markdown = render_markdown(source.workshop, now, removed=source.removed)
        prepared = Prepared(markdown, ReportLines(markdown))
        _last[self.model] = (source, prepared)  # kept even if the screen was left meanwhile
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, prepared)

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
