"""Risk, bands, per-service weights, suggested value and coverage (PRODUCT.md, Scoring)."""

import pytest

from premortem_tui.domain.model import Countermeasure, Failure
from premortem_tui.domain.scoring import (
    band, coverage, ranked_failures, risk, service_weights, suggested_value,
)


def failure(service="Billing", text="no invoice", impact=None, likelihood=None, **kw):
    return Failure(service, text, impact=impact, likelihood=likelihood, **kw)


def cm(text="alert", failure_ids=(), stage="detect", decision="now", effect=None,
       intro_cost=None, maintenance_cost=None, **kw):
    return Countermeasure(text, list(failure_ids), stage=stage, decision=decision, effect=effect,
                          intro_cost=intro_cost, maintenance_cost=maintenance_cost, **kw)


# --- risk -------------------------------------------------------------------

@pytest.mark.parametrize("impact, likelihood, expected", [
    (1, 1, 1), (2, 3, 6), (5, 4, 20), (5, 5, 25),
    (None, 3, None), (3, None, None), (None, None, None),
])
def test_risk_is_impact_times_likelihood_and_unset_while_either_is_unset(impact, likelihood, expected):
    assert risk(impact, likelihood) == expected
    assert failure(impact=impact, likelihood=likelihood).risk == expected


def test_judged_needs_both_values():
    assert failure(impact=3, likelihood=2).judged
    assert not failure(impact=3).judged
    assert not failure(likelihood=3).judged


# --- bands ------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (1, "low"), (4, "low"),
    (5, "moderate"), (9, "moderate"),
    (10, "high"), (16, "high"),
    (20, "critical"), (25, "critical"),
    (None, None),
])
def test_band_boundaries(value, expected):
    assert band(value) == expected


@pytest.mark.parametrize("value", [0, 26, -1])
def test_band_refuses_values_outside_1_to_25(value):
    with pytest.raises(ValueError):
        band(value)


def test_every_reachable_risk_has_a_band():
    for impact in range(1, 6):
        for likelihood in range(1, 6):
            assert band(risk(impact, likelihood)) in ("low", "moderate", "high", "critical")


# --- service weights ----------------------------------------------------------

def test_service_weight_sums_risk_including_acceptable_failures():
    weights = service_weights([
        failure("Billing", impact=4, likelihood=5),                   # 20
        failure("Billing", impact=1, likelihood=2, acceptable=True),  # 2, still counts
        failure("Search", impact=3, likelihood=3),                    # 9
    ])
    assert weights == [("Billing", 22), ("Search", 9)]


def test_service_weight_joins_services_across_case_and_spacing():
    weights = service_weights([
        failure("Billing management", impact=2, likelihood=2),
        failure("billing  MANAGEMENT", impact=3, likelihood=1),
        failure("  Billing management ", impact=1, likelihood=1),
    ])
    assert len(weights) == 1
    name, total = weights[0]
    assert name.casefold().split() == ["billing", "management"]
    assert total == 8


def test_service_weights_highest_first_and_unjudged_weigh_zero():
    weights = service_weights([
        failure("Login", impact=2, likelihood=2),       # 4
        failure("Reports"),                              # unjudged: 0
        failure("Search", impact=5, likelihood=2),       # 10
        failure("Reports", impact=3),                    # half judged: 0
        failure("Export", impact=1, likelihood=5),       # 5
    ])
    assert weights == [("Search", 10), ("Export", 5), ("Login", 4), ("Reports", 0)]


def test_service_weights_ties_are_ordered_by_name():
    weights = service_weights([
        failure("beta", impact=2, likelihood=2),
        failure("Alpha", impact=1, likelihood=4),
    ])
    assert weights == [("Alpha", 4), ("beta", 4)]


def test_service_weights_of_nothing_is_empty():
    assert service_weights([]) == []


# --- suggested value ----------------------------------------------------------

def test_suggested_value_uses_the_highest_answered_risk():
    low = failure(impact=1, likelihood=2)     # 2
    high = failure(impact=4, likelihood=4)    # 16
    unjudged = failure()
    by_id = {f.id: f for f in (low, high, unjudged)}
    measure = cm(failure_ids=[low.id, high.id, unjudged.id], effect=3, intro_cost=2, maintenance_cost=4)
    assert suggested_value(measure, by_id) == pytest.approx(3 * 16 / (2 + 4))


def test_suggested_value_is_not_integer_division():
    f = failure(impact=1, likelihood=1)
    measure = cm(failure_ids=[f.id], effect=1, intro_cost=1, maintenance_cost=2)
    assert suggested_value(measure, {f.id: f}) == pytest.approx(1 / 3)


@pytest.mark.parametrize("missing", ["effect", "intro_cost", "maintenance_cost"])
def test_suggested_value_is_unset_while_any_number_is_unset(missing):
    f = failure(impact=5, likelihood=5)
    values = {"effect": 5, "intro_cost": 1, "maintenance_cost": 1}
    values[missing] = None
    assert suggested_value(cm(failure_ids=[f.id], **values), {f.id: f}) is None


