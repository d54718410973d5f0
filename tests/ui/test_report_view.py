"""The report as shown: headings marked, tables aligned in columns, escapes undone."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rich.cells import cell_len
from textual.app import App

from premortem_tui.domain.model import Countermeasure, Failure, Participant, RetroNote, Session, Workshop
from premortem_tui.export.markdown import render_markdown
from premortem_tui.ui.widgets.report_view import CELL_WIDTH, ReportLine, ReportView, report_lines

NOW = datetime(2026, 2, 10, 12, tzinfo=timezone.utc)

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


HOSTILE = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "# not a heading", "1. not a list",
           "a | b \\ c", "&lt;b&gt; *x* _y_ `z`", "<br>"]


def _hostile_report(text: str) -> str:
    failure = Failure("API", text, notes=f"first\n{text}", impact=5, likelihood=5)
    w = Workshop(session=Session(title=text, context=f"first line\n{text}"),
                 participants=[Participant(text, "pm")], failures=[failure],
                 countermeasures=[Countermeasure(text, [failure.id], owner=text, decision="now")],
                 retro=[RetroNote("keep", text, text)])
    return render_markdown(w, datetime(2026, 3, 10, tzinfo=timezone.utc))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_card_reads_as_it_was_typed_not_as_the_export_escapes_it(text):
    lines = report_lines(_hostile_report(text))
    assert lines[0] == ReportLine("heading", text)
    headings = [line.text for line in lines[1:] if line.kind == "heading"]
    assert headings == [line.text for line in report_lines(_hostile_report("plain"))[1:] if line.kind == "heading"]
    texts = [line.text for line in lines]
    assert "first line" in texts and text in texts  # the context's second line, a paragraph of its own
    assert f"- {text} (Product manager)" in texts and f"- {text} ({text})" in texts  # participant, retro
    assert any(f"| {text} " in t for t in texts)  # a table cell
    assert any(f"first / {text}" in t for t in texts)  # a cell with a line break
    for artifact in ("&lt;", "&amp;", "\\#", "\\|", "\\[", "\\*", "<br>"):
        assert artifact in text or not [t for t in texts if artifact in t], artifact


async def test_the_view_draws_the_text_itself():
    class Report(App):
        def compose(self):
            yield ReportView(_hostile_report("<img src=x onerror=alert(1)> [x](y)"))

    app = Report()
    async with app.run_test(size=(120, 40)):
        view = app.query_one(ReportView)
        drawn = [view.render_line(y).text for y in range(view.size.height)]
    assert drawn[0].strip() == "<img src=x onerror=alert(1)> [x](y)"
    assert not any("&lt;" in line or "\\[" in line for line in drawn)


def test_the_report_s_own_strong_marks_are_bold_spans_and_a_user_s_asterisks_stay():
    line = report_lines("**Date:** 2026-02-10 · **Ended:** 2026-02-10 12:00\n")[0]
    assert line.text == "Date: 2026-02-10 · Ended: 2026-02-10 12:00"
    assert [line.text[a:b] for a, b in line.bold] == ["Date:", "Ended:"]
    typed = render_markdown(Workshop(session=Session(context="**not bold** 2*3")), NOW)
    context = next(l for l in report_lines(typed) if "not bold" in l.text)
    assert context.text == "**not bold** 2*3" and context.bold == ()


async def test_long_text_wraps_at_the_view_width_and_tables_keep_their_columns():
    paragraph = "Dispatch in the early morning and billing at month-end are what customers rely on; " * 3
    table = "| a | b |\n|---|---|\n| " + "x" * 30 + " | " + "y" * 30 + " |\n"

    class Report(App):
        def compose(self):
            yield ReportView(f"**Context:** {paragraph}\n\n請求書" * 1 + "が" * 150 + "\n\n" + table)

    app = Report()
    async with app.run_test(size=(60, 30)):
        view = app.query_one(ReportView)
        drawn = [view.render_line(y) for y in range(view.size.height)]
        width = view.scrollable_content_region.width
    texts = [strip.text.rstrip() for strip in drawn]
    assert all(cell_len(t) <= width for t in texts), [t for t in texts if cell_len(t) > width]
    joined = " ".join(t.strip() for t in texts)
    assert "rely on; Dispatch" in joined and texts[0].startswith("Context: Dispatch")  # wrapped, none lost
    assert any(seg.style and seg.style.bold and seg.text == "Context:" for seg in drawn[0])
    assert sum("が" in t for t in texts) >= 4  # text without spaces folds too
    assert any(t.startswith("a ") and "|" in t for t in texts)  # the table is a table
