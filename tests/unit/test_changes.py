"""What changed since last time, and the tombstones that remember deleted carried cards."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import pytest

from premortem_tui.cli import main
from premortem_tui.domain.carry import carry
from premortem_tui.domain.changes import RemovedCard, since_last_time, was_label
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import Failure
from premortem_tui.export.markdown import render_markdown
from premortem_tui.store import migrations, reader
from premortem_tui.store.fileformat import APP_MARKER, APPLICATION_ID
from premortem_tui.store.reader import read_file_with_removed
from premortem_tui.store.service import SessionService

OLD_DAY = date(2026, 3, 10)    # the demo meeting was held on 2026-02-24
TODAY = date(2026, 3, 12)
NOW = datetime(2026, 3, 12, 12, 0, tzinfo=timezone.utc)


def source_without_done():
    w = demo_workshop(OLD_DAY)
    for c in w.countermeasures:
        c.done = False
    return w


@pytest.fixture
def carried():
    return carry(source_without_done(), title=None, today=TODAY)


def judged(w):
    return next(f for f in w.failures if f.impact is not None and f.impact < 5)


def undecided(w):
    return next(c for c in w.countermeasures if c.decision == "undecided")


def _section(report: str, title: str) -> str:
    start = report.index(f"## {title}\n")
    end = report.find("\n## ", start + 1)
    return report[start:] if end == -1 else report[start:end]


# -- the pure comparison ------------------------------------------------------------


def test_right_after_carrying_nothing_changed(carried):
    changes = since_last_time(carried, [], TODAY)
    assert changes.empty and changes.count == 0
    assert changes.since == date(2026, 2, 24)


def test_one_impact_and_one_decision_changed_are_exactly_the_changes(carried):
    failure, cm = judged(carried), undecided(carried)
    was = (failure.impact, failure.likelihood)
    failure.impact += 1
    cm.decision = "now"
    changes = since_last_time(carried, [], TODAY)
    assert changes.count == 2
    assert [(r.failure.id, r.was_impact, r.was_likelihood) for r in changes.risk_changed] == [(failure.id, *was)]
    assert [(d.countermeasure.id, d.was) for d in changes.decision_changed] == [(cm.id, "undecided")]
    assert changes.new_failures == [] and changes.removed_failures == [] and changes.done == []
    assert was_label(failure) == f"was {was[0]}x{was[1]}"
    assert was_label(cm) == "was: undecided"


def test_unchanged_and_new_cards_have_no_was_label(carried):
    assert was_label(carried.failures[0]) is None
    assert was_label(carried.countermeasures[0]) is None
    assert was_label(Failure("Billing", "new")) is None


def test_new_removed_and_done(carried):
    new = Failure("Billing", "A failure nobody thought of last time")
    carried.failures.append(new)
    cm = carried.countermeasures[0]
    cm.done = True
    removed = [("failure", "old-failure-id", "Billing: lost"), ("countermeasure", "old-cm-id", "Add a retry"),
               ("retro", "", "not a carried card")]
    changes = since_last_time(carried, removed, TODAY)
    assert changes.new_failures == [new]
    assert changes.removed_failures == [RemovedCard("failure", "old-failure-id", "Billing: lost")]
    assert changes.removed_countermeasures == [RemovedCard("countermeasure", "old-cm-id", "Add a retry")]
    assert changes.done == [cm]
    assert changes.count == 4


def test_reminders_that_came_due_since_the_previous_session(carried):
    dated = sorted((c for c in carried.countermeasures if c.remind_on), key=lambda c: c.remind_on)
    assert [c.remind_on for c in dated] == ["2026-03-07", "2026-05-10"]
    changes = since_last_time(carried, [], TODAY)
    assert changes.reminders_due == [dated[0]]
    assert changes.empty  # reminders are listed apart, not as changes
    assert since_last_time(carried, [], TODAY, since=date(2026, 3, 7)).reminders_due == []
    later = since_last_time(carried, [], date(2026, 5, 10))
    assert later.reminders_due == dated
    dated[0].done = True
    assert since_last_time(carried, [], date(2026, 5, 10)).reminders_due == [dated[1]]


# -- through the session file ------------------------------------------------------


def test_deleted_carried_cards_are_remembered_and_listed_as_removed(tmp_path, carried):
    path = str(tmp_path / "next.premortem")
    with SessionService.open(path, create=True) as service:
        service.import_workshop(carried, whole_session=True)
        gone = carried.failures[-1]
        gone_cm = carried.countermeasures[-1]
        failure, cm = judged(carried), undecided(carried)
        service.update_failure(failure.id, impact=failure.impact + 1)
        service.decide(cm.id, "later", None)
        service.delete("failure", gone.id)
        service.delete("countermeasure", gone_cm.id)
        added = service.add_failure("Billing", "Month-end batch runs twice")
        note = service.add_retro("keep", "short intro")
        service.delete("retro", note.id)
        other = next(f for f in carried.failures if f.id not in (gone.id, failure.id))
        undone = service.delete("failure", other.id)
        service.restore(undone)  # an undone delete leaves no tombstone
        cards = service.deleted_cards()
        assert ("failure", gone.id, gone.previous.id, f"{gone.service}: {gone.failure}") in cards
        assert ("countermeasure", gone_cm.id, gone_cm.previous.id, gone_cm.text) in cards
        assert ("retro", note.id, None, "short intro") in cards
        assert undone.card.id not in {card_id for _k, card_id, _p, _l in cards}
    w, removed = read_file_with_removed(path)
    assert removed == [("failure", gone.previous.id, f"{gone.service}: {gone.failure}"),
                       ("countermeasure", gone_cm.previous.id, gone_cm.text)]
    changes = since_last_time(w, removed, TODAY)
    assert [r.failure.id for r in changes.risk_changed] == [failure.id]
    assert [(d.countermeasure.id, d.was, d.countermeasure.decision) for d in changes.decision_changed] == \
        [(cm.id, "undecided", "later")]
    assert [f.id for f in changes.new_failures] == [added.id]
    assert [r.prev_id for r in changes.removed_failures] == [gone.previous.id]
    assert [r.prev_id for r in changes.removed_countermeasures] == [gone_cm.previous.id]
    assert changes.count == 5


def test_export_shows_since_last_time(tmp_path, carried, capsys):
    path = str(tmp_path / "next.premortem")
    failure, cm = judged(carried), undecided(carried)
    with SessionService.open(path, create=True) as service:
        service.import_workshop(carried, whole_session=True)
        service.update_failure(failure.id, impact=failure.impact + 1)
        service.decide(cm.id, "now", None)
        gone = carried.failures[-1]
        service.delete("failure", gone.id)
    assert main(["export", path]) == 0
    report = capsys.readouterr().out
    section = _section(report, "Since last time")
    assert "Compared with the previous session of 2026-02-24." in section
    assert f"was {failure.impact}x{failure.likelihood}, now {failure.impact + 1}x{failure.likelihood}" in section
    assert f"**{cm.text}**: undecided -> now" in section
    assert "### Removed failures" in section and f"- {gone.service}: {gone.failure}" in section
    assert "### New failures" not in section and "### Marked done" not in section
    reminders = section.split("### Reminders due since last time", 1)[1]
    due = next(c for c in carried.countermeasures if c.remind_on == "2026-03-07")
    assert due.text in reminders and "reminder 2026-03-07" in reminders


def test_markdown_without_removed_cards_and_for_a_first_session(carried):
    report = render_markdown(carried, NOW)
    section = _section(report, "Since last time")
    assert "Nothing changed since last time." in section
    assert "### Reminders due since last time" in section
    first = render_markdown(source_without_done(), NOW)
    assert "Since last time" not in first


def test_markdown_lists_what_was_done_since(carried):
    carried.countermeasures[0].done = True
    section = _section(render_markdown(carried, NOW), "Since last time")
    assert "### Marked done" in section and carried.countermeasures[0].text in section


def test_done_last_time_is_not_listed_again():
    source = demo_workshop(OLD_DAY)
    assert any(c.done for c in source.countermeasures)
    new = carry(source, title=None, today=TODAY)
    assert since_last_time(new, [], TODAY).done == []


def test_done_flag_of_last_time_survives_the_session_file(tmp_path):
    new = carry(demo_workshop(OLD_DAY), title=None, today=TODAY)
    path = str(tmp_path / "next.premortem")
    with SessionService.open(path, create=True) as service:
        service.import_workshop(new, whole_session=True)
    back, removed = read_file_with_removed(path)
    assert [c.previous.done for c in back.countermeasures] == [c.done for c in demo_workshop(OLD_DAY).countermeasures]
    assert since_last_time(back, removed, TODAY).done == []


# -- the tombstone table ---------------------------------------------------------


def test_upgraded_version_1_file_has_the_tombstone_columns(tmp_path):
    path = str(tmp_path / "old.premortem")
    conn = sqlite3.connect(path)
    conn.executescript(migrations.V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta VALUES ('app', ?)", (APP_MARKER,))
    conn.execute("INSERT INTO session VALUES ('s1', 'Old', '2025-06-01', '', 'p', 'g', 0, 'intro', NULL, '')")
    for position, key in enumerate(("intro", "failures", "impact", "countermeasures", "priority", "retro")):
        conn.execute("INSERT INTO phase VALUES (?, ?, 10, 0, NULL)", (key, position))
    conn.execute("INSERT INTO failure VALUES ('f1', 'Billing', 'lost', '', '', '', 0, 4, 5, 0, '', "
                 "'old-f1', 3, 5, NULL)")
    conn.commit()
    conn.close()
    with SessionService.open(path) as service:
        service.delete("failure", "f1")
        assert service.deleted_cards() == [("failure", "f1", "old-f1", "Billing: lost")]
    assert read_file_with_removed(path)[1] == [("failure", "old-f1", "Billing: lost")]


def test_a_tombstone_table_without_the_columns_reads_as_unlabelled():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE tombstone (id VARCHAR NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL)")
    conn.execute("INSERT INTO tombstone VALUES ('x', 'failure')")
    assert reader.read_tombstones(conn) == [("failure", "x", None, None)]
    assert reader.read_removed(conn) == []
