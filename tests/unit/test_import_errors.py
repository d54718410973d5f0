"""Every refused import is one line naming the source file, and leaves no file behind."""

from __future__ import annotations

import copy
import json
import os
import sqlite3

import pytest

from premortem_tui import cli
from premortem_tui.domain import validate
from premortem_tui.domain.validate import ValidationError
from premortem_tui.domain import json_document

from test_json_roundtrip import make_session, source_document

HEAD = '{"format": "premortem-session", "format_version": 1, '


def run_import(capsys, tmp_path, payload: bytes):
    source = tmp_path / "in.json"
    source.write_bytes(payload)
    target = str(tmp_path / "new.premortem")
    code = cli.main(["import", target, str(source)])
    out, err = capsys.readouterr()
    return code, out, err, target, str(source)


def refused(capsys, tmp_path, payload: bytes) -> str:
    code, _out, err, target, source = run_import(capsys, tmp_path, payload)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"premortem: {source}: ")
    assert not os.path.exists(target)
    return lines[0]


def accepted(capsys, tmp_path, payload: bytes) -> tuple[str, str]:
    code, out, err, target, _source = run_import(capsys, tmp_path, payload)
    assert code == 0, err
    assert os.path.exists(target)
    return out, err


def doc_bytes(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


# --- what json.loads itself cannot take ------------------------------------------

@pytest.mark.parametrize("digits", [101, 4301, 5000, 100_000])
def test_an_integer_with_too_many_digits_is_one_line(capsys, tmp_path, digits):
    line = refused(capsys, tmp_path, (HEAD + '"x": ' + "9" * digits + "}").encode())
    assert f"a number with {digits} digits" in line
    assert "set_int_max_str_digits" not in line


def test_an_integer_of_a_hundred_digits_still_reads(capsys, tmp_path):
    _out, err = accepted(capsys, tmp_path, (HEAD + '"x": -' + "9" * 100 + "}").encode())
    assert "unknown key 'x' ignored" in err


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_json_nested_beyond_the_parser_is_one_line(capsys, tmp_path, levels):
    line = refused(capsys, tmp_path, (HEAD + '"x": ' + "[" * levels + "]" * levels + "}").encode())
    assert "nested" in line


@pytest.mark.parametrize("levels", [30, 500, 900])
def test_json_nested_deeper_than_an_export_is_one_line(capsys, tmp_path, levels):
    deep = "[" * levels + '"x"' + "]" * levels
    line = refused(capsys, tmp_path, (HEAD + '"session": {"title": "t", "notes": ' + deep + "}}").encode())
    assert "nested" in line


def test_from_document_refuses_deep_nesting_without_recursing():
    value: object = "x"
    for _ in range(100_000):
        value = [value]
    doc = source_document()
    doc["session"]["title"] = value
    with pytest.raises(ValidationError, match="nested"):
        json_document.from_document(doc)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" * 400 + ".0"])
def test_numbers_json_does_not_have_are_refused(capsys, tmp_path, literal):
    line = refused(capsys, tmp_path, (HEAD + '"session": {"title": "t", "x": ' + literal + "}}").encode())
    assert "not a number" in line or "too large" in line


def test_a_utf8_bom_at_the_start_is_accepted(capsys, tmp_path):
    out, err = accepted(capsys, tmp_path, b"\xef\xbb\xbf" + doc_bytes(source_document()))
    assert err == ""
    assert "added 6 failures" in out


def test_a_bom_anywhere_else_is_not_json(capsys, tmp_path):
    refused(capsys, tmp_path, b" \xef\xbb\xbf" + doc_bytes(source_document()))


@pytest.mark.parametrize("payload", [b"\xff\xfe{}", HEAD.encode() + b'"session": {"title": "\xc3"}}',
                                     HEAD.encode() + b'"session": {"title": "\xed\xa0\x80"}}'])
def test_invalid_utf8_is_one_line(capsys, tmp_path, payload):
    refused(capsys, tmp_path, payload)


def test_a_lone_surrogate_escape_is_one_line(capsys, tmp_path):
    line = refused(capsys, tmp_path, (HEAD + '"session": {"title": "\\ud800"}}').encode())
    assert "Unicode" in line


# --- far dates --------------------------------------------------------------------

@pytest.mark.parametrize("day", ["9999-12-31", "3000-01-01", "1899-12-31", "0001-01-01"])
def test_a_far_reminder_date_is_refused_at_import(capsys, tmp_path, day):
    doc = source_document()
    doc["countermeasures"][3]["remind_on"] = day
    line = refused(capsys, tmp_path, doc_bytes(doc))
    assert "countermeasures[3].remind_on must be between 1900-01-01 and 2999-12-31" in line


def test_a_far_session_date_is_refused_at_import(capsys, tmp_path):
    doc = source_document()
    doc["session"]["date"] = "9999-12-31"
    assert "session.date must be between" in refused(capsys, tmp_path, doc_bytes(doc))


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_the_first_and_last_dates_are_accepted(day):
    assert validate.iso_date("reminder date", day) == day


@pytest.mark.parametrize("day", ["1899-12-31", "3000-01-01", "9999-12-31", "0001-01-01"])
def test_iso_date_refuses_implausible_years(day):
    with pytest.raises(ValidationError, match=r"^reminder date must be between 1900-01-01 and 2999-12-31"):
        validate.iso_date("reminder date", day)


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+01:00",
                                   "9999-12-31T23:00:00-05:00", "1899-12-31T23:59:59Z"])
