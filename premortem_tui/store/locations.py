"""Where session files live: the default store and the list of recent files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .fileformat import SUFFIX

APP_NAME = "premortem-tui"
RECENT_LIMIT = 20


def home() -> Path:
    """``$PREMORTEM_HOME``, else the platform's user data directory for premortem-tui."""
    env = os.environ.get("PREMORTEM_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def store_dir() -> Path:
    """The default store; created on first use, never at import time."""
    return home() / "sessions"


def store_sessions() -> list[Path]:
    """The store's session files, newest first (backups are not listed)."""
    directory = store_dir()
    if not directory.is_dir():
        return []
    files = [p for p in directory.iterdir() if p.suffix == SUFFIX and p.is_file()]
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


def _recent_file() -> Path:
    return home() / "recent.json"


def recent_files() -> list[Path]:
    """Recently opened files outside the store that still exist, newest first."""
    try:
        names = json.loads(_recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    return [Path(n) for n in names if isinstance(n, str) and Path(n).is_file()]


def remember(path: str | os.PathLike[str]) -> None:
    """Put ``path`` first in the recent list (files in the store are listed anyway).

    The recent list is a convenience: nothing here may fail an open, not even
    a path that cannot be resolved (a loop of symbolic links raises).
    """
    try:
        resolved = Path(path).resolve()
        if resolved.parent == store_dir().resolve():
            return
        names = [str(resolved)] + [str(p) for p in recent_files() if p.resolve() != resolved]
        target = _recent_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(names[:RECENT_LIMIT], ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except (OSError, RuntimeError):
        pass


def new_store_path(stem: str) -> Path:
    """A free file name in the store for a new session."""
    directory = store_dir()
    directory.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem).strip("-") or "session"
    candidate = directory / f"{safe}{SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = directory / f"{safe}-{n}{SUFFIX}"
        n += 1
    return candidate
