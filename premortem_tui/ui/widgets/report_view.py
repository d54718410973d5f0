"""The report's Markdown on screen, drawn line by line.

Textual's Markdown widget mounts a widget per block and lays out every table
cell: a report of a few hundred cards took many seconds, one of thousands never
opened. Here the text is what the saved file says, tables aligned in columns,
and only the visible lines are drawn. The export's escapes are undone
(``unescape``), so a card reads as it was typed: ``<b>``, not ``&lt;b&gt;``.
A table row is cut and padded into its columns only when it is drawn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple, Sequence, overload

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...export.markdown import unescape
from ..text import pad, truncate

CELL_WIDTH = 40  # a table cell longer than this is cut, with an ellipsis
_CELL_BORDER = re.compile(r"(?<!\\)\|")  # a "|" the export did not escape
SHOWN_BREAK = " / "  # how a line break inside a list item or table cell is shown
_HEADING = re.compile(r"#{1,6} ")


class ReportLine(NamedTuple):
    kind: str  # heading, header (a table's first row), rule (its separator), text
    text: str
    bold: tuple[tuple[int, int], ...] = ()  # the report's own **strong** spans, as (start, end) in text


_STRONG = re.compile(r"(?<!\\)\*\*")  # a "**" the export wrote (a user's asterisks are escaped)


def _text_line(line: str) -> ReportLine:
    """A line of text, its ``**strong**`` marks turned into bold spans."""
    if "**" not in line:
        return ReportLine("text", _text(line))
    parts = _STRONG.split(line)
    if len(parts) % 2 == 0:  # an odd number of marks: not the report's own pairs
        return ReportLine("text", _text(line))
    text, spans = "", []
    for n, part in enumerate(parts):
        shown = _text(part)
        if n % 2:
            spans.append((len(text), len(text) + len(shown)))
        text += shown
    return ReportLine("text", text, tuple(spans))


def _cells(row: str) -> list[str]:
    # Without a backslash every bar is a border: a plain split, faster than the pattern's.
    parts = (_CELL_BORDER.split(row.strip()) if "\\" in row else row.strip().split("|"))[1:-1]
    return [_text(p.strip()) for p in parts]


def _is_rule(cells: list[str]) -> bool:
    return bool(cells) and all(c and set(c) <= set("-: ") for c in cells)


class _Table:
    """A Markdown table's rows, aligned in columns as they are drawn: the widths are measured once,
    a row is cut and padded only when it is shown (a report has tens of thousands, a screen 40)."""

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        self.rules: set[int] = set()
        self.count = 0
        widths: list[int] = []
        for n, row in enumerate(rows):
            cells = _cells(row)
            self.count = max(self.count, len(cells))
            if _is_rule(cells):
                self.rules.add(n)
                continue
            widths += [0] * (len(cells) - len(widths))
            for i, cell in enumerate(cells):
                if widths[i] < CELL_WIDTH:
                    widths[i] = max(widths[i], min(CELL_WIDTH, cell_len(cell)))
        self.widths = widths + [0] * (self.count - len(widths))
        self.width = sum(self.widths) + 3 * max(0, self.count - 1)

    def line(self, n: int) -> ReportLine:
        if n in self.rules:
            return ReportLine("rule", "-+-".join("-" * w for w in self.widths))
        cells = _cells(self.rows[n])
        cells += [""] * (self.count - len(cells))
        text = " | ".join(pad(truncate(c, w), w) for c, w in zip(cells, self.widths)).rstrip()
        return ReportLine("header" if n == 0 else "text", text)


def _text(line: str) -> str:
    return unescape(line, line_break=SHOWN_BREAK)


class ReportLines(Sequence[ReportLine]):
    """The lines to show for a report's Markdown: headings without their marks, tables aligned.

    Reading the Markdown is done once (in a worker: see the report screen); a table row is
    formatted when it is first asked for, and kept."""

    def __init__(self, markdown: str) -> None:
        # Per line: a ReportLine, or (table, row) for a table row not formatted yet.
        self._lines: list[ReportLine | tuple[_Table, int]] = []
        self.width = 0
        self.table_width = 0  # tables are not wrapped: the view scrolls sideways for them
        rows: list[str] = []
        for line in markdown.splitlines():
            if line.startswith("|"):
                rows.append(line)
                continue
            if rows:
                self._add_rows(rows)
                rows = []
            if _HEADING.match(line):
                self._add(ReportLine("heading", _text(line.lstrip("#").strip())))
            else:
                self._add(_text_line(line))
        if rows:
            self._add_rows(rows)

    def _add(self, line: ReportLine) -> None:
        self._lines.append(line)
        self.width = max(self.width, cell_len(line.text))

    def _add_rows(self, rows: list[str]) -> None:
        """Lines starting with "|": a table when the second is its separator row, else plain text
        (someone's context that happens to start with a bar)."""
        if len(rows) > 1 and _is_rule(_cells(rows[1])):
            table = _Table(rows)
            self._lines += [(table, n) for n in range(len(rows))]
            self.width = max(self.width, table.width)
            self.table_width = max(self.table_width, table.width)
        else:
            for row in rows:
                self._add(ReportLine("text", _text(row)))

    def __len__(self) -> int:
        return len(self._lines)

    def wrappable(self, index: int) -> ReportLine | None:
        """Line ``index`` if it is a heading or text (which wrap), None for a table row."""
        line = self._lines[index]
        return line if isinstance(line, ReportLine) and line.kind in ("heading", "text") else None

    @overload
    def __getitem__(self, index: int) -> ReportLine: ...
    @overload
    def __getitem__(self, index: slice) -> list[ReportLine]: ...

    def __getitem__(self, index: int | slice) -> ReportLine | list[ReportLine]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        line = self._lines[index]
        if not isinstance(line, ReportLine):
            table, row = line
            line = self._lines[index] = table.line(row)
        return line


def report_lines(markdown: str) -> list[ReportLine]:
    """Every line to show for ``markdown``, formatted."""
    return list(ReportLines(markdown))


class ReportView(ScrollView, can_focus=True):
    """Text and headings wrap at the view's width; tables keep their columns and scroll sideways.
    Arrows, page keys, home and end as in any scrolling view."""

    COMPONENT_CLASSES = {"report-view--heading", "report-view--header", "report-view--rule"}
    DEFAULT_CSS = """
    ReportView { height: 1fr; padding: 0 1; }
    ReportView > .report-view--heading { color: $text-accent; text-style: bold; }
    ReportView > .report-view--header { text-style: bold; }
    ReportView > .report-view--rule { color: $text-muted; }
    """

    def __init__(self, lines: ReportLines | str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show(lines)

    def show(self, lines: ReportLines | str) -> None:
        """Show ``lines`` (or the lines of a report's Markdown) from the top."""
        self.lines = lines if isinstance(lines, ReportLines) else ReportLines(lines)
        self._layout()
        if self.is_mounted:
            self.scroll_home(animate=False, immediate=True)
            self.refresh()

    def on_resize(self) -> None:
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        """Where each line starts on screen: a heading or text longer than the view takes several
        rows (wrapped when first drawn); a table row takes one."""
        width = self.scrollable_content_region.width if self.is_mounted else 0
        self._wrap_width = width
        self._wrapped: dict[int, list[Strip]] = {}
        starts, row, lines = [], 0, self.lines
        self._rows: dict[int, int] = {}  # rows of the lines that wrap
        for n in range(len(lines)):
            starts.append(row)
            line = lines.wrappable(n) if width else None
            if line is not None and cell_len(line.text) > width:
                rows = len(self._text(line).wrap(self.app.console, width, overflow="fold"))
                self._rows[n] = rows
                row += rows
            else:
                row += 1
        self._starts = starts
        self.virtual_size = Size(max(width, lines.table_width) if width else lines.width, row)

    def _text(self, line: ReportLine) -> Text:
        style = self.rich_style
        if line.kind != "text":
            style += self.get_component_rich_style(f"report-view--{line.kind}")
        text = Text(line.text, style=style, end="")
        for start, end in line.bold:
            text.stylize("bold", start, end)
        return text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row = y + scroll_y
        index = bisect_right(self._starts, row) - 1
        if index < 0 or row >= self.virtual_size.height:
            return Strip.blank(width, self.rich_style)
        line = self.lines[index]
        if index in self._rows:
            pieces = self._wrapped.get(index)
            if pieces is None:
                console = self.app.console
                pieces = self._wrapped[index] = [
                    Strip(piece.render(console, end="")) for piece in
                    self._text(line).wrap(console, self._wrap_width, overflow="fold")]
            strip = pieces[min(row - self._starts[index], len(pieces) - 1)]
        elif line.bold:
            strip = Strip(self._text(line).render(self.app.console, end=""))
        else:
            style = self.rich_style
            if line.kind != "text":
                style += self.get_component_rich_style(f"report-view--{line.kind}")
            strip = Strip([Segment(line.text, style)])
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)
