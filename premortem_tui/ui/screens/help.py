"""Help: every key, generated from the same declarations as the footer and the palette."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from ..literal import Plain, PlainTable

from ...i18n import _
from ..actions import Command

GENERAL = (
    ("ctrl+p", "Command palette", "Every action, by name"),
    ("ctrl+q", "Quit", "Quit from anywhere"),
    ("1-5, 1-5", "Judge", "Impact phase: type the impact, then the likelihood"),
    ("j / k, up / down", "Focus up / down", "Move the focus within a column"),
    ("tab, ctrl+s, escape", "Forms", "Next field, save, cancel"),
)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 90%; max-width: 120; height: 90%; border: thick $accent; background: $surface; }
    HelpScreen #help-title { text-style: bold; padding: 0 1; }
    HelpScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", _("Close"))]

    def __init__(self, commands: tuple[Command, ...], *, judging: bool = False) -> None:
        super().__init__()
        self.commands = commands
        self.judging = judging  # the digits judge only in the impact phase

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(_("Keys (escape closes)"), id="help-title")
            yield PlainTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(PlainTable)
        table.add_columns(_("Key"), _("Action"), _("What it does"))
        for command in self.commands:
            table.add_row(command.keys_label, _(command.title), _(command.help))
        for keys, title, text in GENERAL:
            if title == "Judge" and not self.judging:
                continue
            table.add_row(keys, _(title), _(text))
        table.focus()
