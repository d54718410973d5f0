"""Blameless: with authors hidden on the shared screen, no view names who wrote a card, nor the
report saved from it; `export --no-authors` leaves them out of every format. (Owners of
countermeasures and the participants stay: they are who does what, and who came.)"""

from __future__ import annotations

import csv
import io
import json

import pytest

from premortem_tui.cli import main

from .conftest import reopen
from .helpers import settle


def authorship(markdown: str, names: set[str]) -> list[str]:
    """Where the report says who wrote a card: its Author column, or "(name)" after a retro note."""
    retro = markdown.split("## Retrospective")[1]
    return (["Author column"] if "| Author |" in markdown else []) + \
        [name for name in names if f"({name})" in retro]


def authors(path) -> set[str]:
    w = reopen(path)
    return {c.author for c in [*w.failures, *w.countermeasures, *w.retro] if c.author}


async def test_the_report_hides_authors_when_the_board_does(demo_at, demo_path, make_app):
    model = demo_at("retro")
    names = authors(demo_path)
    app = make_app(model)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert authorship(app.screen.markdown, names)  # named while the board shows them
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert authorship(app.screen.markdown, names) == []
        await pilot.press("s")  # what is saved is what the room saw
        await settle(pilot)
    with open(str(demo_path)[: -len(".premortem")] + "-report.md", encoding="utf-8") as handle:
        assert authorship(handle.read(), names) == []


@pytest.mark.parametrize("fmt", ["md", "json", "csv"])
def test_export_no_authors_leaves_them_out(demo_path, tmp_path, fmt):
    names = authors(demo_path)
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(demo_path), "--format", fmt, "--no-authors", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    if fmt == "md":
        assert authorship(text, names) == []
    elif fmt == "json":
        doc = json.loads(text)
        assert {c["author"] for kind in ("failures", "countermeasures", "retro") for c in doc[kind]} == {""}
    else:
        assert {row["author"] for row in csv.DictReader(io.StringIO(text))} == {""}
    assert authors(demo_path) == names  # the file keeps them
