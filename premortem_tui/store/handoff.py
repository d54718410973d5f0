"""Start the next meeting from a session file: the carried copy is written whole or not at all."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ..i18n import _
from ..domain import validate
from ..domain.carry import carry
from ..domain.timer import Clock
from .check import folder_problem
from .fileformat import SessionFileError
from .reader import read_file


def handoff_path(session_path: str, today: date) -> str:
    """A free name for a hand-off copy beside the session: NAME-handoff-DATE[-N].premortem."""
    source = Path(session_path).resolve()
    stem = f"{source.stem}-handoff-{today.isoformat()}"
    target, n = source.with_name(stem + source.suffix), 2
    while target.exists():
        target, n = source.with_name(f"{stem}-{n}{source.suffix}"), n + 1
    return str(target)


def refuse_existing(path: str) -> None:
    """Refuse a new file's path that is taken, or whose folder is missing or cannot be written."""
    if os.path.lexists(path):
        raise SessionFileError(_("{path}: already exists; choose a new name").format(path=path))
    problem = folder_problem(path)
    if problem:
        raise SessionFileError(_("{path}: {problem}").format(path=path, problem=problem))


def carry_file(source: str, new: str, title: str | None = None, *, clock: Clock,
               progress: Callable[[int, int], Any] | None = None) -> None:
    """Write NEW, the next meeting of SOURCE (PRODUCT.md, carry), dated by ``clock``; SOURCE is only read.

    ``progress(done, total)`` is called as the cards are written.
    """
    from .service import create_session_file

    refuse_existing(new)
    title = validate.text("title", title) if title is not None else None
    carried = carry(read_file(source), title=title or None, today=clock.today())
    # Written beside NEW and put in place complete: a failed carry leaves no half-written NEW.
    if not create_session_file(
            new, lambda service: service.import_workshop(carried, whole_session=True, progress=progress),
            clock=clock):
        raise SessionFileError(_("{new}: already exists; choose a new name").format(new=new))