def test_a_far_running_since_is_refused(capsys, tmp_path, since):
    doc = source_document()
    doc["phases"][0]["running_since"] = since
    assert "phases[0].running_since must be between" in refused(capsys, tmp_path, doc_bytes(doc))


# --- hostile text -------------------------------------------------------------------

HOSTILE = ["\x1b]0;pwned\x07", "\x1b]52;c;cHduZWQ=\x07", "a\x1b[2Jb", "x\u202ey", "x\u2066y", "a\x00b", "a\x85b",
           "a\u2028b", "a\rb"]


def string_paths(doc, path=()):
    """Every place in ``doc`` that holds a string (keys excluded)."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from string_paths(value, (*path, key))
    elif isinstance(doc, list):
        for n, value in enumerate(doc):
            yield from string_paths(value, (*path, n))
    elif isinstance(doc, str):
        yield path


def put(doc, path, value):
    doc = copy.deepcopy(doc)
    holder = doc
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return doc


STRING_PATHS = [p for p in string_paths(source_document()) if p[0] not in ("format",)]


def test_the_document_has_strings_everywhere_a_session_keeps_text():
    tops = {p[0] for p in STRING_PATHS}
    assert tops == {"session", "participants", "phases", "failures", "countermeasures", "retro"}
    leaves = {p[-1] for p in STRING_PATHS}
    assert {"name", "role", "key", "kind", "stage", "decision", "owner", "title"} <= leaves


@pytest.mark.parametrize("path", STRING_PATHS, ids=lambda p: ".".join(map(str, p)))
def test_a_control_character_in_any_string_is_refused(capsys, tmp_path, path):
    for n, hostile in enumerate(HOSTILE):
        value = hostile if path[-1] in ("key", "kind", "stage", "role", "decision") else "ok " + hostile
        (tmp_path / str(n)).mkdir()
        line = refused(capsys, tmp_path / str(n), doc_bytes(put(source_document(), path, value)))
        assert line.isprintable(), repr(line)


def test_a_control_character_in_a_field_name_is_shown_escaped(capsys, tmp_path):
    doc = source_document()
    doc["session"]["\x1b]0;x\x07"] = 1
    doc["failures"][0]["[/]"] = 2
    doc["retro"][0]["a\u202eb"] = 3
    _out, err = accepted(capsys, tmp_path, doc_bytes(doc))
    lines = err.splitlines()
    assert len(lines) == 3
    assert all(line.isprintable() for line in lines)
    assert r"session: unknown key '\x1b]0;x\x07' ignored" in err
    assert "failures[0]: unknown key '[/]' ignored" in err
    assert r"retro[0]: unknown key 'a\u202eb' ignored" in err


def test_a_refusal_quotes_a_long_value_briefly(capsys, tmp_path):
    for n, (field, value) in enumerate([("stage", "x" * 100_000), ("stage", list(range(50_000))),
                                        ("remind_on", "y" * 100_000), ("intro_cost", "z" * 100_000),
                                        ("stage_position", "w" * 100_000), ("done", "v" * 100_000)]):
        doc = source_document()
        doc["countermeasures"][0][field] = value
        (tmp_path / str(n)).mkdir()
        line = refused(capsys, tmp_path / str(n), doc_bytes(doc))
        assert len(line) < 300, (field, len(line))


def test_a_long_unknown_key_is_named_briefly(capsys, tmp_path):
    doc = source_document()
    doc["session"]["k" * 100_000] = 1
    _out, err = accepted(capsys, tmp_path, doc_bytes(doc))
    assert err.startswith("warning: in.json: session: unknown key 'kkk")
    assert len(err) < 200


def test_many_unknown_keys_give_ten_lines(capsys, tmp_path):
    doc = source_document()
    for n in range(1_000):
        doc["failures"][n % 6][f"x{n:04}"] = n
    _out, err = accepted(capsys, tmp_path, doc_bytes(doc))
    lines = err.splitlines()
    assert len(lines) == 10
    assert lines[0] == "warning: in.json: failures[0]: unknown key 'x0000' ignored"
    assert lines[-1] == "warning: in.json: 991 more unknown keys ignored"


# --- a session file as the source ------------------------------------------------------

def session_file(path, doc, *tampering):
    """A session file made from ``doc``, then changed behind the app's back with raw SQL."""
    conn = sqlite3.connect(make_session(path, doc))
    with conn:
        for sql, args in tampering:
            conn.execute(sql, args)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return str(path)


