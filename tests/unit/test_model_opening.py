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


def test_the_first_read_stands_while_no_one_changes_the_file(tmp_path):
    from premortem_tui.store.reader import LeanRead, read_file
    from premortem_tui.ui.launch import write_demo
    from fakes import FakeClock

    path = str(tmp_path / "demo.premortem")
    write_demo(path, FakeClock())
    whole = read_file(path)
    lean = LeanRead(path, lean_phases={whole.session.current_phase})  # a phase painted without countermeasures
    assert lean.partial and lean.workshop.countermeasures == []
    assert lean.whole_if_unchanged() == whole  # the countermeasures read now, the rest as first read
    assert lean.whole_if_unchanged() is None  # closed: asked once


def test_a_commit_after_the_first_read_makes_the_service_read_again(tmp_path):
    from premortem_tui.store.reader import LeanRead
    from premortem_tui.store.service import SessionService

    path = str(tmp_path / "s.premortem")
    SessionService.open(path, create=True).close()
    lean = LeanRead(path)
    with SessionService.open(path) as other:
        other.add_failure("API", "written meanwhile")
    assert lean.whole_if_unchanged() is None


def test_the_model_skips_the_second_read_only_when_the_file_is_unchanged(tmp_path):
    from premortem_tui.store.reader import LeanRead
    from premortem_tui.store.service import SessionService

    path = str(tmp_path / "s.premortem")
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "first")
    for elsewhere in (False, True):
        loads = []
        lean = LeanRead(path)

        def opener():
            service = SessionService.open(path)
            real = service.load
            service.load = lambda: loads.append(1) or real()
            return service
        if elsewhere:
            with SessionService.open(path) as other:
                other.add_failure("API", "meanwhile")
        model = SessionModel(lean.workshop, path, opener=opener, lean=lean)
        model.add_failure(service="API", failure="mine")
        assert loads == ([1] if elsewhere else [])
        with SessionService.open(path) as check:
            assert model.workshop == check.load()
        model.close()


def test_quitting_before_the_service_opened_leaves_the_file_alone(tmp_path):
    import os

    from premortem_tui.store.service import SessionService
    from premortem_tui.ui.launch import open_model
    from fakes import FakeClock

    path = str(tmp_path / "s.premortem")
    with SessionService.open(path, create=True) as service:
        service.add_failure("API", "down")
    model = open_model(path, clock=FakeClock())  # painted from the first read; the service not opened
    model.close()
    assert sorted(os.listdir(tmp_path)) == ["s.premortem"]  # no -wal or -shm left beside it
