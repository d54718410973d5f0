"""What the room sees: a few pictures of the board and the home screen.

Everything shown is fixed: the clock, the demo's dates, the file name in the
header (a relative path, from inside the test's directory) and the store's
place on the home screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from premortem_tui.store.service import SessionService
from premortem_tui.ui.app import PremortemApp
from premortem_tui.ui.launch import open_model
from premortem_tui.ui.settings import Settings
from premortem_tui.ui.widgets.card_column import CARD_HEIGHT, CardColumn

from fakes import FakeClock

from .conftest import FIXED_NOW, write_fixed_demo

BOARD_SIZE = (120, 40)
SMALL_SIZE = (100, 30)

JAPANESE_FAILURES = (  # service, what fails, period, timing, author
    ("請求管理", "全ての請求書が発行できない", "30分", "月中", "田中"),
    ("請求管理", "請求書は登録できないが、既存の請求書は閲覧できる", "2時間", "月末締め", "佐藤"),
    ("請求管理", "請求書PDFに先月の燃料サーチャージ率が表示される", "1日", "月初", "田中"),
    ("配車", "配車担当者がドライバーに仕事を割り当てられない", "1時間", "早朝", "鈴木"),
    ("配車", "ルート最適化が計画を返さない", "半日", "早朝", "佐藤"),
    ("ドライバーアプリ", "ドライバーがログアウトされ再ログインできない", "1時間", "早朝", "高橋"),
    ("ドライバーアプリ", "古いAndroid端末でバーコード読み取り時にアプリが落ちる", "1週間", "営業時間", "鈴木"),
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work inside the test's directory, so the header shows a short, stable file name."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def board_app(path: str, *, phase: str | None = None, theme: str = "textual-dark") -> PremortemApp:
    clock = FakeClock(FIXED_NOW)
    if phase is not None:
        with SessionService.open(path, clock=clock) as service:
            service.go_to_phase(phase)
    model = open_model(path, clock=clock)
    return PremortemApp(model, clock=clock, settings=Settings(theme=theme), author="")


def write_japanese_session(path: str) -> None:
    with SessionService.open(path, create=True, clock=FakeClock(FIXED_NOW), title="請求と配車の事前検討") as service:
        service.update_session(date="2026-11-28")
        for service_name, failure, period, timing, author in JAPANESE_FAILURES:
            service.add_failure(service_name, failure, period, timing, author)
        service.go_to_phase("failures")


# -- pictures ---------------------------------------------------------------------------------------


def test_demo_priority_board_dark(snap_compare, here):
    write_fixed_demo("demo.premortem")
    assert snap_compare(board_app("demo.premortem"), terminal_size=BOARD_SIZE)


def test_demo_priority_board_light(snap_compare, here):
    write_fixed_demo("demo.premortem")
    assert snap_compare(board_app("demo.premortem", theme="textual-light"), terminal_size=BOARD_SIZE)


def test_demo_failures_board_dark(snap_compare, here):
    write_fixed_demo("demo.premortem")
    assert snap_compare(board_app("demo.premortem", phase="failures"), terminal_size=BOARD_SIZE)


def test_japanese_failure_cards_at_100x30(snap_compare, here):
    write_japanese_session("japanese.premortem")
    assert snap_compare(board_app("japanese.premortem"), terminal_size=SMALL_SIZE)


def test_home_screen(snap_compare, here, monkeypatch):
    monkeypatch.setenv("PREMORTEM_HOME", "home")  # shown on the screen: keep it short and stable
    (here / "home" / "sessions").mkdir(parents=True)
    write_fixed_demo("home/sessions/demo.premortem")
    app = PremortemApp(None, clock=FakeClock(FIXED_NOW), settings=Settings(), author="")

    async def rows_filled(pilot) -> None:
        table = pilot.app.screen.query_one("#sessions", DataTable)
        reminders = pilot.app.screen.query_one("#reminders", DataTable)
        for _attempt in range(100):  # the sessions and their reminders are read in a thread
            await pilot.pause(0.02)
            if reminders.row_count and "reading..." not in {str(table.get_row_at(0)[2])}:
                break
        else:
            raise AssertionError("the home screen never finished reading its sessions")
        assert [str(reminders.get_row_at(n)[0]) for n in range(reminders.row_count)] == ["OVERDUE 2026-11-25"]
        title, when = (str(v) for v in table.get_row_at(0)[:2])
        assert (title, when) == ("Dispatch platform pre-mortem (demo)", "2026-11-14")
        # the columns widen to what was read, not to the "reading..." placeholder
        assert [c.content_width for c in table.ordered_columns[:2]] >= [len(title), len(when)]

    assert snap_compare(app, terminal_size=BOARD_SIZE, run_before=rows_filled)


# -- the same layout, checked cell by cell -------------------------------------------------------------


async def test_japanese_cards_keep_their_borders_straight(here):
    write_japanese_session("japanese.premortem")
    app = board_app("japanese.premortem")
    async with app.run_test(size=SMALL_SIZE) as pilot:
        await pilot.pause()
        columns = list(app.screen.query(CardColumn))
        assert sorted(c.key for c in columns) == sorted({f[0] for f in JAPANESE_FAILURES})
        for column in columns:
            assert column.cards
            width = column.scrollable_content_region.width
            heading, *lines = [column.render_line(y) for y in range(column.size.height)]
            assert cell_len(heading.text) == width and heading.text.rstrip().endswith(f"({len(column.cards)})")
            for y, strip in enumerate(lines):
                text = strip.text
                assert cell_len(text) == width, (column.key, y, text)
                row = y % CARD_HEIGHT
                if y // CARD_HEIGHT < len(column.cards):
                    right = text[-1]
                    assert right in "╮│╯┓┃┛", (column.key, y, text)
                    assert text[0] in "╭│╰┏┃┗", (column.key, y, text)
                    if row in (1, 2, 3):
                        assert text[1] == " " and text[-2] == " ", (column.key, y, text)
            body = [strip.text for strip in lines[1:3]]
            assert any("請求" in line or "配車" in line or "ドライバー" in line for line in body), body
