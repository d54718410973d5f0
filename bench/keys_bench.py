"""Every key of issue 15 section 6, and the commands, at growing sizes (issue 15, section 6).

Not part of the test run.  For each size (default 1,000 and 10,000 cards; ``--big``
adds 50,000, which takes several minutes), unjudged and fully judged:
1. writes the session with bench/make_big_session.py (and keeps its JSON document);
2. in-app, under Textual's run_test at 120x40, in the failures phase: presses each key
   ``--presses`` times and times it from the key to the first refresh at which its
   result is shown ("in-app"): j, l (h back between presses, not timed), ] (the next
   phase; [ back, not timed), a and e (the form painted; escape, timed as "esc form"),
   x then u, r (the report screen shown) and escape back to the board, D (the since
   view shown; escape back, not timed); then in the priority phase L on an undecided
   countermeasure (h back, not timed);
3. times the commands as a user runs them (a new process each): ``export --format md``,
   ``import`` of the JSON document into a new file, ``carry``; and the coverage roll-up
   (domain.scoring.coverage) in-process;
4. prints one table: p50 and p90 per key and session, the commands in seconds; anything
   over its target (keys 100 ms) is marked with ``!``.

Run:  python bench/keys_bench.py [--sizes 1000,10000] [--big] [--presses 10] [--keys j,l,a]
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
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_session import make_session  # noqa: E402
from run_bench import pct  # noqa: E402

TARGET_MS = 100.0
KEYS = ("j", "l", "]", "a", "esc form", "e", "x", "u", "L", "r", "esc report", "D")


def stamped(app_class: type) -> type:
    """A subclass that stamps each refresh with the screen then shown and whether a key's action
    had run and no rebuild was pending, so that a key's result can be told from the frames before it."""

    class Stamped(app_class):  # type: ignore[misc, valid-type]
        action_done = 0.0
        frames: list[tuple[float, str, bool]] = []

        async def run_action(self, *args, **kwargs):
            result = await super().run_action(*args, **kwargs)
            self.action_done = time.perf_counter()
            return result

        def post_display_hook(self) -> None:
            settled = bool(self.action_done) and not any(
                w.group == "rebuild" and not w.is_finished for w in self.workers)
            self.frames.append((time.perf_counter(), type(self.screen).__name__, settled))

    Stamped.frames = []
    return Stamped


async def timed_key(pilot, app, key: str, shown: Callable[[str, bool], bool], timeout: float = 60.0) -> float:
    """ms from sending ``key`` to the first refresh for which ``shown(screen name, settled)`` holds."""
    app.frames.clear()
    app.action_done = 0.0
    t0 = time.perf_counter()
    await pilot.press(key)
    while time.perf_counter() - t0 < timeout:
        hit = next((t for t, screen, settled in app.frames if shown(screen, settled)), None)
        if hit is not None:
            return (hit - t0) * 1000
        await pilot.pause(0.002)
    raise TimeoutError(f"{key}: nothing shown within {timeout} s")


def on(name: str) -> Callable[[str, bool], bool]:
    return lambda screen, _settled: screen == name


def board_done(screen: str, settled: bool) -> bool:
    return screen == "BoardScreen" and settled


async def settle(pilot, app, seconds: float = 0.3) -> None:
    await pilot.pause(seconds)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def board_in_failures(pilot, app, *, first: float = 0.5, then: float = 0.3):
    """Wait for the board (the service opens after the first paint), settle, go to the failures
    phase and settle again; the board screen."""
    deadline = time.perf_counter() + 120
    while type(app.screen).__name__ != "BoardScreen" and time.perf_counter() < deadline:
        await pilot.pause(0.05)
    await settle(pilot, app, first)
    board = app.screen
    await board.go_to_phase("failures")
    await settle(pilot, app, then)
    return board


async def play_keys(app, presses: int, wanted: set[str]) -> dict[str, list[float]]:
    from premortem_tui.ui.widgets.card_column import CardColumn

    out: dict[str, list[float]] = {k: [] for k in KEYS}
    async with app.run_test(size=(120, 40)) as pilot:
        board = await board_in_failures(pilot, app)

        async def key(name: str, shown=board_done, then: str | None = None, label: str | None = None) -> None:
            out[label or name].append(await timed_key(pilot, app, name, shown))
            await settle(pilot, app, 0.05)
            if then:
                await pilot.press(then)
                await settle(pilot, app, 0.05)

        for _ in range(presses):
            if "j" in wanted:
                await key("j")
            if "l" in wanted:
                await key("l", then="h")
        for _ in range(presses):
            if "]" in wanted:
                await key("]", then="[")
            if "a" in wanted:
                await key("a", on("CardForm"))
                await key("escape", board_done, label="esc form")
            if "e" in wanted:
                await key("e", on("CardForm"), then="escape")
            if "x" in wanted:
                await key("x")
                await key("u")
            if "r" in wanted:
                await key("r", on("ReportScreen"))
                await key("escape", board_done, label="esc report")
            if "D" in wanted:
                await key("D", on("SinceLastTimeScreen"), then="escape")
        if "L" in wanted:
            await board.go_to_phase("priority")
            await settle(pilot, app)
            for _ in range(presses):
                for _h in range(8):
                    column = app.focused
                    if isinstance(column, CardColumn) and column.key == "undecided":
                        break
                    await pilot.press("h")
                    await settle(pilot, app, 0.02)
                await key("L")
    return out