@pytest.mark.parametrize("sql, args, field", [
    ("UPDATE countermeasure SET remind_on = ? WHERE id = 'c-runbook'", ("9999-12-31",),
     "countermeasures[3].remind_on"),
    ("UPDATE countermeasure SET id = ? WHERE id = 'c-drill'", ("evil\r\nATTENDEE:mailto:a@b.example",), "an id"),
])
def test_a_session_file_source_passes_the_same_checks_as_an_export(capsys, tmp_path, sql, args, field):
    source = session_file(tmp_path / "src.premortem", source_document(), (sql, args))
    target = str(tmp_path / "new.premortem")
    code = cli.main(["import", target, source])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith(f"premortem: {source}: {field} ")
    assert len(err.splitlines()) == 1 and err.splitlines()[0].isprintable()
    assert not os.path.exists(target)


@pytest.mark.parametrize("sql, args, spelled", [
    ("UPDATE failure SET failure = ? WHERE id = 'f-bill-1'", ("\x1b]0;pwned\x07",), "\\x1b]0;pwned\\x07"),
    ("UPDATE failure SET service = ? WHERE id = 'f-login'", ("x\u202eevil",), "x\\u202eevil"),
    ("UPDATE participant SET name = ? WHERE id = 'p-ben'", ("[@click=app.quit]\x1b[2J",), "[@click=app.quit]\\x1b[2J"),
])
def test_control_characters_in_a_session_file_source_arrive_spelled_out(capsys, tmp_path, sql, args, spelled):
    """What a session file holds is read with its control characters spelled out, as the board shows it."""
    source = session_file(tmp_path / "src.premortem", source_document(), (sql, args))
    target = str(tmp_path / "new.premortem")
    assert cli.main(["import", target, source]) == 0
    capsys.readouterr()
    assert cli.main(["export", target, "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    texts = [f["failure"] for f in exported["failures"]] + [f["service"] for f in exported["failures"]] + [
        p["name"] for p in exported["participants"]]
    assert spelled in texts and not any("\x1b" in t or "\u202e" in t for t in texts)


def test_a_clean_session_file_source_imports_every_field(capsys, tmp_path):
    source = session_file(tmp_path / "src.premortem", source_document())
    target = str(tmp_path / "new.premortem")
    assert cli.main(["import", target, source]) == 0
    assert "added 6 failures, 6 countermeasures, 4 retro notes, 3 participants" in capsys.readouterr().out
    assert cli.main(["export", target, "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert cli.main(["export", source, "--format", "json"]) == 0
    assert got == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("value", ["abc", "\x1b]0;x\x07", b"\xff"])
def test_a_session_file_source_with_a_wrongly_typed_column_is_one_line(capsys, tmp_path, value):
    source = session_file(tmp_path / "src.premortem", source_document(),
                          ("UPDATE phase SET spent_seconds = ? WHERE key = 'intro'", (value,)))
    target = str(tmp_path / "new.premortem")
    assert cli.main(["import", target, source]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"premortem: {source}: holds a value of the wrong type (")
    assert len(err.splitlines()) == 1 and err.splitlines()[0].isprintable()
    assert not os.path.exists(target)
