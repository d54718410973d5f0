"""The real command in a real terminal: add a Japanese failure, run the timer, quit, reopen."""

from __future__ import annotations

import json
import subprocess
import time

from premortem_tui.store.service import SessionService

from .tmux_driver import PREMORTEM


def export_json(path) -> dict:
    out = subprocess.run([PREMORTEM, "export", str(path), "--format", "json"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_add_failure_time_it_quit_and_reopen(pane_factory, tmp_path):
    session = tmp_path / "new.premortem"
    pane = pane_factory()
    pane.start("--new", "new.premortem")
    pane.ready("1 Intro")
    pane.keys("]")
    pane.wait_for("no failures yet")
    pane.keys("a")
    pane.wait_for("New anticipated failure")
    pane.keys("請求管理", "Tab", "全ての請求書が発行できない", "Tab", "30分", "Tab", "月中", "C-s")
    pane.wait_for("全ての請求書が発行できない")
    pane.keys("Space")
    pane.wait_for("running")
    time.sleep(2.2)
    pane.keys("Space")
    pane.wait_for("paused")
    pane.keys("q")
    pane.wait_for("EXITED=0")

    doc = export_json(session)
    [card] = doc["failures"]
    assert (card["service"], card["failure"], card["period"], card["timing"]) == \
        ("請求管理", "全ての請求書が発行できない", "30分", "月中")
    spent = {p["key"]: p["spent_seconds"] for p in doc["phases"]}
    assert spent["failures"] >= 2 and doc["session"]["current_phase"] == "failures"
    assert all(p["running_since"] is None for p in doc["phases"])
    assert not (tmp_path / "new.premortem-wal").exists()  # checkpointed on quit

    again = pane_factory()
    again.start("new.premortem")
    again.ready("全ての請求書が発行できない")
    again.wait_for(">2 Failures")
    again.wait_for(f"{spent['failures'] // 60}/10 min")
    again.keys("q")
    again.wait_for("EXITED=0")
    assert export_json(session)["phases"] == doc["phases"]


def test_a_running_timer_keeps_going_while_the_app_is_closed(pane_factory, tmp_path):
    session = tmp_path / "room.premortem"
    pane = pane_factory()
    pane.start("--new", "room.premortem")
    pane.ready("1 Intro")
    pane.keys("Space")
    pane.wait_for("running")
    pane.keys("q")
    pane.wait_for("is running")  # asked first: k keeps it running (a break)
    pane.keys("k")
    pane.wait_for("EXITED=0")
    with SessionService.open(str(session)) as service:
        first = service.load().phase("intro")
    assert first.running_since is not None
    time.sleep(2.0)
    assert export_json(session)["phases"][0]["spent_seconds"] >= 2


def test_refused_file_gives_one_line_and_no_screen(pane_factory, tmp_path):
    (tmp_path / "notes.premortem").write_text("not a session\n")
    pane = pane_factory()
    pane.start("notes.premortem")
    screen = pane.wait_for("EXITED=1")
    assert "notes.premortem: is not a premortem session file" in screen
    assert "Traceback" not in screen


def test_a_missing_file_is_created_only_when_the_user_agrees(pane_factory, tmp_path):
    work = tmp_path / "try"
    work.mkdir()
    pane = pane_factory()
    pane.cwd = work
    pane.start("ws.premortm")
    screen = pane.ready("Create a new session there?")
    assert f"No session at {work / 'ws.premortm'}." in screen and "does not end in .premortem" in screen
    pane.keys("Enter")  # Cancel has the focus
    pane.wait_for("EXITED=1")
    assert sorted(p.name for p in work.iterdir()) == []
    again = pane_factory()
    again.cwd = work
    again.start("ws.premortm")
    again.ready("Create a new session there?")
    again.keys("y")
    again.wait_for("1 Intro")
    again.keys("q")
    again.wait_for("EXITED=0")
    assert sorted(p.name for p in work.iterdir()) == ["ws.premortm"]
