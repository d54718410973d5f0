"""The CSV export: one table, a kind column, blanks for unset values."""

import csv
import io
from datetime import date

from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import Countermeasure, Failure, RetroNote, Workshop
from premortem_tui.export.csv_format import COLUMNS, render_csv


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_demo_parses_back_with_each_kind_counted():
    w = demo_workshop(date(2026, 3, 10))
    text = render_csv(w)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = _rows(text)
    kinds = [r["kind"] for r in rows]
    assert kinds == (["failure"] * len(w.failures) + ["countermeasure"] * len(w.countermeasures)
                     + ["retro"] * len(w.retro))
    assert [r["id"] for r in rows] == [x.id for x in (*w.failures, *w.countermeasures, *w.retro)]


def test_values_and_blanks():
    w = demo_workshop(date(2026, 3, 10))
    rows = {r["id"]: r for r in _rows(render_csv(w))}
    judged = next(f for f in w.failures if f.risk == 20)
    assert rows[judged.id]["risk"] == "20" and rows[judged.id]["acceptable"] == "false"
    assert rows[judged.id]["text"] == "" and rows[judged.id]["done"] == ""
    unjudged = next(f for f in w.failures if not f.judged)
    assert rows[unjudged.id]["impact"] == rows[unjudged.id]["risk"] == ""
    variant = next(f for f in w.failures if f.variant_of)
    assert rows[variant.id]["variant_of"] == variant.variant_of
    multi = next(c for c in w.countermeasures if len(c.failure_ids) > 1)
    assert rows[multi.id]["failure_ids"].split(";") == multi.failure_ids
    assert rows[multi.id]["service"] == "" and rows[multi.id]["position"] == ""
    done = next(c for c in w.countermeasures if c.done)
    assert rows[done.id]["done"] == "true" and rows[done.id]["decision"] == "now"
    note = w.retro[0]
    assert rows[note.id]["retro_kind"] == note.kind and rows[note.id]["text"] == note.text


def test_board_order_whatever_the_list_order():
    a = Failure("billing", "A", position=1)
    b = Failure("Billing", "B", position=0)
    c = Failure("API", "C", position=0)
    cms = [Countermeasure("learn", stage="learn"), Countermeasure("prevent", stage="prevent", stage_position=1),
           Countermeasure("prevent first", stage="prevent")]
    notes = [RetroNote("try", "t"), RetroNote("keep", "k")]
    rows = _rows(render_csv(Workshop(failures=[a, b, c], countermeasures=cms, retro=notes)))
    assert [r["failure"] or r["text"] for r in rows] == ["C", "B", "A", "prevent first", "prevent", "learn",
                                                         "k", "t"]


def test_japanese_commas_quotes_and_line_breaks_survive():
    failure = Failure("請求管理", "請求書を1件も発行できない, \"全社\"\n月末締め", period="30分",
                      timing="月末", author="佐藤", impact=5, likelihood=4, notes="月中なら許容")
    note = RetroNote("keep", "具体的な期間が議論を短くした")
    rows = _rows(render_csv(Workshop(failures=[failure], retro=[note])))
    assert rows[0]["failure"] == failure.failure and rows[0]["service"] == "請求管理"
    assert rows[0]["notes"] == "月中なら許容" and rows[0]["author"] == "佐藤"
    assert rows[1]["text"] == note.text


def test_an_empty_session_has_only_the_header():
    assert _rows(render_csv(Workshop())) == []
    assert render_csv(Workshop()).count("\n") == 1
