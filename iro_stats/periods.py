"""Reporting periods: a month, a financial year (April to March), or a date range."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    """An inclusive date range; either end may be open (None)."""

    start: dt.date | None = None
    end: dt.date | None = None

    def label(self) -> str:
        """Return the period as a committee paper names it: a whole month "December
        2018", a whole financial year "2018-19", otherwise its first and last days
        ("1 April to 30 November 2018")."""
        if self.start is None and self.end is None:
            return "all dates in the data"
        if self.start is None:
            return f"up to {self.end:%-d %B %Y}"
        if self.end is None:
            return f"from {self.start:%-d %B %Y}"
        return span(self.start, self.end)

    def as_json(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}


def span(first: dt.date, last: dt.date) -> str:
    """Return the days first to last as a committee reads them: "December 2018",
    "2018-19", "1 to 2 January 2019", "1 April to 30 November 2018", "1 April 2018 to
    31 January 2019"."""
    if first == financial_year_start(first) and last == financial_year(first.year).end:
        return f"{first.year}-{(first.year + 1) % 100:02d}"
    if (first.day == 1 and (first.year, first.month) == (last.year, last.month)
            and last == month(last.year, last.month).end):
        return f"{first:%B %Y}"
    if first == last:
        return f"{first:%-d %B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%-d} to {last:%-d %B %Y}"
    if first.year == last.year:
        return f"{first:%-d %B} to {last:%-d %B %Y}"
    return f"{first:%-d %B %Y} to {last:%-d %B %Y}"


def month(year: int, number: int) -> Period:
    """Return the calendar month `number` (1 to 12) of `year`."""
    last = calendar.monthrange(year, number)[1]
    return Period(dt.date(year, number, 1), dt.date(year, number, last))


def financial_year(year: int) -> Period:
    """Return the financial year that starts on 1 April of `year` (2017: 2017-18)."""
    return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))


def financial_year_start(day: dt.date) -> dt.date:
    """Return 1 April of the financial year that holds day."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
