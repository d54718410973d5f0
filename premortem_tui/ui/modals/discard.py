"""Asked before a changed form is closed without saving: keep editing, or discard."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen

from ...i18n import _
from ..literal import Plain, PlainButton


class DiscardQuestion(ModalScreen[bool]):
    """Dismissed with True to discard the changes, False to keep editing (escape, the default)."""

    DEFAULT_CSS = """
    DiscardQuestion { align: center middle; }
    DiscardQuestion > Vertical { width: auto; max-width: 90%; height: auto; border: thick $error;
                                 background: $surface; padding: 0 1; }
    DiscardQuestion #discard-question { text-style: bold; width: auto; padding: 0 0 1 0; }
    DiscardQuestion Horizontal { width: auto; height: auto; }
    DiscardQuestion PlainButton { margin: 0 1 0 0; }
    DiscardQuestion #discard-keys { color: $text-muted; width: auto; padding: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("escape", "keep", _("Keep editing"), priority=True),
        Binding("d", "discard", _("Discard")),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(_("Discard your changes?"), id="discard-question")
            with Horizontal():
                yield PlainButton(_("Keep editing"), id="keep", variant="primary")
                yield PlainButton(_("Discard"), id="discard", variant="error")
            yield Plain(_("enter: choose   escape: keep editing   d: discard"), id="discard-keys")

    def on_mount(self) -> None:
        self.query_one("#keep", PlainButton).focus()  # enter right away keeps what was typed

    @on(PlainButton.Pressed)
    def _pressed(self, event: PlainButton.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "discard")

    def action_keep(self) -> None:
        self.dismiss(False)

    def action_discard(self) -> None:
        self.dismiss(True)
