"""The home screen with a full store: time to its first paint and until its reminders show.

Not part of the test run. It writes (once per run, in a temp folder used as PREMORTEM_HOME)
``--sessions`` sessions of ``--cards`` cards each in the store and ``--recent`` more outside it,
opened once so they are in the recent list; every session holds a few countermeasures decided
later with a reminder date that has come. Then, under Textual's run_test at 120x40, it times
from the app's start to:

- the first paint: the home screen on the screen with its rows listed;
- every row filled (title, date and how far read from each file);
- the reminders shown.

Run:  python bench/home_bench.py [--sessions 50] [--recent 17] [--cards 1000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def write_sessions(home: Path, sessions: int, recent: int, cards: int) -> None:
    from make_big_session import build_document

    from premortem_tui.domain.json_document import from_document
    from premortem_tui.store.locations import remember
    from premortem_tui.store.service import create_session_file

    store = home / "sessions"
    store.mkdir(parents=True)
    outside = home.parent / "elsewhere"
    outside.mkdir()
    for n in range(sessions + recent):
        doc = build_document(cards // 2, cards - cards // 2, 0, seed=n + 1)
        doc["session"]["title"] = f"Session {n + 1}"
        for k, cm in enumerate(doc["countermeasures"]):
            if cm["decision"] == "later" and k % 50 == 15:  # a few reminders come due per session
                cm["remind_on"] = "2025-02-01"
        workshop, _warnings = from_document(doc)
        path = store / f"s{n:03}.premortem" if n < sessions else outside / f"r{n:03}.premortem"
        create_session_file(str(path), lambda s, w=workshop: s.import_workshop(w, whole_session=True))
        if n >= sessions:
            remember(path)


def reading(table) -> bool:
    """Some row still shows its placeholder."""
    from premortem_tui.i18n import _

    placeholder = _("reading...")
    return any(str(cell) == placeholder for cell in table.get_column_at(2))


async def one_run(size: tuple[int, int]) -> dict[str, float]:
    from premortem_tui.ui.app import PremortemApp
    from premortem_tui.ui.literal import PlainTable
    from premortem_tui.ui.screens.home import HomeScreen
    from premortem_tui.ui.settings import Settings

    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    class Timed(PremortemApp):
        def post_display_hook(self) -> None:
            now = time.perf_counter()
            screen = self.screen
            if not isinstance(screen, HomeScreen):
                return
            rows = screen.query_one("#sessions", PlainTable).row_count
            if "paint" not in marks and rows:
                marks["paint"] = now
            if "filled" not in marks and rows and not reading(screen.query_one("#sessions", PlainTable)):
                marks["filled"] = now
            if "reminders" not in marks and screen.query_one("#reminders", PlainTable).display:
                marks["reminders"] = now

    app = Timed(settings=Settings())
    async with app.run_test(size=size) as pilot:
        deadline = time.perf_counter() + 120
        while len(marks) < 3 and time.perf_counter() < deadline:
            await pilot.pause(0.02)
    return {k: (v - t0) * 1000 for k, v in marks.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--recent", type=int, default=17)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", help="write the sessions in this folder and keep them; reused when it exists")
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="premortem-home-"))
    try:
        home = work / "home"
        os.environ["PREMORTEM_HOME"] = str(home)
        if not home.exists():
            t = time.perf_counter()
            write_sessions(home, a.sessions, a.recent, a.cards)
            print(f"wrote {a.sessions} sessions in the store and {a.recent} recent files of {a.cards} cards "
                  f"in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        runs = [asyncio.run(one_run((120, 40))) for _ in range(a.runs)]
        print(f"home screen, {a.sessions} + {a.recent} sessions of {a.cards} cards ({a.runs} runs, median ms)")
        for key, label in (("paint", "first paint (rows listed)"), ("filled", "every row filled"),
                           ("reminders", "reminders shown")):
            values = [r[key] for r in runs if key in r]
            shown = f"{statistics.median(values):8.0f}" if values else "   never"
            print(f"  {label:<28}{shown}   all: {[round(v) for v in values]}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
