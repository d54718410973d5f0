"""The session model's opening thread: closing the window never waits for it."""

from __future__ import annotations

import threading
import time

from premortem_tui.domain.model import Session, Workshop
from premortem_tui.ui.session_model import SessionModel


class SlowService:
    """Stands in for a session service whose opening (the ORM's import) takes a while."""

    readonly = False

    def __init__(self) -> None:
        self.closed = threading.Event()

    def load(self) -> Workshop:
        return Workshop(Session(title="read"), [], [], [], [], [])

    def close(self) -> None:
        self.closed.set()


def test_close_while_opening_returns_at_once_and_the_thread_closes_what_it_opened():
    release, service = threading.Event(), SlowService()

    def opener():
        release.wait(5)
        return service
    model = SessionModel(Workshop(Session(title="lean"), [], [], [], [], []), "x.premortem", opener=opener)
    model.start_opening()
    t0 = time.perf_counter()
    model.close()
    assert time.perf_counter() - t0 < 0.2  # not joined: the opener is still blocked
    assert not service.closed.is_set()
    release.set()
    assert service.closed.wait(5)  # opened after the close: closed by its own thread
    assert model.poll() is False and model.workshop.session.title == "lean"


def test_close_after_opening_closes_the_service():
    service = SlowService()
    model = SessionModel(Workshop(Session(title="lean"), [], [], [], [], []), "x.premortem", opener=lambda: service)
    model.start_opening()
    assert model.service is service and model.workshop.session.title == "read"
    model.close()
    assert service.closed.is_set()
