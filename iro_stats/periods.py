"""Reporting periods: a month, a financial year (April to March), or a date range."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from iro_stats.dates import DateProblem, parse_user_date
from iro_stats.errors import UsageError


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


def month(text: str) -> Period:
    """Return the calendar month named by YYYY-MM."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise UsageError(f"--month {text!r} is not a month; give it as YYYY-MM, e.g. 2018-12")
    year, mon = int(m[1]), int(m[2])
    last = calendar.monthrange(year, mon)[1]
    return Period(dt.date(year, mon, 1), dt.date(year, mon, last))


def financial_year(text: str) -> Period:
    """Return 1 April to 31 March of the financial year named 2017 or 2017-18."""
    m = re.fullmatch(r"(\d{4})(?:[-/](\d{2}|\d{4}))?", text.strip())
    if m and m[2]:
        follows = int(m[2]) % 100 == (int(m[1]) + 1) % 100
    if not m or (m[2] and not follows):
        raise UsageError(f"--financial-year {text!r} is not a financial year; "
                         "give it as 2017 or 2017-18")
    year = int(m[1])
    return Period(dt.date(year, 4, 1), dt.date(year + 1, 3, 31))


def financial_year_start(day: dt.date) -> dt.date:
    """Return 1 April of the financial year that holds day."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def user_date(text: str, option: str) -> dt.date:
    """Return a date given to an option, or a UsageError naming the option."""
    try:
        return parse_user_date(text)
    except DateProblem:
        raise UsageError(f"{option} {text!r} is not a date; give it as dd/mm/yyyy "
                         "or yyyy-mm-dd")


def from_options(month_text: str | None = None, fy_text: str | None = None,
                 from_text: str | None = None, to_text: str | None = None) -> Period:
    """Return the Period the --month/--financial-year/--from/--to options ask for."""
    given = [name for name, value in (("--month", month_text),
                                       ("--financial-year", fy_text)) if value]
    if from_text or to_text:
        given.append("--from/--to")
    if len(given) > 1:
        raise UsageError(f"give only one of {', '.join(given)}")
    if month_text:
        return month(month_text)
    if fy_text:
        return financial_year(fy_text)
    start = user_date(from_text, "--from") if from_text else None
    end = user_date(to_text, "--to") if to_text else None
    if start and end and end < start:
        raise UsageError(f"--to {to_text} is before --from {from_text}")
    return Period(start, end)
