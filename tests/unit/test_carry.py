"""Carrying a session into the next meeting, and the hand-off copy."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from datetime import date

import pytest

from premortem_tui.cli import main
from premortem_tui.domain.carry import carry, previous_date, previous_tries, split_previous_context
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import default_phases
from premortem_tui.store.reader import read_file
from premortem_tui.store.service import SessionService

OLD_DAY = date(2026, 3, 10)
TODAY = date(2026, 6, 2)


@pytest.fixture
def source():
    w = demo_workshop(OLD_DAY)
    w.phases[0].spent_seconds = 300.0
    return w


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def write_session(path, workshop):
    with SessionService.open(str(path), create=True) as service:
        service.import_workshop(workshop, whole_session=True)
    return str(path)


# -- the pure carry ---------------------------------------------------------------


def test_session_gets_new_id_title_date_and_previous_context(source):
    new = carry(source, title=None, today=TODAY)
    s, old = new.session, source.session
    assert s.id != old.id and s.previous_session_id == old.id
    assert s.title == f"{old.title} (next)"
    assert s.date == "2026-06-02"
    assert (s.purpose, s.ground_rules) == (old.purpose, old.ground_rules)
    assert s.context == "" and s.current_phase == "intro"
    assert (s.previous_title, s.previous_date) == (old.title, old.date)
    assert s.previous_context == old.context.strip()
    assert previous_date(new) == date.fromisoformat(old.date)
    assert carry(source, title="Q3 review", today=TODAY).session.title == "Q3 review"


def test_participants_kept(source):
    new = carry(source, title=None, today=TODAY)
    assert [(p.id, p.name, p.role) for p in new.participants] == \
        [(p.id, p.name, p.role) for p in source.participants]


def test_cards_get_new_ids_and_remember_where_they_came_from(source):
    new = carry(source, title=None, today=TODAY)
    assert len(new.failures) == len(source.failures)
    assert len(new.countermeasures) == len(source.countermeasures)
    old_ids = {f.id for f in source.failures} | {c.id for c in source.countermeasures}
    new_ids = {f.id for f in new.failures} | {c.id for c in new.countermeasures}
    assert not old_ids & new_ids and len(new_ids) == len(old_ids)
    for old, f in zip(source.failures, new.failures):
        assert (f.previous.id, f.previous.impact, f.previous.likelihood, f.previous.decision) == \
            (old.id, old.impact, old.likelihood, None)
        assert (f.service, f.failure, f.period, f.timing, f.author, f.position, f.impact, f.likelihood,
                f.acceptable, f.notes) == (old.service, old.failure, old.period, old.timing, old.author,
                                           old.position, old.impact, old.likelihood, old.acceptable, old.notes)
    for old, c in zip(source.countermeasures, new.countermeasures):
        assert (c.previous.id, c.previous.decision) == (old.id, old.decision)
        assert (c.text, c.stage, c.stage_position, c.intro_cost, c.maintenance_cost, c.effect, c.decision,
                c.rank, c.decision_note, c.owner, c.revisit_when, c.remind_on, c.done) == \
            (old.text, old.stage, old.stage_position, old.intro_cost, old.maintenance_cost, old.effect,
             old.decision, old.rank, old.decision_note, old.owner, old.revisit_when, old.remind_on, old.done)


def test_links_are_remapped_to_the_new_ids(source):
    new = carry(source, title=None, today=TODAY)
    old_to_new = {f.previous.id: f.id for f in new.failures}
    variants = [(old, f) for old, f in zip(source.failures, new.failures) if old.variant_of]
    assert variants
    for old, f in variants:
        assert f.variant_of == old_to_new[old.variant_of]
    for old, c in zip(source.countermeasures, new.countermeasures):
        assert c.failure_ids == [old_to_new[i] for i in old.failure_ids]
    assert any(c.failure_ids for c in new.countermeasures)


def test_reminders_and_done_kept_timers_reset_retro_dropped(source):
    new = carry(source, title=None, today=TODAY)
    assert [c.remind_on for c in new.countermeasures] == [c.remind_on for c in source.countermeasures]
    assert any(c.done for c in new.countermeasures)
    assert [c.done for c in new.countermeasures] == [c.done for c in source.countermeasures]
    assert new.phases == default_phases()
    assert new.retro == []


def test_tries_are_shown_in_the_introduction(source):
    tries = previous_tries(source)
    assert tries == [n.text for n in sorted(source.retro, key=lambda n: n.position) if n.kind == "try"]
    assert len(tries) == 2
    assert carry(source, title=None, today=TODAY).session.previous_tries == tries


def test_source_is_left_untouched(source):
    before = repr(source)
    carry(source, title=None, today=TODAY)
    assert repr(source) == before


def test_carrying_a_carried_session_points_at_the_middle_one(source):
    middle = carry(source, title=None, today=date(2026, 4, 1))
    last = carry(middle, title=None, today=TODAY)
    assert last.session.previous_session_id == middle.session.id
    assert [f.previous.id for f in last.failures] == [f.id for f in middle.failures]
    assert last.session.title.endswith("(next) (next)")
    assert previous_date(last) == date(2026, 4, 1)


def test_no_date_no_tries_no_context():
    w = demo_workshop(OLD_DAY)
    w.session = replace(w.session, date="", context="")
    w.retro = []
    new = carry(w, title=None, today=TODAY)
    s = new.session
    assert (s.previous_title, s.previous_date, s.previous_context, s.previous_tries) == (w.session.title, "", "", [])
    assert previous_date(new) is None


OLD_TEXT = ("Previous session: Q1, dispatch, 2026-02-24\n\nWe sell a dispatch platform.\n\nSecond paragraph."
            "\n\nTry (from last time):\n- Timebox the impact phase\n- Invite support\n  from the start")


def test_the_text_older_carries_wrote_is_read_back_as_data():
    assert split_previous_context(OLD_TEXT) == (
        "Q1, dispatch", "2026-02-24", ["Timebox the impact phase", "Invite support from the start"],
        "We sell a dispatch platform.\n\nSecond paragraph.")
    assert split_previous_context("Previous session: Q1") == ("Q1", "", [], "")
    # Text of any other shape is context, whole: a team's own words are never taken apart.
    for text in ("Last quarter: small carriers only", "Try (from last time): nothing", "",
                 "Previous session: Q1\nand more on the line below"):
        assert split_previous_context(text) == ("", "", [], text.strip())


# -- premortem carry ----------------------------------------------------------------


def test_carry_command_writes_new_and_leaves_file_unchanged(tmp_path, source, capsys):
    path = write_session(tmp_path / "q1.premortem", source)
    before = digest(path)
    new = str(tmp_path / "q2.premortem")
    assert main(["carry", path, new]) == 0
    assert new in capsys.readouterr().out
    assert digest(path) == before
    assert not os.path.exists(path + "-wal") and not os.path.exists(path + "-shm")
    assert not os.path.exists(new + ".part")
    w = read_file(new)
    assert w.session.previous_session_id == source.session.id
    assert w.session.title == f"{source.session.title} (next)"
    assert w.session.date == date.today().isoformat()
    assert w.retro == [] and all(p.spent_seconds == 0 for p in w.phases)
    assert sorted(f.previous.id for f in w.failures) == sorted(f.id for f in source.failures)
    assert sorted((c.previous.id, c.previous.decision) for c in w.countermeasures) == \
        sorted((c.id, c.decision) for c in source.countermeasures)
    by_old = {f.previous.id: f.id for f in w.failures}
    for c in w.countermeasures:
        old = next(o for o in source.countermeasures if o.id == c.previous.id)
        assert c.failure_ids == [by_old[i] for i in old.failure_ids]
    assert w.session.previous_tries == previous_tries(source)


def test_carry_command_takes_a_title(tmp_path, source):
    path = write_session(tmp_path / "q1.premortem", source)
    new = str(tmp_path / "q2.premortem")
    assert main(["carry", path, new, "--title", "Dispatch, Q2"]) == 0
    assert read_file(new).session.title == "Dispatch, Q2"


def test_carry_command_refuses_an_existing_new(tmp_path, source, capsys):
    path = write_session(tmp_path / "q1.premortem", source)
    new = tmp_path / "q2.premortem"
    new.write_bytes(b"")
    assert main(["carry", path, str(new)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(new) in err and "exists" in err
    assert new.read_bytes() == b""
    before = digest(path)
    assert main(["carry", path, path]) == 1
    assert digest(path) == before


def test_carry_command_refuses_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "notes.premortem"
    bad.write_text("not a session")
    new = tmp_path / "q2.premortem"
    assert main(["carry", str(bad), str(new)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert not new.exists() and not (tmp_path / "q2.premortem.part").exists()
    assert main(["carry", str(tmp_path / "missing.premortem"), str(new)]) == 1
    assert not new.exists()


# -- premortem copy ------------------------------------------------------------------


def test_copy_while_another_service_has_the_file_open(tmp_path, source, capsys):
    path = write_session(tmp_path / "live.premortem", source)
    dest = str(tmp_path / "handoff.premortem")
    with SessionService.open(path) as other:
        added = other.add_failure("Billing", "The latest card, written a moment ago")
        other.update_session(title="Live title")
        assert os.path.exists(path + "-wal")
        assert main(["copy", path, dest]) == 0
        assert dest in capsys.readouterr().out
        still = other.add_failure("Billing", "written after the copy")
    assert not os.path.exists(dest + "-wal") and not os.path.exists(dest + "-shm")
    alone = tmp_path / "alone"
    alone.mkdir()
    moved = str(alone / "handoff.premortem")
    os.replace(dest, moved)  # the copy stands on its own, away from the original
    with SessionService.open(moved) as service:
        w = service.load()
    assert w.session.title == "Live title"
    ids = {f.id for f in w.failures}
    assert added.id in ids and still.id not in ids
    assert len(w.failures) == len(source.failures) + 1


def test_copy_refuses_an_existing_dest(tmp_path, source, capsys):
    path = write_session(tmp_path / "s.premortem", source)
    dest = tmp_path / "d.premortem"
    dest.write_text("keep me")
    assert main(["copy", path, str(dest)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists" in err
    assert dest.read_text() == "keep me"


def test_copy_refuses_a_missing_file(tmp_path, capsys):
    missing = str(tmp_path / "missing.premortem")
    dest = tmp_path / "d.premortem"
    assert main(["copy", missing, str(dest)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert not os.path.exists(missing) and not dest.exists()


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "carry" in out and "copy" in out
