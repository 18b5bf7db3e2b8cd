"""Periods of care: made from 903 episodes or read from Mosaic, and which one holds a date.

A period of care is one child's continuous time looked after. Each is a row of a frame
with `child` (a child's code), `start`, `end` (NaT while open), `short_breaks` and `rid`
(the input row that opened it, so a duplicate can name it). Dates are datetime64[D].
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SAME_DAY_NEW_EPISODE = "X1"  # 903 REC: episode ceases, and new episode begins on same day
SHORT_BREAKS = ("V3", "V4")  # 903 LS: accommodated under an agreed series of short breaks


def from_episodes(episodes: "pd.DataFrame") -> tuple["pd.DataFrame", "np.ndarray", list]:
    """Return (periods, each episode's period as a position, codes of children whose
    episodes overlap) from 903 episodes: columns child, decom, dec (NaT while open), rec,
    legal_status and rid.

    Sorted by DECOM, an episode continues the current period when that period is still
    open (one of its episodes has no DEC), or when it starts on or before the period's end
    and the episode that ends last ended with REC X1; otherwise it starts a new period.
    An episode that starts before an earlier episode of the child has ended overlaps it:
    a data problem, reported, and the rule above applied all the same."""
    import numpy as np
    import pandas as pd

    order = np.lexsort((episodes["rid"].to_numpy(), episodes["decom"].to_numpy(),
                        episodes["child"].to_numpy()))
    child = episodes["child"].to_numpy()[order]
    start = episodes["decom"].to_numpy().astype("datetime64[D]")[order]
    end = episodes["dec"].to_numpy().astype("datetime64[D]")[order]
    rec = episodes["rec"].to_numpy(dtype=object)[order]
    short = np.isin(episodes["legal_status"].to_numpy(dtype=object), SHORT_BREAKS)[order]
    rid = episodes["rid"].to_numpy()[order]
    open_ = np.isnat(end)

    period_of = np.empty(len(order), dtype=np.int64)
    periods: list[list] = []  # [child, start, end, open, rec of the last to end, short, rid]
    overlapping: set = set()
    child_end = None  # the latest end of the child's episodes so far (None: one is open)
    for i in range(len(order)):
        current = periods[-1] if periods and periods[-1][0] == child[i] else None
        if current is None:
            child_end = start[i]
        elif child_end is None or start[i] < child_end:
            overlapping.add(child[i])
        if current is not None and (current[3] or (start[i] <= current[2]
                                                   and current[4] == SAME_DAY_NEW_EPISODE)):
            current[3] = current[3] or open_[i]
            if not open_[i] and end[i] >= current[2]:  # on a tie, the later episode
                current[2], current[4] = end[i], rec[i]
            current[5] = current[5] and short[i]
        else:
            periods.append([child[i], start[i], end[i] if not open_[i] else start[i],
                            bool(open_[i]), rec[i], bool(short[i]), rid[i]])
        if child_end is not None:
            child_end = None if open_[i] else max(child_end, end[i])
        period_of[i] = len(periods) - 1

    frame = pd.DataFrame(periods, columns=["child", "start", "end", "open", "rec",
                                           "short_breaks", "rid"])
    frame["end"] = frame["end"].where(~frame["open"].astype(bool))
    at = np.empty(len(order), dtype=np.int64)
    at[order] = period_of
    return _periods(frame), at, sorted(overlapping)


def from_rows(rows: "pd.DataFrame") -> "pd.DataFrame":
    """Return periods as Mosaic records them: columns child, start, end, legal_status, rid.
    A legal status of V3 or V4 marks a short-breaks period."""
    import numpy as np

    frame = rows[["child", "start", "end", "rid"]].copy()
    frame["short_breaks"] = np.isin(rows["legal_status"].to_numpy(dtype=object),
                                    SHORT_BREAKS)
    return _periods(frame)


def _periods(frame: "pd.DataFrame") -> "pd.DataFrame":
    import numpy as np
    import pandas as pd

    return pd.DataFrame({
        "child": frame["child"].to_numpy(dtype=np.int64),
        "start": frame["start"].to_numpy().astype("datetime64[D]"),
        "end": frame["end"].to_numpy().astype("datetime64[D]"),
        "short_breaks": frame["short_breaks"].to_numpy(dtype=bool),
        "rid": frame["rid"].to_numpy(dtype=np.int64)})


def place(periods: "pd.DataFrame", child: "np.ndarray", day: "np.ndarray") -> "np.ndarray":
    """Return the position in `periods` of the period of care holding each (child, day),
    or -1: the period that contains the day (its start and end days included), the one
    that started later where two contain it. `periods` must be sorted by child, start."""
    import numpy as np

    child = np.asarray(child, dtype=np.int64)
    day = np.asarray(day, dtype="datetime64[D]").astype(np.int64)
    p_child = periods["child"].to_numpy(dtype=np.int64)
    p_start = periods["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    end = periods["end"].to_numpy().astype("datetime64[D]")
    p_end = np.where(np.isnat(end), np.iinfo(np.int64).max, end.astype(np.int64))
    # One sorted key per period and per date: the last period of the child to start on
    # or before the day.
    shift = np.int64(1 << 20)  # days from 1970 fit in 20 bits to 4840
    keys = p_child * shift + p_start
    at = np.searchsorted(keys, child * shift + day, side="right") - 1
    found = (at >= 0) & (p_child[np.maximum(at, 0)] == child)
    inside = found & (p_end[np.maximum(at, 0)] >= day)
    # That period ended before the day: an earlier one may still hold it (periods that
    # overlap, which are rare): look back through the child's periods, latest start first.
    for i in np.flatnonzero(found & ~inside):
        j = at[i] - 1
        while j >= 0 and p_child[j] == child[i] and not p_end[j] >= day[i]:
            j -= 1
        at[i] = j if j >= 0 and p_child[j] == child[i] else -1
    return np.where(found, at, -1)
