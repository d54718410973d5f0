"""The report: `r` on the board, and `premortem export --format md` (issue 15, section 6: the report).

Not part of the test run.  For each size (default 1,000 and 10,000 cards, half
failures, half countermeasures), unjudged and fully judged:
1. writes the session with bench/make_big_session.py (``--judged`` all failures
   for the judged one);
2. in-app, under Textual's run_test at 120x40: presses ``r`` on the board and
   times, from the key, the first refresh showing the report screen ("opens":
   how long the board is frozen) and the first refresh with the report's text
   painted ("painted"); then ``escape`` and ``r`` again with nothing changed
   ("again": the cached report);
3. times ``premortem export --format md FILE -o OUT`` as a user runs it (a new
   process each time, the best of ``--runs``);
4. prints one row per session.

Run:  python bench/report_bench.py [--sizes 1000,10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_session import make_session  # noqa: E402

TARGET_MS = 100.0
EXPORT_TARGET_S = 0.5


def _painted(app) -> bool:
    """The report screen is up and its view holds the report's lines."""
    from premortem_tui.ui.screens.report import ReportScreen
    from premortem_tui.ui.widgets.report_view import ReportView

    screen = app.screen
    if not isinstance(screen, ReportScreen):
        return False
    views = screen.query(ReportView)
    return bool(views) and views.first().virtual_size.height > 1


def report_app(app_class: type) -> type:
    """A subclass that stamps each refresh: whether the report screen was up, and painted."""
    from premortem_tui.ui.screens.report import ReportScreen

    class Stamped(app_class):  # type: ignore[misc, valid-type]
        refreshes: list[tuple[float, bool, bool]] = []

        def post_display_hook(self) -> None:
            self.refreshes.append((time.perf_counter(), isinstance(self.screen, ReportScreen), _painted(self)))

    Stamped.refreshes = []
    return Stamped


async def press_r(app) -> dict[str, float]:
    from premortem_tui.ui.screens.board import BoardScreen

    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.perf_counter() + 60
        while not isinstance(app.screen, BoardScreen) and time.perf_counter() < deadline:
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        for name in ("first", "again"):
            app.refreshes.clear()
            t0 = time.perf_counter()
            await pilot.press("r")
            deadline = t0 + 120
            while not any(painted for _t, _up, painted in app.refreshes) and time.perf_counter() < deadline:
                await pilot.pause(0.005)
            out[f"{name} opens"] = next(t for t, up, _p in app.refreshes if up) - t0
            out[f"{name} painted"] = next(t for t, _up, painted in app.refreshes if painted) - t0
            await pilot.press("escape")
            await pilot.pause(0.2)
    return {k: v * 1000 for k, v in out.items()}


def measure_app(path: str) -> dict[str, float]:
    from premortem_tui.domain.timer import SystemClock
    from premortem_tui.ui.app import PremortemApp
    from premortem_tui.ui.launch import open_model

    clock = SystemClock()
    model = open_model(path, clock=clock)
    model.service  # opened, as it is in the terminal by the time anyone asks for the report
    return asyncio.run(press_r(report_app(PremortemApp)(model, clock=clock)))


def measure_export(path: str, runs: int) -> float:
    """Seconds, best of ``runs``, for the command a user types."""
    script = Path(sys.executable).with_name("premortem")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "premortem_tui.cli"]
    best = float("inf")
    for n in range(runs):
        out = f"{path}.{n}.md"
        t0 = time.perf_counter()
        subprocess.run([*cmd, "export", path, "--format", "md", "-o", out], check=True, capture_output=True)
        best = min(best, time.perf_counter() - t0)
        os.remove(out)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="cards per session, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="export runs per session (the best is shown)")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="premortem-report-") as work:
        os.environ["PREMORTEM_HOME"] = os.path.join(work, "home")  # recent files stay out of the user's store
        for cards in [int(s) for s in a.sizes.split(",")]:
            for judged in (False, True):
                path = os.path.join(work, f"{cards}-{'judged' if judged else 'unjudged'}.premortem")
                make_session(path, cards, judged)
                print(f"measuring {Path(path).name} ...", file=sys.stderr, flush=True)
                rows.append((cards, judged, measure_app(path), measure_export(path, a.runs)))
    print("\nthe report: r on the board (in-app, 120x40) and premortem export --format md")
    print(f"{'cards':>7} {'judged':<7}{'opens':>9}{'painted':>10}{'again opens':>13}{'again painted':>15}"
          f"{'export s':>10}  targets: opens < {TARGET_MS:.0f} ms, export < {EXPORT_TARGET_S} s")
    for cards, judged, r, export in rows:
        ok = r["first opens"] < TARGET_MS and r["again painted"] < TARGET_MS and export < EXPORT_TARGET_S
        print(f"{cards:>7} {'all' if judged else 'none':<7}{r['first opens']:>9.0f}{r['first painted']:>10.0f}"
              f"{r['again opens']:>13.0f}{r['again painted']:>15.0f}{export:>10.2f}  {'ok' if ok else 'MISSED'}")
    print("ms from the key; opens: the first refresh showing the report screen (the board is frozen until "
          "then); painted: the first with the report's text; again: escape, then r with nothing changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
