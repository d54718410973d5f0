"""Defence in depth for the failures that matter: which stages the chosen
countermeasures cover, a gap warning where none answers, and stage notes."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList

from ...domain.model import STAGES, Workshop
from ...domain.scoring import BAND_SYMBOLS, band, coverage
from ...i18n import _
from ..literal import literal, option
from ..text import truncate

STAGE_LETTERS = {"prevent": "P", "detect": "D", "respond": "R", "recover": "C", "learn": "L"}


class CoveragePanel(OptionList):
    """One line per high or critical failure not marked acceptable; enter jumps to its countermeasures."""

    DEFAULT_CSS = """
    CoveragePanel { height: auto; max-height: 9; border: round $panel-lighten-2; border-title-style: bold;
                    border-title-color: $foreground; border-subtitle-color: $text-muted; }
    CoveragePanel:focus { border: heavy $accent; }
    """

    class Jump(Message):
        def __init__(self, failure_id: str) -> None:
            super().__init__()
            self.failure_id = failure_id

    def show(self, w: Workshop, width: int) -> None:
        items = coverage(w.failures, w.countermeasures)
        gaps = sum(1 for c in items if c.gap)
        self.border_title = literal(_("Coverage of high and critical failures: {n} with a gap").format(n=gaps))
        self.border_subtitle = literal(_("P prevent  D detect  R respond  C recover  L learn; enter jumps"))
        highlighted = self.highlighted
        self.clear_options()
        options = []
        for item in items:
            f = item.failure
            name = band(f.risk) or ""
            line = Text()
            line.append(f"{BAND_SYMBOLS[name]:<2} {f.risk:>2} ", style="bold")
            for stage in STAGES:
                covered = stage in item.stages
                line.append(STAGE_LETTERS[stage] if covered else ".", style="bold green" if covered else "dim")
            if item.gap:
                line.append("  " + _("GAP: no chosen countermeasure"), style="bold red")
            elif item.stage_notes:
                notes = {"detect": _("nothing detects it"), "respond": _("nothing responds to it")}
                line.append("  " + ", ".join(notes[s] for s in item.stage_notes), style="yellow")
            used = line.cell_len + 2
            line.append("  " + truncate(f"{f.service}: {f.failure}", max(10, width - used - 4)))
            options.append(option(line, id=f.id))
        if not options:
            options.append(option(_("No high or critical failure needs a countermeasure."), disabled=True))
        self.add_options(options)
        if highlighted is not None and highlighted < len(options):
            self.highlighted = highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))
