"""Escalations counted by one thing about them (team, IRO, outcome, highest stage, month
or financial quarter raised, reason, category), or by two at once: `report --by/--across`.

What each escalation counts under (the rules docs/report.md states):
- team and IRO: those on its first stage row (earliest start, then lowest stage), where
  it came from when it was raised; outcome: its last (highest) stage's;
- a blank team, IRO or outcome is "Not recorded"; labels that differ only in case or
  surrounding spaces are one, shown in the spelling most of the period's escalations
  have (on a tie, the one that sorts first);
- month and quarter: of the date raised; quarters are financial (Q1 2018-19 is April to
  June 2018). Every month or quarter of the period that the data reaches is shown, 0
  when nothing was raised in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iro_stats.crosswalk import UNMAPPED
from iro_stats.periods import Period, financial_year_start
from iro_stats.reports.crosswalk import unlisted_note
from iro_stats.reports.stages import FORMAL_STAGES, stage_name
from iro_stats.schema import SOURCE_NAMES, SOURCES
from iro_stats.table import (COUNT, GRAND_TOTAL, PERCENT, TEXT, TOTAL_NAMES, Column, Note,
                             Table, share)

if TYPE_CHECKING:
    import pandas as pd

    from iro_stats.dataset import Selection

NOT_RECORDED = "Not recorded"
TOTAL = "Total"  # the two-way table's column of row totals


@dataclass(frozen=True)
class Dimension:
    name: str     # the --by / --across value, and the JSON key of a row's label
    heading: str  # the label column's heading
    words: str    # in a title: "IRO escalations by <words>"
    reads: tuple[str, ...]  # the escalations' columns it reads


DIMENSIONS = {d.name: d for d in (
    Dimension("reason", "Reason", "reason", ("reason", "category")),
    Dimension("category", "Category", "harmonised category", ("category",)),
    Dimension("team", "Team", "team", ("team",)),
    Dimension("iro", "IRO", "IRO", ("iro",)),
    Dimension("outcome", "Outcome", "outcome", ("outcome",)),
    Dimension("stage", "Highest stage", "highest stage", ("stage",)),
    Dimension("month", "Month raised", "month raised", ("raised_on",)),
    Dimension("quarter", "Quarter raised", "financial quarter raised", ("raised_on",)),
    Dimension("source", "Source", "source", ("source",)),
)}
# Text under a table, saying which stage row a label was read from.
RULES = {"team": "Team: as recorded on each escalation's first stage (when it was raised).",
         "iro": "IRO: as recorded on each escalation's first stage (when it was raised).",
         "outcome": "Outcome: as recorded on each escalation's last stage; an escalation "
                    "still open usually has none (Not recorded).",
         "stage": "Highest stage: the highest stage each escalation reached."}


@dataclass
class Breakdown:
    """Escalations of a selection counted by `by` (rows) and, if given, `across` (columns)."""

    selection: "Selection"
    by: Dimension
    across: Dimension | None
    row_labels: list[str]
    column_labels: list[str]  # empty for a one-way breakdown
    counts: dict  # (row label, column label or None) -> escalations
    notes: list  # str or Note

    @property
    def escalations(self) -> int:
        return sum(self.counts.values())

    def heading(self) -> str:
        return f"Escalations: {self.escalations:,}; children: {self.selection.children:,}."

    def table(self) -> Table:
        period = self.selection.period.label()
        if self.across is None:
            columns = [Column(self.by.heading, TEXT), Column("Count", COUNT),
                       Column("Percent", PERCENT)]
            rows = [[label, n, share(n, self.escalations)]
                    for label in self.row_labels
                    for n in [self.counts.get((label, None), 0)]]
            rows.append([GRAND_TOTAL, self.escalations, share(self.escalations, self.escalations)])
            title = f"IRO escalations by {self.by.words}, {period}"
        else:
            columns = [Column(self.by.heading, TEXT)]
            columns += [Column(label, COUNT) for label in self.column_labels]
            columns.append(Column(TOTAL, COUNT))
            rows = []
            for label in self.row_labels + [GRAND_TOTAL]:
                cells = [self._count(label, c) for c in self.column_labels]
                rows.append([label, *cells, sum(cells)])
            title = f"IRO escalations by {self.by.words} and {self.across.words}, {period}"
        return Table(title, columns, rows, total=True, notes=list(self.notes),
                     name="Breakdown")

    def _count(self, row: str, column: str) -> int:
        if row == GRAND_TOTAL:
            return sum(n for (_, c), n in self.counts.items() if c == column)
        return self.counts.get((row, column), 0)

    def as_json(self, table: Table) -> dict:
        """Return the breakdown as JSON, each figure read from `table` as shown."""
        from iro_stats.suppress import json_value

        s = self.selection
        key = self.by.name
        body, total = table.rows[:-1], table.rows[-1]
        value = {"period": s.period.as_json(), "by": key}
        if self.across is None:
            value["totals"] = {"escalations": total[1], "children": s.children}
            value["breakdown"] = [{key: r[0], "count": r[1], "percent": json_value(r[2])}
                                  for r in body]
        else:
            labels = self.column_labels
            value["across"] = self.across.name
            value["totals"] = {"escalations": total[-1], "children": s.children}
            value["columns"] = list(labels)
            value["breakdown"] = [{key: r[0], **dict(zip(labels, r[1:-1])), "total": r[-1]}
                                  for r in body]
            value["grand_total"] = {**dict(zip(labels, total[1:-1])), "total": total[-1]}
        twice = table.note("possible_duplicates")
        if twice is not None:  # as the table shows it
            value["possible_duplicates"] = twice.figures[0]
        if not table.threshold:  # row accounting, as stderr prints it
            value.update(s.accounting_json())
        return value


def breakdown(selection: "Selection", by: str, across: str | None = None,
              show_unlisted: bool = False) -> Breakdown:
    """Return the selection's escalations counted by `by` and, if given, `across`
    (names in DIMENSIONS).

    A reason label not in the crosswalk is counted under the crosswalk's name for such
    labels, not shown, unless show_unlisted (for the analyst's own checking)."""
    from iro_stats.reports.reconcile import counted_twice_note

    dims = [DIMENSIONS[by]] + ([DIMENSIONS[across]] if across else [])
    names = [c for d in dims for c in d.reads] + ["category", "source"]
    frame = selection.columns(tuple(dict.fromkeys(names)))
    # The first and last day of the period the data reaches, for months and quarters.
    reach = _reach(selection) if {by, across} & {"month", "quarter"} else (None, None)
    labelled = [_labels(d, frame, selection, show_unlisted, reach) for d in dims]
    values = [_not_a_total(labels, d) for (labels, _), d in zip(labelled, dims)]
    if across:
        pairs = frame.groupby(values, sort=False).size() if len(frame) else {}
        counts = {(row, column): int(n) for (row, column), n in pairs.items()}
    else:
        counts = {(row, None): int(n) for row, n in values[0].value_counts().items()}
    orders = [order(counts, i) for i, (_, order) in enumerate(labelled)]
    notes = [RULES[d.name] for d in dims if d.name in RULES]
    notes += _unrecorded(dims, frame, values)
    notes += _partial_units(dims, reach)
    if {by, across} & {"reason", "category"} and (frame["category"] == UNMAPPED).any():
        notes.append(unlisted_note(selection.dataset.crosswalk,
                                   show_unlisted and "reason" in (by, across)))
    twice = counted_twice_note(selection)
    if twice is not None:
        notes.append(twice)
    return Breakdown(selection, dims[0], dims[1] if across else None, orders[0],
                     orders[1] if across else [], counts, notes)


# --- what each escalation counts under -------------------------------------------------
# Each returns (a label per escalation, a function of the counts and the label's place in
# their keys giving the labels in display order).

def _labels(dim: Dimension, frame: "pd.DataFrame", selection: "Selection",
            show_unlisted: bool, reach: tuple):
    if dim.name == "reason":  # a label not in the crosswalk is counted, not shown
        labels = frame["reason"]
        if not show_unlisted:
            unlisted = selection.dataset.crosswalk.name(UNMAPPED)
            labels = labels.where(frame["category"] != UNMAPPED, unlisted)
        return labels, _by_count(lambda label: (label.casefold(),))
    if dim.name == "category":
        crosswalk = selection.dataset.crosswalk
        order = list(crosswalk.categories)
        names = {code: crosswalk.name(code) for code in order}
        rank = {name: order.index(code) for code, name in names.items()}
        return frame["category"].map(names), _by_count(lambda label: (rank.get(label, 0),))
    if dim.name in ("team", "iro", "outcome"):
        return _grouped(frame[dim.name]), _by_count(lambda label: (label.casefold(),),
                                                    NOT_RECORDED)
    if dim.name == "stage":
        return _stages(frame["stage"], selection.dataset.stage_recorded)
    if dim.name == "source":
        names = [SOURCE_NAMES[s].heading for s in SOURCES]
        labels = frame["source"].map({s: SOURCE_NAMES[s].heading for s in SOURCES})
        return labels, _fixed([], names)
    return _calendar(dim.name, frame["raised_on"], reach)


def _not_a_total(labels: "pd.Series", dim: Dimension) -> "pd.Series":
    """Return the labels with any that reads as a total ('Total', 'All') qualified by
    the breakdown ('All (team)'): disclosure control takes a column so named for the
    table's row totals, and the table's last row is its Grand Total."""
    def qualified(label):
        return f"{label} ({dim.words})" if label.strip().lower() in TOTAL_NAMES else label
    return _each_distinct(labels, qualified) if len(labels) else labels


def _by_count(tie, last: str | None = None):
    """Return an order function: most escalations first, then by tie(label); the label
    `last` last."""
    def order(counts: dict, place: int) -> list[str]:
        totals: dict[str, int] = {}
        for key, n in counts.items():
            totals[key[place]] = totals.get(key[place], 0) + n
        return sorted(totals, key=lambda label: (label == last, -totals[label], *tie(label)))
    return order


def _fixed(always: list[str], order: list[str]):
    """Return an order function: `always` shown (0 when none), then the labels met, all in
    `order`'s order."""
    def ordered(counts: dict, place: int) -> list[str]:
        met = {key[place] for key in counts} | set(always)
        return [label for label in order if label in met]
    return ordered


def _grouped(values: "pd.Series") -> "pd.Series":
    """Return the labels with those that differ only in case or surrounding spaces made
    one, in the spelling most escalations have; blank is Not recorded. (The cleaning has
    taken surrounding spaces off every text.) Worked out on the distinct spellings."""
    import numpy as np
    import pandas as pd

    from iro_stats.spellings import most_common

    codes, texts = pd.factorize(values.fillna("").astype(str))
    texts = [text or NOT_RECORDED for text in texts]
    shown = most_common(texts, np.bincount(codes, minlength=len(texts)), str.casefold)
    spelled = np.array([NOT_RECORDED if text.casefold() == NOT_RECORDED.casefold()
                        else shown[text] for text in texts], dtype=object)
    return pd.Series(spelled[codes], index=values.index)


def _stages(stage: "pd.Series", recorded: bool):
    """Return each escalation's highest stage as named, and an order function: informal
    and stages 1 to 4 always (when the data records stages), then higher, Not recorded
    last."""
    numbers = stage.fillna(-1).astype(int)  # -1: not recorded
    names = _each_distinct(numbers, lambda n: NOT_RECORDED if n < 0 else stage_name(n))
    met = {int(n) for n in numbers.unique() if n >= 0}
    numbers = sorted(set(FORMAL_STAGES if recorded else ()) | met)
    order = [stage_name(n) for n in numbers] + [NOT_RECORDED]
    always = [stage_name(n) for n in FORMAL_STAGES] if recorded else []
    return names, _fixed(always, order)


def _calendar(unit: str, raised: "pd.Series", reach: tuple):
    """Return each escalation's month or financial quarter raised, and an order function
    giving every unit from reach's first day to its last, in date order."""
    units = _units(unit, *reach)
    label = _month_label if unit == "month" else _quarter_label
    import pandas as pd

    names = [label(u.start) for u in units]
    months = pd.Series(raised.to_numpy().astype("datetime64[M]"), index=raised.index)
    labels = _each_distinct(months, lambda month: label(pd.Timestamp(month).date()))
    return labels, _fixed(names, names + sorted(set(labels.unique()) - set(names)))


def _each_distinct(values: "pd.Series", name) -> "pd.Series":
    """Return name(value) for each value, worked out once per distinct value (a year of
    a large extract is tens of thousands of escalations, in a few months)."""
    distinct = values.drop_duplicates()
    return values.map(dict(zip(distinct, map(name, distinct))))


def _month_label(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _quarter_label(day: dt.date) -> str:
    """Return the financial quarter of day: 'Q1 2018-19' for April to June 2018."""
    start = financial_year_start(day)
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"Q{quarter} {start.year}-{(start.year + 1) % 100:02d}"


def _reach(selection: "Selection") -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day of the period that the data reaches (None, None when
    it reaches none of it)."""
    from iro_stats.reports.trend import coverage

    cover = coverage(selection.dataset)
    period = selection.period
    if cover.first is None:
        return None, None
    first = max(period.start or cover.first, cover.first)
    last = min(period.end or cover.last, cover.last)
    return (first, last) if first <= last else (None, None)


def _units(unit: str, first: dt.date | None, last: dt.date | None) -> list[Period]:
    """Return the months or financial quarters from the one holding first to the one
    holding last, each as its whole period."""
    if first is None:
        return []
    step = 1 if unit == "month" else 3
    # A financial quarter starts in January, April, July or October.
    year, month = first.year, first.month if unit == "month" else (first.month - 1) // 3 * 3 + 1
    units = []
    while dt.date(year, month, 1) <= last:
        after = (year + (month + step - 1) // 12, (month + step - 1) % 12 + 1)
        units.append(Period(dt.date(year, month, 1),
                            dt.date(*after, 1) - dt.timedelta(days=1)))
        year, month = after
    return units


def _unrecorded(dims: list[Dimension], frame: "pd.DataFrame", values: list) -> list[Note]:
    """Return a note for each source that records no team, IRO or outcome at all (the
    legacy log has no team or outcome): its escalations are all Not recorded."""
    notes = []
    for dim, labels in zip(dims, values):
        if dim.name not in ("team", "iro", "outcome"):
            continue
        for source in [s for s in SOURCES if (frame["source"] == s).any()]:
            mine = labels[frame["source"] == source]
            if (mine == NOT_RECORDED).all():
                notes.append(Note(f"The {SOURCE_NAMES[source].name} records no {dim.words}: "
                                  "its {} escalations are under Not recorded.", (len(mine),),
                                  key=f"{source} records no {dim.name}"))
    return notes


def _partial_units(dims: list[Dimension], reach: tuple) -> list[str]:
    """Return a note for each month or quarter shown of which the period or the data
    reaches only part (reach: its first and last day): its count is of those days alone."""
    first, last = reach
    notes = []
    for dim in dims:
        if dim.name not in ("month", "quarter") or first is None:
            continue
        for unit in _units(dim.name, first, last):
            start, end = max(unit.start, first), min(unit.end, last)
            if (start, end) != (unit.start, unit.end):
                label = (_month_label if dim.name == "month" else _quarter_label)(unit.start)
                notes.append(f"{label}: only {Period(start, end).label()} (the period or "
                             "the data reaches no more of it).")
    return notes
