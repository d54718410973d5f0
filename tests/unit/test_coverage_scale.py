"""coverage() answers as a straightforward reading of the rules does, in time linear in
failures plus answers (it runs on every change on the priority board)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from premortem_tui.domain.model import CHOSEN, STAGES, Countermeasure, Failure
from premortem_tui.domain.scoring import band, coverage


def reference(failures: list[Failure], countermeasures: list[Countermeasure]) -> list[tuple]:
    """Every listed failure checked against every countermeasure: slow, and plainly right."""
    result = []
    for f in failures:
        if f.acceptable or band(f.risk) not in ("high", "critical"):
            continue
        answering = [c for c in countermeasures if f.id in c.failure_ids]
        covered = {c.stage for c in answering if c.decision in CHOSEN}
        result.append((f.risk, f.service.casefold(), f.failure, f.id, [s for s in STAGES if s in covered]))
    result.sort(key=lambda r: (-(r[0] or 0), r[1], r[2]))
    return [(fid, stages) for _risk, _service, _text, fid, stages in result]


def as_rows(items) -> list[tuple]:
    return [(c.failure.id, c.stages) for c in items]


scores = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def workshops(draw) -> tuple[list[Failure], list[Countermeasure]]:
    n = draw(st.integers(0, 12))
    # Few services and texts, so that ties in the order are common.
    failures = [Failure(draw(st.sampled_from(["Billing", "billing", "Search"])), draw(st.sampled_from(["a", "b"])),
                        impact=draw(scores), likelihood=draw(scores), acceptable=draw(st.booleans()),
                        id=f"f{k}") for k in range(n)]
    # Answers may name a failure twice, or one that is gone.
    ids = st.sampled_from([f.id for f in failures] + ["gone"])
    countermeasures = [Countermeasure(f"cm{k}", draw(st.lists(ids, max_size=4)),
                                      stage=draw(st.sampled_from(STAGES)),
                                      decision=draw(st.sampled_from(["undecided", "now", "next", "later", "wont"])),
                                      id=f"c{k}")
                       for k in range(draw(st.integers(0, 15)))]
    return failures, countermeasures


@settings(max_examples=200, deadline=None)
@given(workshops())
def test_coverage_equals_the_reference_on_random_workshops(workshop):
    failures, countermeasures = workshop
    assert as_rows(coverage(failures, countermeasures)) == reference(failures, countermeasures)


class CountingIds(list):
    """A countermeasure's failure ids that count every id looked at (a membership test looks at all)."""

    looked = 0

    def __iter__(self):
        CountingIds.looked += len(self)
        return super().__iter__()

    def __contains__(self, item: object) -> bool:
        CountingIds.looked += len(self)
        return super().__contains__(item)


def ids_looked_at(n: int) -> int:
    """Ids looked at for n high failures and n countermeasures answering two each."""
    failures = [Failure("Billing", f"failure {k}", impact=5, likelihood=4, id=f"f{k}") for k in range(n)]
    countermeasures = [Countermeasure(f"cm {k}", CountingIds([f"f{k}", f"f{(k + 1) % n}"]), decision="now")
                       for k in range(n)]
    CountingIds.looked = 0
    result = coverage(failures, countermeasures)
    assert len(result) == n and all(c.stages == ["prevent"] for c in result)
    return CountingIds.looked


def test_coverage_looks_at_each_answer_a_bounded_number_of_times():
    small, large = ids_looked_at(200), ids_looked_at(2000)
    answers = 2 * 2000
    assert large <= 2 * answers  # not failures x countermeasures (8,000,000 here)
    assert large <= 11 * small  # 10x the cards: about 10x the work
