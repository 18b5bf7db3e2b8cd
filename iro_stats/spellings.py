"""Labels that differ only in case or spacing are one label, shown in one spelling: the
rule breakdowns (teams, IROs, outcomes) and reason labels not in the crosswalk share."""

from __future__ import annotations

from typing import Callable, Iterable


def most_common(texts: Iterable[str], counts: Iterable[int],
                key: Callable[[str], object]) -> dict[str, str]:
    """Return, for each text, the spelling shown for every text of its key: the one with
    the highest count (a text given more than once has its counts summed), on a tie the
    one that sorts first."""
    totals: dict[str, int] = {}
    for text, count in zip(texts, counts):
        totals[text] = totals.get(text, 0) + int(count)
    best: dict[object, str] = {}
    for text, count in totals.items():
        k = key(text)
        if k not in best or (-count, text) < (-totals[best[k]], best[k]):
            best[k] = text
    return {text: best[key(text)] for text in totals}
