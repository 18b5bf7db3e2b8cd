"""A report as a plain value: title, columns, rows and notes that any renderer can draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Column kinds: text, count, percent (a number of percent, 36.9), rate, date.
TEXT, COUNT, PERCENT, RATE, DATE = "text", "count", "percent", "rate", "date"


@dataclass
class Column:
    name: str
    kind: str = TEXT


@dataclass
class Table:
    """One committee table; when `total` is set its last row is the total row."""

    title: str
    columns: list[Column]
    rows: list[list]
    total: bool = False
    notes: list[str] = field(default_factory=list)
    name: str = "Table"  # short name, e.g. for a workbook sheet

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]


def percent(part: int, whole: int, places: int = 1) -> float:
    """Return part as a percent of whole, rounded half up (10.45 -> 10.5), 0 when whole is 0."""
    if not whole:
        return 0.0
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def round_half_up(value: float, places: int = 1) -> float:
    """Return value rounded half up to `places` decimals, as a committee paper rounds."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places),
                                               rounding=ROUND_HALF_UP))
