"""Facts about the session file shared by the check, the lean reader and the service.

Stdlib only, so the first read of a file does not pay for the ORM.
"""

from __future__ import annotations

SUFFIX = ".premortem"
APPLICATION_ID = 0x504D5254  # "PMRT" in the SQLite header, bytes 68-71
SCHEMA_VERSION = 3           # PRAGMA user_version, bytes 60-63
APP_MARKER = "premortem-tui"


class SessionFileError(Exception):
    """A session file that cannot be used; the message is one line naming the file."""


def backup_path(path: str, version: int) -> str:
    return f"{path}.bak-v{version}"
