"""The fields of the board's forms, filled from a card (or empty for a new one).

Declarations only: the form itself (CardForm) is imported when one opens.
"""

from __future__ import annotations

from ...domain.model import (
    TIMINGS, Countermeasure, Failure, Participant, Phase, RetroNote, Session, Workshop,
)
from ...domain import vocabulary
from ...i18n import _
from ..modals.fields import FormField


def failure_fields(w: Workshop, author: str, f: Failure | None = None, service: str = "") -> list[FormField]:
    services = sorted({x.service for x in w.failures}, key=str.casefold)
    return [
        FormField("service", _("Target service"), value=f.service if f else service, suggestions=services,
                  placeholder=_("e.g. Billing")),
        FormField("failure", _("What fails"), "area", f.failure if f else ""),
        FormField("period", _("Period (how long)"), value=f.period if f else "", placeholder=_("e.g. 30 minutes")),
        FormField("timing", _("Timing (when)"), value=f.timing if f else "", suggestions=list(TIMINGS),
                  placeholder=", ".join(TIMINGS[:4]) + "..."),
        FormField("author", _("Author"), value=f.author if f else author),
    ]


def countermeasure_fields(w: Workshop, author: str, c: Countermeasure | None = None, stage: str = "prevent",
                          answers: list[str] | None = None) -> list[FormField]:
    options = [(f"{f.service}: {f.failure}", f.id) for f in w.failures]
    return [
        FormField("text", _("Countermeasure"), "area", c.text if c else ""),
        FormField("failure_ids", _("Failures it answers (space toggles)"), "pick",
                  c.failure_ids if c else list(answers or []), options),
        FormField("stage", _("Stage"), "select", c.stage if c else stage, vocabulary.choices(vocabulary.STAGES)),
        FormField("author", _("Author"), value=c.author if c else author),
    ]


def retro_fields(author: str, n: RetroNote | None = None, kind: str = "keep") -> list[FormField]:
    return [FormField("kind", _("Kind"), "select", n.kind if n else kind, vocabulary.choices(vocabulary.RETRO_KINDS)),
            FormField("text", _("Note"), "area", n.text if n else ""),
            FormField("author", _("Author"), value=n.author if n else author)]


def participant_fields(p: Participant | None = None) -> list[FormField]:
    return [FormField("name", _("Name"), value=p.name if p else ""),
            FormField("role", _("Role"), "select", p.role if p else "engineer", vocabulary.choices(vocabulary.ROLES))]


def details_fields(s: Session) -> list[FormField]:
    """The session itself: what the introduction and the report's heading show."""
    return [FormField("title", _("Title"), value=s.title),
            FormField("date", _("Date (YYYY-MM-DD)"), value=s.date),
            FormField("context", _("Context: what sets the reliability target"), "area", s.context),
            FormField("purpose", _("Purpose"), "area", s.purpose),
            FormField("ground_rules", _("Ground rules (one a line)"), "area", s.ground_rules),
            FormField("rehearsal", _("A rehearsal?"), "select", "yes" if s.rehearsal else "no",
                      [(_("no: the real workshop"), "no"), (_("yes: a rehearsal"), "yes")])]


def agenda_fields(phases: list[Phase]) -> list[FormField]:
    """The planned minutes of every phase, in agenda order."""
    return [FormField(p.key, _("Minutes: {phase}").format(phase=vocabulary.label(vocabulary.PHASES, p.key)),
                      value=str(p.planned_minutes)) for p in phases]


def variant_fields(f: Failure) -> list[FormField]:
    return [FormField("failure", _("What fails (similar, but different)"), "area", f.failure),
            FormField("period", _("Period (how long)"), value=f.period),
            FormField("timing", _("Timing (when)"), value=f.timing, suggestions=list(TIMINGS))]


def circumstances_fields(f: Failure) -> list[FormField]:
    return [FormField("notes", _("e.g. worse at month end; viewing still works"), "area", f.notes)]


def later_fields(cm: Countermeasure) -> list[FormField]:
    return [FormField("revisit_when", _("Condition, e.g. after 30 customers, after the Series B"),
                      value=cm.revisit_when),
            FormField("remind_on", _("Reminder date (YYYY-MM-DD)"), value=cm.remind_on or "")]


def decision_fields(cm: Countermeasure) -> list[FormField]:
    fields = [FormField("decision_note", _("Decision note: why, and who decided"), "area", cm.decision_note),
              FormField("owner", _("Owner"), value=cm.owner),
              FormField("intro_cost", _("Introduction cost (1-5)"), value=cm.intro_cost or ""),
              FormField("maintenance_cost", _("Maintenance cost (1-5)"), value=cm.maintenance_cost or ""),
              FormField("effect", _("Effect (1-5)"), value=cm.effect or "")]
    if cm.decision == "later":
        fields += [FormField("revisit_when", _("When it becomes possible"), value=cm.revisit_when),
                   FormField("remind_on", _("Reminder date (YYYY-MM-DD)"), value=cm.remind_on or "")]
    return fields


