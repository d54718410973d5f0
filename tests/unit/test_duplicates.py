"""Likely duplicates for the import preview."""

from __future__ import annotations

from premortem_tui.domain.duplicates import likely_duplicates, similarity
from premortem_tui.domain.model import Failure, Workshop


def target(*failures):
    return Workshop(failures=list(failures))


def test_same_service_and_similar_text_is_a_likely_duplicate():
    mine = Failure("Billing", "Invoices are not sent at month end")
    theirs = Failure("  billing ", "invoices are not  sent at the month end")
    pairs = likely_duplicates(target(mine), [theirs])
    assert len(pairs) == 1
    new, old, ratio = pairs[0]
    assert new is theirs and old is mine and 0.75 <= ratio <= 1.0


def test_other_service_or_other_text_is_not():
    mine = Failure("Billing", "Invoices are not sent at month end")
    other_service = Failure("Dispatch", "Invoices are not sent at month end")
    other_text = Failure("Billing", "Login page times out for every user")
    assert likely_duplicates(target(mine), [other_service, other_text]) == []


def test_the_same_card_is_not_a_duplicate_of_itself():
    mine = Failure("Billing", "Invoices are not sent")
    same = Failure("Billing", "Invoices are not sent", id=mine.id)
    assert likely_duplicates(target(mine), [same]) == []


def test_case_and_spacing_aside_identical_text_scores_one():
    assert similarity("Invoices  LOST", "invoices lost") == 1.0


def test_japanese_text():
    mine = Failure("請求", "月末締めの請求書が発行できない")
    theirs = Failure("請求", "月末締めの請求書が発行できなくなる")
    unrelated = Failure("請求", "ログイン画面が表示されない")
    pairs = likely_duplicates(target(mine), [theirs, unrelated])
    assert [(n.failure, o.failure) for n, o, _r in pairs] == [(theirs.failure, mine.failure)]


def test_most_similar_first_for_each_incoming():
    close = Failure("Billing", "Invoices are not sent at month end")
    closer = Failure("Billing", "Invoices are not sent at month-end")
    incoming = Failure("Billing", "Invoices are not sent at month-end!")
    pairs = likely_duplicates(target(close, closer), [incoming])
    assert [o for _n, o, _r in pairs] == [closer, close]
    assert pairs[0][2] >= pairs[1][2]


def test_threshold():
    mine = Failure("Billing", "abcdefgh")
    theirs = Failure("Billing", "abcdxxxx")  # ratio 0.5
    assert likely_duplicates(target(mine), [theirs]) == []
    assert len(likely_duplicates(target(mine), [theirs], threshold=0.5)) == 1
