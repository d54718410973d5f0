"""Since last time: what changed in a carried session, and the reminders that came due."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from ...domain import vocabulary
from ...domain.changes import Changes, decision_labels, judgement_label, since_last_time
from ...domain.model import Workshop
from ...domain.scoring import band
from ...i18n import _
from ..literal import Plain


def _band(risk: int | None) -> str:
    name = band(risk)
    return vocabulary.label(vocabulary.BANDS, name) if name else _(vocabulary.UNJUDGED)


def describe(changes: Changes) -> Text:
    """The change list as text for the room."""
    text = Text()
    labels = decision_labels()

    def section(title: str, lines: list[str]) -> None:
        if lines:
            text.append(f"{title} ({len(lines)})\n", style="bold")
            for line in lines:
                text.append(f"  - {line}\n")
            text.append("\n")

    section(_("Risk changed"), [
        f"{c.failure.service}: {c.failure.failure}  {judgement_label(c.was_impact, c.was_likelihood)} -> "
        f"{judgement_label(c.failure.impact, c.failure.likelihood)} ({_band(c.failure.risk)})"
        for c in changes.risk_changed])
    section(_("New failures"), [f"{f.service}: {f.failure}" for f in changes.new_failures])
    section(_("Removed failures"), [r.label for r in changes.removed_failures])
    section(_("Decisions changed"), [
        f"{c.countermeasure.text}  {labels.get(c.was or '', c.was or '?')} -> {labels[c.countermeasure.decision]}"
        for c in changes.decision_changed])
    section(_("Removed countermeasures"), [r.label for r in changes.removed_countermeasures])
    section(_("Countermeasures done"), [c.text for c in changes.done])
    if changes.empty:
        text.append(_("Nothing has changed since last time.") + "\n\n")
    since = changes.since.isoformat() if changes.since else _("the previous session")
    text.append(_("Reminders that came due since {since}").format(since=since) + "\n", style="bold")
    for c in changes.reminders_due:
        when = f" ({c.revisit_when})" if c.revisit_when else ""
        text.append(f"  - {c.remind_on}: {c.text}{when}\n")
    if not changes.reminders_due:
        text.append("  " + _("none") + "\n")
    return text


class SinceLastTimeScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SinceLastTimeScreen { align: center middle; }
    SinceLastTimeScreen > Vertical { width: 90%; height: 90%; border: thick $accent; background: $surface; }
    SinceLastTimeScreen #since-title { text-style: bold; padding: 0 1; }
    SinceLastTimeScreen VerticalScroll { padding: 0 1; }
    """
    BINDINGS = [Binding("escape,D,q", "dismiss", _("Close"))]

    def __init__(self, workshop: Workshop, removed: list[tuple[str, str, str]], today: date) -> None:
        super().__init__()
        self.workshop = workshop
        self.removed = removed
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(_("Since last time (escape closes)"), id="since-title")
            with VerticalScroll():
                if self.workshop.session.previous_session_id is None:
                    yield Plain(_("This session was not carried from an earlier one: "
                                   "premortem carry FILE NEW starts the next meeting from this one."))
                else:
                    yield Plain(describe(since_last_time(self.workshop, self.removed, self.today)))
