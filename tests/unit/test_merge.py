"""Import rules: merging a source session into an existing one only adds."""

import copy

from premortem_tui.domain.merge import plan_merge
from premortem_tui.domain.model import Countermeasure, Failure, Participant, RetroNote, Session, Workshop


def target_workshop():
    return Workshop(
        session=Session(id="target", title="Q1"),
        participants=[Participant("Aiko", "pm", id="p-aiko"), Participant("Ben", "engineer", id="p-ben")],
        failures=[
            Failure("Billing management", "no invoice", impact=5, likelihood=2, position=0, id="f-t1"),
            Failure("Billing management", "cannot register", position=1, id="f-t2"),
            Failure("Search", "slow", position=0, id="f-t3"),
        ],
        countermeasures=[
            Countermeasure("retry", ["f-t1"], stage="prevent", stage_position=0, decision="now", rank=0, id="c-t1"),
            Countermeasure("alert", ["f-t1"], stage="detect", stage_position=0, decision="now", rank=1, id="c-t2"),
            Countermeasure("runbook", ["f-t2"], stage="respond", stage_position=0, decision="later", rank=0,
                           id="c-t3"),
        ],
        retro=[RetroNote("keep", "timeboxes", position=0, id="r-t1")],
    )


def apply(target, plan):
    target.participants.extend(plan.participants)
    target.failures.extend(plan.failures)
    target.countermeasures.extend(plan.countermeasures)
    target.retro.extend(plan.retro)


def test_nothing_in_the_target_is_changed():
    target = target_workshop()
    before = copy.deepcopy(target)
    source = Workshop(
        participants=[Participant("Aiko", "cs", id="p-aiko")],
        failures=[Failure("Billing management", "CHANGED", impact=1, likelihood=1, id="f-t1"),
                  Failure("billing management", "new one", id="f-new", variant_of="f-t1")],
        countermeasures=[Countermeasure("CHANGED", ["f-t1"], decision="wont", id="c-t1")],
        retro=[RetroNote("keep", "CHANGED", id="r-t1")],
    )
    plan_merge(target, set(), source)
    assert target == before


def test_cards_already_present_or_deleted_are_skipped_and_counted():
    target = target_workshop()
    source = Workshop(
        failures=[
            Failure("Billing management", "edited elsewhere", id="f-t1"),  # present
            Failure("Search", "deleted here", id="f-gone"),                 # deleted in target
            Failure("Search", "new", id="f-new"),
        ],
        countermeasures=[
            Countermeasure("present", id="c-t2"),
            Countermeasure("deleted", id="c-gone"),
            Countermeasure("new", id="c-new"),
        ],
        retro=[RetroNote("keep", "present", id="r-t1"), RetroNote("try", "deleted", id="r-gone"),
               RetroNote("problem", "new", id="r-new")],
    )
    plan = plan_merge(target, {"f-gone", "c-gone", "r-gone"}, source)
    assert [f.id for f in plan.failures] == ["f-new"]
    assert [c.id for c in plan.countermeasures] == ["c-new"]
    assert [r.id for r in plan.retro] == ["r-new"]
    assert plan.skipped == 6
    assert plan.card_count == 3
    assert not plan.empty


def test_participants_matched_by_id_then_by_name_case_insensitively():
    target = target_workshop()
    source = Workshop(participants=[
        Participant("Aiko Renamed", "pm", id="p-aiko"),   # same id
        Participant("BEN", "cs", id="p-other-ben"),        # same name, other case
        Participant("Chika", "domain", id="p-chika"),      # new
        Participant("chika", "other", id="p-chika-2"),     # same name as a new one
    ])
    plan = plan_merge(target, set(), source)
    assert [(p.id, p.name, p.role) for p in plan.participants] == [("p-chika", "Chika", "domain")]


def test_new_failures_go_after_the_targets_column_keeping_its_service_spelling():
    target = target_workshop()
    source = Workshop(failures=[
        Failure("BILLING MANAGEMENT", "second new", position=7, id="f-b2"),
        Failure("billing  management", "first new", position=3, id="f-b1"),
        Failure("Shipping", "labels", position=0, id="f-s1"),
        Failure("shipping", "tracking", position=1, id="f-s2"),
    ])
    plan = plan_merge(target, set(), source)
    placed = {f.id: (f.service, f.position) for f in plan.failures}
    assert placed == {
        "f-b1": ("Billing management", 2),   # after the target's two billing cards
        "f-b2": ("Billing management", 3),   # in the source's order
        "f-s1": ("Shipping", 0),             # a new column starts at 0
        "f-s2": ("Shipping", 1),             # and its first spelling is kept
    }
    # the source is left as it was
    assert [(f.service, f.position) for f in source.failures][:2] == [
        ("BILLING MANAGEMENT", 7), ("billing  management", 3)]


def test_new_failures_follow_the_highest_position_not_the_count():
    target = Workshop(failures=[Failure("Search", "a", position=4, id="f-a")])
    plan = plan_merge(target, set(), Workshop(failures=[Failure("Search", "b", position=0, id="f-b")]))
    assert plan.failures[0].position == 5


