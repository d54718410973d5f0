"""The first change after the board appears, and quitting right after it appears (issue 15, section 6).

Not part of the test run. Each run is a fresh process (the way a user starts the app, bytecode
compiled beforehand) that opens a big session headless at 120x40 and, at the board's first paint:

- ``change``: presses space (start the phase's timer: one committed write) and polls the file
  from another connection until the write is there;
- ``quit``: presses q.

It prints, per case, the medians of: launch to first paint, first paint to the change committed
(``change``), and first paint to the process gone (``quit``). First paint in a real terminal is
bench/run_bench.py's; this one is headless, for the paint-to-change time.

Run:  python bench/first_change_bench.py [--session BIG.premortem] [--runs 5]
(To time another copy of the package, run it from outside any checkout with PYTHONPATH=COPY:
the child runs with ``-c``, which puts the current directory first on its path.)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sqlite3, sys, threading, time
case, path = sys.argv[1], sys.argv[2]
from premortem_tui.domain.timer import SystemClock
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.app import PremortemApp
from premortem_tui.ui.settings import Settings
from premortem_tui.ui.widgets.card_column import CardColumn

marks = {}

def committed(app):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    while True:
        row = conn.execute("SELECT phase.running_since FROM phase JOIN session "
                           "ON phase.key = session.current_phase").fetchone()
        if row[0] is not None:
            marks["change"] = time.time()
            app.call_from_thread(app.exit)
            return
        time.sleep(0.002)

class Timed(PremortemApp):
    def post_display_hook(self):
        if "paint" not in marks and isinstance(self.focused, CardColumn):
            marks["paint"] = time.time()
            if case == "change":
                threading.Thread(target=committed, args=(self,), daemon=True).start()
                self.call_later(self.simulate_key, "space")
            else:
                self.call_later(self.simulate_key, "q")

clock = SystemClock()
app = Timed(open_model(path, clock=clock), clock=clock, settings=Settings())
app.run(headless=True, size=(120, 40))
marks["returned"] = time.time()
print(json.dumps(marks), flush=True)
"""


def one(case: str, session: str, env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    r = subprocess.run([sys.executable, "-c", CHILD, case, session], capture_output=True, text=True, env=env,
                       timeout=120)
    gone = time.time()
    if r.returncode:
        sys.exit(f"{case}: the app failed ({r.returncode}):\n{r.stderr[-2000:]}")
    marks = json.loads(r.stdout.strip().splitlines()[-1])
    out = {"paint": (marks["paint"] - start) * 1000, "gone": (gone - marks["paint"]) * 1000}
    if "change" in marks:
        out["change"] = (marks["change"] - marks["paint"]) * 1000
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--session", help="a big session (default: 10,000 cards from make_big_session.py)")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="premortem-first-change-")
    try:
        env = {**os.environ, "PREMORTEM_HOME": os.path.join(work, "home")}
        source = a.session or os.path.join(work, "big.premortem")
        if a.session is None:
            subprocess.run([sys.executable, str(ROOT / "bench" / "make_big_session.py"), source], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        import compileall

        import premortem_tui

        compileall.compile_dir(str(Path(premortem_tui.__file__).parent), quiet=1)
        results: dict[str, dict[str, list[float]]] = {"change": {}, "quit": {}}
        for n in range(a.runs):
            for case in results:
                session = os.path.join(work, f"run-{case}-{n}.premortem")
                shutil.copyfile(source, session)  # each run starts from the same, untouched file
                for key, ms in one(case, session, env).items():
                    results[case].setdefault(key, []).append(ms)
        print(f"first change and quit after the first paint ({Path(source).name}, {a.runs} runs, medians, "
              f"headless 120x40)")
        med = lambda xs: statistics.median(xs)  # noqa: E731
        print(f"  launch to first paint        {med(results['change']['paint'] + results['quit']['paint']):8.0f} ms")
        print(f"  first paint to space committed {med(results['change']['change']):6.0f} ms"
              f"   (max {max(results['change']['change']):.0f})")
        print(f"  first paint to q: process gone {med(results['quit']['gone']):6.0f} ms"
              f"   (max {max(results['quit']['gone']):.0f})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
