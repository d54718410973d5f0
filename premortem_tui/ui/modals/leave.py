"""Leaving the board while a phase's timer runs: pause it, or keep it running (the room is on a
break), or stay."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from ...i18n import _
from ..literal import Plain


class LeaveScreen(ModalScreen[str | None]):
    """Dismissed with "pause", "keep", or None (stay)."""

    DEFAULT_CSS = """
    LeaveScreen { align: center middle; }
    LeaveScreen > Vertical { width: 64; max-width: 95%; height: auto; border: thick $warning;
                             background: $surface; padding: 1 2; }
    LeaveScreen #leave-choices { margin-top: 1; text-style: bold; }
    """
    BINDINGS = [Binding("p", "choose('pause')", _("Pause and quit")),
                Binding("k", "choose('keep')", _("Keep running and quit")),
                Binding("escape", "choose('')", _("Stay"))]

    def __init__(self, phase_title: str) -> None:
        super().__init__()
        self.phase_title = phase_title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(_("The timer of {phase} is running.").format(phase=self.phase_title))
            yield Plain(_("Paused, the agenda keeps the time really spent; kept running, it counts on "
                          "while the app is closed (a break, say)."))
            yield Plain(_("p  pause it and quit    k  keep it running and quit    escape  stay"),
                        id="leave-choices")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
