"""Escape sequences in a session file reach no terminal: the pane's title and the clipboard stay as
they were, the board is not cleared, and the text shows with its escapes spelled out."""

from __future__ import annotations

import sqlite3

from premortem_tui.store.service import SessionService

OSC52 = "\x1b]52;c;cHduZWQtY2xpcA==\x07"  # "pwned-clip" into the clipboard
OSC_TITLE = "\x1b]0;pwned-title\x07"
CLEAR = "\x1b[2J\x1b[H"


def hostile_file(path) -> None:
    with SessionService.open(str(path), create=True) as service:
        service.update_session(title="Q3 [/]")
        web = service.add_failure("Web [b]", "Disk [/var/log] fills up", "1h", "month end")
        service.add_failure("Web [b]", "Clip", "", "")
        service.add_countermeasure("Rotate [/var/log] daily", [web.id], "detect")
        service.add_retro("keep", "Ann: [/]")
        service.go_to_phase("failures")
    raw = sqlite3.connect(path)  # as another program could write it: input refuses these
    with raw:
        raw.execute("UPDATE session SET title = title || ?", (OSC_TITLE,))
        raw.execute("UPDATE failure SET failure = failure || ? WHERE failure = 'Clip'", (OSC52,))
        raw.execute("UPDATE failure SET period = ? WHERE failure LIKE 'Disk%'", (CLEAR,))
        raw.execute("UPDATE retro SET text = text || ?", (OSC_TITLE + CLEAR,))
    raw.close()


def test_escape_sequences_in_a_file_reach_no_terminal(pane_factory, tmp_path):
    hostile_file(tmp_path / "hostile.premortem")
    pane = pane_factory()
    # With these, tmux takes an OSC 52 into a paste buffer and an OSC 0 as the pane's title.
    pane.start("hostile.premortem", options={"set-clipboard": "on", "allow-rename": "on"})
    screen = pane.ready("Disk [/var/log] fills up")
    assert "Clip\\x1b]52;c;cHduZWQtY2xpcA==\\x07" in screen
    pane.keys("]", "]", "]", "]")  # through impact, countermeasures and priority to the retrospective
    pane.wait_for("[/]\\x1b]0;pwned-title\\x07")
    pane.keys("r")  # the report holds every string once more
    pane.wait_for("Report: Q3 [/]\\x1b]0;pwned-title\\x07")
    pane.keys("Escape", "q")
    pane.wait_for("EXITED=0")
    title = pane.tmux("display-message", "-p", "-t", "e2e", "#{pane_title}").stdout
    assert "pwned" not in title
    buffers = pane.tmux("list-buffers").stdout
    assert "pwned" not in buffers and buffers.strip() == "", buffers
