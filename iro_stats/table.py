"""A report as a plain value: title, columns, rows and notes that any renderer can draw.

Besides its cells, a Table says how its counts hang together, so that disclosure control
(`iro_stats.suppress.protect`) can hide a small count everywhere it could be read or
worked out, without knowing which report made the table:

- `total`: the last row is the total row. Its cells are the table's totals: shown in
  full in a column that is the table's own population (a count column with no `of`);
  a count that is part of another column (`of`), or a row total beside a "Total"
  column, can be small and is protected like any count.
- a column named "Total" adds up the count columns before it in each row.
- `Column.of`: for a count column, the column it is a part of (Resolved of
  Escalations); for a percent or rate (a median too), the count column it is worked
  out from (default: the nearest count column on its left).
- `headline`: rows that are totals of the whole table in a table without a total row
  (a summary's Escalations and Children): always shown.
- `percent_of`: row -> the row whose count a percent in that row is of, where it is not
  the total row (a summary's "Open more than 20 days" is a percent of "Open").
- `row_sums`: (row, the rows that add up to it), in a one-column table of measures.

Text in notes and sentences that carries a count is a `Note`, whose figures the same
function hides; `Ref(row, column)` in a note shows whatever that cell shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Column kinds: text, count, percent (a number of percent, 36.9), rate, date.
TEXT, COUNT, PERCENT, RATE, DATE = "text", "count", "percent", "rate", "date"
# The difference of two percents: hidden as a percent is, shown without a % sign.
POINTS = "percentage points"

# The Department for Education's symbols for a figure not shown as a number.
SUPPRESSED = "c"  # a small count, or one that would give a small count away
NOT_APPLICABLE = "z"  # e.g. the median time to resolve where none was resolved
NOT_AVAILABLE = "x"  # e.g. a month the data does not reach
SYMBOLS = {SUPPRESSED: "suppressed to protect confidentiality",
           NOT_APPLICABLE: "not applicable", NOT_AVAILABLE: "not available"}
TOTAL_NAMES = ("total", "grand total", "all")
GRAND_TOTAL = "Grand Total"  # the label of a committee table's total row


@dataclass
class Column:
    name: str
    kind: str = TEXT
    of: str | None = None  # see the module's docstring

    @property
    def is_total(self) -> bool:
        return self.kind == COUNT and self.name.strip().lower() in TOTAL_NAMES


@dataclass(frozen=True)
class Ref:
    """A note's figure that is a table cell: the note shows what the cell shows."""

    row: int
    column: int


@dataclass(frozen=True)
class Shown:
    """A note's figure that is a total of the whole table: never hidden."""

    value: int


@dataclass(frozen=True)
class Note:
    """A sentence with figures: `text` with a {} for each of `figures`.

    A figure is a count (an int: hidden when it is small), a `Shown` total, a `Ref` to a
    cell, or text. `key` names the note for the JSON that reads its figures back.
    """

    text: str
    figures: tuple = ()
    key: str = ""

    def __str__(self) -> str:
        return self.text.format(*[_figure_text(f) for f in self.figures])


def _figure_text(figure) -> str:
    """Return a note's figure as a committee reads it: counts with thousands separators."""
    if isinstance(figure, Shown):
        figure = figure.value
    if isinstance(figure, float) and figure.is_integer():
        figure = int(figure)
    if isinstance(figure, int) and not isinstance(figure, bool):
        return f"{figure:,}"
    return str(figure)


@dataclass
class Table:
    """One committee table; when `total` is set its last row is the total row."""

    title: str
    columns: list[Column]
    rows: list[list]
    total: bool = False
    notes: list = field(default_factory=list)  # str or Note
    name: str = "Table"  # short name, e.g. for a workbook sheet
    headline: tuple[int, ...] = ()
    percent_of: dict[int, int] = field(default_factory=dict)
    row_sums: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    disclosive: bool = True  # False: not statistics (provenance, a crosswalk listing)
    # Set by protect(): (row, column) -> why hidden ("count", "secondary", "derived"),
    # and the threshold applied (0: none); None until the table is protected.
    hidden: dict[tuple[int, int], str] = field(default_factory=dict)
    threshold: int | None = None

    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> int:
        """Return the index of the column called name."""
        return [c.name for c in self.columns].index(name)

    def row(self, label) -> int:
        """Return the index of the row whose first cell is label."""
        return [r[0] for r in self.rows].index(label)

    def cell(self, label, name: str):
        """Return the cell as shown in the row `label` and column `name` ("c" if hidden)."""
        return self.rows[self.row(label)][self.column(name)]

    def is_hidden(self, label, name: str) -> bool:
        """Return whether the cell in row `label`, column `name` was suppressed."""
        return (self.row(label), self.column(name)) in self.hidden

    def note(self, key: str) -> Note | None:
        """Return the note with this key, or None."""
        return next((n for n in self.notes if isinstance(n, Note) and n.key == key), None)


def percent(part: int, whole: int, places: int = 1) -> float:
    """Return part as a percent of whole, rounded half up (10.45 -> 10.5), 0 when whole is 0."""
    if not whole:
        return 0.0
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def share(part: int, whole: int) -> float | str:
    """Return part as a percent of whole for a table (see percent), or z (not
    applicable) when whole is 0: a side with no escalations has no percentages."""
    return percent(part, whole) if whole else NOT_APPLICABLE


def round_half_up(value: float, places: int = 1) -> float:
    """Return value rounded half up to `places` decimals, as a committee paper rounds."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places),
                                               rounding=ROUND_HALF_UP))
