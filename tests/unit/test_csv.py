"""The CSV export: one table, a kind column, blanks for unset values."""

import csv
import io
from datetime import date

import pytest

from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.model import Countermeasure, Failure, RetroNote, Workshop
from premortem_tui.cli import main
from premortem_tui.export.csv_format import COLUMNS, render_csv
from premortem_tui.store.service import SessionService


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_demo_parses_back_with_each_kind_counted():
    w = demo_workshop(date(2026, 3, 10))
    text = render_csv(w)
    assert text.splitlines()[0] == "\ufeff" + ",".join(COLUMNS)
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


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\t=1+1", " =1+1", "\tplain"])
def test_a_cell_a_spreadsheet_would_take_for_a_formula_starts_with_a_quote(text):
    failure = Failure(text, text, notes=text, author=text, period=text, timing=text)
    cm = Countermeasure(text, [failure.id], owner=text, decision_note=text, revisit_when=text)
    (f_row, cm_row) = _rows(render_csv(Workshop(failures=[failure], countermeasures=[cm])))
    for row, names in ((f_row, ("service", "failure", "notes", "author", "period", "timing")),
                       (cm_row, ("text", "owner", "decision_note", "revisit_when"))):
        for name in names:
            assert row[name] == "'" + text, name


def test_numbers_and_ordinary_text_are_left_as_they_are():
    failure = Failure("Billing", "Invoices 2-3 days late = churn", impact=5, likelihood=4, position=-1)
    cm = Countermeasure("'quoted' already", [failure.id], intro_cost=2, effect=3)
    (f_row, cm_row) = _rows(render_csv(Workshop(failures=[failure], countermeasures=[cm])))
    assert f_row["position"] == "-1" and f_row["risk"] == "20" and f_row["impact"] == "5"
    assert f_row["failure"] == "Invoices 2-3 days late = churn"
    assert cm_row["text"] == "'quoted' already" and cm_row["intro_cost"] == "2"


def test_a_control_character_is_spelt_out():
    (row,) = _rows(render_csv(Workshop(failures=[Failure("API", "x\x1b]0;pwned\x07y", notes="\r=1+1")])))
    assert row["failure"] == "x\\x1b]0;pwned\\x07y"
    assert row["notes"] == "\\x0d=1+1"  # a CR is spelt out, so the cell starts with a backslash


def test_the_exported_file_and_stdout_open_as_utf8_with_a_bom(tmp_path, capsys):
    path = str(tmp_path / "s.premortem")
    with SessionService.open(path, create=True) as service:
        failure = service.add_failure("請求管理", '=HYPERLINK("http://x","y")')
    target = tmp_path / "s.csv"
    assert main(["export", path, "--format", "csv", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfkind,id,")
    with open(target, encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["id"] == failure.id and row["service"] == "請求管理"
    assert row["failure"] == '\'=HYPERLINK("http://x","y")'
    capsys.readouterr()
    assert main(["export", path, "--format", "csv"]) == 0
    assert capsys.readouterr().out == target.read_text(encoding="utf-8")
