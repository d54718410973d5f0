"""Files that appear whole or not at all, and the named points where the crash tests end a writer.

A new file is written under a temp name beside its target (``.NAME.<pid>-<random>.part``: hidden,
never a ``.premortem``, so never listed as a session), then put in place by a hard link that never
replaces an existing file. Stdlib only.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat

try:
    import fcntl
except ImportError:  # not POSIX: a zero-byte target is replaced after a plain re-check
    fcntl = None  # type: ignore[assignment]

_CRASH_AT = os.environ.get("PREMORTEM_CRASH_AT", "")  # read once: a crash point costs one comparison
_PART = re.compile(r"(\d+)-[0-9a-f]{8}\.part(-journal|-wal|-shm)?")
_SIDECARS = ("", "-journal", "-wal", "-shm")


def crash_point(name: str) -> None:
    """End the process here, with no cleanup, as a crash would, when PREMORTEM_CRASH_AT is ``name``."""
    if name == _CRASH_AT:
        os._exit(70)


def _folder(target: str) -> str:
    return os.path.dirname(target) or "."


def _prefix(target: str) -> str:
    return "." + os.path.basename(target) + "."


def temp_beside(target: str) -> str:
    """Create an empty temp file beside ``target`` and return its path."""
    while True:
        tmp = os.path.join(_folder(target), f"{_prefix(target)}{os.getpid()}-{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


def remove_temp(tmp: str) -> None:
    """Remove a temp file and what SQLite may have put beside it."""
    for suffix in _SIDECARS:
        try:
            os.remove(tmp + suffix)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":
        return True  # ours (another thread may be writing it), or no safe way to ask
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def clean_stale(target: str) -> None:
    """Remove the temp files of ``target`` whose writer is gone (it crashed)."""
    prefix = _prefix(target)
    try:
        names = os.listdir(_folder(target))
    except OSError:
        return
    for name in names:
        match = _PART.fullmatch(name[len(prefix):]) if name.startswith(prefix) else None
        if match and not _alive(int(match.group(1))):
            try:
                os.remove(os.path.join(_folder(target), name))
            except OSError:
                pass


def place_new(tmp: str, target: str, *, point: str) -> bool:
    """Move the complete file ``tmp`` to ``target`` unless a non-empty file is there; True if placed.

    A zero-byte target counts as missing (PRODUCT.md). ``tmp`` is gone afterwards either way;
    ``point`` names the crash point between placing and removing the temp name.
    """
    try:
        placed = _place(tmp, target)
        if placed:
            _sync_folder(target)
            crash_point(point)
        return placed
    finally:
        remove_temp(tmp)


def _drop_orphans(target: str) -> None:
    """Remove a ``-wal``/``-shm``/``-journal`` left at ``target``'s name by a session file that was
    deleted: SQLite would replay it onto the new file, which would then open as the old one."""
    if os.path.lexists(target):
        return
    for suffix in ("-wal", "-shm", "-journal"):
        try:
            os.remove(target + suffix)
        except FileNotFoundError:
            pass


def _place(tmp: str, target: str) -> bool:
    while True:
        _drop_orphans(target)
        try:
            os.link(tmp, target)
            return True
        except FileExistsError:
            pass
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            if not os.path.lexists(target):
                # No hard links on this file system: a rename after a re-check is the closest.
                os.rename(tmp, target)
                return True
        placed = _replace_empty(tmp, target)
        if placed is not None:
            return placed
        # the zero-byte file went away meanwhile: link again


def _replace_empty(tmp: str, target: str) -> bool | None:
    """Rename ``tmp`` over ``target`` if it is a zero-byte regular file: True if done, False when it
    holds something, None when it is gone.

    Two writers on one zero-byte file take turns under a lock on it; the second then finds the
    name pointing at the first one's file, and leaves it.
    """
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError:
        return False  # a symlink, or unreadable: not ours to replace
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        held = os.fstat(fd)
        try:
            now = os.lstat(target)
        except FileNotFoundError:
            return None
        if (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino) or not stat.S_ISREG(held.st_mode) \
                or held.st_size:
            return False
        os.replace(tmp, target)
        return True
    finally:
        os.close(fd)


def _sync_folder(target: str) -> None:
    """Make the new name durable (a power cut after it must not lose the file)."""
    try:
        fd = os.open(_folder(target), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
