"""Write a big session file for the speed figures (PRODUCT.md, "Speed, and how it is measured").

10,000 cards: 5,000 failures over 12 services and 5,000 countermeasures (each
answering 1-2 failures, spread over stages and decisions), the failures phase
current.  With ``--judged N`` the first N failures get an impact and a
likelihood, and the impact phase is current.

It builds a JSON export document and hands it to ``premortem import`` (one
transaction), so the file is written exactly as an import writes it.

Run:  python bench/make_big_session.py big.premortem [--judged 2000] [--json big.json] [--seed 1]

The other benches call ``make_session(path, cards, judged)``: half failures, half
countermeasures, every failure judged or none.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
import uuid

SERVICES = ("Billing", "Checkout", "Search", "Catalog", "Accounts", "Notifications", "Payments gateway",
            "Inventory", "Shipping", "Reporting", "Mobile API", "Admin console")
STAGES = ("prevent", "detect", "respond", "recover", "learn")
DECISIONS = ("undecided", "now", "next", "later", "wont")
TIMINGS = ("early morning", "business hours", "evening", "night", "start of month", "middle of month",
           "end of month", "month-end closing")
WHAT = ("times out on every request", "returns stale data", "double-charges a share of orders",
        "drops messages from the queue", "rejects valid logins", "serves errors after a deploy",
        "runs out of database connections", "loses writes during failover", "shows wrong totals",
        "falls behind on its batch jobs")
CAUSE = ("after a certificate expires", "when a dependency is slow", "under a traffic spike",
         "after a schema migration", "when the cache is cold", "when a region goes down")
ACTIONS = ("Add an alert on", "Write a runbook for", "Load-test", "Add a circuit breaker around",
           "Add a canary stage for", "Rehearse a restore of", "Review the dashboards of", "Rate-limit")


def build_document(n_failures: int, n_countermeasures: int, judged: int, seed: int) -> dict:
    """A JSON export document (format_version 1) holding the big session."""
    rng = random.Random(seed)
    uid = lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))  # noqa: E731
    per_service = {s: 0 for s in SERVICES}
    failures = []
    for n in range(n_failures):
        service = SERVICES[n % len(SERVICES)]
        impact = rng.randint(1, 5) if n < judged else None
        failures.append({
            "id": uid(), "service": service,
            "failure": f"{service} {rng.choice(WHAT)} {rng.choice(CAUSE)} (#{n + 1})",
            "period": f"{rng.choice((5, 15, 30, 60, 240))} minutes", "timing": rng.choice(TIMINGS),
            "author": f"engineer {n % 9 + 1}", "position": per_service[service],
            "impact": impact, "likelihood": rng.randint(1, 5) if impact else None})
        per_service[service] += 1
    stage_pos = {s: 0 for s in STAGES}
    ranks = {d: 0 for d in DECISIONS}
    countermeasures = []
    for n in range(n_countermeasures):
        stage, decision = STAGES[n % len(STAGES)], DECISIONS[(n // len(STAGES)) % len(DECISIONS)]
        answers = rng.sample(failures, rng.randint(1, 2))
        countermeasures.append({
            "id": uid(), "text": f"{rng.choice(ACTIONS)} {answers[0]['service']} (#{n + 1})",
            "failure_ids": [f["id"] for f in answers], "stage": stage, "stage_position": stage_pos[stage],
            "intro_cost": rng.randint(1, 5), "maintenance_cost": rng.randint(1, 5), "effect": rng.randint(1, 5),
            "decision": decision, "rank": ranks[decision], "owner": f"owner {n % 7 + 1}",
            "author": f"engineer {n % 9 + 1}"})
        stage_pos[stage] += 1
        ranks[decision] += 1
    return {
        "format": "premortem-session", "format_version": 1,
        "session": {"id": uid(), "title": f"Big session ({n_failures + n_countermeasures} cards)",
                    "date": "2025-01-15", "context": "A synthetic session for the speed figures.",
                    "current_phase": "impact" if judged else "failures"},
        "participants": [{"id": uid(), "name": "Pat (PM)", "role": "pm"},
                         *({"id": uid(), "name": f"engineer {k}", "role": "engineer"} for k in range(1, 10))],
        "failures": failures, "countermeasures": countermeasures, "retro": [],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", help="the session file to write (must not exist)")
    ap.add_argument("--failures", type=int, default=5000)
    ap.add_argument("--countermeasures", type=int, default=5000)
    ap.add_argument("--judged", type=int, default=0, help="judge this many failures; the impact phase is current")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also keep the JSON export document here")
    a = ap.parse_args(argv)
    if os.path.exists(a.file):
        ap.error(f"{a.file} already exists")
    t0 = time.perf_counter()
    doc = build_document(a.failures, a.countermeasures, min(a.judged, a.failures), a.seed)
    source = a.json or os.path.join(tempfile.mkdtemp(prefix="premortem-big-"), "big.json")
    with open(source, "w", encoding="utf-8") as handle:
        json.dump(doc, handle)
    from premortem_tui.cli import main as premortem

    status = premortem(["import", a.file, source])
    if not a.json:
        os.remove(source)
        os.rmdir(os.path.dirname(source))
    print(f"{a.file}: {a.failures} failures, {a.countermeasures} countermeasures, {a.judged} judged "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return status


def make_session(path: str, cards: int, judged: bool, *, seed: int = 1, json_path: str | None = None,
                 quiet: bool = False) -> None:
    """Write a session of ``cards`` cards (half failures, half countermeasures) to ``path``, every
    failure judged when ``judged``; exits when the import fails."""
    half = cards // 2
    argv = [path, "--failures", str(half), "--countermeasures", str(cards - half), "--seed", str(seed),
            "--judged", str(half if judged else 0)]
    if json_path is not None:
        argv += ["--json", json_path]
    out = io.StringIO()
    quietly = contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext()
    with quietly, (contextlib.redirect_stderr(out) if quiet else contextlib.nullcontext()):
        status = main(argv)
    if status:
        sys.exit(f"make_big_session.py {' '.join(argv)} failed ({status}):\n{out.getvalue()[-2000:]}")


if __name__ == "__main__":
    sys.exit(main())
