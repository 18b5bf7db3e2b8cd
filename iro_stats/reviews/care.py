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
    # Plain Python values: the loop below reads each one once, and numpy's scalars are
    # many times slower to compare than ints. Days are counted from 1970; None is open.
    child = episodes["child"].to_numpy()[order].tolist()
    start = _days(episodes["decom"])[order].tolist()
    ends = _days(episodes["dec"])[order]
    end = [None if d == _OPEN else d for d in ends.tolist()]
    rec = episodes["rec"].to_numpy(dtype=object)[order].tolist()
    short = np.isin(episodes["legal_status"].to_numpy(dtype=object), SHORT_BREAKS)[order]
    short = short.tolist()
    rid = episodes["rid"].to_numpy()[order].tolist()

    period_of = [0] * len(order)
    periods: list[_Period] = []
    overlapping: set = set()
    child_end = None  # the latest end of the child's episodes so far (None: one is open)
    for i in range(len(order)):
        current = periods[-1] if periods and periods[-1].child == child[i] else None
        if current is None:
            child_end = start[i]
        elif child_end is None or start[i] < child_end:
            overlapping.add(child[i])
        if current is not None and (current.end is None or (
                start[i] <= current.end and current.last_rec == SAME_DAY_NEW_EPISODE)):
            if end[i] is None:
                current.end = None
            elif current.end is not None and end[i] >= current.end:  # a tie: the later
                current.end, current.last_rec = end[i], rec[i]
            current.short = current.short and short[i]
        else:
            periods.append(_Period(child[i], start[i], end[i], rec[i], short[i], rid[i]))
        if child_end is not None:
            child_end = None if end[i] is None else max(child_end, end[i])
        period_of[i] = len(periods) - 1

    day = np.datetime64("1970-01-01", "D")
    frame = pd.DataFrame({
        "child": [p.child for p in periods],
        "start": day + np.array([p.start for p in periods], dtype=np.int64),
        "end": np.array([day + p.end if p.end is not None else np.datetime64("NaT")
                         for p in periods], dtype="datetime64[D]"),
        "short_breaks": [p.short for p in periods], "rid": [p.rid for p in periods]})
    at = np.empty(len(order), dtype=np.int64)
    at[order] = period_of
    return _periods(frame), at, sorted(overlapping)


_OPEN = -(2 ** 63)  # NaT as an int64


class _Period:
    """One period of care as the episodes make it (days as ints; end None while open)."""

    __slots__ = ("child", "start", "end", "last_rec", "short", "rid")

    def __init__(self, child, start, end, last_rec, short, rid):
        self.child, self.start, self.end = child, start, end
        self.last_rec, self.short, self.rid = last_rec, short, rid


def _days(column: "pd.Series") -> "np.ndarray":
    """Return a datetime column as whole days from 1970 (int64; NaT as _OPEN)."""
    return column.to_numpy().astype("datetime64[D]").astype("int64")


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
