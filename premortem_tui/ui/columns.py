"""What each phase's board shows: its columns and their cards, built from a Workshop.

Builds no widget, only the card views a column draws, so the board can rebuild a phase
cheaply after a change (those views live beside the column widget: this imports Textual).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from ..domain.model import (
    DECISIONS, RETRO_KINDS, STAGES, Countermeasure, Failure, Session, Workshop, service_key,
)
from ..domain import vocabulary
from ..domain.carry import previous_session_label
from ..domain.changes import was_label
from ..domain.reminders import needs_reminder
from ..domain.scoring import BAND_SYMBOLS, band, highest_risk_failure, suggested_value
from ..i18n import _
from .widgets.card_column import CardList, CardView

# The phases whose board shows no countermeasure: their first paint need not read them.
PHASES_WITHOUT_COUNTERMEASURES = frozenset({"intro", "failures", "impact", "retro"})

# The one vocabulary's msgids, under the names the screens import.
PHASE_TITLES = vocabulary.PHASES
STAGE_TITLES = vocabulary.STAGES
DECISION_TITLES = vocabulary.DECISIONS
RETRO_TITLES = vocabulary.RETRO_KINDS
ROLE_TITLES = vocabulary.ROLES


@dataclass
class ColumnSpec:
    key: str
    title: str
    cards: Sequence[CardView] = field(default_factory=list)
    hint: str = ""


@dataclass
class Filter:
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text.strip())

    def keeps(self, *fields: str) -> bool:
        needle = self.text.casefold().strip()
        return not needle or any(needle in f.casefold() for f in fields)


def risk_badge(value: int | None) -> tuple[str, str]:
    """Badge text and tone for a risk value: the band is written out, never colour alone."""
    name = band(value)
    if name is None:
        return _(vocabulary.UNJUDGED), ""
    return f"{value} {BAND_SYMBOLS[name]} {vocabulary.label(vocabulary.BANDS, name)}", name


def _author(author: str, hide: bool) -> str:
    return "" if hide or not author else _("by {name}").format(name=author)


def _join(*parts: str) -> str:
    return " | ".join(p for p in parts if p)


def failure_card(f: Failure, hide_authors: bool, carried: bool = False) -> CardView:
    """``carried``: the session continues an earlier one, so cards say what changed."""
    badge, tone = risk_badge(f.risk)
    if f.acceptable:
        badge += " " + _("acceptable")
    if carried:
        was = was_label(f) if f.previous else _("new")
        if was:
            badge = f"{badge} ({was})"
            tone = tone if f.previous else "new"
    return CardView(f.id, "failure", f.service, f.failure,
                    _join(f.period, f.timing, _author(f.author, hide_authors)), badge, tone)


def countermeasure_card(c: Countermeasure, failures: dict[str, Failure], hide_authors: bool,
                        *, priority: bool = False, carried: bool = False) -> CardView:
    top = highest_risk_failure(c, failures)
    answers = _("answers: {failure}").format(failure=f"{top.service}: {top.failure}") if top else _("answers nothing")
    if priority:
        value = suggested_value(c, failures)
        costs = _("cost {i}+{m}, effect {e}").format(i=_num(c.intro_cost), m=_num(c.maintenance_cost),
                                                     e=_num(c.effect))
        badge, tone = risk_badge(top.risk if top else None)
        meta = _join(_(STAGE_TITLES[c.stage]), costs, _("value {v}").format(v=f"{value:.1f}") if value else "")
        if c.decision == "later":
            meta = _join(_("when: {c}").format(c=c.revisit_when) if c.revisit_when.strip() else "",
                         _("remind {d}").format(d=c.remind_on) if c.remind_on else "",
                         _("NEEDS: when? (n)") if needs_reminder(c) else "", meta)
        title = answers
    else:
        badge, tone = _(DECISION_TITLES[c.decision]), ""
        meta = _join(answers, _author(c.author, hide_authors))
        title = _(STAGE_TITLES[c.stage])
    if c.done:
        badge, tone = badge + " " + _("done"), "done"
    if carried:
        was = was_label(c) if c.previous else _("new")
        if was:
            badge = f"{badge} ({was})"
    return CardView(c.id, "countermeasure", title, c.text, meta, badge, tone)


def _num(value: int | None) -> str:
    return "?" if value is None else str(value)


def previous_cards(s: Session) -> list[CardView]:
    """What a carried session brings from the previous one: a card naming it, its context a card
    per paragraph, and a card per "try" note, so each try can be read from the back of the room."""
    cards: list[CardView] = []
    if s.previous_title:
        cards.append(CardView("previous_session", "previous", _("Previous session"), previous_session_label(s)))
    for n, paragraph in enumerate(p.strip() for p in s.previous_context.split("\n\n")):
        if paragraph:
            cards.append(CardView(f"previous_context-{n}", "previous", _("Previous context"), paragraph))
    cards += [CardView(f"previous_try-{n}", "previous", _("Try (from last time)"), " ".join(text.split()))
              for n, text in enumerate(s.previous_tries)]
    return cards


def phase_columns(phase: str, w: Workshop, flt: Filter, hide_authors: bool = False) -> list[ColumnSpec]:
    """The columns of ``phase``, with the cards that pass the filter, in board order."""
    add_hint = _("empty: press a to add")
    if phase == "intro":
        s = w.session
        purpose = [CardView("purpose", "text", _("Purpose"), s.purpose),
                   CardView("ground_rules", "text", _("Ground rules"), s.ground_rules)]
        context = [CardView("context", "text", _("Context"), s.context or _("(what sets the reliability target: "
                                                                            "users, customers, funding, segment)"))]
        context += previous_cards(s)
        people = [CardView(p.id, "participant", _(ROLE_TITLES.get(p.role, p.role)), p.name)
                  for p in w.participants if flt.keeps(p.name, p.role)]
        return [ColumnSpec("purpose", _("Purpose and ground rules"), purpose),
                ColumnSpec("context", _("Context"), context),
                ColumnSpec("participants", _("Participants"), people, add_hint)]

    carried = w.session.previous_session_id is not None
    if phase == "failures":
        # One pass over the cards, grouped by service; the filter is asked only when set (a change
        # on a board of thousands rebuilds its columns).
        keeps = flt.keeps if flt.active else None
        by_service: dict[str, tuple[str, list[Failure]]] = {}
        keyed = sorted(((service_key(f.service), f.position, n, f) for n, f in enumerate(w.failures)))
        for key, _pos, _n, f in keyed:
            _name, items = by_service.setdefault(key, (f.service, []))
            if keeps is None or keeps(f.failure, f.service, f.author, f.period, f.timing):
                items.append(f)
        if not by_service:
            return [ColumnSpec("", _("Failures"), [], _("no failures yet: press a to add one"))]
        return [ColumnSpec(name, name, CardList(items, lambda f: failure_card(f, hide_authors, carried)))
                for name, items in by_service.values()]

    failures = w.failure_by_id()
    if phase in ("countermeasures", "priority"):
        priority = phase == "priority"
        keys, group, order = (DECISIONS, "decision", "rank") if priority else (STAGES, "stage", "stage_position")
        grouped: dict[str, list[Countermeasure]] = {k: [] for k in keys}
        keeps = flt.keeps if flt.active else None
        for c in w.countermeasures:
            items = grouped.get(getattr(c, group))
            if items is not None and (keeps is None or keeps(c.text, c.author, c.owner)):
                items.append(c)
        titles = DECISION_TITLES if priority else STAGE_TITLES
        return [ColumnSpec(k, _(titles[k]),
                           CardList(sorted(grouped[k], key=attrgetter(order)),
                                    lambda c: countermeasure_card(c, failures, hide_authors, priority=priority,
                                                                  carried=carried)),
                           add_hint if not priority or k == "undecided" else "")
                for k in keys]

    return [ColumnSpec(kind, _(RETRO_TITLES[kind]),
                       [CardView(n.id, "retro", _(RETRO_TITLES[kind]), n.text, _author(n.author, hide_authors))
                        for n in sorted(w.retro, key=lambda n: n.position)
                        if n.kind == kind and flt.keeps(n.text, n.author)], add_hint)
            for kind in RETRO_KINDS]
