"""Test doubles shared by tests/unit and tests/ui (tests/ is on sys.path through tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from premortem_tui.domain.timer import Clock


class FakeClock(Clock):
    """A clock tests move by hand; its day is the local day of its instant, as for the real one."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
