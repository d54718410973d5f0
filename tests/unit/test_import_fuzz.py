"""Property-based fuzzing of ``premortem import``: valid exports, mutated, run in this process.

Whatever the source holds, ``main`` returns 0 or 1 and never raises; a refusal is one line
and leaves the target as it was (an existing session byte-identical, a new file absent,
nothing else beside it); a success leaves a session that opens and passes integrity_check.

PREMORTEM_FUZZ_EXAMPLES sets the examples per test (default 400, eight times that for the
reader alone: about 30 s for the module); with CI set the examples are derandomized, so a
run is reproducible.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
import traceback
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from premortem_tui import cli
from premortem_tui.domain.demo import demo_workshop
from premortem_tui.domain.validate import ValidationError
from premortem_tui.domain import json_document
from premortem_tui.store.check import readonly_uri
from premortem_tui.store.reader import read_file
from premortem_tui.store.service import SessionService

from test_json_roundtrip import source_document

EXAMPLES = int(os.environ.get("PREMORTEM_FUZZ_EXAMPLES", "400"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
                print_blob=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def _minimal():
    return {"format": "premortem-session", "format_version": 1,
            "failures": [{"service": "Web", "failure": "slow"}],
            "countermeasures": [{"text": "cache", "failure_ids": []}]}


BASES = [source_document(), json_document.to_document(demo_workshop(date(2026, 3, 1)), NOW), _minimal()]


# -- what a mutation puts in ---------------------------------------------------------

HOSTILE_TEXT = ["\x1b]0;pwned\x07", "\x1b]52;c;cHduZWQ=\x07", "\x1b[2J\x1b[H", "a\u202eb", "\u2066x\u2069",
                "a\x00b", "\x85", "a\u2028b", "\r\n", "\t", "[/]", "[@click=app.quit]x[/]", "[bold red]x",
                "=HYPERLINK(\"http://x\")", "evil\r\nATTENDEE:mailto:a@b", "💥" * 3, "\ufeff", "\u200f", "",
                " ", "x" * 200, "x" * 201, "y" * 4000, "y" * 4001, "9999-12-31", "1899-12-31", "2999-12-31",
                "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "2026-02-30", "prevent", "keep",
                "intro", "pm", "now", "1", "5", "²"]
NUMBERS = [0, -1, 1, 5, 6, 2**31 - 1, 2**31, -2**63, 2**64, 10**100, -10**100, 0.5, 1.0, -0.0, 1e308, 3.0]

texts = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30),
                  st.text(st.characters(max_codepoint=0x2070), max_size=12))
scalars = st.one_of(st.none(), st.booleans(), st.sampled_from(NUMBERS), st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False), texts)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(texts, inner, max_size=4)), max_leaves=10)


ZONES = st.sampled_from([timezone.utc, timezone(timedelta(hours=14)), timezone(-timedelta(hours=23, minutes=59))])
# A value of the kind a field holds, at its edges: a far date, a running_since in a far zone, a big number.
FIELD_VALUES = {
    "date": st.dates().map(date.isoformat), "remind_on": st.dates().map(date.isoformat),
    "running_since": st.datetimes(timezones=st.one_of(st.none(), ZONES)).map(datetime.isoformat),
}
NUMBER_FIELDS = {"planned_minutes", "spent_seconds", "position", "stage_position", "rank", "impact",
                 "likelihood", "intro_cost", "maintenance_cost", "effect", "format_version"}


def field_values(key: object):
    if key in NUMBER_FIELDS:
        return st.one_of(st.sampled_from(NUMBERS), st.integers(), st.floats(allow_nan=False, allow_infinity=False))
    return FIELD_VALUES.get(key, values)


def nested(depth: int, inner: object = "x", as_object: bool = False) -> object:
    for _ in range(depth):
        inner = {"k": inner} if as_object else [inner]
    return inner


def nodes(doc, path=()):
    """Every path in ``doc``, containers included."""
    yield path
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from nodes(value, (*path, key))
    elif isinstance(doc, list):
        for n, value in enumerate(doc):
            yield from nodes(value, (*path, n))


def _at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def documents(draw):
    """A valid export with one to four mutations."""
    doc = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        paths = list(nodes(doc))
        path = draw(st.sampled_from(paths))
        holder = _at(doc, path)
        kind = draw(st.sampled_from(["replace", "replace", "field", "field", "nest", "unknown key", "delete",
                                     "duplicate", "id from elsewhere", "rename key"]))
        if kind == "field":
            fields = [p for p in paths if p and p[-1] in (*FIELD_VALUES, *NUMBER_FIELDS)]
            path = draw(st.sampled_from(fields)) if fields else path
            if path:
                _at(doc, path[:-1])[path[-1]] = draw(field_values(path[-1]))
        elif kind == "replace" and not path:
            doc = draw(values)
        elif kind == "replace":
            _at(doc, path[:-1])[path[-1]] = draw(values)
        elif kind == "nest" and path:
            _at(doc, path[:-1])[path[-1]] = nested(draw(st.integers(1, 40)), holder, draw(st.booleans()))
        elif kind == "unknown key" and isinstance(holder, dict):
            holder[draw(texts)] = draw(values)
        elif kind == "delete" and path:
            del _at(doc, path[:-1])[path[-1]]
        elif kind == "duplicate" and isinstance(holder, list) and holder:
            holder.append(copy.deepcopy(draw(st.sampled_from(holder))))
        elif kind == "id from elsewhere" and isinstance(holder, dict) and "id" in holder:
            ids = [_at(doc, p) for p in paths if p and p[-1] == "id" and isinstance(_at(doc, p), str)]
            if ids:
                holder["id"] = draw(st.sampled_from(ids))
        elif kind == "rename key" and isinstance(holder, dict) and holder:
            key = draw(st.sampled_from(sorted(holder, key=str)))
            holder[draw(texts)] = holder.pop(key)
    return doc


def serialise(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8", "surrogatepass")


@st.composite
def damaged_bytes(draw):
    """A serialised export cut short, with bytes flipped, inserted or a byte order mark."""
    data = bytearray(serialise(draw(st.one_of(st.sampled_from(BASES), documents()))))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "bom", "prefix"]))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x80", b"\x00",
                                                b"\x1b", b"\xef\xbb\xbf", b"[", b"{", b"\"", b"NaN", b"1e999"]))
        elif kind == "bom":
            data[0:0] = b"\xef\xbb\xbf"
        elif kind == "prefix":
            data[0:0] = b"SQLite format 3\x00"
    return bytes(data)


# -- running one import ----------------------------------------------------------------

@pytest.fixture(scope="module")
def existing(tmp_path_factory):
    """A session file made from the full export, created once and copied per example."""
    path = str(tmp_path_factory.mktemp("fixture") / "existing.premortem")
    workshop, _ = json_document.from_document(source_document())
    with SessionService.open(path, create=True) as service:
        service.import_workshop(workshop, whole_session=True)
    return path


def digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def run_main(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(argv)
        except BaseException:  # noqa: BLE001 - the property is that nothing escapes
            pytest.fail("an exception escaped main:\n" + traceback.format_exc())
    return code, err.getvalue()


def integrity_ok(path: str) -> bool:
    conn = sqlite3.connect(readonly_uri(path), uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def check_import(payload: bytes, existing_session: str) -> None:
    """The properties, for a new target and for a copy of an existing session."""
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "source.json")
        with open(source, "wb") as handle:
            handle.write(payload)
        new = os.path.join(folder, "new.premortem")
        old = os.path.join(folder, "old.premortem")
        shutil.copyfile(existing_session, old)
        before = digest(old)
        for target in (new, old):
            listing = sorted(os.listdir(folder))
            code, err = run_main(["import", target, source])
            event(f"{'new' if target == new else 'existing'} target: {'refused' if code else 'imported'}")
            assert code in (0, 1), (code, err)
            lines = err.splitlines()
            assert all(line.isprintable() for line in lines), err  # nothing raw reaches the terminal
            assert all(len(line) < 400 for line in lines), err  # a value is quoted briefly
            if code == 1:
                assert len(lines) == 1, err
                assert lines[0].startswith(f"premortem: {source}: ") or lines[0].startswith(f"premortem: {target}"), err
                assert sorted(os.listdir(folder)) == listing, err  # nothing left behind, nothing removed
                if target == old:
                    assert digest(old) == before, err
            else:
                assert all(line.startswith("warning: source.json: ") for line in lines), err
                # the session is complete in its file: no -wal or -shm beside it
                assert sorted(os.listdir(folder)) == sorted({*listing, os.path.basename(target)}), err
                assert len(lines) <= 10, err
                assert read_file(target) is not None
                assert integrity_ok(target)
                if target == new:  # what was let in can be exported
                    for fmt in ("json", "md", "csv", "ics"):
                        code, err = run_main(["export", target, "--format", fmt])
                        assert code == 0 or (code == 1 and fmt == "ics" and len(err.splitlines()) == 1), (fmt, err)


# -- the properties ------------------------------------------------------------------

@FUZZ
@given(doc=documents())
@example(doc={**source_document(), "\x1b]0;x\x07": 1, "[/]": [{"[/]": 2}]})
def test_import_of_a_mutated_export_is_all_or_nothing_and_one_line(existing, doc):
    check_import(serialise(doc), existing)


@FUZZ
@given(payload=damaged_bytes())
@example(payload=b'{"format": "premortem-session", "format_version": ' + b"9" * 5000 + b"}")
@example(payload=b"\xef\xbb\xbf" + serialise(source_document()))
@example(payload=serialise(source_document())[:-7])
@example(payload=serialise(source_document())[:-2] + b', "x": ' + b"[" * 2_000 + b"]" * 2_000 + b"}")
def test_import_of_damaged_bytes_is_all_or_nothing_and_one_line(existing, payload):
    check_import(payload, existing)


@settings(FUZZ, max_examples=EXAMPLES * 8)
@given(doc=documents())
def test_the_reader_raises_only_validation_errors(doc):
    try:
        json_document.loads(serialise(doc).decode("utf-8", "surrogatepass"))
    except ValidationError as exc:
        assert "\n" not in str(exc) and str(exc).isprintable()
        assert len(str(exc)) < 400
