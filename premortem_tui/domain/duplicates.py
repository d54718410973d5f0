"""Likely duplicates between the failures of a session and those an import would add.

Pure. Two failures are likely the same when they name the same service (case
and spacing aside) and their texts are similar: a ratio of at least
``THRESHOLD`` between the case-folded texts, compared character by character,
so it works for Japanese as well as for English.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from .model import Failure, Workshop, service_key

THRESHOLD = 0.75


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def similarity(a: str, b: str) -> float:
    """0.0-1.0: how alike two failure texts are (case and spacing aside)."""
    a, b = _fold(a), _fold(b)
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def likely_duplicates(target: Workshop, incoming: list[Failure],
                      threshold: float = THRESHOLD) -> list[tuple[Failure, Failure, float]]:
    """(incoming failure, failure of ``target``, ratio) for each likely duplicate pair.

    A failure whose id is already in ``target`` is the same card, not a
    duplicate, and is left out (an import skips it anyway). Pairs come in the
    order of ``incoming``, the most similar first for each incoming failure.
    """
    by_service: dict[str, list[tuple[Failure, str]]] = {}
    ids = set()
    for f in target.failures:
        by_service.setdefault(service_key(f.service), []).append((f, _fold(f.failure)))
        ids.add(f.id)
    pairs: list[tuple[Failure, Failure, float]] = []
    for new in incoming:
        if new.id in ids:
            continue
        text = _fold(new.failure)
        found: list[tuple[Failure, Failure, float]] = []
        for old, old_text in by_service.get(service_key(new.service), []):
            if text == old_text:
                found.append((new, old, 1.0))
                continue
            matcher = SequenceMatcher(None, text, old_text, autojunk=False)
            # The cheap upper bounds first: most pairs are far apart.
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                found.append((new, old, ratio))
        found.sort(key=lambda pair: -pair[2])
        pairs += found
    return pairs
