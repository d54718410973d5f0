"""The demo workshop: realistic, complete enough to show every screen, and stable."""

from datetime import date

from premortem_tui.domain import scoring, validate
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import DECISIONS, PHASE_KEYS, RETRO_KINDS, STAGES, service_key
from premortem_tui.store.service import SessionService

TODAY = date(2026, 3, 10)


def test_the_demo_is_the_same_every_time():
    assert demo_workshop(TODAY) == demo_workshop(TODAY)
    assert demo_workshop(TODAY).session.id == demo_workshop(date(2027, 1, 1)).session.id


def test_session_participants_and_agenda():
    w = demo_workshop(TODAY)
    assert "(demo)" in w.session.title
    assert "Series A" in w.session.context
    assert sorted(p.role for p in w.participants) == ["cs", "domain", "engineer", "engineer", "pm"]
    assert [p.key for p in w.phases] == list(PHASE_KEYS)
    assert w.session.current_phase == "priority"
    assert not any(p.running for p in w.phases)
    assert w.phase("intro").spent_seconds > 0 and w.phase("retro").spent_seconds == 0
    assert date.fromisoformat(w.session.date) <= TODAY


def test_failures_cover_every_band_and_the_special_cases():
    w = demo_workshop(TODAY)
    assert len(w.failures) >= 10
    assert len({service_key(f.service) for f in w.failures}) == 4
    bands = {scoring.band(f.risk) for f in w.failures}
    assert bands == {"low", "moderate", "high", "critical", None}
    assert sum(1 for f in w.failures if not f.judged) in (1, 2)
    assert sum(1 for f in w.failures if f.acceptable) == 1
    by_id = w.failure_by_id()
    variants = [f for f in w.failures if f.variant_of]
    assert len(variants) == 1
    original = by_id[variants[0].variant_of]
    assert original.service == variants[0].service and original.risk > variants[0].risk
    for service in {f.service for f in w.failures}:
        positions = [f.position for f in w.failures if f.service == service]
        assert positions == list(range(len(positions)))
    assert all(f.period and f.timing and f.author for f in w.failures)


def test_countermeasures_span_stages_and_decisions():
    w = demo_workshop(TODAY)
    ids = {f.id for f in w.failures}
    assert {c.stage for c in w.countermeasures} == set(STAGES)
    assert {c.decision for c in w.countermeasures} == set(DECISIONS)
    assert all(c.failure_ids and set(c.failure_ids) <= ids for c in w.countermeasures)
    for decision in DECISIONS:
        ranks = sorted(c.rank for c in w.countermeasures if c.decision == decision)
        assert ranks == list(range(len(ranks)))
    assert sum(1 for c in w.countermeasures if c.done) == 1
    assert any(c.decision_note for c in w.countermeasures)
    reminders = sorted(date.fromisoformat(c.remind_on) for c in w.countermeasures if c.remind_on)
    assert len(reminders) == 2 and reminders[0] < TODAY < reminders[1]
    assert all(c.revisit_when for c in w.countermeasures if c.decision == "later")
    assert {n.kind for n in w.retro} == set(RETRO_KINDS)


def test_coverage_shows_a_gap_and_stage_notes():
    w = demo_workshop(TODAY)
    entries = scoring.coverage(w.failures, w.countermeasures)
    gaps = [e for e in entries if e.gap]
    assert len(gaps) == 1
    answering = [c for c in w.countermeasures if gaps[0].failure.id in c.failure_ids]
    assert answering and {c.decision for c in answering} == {"undecided"}
    assert any(e.stage_notes for e in entries)
    assert any(not e.gap and not e.stage_notes for e in entries)


def test_every_value_passes_validation():
    w = demo_workshop(TODAY)
    for f in w.failures:
        validate.text("service", f.service, required=True)
        validate.text("failure", f.failure, required=True, max_len=validate.MAX_LONG)
        validate.score("impact", f.impact)
        validate.score("likelihood", f.likelihood)
    for c in w.countermeasures:
        validate.stage(c.stage)
        validate.decision(c.decision)
        for name in ("intro_cost", "maintenance_cost", "effect"):
            validate.score(name, getattr(c, name))
        validate.iso_date("reminder", c.remind_on)
    all_ids = [x.id for x in [*w.failures, *w.countermeasures, *w.retro, *w.participants]]
    assert len(set(all_ids)) == len(all_ids)


def test_the_demo_survives_a_session_file(tmp_path):
    demo = demo_workshop(TODAY)
    with SessionService.open(str(tmp_path / "demo.premortem"), create=True) as service:
        service.import_workshop(demo, whole_session=True)
    with SessionService.open(str(tmp_path / "demo.premortem")) as service:
        loaded = service.load()
    assert loaded == demo
