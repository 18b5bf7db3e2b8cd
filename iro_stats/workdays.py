"""Working days: Monday to Friday, less the bank holidays of England and Wales.

The IRO Handbook (section 6.2) gives the formal dispute-resolution process 20 working
days. Bank holidays come from the `holidays` package (its England calendar, which Wales
shares), so substitute days and one-off holidays such as 19 September 2022 are included
without anyone keeping a list by hand.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

COUNTRY, SUBDIVISION = "GB", "ENG"
DESCRIPTION = "weekends and England and Wales bank holidays excluded"


@lru_cache(maxsize=64)
def _holidays_of(years: tuple[int, ...]) -> tuple[dt.date, ...]:
    import holidays

    calendar = holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=years)
    return tuple(sorted(calendar))


def bank_holidays(years: Iterable[int]) -> list[dt.date]:
    """Return the England and Wales bank holidays of the years, in date order."""
    return list(_holidays_of(tuple(sorted(set(years)))))


def _calendar(first: dt.date, last: dt.date) -> "np.ndarray":
    import numpy as np

    days = bank_holidays(range(first.year, last.year + 1))
    return np.array(days, dtype="datetime64[D]")


def working_days(start: dt.date, end: dt.date) -> int:
    """Return the working days after start up to and including end (0 if end <= start).

    Raised on Friday 23 November 2018, an escalation is 1 working day old on Monday 26th.
    """
    if end <= start:
        return 0
    import numpy as np

    return int(np.busday_count(start + dt.timedelta(days=1), end + dt.timedelta(days=1),
                               holidays=_calendar(start, end)))


def working_days_since(starts: "pd.Series", end: dt.date) -> "pd.Series":
    """Return working_days(start, end) for each date of a datetime Series (NA where NaT)."""
    import numpy as np
    import pandas as pd

    known = starts.notna()
    out = pd.Series(pd.NA, index=starts.index, dtype="Int64")
    if not known.any():
        return out
    begin = starts[known].to_numpy().astype("datetime64[D]") + np.timedelta64(1, "D")
    stop = np.datetime64(end, "D") + np.timedelta64(1, "D")
    first = pd.Timestamp(starts[known].min()).date()
    counts = np.busday_count(begin, np.maximum(begin, stop),
                             holidays=_calendar(min(first, end), max(first, end)))
    out[known] = counts
    return out



def working_days_after(starts: "np.ndarray", n: int) -> "np.ndarray":
    """Return the day n working days after each start (datetime64[D]), the start day not
    counted: begun on Friday 21 December 2018, the 20th working day is Wednesday 23 January
    2019 (Christmas Day, Boxing Day and New Year's Day skipped)."""
    import numpy as np

    starts = np.asarray(starts, dtype="datetime64[D]")
    if not len(starts):
        return starts
    first = starts.min().astype(object)
    # n working days never span more than 2n + 14 calendar days, bank holidays included.
    last = starts.max().astype(object) + dt.timedelta(days=2 * n + 14)
    # "backward": a start on a Saturday counts from the Friday before, so that Monday is
    # the first working day after it, not the day counting begins from.
    return np.busday_offset(starts, n, roll="backward", holidays=_calendar(first, last))
