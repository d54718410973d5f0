"""Characters a user's text may not carry to a screen.

A session file travels between people, so its text is untrusted. Control
characters (C0 but tab and newline, DEL, C1) could drive the terminal: an
escape sequence sets the window title, writes the clipboard (OSC 52) or clears
the screen. Bidirectional controls reorder what a reader sees. Input refuses
them (``first_unsafe``); text that reached a file by other means is shown with
each of them spelled out (``visible``), never sent raw.
"""

from __future__ import annotations

import re

# U+202A-E and U+2066-9 are the bidi embeddings, overrides and isolates ("Trojan Source"); the
# plain marks U+200E/F stay, right-to-left writers need them. U+2028/9 break lines unseen.
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_ANY = re.compile(f"[{_UNSAFE}]")
_UNSAFE_LINE = re.compile(f"[{_UNSAFE}\t\n]")


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def first_unsafe(text: str, *, multiline: bool = True) -> str | None:
    """The first character of ``text`` that may not be shown; tab and newline pass when ``multiline``."""
    if text.isprintable():  # the common case, at C speed
        return None
    match = (_UNSAFE_ANY if multiline else _UNSAFE_LINE).search(text)
    return match.group() if match else None


def visible(text: str, *, multiline: bool = True) -> str:
    """``text`` with every unsafe character written out as ``\\x1b`` or ``\\u202e``."""
    if text.isprintable():
        return text
    return (_UNSAFE_ANY if multiline else _UNSAFE_LINE).sub(_spelled, text)


def describe(char: str) -> str:
    """``U+001B``: how a refusal names the character."""
    return f"U+{ord(char):04X}"
