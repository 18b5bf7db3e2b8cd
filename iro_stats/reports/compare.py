"""The month and the financial year to date beside the periods a committee compares them
with: the month before, and the same months of the year before.

The pack shows the comparison as a table; the drafted committee report reads its words
("more", "fewer", "about the same") from that table as shown, by the rule in `change`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from iro_stats.periods import Period, month
from iro_stats.table import COUNT, NOT_AVAILABLE, TEXT, Column, Table

if TYPE_CHECKING:
    from iro_stats.dataset import Dataset
    from iro_stats.reports.trend import Coverage

# "More" or "fewer" only when the counts differ by more than this share of the earlier
# one: a committee should not read a change into 32 against 31.
ABOUT_THE_SAME = 0.10
RULE = ("'more' or 'fewer' when the two counts differ by more than a tenth of the earlier "
        "one, 'about the same' otherwise")
COMPARED = "Compared"  # the table's name (its workbook sheet)
# Rows of the table, in order.
MONTH, MONTH_BEFORE, YEAR, YEAR_BEFORE = range(4)


def month_before(period: Period) -> Period:
    """Return the calendar month before the month `period`."""
    year, number = period.start.year, period.start.month
    return month(year - 1, 12) if number == 1 else month(year, number - 1)


def year_before(period: Period) -> Period:
    """Return the same days a year earlier (29 February: the 28th)."""
    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    last = back(period.end)
    if period.end == month(period.end.year, period.end.month).end:
        last = month(last.year, last.month).end  # a month's end stays a month's end
    return Period(back(period.start), last)


def covered(cover: "Coverage", period: Period) -> bool:
    """Return whether the data covers the whole period. The data is taken to start on
    the first day of the month of its first escalation: a log's first entry is seldom
    on the 1st, and a month it starts in is that log's first month."""
    if cover.first is None:
        return False
    start = cover.first.replace(day=1)
    return start <= period.start and cover.last >= period.end


def change(now: int, before: int) -> str:
    """Return "more", "fewer" or "about the same" for now against before (see RULE)."""
    if abs(now - before) <= ABOUT_THE_SAME * before:
        return "about the same"
    return "more" if now > before else "fewer"


def comparison_table(dataset: "Dataset", this_month: Period, ytd: Period,
                     cover: "Coverage") -> Table:
    """Return escalations and children in the month, the month before, the financial
    year to date and the same months a year before. An earlier period is x (not
    available) unless the data wholly covers both it and the period it is compared with:
    a comparison with part of a period would mislead."""
    periods = [this_month, month_before(this_month), ytd, year_before(ytd)]
    rows = []
    for at, period in enumerate(periods):
        now = periods[at - 1] if at in (MONTH_BEFORE, YEAR_BEFORE) else None
        if now is None or (covered(cover, period) and covered(cover, now)):
            selection = dataset.select(period)
            rows.append([period.label(), selection.escalation_count, selection.children])
        else:
            rows.append([period.label(), NOT_AVAILABLE, NOT_AVAILABLE])
    notes = [f"{periods[MONTH].label()} is compared with the month before, and "
             f"{periods[YEAR].label()} with the same months a year before. The committee "
             f"report says {RULE}."]
    for at in (MONTH_BEFORE, YEAR_BEFORE):
        if rows[at][1] == NOT_AVAILABLE:
            notes.append(f"The data does not cover both {periods[at - 1].label()} and "
                         f"{periods[at].label()} in full: they are not compared.")
    # The month's and the year's figures are totals of whole tables elsewhere in the pack
    # (the reasons tables' Grand Totals): shown in full, as there.
    return Table("IRO escalations and children compared with earlier periods",
                 [Column("Period", TEXT), Column("Escalations", COUNT),
                  Column("Children", COUNT)], rows, notes=notes, name=COMPARED,
                 headline=(MONTH, YEAR))
