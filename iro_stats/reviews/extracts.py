"""The extracts of each kind, as read, -> Inputs: typed rows and the ledger of every row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from iro_stats.reviews.rows import (EPISODES, IRO_LOG, KINDS, NOT_NEEDED, PERIODS, REVIEWS,
                                    STEPS, Inputs, Ledger, _text, clean_kind,
                                    mark_duplicates)

if TYPE_CHECKING:
    import pandas as pd

SOURCE_NAMES = {"reviews_903": "903 reviews", "iro_log": "IRO log"}
# The fields' names in fields.toml -> the names the views use for every kind alike.
RENAMED = {"review": "review_date", "review_code": "participation", "step_status": "status"}


def build_inputs(extracts: list[tuple[str, str, str | None, "pd.DataFrame"]],
                 today: dt.date | None = None) -> Inputs:
    """Return the Inputs of extracts given as (kind, file, sheet, frame): each frame's
    columns named by the kind's fields, with `_row`, the row number a spreadsheet shows.
    Extracts of a kind not needed (the 903 header) are left out: the caller names them."""
    import numpy as np
    import pandas as pd

    today = today or dt.date.today()
    ledger = Ledger()
    parts: dict[str, list] = {}
    for kind_name, path, sheet, frame in extracts:
        if kind_name in NOT_NEEDED:
            continue
        kind = KINDS[kind_name]
        child = _text(frame["child_id"]) if "child_id" in frame else \
            pd.Series([""] * len(frame), dtype=object)
        date = _text(frame[kind.key_date]) if kind.key_date in frame else child.map(lambda _: "")
        rid = ledger.add(kind, path, sheet, frame["_row"].to_numpy(dtype=np.int64),
                         child.to_numpy(dtype=object), date.to_numpy(dtype=object))
        parts.setdefault(kind_name, []).append((path, sheet, frame, rid))
    ledger.start()

    cleaned = {name: clean_kind(KINDS[name], parts[name], ledger, today) for name in parts}
    # One code per child across every kind, so rows of one child meet.
    texts = pd.concat([f["child_id"] for f in cleaned.values()], ignore_index=True) \
        if cleaned else pd.Series([], dtype=object)
    _, children = pd.factorize(texts)
    children = np.asarray(children, dtype=object)
    lookup = pd.Index(children)
    for frame in cleaned.values():
        frame["child"] = lookup.get_indexer(frame["child_id"])

    inputs = Inputs(ledger, children)
    if EPISODES.name in cleaned:
        episodes = cleaned[EPISODES.name]
        episodes = mark_duplicates(ledger, episodes, ["child", "decom"])
        inputs.episodes = episodes.rename(columns={"ls": "legal_status"})[
            ["rid", "child", "decom", "dec", "rec", "legal_status"]]
    if PERIODS.name in cleaned:
        inputs.care_rows = cleaned[PERIODS.name][["rid", "child", "start_date", "end_date",
                                                  "legal_status"]]
    reviews = [cleaned[k.name].rename(columns=RENAMED).assign(source=SOURCE_NAMES[k.name])
               for k in (REVIEWS, IRO_LOG) if k.name in cleaned]
    if reviews:
        together = pd.concat(reviews, ignore_index=True)
        # One child, one date: one review, whatever the codes or which extract says so.
        together = mark_duplicates(ledger, together, ["child", "review_date"])
        inputs.reviews = together[["rid", "child", "review_date", "participation", "source"]]
    if STEPS.name in cleaned:
        inputs.steps = cleaned[STEPS.name].rename(columns=RENAMED)[["rid", "step_id", "child", "status", "started_on",
                                            "completed_on", "cancelled_on", "review_date",
                                            "participation"]]
    dates = [f[c] for name, f in cleaned.items() for c in KINDS[name].dates]
    latest = max((d.max() for d in dates if d.notna().any()), default=None)
    inputs.latest = latest.date() if latest is not None else None
    return inputs
