"""The CSV export: every card of a session in one table, told apart by a ``kind`` column.

Written for spreadsheets: UTF-8 with a byte order mark (without one, Excel on a
Japanese Windows reads the file as Shift_JIS), and no cell a spreadsheet would
run as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..domain.model import RETRO_KINDS, STAGES, Countermeasure, Failure, RetroNote, Workshop, service_key
from ..domain.plaintext import visible

COLUMNS: tuple[str, ...] = (
    "kind", "id", "service", "failure", "period", "timing", "author", "position", "impact",
    "likelihood", "risk", "acceptable", "notes", "variant_of", "text", "failure_ids", "stage",
    "stage_position", "intro_cost", "maintenance_cost", "effect", "decision", "rank",
    "decision_note", "owner", "revisit_when", "remind_on", "done", "retro_kind",
)
BOM = "\ufeff"
# What makes a spreadsheet run a cell as a formula (OWASP, "CSV Injection"): one of these
# first, some spreadsheets skipping blanks before it, or a leading tab or CR.
_FORMULA_START = ("=", "+", "-", "@")


def _value(value: Any) -> str:
    """Blank for unset; booleans spelt as in the JSON export; text as ``_text`` writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text(value) if isinstance(value, str) else str(value)


def _text(value: str) -> str:
    """A user's text: control characters spelt out as on screen, and a leading ``'`` when a
    spreadsheet would take it for a formula (the quote tells it the cell is text)."""
    value = visible(value)
    if value.startswith(("\t", "\r")) or value.lstrip().startswith(_FORMULA_START):
        return "'" + value
    return value


def _failure_row(f: Failure) -> dict[str, Any]:
    return {"kind": "failure", "id": f.id, "service": f.service, "failure": f.failure,
            "period": f.period, "timing": f.timing, "author": f.author, "position": f.position,
            "impact": f.impact, "likelihood": f.likelihood, "risk": f.risk, "acceptable": f.acceptable,
            "notes": f.notes, "variant_of": f.variant_of}


def _countermeasure_row(c: Countermeasure) -> dict[str, Any]:
    return {"kind": "countermeasure", "id": c.id, "author": c.author, "text": c.text,
            "failure_ids": ";".join(c.failure_ids), "stage": c.stage, "stage_position": c.stage_position,
            "intro_cost": c.intro_cost, "maintenance_cost": c.maintenance_cost, "effect": c.effect,
            "decision": c.decision, "rank": c.rank, "decision_note": c.decision_note, "owner": c.owner,
            "revisit_when": c.revisit_when, "remind_on": c.remind_on, "done": c.done}


def _retro_row(n: RetroNote) -> dict[str, Any]:
    return {"kind": "retro", "id": n.id, "author": n.author, "position": n.position, "text": n.text,
            "retro_kind": n.kind}


def _order(keys: tuple[str, ...], key: str) -> int:
    return keys.index(key) if key in keys else len(keys)


def render_csv(w: Workshop) -> str:
    """Failures, then countermeasures, then retrospective notes, each in board order.

    The text starts with the byte order mark, written as is to a file or stdout.
    """
    # Stable sorts: a workshop read from a file is already in board order and stays as it is.
    failures = sorted(w.failures, key=lambda f: (service_key(f.service), f.position))
    countermeasures = sorted(w.countermeasures, key=lambda c: (_order(STAGES, c.stage), c.stage_position))
    retro = sorted(w.retro, key=lambda n: (_order(RETRO_KINDS, n.kind), n.position))
    rows = [_failure_row(f) for f in failures] + [_countermeasure_row(c) for c in countermeasures] \
        + [_retro_row(n) for n in retro]
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: _value(row.get(name)) for name in COLUMNS})
    return out.getvalue()
