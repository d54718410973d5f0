"""The Markdown report."""

from datetime import date, datetime, timedelta, timezone

from premortem_tui.domain import scoring
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import (
    Countermeasure, Failure, Participant, RetroNote, Session, Workshop, default_phases,
)
from premortem_tui.export.markdown import render_markdown

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)


def _section(report: str, title: str) -> str:
    start = report.index(f"## {title}\n")
    end = report.find("\n## ", start + 1)
    return report[start:] if end == -1 else report[start:end]


def test_failures_are_ranked_by_risk():
    w = demo_workshop(date(2026, 3, 10))
    section = _section(render_markdown(w, NOW), "Anticipated failures")
    ranked = scoring.ranked_failures(w.failures)
    places = [section.index(f.failure) for f in ranked]
    assert places == sorted(places)
    assert "critical !!" in section and "unjudged" in section
    assert "(variant of: No invoice at all can be issued)" in section


def test_service_weights_in_scoring_order():
    w = demo_workshop(date(2026, 3, 10))
    section = _section(render_markdown(w, NOW), "Anticipated failures").split("### Weight per service")[1]
    weights = scoring.service_weights(w.failures)
    rows = [line for line in section.splitlines() if line.startswith("| ") and line[2:3].isalpha()][1:]
    assert [row.split(" | ")[0][2:] for row in rows] == [name for name, _ in weights]
    assert f"| {weights[0][0]} | {weights[0][1]} |" in section


def test_coverage_of_the_demo_shows_its_gap_and_stage_notes():
    w = demo_workshop(date(2026, 3, 10))
    section = _section(render_markdown(w, NOW), "Coverage")
    gap = next(e for e in scoring.coverage(w.failures, w.countermeasures) if e.gap).failure
    after_gap = section.split(gap.failure, 1)[1].split("\n- ", 1)[0]
    assert "no chosen countermeasure" in after_gap
    assert "nothing responds to it" in section and "nothing detects it" in section
    acceptable = next(f for f in w.failures if f.acceptable)
    assert acceptable.failure not in section


def test_countermeasures_grouped_by_decision_in_rank_order():
    w = demo_workshop(date(2026, 3, 10))
    section = _section(render_markdown(w, NOW), "Countermeasures")
    headings = [line[4:] for line in section.splitlines() if line.startswith("### ")]
    assert headings == ["Undecided", "Now", "Next", "Later", "Won't"]
    now = section.split("### Now")[1].split("###")[0]
    in_rank = sorted((c for c in w.countermeasures if c.decision == "now"), key=lambda c: c.rank)
    places = [now.index(c.text) for c in in_rank]
    assert places == sorted(places)
    assert "(done)" in now and "40.0" in now
    later = section.split("### Later")[1]
    due = next(c for c in w.countermeasures if c.decision == "later")
    assert due.revisit_when in later and due.remind_on in later


def test_agenda_counts_a_running_timer_up_to_now():
    w = Workshop(session=Session(title="T", current_phase="impact"), phases=default_phases())
    w.phase("intro").spent_seconds = 300
    w.phase("impact").running_since = NOW - timedelta(minutes=20)
    agenda = _section(render_markdown(w, NOW), "Agenda")
    assert "| 3 | Customer impact (current) (running) | 45 | 20 |" in agenda
    assert "|  | Total | 120 | 25 |" in agenda
    assert "95 min of the agenda left." in agenda


def test_table_cells_escape_pipes_and_line_breaks():
    failure = Failure("API | v2", "Timeouts\nand 502s", period="1 | 2 hours", impact=2, likelihood=2, author="Ann")
    w = Workshop(failures=[failure])
    section = _section(render_markdown(w, NOW), "Anticipated failures")
    assert "API \\| v2" in section and "Timeouts<br>and 502s" in section and "1 \\| 2 hours" in section
    for line in section.splitlines():
        if line.startswith("| 1 |"):
            assert line.replace("\\|", "").count("|") == 11


def test_a_report_naming_no_author_has_no_author_column():
    w = Workshop(failures=[Failure("API", "Timeouts", impact=2, likelihood=2)])
    section = _section(render_markdown(w, NOW), "Anticipated failures")
    assert "| Author |" not in section
    assert "| Author |" in _section(render_markdown(
        Workshop(failures=[Failure("API", "Timeouts", author="Ann")]), NOW), "Anticipated failures")


def test_rehearsal_previous_context_participants_and_retro():
    session = Session(title="予行演習", date="2026-03-10", context="新規顧客", rehearsal=True,
                      previous_context="Last quarter: small carriers only")
    w = Workshop(session=session, participants=[Participant("田中", "pm")],
                 retro=[RetroNote("try", "付箋を事前に書く", "佐藤"), RetroNote("keep", "Short intro")])
    report = render_markdown(w, NOW)
    assert report.startswith("# 予行演習\n")
    assert "**Rehearsal**" in report and "2026-03-10" in report
    assert "## Previous context" in report and "Last quarter: small carriers only" in report
    assert "- 田中 (Product manager)" in report
    retro = _section(report, "Retrospective")
    assert retro.index("### Keep") < retro.index("### Try")
    assert "- 付箋を事前に書く (佐藤)" in retro
    assert "### Problem" not in retro


def test_an_empty_session_renders():
    report = render_markdown(Workshop(), NOW)
    assert report.startswith("# Pre-mortem\n")
    assert "No failures yet." in report and "No countermeasures yet." in report
    assert "Rehearsal" not in report and report.endswith("\n") and not report.endswith("\n\n")


def test_unset_costs_leave_the_value_blank():
    failure = Failure("Billing", "No invoices", impact=5, likelihood=5)
    cm = Countermeasure("Alert", [failure.id], stage="detect", effect=3)
    section = _section(render_markdown(Workshop(failures=[failure], countermeasures=[cm]), NOW),
                       "Countermeasures")
    assert "| 1 | Alert | detect |  |  | 3 |  |" in section
