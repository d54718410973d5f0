"""Every change goes one way: screens call the session model, the model the service, the service
writes under one named lock and polls through one named interface (opening.py's ``Sharing``)."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import pytest

from premortem_tui.domain.model import Countermeasure, Failure, Participant, RetroNote, Session, Workshop
from premortem_tui.domain.validate import ValidationError
from premortem_tui.store import reader
from premortem_tui.store.opening import Sharing, SqliteSharing
from premortem_tui.store.service import SessionService, create_new_session, parse_participants
from premortem_tui.ui.launch import write_demo
from premortem_tui.ui.session_model import SessionModel

from fakes import FakeClock

SCREENS = Path(__file__).parents[2] / "premortem_tui" / "ui" / "screens"


def test_no_screen_calls_the_service_itself():
    offenders = [f"{p.name}:{n}" for p in SCREENS.glob("*.py")
                 for n, line in enumerate(p.read_text().splitlines(), 1) if re.search(r"\.service\.", line)]
    assert offenders == []


class CountingSharing:
    """SQLite's sharing, counting what the service asks of it."""

    def __init__(self, inner: Sharing) -> None:
        self.inner, self.begun, self.polls = inner, [], 0

    def begin_write(self, run):
        self.begun.append(run)
        self.inner.begin_write(run)

    def changed_elsewhere(self):
        self.polls += 1
        return self.inner.changed_elsewhere()


def test_every_write_takes_the_lock_and_every_poll_asks_the_sharing(tmp_path):
    path = str(tmp_path / "s.premortem")
    with SessionService.open(path, create=True) as service, SessionService.open(path) as other:
        assert isinstance(service.sharing, SqliteSharing)
        counting = service.sharing = CountingSharing(service.sharing)
        service.add_failure("API", "down")
        service.add_retro("keep", "a note")
        service.delete("retro", service.load().retro[0].id)
        assert len(counting.begun) == 3
        model = SessionModel(service.load(), path, service=service)
        assert model.poll() is False and counting.polls == 1
        other.add_failure("API", "slow")
        assert model.poll() is True and counting.polls == 2
        assert [f.failure for f in model.workshop.failures] == ["down", "slow"]


def test_a_write_waits_for_the_lock_another_process_holds(tmp_path):
    import sqlite3
    import threading
    import time

    path = str(tmp_path / "s.premortem")
    with SessionService.open(path, create=True) as service:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        done = []
        writer = threading.Thread(target=lambda: done.append(service.add_failure("API", "down")))
        writer.start()
        time.sleep(0.3)
        assert not done  # blocked behind the other writer, not failed
        holder.execute("COMMIT")
        holder.close()
        writer.join(5)
        assert done and [f.failure for f in service.load().failures] == ["down"]


def source() -> Workshop:
    failures = [Failure(id=f"n-f{n}", service=s, failure=f"note {n}", author="Ann", position=n)
                for n, s in enumerate(["Billing", "Dispatch", "Brand new"])]
    cms = [Countermeasure(id="n-c1", text="Alert on it", stage="detect", failure_ids=["n-f0"], author="Ann")]
    return Workshop(Session(title="notes"), [Participant(id="n-p", name="Newcomer", role="engineer")], [],
                    failures, cms, [RetroNote(id="n-r", kind="keep", text="kept", author="Ann")])


def snapshot(path) -> dict:
    w = reader.read_file(str(path))
    with SessionService.open(str(path)) as service:
        tombs = service.deleted_cards()
    return {"participants": [asdict(p) for p in w.participants], "failures": [asdict(f) for f in w.failures],
            "cms": [asdict(c) for c in w.countermeasures], "retro": [asdict(r) for r in w.retro], "tombs": tombs}


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "demo.premortem"
    write_demo(str(path), FakeClock())
    return path


def test_undo_of_a_merge_takes_out_exactly_what_it_added(demo):
    before = snapshot(demo)
    with SessionService.open(str(demo)) as service:
        model = SessionModel(service.load(), str(demo), service=service)
        assert model.merge([source()]) == 5
        assert {"n-f0", "n-f1", "n-f2"} <= {f.id for f in model.workshop.failures}
        assert model.workshop.countermeasures[-1].id == "n-c1" or model.countermeasure("n-c1")
        assert model.undo() == "merge"
        assert model.workshop == service.load()
        assert snapshot(demo) == before  # positions closed up, links gone, no tombstones
        assert model.merge([source()]) == 5  # never deleted here: merging again adds them again


def test_undo_of_a_merge_of_two_sources_is_one_step(demo):
    before = snapshot(demo)
    second = source()
    for f in second.failures:
        f.id = f.id + "-b"
    second.countermeasures, second.retro, second.participants = [], [], []
    with SessionService.open(str(demo)) as service:
        model = SessionModel(service.load(), str(demo), service=service)
        model.add_failure(service="Billing", failure="mine")
        depth = len(model.undo_stack)
        assert model.merge([source(), second]) == 8
        assert len(model.undo_stack) == depth + 1
        model.undo()
        assert [f.failure for f in model.workshop.failures if f.service == "Billing"][-1] == "mine"
        model.undo()
        after = snapshot(demo)
        assert [t[3] for t in after.pop("tombs")] == ["Billing: mine"]  # an undone add leaves its tombstone
        before.pop("tombs")
        assert after == before


def test_the_new_session_form_builds_its_file_in_the_store(tmp_path):
    assert parse_participants("Ann: PM\n\nBob\n : qa\n") == [("Ann", "pm"), ("Bob", "engineer")]
    path = tmp_path / "new.premortem"
    assert create_new_session(str(path), title="Q3", context="Billing moves", participants="Ann: pm\nBob",
                              clock=FakeClock())
    w = reader.read_file(str(path))
    assert (w.session.title, w.session.context) == ("Q3", "Billing moves")
    assert [(p.name, p.role) for p in w.participants] == [("Ann", "pm"), ("Bob", "engineer")]
    assert not create_new_session(str(path), title="Again")  # never replaces a session
    bad = tmp_path / "bad.premortem"
    with pytest.raises(ValidationError):
        create_new_session(str(bad), title="Q3", participants="Ann: astronaut")
    assert not bad.exists()  # all in, or no file