def measure_app(path: str, presses: int, wanted: set[str]) -> dict[str, list[float]]:
    from premortem_tui.domain.timer import SystemClock
    from premortem_tui.ui.app import PremortemApp
    from premortem_tui.ui.launch import open_model

    clock = SystemClock()
    model = open_model(path, clock=clock)
    model.service  # opened, as it is in the terminal by the time anyone presses a key
    return asyncio.run(play_keys(stamped(PremortemApp)(model, clock=clock), presses, wanted))


def premortem(*args: str) -> float:
    """Seconds of one ``premortem`` command in a new process; exits on a failure."""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", "import sys; from premortem_tui.cli import main; sys.exit(main())",
                        *args], capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"premortem {' '.join(args)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return time.perf_counter() - t0


def measure_commands(path: str, doc: str, work: str) -> dict[str, float]:
    from premortem_tui.domain.scoring import coverage
    from premortem_tui.store.reader import read_inspected

    md, new, nxt = (os.path.join(work, name) for name in ("out.md", "new.premortem", "next.premortem"))
    out = {"export md": premortem("export", path, "--format", "md", "-o", md),
           "import": premortem("import", new, doc),
           "carry": premortem("carry", path, nxt)}
    for p in (md, new, nxt):
        os.remove(p)
    w = read_inspected(path)
    t0 = time.perf_counter()
    coverage(w.failures, w.countermeasures)
    out["coverage"] = time.perf_counter() - t0
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000", help="cards per session, comma-separated")
    ap.add_argument("--big", action="store_true", help="add 50,000 cards (several minutes)")
    ap.add_argument("--presses", type=int, default=10, help="presses per key and session")
    ap.add_argument("--keys", default=",".join(k for k in KEYS if not k.startswith("esc ")),
                    help="the keys to time, comma-separated (escape comes with a and r)")
    ap.add_argument("--no-commands", action="store_true", help="skip export, import, carry and coverage")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")] + ([50_000] if a.big else [])
    wanted = set(a.keys.split(","))
    rows = []
    with tempfile.TemporaryDirectory(prefix="premortem-keys-") as work:
        os.environ["PREMORTEM_HOME"] = os.path.join(work, "home")  # recent files stay out of the user's store
        for cards in sizes:
            for judged in (False, True):
                name = f"{cards}-{'judged' if judged else 'unjudged'}"
                path, doc = os.path.join(work, f"{name}.premortem"), os.path.join(work, f"{name}.json")
                make_session(path, cards, judged, json_path=doc, quiet=True)
                print(f"measuring {name} ...", file=sys.stderr, flush=True)
                keys = measure_app(path, a.presses, wanted)
                commands = {} if a.no_commands else measure_commands(path, doc, work)
                rows.append((cards, judged, keys, commands))
                os.remove(path)
    print(f"\nin-app ms from the key to the refresh showing its result, 120x40, {a.presses} presses; "
          f"p50/p90; ! = p90 over {TARGET_MS:.0f} ms")
    shown = [k for k in KEYS if any(r[2][k] for r in rows)]
    print(f"{'cards':>7} {'judged':<7}" + "".join(f"{k:>12}" for k in shown))
    for cards, judged, keys, _c in rows:
        cells = []
        for k in shown:
            p50, p90 = pct(keys[k], 50), pct(keys[k], 90)
            cells.append(f"{p50:.0f}/{p90:.0f}{'!' if p90 > TARGET_MS else ' '}" if keys[k] else "-")
        print(f"{cards:>7} {'all' if judged else 'none':<7}" + "".join(f"{c:>12}" for c in cells))
    if not a.no_commands:
        print("\ncommands, seconds (a new process each; coverage in-process), and seconds per 1,000 cards")
        names = ("export md", "import", "carry", "coverage")
        print(f"{'cards':>7} {'judged':<7}" + "".join(f"{n:>18}" for n in names))
        for cards, judged, _k, commands in rows:
            print(f"{cards:>7} {'all' if judged else 'none':<7}"
                  + "".join(f"{commands[n]:>9.2f} ({commands[n] / cards * 1000:.3f})" for n in names))
    print("esc form: escape on the add form, back to the board; esc report: escape on the report; "
          "x and u, L: to the board refreshed with the change")
    return 0


if __name__ == "__main__":
    sys.exit(main())
