"""The Markdown report: what a team pastes into its wiki after the workshop.

Every user string goes through ``escape``: a wiki that renders Markdown and raw
HTML shows a card's ``<script>``, ``[x](javascript:...)`` or leading ``#`` as the
text it is, never as markup. ``unescape`` gives the text back for the screen.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Iterable

from ..domain import changes as changes_mod
from ..domain import scoring, timer, vocabulary
from ..domain.model import RETRO_KINDS, Countermeasure, Failure, Workshop, service_key
from ..domain.carry import previous_session_label
from ..domain.plaintext import visible
from ..i18n import _

LINE_BREAK = "<br>"  # the report's own line break inside a list item or table cell

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Markdown punctuation that means something anywhere in a line: escapes, code, emphasis,
# links and images, strikethrough, table cells, heading closers, math, wiki macros.
_INLINE = "\\`*_[]~|#${}"
# Both in one pass: no entity holds an _INLINE mark, so this is the entities, then the backslashes.
_ESCAPES = str.maketrans({**_HTML, **{c: "\\" + c for c in _INLINE}})
# ... and at the start of one: a list item, a thematic break, a setext underline, "1. " or "1) ".
_LINE_START = re.compile(r"^(?:\d+(?=[.)](?:\s|$))|(?=[-+=]))")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation


def escape(line: str, *, line_start: bool = True) -> str:
    """One line of a user's text as literal Markdown.

    HTML's ``& < > "`` become entities (so no tag, comment or autolink can open), then
    Markdown punctuation is backslash-escaped where it can open structure or a link: the
    ``_INLINE`` marks everywhere, and ``- + =`` or a list number's ``.`` / ``)`` at the start
    when ``line_start`` (a line that could begin a block; a table cell cannot). Control
    and bidi characters are spelt out. Letters, digits and other scripts stay as they
    are, so the file stays readable.
    """
    text = visible(line).translate(_ESCAPES)
    first = text[:1]
    if line_start and (first in "-+=" or first.isdecimal()):  # all _LINE_START can mark (its \d: any Nd)
        return _LINE_START.sub(_mark_start, text)
    return text


def _mark_start(match: re.Match[str]) -> str:
    return match.group() + "\\"


def unescape(markdown: str, *, line_break: str = "\n") -> str:
    """The text ``escape`` was given, from what it wrote (unsafe characters stay spelt out);
    the report's own ``<br>`` becomes ``line_break``."""
    if "\\" not in markdown and "&" not in markdown and "<" not in markdown:
        return markdown  # nothing escaped, no line break: most cells
    return line_break.join(html.unescape(_ESCAPED.sub(_unmark, part)) for part in markdown.split(LINE_BREAK))


def _unmark(match: re.Match[str]) -> str:
    return match.group(1)


# Labels are looked up at render time, so a language chosen at start-up applies.
def _phase_labels() -> dict[str, str]:
    return vocabulary.labels(vocabulary.PHASES)


def _role_labels() -> dict[str, str]:
    return vocabulary.labels(vocabulary.ROLES_SHORT)


def _decision_labels() -> dict[str, str]:
    return vocabulary.labels(vocabulary.DECISIONS)


def _stage_labels() -> dict[str, str]:
    return vocabulary.labels(vocabulary.STAGES_SHORT)


def _band_labels() -> dict[str, str]:
    return vocabulary.labels(vocabulary.BANDS)


def _retro_labels() -> dict[str, str]:
    return vocabulary.labels(vocabulary.RETRO_KINDS)


def _inline(text: str, *, line_start: bool = True) -> str:
    """User text as one line of Markdown: line breaks become <br> so a list item or cell stays whole."""
    lines = text.strip().splitlines()
    if len(lines) == 1:  # most cells and items: no generator to join
        return escape(lines[0], line_start=line_start)
    return LINE_BREAK.join(escape(line.strip(), line_start=line_start) for line in lines)


