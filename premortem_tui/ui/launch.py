"""Open a session file for the board: a lean first read now, the ORM in a thread."""

from __future__ import annotations

from ..i18n import _
from ..domain.timer import Clock
from ..store.check import inspect
from ..store.fileformat import SCHEMA_VERSION
from ..store.locations import remember
from .session_model import SessionModel


def missing_session(path: str) -> bool:
    """True when nothing is at ``path`` yet, so opening it would create a new session (the caller
    asks first). A path that could not be opened at all, say in a missing folder, raises
    SessionFileError. Writes nothing, not even the list of recent files.
    """
    import os

    inspect(path, creating=True)
    return not os.path.exists(path)


def open_model(path: str, *, clock: Clock, author: str = "", rehearsal: bool = False) -> SessionModel:
    """A SessionModel for ``path`` (created when missing or empty); SessionFileError when refused.

    It creates without asking: the command line and the home screen ask first (``missing_session``).

    An existing, current file is painted from a stdlib read while the session
    service (and its ORM) opens in a thread; a new or older file opens the
    service first, since it must create or upgrade the file.
    """
    state = inspect(path, creating=True)
    remember(path)

    def opener():
        from ..store.service import SessionService

        return SessionService.open(path, create=True, clock=clock)

    if state.exists and state.version == SCHEMA_VERSION and not rehearsal:
        from ..store.reader import LeanRead, read_inspected
        from .columns import PHASES_WITHOUT_COUNTERMEASURES

        if state.writable:  # can tell later whether the file changed meanwhile (LeanRead)
            lean = LeanRead(path, lean_phases=PHASES_WITHOUT_COUNTERMEASURES)
            workshop = lean.workshop
        else:
            lean, workshop = None, read_inspected(path, lean_phases=PHASES_WITHOUT_COUNTERMEASURES)
        return SessionModel(workshop, path, opener=opener, author=author, readonly=not state.writable,
                            partial=workshop.session.current_phase in PHASES_WITHOUT_COUNTERMEASURES, lean=lean)
    service = opener()
    if rehearsal and not service.readonly:
        service.update_session(rehearsal=True)
    return SessionModel(service.load(), path, service=service, author=author)


def write_demo(path: str, clock: Clock) -> None:
    """Write the demo workshop, met two weeks before ``clock``'s day, to ``path``, which must not exist yet."""
    import os

    from ..domain.demo import demo_workshop
    from ..store.fileformat import SessionFileError
    from ..store.service import create_session_file

    refusal = SessionFileError(_("{path}: already exists; the demo is written only to a new file").format(path=path))
    if os.path.exists(path):
        raise refusal
    # Built whole beside PATH: a crash leaves no empty demo behind.
    demo = demo_workshop(clock.today())
    if not create_session_file(path, lambda s: s.import_workshop(demo, whole_session=True), clock=clock):
        raise refusal
