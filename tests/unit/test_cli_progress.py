"""Import and carry report their progress on a terminal, and only there."""

from __future__ import annotations

import os
import pty
import sqlite3
import sys
import time
from dataclasses import asdict, replace
from datetime import datetime, timezone
from typing import Callable

import pytest

from premortem_tui import cli
from premortem_tui.domain.model import Countermeasure, Failure, Session, Workshop
from premortem_tui.export.json_format import dumps
from premortem_tui.store.reader import read_file
from premortem_tui.store.service import SessionService, create_session_file

CARDS = 5


def _workshop() -> Workshop:
    failures = [Failure("API", f"down {n}", position=n, id=f"f{n}") for n in range(3)]
    return Workshop(Session(id="s", title="T"), failures=failures,
                    countermeasures=[Countermeasure("Alert", ["f0", "f1"], id="c0", stage_position=0),
                                     Countermeasure("Runbook", ["f2"], id="c1", stage_position=1)])


@pytest.fixture
def source(tmp_path) -> str:
    path = str(tmp_path / "notes.json")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(dumps(_workshop(), datetime(2025, 1, 1, tzinfo=timezone.utc)))
    return path


@pytest.fixture
def at_once(monkeypatch):
    """The line shows from the start, not only after a second: a small session is enough."""
    monkeypatch.setattr(cli._Progress, "AFTER", 0.0)


def on_terminal(monkeypatch, command: list[str] | Callable[[], int]) -> tuple[int, str]:
    """Run the command (arguments, or a function) with stderr on a pseudo-terminal; its status
    and what the terminal got."""
    master, slave = pty.openpty()
    terminal = os.fdopen(slave, "w", encoding="utf-8")
    monkeypatch.setattr(sys, "stderr", terminal)
    try:
        status = command() if callable(command) else cli.main(command)
    finally:
        terminal.close()
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other side is closed: all is read
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return status, out.decode("utf-8").replace("\r\n", "\n")


def test_import_shows_its_progress_on_a_terminal(tmp_path, source, monkeypatch, at_once):
    status, shown = on_terminal(monkeypatch, ["import", str(tmp_path / "new.premortem"), source])
    assert status == 0
    assert f"\rimporting {source}: {CARDS} of {CARDS} cards\x1b[K\n" in shown
    assert shown.endswith("\n")  # the next line starts on a line of its own
    assert len(read_file(str(tmp_path / "new.premortem")).failures) == 3


def test_import_into_an_existing_file_shows_its_progress(tmp_path, source, monkeypatch, at_once):
    target = str(tmp_path / "old.premortem")
    create_session_file(target, title="Old")
    status, shown = on_terminal(monkeypatch, ["import", target, source])
    assert status == 0
    assert f"importing {source}: {CARDS} of {CARDS} cards" in shown


def test_carry_shows_its_progress_on_a_terminal(tmp_path, source, monkeypatch, at_once):
    old, new = str(tmp_path / "old.premortem"), str(tmp_path / "next.premortem")
    assert cli.main(["import", old, source]) == 0
    status, shown = on_terminal(monkeypatch, ["carry", old, new])
    assert status == 0
    assert f"carrying {old}: {CARDS} of {CARDS} cards\x1b[K\n" in shown


def test_a_quick_command_shows_nothing_on_a_terminal(tmp_path, source, monkeypatch):
    status, shown = on_terminal(monkeypatch, ["import", str(tmp_path / "new.premortem"), source])
    assert status == 0
    assert shown == ""  # well under a second


@pytest.mark.parametrize("command", ["import", "carry"])
def test_no_progress_when_stderr_is_not_a_terminal(tmp_path, source, capsys, at_once, command):
    old = str(tmp_path / "old.premortem")
    assert cli.main(["import", old, source]) == 0
    capsys.readouterr()
    argv = ["import", str(tmp_path / "new.premortem"), source] if command == "import" else \
        ["carry", old, str(tmp_path / "next.premortem")]
    assert cli.main(argv) == 0
    assert capsys.readouterr().err == ""  # what scripts read is unchanged


def test_a_line_said_meanwhile_clears_the_progress_line_which_comes_back(monkeypatch, at_once):
    monkeypatch.setattr(cli._Progress, "EVERY", 0.0)

    def command() -> int:
        with cli._Progress() as progress:
            progress.show("reading notes.json")
            deadline = time.monotonic() + 5
            while not progress._shown and time.monotonic() < deadline:  # the thread has drawn it
                time.sleep(0.01)
            progress.say("warning: notes.json: unknown field 'x'")
        return 0

    assert on_terminal(monkeypatch, command)[1] == (
        "\rreading notes.json\x1b[K\r\x1b[Kwarning: notes.json: unknown field 'x'\n"
        "\rreading notes.json\x1b[K\n")


def test_import_reports_each_chunk_of_cards(tmp_path, monkeypatch):
    monkeypatch.setattr(SessionService, "_CHUNK", 2)
    calls: list[tuple[int, int]] = []
    path = str(tmp_path / "new.premortem")
    assert create_session_file(path, lambda service: service.import_workshop(
        _workshop(), whole_session=True, progress=lambda done, total: calls.append((done, total))))
    assert calls == [(2, 5), (3, 5), (5, 5)]  # failures in chunks of two, then the countermeasures
    with SessionService.open(path) as service:
        calls.clear()
        more = Workshop(Session(), failures=[Failure("API", "slow", id="f9")])
        plan = service.import_workshop(more, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)] and plan.card_count == 1
    assert [c.failure_ids for c in read_file(path).countermeasures] == [["f0", "f1"], ["f2"]]


def test_the_rows_an_import_writes_are_those_of_the_table_objects(tmp_path):
    """Every column, a carried card's previous values included, as a table object of the card holds it."""
    from premortem_tui.domain.model import Previous, RetroNote
    from premortem_tui.store.rows import countermeasure_row, failure_row
    from premortem_tui.store.schema import RetroRow

    workshop = _workshop()
    workshop.failures[1] = replace(workshop.failures[1], impact=4, likelihood=2, acceptable=True, notes="n",
                                   variant_of="f0", previous=Previous("p1", 3, 1, "now"))
    workshop.countermeasures[0] = replace(workshop.countermeasures[0], decision="later", rank=0, done=True,
                                          remind_on="2025-02-01", previous=Previous("p2", None, None, "next", True))
    workshop.retro = [RetroNote("keep", "Timebox", "Ann", 0, id="r0")]
    path = str(tmp_path / "new.premortem")
    assert create_session_file(path, lambda service: service.import_workshop(workshop, whole_session=True))
    expected = {**{f.id: failure_row(f).model_dump() for f in workshop.failures},
                **{c.id: countermeasure_row(c).model_dump() for c in workshop.countermeasures},
                "r0": RetroRow(**asdict(workshop.retro[0])).model_dump()}
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        written = {r["id"]: dict(r) for table in ("failure", "countermeasure", "retro")
                   for r in conn.execute(f"SELECT * FROM {table}")}
    for row in expected.values():  # as SQLite gives them back
        row.update({k: int(v) for k, v in row.items() if isinstance(v, bool)})
    assert written == expected
