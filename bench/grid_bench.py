"""Moving a card one cell on the impact grid, with 2,000 judged failures (issue: the impact grid).

Not part of the test run.  In one run it:
1. writes the big session with 2,000 judged failures, the impact phase current
   (bench/make_big_session.py --judged 2000), unless --session is given;
2. in a real terminal (tmux 120x40): starts the app, focuses the grid (l), then
   presses L and H in turn (the focused card moves one cell right, then back),
   timing send-keys -> pane changed, as the shared tui_latency.py does (capture
   with colours, 5 ms polls); the bare app is measured the same way with j/k;
3. in-app, under run_test: the time from the key to the first refresh after its
   action ran, for the same L/H presses, and checks that the weights panel
   changed with the move (same frame: it is redrawn in the handler of the key).

Run:  python bench/grid_bench.py [--presses 20] [--session F] [--tools-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_bench import in_app, pct, timed  # noqa: E402

HERE = Path(__file__).resolve().parent


class Pane:
    """A private tmux server with one pane running ``cmd``."""

    def __init__(self, cmd: list[str], env: dict[str, str], size: str = "120x40") -> None:
        self.sock = os.path.join(tempfile.gettempdir(), f"grid-bench-{uuid.uuid4().hex[:8]}.sock")
        width, height = size.split("x")
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        line = f"env -u COLUMNS -u LINES {exports} {' '.join(cmd)}"
        self.tmux("new-session", "-d", "-s", "g", "-x", width, "-y", height, line)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-f", "/dev/null", "-S", self.sock, *args], capture_output=True,
                              text=True).stdout

    def capture(self) -> str:
        return self.tmux("capture-pane", "-p", "-e", "-t", "g")

    def wait_for(self, text: str, timeout: float = 60) -> float:
        start = time.perf_counter()
        while text not in self.tmux("capture-pane", "-p", "-t", "g"):
            if time.perf_counter() - start > timeout:
                raise SystemExit(f"{text!r} never appeared")
            time.sleep(0.01)
        return time.perf_counter() - start

    def press(self, key: str) -> float | None:
        """ms from send-keys until the pane changes, then wait until it has been still for 300 ms."""
        before = self.capture()
        start = time.perf_counter()
        self.tmux("send-keys", "-t", "g", key)
        changed = None
        while time.perf_counter() - start < 3:
            if self.capture() != before:
                changed = (time.perf_counter() - start) * 1000
                break
            time.sleep(0.005)
        last, still = self.capture(), time.perf_counter()
        while time.perf_counter() - still < 0.3:
            now = self.capture()
            if now != last:
                last, still = now, time.perf_counter()
            time.sleep(0.01)
        return changed

    def close(self) -> None:
        self.tmux("kill-server")


def terminal(cmd: list[str], env: dict[str, str], ready: str, prepare: list[str], keys: str,
             presses: int) -> list[float]:
    pane = Pane(cmd, env)
    try:
        pane.wait_for(ready)
        time.sleep(1.0)
        for key in prepare:
            pane.press(key)
        times = [pane.press(keys[n % len(keys)]) for n in range(presses)]
        return [t for t in times if t is not None]
    finally:
        pane.close()


def in_app_grid(path: str, presses: int) -> dict[str, list[float]]:
    from premortem_tui.domain.timer import SystemClock
    from premortem_tui.ui.app import PremortemApp
    from premortem_tui.ui.launch import open_model
    from premortem_tui.ui.widgets.impact_grid import ImpactGrid
    from premortem_tui.ui.widgets.impact_phase import WeightsPanel

    clock = SystemClock()
    model = open_model(path, clock=clock)
    model.service  # opened, as it is in the terminal by the time anyone presses a key
    app = timed(PremortemApp)(model, clock=clock)
    app.in_app_presses = presses
    weights_changed = []

    async def run() -> dict[str, dict[str, list[float]]]:
        original = WeightsPanel.show

        def show(panel, failures):  # the weights redraw inside the key's own handler
            before = str(panel.content)
            original(panel, failures)
            weights_changed.append(str(panel.content) != before)
        WeightsPanel.show = show
        try:
            series = {"prepare": "l", "L/H": "HL"}
            return await in_app(app, series, (120, 40), lambda a: isinstance(a.focused, (ImpactGrid,)) or
                                bool(a.screen.query(ImpactGrid)))
        finally:
            WeightsPanel.show = original

    out = asyncio.run(run())["L/H"]
    out["weights_changed"] = [float(x) for x in weights_changed]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("--session", help="a session with judged failures (default: written by make_big_session.py)")
    ap.add_argument("--tools-dir", default=str(HERE.parent.parent / "shared" / "tools"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="premortem-grid-") as work:
        session = a.session or os.path.join(work, "grid.premortem")
        if not a.session:
            subprocess.run([sys.executable, str(HERE / "make_big_session.py"), session, "--judged", "2000"],
                           check=True)
        env = {"PREMORTEM_HOME": os.path.join(work, "home"), "TERM": "xterm-256color"}
        premortem = str(Path(sys.executable).with_name("premortem"))
        bare = terminal([sys.executable, str(Path(a.tools_dir) / "bare_app.py")], env, "Card 0-0", [], "jk",
                        a.presses)
        ours = terminal([premortem, session], env, "Not judged yet", ["l"], "HL", a.presses)
        inapp = in_app_grid(session, a.presses)
    print("\nmoving a card one cell on the grid (2,000 judged failures; tmux 120x40)")
    print(f"{'':34}{'bare':>8}{'grid':>9}{'ratio':>8}  target")
    for q in (50, 90):
        b, o = pct(bare, q), pct(ours, q)
        target = "<= 1.2x" if q == 90 else ""
        print(f"{f'key p{q} (ms)':34}{b:8.1f}{o:9.1f}{o / b:7.2f}x  {target}")
    for q in (50, 90):
        print(f"{f'in-app key->refresh p{q} (ms)':34}{'':8}{pct(inapp['refresh'], q):9.1f}{'':8}  "
              f"{'< 50 ms' if q == 90 else ''}")
    changed = inapp["weights_changed"]
    print(f"weights redrawn in the key's own frame: {sum(changed):.0f} of {len(changed)} presses changed them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
