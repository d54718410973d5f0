"""Check a file over a read-only connection before anything writes to it.

A refused file stays byte-for-byte unchanged and gets no -wal/-shm beside it:
the header is read with plain file I/O, and SQLite only ever sees the file
read-only (immutable when no other process has it open).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import struct
from dataclasses import dataclass
from urllib.parse import quote

from ..i18n import _
from .fileformat import APP_MARKER, APPLICATION_ID, SCHEMA_VERSION, SessionFileError

_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileState:
    exists: bool          # False: missing or zero bytes (a new session may be written)
    version: int = 0      # schema version of an existing session file
    writable: bool = True


def readonly_uri(path: str) -> str:
    """A read-only SQLite URI; immutable while no -wal says another process writes."""
    uri = "file:" + quote(os.path.abspath(path))
    return uri + ("?mode=ro" if os.path.exists(path + "-wal") else "?mode=ro&immutable=1")


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def regular_file(path: str) -> os.stat_result | None:
    """``path``'s stat if it is a regular file, None if there is nothing there.

    Anything else is refused before it is opened: reading a named pipe blocks
    until something writes to it, so the command would hang. A symbolic link
    loop is refused too (nothing could ever be written through it).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SessionFileError(_("{path}: is a loop of symbolic links").format(path=path)) from None
        raise SessionFileError(_("{path}: cannot be read ({strerror})").format(
            path=path, strerror=exc.strerror)) from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "of an unknown kind")
        raise SessionFileError(_("{path}: is not a regular file ({kind})").format(path=path, kind=kind))
    return info


def folder_problem(path: str) -> str | None:
    """Why no new file can be written beside ``path`` (its folder is missing or read-only), or None."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"the folder {folder} does not exist"
    # SQLite writes its -wal and -shm files beside a session: the folder must take new files.
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} cannot be written"
    return None


def _writable(path: str) -> bool:
    return os.access(path, os.W_OK) and folder_problem(path) is None


def inspect(path: str, *, creating: bool) -> FileState:
    """Say what ``path`` is, or raise SessionFileError with a one-line reason.

    ``creating``: the command may write a new session (missing or zero-byte file).
    ``writable`` is False when the file or its folder cannot be written.
    """
    info = regular_file(path)
    if info is None:
        if not creating:
            raise SessionFileError(_("{path}: no such file").format(path=path))
        problem = folder_problem(path)
        if problem:
            raise SessionFileError(_("{path}: {problem}").format(path=path, problem=problem))
        return FileState(exists=False)
    size = info.st_size
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise SessionFileError(_("{path}: cannot be read ({strerror})").format(
            path=path, strerror=exc.strerror)) from None
    if size == 0:
        if creating:
            return FileState(exists=False, writable=_writable(path))
        raise SessionFileError(_("{path}: is empty (zero bytes), not a session file").format(path=path))
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise SessionFileError(_("{path}: is not a premortem session file (not an SQLite database)").format(
            path=path))
    (user_version,) = struct.unpack(">I", header[60:64])
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise SessionFileError(_("{path}: is an SQLite database of another program, not a premortem "
                                 "session").format(path=path))
    if user_version > SCHEMA_VERSION:
        raise SessionFileError(
            _("{path}: was written by a newer premortem-tui (schema version {user_version}; this one reads "
              "up to {supported}); upgrade premortem-tui to open it").format(
                path=path, user_version=user_version, supported=SCHEMA_VERSION))
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    (pages,) = struct.unpack(">I", header[28:32])
    if not os.path.exists(path + "-wal") and pages and size < page_size * pages:
        raise SessionFileError(_("{path}: is truncated ({size} of {expected} bytes); it cannot be opened").format(
            path=path, size=size, expected=page_size * pages))
    _check_contents(path)
    return FileState(exists=True, version=user_version, writable=_writable(path))


def _check_contents(path: str) -> None:
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise SessionFileError(_("{path}: cannot be opened ({detail})").format(path=path, detail=exc)) from None
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            raise SessionFileError(_("{path}: is corrupt ({detail})").format(
                path=path, detail=result[0] if result else _("no answer")))
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
        except sqlite3.Error:
            row = None
        if not row or row[0] != APP_MARKER:
            raise SessionFileError(_("{path}: is not a premortem session file (no session marker)").format(path=path))
    except sqlite3.DatabaseError as exc:
        raise SessionFileError(_("{path}: is corrupt ({detail})").format(path=path, detail=exc)) from None
    finally:
        conn.close()
