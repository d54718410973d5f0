"""The session export document (PRODUCT.md, "The JSON export"), both ways.

The format lives in the domain because two siblings need it: the export writes
it as text, and the store reads ``import`` sources and checks session files
through it; neither may import the other.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any

from ..i18n import N_, _
from . import timer, validate
from .carry import split_previous_context
from .plaintext import visible
from .model import (
    DEFAULT_GROUND_RULES, DEFAULT_PURPOSE, PHASE_KEYS, Countermeasure, Failure, Participant, Phase,
    Previous, RetroNote, Session, Workshop, default_phases, new_id, normalise_service,
)
from .validate import ValidationError, shown

FORMAT = "premortem-session"
FORMAT_VERSION = 2  # 2: the previous session's title, date and tries as fields; when it ended
READABLE_VERSIONS = (1, 2)


def _instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _read_instant(where: str, value: Any) -> datetime | None:
    """An ISO 8601 instant (UTC when it names no zone), or None for null or ""."""
    try:
        instant = datetime.fromisoformat(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        raise ValidationError(_("{where} must be an ISO 8601 instant, not {value}").format(
            where=where, value=shown(value))) from None
    if instant is not None:
        validate.in_range(where, instant.date())
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=timezone.utc)
    return instant


def _previous(p: Previous | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"id": p.id, "impact": p.impact, "likelihood": p.likelihood, "decision": p.decision}


def to_document(w: Workshop, now: datetime) -> dict[str, Any]:
    """The session as the JSON export's dictionary; ``spent_seconds`` counts up to ``now``."""
    s = w.session
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "session": {"id": s.id, "title": s.title, "date": s.date, "context": s.context,
                    "purpose": s.purpose, "ground_rules": s.ground_rules, "rehearsal": s.rehearsal,
                    "current_phase": s.current_phase, "previous_session_id": s.previous_session_id,
                    "previous_context": s.previous_context, "previous_title": s.previous_title,
                    "previous_date": s.previous_date, "previous_tries": list(s.previous_tries),
                    "ended_at": _instant(datetime.fromisoformat(s.ended_at)) if s.ended_at else None},
        "participants": [{"id": p.id, "name": p.name, "role": p.role} for p in w.participants],
        "phases": [{"key": p.key, "planned_minutes": p.planned_minutes,
                    "spent_seconds": int(timer.spent(p, now)), "running_since": _instant(p.running_since)}
                   for p in w.phases],
        "failures": [{"id": f.id, "service": f.service, "failure": f.failure, "period": f.period,
                      "timing": f.timing, "author": f.author, "position": f.position, "impact": f.impact,
                      "likelihood": f.likelihood, "risk": f.risk, "acceptable": f.acceptable,
                      "notes": f.notes, "variant_of": f.variant_of, "previous": _previous(f.previous)}
                     for f in w.failures],
        "countermeasures": [{"id": c.id, "text": c.text, "failure_ids": list(c.failure_ids),
                             "stage": c.stage, "stage_position": c.stage_position,
                             "intro_cost": c.intro_cost, "maintenance_cost": c.maintenance_cost,
                             "effect": c.effect, "decision": c.decision, "rank": c.rank,
                             "decision_note": c.decision_note, "owner": c.owner,
                             "revisit_when": c.revisit_when, "remind_on": c.remind_on, "done": c.done,
                             "author": c.author, "previous": _previous(c.previous)}
                            for c in w.countermeasures],
        "retro": [{"id": n.id, "kind": n.kind, "text": n.text, "author": n.author, "position": n.position}
                  for n in w.retro],
    }


# -- reading ------------------------------------------------------------------

_SESSION_KEYS = {"id", "title", "date", "context", "purpose", "ground_rules", "rehearsal", "current_phase",
                 "previous_session_id", "previous_context", "previous_title", "previous_date", "previous_tries",
                 "ended_at"}
