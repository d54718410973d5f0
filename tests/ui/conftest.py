"""Fixtures for driving the board: session files on a fake clock, and the app built around them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

import pytest

from premortem_tui.domain.model import Workshop
from premortem_tui.store.service import SessionService
from premortem_tui.ui.app import PremortemApp
from premortem_tui.ui.launch import open_model, write_demo
from premortem_tui.ui.session_model import SessionModel
from premortem_tui.ui.settings import Settings

from fakes import FakeClock

# One instant and one "today", so that everything the board shows is the same on every run.
FIXED_NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
DEMO_TODAY = date(2026, 11, 28)
SIZE = (120, 40)
AUTHOR = "Tester"


def reopen(path: str | Path) -> Workshop:
    """What another process finds in the file: a fresh service, read and closed."""
    with SessionService.open(str(path)) as service:
        return service.load()


def write_fixed_demo(path: str | Path) -> None:
    """The demo workshop written on the tests' clock (met two weeks before DEMO_TODAY)."""
    write_demo(str(path), FakeClock(FIXED_NOW))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FIXED_NOW)


@pytest.fixture
def session_path(tmp_path: Path) -> Path:
    return tmp_path / "workshop.premortem"


@pytest.fixture
def session_model(session_path: Path, clock: FakeClock) -> SessionModel:
    """A new, empty session file opened for the board."""
    return open_model(str(session_path), clock=clock, author=AUTHOR)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.premortem"
    write_fixed_demo(path)
    return path


@pytest.fixture
def demo_model(demo_path: Path, clock: FakeClock) -> SessionModel:
    """The demo workshop (priority phase current) opened for the board."""
    return open_model(str(demo_path), clock=clock, author=AUTHOR)


@pytest.fixture
def demo_at(demo_path: Path, clock: FakeClock) -> Callable[[str], SessionModel]:
    """The demo opened for the board with another phase current (set in the file first)."""

    def at(phase: str) -> SessionModel:
        with SessionService.open(str(demo_path), clock=clock) as service:
            service.go_to_phase(phase)
        return open_model(str(demo_path), clock=clock, author=AUTHOR)

    return at


@pytest.fixture
def make_app(clock: FakeClock) -> Callable[..., PremortemApp]:
    """Build the app on the test's clock with default room options (nothing read from disk)."""

    def build(model: SessionModel | None = None, *, settings: Settings | None = None,
              author: str = AUTHOR, **options) -> PremortemApp:
        return PremortemApp(model, clock=clock, settings=settings or Settings(), author=author, **options)

    return build