def test_suggested_value_is_unset_when_no_judged_failure_is_answered():
    unjudged = failure(impact=4)
    judged_elsewhere = failure(impact=5, likelihood=5)
    by_id = {f.id: f for f in (unjudged, judged_elsewhere)}
    values = {"effect": 5, "intro_cost": 1, "maintenance_cost": 1}
    assert suggested_value(cm(failure_ids=[unjudged.id], **values), by_id) is None
    assert suggested_value(cm(failure_ids=[], **values), by_id) is None
    assert suggested_value(cm(failure_ids=["gone"], **values), by_id) is None


# --- coverage -----------------------------------------------------------------

def test_coverage_lists_only_high_and_critical_failures_not_acceptable():
    moderate = failure(text="moderate", impact=3, likelihood=3)          # 9
    high = failure(text="high", impact=2, likelihood=5)                  # 10
    critical = failure(text="critical", impact=5, likelihood=4)          # 20
    accepted = failure(text="accepted", impact=5, likelihood=5, acceptable=True)
    unjudged = failure(text="unjudged")
    result = coverage([moderate, high, critical, accepted, unjudged], [])
    assert [c.failure.id for c in result] == [critical.id, high.id]  # highest risk first


def test_only_now_and_next_decisions_count_as_covering():
    f = failure(impact=4, likelihood=4)
    measures = [
        cm(stage="prevent", decision="now", failure_ids=[f.id]),
        cm(stage="detect", decision="next", failure_ids=[f.id]),
        cm(stage="respond", decision="later", failure_ids=[f.id]),
        cm(stage="recover", decision="wont", failure_ids=[f.id]),
        cm(stage="learn", decision="undecided", failure_ids=[f.id]),
    ]
    (cov,) = coverage([f], measures)
    assert cov.stages == ["prevent", "detect"]
    assert not cov.gap
    assert cov.stage_notes == ["respond"]
    assert cov.open_stages == ["respond", "recover", "learn"]


def test_gap_when_no_chosen_countermeasure_answers():
    f = failure(impact=5, likelihood=5)
    other = failure(impact=5, likelihood=5)
    measures = [
        cm(stage="detect", decision="later", failure_ids=[f.id]),
        cm(stage="respond", decision="now", failure_ids=[other.id]),  # answers another failure
    ]
    cov = {c.failure.id: c for c in coverage([f, other], measures)}
    assert cov[f.id].gap
    assert cov[f.id].stages == []
    assert cov[f.id].stage_notes == []  # a gap is one warning, not stage notes as well
    assert cov[f.id].open_stages == ["prevent", "detect", "respond", "recover", "learn"]
    assert not cov[other.id].gap


def test_gap_with_no_countermeasures_at_all():
    f = failure(impact=4, likelihood=3)
    (cov,) = coverage([f], [])
    assert cov.gap and cov.stage_notes == []


@pytest.mark.parametrize("stages, notes", [
    (["prevent"], ["detect", "respond"]),
    (["detect"], ["respond"]),
    (["respond"], ["detect"]),
    (["detect", "respond"], []),
    (["recover", "learn"], ["detect", "respond"]),
])
def test_stage_notes_only_for_detect_and_respond(stages, notes):
    f = failure(impact=4, likelihood=5)
    measures = [cm(stage=s, decision="now", failure_ids=[f.id]) for s in stages]
    (cov,) = coverage([f], measures)
    assert cov.stage_notes == notes


def test_covered_stages_are_in_timeline_order_without_repeats():
    f = failure(impact=4, likelihood=5)
    measures = [cm(stage=s, decision="next", failure_ids=[f.id])
                for s in ("learn", "detect", "prevent", "detect")]
    (cov,) = coverage([f], measures)
    assert cov.stages == ["prevent", "detect", "learn"]
    assert cov.open_stages == ["respond", "recover"]


def test_a_countermeasure_answering_several_failures_covers_each():
    a = failure(text="a", impact=4, likelihood=4)
    b = failure(text="b", impact=5, likelihood=5)
    measure = cm(stage="respond", decision="now", failure_ids=[a.id, b.id])
    result = coverage([a, b], [measure])
    assert [c.failure.id for c in result] == [b.id, a.id]
    assert all(c.stages == ["respond"] for c in result)


# --- ranked failures ------------------------------------------------------------

def test_ranked_failures_by_risk_then_service_then_position_unjudged_last():
    unjudged = failure("Alpha", "unjudged", position=0)
    low = failure("Alpha", "low", impact=1, likelihood=1, position=5)
    search_2 = failure("Search", "s2", impact=4, likelihood=4, position=2)
    search_1 = failure("search", "s1", impact=4, likelihood=4, position=1)
    billing = failure("Billing", "b", impact=4, likelihood=4, position=9)
    top = failure("Zeta", "top", impact=5, likelihood=5, position=3)
    half = failure("Alpha", "half", impact=5, position=1)
    ordered = ranked_failures([unjudged, low, search_2, search_1, billing, top, half])
    assert [f.failure for f in ordered] == ["top", "b", "s1", "s2", "low", "unjudged", "half"]
