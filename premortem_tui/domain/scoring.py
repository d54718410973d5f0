"""Risk, bands, per-service weights, suggested value and coverage (PRODUCT.md, Scoring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .model import CHOSEN, STAGES, Countermeasure, Failure, service_key

BANDS: tuple[tuple[str, int, int], ...] = (
    ("low", 1, 4), ("moderate", 5, 9), ("high", 10, 16), ("critical", 20, 25),
)
# Shown beside the colour, so colour is never the only signal.
BAND_SYMBOLS = {"low": "-", "moderate": "=", "high": "!", "critical": "!!"}
# The risks coverage is about; a set, as coverage tests every failure on every change.
SERIOUS_RISKS = frozenset(v for name, low, high in BANDS if name in ("high", "critical") for v in range(low, high + 1))


def risk(impact: int | None, likelihood: int | None) -> int | None:
    """impact x likelihood (1-25); unset while either is unset."""
    if impact is None or likelihood is None:
        return None
    return impact * likelihood


def band(value: int | None) -> str | None:
    """The band of a risk value: low, moderate, high or critical."""
    if value is None:
        return None
    for name, low, high in BANDS:
        if low <= value <= high:
            return name
    raise ValueError(f"risk {value} is outside 1-25")


def service_weights(failures: Iterable[Failure]) -> list[tuple[str, int]]:
    """Each service with the sum of its failures' risk, highest first (ties by name).

    Acceptable failures count too: the weight says what matters to customers.
    Services whose failures are all unjudged weigh 0 and are listed last.
    """
    names: dict[str, str] = {}
    totals: dict[str, int] = {}
    for failure in failures:  # thousands of cards on every move in the impact phase: kept lean
        key = service_key(failure.service)
        if key not in totals:
            names[key], totals[key] = failure.service, 0
        if failure.impact is not None and failure.likelihood is not None:
            totals[key] += failure.impact * failure.likelihood
    return sorted(((names[k], v) for k, v in totals.items()), key=lambda kv: (-kv[1], kv[0].casefold()))


def suggested_value(cm: Countermeasure, failures_by_id: dict[str, Failure]) -> float | None:
    """effect x highest risk answered / (introduction cost + maintenance cost); unset while any is unset."""
    top = highest_risk(cm, failures_by_id)
    if cm.effect is None or cm.intro_cost is None or cm.maintenance_cost is None or top is None:
        return None
    return cm.effect * top / (cm.intro_cost + cm.maintenance_cost)


def highest_risk(cm: Countermeasure, failures_by_id: dict[str, Failure]) -> int | None:
    risks = [r for fid in cm.failure_ids if fid in failures_by_id
             for r in [failures_by_id[fid].risk] if r is not None]
    return max(risks) if risks else None


def highest_risk_failure(cm: Countermeasure, failures_by_id: dict[str, Failure]) -> Failure | None:
    answered = [failures_by_id[fid] for fid in cm.failure_ids if fid in failures_by_id]
    judged = [f for f in answered if f.risk is not None]
    if judged:
        return max(judged, key=lambda f: f.risk or 0)
    return answered[0] if answered else None


@dataclass
class Coverage:
    """How the chosen countermeasures defend one high or critical failure."""

    failure: Failure
    stages: list[str] = field(default_factory=list)  # covered, in timeline order

    @property
    def gap(self) -> bool:
        """No chosen countermeasure answers the failure at all."""
        return not self.stages

    @property
    def stage_notes(self) -> list[str]:
        """Detect and respond, where none covers them (only when there is no gap)."""
        if self.gap:
            return []
        return [s for s in ("detect", "respond") if s not in self.stages]

    @property
    def open_stages(self) -> list[str]:
        return [s for s in STAGES if s not in self.stages]


def coverage(failures: Iterable[Failure], countermeasures: Iterable[Countermeasure]) -> list[Coverage]:
    """Coverage of every high or critical failure not marked acceptable, highest risk first.

    The chosen answers are indexed by failure in one pass, so the cost grows with failures plus
    answers, not with their product: it runs on every change on the priority board.
    """
    covered: dict[str, set[str]] = {}  # the stages of the chosen ones
    for cm in countermeasures:
        if cm.decision in CHOSEN:
            for fid in cm.failure_ids:
                covered.setdefault(fid, set()).add(cm.stage)
    result = []
    for failure in failures:
        if failure.acceptable or failure.risk not in SERIOUS_RISKS:
            continue
        stages = covered.get(failure.id, ())
        result.append(Coverage(failure, [s for s in STAGES if s in stages]))
    result.sort(key=lambda c: (-(c.failure.risk or 0), c.failure.service.casefold(), c.failure.failure))
    return result


def ranked_failures(failures: Iterable[Failure]) -> list[Failure]:
    """Failures by risk (highest first, unjudged last), then service, then position."""
    return sorted(failures, key=lambda f: (-(f.risk or 0), f.risk is None,
                                           service_key(f.service), f.position))
