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
        """Return the period as a committee paper names it."""
        if self.start is None and self.end is None:
            return "all dates in the data"
        if self.start is None:
            return f"up to {self.end:%-d %B %Y}"
        if self.end is None:
            return f"from {self.start:%-d %B %Y}"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def as_json(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}


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
