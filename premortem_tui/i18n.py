"""One translation function for every user-visible string.

The catalogue is gettext-style: the English text is the key. Japanese follows
as a catalogue without touching the callers.
"""

from __future__ import annotations

_CATALOGUE: dict[str, str] = {}


def _(text: str) -> str:
    """Translate ``text`` for the current language (English until a catalogue is loaded)."""
    return _CATALOGUE.get(text, text)


def N_(text: str) -> str:
    """Mark ``text`` as a msgid to translate where it is shown, not here (tables built at import)."""
    return text
