"""Import rules: what merging a source session into a target adds.

Into an existing session a merge only adds: cards whose id is already there,
or was deleted there, are left as the target has them; participants are
matched by id, then by name; nothing is changed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .model import Countermeasure, Failure, Participant, RetroNote, Workshop, service_key


@dataclass
class MergePlan:
    participants: list[Participant] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    countermeasures: list[Countermeasure] = field(default_factory=list)
    retro: list[RetroNote] = field(default_factory=list)
    skipped: int = 0  # cards already present or deleted in the target

    @property
    def card_count(self) -> int:
        return len(self.failures) + len(self.countermeasures) + len(self.retro)

    @property
    def empty(self) -> bool:
        return not (self.card_count or self.participants)


def plan_merge(target: Workshop, deleted_ids: set[str], source: Workshop) -> MergePlan:
    """The cards and participants of ``source`` that ``target`` does not have yet.

    New cards go to the end of their column, in the source's order; a service
    spelled differently joins the target's existing service; links to failures
    that neither side has are dropped.
    """
    plan = MergePlan()
    known = {f.id for f in target.failures} | {c.id for c in target.countermeasures} \
        | {r.id for r in target.retro} | deleted_ids

    by_id = {p.id for p in target.participants}
    by_name = {p.name.casefold() for p in target.participants}
    for person in source.participants:
        if person.id in by_id or person.name.casefold() in by_name:
            continue
        plan.participants.append(replace(person))
        by_id.add(person.id)
        by_name.add(person.name.casefold())

    spelling = {service_key(f.service): f.service for f in target.failures}
    next_pos: dict[str, int] = {}
    for f in target.failures:
        key = service_key(f.service)
        next_pos[key] = max(next_pos.get(key, 0), f.position + 1)
    for failure in sorted(source.failures, key=lambda f: f.position):
        if failure.id in known:
            plan.skipped += 1
            continue
        key = service_key(failure.service)
        service = spelling.setdefault(key, failure.service)
        position = next_pos.get(key, 0)
        next_pos[key] = position + 1
        plan.failures.append(replace(failure, service=service, position=position))
        known.add(failure.id)

    failure_ids = {f.id for f in target.failures} | {f.id for f in plan.failures}
    for failure in plan.failures:
        if failure.variant_of not in failure_ids:
            failure.variant_of = None

    stage_pos: dict[str, int] = {}
    ranks: dict[str, int] = {}
    for c in target.countermeasures:
        stage_pos[c.stage] = max(stage_pos.get(c.stage, 0), c.stage_position + 1)
        ranks[c.decision] = max(ranks.get(c.decision, 0), c.rank + 1)
    for cm in sorted(source.countermeasures, key=lambda c: c.stage_position):
        if cm.id in known:
            plan.skipped += 1
            continue
        position = stage_pos.get(cm.stage, 0)
        stage_pos[cm.stage] = position + 1
        plan.countermeasures.append(replace(
            cm, stage_position=position,
            failure_ids=[fid for fid in cm.failure_ids if fid in failure_ids]))
        known.add(cm.id)
    for cm in sorted(plan.countermeasures, key=lambda c: c.rank):  # keep the source's ranking
        cm.rank = ranks.get(cm.decision, 0)
        ranks[cm.decision] = cm.rank + 1

    retro_pos: dict[str, int] = {}
    for note in target.retro:
        retro_pos[note.kind] = max(retro_pos.get(note.kind, 0), note.position + 1)
    for note in sorted(source.retro, key=lambda n: n.position):
        if note.id in known:
            plan.skipped += 1
            continue
        position = retro_pos.get(note.kind, 0)
        retro_pos[note.kind] = position + 1
        plan.retro.append(replace(note, position=position))
        known.add(note.id)
    return plan
