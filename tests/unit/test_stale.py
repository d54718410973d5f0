"""Screens never go stale: a service sees every change another process commits, and never its own."""

from __future__ import annotations

import random

import pytest

from premortem_tui.store.service import SessionService


@pytest.fixture
def two(tmp_path):
    """Two services on one file, as two windows (two processes) would have it."""
    path = str(tmp_path / "S.premortem")
    SessionService.open(path, create=True).close()
    a, b = SessionService.open(path), SessionService.open(path)
    yield a, b
    a.close()
    b.close()


def test_own_commits_alone_are_not_a_change(two):
    a, b = two
    for n in range(5):
        a.add_failure("API", f"down {n}")
        assert not a.changed_elsewhere()


def test_a_change_made_before_ones_own_write_is_not_swallowed(two):
    """B writes after A did and before B polls: B's poll must still see A's change."""
    a, b = two
    a.add_retro("keep", "A's note")
    b.add_retro("keep", "B's note")
    assert b.changed_elsewhere()
    assert [n.text for n in b.load().retro] == ["A's note", "B's note"]
    # A's last poll came before B's write
    assert a.changed_elsewhere()
    assert not a.changed_elsewhere() and not b.changed_elsewhere()  # once per change


def test_interleaved_writers_never_miss_the_others_change(two):
    """Random interleavings: a poll says 'changed' exactly when the other wrote since one's last poll."""
    services = dict(zip("ab", two))
    other = {"a": "b", "b": "a"}
    pending = {"a": False, "b": False}  # the other wrote since this one's last poll
    rng = random.Random(10)
    for step in range(300):
        who = rng.choice("ab")
        service = services[who]
        if rng.random() < 0.6:
            service.add_failure("API", f"{who} {step}")
            pending[other[who]] = True
        else:
            assert service.changed_elsewhere() == pending[who], (step, who)
            pending[who] = False
