"""The command line's import and carry at 1,000, 10,000 and 50,000 cards (issue 15, section 6).

Not part of the test run.  For each size (half failures, half countermeasures; unjudged,
and with ``--judged`` fully judged) it:
1. writes the JSON export and its session file with bench/make_big_session.py (seed 1),
   and a second session of the same size with other ids (seed 2);
2. times, as a user runs them (a new process each, stderr not a terminal):
   ``premortem import NEW.premortem big.json`` (import into a new file),
   ``premortem import EXISTING.premortem big.json`` into a copy of the seed-2 session
   (every card is new there: the file ends with twice the cards), and
   ``premortem carry big.premortem NEXT.premortem``;
3. prints the best of ``--runs`` for each, and the time per 1,000 cards, so growth shows.

Run:  python bench/import_bench.py [--sizes 1000,10000,50000] [--runs 3] [--judged]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_session import make_session  # noqa: E402

TARGET_S = {10_000: 2.0}  # the target for import at 10,000 cards


def premortem(*args: str) -> float:
    """Wall time of one ``premortem`` command in a new process; exits on a failure."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", "import sys; from premortem_tui.cli import main; sys.exit(main())",
                        *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode:
        sys.exit(f"premortem {' '.join(args)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return elapsed


def best(runs: int, prepare, command) -> float:
    """The best of ``runs`` timings of ``command()``, each after a fresh ``prepare()``."""
    times = []
    for _ in range(runs):
        prepare()
        times.append(command())
    return min(times)


def make(path: Path, cards: int, judged: bool, seed: int, json_path: Path | None = None) -> None:
    make_session(str(path), cards, judged, seed=seed, json_path=str(json_path) if json_path else None, quiet=True)


def measure(cards: int, runs: int, judged: bool, work: Path) -> dict[str, float]:
    source, doc, other = work / "big.premortem", work / "big.json", work / "other.premortem"
    for p in (source, doc, other):
        p.unlink(missing_ok=True)
    make(source, cards, judged, 1, doc)
    make(other, cards, judged, 2)
    new, existing, nxt = work / "new.premortem", work / "existing.premortem", work / "next.premortem"

    def gone(*paths: Path):
        return lambda: [p.unlink(missing_ok=True) for p in paths]

    def fresh_existing() -> None:
        existing.unlink(missing_ok=True)
        shutil.copyfile(other, existing)

    return {
        "import new": best(runs, gone(new), lambda: premortem("import", str(new), str(doc))),
        "import existing": best(runs, fresh_existing, lambda: premortem("import", str(existing), str(doc))),
        "carry": best(runs, gone(nxt), lambda: premortem("carry", str(source), str(nxt))),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000", help="cards per session, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="timings per command; the best is shown")
    ap.add_argument("--judged", action="store_true", help="judge every failure")
    a = ap.parse_args(argv)
    sizes = [int(s) for s in a.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="premortem-import-bench-"))
    kind = "judged" if a.judged else "unjudged"
    try:
        print(f"{'cards':>7}  {'command':<16} {'seconds':>8} {'s per 1,000':>12}")
        for cards in sizes:
            print(f"  writing {cards:,} cards ({kind}) ...", file=sys.stderr, flush=True)
            for name, seconds in measure(cards, a.runs, a.judged, work).items():
                target = TARGET_S.get(cards) if name.startswith("import") else None
                note = f"  (target {target:.1f} s)" if target else ""
                print(f"{cards:>7,}  {name:<16} {seconds:>8.2f} {seconds / cards * 1000:>12.3f}{note}",
                      flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
