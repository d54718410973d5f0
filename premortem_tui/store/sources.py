"""Read an import source: a JSON export or another session file."""

from __future__ import annotations

import os

from ..i18n import _
from ..domain import json_document
from ..domain.model import Workshop
from ..domain.validate import ValidationError
from .check import regular_file
from .fileformat import SessionFileError
from .reader import read_file

_SQLITE_MAGIC = b"SQLite format 3\x00"


def load_source(path: str) -> tuple[Workshop, list[str]]:
    """The source's session and warnings; SessionFileError names the file and the problem."""
    if regular_file(path) is None:  # a pipe, a device or a folder is refused before it is opened
        raise SessionFileError(_("{path}: no such file").format(path=path))
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise SessionFileError(_("{path}: cannot be read ({strerror})").format(
            path=path, strerror=exc.strerror)) from None
    if head == _SQLITE_MAGIC:
        return json_document.checked(read_file(path), path)
    if not head:
        raise SessionFileError(_("{path}: is empty (zero bytes)").format(path=path))
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise SessionFileError(_("{path}: is neither a JSON export nor a session file").format(path=path)) from None
    try:
        workshop, warnings = json_document.loads(text)
    except ValidationError as exc:
        raise SessionFileError(_("{path}: {detail}").format(path=path, detail=exc)) from None
    return workshop, [f"{os.path.basename(path)}: {w}" for w in warnings]
