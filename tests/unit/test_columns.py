"""What a priority card says about a countermeasure decided later."""

from __future__ import annotations

from premortem_tui.domain.model import Countermeasure, Failure
from premortem_tui.ui.columns import countermeasure_card

NEEDS = "NEEDS: when?"


def meta(cm: Countermeasure) -> str:
    failure = Failure("Billing", "Invoices lost", id="f1")
    return countermeasure_card(cm, {"f1": failure}, hide_authors=False, priority=True).meta


def test_a_later_card_without_condition_or_date_needs_one():
    assert NEEDS in meta(Countermeasure("Replay", ["f1"], decision="later"))
    assert NEEDS in meta(Countermeasure("Replay", ["f1"], decision="later", revisit_when="  "))


def test_a_done_later_card_needs_nothing():
    assert NEEDS not in meta(Countermeasure("Replay", ["f1"], decision="later", done=True))


def test_a_later_card_shows_its_condition_and_date_instead():
    shown = meta(Countermeasure("Replay", ["f1"], decision="later", revisit_when="after the audit",
                                remind_on="2030-01-31"))
    assert "when: after the audit" in shown and "remind 2030-01-31" in shown and NEEDS not in shown
