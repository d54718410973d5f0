"""Cell-aware wrapping and truncation, so wide (CJK) characters never break a layout.

An ASCII ellipsis is used: the single-character one is ambiguous-width and some
terminals draw it two cells wide.
"""

from __future__ import annotations

from rich.cells import cell_len

ELLIPSIS = "..."


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending in an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    if width <= len(ELLIPSIS):
        return ELLIPSIS[:width]
    room = width - len(ELLIPSIS)
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > room:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Wrap at spaces where possible, else between characters; the last line is
    truncated with an ellipsis when the text does not fit."""
    if width <= 0 or max_lines <= 0:
        return []
    lines: list[str] = []
    words = " ".join(text.split()).split(" ") if text.strip() else []
    current, used = "", 0
    i = 0
    while i < len(words):
        word = words[i]
        sep = 1 if current else 0
        wlen = cell_len(word)
        if used + sep + wlen <= width:
            current += (" " if sep else "") + word
            used += sep + wlen
            i += 1
            continue
        if not current:  # a word longer than the line (CJK text has no spaces): split it
            head, rest = _split_cells(word, width)
            lines.append(head)
            words[i] = rest
        else:
            lines.append(current)
            current, used = "", 0
        if len(lines) == max_lines:
            break
    if len(lines) < max_lines and current:
        lines.append(current)
        current = ""
    leftover = i < len(words) or bool(current)
    if leftover and lines:
        tail = lines[-1] + " " + " ".join(words[i:]) if i < len(words) else lines[-1] + " " + current
        lines[-1] = truncate(tail, width) if cell_len(tail) > width else tail
    return lines[:max_lines]


def _split_cells(word: str, width: int) -> tuple[str, str]:
    used = 0
    for n, ch in enumerate(word):
        w = cell_len(ch)
        if used + w > width:
            return word[:n] or word[:1], word[n:] if n else word[1:]
        used += w
    return word, ""


def pad(text: str, width: int) -> str:
    """``text`` truncated or padded with spaces to exactly ``width`` cells."""
    cut = truncate(text, width)
    return cut + " " * (width - cell_len(cut))
