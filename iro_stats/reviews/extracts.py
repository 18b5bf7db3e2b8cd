"""The extracts as the reader gives them -> Inputs: typed rows and the ledger of every row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from iro_stats.reviews.rows import (EPISODES, IRO_LOG, KINDS, NOT_NEEDED, PERIODS, READ,
                                    REVIEWS, STEPS, Inputs, Ledger, clean_kind,
                                    mark_duplicates)

if TYPE_CHECKING:
    from pathlib import Path

    from iro_stats.load import Extract, Reading
    from iro_stats.schema import Profile

SOURCE_NAMES = {"reviews_903": "903 reviews", "iro_log": "IRO review log"}
# The fields' names in fields.toml -> the names the views use for every kind alike.
RENAMED = {"review": "review_date", "review_code": "participation", "step_status": "status",
           "ls": "legal_status"}


def read(paths: list["str | Path"], profile: "Profile | None" = None) -> "Reading":
    """Return the extracts the reviews command reads among the files (folders stand for
    the files in them); files of other kinds in folders are skipped, as load says."""
    from iro_stats.load import read_extracts

    return read_extracts(paths, READ, profile)


def named_extracts(paths: list, profile: "Profile | None" = None) -> tuple[list, list]:
    """Return (the paths that are not review extracts, the review extracts among the
    files named on their own, read): for a command that reads escalations and reviews
    together. Folders are left with the other paths: the escalations reader skips the
    review extracts in them, and says which (their paths, for `read`). A file of another
    kind is parsed no further than its header."""
    from pathlib import Path

    from iro_stats.load import Extract, read_extract
    from iro_stats.schema import Profile

    rest, found = [], []
    for given in paths:
        path = Path(given) if isinstance(given, (str, Path)) else given
        if isinstance(path, Path) and (path.is_dir() or not path.is_file()):
            rest.append(given)  # a folder, or a path the escalations reader will refuse
            continue
        extracts = [e for e in read_extract(path, profile or Profile(), READ)
                    if isinstance(e, Extract)]
        if extracts:
            found.extend(extracts)
        else:
            rest.append(given)
    return rest, found


def not_needed(reading: "Reading") -> list["Extract"]:
    """Return the extracts read that nothing here needs (a 903 return's header file)."""
    return [e for e in reading.extracts if e.info.kind in NOT_NEEDED]


def build_inputs(extracts: list["Extract"], today: dt.date | None = None) -> Inputs:
    """Return the Inputs of the extracts read, the ones not needed left out."""
    import numpy as np
    import pandas as pd

    today = today or dt.date.today()
    ledger = Ledger()
    parts: dict[str, list] = {}
    for extract in extracts:
        if extract.info.kind in NOT_NEEDED:
            continue
        kind = KINDS[extract.info.kind]
        frame = extract.frame()
        rid = ledger.add(kind, extract.info.path, extract.info.sheet, frame)
        parts.setdefault(kind.name, []).append((frame, rid))
    ledger.start()

    cleaned = {name: clean_kind(KINDS[name], parts[name], ledger, today).rename(
        columns=RENAMED) for name in parts}
    # One code per child across every kind, so the rows of one child meet: IDs of digits
    # alone that differ only in leading zeros are one child, shown with the most zeros
    # (as the escalations are: docs/inputs.md).
    texts = pd.concat([f["child_id"] for f in cleaned.values()], ignore_index=True) \
        if cleaned else pd.Series([], dtype=object)
    lookup = pd.Index(pd.unique(_unpadded(texts)))
    children = np.empty(len(lookup), dtype=object)
    longest_last = np.argsort(texts.str.len().to_numpy(), kind="stable")
    children[lookup.get_indexer(_unpadded(texts))[longest_last]] = \
        texts.to_numpy()[longest_last]
    for frame in cleaned.values():
        frame["child"] = lookup.get_indexer(_unpadded(frame["child_id"]))

    inputs = Inputs(ledger, children, files=[e.info for e in extracts
                                             if e.info.kind not in NOT_NEEDED])
    if EPISODES.name in cleaned:
        episodes = mark_duplicates(ledger, cleaned[EPISODES.name], ["child", "decom"])
        inputs.episodes = episodes[["rid", "child", "decom", "dec", "rec", "legal_status"]]
    if PERIODS.name in cleaned:
        inputs.care_rows = cleaned[PERIODS.name][["rid", "child", "start_date", "end_date",
                                                  "legal_status"]]
    reviews = [cleaned[k.name].assign(source=SOURCE_NAMES[k.name])
               for k in (REVIEWS, IRO_LOG) if k.name in cleaned]
    if reviews:
        # One child, one date: one review, whatever the codes or which extract says so.
        together = mark_duplicates(ledger, pd.concat(reviews, ignore_index=True),
                                   ["child", "review_date"])
        inputs.reviews = together[["rid", "child", "review_date", "participation", "source"]]
    if STEPS.name in cleaned:
        inputs.steps = cleaned[STEPS.name][["rid", "step_id", "child", "status", "started_on",
                                            "completed_on", "cancelled_on", "review_date",
                                            "participation"]]
    days = [f[c] for f in cleaned.values() for c in f.columns
            if f[c].dtype.kind == "M" and f[c].notna().any()]
    inputs.latest = max((d.max() for d in days), default=None)
    if inputs.latest is not None:
        inputs.latest = inputs.latest.date()
    return inputs


def _unpadded(texts: "pd.Series") -> "np.ndarray":
    """Return child IDs with those of digits alone written without leading zeros."""
    import numpy as np

    from iro_stats.columns import text_of, unpadded

    return np.asarray(unpadded(text_of(texts.tolist())).to_pylist(), dtype=object)
