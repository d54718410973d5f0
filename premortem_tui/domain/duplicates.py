"""Likely duplicates between the failures of a session and those an import would add.

Pure. Two failures are likely the same when they name the same service (case
and spacing aside), their texts are similar (a ratio of at least ``THRESHOLD``
between the case-folded texts, compared character by character, so it works
for Japanese as well as for English) and their period and timing agree. Cards
whose text is the same but whose timing or period differs (end of month and
middle of month, 30 minutes and 2 hours) are variants, not duplicates: no
threshold on the text can tell them apart, so the fields decide.
"""

from __future__ import annotations

from .model import Failure, Workshop, service_key

# A reworded ending ("発行できない" / "発行できなくなる") scores 0.875, a timing word changed inside
# the text ("月末締め" / "月中締め") 0.93: the text alone cannot separate those, the fields do.
THRESHOLD = 0.75


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _when_key(text: str) -> str:
    """Period or timing as compared: case, spacing and punctuation aside ("Month-end" = "month end")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _compatible(a: str, b: str) -> bool:
    """The same period (or timing), or one card does not say: an unsaid value matches any."""
    return not a or not b or a == b


def likely_duplicates(target: Workshop, incoming: list[Failure],
                      threshold: float = THRESHOLD) -> list[tuple[Failure, Failure, float]]:
    """(incoming failure, failure of ``target``, ratio) for each likely duplicate pair.

    A failure whose id is already in ``target`` is the same card, not a
    duplicate, and is left out (an import skips it anyway). Pairs come in the
    order of ``incoming``, the most similar first for each incoming failure
    (ties in the order of ``target``).
    """
    # Imported here: the board's first paint never needs it.
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    by_service: dict[str, tuple[list[Failure], list[str]]] = {}
    ids = set()
    for f in target.failures:
        olds, texts = by_service.setdefault(service_key(f.service), ([], []))
        olds.append(f)
        texts.append(_fold(f.failure))
        ids.add(f.id)
    pairs: list[tuple[Failure, Failure, float]] = []
    for new in incoming:
        if new.id in ids or service_key(new.service) not in by_service:
            continue
        olds, texts = by_service[service_key(new.service)]
        period, timing = _when_key(new.period), _when_key(new.timing)
        found = [(i, ratio) for _text, ratio, i in
                 process.extract(_fold(new.failure), texts, scorer=Indel.normalized_similarity,
                                 score_cutoff=threshold, limit=None)
                 if _compatible(period, _when_key(olds[i].period))
                 and _compatible(timing, _when_key(olds[i].timing))]
        found.sort(key=lambda match: (-match[1], match[0]))
        pairs += [(new, olds[i], ratio) for i, ratio in found]
    return pairs
