"""A column of cards drawn line by line: only the visible lines are rendered,
so a column of thousands of cards costs what a screenful costs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, overload

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..text import pad, truncate, wrap

CARD_HEIGHT = 5  # top border, two lines of text, a meta line, bottom border
BODY_LINES = 2

BOX = {  # top-left, horizontal, top-right, vertical, bottom-left, bottom-right
    "round": "╭─╮│╰╯", "heavy": "┏━┓┃┗┛", "ascii": "+-+|++", "ascii-focus": "#=#H##",
}


@dataclass
class CardView:
    """What a card shows; built from a domain object by the board."""

    id: str
    kind: str              # failure, countermeasure, retro, participant, text
    title: str             # on the top border
    body: str
    meta: str = ""         # one dim line: period, timing, author...
    badge: str = ""        # right of the title: risk and band, decision...
    tone: str = ""         # low/moderate/high/critical/done/new: a colour, always beside a word


class CardList(Sequence[CardView]):
    """Cards built on demand from domain objects (anything with an ``id``): a column of
    thousands costs what its visible cards cost."""

    def __init__(self, items: list[Any], build: Callable[[Any], CardView]) -> None:
        self._items = items
        self._build = build
        self._built: dict[int, CardView] = {}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> CardView: ...
    @overload
    def __getitem__(self, index: slice) -> list[CardView]: ...

    def __getitem__(self, index: int | slice) -> CardView | list[CardView]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        card = self._built.get(index)
        if card is None:
            card = self._built[index] = self._build(self._items[index])
        return card

    def position(self, card_id: str) -> int | None:
        return next((n for n, item in enumerate(self._items) if item.id == card_id), None)


class CardCursor:
    """A widget showing cards with one under its cursor, ``current``: the board's card actions
    act on whichever of these has the focus (a column, or the impact grid)."""


class CardColumn(CardCursor, ScrollView, can_focus=True):
    """A focusable, virtualised list of cards with a cursor, under an optional heading that stays
    put: the heading is drawn here too, so a board column is one widget."""

    COMPONENT_CLASSES = {"card-column--heading", "card-column--card", "card-column--cursor", "card-column--meta",
                         "card-column--hint"}
    DEFAULT_CSS = """
    CardColumn { height: 1fr; width: 1fr; scrollbar-size-vertical: 0; }  /* the column draws its own */
    CardColumn > .card-column--heading { color: $foreground; background: $panel; text-style: bold; }
    CardColumn:focus > .card-column--heading { background: $accent 40%; }
    CardColumn > .card-column--card { color: $foreground; }
    CardColumn > .card-column--cursor { color: $foreground; background: $boost; text-style: bold; }
    CardColumn:focus > .card-column--cursor { color: $text-accent; background: $accent 25%; text-style: bold; }
    CardColumn > .card-column--meta { color: $text-muted; }
    CardColumn > .card-column--hint { color: $text-muted; text-style: italic; }
    """
    # Tones come straight from the theme's colours: six more component classes per column
    # cost more to style than the whole column costs to draw.
    # Four bands, four looks in both themes (and a symbol beside each, never colour alone):
    # green, amber, red, and a red block.
    TONES = {"low": ("text-success", ""), "moderate": ("text-warning", ""), "high": ("text-error", "bold"),
             "critical": ("error", "bold reverse"), "done": ("", "dim strike"), "new": ("text-primary", "bold"),
             "thumb": ("scrollbar-active", ""), "track": ("scrollbar-background", "on")}
    _tone_styles: dict[str, dict[str, Style]] = {}
    BINDINGS = [
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("pagedown", "cursor(5)", show=False),
        Binding("pageup", "cursor(-5)", show=False),
        Binding("home", "cursor_to(0)", show=False),
        Binding("end", "cursor_to(-1)", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    class Dropped(Message):
        """A card was dragged with the mouse and let go over ``target`` (any widget, or None).

        ``index`` is the position under the pointer when ``target`` is a CardColumn."""

        def __init__(self, source: "CardColumn", card_id: str, target: object, index: int,
                     screen_x: int, screen_y: int) -> None:
            super().__init__()
            self.source, self.card_id, self.target, self.index = source, card_id, target, index
            self.screen_x, self.screen_y = screen_x, screen_y

    class Highlighted(Message):
        """The cursor moved to another card."""

        def __init__(self, column: "CardColumn") -> None:
            super().__init__()
            self.column = column

    def __init__(self, key: str, cards: Sequence[CardView], *, heading: str = "", hint: str = "",
                 ascii_borders: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key = key
        self.heading = heading  # shown with the number of cards, e.g. "Billing (12)"
        self.cards = cards
        self.hint = hint
        self.ascii_borders = ascii_borders
        self._drag: str | None = None
        self._lines: dict[tuple[str, int], list[str]] = {}

    # -- content ---------------------------------------------------------------

    def on_mount(self) -> None:
        self._resize_virtual()

    def on_resize(self) -> None:
        self._lines.clear()
        self._resize_virtual()
        self._show_cursor()  # a smaller terminal must not leave the focused card out of sight

    @property
    def _top(self) -> int:
        """Lines above the cards: the heading's."""
        return 1 if self.heading else 0

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(self.size.width, max(1, len(self.cards)) * CARD_HEIGHT + self._top)

    def set_cards(self, cards: Sequence[CardView], *, keep_id: str | None = None, heading: str | None = None,
                  hint: str | None = None) -> None:
        """Replace the cards; the cursor follows ``keep_id`` (or the current card) when present."""
        follow = keep_id or (self.current.id if self.current else None)
        self.cards = cards
        if heading is not None:
            self.heading = heading
        if hint is not None:
            self.hint = hint
        self._lines.clear()
        self._resize_virtual()
        index = self.index_of(follow) if follow else None
        self.cursor = min(self.cursor, max(0, len(cards) - 1)) if index is None else index
        self.refresh()

    def set_ascii(self, ascii_borders: bool) -> None:
        self.ascii_borders = ascii_borders
        self.refresh()

    @property
    def current(self) -> CardView | None:
        return self.cards[self.cursor] if 0 <= self.cursor < len(self.cards) else None

    def index_of(self, card_id: str) -> int | None:
        if isinstance(self.cards, CardList):
            return self.cards.position(card_id)
        return next((n for n, c in enumerate(self.cards) if c.id == card_id), None)

    def select(self, card_id: str) -> bool:
        index = self.index_of(card_id)
        if index is None:
            return False
        self.cursor = index
        return True

    # -- cursor ------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.cards) - 1)) if self.cards else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._show_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self))

    def _show_cursor(self) -> None:
        # The heading covers the top line: a card is in view when it fits below it.
        self.scroll_to_region(Region(0, self.cursor * CARD_HEIGHT, max(1, self.size.width), CARD_HEIGHT + self._top),
                              animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_cursor_to(self, index: int) -> None:
        self.cursor = len(self.cards) - 1 if index < 0 else index

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- drawing -----------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"card-column--{name}")

    def _tone(self, tone: str) -> Style:
        styles = self._tone_styles.get(self.app.theme)
        if styles is None:
            variables = self.app.get_css_variables()
            styles = self._tone_styles[self.app.theme] = {
                name: Style.parse(f"{attrs} {variables.get(var, '')}".strip() or "none")
                for name, (var, attrs) in self.TONES.items()}
        return styles.get(tone, Style())

    def _body(self, card: CardView, width: int) -> list[str]:
        key = (card.id, width)
        lines = self._lines.get(key)
        if lines is None:
            lines = wrap(card.body, width, BODY_LINES)
            self._lines[key] = lines
        return lines

    def render_line(self, y: int) -> Strip:
        full = self.scrollable_content_region.width
        if y < self._top:
            return self._heading_strip(full)
        # A column longer than the screen shows where it is in its last cell: Textual's scrollbar,
        # one widget per column, cost more to lay out and draw than the cards themselves.
        overflow = self.virtual_size.height > self.size.height
        width = full - 1 if overflow else full
        segments = self._card_segments(y - self._top + int(self.scroll_offset.y), width)
        if overflow:
            segments.append(self._gutter(y - self._top))
        return Strip(segments, full)

    def _card_segments(self, line: int, width: int) -> list[Segment]:
        """Line ``line`` of the cards (0: the first card's top border), ``width`` cells."""
        index, row = divmod(line, CARD_HEIGHT)
        if not self.cards:
            return [Segment(pad(self.hint, width) if line == 1 else " " * width, self._style("hint"))]
        if index >= len(self.cards) or width < 6:
            return [Segment(" " * width, self.rich_style)]
        card = self.cards[index]
        selected = index == self.cursor and self.has_focus
        base = self._style("cursor" if selected else "card")
        tone = base + self._tone(card.tone) if card.tone else base
        box = BOX["ascii-focus" if selected else "ascii"] if self.ascii_borders else \
            BOX["heavy" if selected else "round"]
        inner = width - 4  # border and one space each side
        if row == 0:
            badge = truncate(f" {card.badge} ", width - 4) if card.badge else ""
            room = width - 3 - cell_len(badge)  # two corners and one rule before the title
            title = f" {'> ' if selected else ''}{card.title} "
            title = truncate(title, room) if room >= 8 else ""  # a badge beside a stub says more
            return [Segment(box[0] + box[1], base), Segment(title, base + Style(bold=True)),
                    Segment(box[1] * (room - cell_len(title)), base), Segment(badge, tone), Segment(box[2], base)]
        if row == CARD_HEIGHT - 1:
            return [Segment(box[4] + box[1] * (width - 2) + box[5], base)]
        if row <= BODY_LINES:
            lines = self._body(card, inner)
            text, style = (lines[row - 1] if row - 1 < len(lines) else ""), base
            if card.tone == "done":
                style = base + self._tone("done")
        else:
            text, style = card.meta, base + Style.from_color(self._style("meta").color)
        return [Segment(box[3] + " ", base), Segment(pad(text, inner), style), Segment(" " + box[3], base)]

    def _gutter(self, row: int) -> Segment:
        """Row ``row`` (below the heading) of the position bar: a block where the view is."""
        view = self.size.height - self._top
        total = max(1, self.virtual_size.height - self._top)
        length = max(1, view * view // total)
        # Top when at the top, bottom when at the end: the scroll range maps onto the bar's free rows.
        start = round(self.scroll_offset.y * (view - length) / max(1, total - view))
        if not start <= row < start + length:
            return Segment(" ", self._tone("track"))
        return Segment("#" if self.ascii_borders else "█", self._tone("thumb"))

    def _heading_strip(self, width: int) -> Strip:
        """The heading and the number of cards; a long heading loses its end, never the number."""
        count = f" ({len(self.cards)}) "
        text = " " + truncate(self.heading, max(1, width - 1 - cell_len(count))) + count
        return Strip([Segment(pad(text, width), self._style("heading"))], width)

    # -- mouse: click to focus, drag to another column -----------------------------

    def _index_at(self, y: int) -> int:
        """The card at line ``y`` of the widget; -1 on the heading."""
        if y < self._top:
            return -1
        return (y - self._top + int(self.scroll_offset.y)) // CARD_HEIGHT

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._index_at(event.y)
        self.focus()
        if 0 <= index < len(self.cards):
            self.cursor = index
            self._drag = self.cards[index].id
            self.capture_mouse()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        card_id, self._drag = self._drag, None
        self.release_mouse()
        if card_id is None:
            return
        try:
            target, _region = self.screen.get_widget_at(event.screen_x, event.screen_y)
        except Exception:  # let go outside any widget
            return
        column = target
        while column is not None and not isinstance(column, CardColumn):
            column = column.parent  # a column's header, say
        index = 0
        if isinstance(column, CardColumn):
            target = column
            index = max(0, min(column._index_at(event.screen_y - column.content_region.y), len(column.cards)))
            if column is self and self.index_of(card_id) == index:
                return  # a click, not a drag
        self.post_message(self.Dropped(self, card_id, target, index, event.screen_x, event.screen_y))
