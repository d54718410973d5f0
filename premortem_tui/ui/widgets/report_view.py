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
from typing import NamedTuple, Sequence, overload

from rich.cells import cell_len
from rich.segment import Segment
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
                self._add(ReportLine("text", _text(line)))
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
        else:
            for row in rows:
                self._add(ReportLine("text", _text(row)))

    def __len__(self) -> int:
        return len(self._lines)

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
    """Scrolls in both directions; arrows, page keys, home and end as in any scrolling view."""

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
        self.virtual_size = Size(self.lines.width, len(self.lines))
        if self.is_mounted:
            self.scroll_home(animate=False, immediate=True)
            self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = y + scroll_y
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[index]
        style = self.rich_style
        if line.kind != "text":
            style += self.get_component_rich_style(f"report-view--{line.kind}")
        return Strip([Segment(line.text, style)]).crop_extend(scroll_x, scroll_x + width, self.rich_style)
