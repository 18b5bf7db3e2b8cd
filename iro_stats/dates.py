"""The one date parser: British day-first text, ISO, Excel cells and serial numbers."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

EARLIEST = dt.date(2000, 1, 1)
EXCEL_EPOCH = dt.date(1899, 12, 30)

MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_NAMED = re.compile(r"(\d{1,2})[ /-]([A-Za-z]{3,9})[ /-](\d{4}|\d{2})" + _TIME)
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")


class DateProblem(ValueError):
    """Why a value is not a usable date: `kind` is a short phrase, str() quotes the value."""

    def __init__(self, kind: str, value: object):
        self.kind = kind
        super().__init__(f"'{value}' {kind}")


NOT_REAL = "is not a real date (dates are read day first)"
UNREADABLE = "is not a date we can read (use dd/mm/yyyy)"
OUT_OF_RANGE = "is outside 01/01/2000 to today"


def _two_digit_year(text: str) -> int:
    # Every escalation falls after 2000, so '18' can only be 2018.
    return int(text) + 2000 if len(text) == 2 else int(text)


def _build(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateProblem(NOT_REAL, original)


def _from_text(text: str) -> dt.date:
    if m := _DMY.fullmatch(text):
        return _build(_two_digit_year(m[3]), int(m[2]), int(m[1]), text)
    if m := _ISO.fullmatch(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _NAMED.fullmatch(text):
        month = MONTHS.get(m[2].lower())
        if month is None:
            raise DateProblem(UNREADABLE, text)
        return _build(_two_digit_year(m[3]), month, int(m[1]), text)
    if m := _SERIAL.fullmatch(text):
        return EXCEL_EPOCH + dt.timedelta(days=int(m[1]))
    raise DateProblem(UNREADABLE, text)


@lru_cache(maxsize=65536)
def parse_text(text: str, today: dt.date) -> dt.date | None:
    """Return the date a text cell holds (None when blank), or raise DateProblem."""
    text = text.strip()
    if not text:
        return None
    return _in_range(_from_text(text), text, today)


def _in_range(value: dt.date, original: str, today: dt.date) -> dt.date:
    if not EARLIEST <= value <= today:
        raise DateProblem(OUT_OF_RANGE, original)
    return value


def parse_cell(value: object, today: dt.date) -> dt.date | None:
    """Return the date in a CSV or Excel cell (text, date, datetime or serial number)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), f"{value:%d/%m/%Y}", today)
    if isinstance(value, dt.date):
        return _in_range(value, f"{value:%d/%m/%Y}", today)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or value <= 0 or value >= 2958466:
            raise DateProblem(UNREADABLE, value)
        day = EXCEL_EPOCH + dt.timedelta(days=int(value))
        return _in_range(day, str(value), today)
    return parse_text(str(value), today)


def parse_user_date(text: str) -> dt.date:
    """Return a date typed on the command line; raise DateProblem when it is not one."""
    return _from_text(text.strip())
