"""Before a session file is created at a path that had none: ask, so a mistyped name makes nothing."""

from __future__ import annotations

import os

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen

from ...i18n import _
from ..literal import Plain, PlainButton

SUFFIX = ".premortem"


def create_question(path: str) -> str:
    """The question asked before a new session is created at ``path`` (shown with its full path)."""
    full = os.path.abspath(os.path.expanduser(path))
    question = _("No session at {path}. Create a new session there?").format(path=full)
    if not full.endswith(SUFFIX):
        question += "\n" + _("Note: the name does not end in {suffix}.").format(suffix=SUFFIX)
    return question


class CreateSession(ModalScreen[bool]):
    """Create / Cancel for a path with no session; dismissed with True only when Create is chosen.

    Cancel has the focus, so an enter typed without reading creates nothing.
    """

    DEFAULT_CSS = """
    CreateSession { align: center middle; background: $background; }
    CreateSession > Vertical { width: 90%; max-width: 100; height: auto; border: thick $warning;
                               background: $surface; padding: 1 2; }
    CreateSession #create-question { width: 1fr; height: auto; }
    CreateSession Horizontal { height: auto; padding: 1 0 0 0; }
    CreateSession PlainButton { margin: 0 2 0 0; }
    CreateSession #create-keys { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("escape,n", "answer(False)", _("Cancel"), priority=True),
        Binding("y", "answer(True)", _("Create"), priority=True),
        Binding("left,right", "app.focus_next", show=False),
    ]
    AUTO_FOCUS = "#create-cancel"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(create_question(self.path), id="create-question")
            with Horizontal():
                yield PlainButton(_("Create"), variant="warning", id="create-create")
                yield PlainButton(_("Cancel"), id="create-cancel")
            yield Plain(_("y: create   n or escape: cancel   tab: next button   enter: press it"),
                        id="create-keys")

    def action_answer(self, create: bool) -> None:
        self.dismiss(create)

    @on(PlainButton.Pressed)
    def _pressed(self, event: PlainButton.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "create-create")
