"""Phase timer arithmetic on an injected clock.

A phase keeps the seconds already spent plus, while it runs, the wall-clock
instant (UTC) it was started: the room's clock keeps running while no screen is
open. Remaining time is always derived from clocks, never by counting ticks.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from .model import PHASE_KEYS, Phase


def local_date(instant: datetime) -> date:
    """The day ``instant`` falls on where the room is (the machine's time zone)."""
    return instant.astimezone().date()


def local_time(instant: datetime) -> datetime:
    """``instant`` on the room's clock (the machine's time zone)."""
    return instant.astimezone()


class Clock(ABC):
    """The one source of the time and the day for an app or a command."""

    @abstractmethod
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""

    def today(self) -> date:
        """The local day of ``now()``: a sped-up clock's day moves with it."""
        return local_date(self.now())


class SystemClock(Clock):
    """Wall time read once, then advanced by the monotonic clock.

    Inside a process the display then never jumps with NTP adjustments; with
    ``speed`` > 1 time runs that many times faster (rehearsals).
    """

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self._wall = datetime.now(timezone.utc)
        self._mono = time.monotonic()

    def now(self) -> datetime:
        return self._wall + timedelta(seconds=(time.monotonic() - self._mono) * self.speed)


def spent(phase: Phase, now: datetime) -> float:
    """Seconds spent in the phase up to ``now`` (a start in the future counts as 0)."""
    if phase.running_since is None:
        return phase.spent_seconds
    return phase.spent_seconds + max(0.0, (now - phase.running_since).total_seconds())


def remaining(phase: Phase, now: datetime) -> float:
    """Planned seconds minus spent seconds; negative once overrun."""
    return phase.planned_minutes * 60 - spent(phase, now)


def start(phase: Phase, now: datetime) -> Phase:
    return phase if phase.running else replace(phase, running_since=now)


def pause(phase: Phase, now: datetime) -> Phase:
    if not phase.running:
        return phase
    return replace(phase, spent_seconds=spent(phase, now), running_since=None)


def adjust_planned(phase: Phase, minutes: int) -> Phase:
    """Add (or with a negative number remove) planned minutes; never below one minute."""
    return replace(phase, planned_minutes=max(1, phase.planned_minutes + minutes))


def neighbour(key: str, step: int) -> str | None:
    """The phase ``step`` places after ``key`` (before, when negative), or None past the ends."""
    index = PHASE_KEYS.index(key) + step
    return PHASE_KEYS[index] if 0 <= index < len(PHASE_KEYS) else None


def agenda_balance(phases: list[Phase], now: datetime) -> float:
    """Planned minus spent seconds over the whole agenda; negative when over."""
    return sum(remaining(p, now) for p in phases)


def format_clock(seconds: float) -> str:
    """mm:ss remaining, or +mm:ss once overrun (hours fold into minutes)."""
    sign = ""
    if seconds < 0:
        sign, seconds = "+", -seconds
        whole = int(seconds)  # overrun counts up from +00:00
    else:
        whole = int(seconds + 0.999)  # remaining rounds up, so 00:00 means time is up
    return f"{sign}{whole // 60:02d}:{whole % 60:02d}"


WARNING_SECONDS = 60


def timer_state(phase: Phase, now: datetime) -> str:
    """'ok', 'warning' (last minute), 'zero' or 'overrun'."""
    left = remaining(phase, now)
    if left > WARNING_SECONDS:
        return "ok"
    if left > 0:
        return "warning"
    return "overrun" if left < 0 else "zero"
