"""The JSON export and import: export -> import -> export is the identity; import into a session only adds."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys

import pytest

from premortem_tui.domain import json_document
from premortem_tui.store.service import SessionService

CLI = [sys.executable, "-m", "premortem_tui.cli"]


def run_cli(*args):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=60)


def ok(*args):
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def export_text(path):
    return ok("export", path, "--format", "json").stdout


def export(path):
    return json.loads(export_text(path))


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(doc, handle, ensure_ascii=False, indent=1)
    return str(path)


def make_session(path, doc):
    """Set up a session from an export in this process (what ``import`` into a new file does)."""
    workshop, warnings = json_document.from_document(doc)
    assert warnings == []
    with SessionService.open(path, create=True) as service:
        service.import_workshop(workshop, whole_session=True)
    return str(path)


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def failure(id, service, text, position, impact=None, likelihood=None, **extra):
    card = {"id": id, "service": service, "failure": text, "period": "", "timing": "", "author": "",
            "position": position, "impact": impact, "likelihood": likelihood, "risk": None, "acceptable": False,
            "notes": "", "variant_of": None, "previous": None}
    card.update(extra)
    return card


def countermeasure(id, text, failure_ids, stage, stage_position, decision="undecided", rank=0, **extra):
    card = {"id": id, "text": text, "failure_ids": failure_ids, "stage": stage, "stage_position": stage_position,
            "intro_cost": None, "maintenance_cost": None, "effect": None, "decision": decision, "rank": rank,
            "decision_note": "", "owner": "", "revisit_when": "", "remind_on": None, "done": False,
            "author": "", "previous": None}
    card.update(extra)
    return card


def source_document():
    """A full export, in board order, exercising every field (risk deliberately wrong: it is ignored)."""
    return {
        "format": "premortem-session", "format_version": 2,
        "session": {"id": "sess-2026-q1", "title": "決済基盤 プレモーテム", "date": "2026-02-10",
                    "context": "法人顧客 120 社、月末締めに請求が集中する。\nSeries B の直後。",
                    "purpose": "障害を先に想像する", "ground_rules": "非難しない\n具体的に",
                    "rehearsal": True, "current_phase": "priority",
                    "previous_session_id": "sess-2025-q4", "previous_context": "前回: 顧客 80 社",
                    "previous_title": "決済基盤 2025 Q4", "previous_date": "2025-11-20",
                    "previous_tries": ["インパクトの議論を時間で区切る", "CS を最初から呼ぶ"],
                    "ended_at": "2026-02-10T11:58:00Z"},
        "participants": [{"id": "p-aiko", "name": "山田 愛子", "role": "pm"},
                         {"id": "p-ben", "name": "Ben", "role": "engineer"},
                         {"id": "p-cs", "name": "佐藤", "role": "cs"}],
        "phases": [{"key": "intro", "planned_minutes": 5, "spent_seconds": 312, "running_since": None},
                   {"key": "failures", "planned_minutes": 12, "spent_seconds": 700, "running_since": None},
                   {"key": "impact", "planned_minutes": 45, "spent_seconds": 2710, "running_since": None},
                   {"key": "countermeasures", "planned_minutes": 10, "spent_seconds": 0, "running_since": None},
                   {"key": "priority", "planned_minutes": 40, "spent_seconds": 95, "running_since": None},
                   {"key": "retro", "planned_minutes": 10, "spent_seconds": 0, "running_since": None}],
        "failures": [
            failure("f-bill-1", "Billing API", "請求書が二重に発行される", 0, 5, 3, period="1日", timing="month-end closing",
                    author="愛子", acceptable=False, notes="締め日に影響が大きい", risk=1,
                    previous={"id": "old-f-1", "impact": 4, "likelihood": 2, "decision": None}),
            failure("f-bill-2", "Billing API", "請求書が二重に発行される (夜間バッチ)", 1, 4, 1, timing="night",
                    variant_of="f-bill-1", risk=99),
            failure("f-bill-3", "Billing API", "PDF が生成されない", 2, acceptable=True),
            failure("f-login", "login", "SSO がタイムアウトする", 0, 3, 4, period="30 minutes", timing="business hours",
                    author="Ben"),
            failure("f-search-1", "Search", "検索結果が古い", 0, 2, None),
            failure("f-search-2", "Search", "インデックスが壊れる", 1, None, 5,
                    previous={"id": "old-f-9", "impact": None, "likelihood": 3, "decision": "later"}),
        ],
        "countermeasures": [
            countermeasure("c-idem", "冪等キーで二重発行を防ぐ", ["f-bill-1", "f-bill-2"], "prevent", 0, "now", 0,
                           intro_cost=3, maintenance_cost=1, effect=5, decision_note="PM 判断: 必須", owner="Ben",
                           author="Ben", previous={"id": "old-c-1", "impact": 5, "likelihood": 2,
                                                   "decision": "next"}),
            countermeasure("c-alert", "請求件数の異常検知アラート", ["f-bill-1", "f-login", "f-search-1"], "detect", 0,
                           "next", 0, intro_cost=2, maintenance_cost=2, effect=3, owner="佐藤"),
            countermeasure("c-synth", "Synthetic login check", ["f-login"], "detect", 1, "now", 1, effect=4),
            countermeasure("c-runbook", "Runbook for index rebuild", ["f-search-2"], "respond", 0, "later", 0,
                           revisit_when="after the search migration", remind_on="2026-06-01", intro_cost=1,
                           maintenance_cost=None, effect=None),
            countermeasure("c-drill", "年次の復旧訓練", [], "recover", 0, "wont", 0, decision_note="費用対効果が低い",
                           done=False),
            countermeasure("c-review", "Blameless review template", ["f-bill-3"], "learn", 0, "undecided", 0,
                           done=True),
        ],
        "retro": [{"id": "r-k1", "kind": "keep", "text": "タイムボックスが効いた", "author": "愛子", "position": 0},
                  {"id": "r-k2", "kind": "keep", "text": "the grid", "author": "", "position": 1},
                  {"id": "r-p1", "kind": "problem", "text": "カードが多すぎた", "author": "Ben", "position": 0},
                  {"id": "r-t1", "kind": "try", "text": "事前にカードを書く", "author": "", "position": 0}],
    }


def with_computed_risk(doc):
    expected = copy.deepcopy(doc)
    for card in expected["failures"]:
        i, l = card["impact"], card["likelihood"]
        card["risk"] = i * l if i is not None and l is not None else None
    return expected


@pytest.fixture
def source(tmp_path):
    return write_json(tmp_path / "x.json", source_document())


def test_import_into_a_new_file_gives_back_every_field(tmp_path, source):
    target = str(tmp_path / "S.premortem")
    result = ok("import", target, source)
    assert result.stderr == ""  # no warnings for a clean export
    assert "added 6 failures, 6 countermeasures, 4 retro notes, 3 participants" in result.stdout
    assert not os.path.exists(target + "-wal")
    got = export(target)
    assert got == with_computed_risk(source_document())
    risks = [f["risk"] for f in got["failures"]]
    assert risks == [15, 4, None, 12, None, None]


def test_export_import_export_is_identical(tmp_path, source):
    first = make_session(tmp_path / "first.premortem", source_document())
    text1 = export_text(first)
    exported = tmp_path / "exported.json"
    exported.write_text(text1, encoding="utf-8")
    second = str(tmp_path / "second.premortem")
    assert not os.path.exists(second)
    ok("import", second, exported)
    text2 = export_text(second)
    assert text2 == text1
    assert "決済基盤" in text2  # not escaped: readable Japanese in the file


def test_export_import_export_of_a_session_made_in_the_app(tmp_path):
    path = str(tmp_path / "made.premortem")
    with SessionService.open(path, create=True) as service:
        service.update_session(context="顧客: 中小企業", current_phase="impact")
        service.add_participant("鈴木", "domain")
        a = service.add_failure("在庫 API", "在庫数がずれる", timing="early morning", impact=4)
        b = service.add_failure("在庫 api", "応答が遅い", likelihood=2)
        c = service.add_failure("通知", "メールが届かない", impact=2, likelihood=2)
        service.create_variant(a.id, "在庫数が月末にずれる")
        cm = service.add_countermeasure("整合性チェック", [a.id, b.id, c.id], stage="detect", effect=3)
        service.decide(cm.id, "next", 0)
        service.add_retro("problem", "時間が足りない")
        service.toggle_timer()
        service.toggle_timer()
    text1 = export_text(path)
    exported = tmp_path / "made.json"
    exported.write_text(text1, encoding="utf-8")
    copy_path = str(tmp_path / "copy.premortem")
    ok("import", copy_path, exported)
    assert export_text(copy_path) == text1
    doc = json.loads(text1)
    assert [f["service"] for f in doc["failures"]] == ["在庫 API"] * 3 + ["通知"]
    assert doc["countermeasures"][0]["failure_ids"] == [a.id, b.id, c.id]


def test_export_to_a_file(tmp_path, source):
    target = make_session(tmp_path / "S.premortem", source_document())
    out = str(tmp_path / "out.json")
    result = ok("export", target, "--format", "json", "-o", out)
    assert result.stdout == ""
    assert out in result.stderr
    with open(out, encoding="utf-8") as handle:
        assert json.load(handle) == with_computed_risk(source_document())
    assert not os.path.exists(out + ".part")


def test_importing_the_same_source_again_changes_nothing(tmp_path, source):
    target = make_session(tmp_path / "S.premortem", source_document())
    before = export_text(target)
    result = ok("import", target, source, source)  # twice, in one command
    assert result.stdout.count(
        "added 0 failures, 0 countermeasures, 0 retro notes, 0 participants; 16 already there") == 2
    assert export_text(target) == before


def _second_source():
    doc = {
        "format": "premortem-session", "format_version": 1,
        "session": {"id": "another-session", "title": "Other title", "context": "other context",
                    "current_phase": "retro"},
        "participants": [{"id": "p-ben", "name": "Benjamin", "role": "pm"},     # same id: kept as FILE has it
                         {"id": "p-other", "name": "山田 愛子", "role": "other"},  # same name: not added
                         {"id": "p-new", "name": "Dana", "role": "domain"}],
        "phases": [{"key": "intro", "planned_minutes": 99, "spent_seconds": 5000, "running_since": None}],
        "failures": [
            failure("f-bill-1", "Billing API", "CHANGED TEXT", 0, 1, 1),                  # present: left alone
            failure("f-deleted", "Billing API", "was deleted in FILE", 1, 2, 2),          # deleted: not back
            failure("f-new-1", "  billing   api ", "新しい障害", 0, 2, 5, variant_of="f-bill-3"),
            failure("f-new-2", "Mail", "bounces", 0, variant_of="nowhere"),
        ],
        "countermeasures": [
            countermeasure("c-idem", "CHANGED", [], "learn", 0, "wont", 0),               # present: left alone
            countermeasure("c-new", "Retry with backoff", ["f-bill-1", "f-new-1", "f-missing", "f-deleted"],
                           "detect", 0, "now", 0, effect=2),
        ],
        "retro": [{"id": "r-k1", "kind": "try", "text": "CHANGED", "position": 0},
                  {"id": "r-new", "kind": "keep", "text": "新しいメモ", "position": 0}],
    }
    return doc


def test_merging_a_second_file_only_adds(tmp_path, source):
    first = source_document()
    first["failures"].append(failure("f-deleted", "Billing API", "to be deleted", 3))
    target = make_session(tmp_path / "S.premortem", first)
    with SessionService.open(target) as service:
        service.delete("failure", "f-deleted")
    before = export(target)
    second = write_json(tmp_path / "second.json", _second_source())
    result = ok("import", target, second)
    assert "added 2 failures, 1 countermeasures, 1 retro notes, 1 participants; 4 already there" in result.stdout
    after = export(target)

    # nothing that was there changed
    assert after["session"] == before["session"]
    assert after["phases"] == before["phases"]
    for kind in ("participants", "failures", "countermeasures", "retro"):
        old = {card["id"]: card for card in before[kind]}
        new = {card["id"]: card for card in after[kind]}
        assert {i: new[i] for i in old} == old, kind

    assert [(p["id"], p["name"], p["role"]) for p in after["participants"]] == [
        ("p-aiko", "山田 愛子", "pm"), ("p-ben", "Ben", "engineer"), ("p-cs", "佐藤", "cs"), ("p-new", "Dana", "domain")]
    failures = {f["id"]: f for f in after["failures"]}
    assert "f-deleted" not in failures
    assert failures["f-bill-1"]["failure"] == "請求書が二重に発行される"
    added = failures["f-new-1"]
    assert added["service"] == "Billing API"  # joins the existing column
    assert added["position"] == 3             # at its end
    assert added["variant_of"] == "f-bill-3"
    assert added["risk"] == 10
    assert failures["f-new-2"]["service"] == "Mail"
    assert failures["f-new-2"]["variant_of"] is None  # links to nowhere are dropped
    assert [f["id"] for f in after["failures"] if f["service"] == "Billing API"] == [
        "f-bill-1", "f-bill-2", "f-bill-3", "f-new-1"]
    cms = {c["id"]: c for c in after["countermeasures"]}
    assert cms["c-idem"]["text"] == "冪等キーで二重発行を防ぐ"
    assert cms["c-new"]["failure_ids"] == ["f-bill-1", "f-new-1"]
    assert cms["c-new"]["stage_position"] == 2  # after the two detect cards already there
    assert cms["c-new"]["rank"] == 2            # after the two "now" cards already there
    retro = {n["id"]: n for n in after["retro"]}
    assert retro["r-k1"]["text"] == "タイムボックスが効いた"
    assert (retro["r-new"]["kind"], retro["r-new"]["position"]) == ("keep", 2)

    # and merging the same file again adds nothing more
    ok("import", target, second)
    assert export(target) == after


def test_deleted_card_is_not_brought_back_by_its_own_export(tmp_path, source):
    target = make_session(tmp_path / "S.premortem", source_document())
    with SessionService.open(target) as service:
        service.delete("countermeasure", "c-alert")
        service.delete("retro", "r-p1")
    before = export(target)
    result = ok("import", target, source)
    assert "added 0 failures, 0 countermeasures, 0 retro notes, 0 participants" in result.stdout
    assert export(target) == before


def test_unknown_keys_warn_but_import(tmp_path):
    doc = source_document()
    doc["exported_by"] = "some other tool"
    doc["session"]["mood"] = "good"
    doc["failures"][0]["colour"] = "red"
    doc["retro"][0]["votes"] = 3
    source = write_json(tmp_path / "x.json", doc)
    target = str(tmp_path / "S.premortem")
    result = run_cli("import", target, source)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = result.stderr.splitlines()
    assert len(warnings) == 4
    assert all("warning" in line and "x.json" in line for line in warnings)
    for key in ("exported_by", "mood", "colour", "votes"):
        assert sum(key in line for line in warnings) == 1, key
    assert export(target) == with_computed_risk(source_document())


def test_missing_fields_take_their_defaults(tmp_path):
    doc = {"format": "premortem-session", "format_version": 1,
           "failures": [{"id": "only", "service": "API", "failure": "down"}],
           "countermeasures": [{"text": "alert", "failure_ids": ["only"]}]}
    target = str(tmp_path / "S.premortem")
    ok("import", target, write_json(tmp_path / "x.json", doc))
    got = export(target)
    assert got["failures"] == [failure("only", "API", "down", 0)]
    (cm,) = got["countermeasures"]
    assert cm["failure_ids"] == ["only"]
    assert (cm["stage"], cm["decision"], cm["effect"], cm["remind_on"], cm["previous"]) == (
        "prevent", "undecided", None, None, None)
    assert [p["planned_minutes"] for p in got["phases"]] == [5, 10, 45, 10, 40, 10]


ID_PLACES = ["failure", "countermeasure", "retro", "participant", "session"]


def test_ids_of_64_characters_work(tmp_path):
    doc = source_document()
    ids = [(str(n) * 62 + ".-") for n in range(len(ID_PLACES))]  # 64 characters of the id charset
    for where, long_id in zip(ID_PLACES, ids):
        assert len(long_id) == 64
        _set_id(doc, where, long_id)
    target = str(tmp_path / "S.premortem")
    ok("import", target, write_json(tmp_path / "x.json", doc))
    got = export(target)
    assert got == with_computed_risk(doc)
    assert (got["failures"][0]["id"], got["countermeasures"][0]["id"], got["retro"][0]["id"],
            got["participants"][0]["id"], got["session"]["id"]) == tuple(ids)
    assert got["countermeasures"][0]["failure_ids"][0] == ids[0]


@pytest.mark.parametrize("bad_id", ["j" * 65, "界", "evil\r\nATTENDEE:mailto:a@evil.example", "a b", ""])
@pytest.mark.parametrize("where", ID_PLACES)
def test_ids_outside_the_charset_or_length_are_refused(tmp_path, where, bad_id):
    doc = source_document()
    _set_id(doc, where, bad_id)
    source = write_json(tmp_path / "x.json", doc)
    new_target = str(tmp_path / "new.premortem")
    result = run_cli("import", new_target, source)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1 and source in result.stderr
    assert not os.path.exists(new_target)

    existing = str(tmp_path / "S.premortem")
    with SessionService.open(existing, create=True) as service:
        service.add_failure("API", "down")
    before = digest(existing)
    result = run_cli("import", existing, source)
    assert result.returncode == 1
    assert digest(existing) == before


def test_empty_id_is_refused(tmp_path):
    doc = source_document()
    doc["failures"][0]["id"] = ""
    result = run_cli("import", tmp_path / "S.premortem", write_json(tmp_path / "x.json", doc))
    assert result.returncode == 1
    assert not os.path.exists(tmp_path / "S.premortem")


def _set_id(doc, where, new_id):
    if where == "failure":
        old = doc["failures"][0]["id"]
        doc["failures"][0]["id"] = new_id
        for f in doc["failures"]:
            if f["variant_of"] == old:
                f["variant_of"] = new_id
        for c in doc["countermeasures"]:
            c["failure_ids"] = [new_id if i == old else i for i in c["failure_ids"]]
    elif where == "countermeasure":
        doc["countermeasures"][0]["id"] = new_id
    elif where == "retro":
        doc["retro"][0]["id"] = new_id
    elif where == "participant":
        doc["participants"][0]["id"] = new_id
    else:
        doc["session"]["id"] = new_id


def test_a_version_1_export_still_imports_and_its_previous_text_becomes_data(tmp_path):
    """Version 1 wrote the previous session's title, date and tries into previous_context."""
    doc = source_document()
    doc["format_version"] = 1
    session = doc["session"]
    for key in ("previous_title", "previous_date", "previous_tries", "ended_at"):
        del session[key]
    session["previous_context"] = ("Previous session: 決済基盤 2025 Q4, 2025-11-20\n\n前回: 顧客 80 社\n\n"
                                   "Try (from last time):\n- インパクトの議論を時間で区切る\n- CS を最初から呼ぶ")
    target = str(tmp_path / "S.premortem")
    ok("import", target, write_json(tmp_path / "v1.json", doc))
    expected = with_computed_risk(source_document())
    expected["session"]["ended_at"] = None  # version 1 did not record it
    assert export(target) == expected
