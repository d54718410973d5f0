"""The report as shown: headings marked, tables aligned in columns, escapes undone."""

from __future__ import annotations

from rich.cells import cell_len

from premortem_tui.ui.widgets.report_view import CELL_WIDTH, ReportLine, report_lines

REPORT = """# Title

## Failures

| # | Service | Failure |
|---|---|---|
| 1 | 請求管理 | 全ての請求書が発行できない |
| 12 | Billing | a \\| b<br>second line |

after the table
"""


def test_headings_lose_their_marks_and_tables_line_up():
    lines = report_lines(REPORT)
    assert lines[0] == ReportLine("heading", "Title")
    assert ReportLine("heading", "Failures") in lines
    table = [line for line in lines if line.kind in ("header", "rule") or line.text.startswith(("1 ", "12"))]
    assert [line.kind for line in table] == ["header", "rule", "text", "text"]
    header, rule, first, second = (line.text for line in table)
    assert header.startswith("#  | Service  | Failure")
    assert rule.startswith("---+----------+-")
    # Every column starts at the same cell on every row, wide characters included.
    bars = {tuple(n for n in range(len(text)) if text[n] in "|+") for text in (header, rule)}
    assert len(bars) == 1
    assert cell_len(first[:first.index("|", 4) + 1]) == cell_len(header[:header.index("|", 4) + 1])
    assert "a | b / second line" in second  # an escaped bar and a line break, as a reader wants them
    assert lines[-1] == ReportLine("text", "after the table")


def test_a_long_cell_is_cut_with_an_ellipsis():
    lines = report_lines("| a | b |\n|---|---|\n| " + "x" * 100 + " | y |\n")
    row = lines[2].text
    assert row.startswith("x" * (CELL_WIDTH - 3) + "...") and row.endswith("| y")


def test_a_line_that_only_looks_like_a_table_or_a_heading_is_text():
    lines = report_lines("## Context\n\n| note to self\n#1 priority is billing\n\n- first<br>second\n")
    assert lines == [ReportLine("heading", "Context"), ReportLine("text", ""),
                     ReportLine("text", "| note to self"), ReportLine("text", "#1 priority is billing"),
                     ReportLine("text", ""), ReportLine("text", "- first / second")]
