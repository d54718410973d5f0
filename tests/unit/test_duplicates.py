"""Likely duplicates for the import preview."""

from __future__ import annotations

import random
import time

import pytest

from premortem_tui.domain.duplicates import likely_duplicates
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
    mine = Failure("Billing", "Invoices  LOST")
    assert [r for _n, _o, r in likely_duplicates(target(mine), [Failure("billing", "invoices lost")])] == [1.0]


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


@pytest.mark.parametrize("field, mine, theirs", [
    ("timing", "月末", "月中"),
    ("timing", "morning roll call", "evening before"),
    ("timing", "end of month", "start of month"),
    ("period", "30分", "2時間"),
])
def test_the_same_text_at_another_time_is_a_variant_not_a_duplicate(field, mine, theirs):
    old = Failure("請求管理", "全ての請求書が発行できない", **{field: mine})
    new = Failure("請求管理", "全ての請求書が発行できない", **{field: theirs})
    assert likely_duplicates(target(old), [new]) == []


def test_timing_and_period_match_case_spacing_and_punctuation_aside_or_when_one_is_unsaid():
    old = Failure("Dispatch", "Roll call app does not open", period="1 hour", timing="Month-end")
    same_when = Failure("Dispatch", "Roll call app does not open", period="1  HOUR", timing="month end")
    unsaid = Failure("Dispatch", "Roll call app does not open")
    assert [n for n, _o, _r in likely_duplicates(target(old), [same_when, unsaid])] == [same_when, unsaid]


def test_equal_scores_keep_the_order_of_the_session():
    first, second = Failure("Billing", "Invoices lost"), Failure("Billing", "Invoices lost")
    pairs = likely_duplicates(target(first, second), [Failure("Billing", "invoices lost")])
    assert [o for _n, o, _r in pairs] == [first, second]


def test_a_thousand_notes_against_five_thousand_failures_is_quick():
    words = ("invoice", "login", "export", "queue", "payment", "report", "sync", "email", "search", "backup",
             "is late", "fails", "times out", "is lost", "is sent twice", "shows old data", "for every user")
    rng = random.Random(15)

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(6))

    mine = [Failure("Billing", text()) for _ in range(5000)]
    theirs = [Failure("billing", text()) for _ in range(999)] + [Failure("Billing", mine[1234].failure + ".")]
    start = time.perf_counter()
    pairs = likely_duplicates(target(*mine), theirs)
    assert time.perf_counter() - start < 5.0
    assert (theirs[-1], mine[1234]) in [(n, o) for n, o, _r in pairs]  # the comparisons were made
