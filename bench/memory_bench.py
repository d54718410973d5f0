"""What the board holds on to: RSS once settled and after many mixed actions (issue 15, section 6: memory).

Not part of the test run.  For each size (default 1,000 and 10,000 cards), unjudged and fully
judged, in-app under Textual's run_test at 120x40:
1. opens the session on the board and lets it settle: RSS "settled";
2. plays ``--actions`` mixed actions, a round of: j, l, h, a + escape, e + escape, x + u,
   ] + [, r + escape, and in the priority phase L then u (each round is 16 actions): RSS "after";
3. with ``--trace``, prints what grew between the two: the 15 biggest tracemalloc differences
   by line, and the 15 object types whose count (gc.get_objects) grew most.

Run:  python bench/memory_bench.py [--sizes 1000,10000] [--actions 200] [--trace]
(RSS is the process's own: the bench's session making is done in a child process.)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from keys_bench import board_in_failures  # noqa: E402
from keys_bench import settle as keys_settle  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def counts() -> Counter:
    return Counter(type(o).__qualname__ for o in gc.get_objects())


async def settle(pilot, app, seconds: float = 0.05) -> None:
    await keys_settle(pilot, app, seconds)


async def play(app, actions: int, trace: bool) -> dict[str, object]:
    out: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        board = await board_in_failures(pilot, app, first=1.0, then=0.5)
        gc.collect()
        out["settled"] = rss_mb()
        if trace:
            tracemalloc.start(8)
            before, types = tracemalloc.take_snapshot(), counts()
        done = 0
        round_ = [("j",), ("l",), ("h",), ("a", "escape"), ("e", "escape"), ("x", "u"),
                  ("right_square_bracket", "left_square_bracket"), ("r", "escape")]
        while done < actions:
            for keys in round_:
                for key in keys:
                    await pilot.press(key)
                    await settle(pilot, app, 0.1 if key in ("r", "a", "e") else 0.02)
                done += len(keys)
            await board.go_to_phase("priority")
            await settle(pilot, app)
            for key in ("L", "u"):
                await pilot.press(key)
                await settle(pilot, app)
            done += 2
            await board.go_to_phase("failures")
            await settle(pilot, app)
        gc.collect()
        out["after"] = rss_mb()
        out["actions"] = done
        if trace:
            after = tracemalloc.take_snapshot()
            grown = counts() - types
            tracemalloc.stop()
            out["lines"] = after.compare_to(before, "traceback")[:15]
            out["types"] = grown.most_common(15)
    return out


def measure(path: str, actions: int, trace: bool) -> dict[str, object]:
    from premortem_tui.domain.timer import SystemClock
    from premortem_tui.ui.app import PremortemApp
    from premortem_tui.ui.launch import open_model

    clock = SystemClock()
    model = open_model(path, clock=clock)
    model.service
    return asyncio.run(play(PremortemApp(model, clock=clock), actions, trace))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="cards per session, comma-separated")
    ap.add_argument("--actions", type=int, default=200)
    ap.add_argument("--trace", action="store_true", help="show what grew (slower: tracemalloc)")
    ap.add_argument("--one", nargs=2, metavar=("FILE", "JUDGED"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:  # a child: one session, its figures as one line
        r = measure(a.one[0], a.actions, a.trace)
        print(f"RESULT {r['settled']:.1f} {r['after']:.1f} {r['actions']}")
        for stat in r.get("lines", []):
            print(f"  {stat.size_diff / 1024:>9.1f} KiB {stat.count_diff:>+8}  "
                  + " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in list(stat.traceback)[:4]))
        for name, n in r.get("types", []):
            print(f"  {n:>+8} {name}")
        return 0
    from make_big_session import make_session

    rows = []
    with tempfile.TemporaryDirectory(prefix="premortem-memory-") as work:
        os.environ["PREMORTEM_HOME"] = os.path.join(work, "home")
        for cards in [int(s) for s in a.sizes.split(",")]:
            for judged in (False, True):
                path = os.path.join(work, f"{cards}-{'judged' if judged else 'unjudged'}.premortem")
                make_session(path, cards, judged, quiet=True)
                print(f"measuring {Path(path).name} ...", file=sys.stderr, flush=True)
                argv = [sys.executable, __file__, "--one", path, str(judged), "--actions", str(a.actions)]
                r = subprocess.run(argv + (["--trace"] if a.trace else []), capture_output=True, text=True)
                if r.returncode:
                    sys.exit(r.stderr[-3000:])
                lines = r.stdout.splitlines()
                result = next(line for line in lines if line.startswith("RESULT")).split()[1:]
                rows.append((cards, judged, *map(float, result)))
                if a.trace:
                    print(f"\n{Path(path).name}: what grew over the actions\n" + "\n".join(
                        line for line in lines if not line.startswith("RESULT")))
    print("\nRSS in MB, in-app at 120x40 (the process's own)")
    print(f"{'cards':>7} {'judged':<7}{'settled':>9}{'after':>9}{'actions':>9}{'growth':>9}")
    for cards, judged, settled, after, actions in rows:
        print(f"{cards:>7} {'all' if judged else 'none':<7}{settled:>9.1f}{after:>9.1f}{actions:>9.0f}"
              f"{after / settled:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
