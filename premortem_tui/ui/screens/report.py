"""The Markdown report, shown in the app, and exported to a file whose path is shown."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from ...i18n import _
from ..literal import Plain
from ..session_model import SessionModel
from ..widgets.report_view import ReportView


def report_path(session_path: str) -> Path:
    """Beside the session file: NAME-report.md."""
    path = Path(session_path).resolve()
    return path.with_name(path.stem + "-report.md")


class ReportScreen(Screen[None]):
    CSS = """
    ReportScreen #report-path { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("s", "save", _("Save as Markdown"), show=True),
        Binding("escape,r", "app.pop_screen", _("Back to the board"), show=True, key_display="esc"),
        Binding("j,down", "scroll(1)", show=False),
        Binding("k,up", "scroll(-1)", show=False),
        Binding("q", "app.quit", _("Quit"), show=True),
    ]

    def __init__(self, model: SessionModel, markdown: str) -> None:
        super().__init__()
        self.model = model
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain(_("s saves it to {path}").format(path=report_path(self.model.path)), id="report-path")
        yield ReportView(self.markdown)
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Report: {title}").format(title=self.model.workshop.session.title)
        self.query_one(ReportView).focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one(ReportView).scroll_relative(y=lines, animate=False)

    def action_save(self) -> None:
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