_KEYS = {
    "participants": {"id", "name", "role"},
    "phases": {"key", "planned_minutes", "spent_seconds", "running_since"},
    "failures": {"id", "service", "failure", "period", "timing", "author", "position", "impact",
                 "likelihood", "risk", "acceptable", "notes", "variant_of", "previous"},
    "countermeasures": {"id", "text", "failure_ids", "stage", "stage_position", "intro_cost",
                        "maintenance_cost", "effect", "decision", "rank", "decision_note", "owner",
                        "revisit_when", "remind_on", "done", "author", "previous"},
    "retro": {"id", "kind", "text", "author", "position"},
}
_TOP_KEYS = {"format", "format_version", "session", *_KEYS}


MAX_WARNINGS = 10  # then one line counts the rest: a document of junk keys must not flood the screen


class _Reader:
    """Validates one document, collecting warnings for unknown keys."""

    def __init__(self) -> None:
        self.unknown: list[str] = []

    def obj(self, where: str, value: Any, known: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValidationError(_("{where} must be an object").format(where=where))
        for key in sorted(set(value) - known):
            # repr spells out escapes
            self.unknown.append(_("{where}: unknown key {key} ignored").format(where=where, key=shown(key)))
        return value

    def warnings(self) -> list[str]:
        if len(self.unknown) <= MAX_WARNINGS:
            return self.unknown
        rest = len(self.unknown) - MAX_WARNINGS + 1
        return [*self.unknown[:MAX_WARNINGS - 1], f"{rest} more unknown keys ignored"]

    def items(self, doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
        value = doc.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValidationError(_("{name} must be an array").format(name=name))
        return [self.obj(f"{name}[{n}]", item, _KEYS[name]) for n, item in enumerate(value)]


MAX_INT = 2**31 - 1  # positions, ranks, minutes and seconds; far above any real session


def _int(where: str, value: Any, default: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_INT \
            or value != int(value):
        raise ValidationError(_("{where} must be a whole number from 0 to {most}, not {value}").format(
            where=where, most=MAX_INT, value=shown(value)))
    return int(value)


def _bool(where: str, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(_("{where} must be true or false, not {value}").format(where=where, value=shown(value)))
    return value


def _text(where: str, value: Any, *, required: bool = False, long: bool = False) -> str:
    return validate.text(where, value, required=required,
                         max_len=validate.MAX_LONG if long else validate.MAX_SHORT)


def _prev(where: str, value: Any) -> Previous | None:
    if value is None:
        return None
    if not isinstance(value, dict) or "id" not in value:
        raise ValidationError(_("{where}.previous must be null or an object with an id").format(where=where))
    decision = value.get("decision")
    return Previous(validate.card_id(value["id"]), validate.score(f"{where}.previous.impact", value.get("impact")),
                    validate.score(f"{where}.previous.likelihood", value.get("likelihood")),
                    validate.decision(decision) if decision is not None else None)


def from_document(doc: Any) -> tuple[Workshop, list[str]]:
    """A Workshop from a JSON export, and warnings; ValidationError names what is wrong.

    Missing fields take their defaults; ``risk`` is ignored (it is computed).
    """
    _check_tree(doc)
    r = _Reader()
    doc = r.obj("the document", doc, _TOP_KEYS)
    if doc.get("format") != FORMAT:
        raise ValidationError(_("not a premortem session export (format is {detail})").format(
            detail=shown(doc.get('format'))))
    version = doc.get("format_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise ValidationError(_("format_version {version} is not supported (this version reads {supported})").format(
            version=shown(version), supported=", ".join(map(str, READABLE_VERSIONS))))

    raw_session = r.obj("session", doc.get("session") or {}, _SESSION_KEYS)
    session = Session()
    if "id" in raw_session:
        session.id = validate.card_id(raw_session["id"])
    session.title = _text("session.title", raw_session.get("title")) or session.title
    session.date = validate.iso_date("session.date", raw_session.get("date")) or ""
    session.context = _text("session.context", raw_session.get("context"), long=True)
    session.purpose = _text("session.purpose", raw_session.get("purpose", DEFAULT_PURPOSE), long=True)
    session.ground_rules = _text("session.ground_rules", raw_session.get("ground_rules", DEFAULT_GROUND_RULES),
                                 long=True)
    session.rehearsal = _bool("session.rehearsal", raw_session.get("rehearsal"))
    session.current_phase = validate.phase_key(raw_session.get("current_phase") or "intro")
    prev_id = raw_session.get("previous_session_id")
    session.previous_session_id = validate.card_id(prev_id) if prev_id is not None else None
    session.previous_context = _text("session.previous_context", raw_session.get("previous_context"), long=True)
    if version == 1:  # the previous session's title, date and tries were written into that text
        session.previous_title, session.previous_date, session.previous_tries, session.previous_context = \
            split_previous_context(session.previous_context)
    else:
        session.previous_title = _text("session.previous_title", raw_session.get("previous_title"))
        session.previous_date = validate.iso_date("session.previous_date", raw_session.get("previous_date")) or ""
        tries = raw_session.get("previous_tries") or []
        if not isinstance(tries, list):
            raise ValidationError(_("{where} must be an array").format(where="session.previous_tries"))
        session.previous_tries = [_text(f"session.previous_tries[{n}]", t, required=True, long=True)
                                  for n, t in enumerate(tries)]
        ended = _read_instant("session.ended_at", raw_session.get("ended_at"))
        session.ended_at = ended.isoformat() if ended else ""

    participants = [Participant(_text(f"participants[{n}].name", p.get("name"), required=True),
                                validate.role(p.get("role") or "other"),
                                validate.card_id(p["id"]) if "id" in p else new_id())
                    for n, p in enumerate(r.items(doc, "participants"))]

    phases = {p.key: p for p in default_phases()}
    for n, p in enumerate(r.items(doc, "phases")):
        key = validate.phase_key(p.get("key"))
        running = _read_instant(f"phases[{n}].running_since", p.get("running_since"))
        planned = _int(f"phases[{n}].planned_minutes", p.get("planned_minutes"), phases[key].planned_minutes)
        if planned < 1:
            raise ValidationError(_("phases[{n}].planned_minutes must be at least 1").format(n=n))
        phases[key] = Phase(key, planned, float(_int(f"phases[{n}].spent_seconds", p.get("spent_seconds"))),
                            running)

    failures = []
    for n, f in enumerate(r.items(doc, "failures")):
        where = f"failures[{n}]"
        card = Failure(
            service=normalise_service(_text(f"{where}.service", f.get("service"), required=True)),
            failure=_text(f"{where}.failure", f.get("failure"), required=True, long=True),
            period=_text(f"{where}.period", f.get("period")), timing=_text(f"{where}.timing", f.get("timing")),
            author=_text(f"{where}.author", f.get("author")), position=_int(f"{where}.position", f.get("position"), n),
            impact=validate.score(f"{where}.impact", f.get("impact")),
            likelihood=validate.score(f"{where}.likelihood", f.get("likelihood")),
            acceptable=_bool(f"{where}.acceptable", f.get("acceptable")),
            notes=_text(f"{where}.notes", f.get("notes"), long=True),
            variant_of=validate.card_id(f["variant_of"]) if f.get("variant_of") is not None else None,
            previous=_prev(where, f.get("previous")))
        if "id" in f:
            card.id = validate.card_id(f["id"])
        failures.append(card)

    countermeasures = []
    for n, c in enumerate(r.items(doc, "countermeasures")):
        where = f"countermeasures[{n}]"
        ids = c.get("failure_ids") or []
        if not isinstance(ids, list):
            raise ValidationError(_("{where}.failure_ids must be an array").format(where=where))
        card = Countermeasure(
            text=_text(f"{where}.text", c.get("text"), required=True, long=True),
            failure_ids=[validate.card_id(i) for i in ids], stage=validate.stage(c.get("stage") or "prevent"),
            stage_position=_int(f"{where}.stage_position", c.get("stage_position"), n),
            intro_cost=validate.score(f"{where}.intro_cost", c.get("intro_cost")),
            maintenance_cost=validate.score(f"{where}.maintenance_cost", c.get("maintenance_cost")),
            effect=validate.score(f"{where}.effect", c.get("effect")),
            decision=validate.decision(c.get("decision") or "undecided"), rank=_int(f"{where}.rank", c.get("rank"), n),
            decision_note=_text(f"{where}.decision_note", c.get("decision_note"), long=True),
            owner=_text(f"{where}.owner", c.get("owner")),
            revisit_when=_text(f"{where}.revisit_when", c.get("revisit_when")),
            remind_on=validate.iso_date(f"{where}.remind_on", c.get("remind_on")),
            done=_bool(f"{where}.done", c.get("done")), author=_text(f"{where}.author", c.get("author")),
            previous=_prev(where, c.get("previous")))
        if "id" in c:
            card.id = validate.card_id(c["id"])
        countermeasures.append(card)

    retro = []
    for n, t in enumerate(r.items(doc, "retro")):
        where = f"retro[{n}]"
        note = RetroNote(validate.retro_kind(t.get("kind")), _text(f"{where}.text", t.get("text"), required=True, long=True),
                         _text(f"{where}.author", t.get("author")), _int(f"{where}.position", t.get("position"), n))
        if "id" in t:
            note.id = validate.card_id(t["id"])
        retro.append(note)

    _unique_ids(failures, countermeasures, retro)
    _unique_ids(participants, what="participants")
    ordered = [phases[key] for key in PHASE_KEYS]
    return Workshop(session, participants, ordered, failures, countermeasures, retro), r.warnings()


def checked(w: Workshop, source: str) -> tuple[Workshop, list[str]]:
    """``w``, read from the session file ``source``, through the same checks as its JSON export.

    A session file travels like an export and was perhaps written by other means: what it
    holds is as untrusted. ValidationError names ``source`` and the field.
    """
    try:
        # Counted up to an instant before any start, a running phase keeps its spent seconds as
        # stored: up to now would count its running time twice, since running_since travels too.
        doc = to_document(w, datetime.min.replace(tzinfo=timezone.utc))
    except (TypeError, ValueError, OverflowError) as exc:  # SQLite keeps any type in any column
        raise ValidationError(_("{source}: holds a value of the wrong type ({detail})").format(
            source=source, detail=visible(str(exc))[:100])) from None
    try:
        return from_document(doc)
    except ValidationError as exc:
        raise ValidationError(_("{source}: {detail}").format(source=source, detail=exc)) from None


def _unique_ids(*groups: list[Any], what: str = "cards") -> None:
    seen: set[str] = set()
    for group in groups:
        for card in group:
            if card.id in seen:
                raise ValidationError(_("the id {id!r} is used by two {what}").format(id=card.id, what=what))
            seen.add(card.id)


MAX_DEPTH = 16  # an export nests 5 deep (document, list, card, previous, value)
_TOO_DEEP = N_("is not a session export (nested more than {depth} levels deep)")


def _check_tree(doc: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and lone surrogates, walking without recursion.

    After this the reader and the messages that quote a value never recurse deeply.
    """
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            try:  # a "\ud800" escape decodes to text that cannot be stored
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValidationError(_("is not valid JSON (an escape that is not a Unicode character)")) from None
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise ValidationError(_(_TOO_DEEP).format(depth=MAX_DEPTH))
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


MAX_DIGITS = 100  # the export's numbers have at most 10 digits; Python refuses more than 4300


def _whole(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_DIGITS:
        raise ValidationError(_("is not a session export (a number with {digits} digits)").format(digits=digits))
    return int(literal)


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValidationError(_("is not a session export ({literal} is too large a number)").format(
            literal=shown(literal, 20)))
    return value


def _no_constant(name: str) -> Any:
    raise ValidationError(_("is not valid JSON ({name} is not a number)").format(name=name))


def loads(text: str) -> tuple[Workshop, list[str]]:
    """A Workshop and warnings from the text of a JSON export; ValidationError names what is wrong."""
    if text.startswith("\ufeff"):  # editors on Windows save UTF-8 with a byte order mark
        text = text[1:]
    try:
        doc = json.loads(text, parse_int=_whole, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError(_("is not valid JSON (line {lineno}, column {colno}: {msg})").format(
            lineno=exc.lineno, colno=exc.colno, msg=exc.msg)) from None
    except RecursionError:  # the parser recurses per [ or {
        raise ValidationError(_(_TOO_DEEP).format(depth=MAX_DEPTH)) from None
    return from_document(doc)
