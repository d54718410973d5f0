"""Speed figures with 10,000 cards, as ratios to the bare Textual app (PRODUCT.md, "Speed, and how it is measured").

Not part of the test run.  In one run it:
1. writes the big session (bench/make_big_session.py) unless --session is given;
2. compiles the package's bytecode, as an install does (see measure());
3. measures the bare app and `premortem BIG.premortem` in a real terminal with the
   shared tui_latency.py (first paint, key latency for j, and for l across columns, RSS);
4. measures in-app, under Textual's run_test: the time of
   `await pilot.press(key); await pilot.pause()`, and the time from sending the
   key to the first refresh after its action ran, for both apps;
5. prints a table with our ratios to the bare app against the targets.

Run:  python bench/run_bench.py [--runs 5] [--presses 20] [--session BIG.premortem] [--tools-dir DIR]
(with the project's virtualenv python; the shared tui_latency.py says what it needs).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_READY = r"Card 2-0"  # the third column's first card
# A failures-board column title with its count, then a card's top border right below it.
BOARD_READY = r"^ \S.*\(\d+\).*\n[╭┏][─━]"
TARGETS = {"paint": 1.5, "key_p90": 1.2, "rss": 2.5, "in_app_ms": 50.0}


def pct(xs: list[float], q: float) -> float:
    """Nearest-rank percentile, as the shared tui_latency.py computes it; nan for no values."""
    if not xs:
        return math.nan
    s = sorted(xs)
    return s[max(0, min(len(s), math.ceil(q / 100 * len(s))) - 1)]


def latency(tools: Path, label: str, ready: str, key: str, presses: int, runs: int, size: str,
            env: dict[str, str], cmd: list[str]) -> dict:
    """One call of the shared tui_latency.py; its JSON line."""
    argv = [sys.executable, str(tools / "tui_latency.py"), "--ready", ready, "--size", size, "--key", key,
            "--presses", str(presses), "--runs", str(runs), "--timeout", "60", "--label", label,
            *(f"--env={k}={v}" for k, v in env.items()), "--", *cmd]
    print(f"  {label} ...", file=sys.stderr, flush=True)
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"{label}: tui_latency.py failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# -- in-app: key event to refresh, under run_test --------------------------------------------------

def timed(app_class: type) -> type:
    """A subclass that stamps when a key's action has run and when the screen was refreshed."""

    class Timed(app_class):  # type: ignore[misc, valid-type]
        action_done = 0.0
        displays: list[float] = []

        async def run_action(self, *args, **kwargs):
            result = await super().run_action(*args, **kwargs)
            self.action_done = time.perf_counter()
            return result

        def post_display_hook(self) -> None:
            self.displays.append(time.perf_counter())

    Timed.displays = []
    return Timed


async def in_app(app, keys: dict[str, str], size: tuple[int, int], ready) -> dict[str, dict[str, list[float]]]:
    """Per series (name: keys pressed in turn): ms for press+pause, and ms from sending
    the key to the first refresh after its action ran."""
    out: dict[str, dict[str, list[float]]] = {}
    async with app.run_test(size=size) as pilot:
        deadline = time.perf_counter() + 60
        while not ready(app) and time.perf_counter() < deadline:
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        for name, sequence in keys.items():
            wall, refresh = [], []
            for n in range(app.in_app_presses):
                key = sequence[n % len(sequence)]
                t0 = time.perf_counter()
                app.action_done = 0.0
                await pilot.press(key)
                await pilot.pause()
                t1 = time.perf_counter()
                shown = next((t for t in app.displays if app.action_done and t >= app.action_done), None)
                wall.append((t1 - t0) * 1000)
                if shown is not None:
                    refresh.append((shown - t0) * 1000)
                app.displays.clear()
            out[name] = {"wall": wall, "refresh": refresh}
    return out


