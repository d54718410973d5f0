"""The report's Markdown on screen, drawn line by line.

Textual's Markdown widget mounts a widget per block and lays out every table
cell: a report of a few hundred cards took many seconds, one of thousands never
opened. Here the text is what the saved file says, tables aligned in columns,
and only the visible lines are drawn. The export's escapes are undone
(``unescape``), so a card reads as it was typed: ``<b>``, not ``&lt;b&gt;``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

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
    parts = _CELL_BORDER.split(row.strip())[1:-1]
    return [_text(p.strip()) for p in parts]


def _is_rule(cells: list[str]) -> bool:
    return bool(cells) and all(c and set(c) <= set("-: ") for c in cells)


def _table(rows: list[str]) -> list[ReportLine]:
    """A Markdown table's rows, padded into aligned columns."""
    table = [_cells(r) for r in rows]
    count = max(len(r) for r in table)
    widths = [0] * count
    for cells in table:
        if not _is_rule(cells):
            for n, cell in enumerate(cells):
                widths[n] = max(widths[n], min(CELL_WIDTH, cell_len(cell)))
    out = []
    for n, cells in enumerate(table):
        if _is_rule(cells):
            out.append(ReportLine("rule", "-+-".join("-" * w for w in widths)))
        else:
            cells = cells + [""] * (count - len(cells))
            text = " | ".join(pad(truncate(c, w), w) for c, w in zip(cells, widths)).rstrip()
            out.append(ReportLine("header" if n == 0 else "text", text))
    return out


def _rows(rows: list[str]) -> list[ReportLine]:
    """Lines starting with "|": a table when the second is its separator row, else plain text
    (someone's context that happens to start with a bar)."""
    if len(rows) > 1 and _is_rule(_cells(rows[1])):
        return _table(rows)
    return [ReportLine("text", _text(row)) for row in rows]


def _text(line: str) -> str:
    return unescape(line, line_break=SHOWN_BREAK)


def report_lines(markdown: str) -> list[ReportLine]:
    """The lines to show for ``markdown``: headings without their marks, tables aligned."""
    lines: list[ReportLine] = []
    rows: list[str] = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            rows.append(line)
            continue
        if rows:
            lines += _rows(rows)
            rows = []
        if _HEADING.match(line):
            lines.append(ReportLine("heading", _text(line.lstrip("#").strip())))
        else:
            lines.append(ReportLine("text", _text(line)))
    if rows:
        lines += _rows(rows)
    return lines


class ReportView(ScrollView, can_focus=True):
    """Scrolls in both directions; arrows, page keys, home and end as in any scrolling view."""

    COMPONENT_CLASSES = {"report-view--heading", "report-view--header", "report-view--rule"}
    DEFAULT_CSS = """
    ReportView { height: 1fr; padding: 0 1; }
    ReportView > .report-view--heading { color: $text-accent; text-style: bold; }
    ReportView > .report-view--header { text-style: bold; }
    ReportView > .report-view--rule { color: $text-muted; }
    """

    def __init__(self, markdown: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = report_lines(markdown)
        width = max((cell_len(line.text) for line in self.lines), default=0)
        self.virtual_size = Size(width, len(self.lines))

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
