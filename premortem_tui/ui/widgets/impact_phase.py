"""The customer-impact phase's panels: the per-service weights and the focused card's details
(the phase itself is ui/phases/impact.py)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from ...domain import vocabulary
from ...domain.changes import was_label
from ...domain.model import Failure, Workshop
from ...domain.scoring import BAND_SYMBOLS, band, service_weights
from ...i18n import _
from ..literal import Plain
from ..text import pad, truncate
from .impact_grid import IMPACT_LEVELS, LIKELIHOOD_LEVELS

BAR = "#"


class WeightsPanel(Widget):
    """Each service with the sum of its failures' risk, as a bar, highest first."""

    DEFAULT_CSS = "WeightsPanel { height: 14; padding: 0 1; border-top: solid $panel-lighten-2; }"

    def __init__(self) -> None:
        super().__init__()
        self._weights: list[tuple[str, int]] = []

    def show(self, failures: list[Failure]) -> None:
        self._weights = service_weights(failures)
        self.refresh()  # a fixed height: no need to lay the screen out again

    def render(self) -> Text:
        # Bars are measured here, at the width the panel was given, not when the weights change.
        weights, width = self._weights, self.content_size.width
        text = Text(_("Weight per service") + "\n", style="bold")
        top = max((w for _name, w in weights), default=0) or 1
        name_width = min(12, max((cell_len(n) for n, _w in weights), default=4))
        bar_room = max(4, width - name_width - 6)
        for name, weight in weights:
            text.append(pad(name, name_width) + " ")
            text.append(BAR * max(1 if weight else 0, round(bar_room * weight / top)), style="bold")
            text.append(f" {weight}\n")
        return text


class DetailPanel(Plain):
    """Every field of the focused failure, its risk and band, and its variants."""

    DEFAULT_CSS = "DetailPanel { height: 6; padding: 0 1; border-top: solid $panel-lighten-2; }"

    def show(self, failure: Failure | None, workshop: Workshop, hide_authors: bool) -> None:
        if failure is None:
            self.update(_("No card in focus. Unjudged failures wait in the tray on the left."), layout=False)
            return
        when = " | ".join(p for p in (failure.period, failure.timing) if p)
        author = _("by {name}").format(name=failure.author) if failure.author and not hide_authors else ""
        was = was_label(failure) if workshop.session.previous_session_id else None
        if failure.judged:
            name = band(failure.risk) or ""
            judgement = _("impact {i} {iname} x likelihood {l} {lname} = risk {r} {sym} {band}").format(
                i=failure.impact, iname=_(IMPACT_LEVELS[failure.impact][0]), l=failure.likelihood,
                lname=_(LIKELIHOOD_LEVELS[failure.likelihood]), r=failure.risk, sym=BAND_SYMBOLS[name],
                band=vocabulary.label(vocabulary.BANDS, name))
        else:
            judgement = _("{unjudged}: type impact then likelihood (1-5), or H/J/K/L to place it at 3x3").format(
                unjudged=_(vocabulary.UNJUDGED))
        by_id = workshop.failure_by_id()
        related = []
        if failure.variant_of in by_id:
            original = by_id[failure.variant_of]
            related.append(_("variant of: {text} ({risk})").format(text=original.failure, risk=_risk(original)))
        related += [_("variant: {text} ({risk})").format(text=other.failure, risk=_risk(other))
                    for other in workshop.failures if other.variant_of == failure.id]
        # One fact a line, each cut to the width: the panel keeps its height, and every fact stays in view.
        lines = [
            (f"{failure.service}: {failure.failure}" + (f"  ({when})" if when else "")
             + (f"  {author}" if author else ""), "bold"),
            ((f"({was}) " if was else "") + judgement, "bold" if failure.judged else ""),
            (_("ACCEPTABLE: the team accepts this failure (o toggles)") if failure.acceptable
             else _("not marked acceptable (o toggles)"), ""),
            (_("circumstances: {notes}").format(notes=" ".join(failure.notes.split()) or _("(n edits)")), "italic"),
            ("; ".join(related) if related else _("no variants (v makes one)"), "dim"),
        ]
        width = self.size.width - 2 if self.size.width > 10 else 100
        text = Text("\n").join(Text(truncate(line, width), style=style) for line, style in lines)
        self.update(text, layout=False)  # a fixed height: no need to lay the screen out again


def _risk(f: Failure) -> str:
    return str(f.risk) if f.risk is not None else _(vocabulary.UNJUDGED)
