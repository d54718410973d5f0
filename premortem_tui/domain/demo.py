"""The demo workshop: a logistics SaaS team halfway through its pre-mortem.

Everything is fixed (ids come from uuid5 of one namespace) except the dates,
which follow ``today`` so that one reminder is always due and another is not.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from .model import (
    Countermeasure, Failure, Participant, RetroNote, Session, Workshop, default_phases,
)

_NAMESPACE = uuid.UUID("6f1d0c8e-3b0a-5a53-9d6e-70726d6f7274")


def _id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


CONTEXT = (
    "We sell a dispatch platform to regional trucking companies: 140 customer companies, "
    "about 3,000 drivers on the driver app every morning and 60 shippers who follow their "
    "deliveries in the customer portal.\n"
    "We closed our Series A last quarter, and two enterprise shippers start in the spring; "
    "they close their books on our invoices at month-end. Until now our customers were "
    "small carriers who phoned us when something broke.\n"
    "Dispatch in the early morning and billing at month-end are what customers rely on; "
    "the tracking map is a nice-to-have."
)

_PEOPLE = (
    ("aiko", "Aiko Tanaka", "pm"),
    ("ben", "Ben Okafor", "cs"),
    ("carmen", "Carmen Ruiz", "domain"),
    ("daichi", "Daichi Sato", "engineer"),
    ("eva", "Eva Novak", "engineer"),
)

# key, service, failure, period, timing, author, impact, likelihood, acceptable, notes, variant of
_FAILURES = (
    ("no-invoice", "Billing", "No invoice at all can be issued", "30 minutes", "month-end closing",
     "Eva Novak", 5, 4, False,
     "Mid-month nobody would notice 30 minutes; at month-end closing the enterprise shippers "
     "wait on our invoices to close their books.", None),
    ("register-only", "Billing", "Invoices cannot be registered, but existing ones can still be viewed",
     "2 hours", "middle of month", "Ben Okafor", 2, 3, False,
     "Customers can still download last month's PDFs, so they are saved; registering can wait "
     "until the afternoon.", "no-invoice"),
    ("surcharge", "Billing", "Invoice PDFs show last month's fuel surcharge rate", "1 day",
     "start of month", "Carmen Ruiz", 4, 2, False,
     "Each wrong invoice has to be cancelled and reissued by hand.", None),
    ("status", "Customer portal", "Shippers cannot see delivery status", "1 hour", "business hours",
     "Ben Okafor", 3, 2, False, "Shippers phone CS instead; ten calls an hour is manageable.", None),
    ("map", "Customer portal", "Tracking map does not load", "2 hours", "night", "Daichi Sato",
     1, 3, True, "At night nobody tracks, and the status list still works.", None),
    ("csv-export", "Customer portal", "Monthly deliveries CSV is missing the last day of the month",
     "until noticed", "end of month", "Carmen Ruiz", None, None, False, "", None),
    ("assign", "Dispatch", "Dispatchers cannot assign jobs to drivers", "1 hour", "early morning",
     "Carmen Ruiz", 5, 3, False,
     "Between 5:00 and 7:00 every truck waits for its first job; after 10:00 it hurts far less.",
     None),
    ("routing", "Dispatch", "Route optimisation returns no plan, so dispatchers plan routes by hand",
     "half a day", "early morning", "Daichi Sato", 3, 4, False,
     "Experienced dispatchers cope; new ones at the bigger carriers cannot.", None),
    ("search", "Dispatch", "Job search takes 10 seconds per query", "2 hours", "business hours",
     "Eva Novak", 1, 4, False, "", None),
    ("photos", "Driver app", "Drivers cannot upload proof-of-delivery photos", "3 hours", "evening",
     "Daichi Sato", 3, 3, False, "The app keeps photos on the phone; harmful only if that queue is lost.",
     None),
    ("login", "Driver app", "Drivers are logged out and cannot log back in", "1 hour", "early morning",
     "Eva Novak", 5, 2, False, "", None),
    ("android-scan", "Driver app", "The app crashes on old Android phones when scanning a barcode",
     "a week", "business hours", "Ben Okafor", None, None, False, "", None),
)

# key, text, answers, stage, intro cost, maintenance cost, effect, decision, rank, owner, author
_COUNTERMEASURES = (
    ("deploy-freeze", "Freeze billing deploys in the last three business days of the month",
     ("no-invoice", "register-only"), "prevent", 1, 1, 4, "now", 0, "Aiko Tanaka", "Eva Novak"),
    ("load-test", "Load-test invoice generation with last month-end's volume before each release",
     ("no-invoice",), "prevent", 3, 3, 4, "next", 0, "Eva Novak", "Eva Novak"),
    ("token-refresh", "Refresh driver tokens silently a day before they expire", ("login",),
     "prevent", 2, 1, 4, "next", 1, "Daichi Sato", "Daichi Sato"),
    ("routing-pool", "Run route optimisation on its own worker pool with its own quota",
     ("routing",), "prevent", 4, 3, 4, "undecided", 0, "", "Daichi Sato"),
    ("invoice-alert", "Alert when no invoice is issued for 10 minutes during month-end closing",
     ("no-invoice",), "detect", 2, 1, 5, "now", 1, "Eva Novak", "Eva Novak"),
    ("assign-probe", "Assign a test job every 5 minutes from 5:00 and page when it fails",
     ("assign",), "detect", 2, 2, 4, "now", 2, "Daichi Sato", "Carmen Ruiz"),
    ("routing-dashboard", "Dashboard of route optimisation latency and timeouts", ("routing",),
     "detect", 2, 2, 3, "undecided", 1, "", "Daichi Sato"),
    ("manual-invoices", "Runbook: issue invoices from the billing export by hand while CS phones "
     "the affected customers", ("no-invoice", "register-only"), "respond", 1, 2, 3, "next", 2,
     "Ben Okafor", "Ben Okafor"),
    ("planning-sheet", "A manual route-planning sheet dispatchers can fall back to", ("routing",),
     "respond", 1, 1, 2, "undecided", 2, "", "Carmen Ruiz"),
    ("status-page", "Public status page for shippers during incidents", ("status", "no-invoice"),
     "respond", 2, 1, 2, "wont", 0, "", "Ben Okafor"),
    ("replay-assignments", "Replay queued dispatch assignments after an outage", ("assign",),
     "recover", 4, 3, 4, "later", 0, "Daichi Sato", "Daichi Sato"),
    ("photo-resend", "Re-send proof-of-delivery photos from the phone's queue on reconnect",
     ("photos",), "recover", 3, 2, 3, "later", 1, "Eva Novak", "Daichi Sato"),
    ("month-end-review", "Review month-end incidents with CS every quarter",
     ("no-invoice", "register-only", "surcharge"), "learn", None, None, None, "undecided", 3, "",
     "Ben Okafor"),
)

_RETRO = (
    ("keep", "Concrete periods (early morning, month-end closing) made the impact discussion short",
     "Carmen Ruiz"),
    ("keep", "Having CS in the room changed two judgements", "Aiko Tanaka"),
    ("problem", "We ran 12 minutes over in the impact phase", "Aiko Tanaka"),
    ("problem", "Many countermeasures for billing, hardly any for the driver app", "Eva Novak"),
    ("try", "Write failures in advance, before the meeting", "Daichi Sato"),
    ("try", "Invite a driver for the driver app cards", "Ben Okafor"),
)

_SPENT_MINUTES = {"intro": 6, "failures": 9.5, "impact": 57, "countermeasures": 11, "priority": 18}


def demo_workshop(today: date) -> Workshop:
    """An example session of a logistics SaaS, stopped in the priority phase.

    The meeting was held two weeks before ``today``:
    one reminder fell due three days ago, another is two months ahead.
    """
    people = {key: Participant(name, role, _id(f"participant/{key}")) for key, name, role in _PEOPLE}
    session = Session(
        id=_id("session"), title="Dispatch platform pre-mortem (demo)",
        date=(today - timedelta(days=14)).isoformat(), context=CONTEXT, current_phase="priority")

    phases = default_phases()
    for phase in phases:
        phase.spent_seconds = float(_SPENT_MINUTES.get(phase.key, 0) * 60)

    failures, positions = [], {}
    for key, service, text, period, timing, author, impact, likelihood, ok, notes, variant in _FAILURES:
        position = positions.get(service, 0)
        positions[service] = position + 1
        failures.append(Failure(
            service, text, period, timing, author, position, impact, likelihood, ok, notes,
            _id(f"failure/{variant}") if variant else None, id=_id(f"failure/{key}")))

    countermeasures, stage_positions = [], {}
    for key, text, answers, stage, intro, upkeep, effect, decision, rank, owner, author in _COUNTERMEASURES:
        position = stage_positions.get(stage, 0)
        stage_positions[stage] = position + 1
        countermeasures.append(Countermeasure(
            text, [_id(f"failure/{a}") for a in answers], stage, position, intro, upkeep, effect,
            decision, rank, owner=owner, author=author, id=_id(f"countermeasure/{key}")))
    _decide(countermeasures, today)

    retro, kinds = [], {}
    for kind, text, author in _RETRO:
        position = kinds.get(kind, 0)
        kinds[kind] = position + 1
        retro.append(RetroNote(kind, text, author, position, _id(f"retro/{kind}/{position}")))

    return Workshop(session, list(people.values()), phases, failures, countermeasures, retro)


def _decide(countermeasures: list[Countermeasure], today: date) -> None:
    """The notes, conditions and reminders the product manager left on some decisions."""
    by_key = {cm.id: cm for cm in countermeasures}

    def card(key: str) -> Countermeasure:
        return by_key[_id(f"countermeasure/{key}")]

    card("deploy-freeze").done = True
    card("deploy-freeze").decision_note = "Cheap, and everyone agreed at once (Aiko)"
    card("status-page").decision_note = (
        "Our customers phone CS anyway; revisit when the enterprise shippers ask for one (Aiko)")
    replay = card("replay-assignments")
    replay.revisit_when = "after the dispatch queue migration"
    replay.remind_on = (today - timedelta(days=3)).isoformat()
    replay.decision_note = "Too big before the queue migration (Aiko)"
    resend = card("photo-resend")
    resend.revisit_when = "when the first enterprise shipper contract is signed"
    resend.remind_on = (today + timedelta(days=61)).isoformat()
