"""Escalations per month by harmonised category: the committee's picture of the trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iro_stats.crosswalk import NOT_RECORDED, UNMAPPED
from iro_stats.periods import Period, month
from iro_stats.schema import SOURCE_NAMES
from iro_stats.table import COUNT, NOT_AVAILABLE, TEXT, Column, Table

if TYPE_CHECKING:
    from iro_stats.dataset import Dataset

TOTAL = "Total"


def months_to(last: Period, count: int = 12) -> list[Period]:
    """Return the `count` calendar months ending with the month `last`, oldest first."""
    year, mon = last.start.year, last.start.month
    out = []
    for _ in range(count):
        out.append(month(year, mon))
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
    return out[::-1]


@dataclass
class Coverage:
    """The dates the data covers: first escalation raised to the latest date in any row."""

    first: dt.date | None
    last: dt.date | None
    by_source: dict[str, tuple[dt.date, dt.date]]

    def of(self, period: Period) -> str:
        """Return 'full', 'partial' or 'none' for how much of period the data covers."""
        if self.first is None or self.last < period.start or self.first > period.end:
            return "none"
        if self.first <= period.start and self.last >= period.end:
            return "full"
        return "partial"

    def within(self, period: Period) -> tuple[dt.date, dt.date] | None:
        """Return the first and last day of period that the data covers, or None."""
        if self.of(period) == "none":
            return None
        return max(self.first, period.start), min(self.last, period.end)


def coverage(dataset: "Dataset") -> Coverage:
    """Return the dates the rows not rejected cover, overall and per source."""
    by_source = dataset.source_dates()
    if not by_source:
        return Coverage(None, None, {})
    return Coverage(min(f for f, _ in by_source.values()),
                    max(l for _, l in by_source.values()), by_source)


def month_label(period: Period, short: bool = False) -> str:
    return f"{period.start:%b %Y}" if short else f"{period.start:%B %Y}"


def trend(dataset: "Dataset", last: Period, count: int = 12,
          cover: Coverage | None = None) -> Table:
    """Return escalations per month (columns) by harmonised category (rows), with totals.

    A month the data does not reach at all is x (not available), not 0, so that "no data"
    never reads as "no escalations"; a month it reaches in part is named in a note.
    cover: the dataset's coverage, when the caller has it already.
    """
    months = months_to(last, count)
    whole = Period(months[0].start, months[-1].end)
    selection = dataset.select(whole)
    # Only the three columns read: a year of a large extract is tens of thousands of rows.
    esc = selection.columns(("source", "raised_on", "category"))
    crosswalk = dataset.crosswalk
    cover = coverage(dataset) if cover is None else cover
    states = [cover.of(m) for m in months]
    keys = [f"{m.start:%Y-%m}" for m in months]
    per = esc.assign(month=esc["raised_on"].dt.strftime("%Y-%m")) \
        .groupby(["category", "month"]).size()
    found = set(esc["category"].unique())
    used = [code for code in crosswalk.categories if code in found]
    shown = [c for c in crosswalk.categories
             if c not in (NOT_RECORDED, UNMAPPED)] + \
        [c for c in (NOT_RECORDED, UNMAPPED) if c in used]
    rows = []
    for code in shown:
        cells = [NOT_AVAILABLE if state == "none" else int(per.get((code, key), 0))
                 for key, state in zip(keys, states)]
        rows.append([crosswalk.name(code), *cells, sum(_counts(cells))])
    totals = [NOT_AVAILABLE if state == "none" else sum(r[i + 1] for r in rows)
              for i, state in enumerate(states)]
    rows.append([TOTAL, *totals, sum(_counts(totals))])
    columns = [Column("Category", TEXT)] + [Column(month_label(m, True), COUNT)
                                            for m in months] + [Column(TOTAL, COUNT)]
    notes = _notes(months, states, cover, esc)
    title = (f"IRO escalations per month by harmonised category, {month_label(months[0])} "
             f"to {month_label(months[-1])}")
    return Table(title, columns, rows, total=True, notes=notes, name="Trend")


def _counts(cells: list) -> list[int]:
    return [c for c in cells if c != NOT_AVAILABLE]


def _notes(months, states, cover: Coverage, esc) -> list[str]:
    notes = []
    none = _span(months, [s == "none" for s in states])
    if none:
        notes.append(f"No data for {none}: shown as x, not 0.")
    for m, state in zip(months, states):
        if state == "partial":
            first, last = cover.within(m)
            notes.append(f"{month_label(m)}: the data covers only {first:%-d} to "
                         f"{last:%-d %B %Y}.")
    sources = []
    for source, (first, last) in sorted(cover.by_source.items(), key=lambda kv: kv[1]):
        sources.append(f"{SOURCE_NAMES[source].name} {first:%-d %B %Y} to {last:%-d %B %Y}")
    if sources:
        notes.append("Sources: " + "; ".join(sources) + ".")
    both = esc.groupby(esc["raised_on"].dt.strftime("%Y-%m"))["source"].nunique()
    flags = [both.get(f"{m.start:%Y-%m}", 0) > 1 for m in months]
    if any(flags):
        notes.append(f"{_span(months, flags)}: escalations from both systems; an "
                     "escalation keyed into both is counted twice (see the reconciliation).")
    return notes


def _span(months: list[Period], flags: list[bool]) -> str:
    """Return the flagged months as runs: 'January 2018 to March 2018 and June 2018'."""
    runs, start = [], None
    for i, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            first, last = month_label(months[start]), month_label(months[i - 1])
            runs.append(first if start == i - 1 else f"{first} to {last}")
            start = None
    return ", ".join(runs[:-1]) + " and " + runs[-1] if len(runs) > 1 else "".join(runs)
