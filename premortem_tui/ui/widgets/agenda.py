"""The agenda strip and the countdown the room can see from the back."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits

from ...domain import timer, vocabulary
from ...domain.model import PHASE_KEYS, Phase
from ...i18n import _
from ..literal import Plain


def _minutes(seconds: float) -> int:
    return int(seconds // 60)


class AgendaStrip(Horizontal):
    """Six phases with planned and spent minutes; the current one highlighted and marked."""

    DEFAULT_CSS = """
    AgendaStrip { height: 4; }
    AgendaStrip > .phase { width: 1fr; height: 100%; margin-right: 1; padding: 1 0 0 0; color: $text-muted;
                           background: $panel; }
    AgendaStrip > .phase.-current { color: $text; text-style: bold; background: $accent 50%; }
    AgendaStrip > .phase.-over { color: $text-error; }
    """

    def compose(self) -> ComposeResult:
        for n, key in enumerate(PHASE_KEYS, 1):
            yield Plain(f"{n} {vocabulary.label(vocabulary.PHASES_SHORT, key)}", classes="phase", id=f"agenda-{key}")

    def show(self, phases: list[Phase], current: str, now: datetime) -> None:
        for n, phase in enumerate(phases, 1):
            spent = timer.spent(phase, now)
            mark = ">" if phase.key == current else " "
            running = _("running") if phase.running else ""
            text = (f"{mark}{n} {vocabulary.label(vocabulary.PHASES_SHORT, phase.key)}\n"
                    f" {_minutes(spent)}/{phase.planned_minutes} {_('min')}\n {running}")
            cell = self.query_one(f"#agenda-{phase.key}", Plain)
            cell.set_class(phase.key == current, "-current")
            cell.set_class(spent > phase.planned_minutes * 60, "-over")
            if str(cell.content) != text:
                cell.update(text, layout=False)  # fixed sizes: the screen need not be laid out again


class PhaseTimer(Vertical):
    """Big mm:ss for the current phase, its state in words, and the agenda's balance."""

    DEFAULT_CSS = """
    PhaseTimer { width: 32; height: 7; padding: 0 1; border: round $primary; }
    PhaseTimer Digits { width: auto; color: $text; }
    PhaseTimer #timer-state { width: 1fr; height: 2; text-style: bold; }
    PhaseTimer.-warning { border: heavy $warning; }
    PhaseTimer.-warning Digits, PhaseTimer.-warning #timer-state { color: $text-warning; }
    PhaseTimer.-overrun, PhaseTimer.-zero { border: heavy $error; }
    PhaseTimer.-overrun Digits, PhaseTimer.-overrun #timer-state,
    PhaseTimer.-zero Digits, PhaseTimer.-zero #timer-state { color: $text-error; }
    """


    def compose(self) -> ComposeResult:
        yield Digits("00:00", id="timer-digits")
        yield Plain("", id="timer-state")

    def show(self, phase: Phase, phases: list[Phase], now: datetime) -> str:
        """Show ``phase`` at ``now``; returns its state (ok, warning, zero, overrun)."""
        left = timer.remaining(phase, now)
        state = timer.timer_state(phase, now)
        digits = self.query_one(Digits)
        clock = timer.format_clock(left)
        if digits.value != clock:
            digits.update(clock)
        for name in ("warning", "zero", "overrun"):
            self.set_class(state == name, f"-{name}")
        balance = timer.agenda_balance(phases, now)
        agenda = (_("agenda {t} left") if balance >= 0 else _("agenda {t} over")).format(
            t=timer.format_clock(abs(balance)).lstrip("+"))
        words = [_("running") if phase.running else _("paused")]
        if vocabulary.TIMER_STATES[state]:
            words.append(vocabulary.label(vocabulary.TIMER_STATES, state))
        text = " | ".join(words) + "\n" + agenda
        label = self.query_one("#timer-state", Plain)
        if str(label.content) != text:
            label.update(text, layout=False)
        return state
