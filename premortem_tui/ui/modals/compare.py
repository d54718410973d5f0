"""Relative comparison: the cards of one cell, or of the whole grid, as one list
ordered by risk then service, so the room can ask "is this really worse than that?"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from ..literal import Plain, PlainTable

from ...domain import vocabulary
from ...domain.model import Failure, service_key
from ...domain.scoring import BAND_SYMBOLS, band
from ...i18n import _
from ..text import truncate


class CompareScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    CompareScreen { align: center middle; }
    CompareScreen > Vertical { width: 95%; height: 90%; border: thick $accent; background: $surface; }
    CompareScreen #compare-title { text-style: bold; padding: 0 1; }
    CompareScreen DataTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape,c,C,q", "dismiss", _("Close"))]

    def __init__(self, title: str, failures: list[Failure]) -> None:
        super().__init__()
        self.heading = title
        self.failures = sorted(failures, key=lambda f: (-(f.risk or 0), service_key(f.service), f.position))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(f"{self.heading} ({len(self.failures)}) - " + _("escape closes"), id="compare-title")
            yield PlainTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(PlainTable)
        table.add_columns(_("Risk"), _("Band"), _("I x L"), _("Service"), _("Failure"), _("Period / timing"),
                          _("Acceptable"))
        for f in self.failures:
            name = band(f.risk)
            shown = f"{BAND_SYMBOLS[name]} {vocabulary.label(vocabulary.BANDS, name)}" if name \
                else _(vocabulary.UNJUDGED)
            table.add_row(str(f.risk or ""), shown,
                          f"{f.impact}x{f.likelihood}" if f.judged else "", truncate(f.service, 20),
                          truncate(f.failure, 60), truncate(" | ".join(p for p in (f.period, f.timing) if p), 30),
                          _("yes") if f.acceptable else "")
        table.focus()