def in_app_bare(tools: Path, presses: int, size: tuple[int, int]):
    spec = importlib.util.spec_from_file_location("bare_app", tools / "bare_app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    app = timed(module.Bare)()
    app.in_app_presses = presses
    return asyncio.run(in_app(app, {"j": "j"}, size, lambda a: a.focused is not None or bool(a.query("Card"))))


def in_app_premortem(path: str, presses: int, size: tuple[int, int]):
    from premortem_tui.domain.timer import SystemClock
    from premortem_tui.ui.app import PremortemApp
    from premortem_tui.ui.launch import open_model
    from premortem_tui.ui.widgets.card_column import CardColumn

    clock = SystemClock()
    model = open_model(path, clock=clock)
    model.service  # let the session service finish opening in its thread, as it has in the terminal runs by then
    app = timed(PremortemApp)(model, clock=clock)
    app.in_app_presses = presses
    # Across the 12 service columns and back: l eleven times, then h eleven times.
    series = {"j": "j", "l": "l" * 11 + "h" * 11}
    return asyncio.run(in_app(app, series, size, lambda a: isinstance(a.focused, CardColumn)))


# -- the table -----------------------------------------------------------------------------------------

def row(name: str, bare: float | None, ours: float, target: str = "", limit: float | None = None,
        ratio: bool = True) -> str:
    r = ours / bare if bare and ratio else None
    check = ""
    if limit is not None:
        value = r if ratio else ours
        check = "ok" if value is not None and value <= limit else "MISSED"
    b = f"{bare:10.1f}" if bare is not None else f"{'':>10}"
    rs = f"{r:6.2f}x" if r is not None else f"{'':>7}"
    return f"{name:<34}{b}{ours:11.1f}{rs:>9}  {target:<9}{check}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tools-dir", default=str(ROOT.parent / "shared" / "tools"),
                    help="where tui_latency.py and bare_app.py are (default: ../shared/tools)")
    ap.add_argument("--session", help="a big session file (default: write one with make_big_session.py)")
    ap.add_argument("--runs", type=int, default=5, help="first-paint runs per app")
    ap.add_argument("--presses", type=int, default=20, help="key presses per terminal measurement")
    ap.add_argument("--in-app-presses", type=int, default=50)
    ap.add_argument("--size", default="120x40")
    a = ap.parse_args()
    tools = Path(a.tools_dir)
    if not (tools / "tui_latency.py").is_file():
        ap.error(f"no tui_latency.py in {tools} (use --tools-dir)")
    work = tempfile.mkdtemp(prefix="premortem-bench-")
    try:
        return measure(a, tools, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(a: argparse.Namespace, tools: Path, work: str) -> int:
    env = {"PREMORTEM_HOME": os.path.join(work, "home")}  # recent files and settings stay out of the user's store
    os.environ.update(env)
    session = a.session
    if session is None:
        session = os.path.join(work, "big.premortem")
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_big_session.py"), session], check=True,
                       stdout=subprocess.DEVNULL)
    premortem = shutil.which("premortem", path=str(Path(sys.executable).parent)) or "premortem"
    # As `pip install .` does: the package's bytecode compiled beforehand. An editable install under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start (Textual's own
    # modules, in site-packages, were compiled when it was installed).
    import compileall

    import premortem_tui

    compileall.compile_dir(str(Path(premortem_tui.__file__).parent), quiet=1)
    cols, rows = (int(x) for x in a.size.lower().split("x"))

    print(f"measuring in a terminal of {a.size}: {a.runs} first paints each, {a.presses} presses", file=sys.stderr)
    bare = latency(tools, "bare j", BARE_READY, "j", a.presses, a.runs, a.size, env,
                   [sys.executable, str(tools / "bare_app.py")])
    ours = latency(tools, "premortem j", BOARD_READY, "j", a.presses, a.runs, a.size, env, [premortem, session])
    # 12 service columns: 11 moves to the right before l has nothing left to do.
    across = latency(tools, "premortem l", BOARD_READY, "l", min(a.presses, 11), 2, a.size, env,
                     [premortem, session])
    print("measuring in-app (run_test, headless)", file=sys.stderr)
    bare_in = in_app_bare(tools, a.in_app_presses, (cols, rows))
    ours_in = in_app_premortem(session, a.in_app_presses, (cols, rows))

    print(f"\nspeed with {Path(session).name} (terminal {a.size}, {a.runs} runs, {a.presses} presses; "
          f"in-app {a.in_app_presses} presses)")
    print(f"{'':<34}{'bare':>10}{'premortem':>11}{'ratio':>9}  {'target':<9}")
    print(row("first paint median (ms)", bare["first_paint_ms"]["median"], ours["first_paint_ms"]["median"],
              "<= 1.5x", TARGETS["paint"]))
    print(row("key j p50 (ms)", bare["key_median_ms"], ours["key_median_ms"]))
    print(row("key j p90 (ms)", bare["key_p90_ms"], ours["key_p90_ms"], "<= 1.2x", TARGETS["key_p90"]))
    print(row("key l p50 (ms)", bare["key_median_ms"], across["key_median_ms"]))
    print(row("key l p90 (ms)", bare["key_p90_ms"], across["key_p90_ms"], "<= 1.2x", TARGETS["key_p90"]))
    print(row("RSS (MB)", bare["rss_mb"], ours["rss_mb"], "<= 2.5x", TARGETS["rss"]))
    for key, label in (("j", "j"), ("l", "l/h")):
        b = bare_in["j"]
        o = ours_in[key]
        for q in (50, 90):
            print(row(f"in-app {label} key->refresh p{q} (ms)", pct(b["refresh"], q), pct(o["refresh"], q),
                      "< 50 ms" if q == 90 else "", TARGETS["in_app_ms"] if q == 90 else None, ratio=False))
        for q in (50, 90):
            print(row(f"in-app {label} press+pause p{q} (ms)", pct(b["wall"], q), pct(o["wall"], q), ratio=False))
    print(f"\nfirst paints (ms): bare {bare['first_paint_ms']['all']}, premortem {ours['first_paint_ms']['all']}")
    print(f"idle before keys: bare {bare['idle_changes_1s']} changes/{bare['idle_cpu_pct']}% cpu, premortem "
          f"{ours['idle_changes_1s']} changes/{ours['idle_cpu_pct']}% cpu; key timeouts: bare "
          f"{bare['key_timeouts']}, j {ours['key_timeouts']}, l {across['key_timeouts']}; "
          f"poll cost {ours['poll_cost_ms']} ms")
    print(f"key settled (last change) median ms: bare {bare.get('key_done_median_ms')}, "
          f"j {ours.get('key_done_median_ms')}, l {across.get('key_done_median_ms')}")
    print("in-app bare figures are for the bare app's j; press+pause includes the test pilot's idle waits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
