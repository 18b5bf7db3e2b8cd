"""When looked-after reviews are due: the Care Planning, Placement and Case Review
(England) Regulations 2010 as docs/reviews.md states them.

Review 1 is due 20 working days after the period of care starts; review 2 three months
after review 1 was held; every later review six months after the one before. In a
short-breaks period review 1 is due three months after the start and every later one six
months after the one before. Dates are numpy datetime64[D] arrays throughout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iro_stats.workdays import working_days_after

if TYPE_CHECKING:
    import numpy as np

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
SHORT_BREAKS_FIRST_MONTHS = 3


def add_months(days: "np.ndarray", months: "np.ndarray | int") -> "np.ndarray":
    """Return each day moved on by whole calendar months: the same day number, or the
    last day of the month when it has none (31 August + 6 months = 28 February)."""
    import numpy as np

    days = np.asarray(days, dtype="datetime64[D]")
    month = days.astype("datetime64[M]")
    day_index = (days - month.astype("datetime64[D]")).astype(np.int64)  # 0 = the 1st
    target = month + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")) \
        .astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day_index, length - 1)


def first_due(starts: "np.ndarray", short_breaks: "np.ndarray") -> "np.ndarray":
    """Return when review 1 of each period of care is due."""
    import numpy as np

    starts = np.asarray(starts, dtype="datetime64[D]")
    short_breaks = np.asarray(short_breaks, dtype=bool)
    due = working_days_after(starts, FIRST_REVIEW_WORKING_DAYS)
    if short_breaks.any():
        due = np.where(short_breaks, add_months(starts, SHORT_BREAKS_FIRST_MONTHS), due)
    return due


def next_due(number: "np.ndarray", previous: "np.ndarray",
             short_breaks: "np.ndarray") -> "np.ndarray":
    """Return when review `number` (2 or more) is due, `previous` being when review
    number - 1 was held."""
    import numpy as np

    second = (np.asarray(number) == 2) & ~np.asarray(short_breaks, dtype=bool)
    return add_months(previous, np.where(second, SECOND_REVIEW_MONTHS, LATER_REVIEW_MONTHS))


def chain(period: "np.ndarray", held: "np.ndarray", period_first_due: "np.ndarray",
          period_short_breaks: "np.ndarray") -> tuple["np.ndarray", "np.ndarray"]:
    """Return (number within its period, due date) of each review.

    The reviews must be sorted by period, then by the date held; `period` gives each
    review's period of care as a position in the period_* arrays."""
    import numpy as np

    n = len(period)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype="datetime64[D]")
    period = np.asarray(period, dtype=np.int64)
    held = np.asarray(held, dtype="datetime64[D]")
    starts = np.ones(n, dtype=bool)
    starts[1:] = period[1:] != period[:-1]
    begin = np.flatnonzero(starts)
    number = np.arange(n) - np.repeat(begin, np.diff(np.append(begin, n))) + 1
    previous = np.empty(n, dtype="datetime64[D]")
    previous[0] = held[0]
    previous[1:] = held[:-1]
    short = np.asarray(period_short_breaks, dtype=bool)[period]
    due = np.where(number == 1, np.asarray(period_first_due, dtype="datetime64[D]")[period],
                   next_due(number, previous, short))
    return number, due
