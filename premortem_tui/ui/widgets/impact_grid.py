"""The impact x likelihood grid: 5 x 5 cells of failure cards, judged relatively.

Impact runs down the rows (severe at the top), likelihood across the columns
(rare on the left). Every cell names its band in words beside its colour. The
cursor is a card, not a cell: j/k walk the cards of a cell and then the next
cell, h/l move across.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from ...domain import vocabulary
from ...domain.changes import was_label
from ...domain.model import Failure, service_key
from ...domain.scoring import BAND_SYMBOLS, band, risk
from ...i18n import _
from ..text import truncate
from .card_column import CardCursor

IMPACT_LEVELS = vocabulary.IMPACTS
LIKELIHOOD_LEVELS = vocabulary.LIKELIHOODS
BAND_STYLES = {"low": "green", "moderate": "yellow", "high": "dark_orange", "critical": "bold red"}
LABEL_WIDTH = 14


@dataclass
class GridCard:
    """The card under the cursor, in the shape the board expects (id, kind)."""

    id: str
    kind: str = "failure"


class ImpactGrid(CardCursor, Widget, can_focus=True):
    DEFAULT_CSS = """
    ImpactGrid { width: 1fr; height: 1fr; }
    ImpactGrid:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("down,j", "walk(1)", show=False),
        Binding("up,k", "walk(-1)", show=False),
        Binding("left,h", "across(-1)", show=False),
        Binding("right,l", "across(1)", show=False),
    ]

    class LeftEdge(Message):
        """The cursor tried to go left of the rare column: the tray is there."""

    class Highlighted(Message):
        """The cursor moved to another card or cell."""

    class Dropped(Message):
        def __init__(self, card_id: str, screen_x: int, screen_y: int) -> None:
            super().__init__()
            self.card_id, self.screen_x, self.screen_y = card_id, screen_x, screen_y

    def __init__(self, *, ascii_borders: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_borders = ascii_borders
        self.cells: dict[tuple[int, int], list[Failure]] = {}
        self.cell = (3, 3)  # (impact, likelihood)
        self.index = 0
        self.hide_authors = False
        self._regions: dict[tuple[int, int], tuple[int, int, int, int]] = {}  # x, y, w, h per cell
        self._line_cards: dict[tuple[int, int], list[str]] = {}
        self._drag: str | None = None

    # -- content -------------------------------------------------------------------

    def set_failures(self, failures: list[Failure], keep_id: str | None = None) -> None:
        """Place the judged failures; the cursor follows ``keep_id`` (or its card) when present."""
        follow = keep_id or (self.current.id if self.current else None)
        cells: dict[tuple[int, int], list[Failure]] = {}
        for f in failures:
            if f.impact is not None and f.likelihood is not None:
                cells.setdefault((f.impact, f.likelihood), []).append(f)
        for cards in cells.values():
            cards.sort(key=lambda f: (service_key(f.service), f.position))
        self.cells = cells
        if not (follow and self.select(follow)):
            self.index = min(self.index, max(0, len(cells.get(self.cell, [])) - 1))
        self.refresh()

    def select(self, failure_id: str) -> bool:
        for key, cards in self.cells.items():
            for n, f in enumerate(cards):
                if f.id == failure_id:
                    self.cell, self.index = key, n
                    self.refresh()
                    return True
        return False

    def select_highest(self) -> bool:
        if not self.cells:
            return False
        key = max(self.cells, key=lambda k: (k[0] * k[1], k[0]))
        self.cell, self.index = key, 0
        self.refresh()
        return True

    @property
    def current(self) -> GridCard | None:
        cards = self.cells.get(self.cell, [])
        return GridCard(cards[self.index].id) if 0 <= self.index < len(cards) else None

    def cell_cards(self, cell: tuple[int, int] | None = None) -> list[Failure]:
        return list(self.cells.get(cell or self.cell, []))

    def all_cards(self) -> list[Failure]:
        return [f for cards in self.cells.values() for f in cards]

    # -- cursor ------------------------------------------------------------------------

    def refresh_cursor(self) -> None:
        self.refresh()
        self.post_message(self.Highlighted())

    def action_walk(self, step: int) -> None:
        """Down the cards of this cell, then on to the cell below (rows run severe to negligible)."""
        cards = self.cells.get(self.cell, [])
        target = self.index + step
        if 0 <= target < len(cards):
            self.index = target
        else:
            impact, likelihood = self.cell
            impact = max(1, min(5, impact - step))
            if (impact, likelihood) != self.cell:
                self.cell = (impact, likelihood)
                below = self.cells.get(self.cell, [])
                self.index = 0 if step > 0 else max(0, len(below) - 1)
        self.refresh_cursor()

    def action_across(self, step: int) -> None:
        impact, likelihood = self.cell
        if likelihood + step < 1:
            self.post_message(self.LeftEdge())
            return
        self.cell = (impact, max(1, min(5, likelihood + step)))
        self.index = 0
        self.refresh_cursor()

    # -- drawing ---------------------------------------------------------------------------

    def _cell_lines(self) -> int:
        # header row + five rows, with a rule between each and round the outside
        return max(2, (self.size.height - 1 - 7) // 5)

    def render(self) -> Table:
        width = self.size.width
        cell_width = max(6, (width - LABEL_WIDTH - 8) // 5)
        lines = self._cell_lines()
        table = Table(box=box.ASCII if self.ascii_borders else box.ROUNDED, show_header=True,
                      show_lines=True, padding=0, header_style="bold")
        table.add_column(_("impact"), width=LABEL_WIDTH, no_wrap=True)
        for n, name in LIKELIHOOD_LEVELS.items():
            table.add_column(truncate(f"{n} {_(name)}", cell_width), width=cell_width, no_wrap=True)
        self._line_cards = {}
        for impact in range(5, 0, -1):
            name, meaning = IMPACT_LEVELS[impact]
            label = Text(f"{impact} {_(name)}", style="bold")
            for part in _wrap_label(_(meaning), LABEL_WIDTH, lines - 1):
                label.append("\n" + part, style="dim")
            row: list[Text] = [_fill(label, lines)]
            for likelihood in range(1, 6):
                row.append(self._cell(impact, likelihood, cell_width, lines))
            table.add_row(*row)
        self._remember_regions(cell_width, lines)
        return table

    def _cell(self, impact: int, likelihood: int, width: int, lines: int) -> Text:
        value = risk(impact, likelihood)
        name = band(value) or "low"
        cards = self.cells.get((impact, likelihood), [])
        here = (impact, likelihood) == self.cell
        band_label = f"{BAND_SYMBOLS[name]} {vocabulary.label(vocabulary.BANDS, name)}"
        # The band's word always shows; then the count, then the value (the axes say it), as room allows;
        # cards that do not fit are counted on a "+N more" line anyway.
        heads = [f"{band_label} {value} ({len(cards)})", f"{band_label} ({len(cards)})"] if cards else []
        head = next((h for h in [*heads, f"{band_label} {value}"] if cell_len(h) <= width), band_label)
        text = Text(truncate(head, width), style=BAND_STYLES[name] + (" reverse" if here and not cards
                                                                                and self.has_focus else ""))
        room = lines - 1
        start = 0
        if here and self.index >= room:  # keep the cursor's card in view
            start = self.index - room + 1
        shown = cards[start:start + room]
        more = len(cards) - start - len(shown)
        if more > 0 and shown:
            shown = shown[:-1]
            more += 1
        ids = []
        for offset, f in enumerate(shown):
            selected = here and start + offset == self.index
            mark = "> " if selected else ""
            ok = (" " + _("OK") if f.acceptable else "") + (" *" if was_label(f) else "")
            line = truncate(f"{mark}{f.service}: {f.failure}", width - len(ok)) + ok
            style = Style(reverse=True, bold=True) if selected and self.has_focus else \
                Style(bold=True) if selected else Style()
            text.append("\n" + line, style=style)
            ids.append(f.id)
        if more > 0:
            text.append("\n" + truncate(_("+{n} more").format(n=more), width), style="dim")
        self._line_cards[(impact, likelihood)] = ids
        return _fill(text, lines)

    def _remember_regions(self, cell_width: int, lines: int) -> None:
        """Where each cell is drawn, for the mouse (the table's geometry is regular)."""
        self._regions = {}
        for row, impact in enumerate(range(5, 0, -1)):
            y = 3 + row * (lines + 1)
            for likelihood in range(1, 6):
                x = 1 + LABEL_WIDTH + 1 + (likelihood - 1) * (cell_width + 1)
                self._regions[(impact, likelihood)] = (x, y, cell_width, lines)

    def cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        """The (impact, likelihood) cell at widget coordinates, if any."""
        width = self.size.width
        cell_width = max(6, (width - LABEL_WIDTH - 8) // 5)
        self._remember_regions(cell_width, self._cell_lines())
        for key, (cx, cy, cw, ch) in self._regions.items():
            if cx <= x < cx + cw and cy <= y < cy + ch:
                return key
        return None

    # -- mouse -------------------------------------------------------------------------------

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.focus()
        key = self.cell_at(event.x, event.y)
        if key is None:
            return
        _x, y, _w, _h = self._regions[key]
        ids = self._line_cards.get(key, [])
        line = event.y - y - 1  # the first line of a cell is its band
        self.cell = key
        if 0 <= line < len(ids):
            self.index = self.cells[key].index(next(f for f in self.cells[key] if f.id == ids[line]))
            self._drag = ids[line]
            self.capture_mouse()
        else:
            self.index = 0
        self.refresh_cursor()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        card_id, self._drag = self._drag, None
        self.release_mouse()
        if card_id is not None:
            self.post_message(self.Dropped(card_id, event.screen_x, event.screen_y))


def _fill(text: Text, lines: int) -> Text:
    """Every cell exactly ``lines`` high, so the grid's geometry is regular (the mouse relies on it)."""
    missing = lines - (text.plain.count("\n") + 1)
    if missing > 0:
        text.append("\n" * missing)
    return text


def _wrap_label(text: str, width: int, lines: int) -> list[str]:
    from ..text import wrap

    return wrap(text, width, lines) if lines > 0 else []
