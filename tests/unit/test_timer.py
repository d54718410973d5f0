"""Phase timer arithmetic on an injected clock."""

import time
from datetime import timedelta

import pytest

from premortem_tui.domain.model import PHASE_KEYS, Phase, default_phases
from premortem_tui.domain.timer import (
    SystemClock, adjust_planned, agenda_balance, format_clock, neighbour, pause,
    remaining, spent, start, timer_state,
)

from fakes import FakeClock


@pytest.fixture
def clock():
    return FakeClock()


def test_a_stopped_phase_keeps_its_spent_seconds(clock):
    phase = Phase("intro", 5, spent_seconds=42.0)
    clock.advance(1000)
    assert spent(phase, clock.now()) == 42.0
    assert remaining(phase, clock.now()) == 300 - 42


def test_spent_and_remaining_while_running(clock):
    phase = start(Phase("intro", 5, spent_seconds=10.0), clock.now())
    assert phase.running
    clock.advance(30)
    assert spent(phase, clock.now()) == pytest.approx(40.0)
    assert remaining(phase, clock.now()) == pytest.approx(260.0)
    clock.advance(300)
    assert remaining(phase, clock.now()) == pytest.approx(-40.0)  # overrun goes negative


def test_spent_and_remaining_while_paused(clock):
    phase = start(Phase("intro", 5), clock.now())
    clock.advance(50)
    phase = pause(phase, clock.now())
    assert not phase.running
    assert phase.spent_seconds == pytest.approx(50.0)
    clock.advance(500)  # time passing while paused does not count
    assert spent(phase, clock.now()) == pytest.approx(50.0)
    assert remaining(phase, clock.now()) == pytest.approx(250.0)


def test_start_is_idempotent(clock):
    first = start(Phase("intro", 5), clock.now())
    clock.advance(20)
    again = start(first, clock.now())
    assert again.running_since == first.running_since
    assert spent(again, clock.now()) == pytest.approx(20.0)


def test_start_does_not_change_the_phase_it_was_given(clock):
    phase = Phase("intro", 5)
    started = start(phase, clock.now())
    assert phase.running_since is None and started.running_since == clock.now()


def test_pause_accumulates_over_several_runs(clock):
    phase = Phase("impact", 45)
    for seconds in (10, 25, 5):
        phase = start(phase, clock.now())
        clock.advance(seconds)
        phase = pause(phase, clock.now())
        clock.advance(100)  # paused gap
    assert phase.spent_seconds == pytest.approx(40.0)
    assert pause(phase, clock.now()) == phase  # pausing a paused phase changes nothing


def test_a_start_in_the_future_counts_zero(clock):
    future = clock.now() + timedelta(minutes=5)
    phase = Phase("intro", 5, spent_seconds=12.0, running_since=future)
    assert spent(phase, clock.now()) == 12.0
    assert remaining(phase, clock.now()) == 300 - 12
    paused = pause(phase, clock.now())
    assert paused.spent_seconds == 12.0 and not paused.running


@pytest.mark.parametrize("planned, delta, expected", [
    (5, 1, 6), (5, -1, 4), (2, -1, 1), (1, -1, 1), (3, -10, 1), (10, 5, 15),
])
def test_adjust_planned_never_below_one_minute(planned, delta, expected):
    assert adjust_planned(Phase("intro", planned), delta).planned_minutes == expected


def test_adjust_planned_keeps_the_timer_running(clock):
    phase = start(Phase("intro", 5, spent_seconds=3.0), clock.now())
    adjusted = adjust_planned(phase, 2)
    assert adjusted.running_since == phase.running_since and adjusted.spent_seconds == 3.0


def test_neighbour_moves_along_the_agenda_and_stops_at_the_ends():
    assert neighbour("intro", 1) == "failures"
    assert neighbour("failures", -1) == "intro"
    assert neighbour("impact", 2) == "priority"
    assert neighbour("intro", -1) is None
    assert neighbour("retro", 1) is None
    assert neighbour(PHASE_KEYS[0], len(PHASE_KEYS) - 1) == "retro"
    assert neighbour("priority", 0) == "priority"


def test_agenda_balance_is_planned_minus_spent_over_all_phases(clock):
    phases = default_phases()
    assert agenda_balance(phases, clock.now()) == 120 * 60
    phases[0] = Phase("intro", 5, spent_seconds=400.0)  # 100 s over
    phases[1] = start(Phase("failures", 10, spent_seconds=60.0), clock.now())
    clock.advance(120)
    assert agenda_balance(phases, clock.now()) == pytest.approx(120 * 60 - 400 - 180)
    overrun = [Phase("intro", 1, spent_seconds=90.0)]
    assert agenda_balance(overrun, clock.now()) == pytest.approx(-30.0)


@pytest.mark.parametrize("seconds, shown", [
    (300, "05:00"),
    (299.5, "05:00"),
    (61, "01:01"),
    (60, "01:00"),
    (59.2, "01:00"),
    (0.2, "00:01"),
    (0, "00:00"),
    (-5, "+00:05"),
    (-5.7, "+00:05"),
    (-65, "+01:05"),
    (3600, "60:00"),
    (3725, "62:05"),
    (-3725, "+62:05"),
])
def test_format_clock(seconds, shown):
    assert format_clock(seconds) == shown


@pytest.mark.parametrize("left, state", [
    (300, "ok"),
    (61, "ok"),
    (60.5, "ok"),
    (60, "warning"),
    (30, "warning"),
    (0.5, "warning"),
    (0, "zero"),
    (-0.5, "overrun"),
    (-60, "overrun"),
])
def test_timer_state_at_the_boundaries(clock, left, state):
    phase = start(Phase("intro", 5), clock.now())
    clock.advance(300 - left)
    assert remaining(phase, clock.now()) == pytest.approx(left)
    assert timer_state(phase, clock.now()) == state


def test_timer_state_of_a_paused_phase(clock):
    assert timer_state(Phase("intro", 1, spent_seconds=0.0), clock.now()) == "warning"
    assert timer_state(Phase("intro", 2, spent_seconds=0.0), clock.now()) == "ok"
    assert timer_state(Phase("intro", 1, spent_seconds=60.0), clock.now()) == "zero"
    assert timer_state(Phase("intro", 1, spent_seconds=61.0), clock.now()) == "overrun"


def test_fake_clock_is_aware_utc_and_moves_only_by_hand():
    clock = FakeClock()
    before = clock.now()
    assert before.utcoffset() == timedelta(0)
    assert clock.now() == before
    clock.advance(1.5)
    assert clock.now() - before == timedelta(seconds=1.5)


def test_system_clock_is_aware_utc():
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_system_clock_with_speed_runs_that_many_times_faster():
    fast = SystemClock(speed=10)
    mono_before = time.monotonic()
    before = fast.now()
    time.sleep(0.05)
    after = fast.now()
    real = time.monotonic() - mono_before
    advanced = (after - before).total_seconds()
    assert advanced >= 10 * 0.05 * 0.9
    assert advanced <= 10 * real * 1.1 + 0.01
    assert advanced > 5 * real  # clearly faster than real time
