"""Deciding a countermeasure on the priority board (issue 15, section 6: priority moves).

Not part of the test run.  For each size (default 1,000 and 10,000 cards, half
failures, half countermeasures), unjudged and fully judged:
1. writes the session with bench/make_big_session.py (``--judged`` all failures
   for the judged one) and makes the priority phase current;
2. in-app, under Textual's run_test: focuses the undecided column and presses
   ``L`` (the focused card is decided "now"), then ``h`` back, again and again,
   timing the ``L`` presses from the key to the first refresh after its action
   ran, and how much of that the session service's ``decide`` (the store's
   write and renumbering) and the coverage panel took;
3. prints one row per session.

Run:  python bench/priority_bench.py [--sizes 1000,10000] [--presses 20] [--profile]
(``--profile DIR`` prints the 25 costliest functions of the L presses per session and
keeps their cProfile figures in DIR, for pstats.)
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_session import make_session  # noqa: E402
from run_bench import pct, timed  # noqa: E402

TARGET_MS = 100.0


class Stopwatch:
    """Adds up the time spent in one method while it is wrapped."""

    def __init__(self, owner: type, name: str) -> None:
        self.owner, self.name, self.total = owner, name, 0.0
        self.original = getattr(owner, name)

    def __enter__(self) -> Stopwatch:
        original, watch = self.original, self

        def wrapped(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                watch.total += time.perf_counter() - t0
        setattr(self.owner, self.name, wrapped)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.owner, self.name, self.original)

    def take(self) -> float:
        """ms since the last take."""
        ms, self.total = self.total * 1000, 0.0
        return ms


async def press_L(app, presses: int, profile: cProfile.Profile | None) -> dict[str, list[float]]:
    from premortem_tui.store.service import SessionService
    from premortem_tui.ui.widgets.card_column import CardColumn
    from premortem_tui.ui.widgets.coverage import CoveragePanel

    out: dict[str, list[float]] = {"refresh": [], "wall": [], "decide": [], "coverage": []}
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.perf_counter() + 60
        while not isinstance(app.focused, CardColumn) and time.perf_counter() < deadline:
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        with Stopwatch(SessionService, "decide") as decide, Stopwatch(CoveragePanel, "show") as show:
            for _ in range(presses):
                column = app.focused
                if not isinstance(column, CardColumn) or column.key != "undecided":
                    await pilot.press("h")  # back to the undecided column
                    await pilot.pause()
                assert isinstance(app.focused, CardColumn) and app.focused.key == "undecided", app.focused
                decide.take(), show.take()
                app.displays.clear()
                app.action_done = 0.0
                t0 = time.perf_counter()
                if profile is not None:
                    profile.enable()
                await pilot.press("L")
                await pilot.pause()
                if profile is not None:
                    profile.disable()
                t1 = time.perf_counter()
                shown = next((t for t in app.displays if app.action_done and t >= app.action_done), None)
                assert app.focused.key == "now", app.focused.key  # the card went to "now", the focus with it
                out["wall"].append((t1 - t0) * 1000)
                if shown is not None:
                    out["refresh"].append((shown - t0) * 1000)
                out["decide"].append(decide.take())
                out["coverage"].append(show.take())
    return out


def measure(path: str, presses: int, profile: str | None) -> dict[str, list[float]]:
    from premortem_tui.domain.timer import SystemClock
    from premortem_tui.ui.app import PremortemApp
    from premortem_tui.ui.launch import open_model

    clock = SystemClock()
    model = open_model(path, clock=clock)
    model.service  # opened, as it is in the terminal by the time anyone decides
    model.go_to_phase("priority")
    app = timed(PremortemApp)(model, clock=clock)
    prof = cProfile.Profile() if profile else None
    result = asyncio.run(press_L(app, presses, prof))
    if prof is not None:
        prof.dump_stats(os.path.join(profile, Path(path).stem + ".prof"))
        pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="cards per session, comma-separated")
    ap.add_argument("--presses", type=int, default=20, help="L presses per session")
    ap.add_argument("--profile", metavar="DIR", help="print where the L presses spent their time; keep it in DIR")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="premortem-priority-") as work:
        os.environ["PREMORTEM_HOME"] = os.path.join(work, "home")  # recent files stay out of the user's store
        for cards in sizes:
            for judged in (False, True):
                path = os.path.join(work, f"{cards}-{'judged' if judged else 'unjudged'}.premortem")
                make_session(path, cards, judged)
                print(f"measuring {Path(path).name} ...", file=sys.stderr, flush=True)
                rows.append((cards, judged, measure(path, a.presses, a.profile)))
    print(f"\ndeciding an undecided countermeasure now (L), in-app, 120x40, {a.presses} presses per session")
    print(f"{'cards':>7} {'judged':<9}{'refresh p50':>12}{'p90':>8}{'decide p50':>12}{'coverage p50':>14}  "
          f"target p90 < {TARGET_MS:.0f} ms")
    for cards, judged, r in rows:
        p90 = pct(r["refresh"], 90)
        print(f"{cards:>7} {'all' if judged else 'none':<9}{pct(r['refresh'], 50):>12.1f}{p90:>8.1f}"
              f"{pct(r['decide'], 50):>12.1f}{pct(r['coverage'], 50):>14.1f}  "
              f"{'ok' if p90 < TARGET_MS else 'MISSED'}")
    print("ms; refresh: key sent to the first refresh after its action ran; decide: the session service's "
          "write and renumbering; coverage: CoveragePanel.show")
    return 0


if __name__ == "__main__":
    sys.exit(main())