def _paragraphs(text: str) -> list[str]:
    """Free text with each line its own paragraph: Markdown would run single lines together.
    Leading blanks go, or four of them would make a code block."""
    return [part for line in text.splitlines() if line.strip() for part in (escape(line.strip()), "")]


def _cell(value: object) -> str:
    if value is None or value == "":
        return ""
    if type(value) is int:  # a number, a rank, a cost: nothing to escape
        return str(value)
    return _inline(str(value), line_start=False)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    """A table of the report's own ``header`` labels and ``rows`` of any values, escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _minutes(seconds: float) -> str:
    return str(int(seconds / 60 + 0.5))


def _risk_label(value: int | None) -> str:
    name = scoring.band(value)
    if name is None:
        return _(vocabulary.UNJUDGED)
    return f"{_band_labels()[name]} {scoring.BAND_SYMBOLS[name]}"


def _failure_name(f: Failure) -> str:
    return f"{f.service}: {f.failure}"


def render_markdown(w: Workshop, now: datetime, *, removed: Iterable[tuple[str, str, str]] = ()) -> str:
    """The whole session as a Markdown report; phase times count up to ``now``.

    ``removed``: (kind, previous id, label) of the carried cards deleted from
    a carried session, for its "Since last time" section.
    """
    lines = _heading(w)
    lines += _since_last_time(w, now, removed)
    lines += _agenda(w, now)
    lines += _failures(w)
    lines += _countermeasures(w)
    lines += _coverage(w)
    lines += _retro(w)
    return "\n".join(lines).rstrip("\n") + "\n"


def clock_part(w: Workshop, now: datetime) -> tuple[object, ...]:
    """What of ``w``'s report ``now`` decides: today (reminders due) and the agenda's minutes.
    Two renderings of the same workshop with the same clock_part are the same text."""
    return timer.local_date(now), tuple(_agenda(w, now))


def _heading(w: Workshop) -> list[str]:
    s = w.session
    lines = [f"# {_inline(s.title)}", ""]
    facts = [f"**{_('Date')}:** {_inline(s.date)}"] if s.date else []
    if s.ended_at:
        ended = timer.local_time(datetime.fromisoformat(s.ended_at))
        facts.append(f"**{_('Ended')}:** {ended:%Y-%m-%d %H:%M}")
    if s.rehearsal:
        facts.append(f"**{_('Rehearsal')}**")
    if facts:
        lines += [" · ".join(facts), ""]
    if s.context.strip():
        lines += [f"## {_('Context')}", ""] + _paragraphs(s.context)
    if s.previous_title:
        lines += [f"## {_('Previous session')}", "", _inline(previous_session_label(s)), ""]
    if s.previous_context.strip():
        lines += [f"## {_('Previous context')}", ""] + _paragraphs(s.previous_context)
    if s.previous_tries:
        lines += [f"## {_('Try (from last time)')}", ""] + [f"- {_inline(t)}" for t in s.previous_tries] + [""]
    if s.purpose.strip():
        lines += [f"## {_('Purpose')}", ""] + _paragraphs(s.purpose)
    if s.ground_rules.strip():
        lines += [f"## {_('Ground rules')}", ""]
        lines += [f"- {_inline(rule)}" for rule in s.ground_rules.splitlines() if rule.strip()] + [""]
    lines += [f"## {_('Participants')}", ""]
    roles = _role_labels()
    if w.participants:
        lines += [f"- {_inline(p.name)} ({_inline(roles.get(p.role, p.role))})" for p in w.participants] + [""]
    else:
        lines += [_("No participants recorded."), ""]
    return lines


def _since_last_time(w: Workshop, now: datetime, removed: Iterable[tuple[str, str, str]]) -> list[str]:
    """For a carried session: what changed since the previous one, then the reminders that came due."""
    if not w.session.previous_session_id:
        return []
    today = timer.local_date(now)  # the day a clock giving ``now`` calls today()
    c = changes_mod.since_last_time(w, removed, today)
    lines = [f"## {_('Since last time')}", ""]
    if c.since is not None:
        lines += [_("Compared with the previous session of {date}.").format(date=c.since.isoformat()), ""]
    if c.empty:
        lines += [_("Nothing changed since last time."), ""]
    decisions = changes_mod.decision_labels()

    def group(title: str, items: list[str]) -> None:
        if items:
            lines.extend([f"### {title}", ""] + [f"- {item}" for item in items] + [""])

    group(_("Risk changed"), [
        _("**{failure}**: was {was}, now {now} ({risk})").format(
            failure=_inline(_failure_name(r.failure)),
            was=changes_mod.judgement_label(r.was_impact, r.was_likelihood),
            now=changes_mod.judgement_label(r.failure.impact, r.failure.likelihood),
            risk=_risk_label(r.failure.risk)) for r in c.risk_changed])
    group(_("New failures"), [f"{_inline(_failure_name(f))} ({_risk_label(f.risk)})" for f in c.new_failures])
    group(_("Removed failures"), [_inline(r.label) for r in c.removed_failures])
    group(_("Removed countermeasures"), [_inline(r.label) for r in c.removed_countermeasures])
    group(_("Decision changed"), [
        _("**{countermeasure}**: {was} -> {now}").format(
            countermeasure=_inline(d.countermeasure.text), was=_inline(decisions.get(d.was, d.was)),
            now=_inline(decisions.get(d.countermeasure.decision, d.countermeasure.decision)))
        for d in c.decision_changed])
    if c.done:
        group(_("Marked done"), [_inline(cm.text) for cm in c.done])

    lines += [f"### {_('Reminders due since last time')}", ""]
    if not c.reminders_due:
        return lines + [_("No reminder came due since last time."), ""]
    for cm in c.reminders_due:
        details = [_("reminder {date}").format(date=_inline(cm.remind_on or ""))]
        if cm.revisit_when.strip():
            details.append(_("condition: {condition}").format(condition=_inline(cm.revisit_when)))
        if cm.owner.strip():
            details.append(_("owner: {owner}").format(owner=_inline(cm.owner)))
        lines.append(f"- {_inline(cm.text)} ({'; '.join(details)})")
    return lines + [""]


def _agenda(w: Workshop, now: datetime) -> list[str]:
    if not w.phases:
        return []
    labels = _phase_labels()
    rows: list[list[object]] = []
    for number, phase in enumerate(w.phases, 1):
        name = labels.get(phase.key, phase.key)
        if phase.key == w.session.current_phase:
            name += f" ({_('current')})"
        if phase.running:
            name += f" ({_('running')})"
        rows.append([number, name, phase.planned_minutes, _minutes(timer.spent(phase, now))])
    planned = sum(p.planned_minutes for p in w.phases)
    rows.append(["", _("Total"), planned, _minutes(sum(timer.spent(p, now) for p in w.phases))])
    balance = timer.agenda_balance(w.phases, now)
    if balance < 0:
        summary = _("Over the agenda by {minutes} min.").format(minutes=_minutes(-balance))
    else:
        summary = _("{minutes} min of the agenda left.").format(minutes=_minutes(balance))
    header = ["#", _("Phase"), _("Planned (min)"), _("Spent (min)")]
    return [f"## {_('Agenda')}", ""] + _table(header, rows) + [summary, ""]


def _failures(w: Workshop) -> list[str]:
    lines = [f"## {_('Anticipated failures')}", ""]
    if not w.failures:
        return lines + [_("No failures yet."), ""]
    by_id = w.failure_by_id()
    rows: list[list[object]] = []
    for number, f in enumerate(scoring.ranked_failures(w.failures), 1):
        text = f.failure
        if f.variant_of in by_id:
            text += "\n" + _("(variant of: {failure})").format(failure=by_id[f.variant_of].failure)
        risk = f"{f.risk} ({f.impact}x{f.likelihood})" if f.risk is not None else ""
        rows.append([number, risk, _risk_label(f.risk), f.service, text, f.period, f.timing,
                     _("yes") if f.acceptable else "", f.notes, f.author])
    header = ["#", _("Risk"), _("Band"), _("Service"), _("Failure"), _("Period"), _("Timing"),
              _("Acceptable"), _("Notes"), _("Author")]
    if not any(f.author for f in w.failures):  # no author named (a blameless report): no column
        header, rows = header[:-1], [row[:-1] for row in rows]
    lines += _table(header, rows)
    weights = [[name, weight, sum(1 for f in w.failures if service_key(f.service) == service_key(name))]
               for name, weight in scoring.service_weights(w.failures)]
    lines += [f"### {_('Weight per service')}", ""]
    return lines + _table([_("Service"), _("Weight"), _("Failures")], weights)


def _countermeasures(w: Workshop) -> list[str]:
    lines = [f"## {_('Countermeasures')}", ""]
    if not w.countermeasures:
        return lines + [_("No countermeasures yet."), ""]
    by_id = w.failure_by_id()
    stages = _stage_labels()
    for decision, label in _decision_labels().items():
        group = sorted((c for c in w.countermeasures if c.decision == decision), key=lambda c: c.rank)
        if not group:
            continue
        header = ["#", _("Countermeasure"), _("Stage"), _("Intro cost"), _("Maint. cost"), _("Effect"),
                  _("Value"), _("Owner"), _("Answers"), _("Decision note")]
        if decision == "later":
            header += [_("Condition"), _("Reminder")]
        rows = []
        for number, cm in enumerate(group, 1):
            row = [number, _cm_text(cm), stages.get(cm.stage, cm.stage), cm.intro_cost,
                   cm.maintenance_cost, cm.effect, _value(cm, by_id), cm.owner,
                   "\n".join(_failure_name(by_id[i]) for i in cm.failure_ids if i in by_id),
                   cm.decision_note]
            if decision == "later":
                row += [cm.revisit_when, cm.remind_on]
            rows.append(row)
        lines += [f"### {label}", ""] + _table(header, rows)
    return lines


def _cm_text(cm: Countermeasure) -> str:
    return f"{cm.text} ({_('done')})" if cm.done else cm.text


def _value(cm: Countermeasure, by_id: dict[str, Failure]) -> str:
    value = scoring.suggested_value(cm, by_id)
    return "" if value is None else f"{value:.1f}"


def _coverage(w: Workshop) -> list[str]:
    lines = [f"## {_('Coverage')}", ""]
    entries = scoring.coverage(w.failures, w.countermeasures)
    if not entries:
        return lines + [_("No high or critical failure needs defending."), ""]
    stages = _stage_labels()
    notes = {"detect": _("nothing detects it"), "respond": _("nothing responds to it")}
    none = _("none")
    for entry in entries:
        f = entry.failure
        lines.append(f"- **{_inline(_failure_name(f))}** ({_('risk')} {f.risk}, {_risk_label(f.risk)})")
        covered = ", ".join(stages[s] for s in entry.stages) or none
        still_open = ", ".join(stages[s] for s in entry.open_stages) or none
        lines.append(f"  - {_('covered')}: {covered}; {_('open')}: {still_open}")
        if entry.gap:
            lines.append(f"  - **{_('Warning')}:** {_('no chosen countermeasure')}")
        lines += [f"  - {notes[s]}" for s in entry.stage_notes]
    return lines + [""]


def _retro(w: Workshop) -> list[str]:
    lines = [f"## {_('Retrospective')}", ""]
    if not w.retro:
        return lines + [_("No retrospective notes yet."), ""]
    labels = _retro_labels()
    for kind in RETRO_KINDS:
        notes = sorted((n for n in w.retro if n.kind == kind), key=lambda n: n.position)
        if not notes:
            continue
        lines += [f"### {labels[kind]}", ""]
        lines += [f"- {_inline(n.text)}" + (f" ({_inline(n.author)})" if n.author else "") for n in notes]
        lines.append("")
    return lines