def test_links_to_failures_neither_side_has_are_dropped():
    target = target_workshop()
    source = Workshop(
        failures=[Failure("Search", "new", id="f-new"), Failure("Search", "deleted", id="f-gone")],
        countermeasures=[Countermeasure(
            "cache", ["f-t3", "f-new", "f-nowhere", "f-gone"], id="c-new")],
    )
    plan = plan_merge(target, {"f-gone"}, source)
    (measure,) = plan.countermeasures
    assert measure.failure_ids == ["f-t3", "f-new"]
    assert source.countermeasures[0].failure_ids == ["f-t3", "f-new", "f-nowhere", "f-gone"]


def test_variant_of_a_missing_failure_is_cleared():
    target = target_workshop()
    source = Workshop(failures=[
        Failure("Search", "base", position=0, id="f-base"),
        Failure("Search", "variant of new", position=1, variant_of="f-base", id="f-v1"),
        Failure("Search", "variant of target's", position=2, variant_of="f-t3", id="f-v2"),
        Failure("Search", "variant of nothing", position=3, variant_of="f-nowhere", id="f-v3"),
        Failure("Search", "variant of deleted", position=4, variant_of="f-gone", id="f-v4"),
        Failure("Search", "deleted", position=5, id="f-gone"),
    ])
    plan = plan_merge(target, {"f-gone"}, source)
    variants = {f.id: f.variant_of for f in plan.failures}
    assert variants == {"f-base": None, "f-v1": "f-base", "f-v2": "f-t3", "f-v3": None, "f-v4": None}
    assert source.failures[3].variant_of == "f-nowhere"


def test_ranks_per_decision_are_appended_in_the_sources_rank_order():
    target = target_workshop()  # now: ranks 0, 1; later: rank 0
    source = Workshop(countermeasures=[
        Countermeasure("now b", decision="now", rank=5, stage="prevent", stage_position=0, id="c-now-b"),
        Countermeasure("now a", decision="now", rank=2, stage="detect", stage_position=1, id="c-now-a"),
        Countermeasure("next a", decision="next", rank=0, stage="detect", stage_position=2, id="c-next-a"),
        Countermeasure("later a", decision="later", rank=1, stage="learn", stage_position=0, id="c-later-a"),
        Countermeasure("now c", decision="now", rank=9, stage="learn", stage_position=1, id="c-now-c"),
    ])
    plan = plan_merge(target, set(), source)
    ranks = {c.id: (c.decision, c.rank) for c in plan.countermeasures}
    assert ranks == {
        "c-now-a": ("now", 2), "c-now-b": ("now", 3), "c-now-c": ("now", 4),
        "c-next-a": ("next", 0),
        "c-later-a": ("later", 1),
    }


def test_new_countermeasures_go_after_the_targets_stage_column():
    target = target_workshop()  # prevent, detect and respond each hold one card
    source = Workshop(countermeasures=[
        Countermeasure("second", stage="detect", stage_position=4, id="c-2"),
        Countermeasure("first", stage="detect", stage_position=1, id="c-1"),
        Countermeasure("learn", stage="learn", stage_position=3, id="c-3"),
    ])
    plan = plan_merge(target, set(), source)
    assert {c.id: (c.stage, c.stage_position) for c in plan.countermeasures} == {
        "c-1": ("detect", 1), "c-2": ("detect", 2), "c-3": ("learn", 0)}


def test_new_retro_notes_go_after_the_targets_column():
    target = target_workshop()
    source = Workshop(retro=[RetroNote("keep", "k", position=0, id="r-k"),
                             RetroNote("try", "t", position=0, id="r-t")])
    plan = plan_merge(target, set(), source)
    assert {r.id: (r.kind, r.position) for r in plan.retro} == {"r-k": ("keep", 1), "r-t": ("try", 0)}


def test_merging_the_same_source_twice_adds_nothing():
    target = target_workshop()
    source = Workshop(
        participants=[Participant("Chika", "domain", id="p-chika")],
        failures=[Failure("Shipping", "labels", id="f-s1"), Failure("search", "down", id="f-s2")],
        countermeasures=[Countermeasure("fallback", ["f-s1", "f-t3"], decision="now", rank=0, id="c-s1")],
        retro=[RetroNote("problem", "too long", id="r-s1")],
    )
    first = plan_merge(target, set(), source)
    assert first.card_count == 4 and len(first.participants) == 1 and first.skipped == 0
    apply(target, first)
    snapshot = copy.deepcopy(target)
    second = plan_merge(target, set(), source)
    assert second.empty
    assert second.participants == [] and second.card_count == 0
    assert second.skipped == 4
    assert target == snapshot


def test_merging_into_an_empty_workshop_takes_everything_in_order():
    source = Workshop(
        participants=[Participant("Aiko", "pm", id="p-aiko")],
        failures=[Failure("Search", "a", position=0, id="f-a"), Failure("Search", "b", position=1, id="f-b")],
        countermeasures=[Countermeasure("c", ["f-a"], stage="detect", stage_position=0, id="c-a")],
    )
    plan = plan_merge(Workshop(), set(), source)
    assert [f.id for f in plan.failures] == ["f-a", "f-b"]
    assert [f.position for f in plan.failures] == [0, 1]
    assert plan.countermeasures[0].failure_ids == ["f-a"]
    assert [p.id for p in plan.participants] == ["p-aiko"]
    assert plan.skipped == 0


def test_an_empty_source_plans_nothing():
    plan = plan_merge(target_workshop(), set(), Workshop())
    assert plan.empty and plan.skipped == 0
