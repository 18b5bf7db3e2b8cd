"""The figures the monthly pack's sections share: where two sections count the same
escalations, or add up to each other, so that one protection pass over the whole pack
(`iro_stats.suppress.protect_tables`) hides a count wherever it could be worked out.

Each section says how its own tables hang together (`Section.links`); this module says
how the sections hang together, reading each table by its sheet name:

- the month's reasons (labels or categories) and the trend's column for the month: each
  category's cell is the sum of the month's rows in that category (a category the month
  has none of is 0), and the column's total is the month's Grand Total;
- the financial year to date's reasons and the trend's months from April: the same,
  month by month added up;
- the reconciliation's two sides and the year to date's categories, folded like for
  like: legacy + Mosaic of each row is the year to date's count, as if the reader knew
  how many of each the cutover left out (it does not say; more is hidden, not less); the
  sides' totals and the cutover note's two counts add up to the year to date's total;
- each source's count in the notes under the By team and Outcomes tables ("its 103
  escalations are under Not recorded"): the same figure in both, the reconciliation's
  side plus what the cutover left out of it, and, with every source's count given, the
  year to date's total;
- the stages summary's escalations and the month's Grand Total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iro_stats.reports.trend import months_to
from iro_stats.schema import SOURCE_NAMES, SOURCES
from iro_stats.suppress import Link, note_figure

if TYPE_CHECKING:
    from iro_stats.dataset import Dataset, Selection
    from iro_stats.table import Table


def pack_links(tables: list["Table"], dataset: "Dataset", month_sel: "Selection",
               ytd_sel: "Selection") -> list[Link]:
    """Return the links between the sections of the pack whose tables, in order, are
    `tables`, made from the dataset's selections for the month and the year to date."""
    from iro_stats.reports.reasons import reasons

    at = {table.name: t for t, table in enumerate(tables)}
    crosswalk = dataset.crosswalk
    links = []
    # Each reasons table's rows, as its report orders them, with their categories.
    categories = {name: reasons(selection, tables[at[name]].columns[0].name.lower())
                  .categories()
                  for name, selection in (("Month", month_sel), ("Year to date", ytd_sel))}
    month = month_sel.period
    trend = tables[at["Trend"]]
    rows = {code: trend.row(crosswalk.name(code)) for code in crosswalk.categories
            if crosswalk.name(code) in [r[0] for r in trend.rows[:-1]]}
    for name, selection in (("Month", month_sel), ("Year to date", ytd_sel)):
        # The trend's columns are its twelve months, oldest first, after the category.
        columns = [1 + k for k, m in enumerate(months_to(month))
                   if m.start >= selection.period.start]
        links += _by_category(at["Trend"], rows, columns, len(trend.rows) - 1,
                              at[name], categories[name])
    if "Reconciliation" in at:
        links += _reconciliation(tables, at, crosswalk, categories["Year to date"])
    links += _sources(tables, at, ytd_sel)
    summary = tables[at["Stages summary"]]
    links.append(Link(((at["Stages summary"], summary.row("Escalations"), 1),),
                      (at["Month"], len(tables[at["Month"]].rows) - 1, 1)))
    return links


def _by_category(trend: int, rows: dict[str, int], columns: list[int], total: int,
                 table: int, categories: list[str]) -> list[Link]:
    """Return the links saying each category's cells of the trend's columns add up to
    the rows of the reasons table `table` in that category, and the columns' totals to
    its Grand Total."""
    links = []
    for code, row in rows.items():
        mine = tuple((table, i, 1) for i, c in enumerate(categories) if c == code)
        cells = tuple((trend, row, j) for j in columns)
        links += [Link(cells, equals=mine)] if mine else [Link((), c) for c in cells]
    links.append(Link(tuple((trend, total, j) for j in columns),
                      (table, len(categories), 1)))
    return links


def _reconciliation(tables, at, crosswalk, categories: list[str]) -> list[Link]:
    """Return the links between the reconciliation and the year to date's reasons."""
    rec, ytd = at["Reconciliation"], at["Year to date"]
    table = tables[rec]
    counts = [table.column(f"{SOURCE_NAMES[s].heading} Count") for s in SOURCES]
    code_of = {crosswalk.name(code): code for code in crosswalk.categories}
    links = []
    for i, row in enumerate(table.rows[:-1]):
        folded = code_of[row[0]]
        mine = tuple((ytd, k, 1) for k, c in enumerate(categories)
                     if crosswalk.fold(c, like_for_like=True) == folded)
        sides = tuple((rec, i, j) for j in counts)
        links += [Link(sides, equals=mine)] if mine else [Link((), c) for c in sides]
    cutover = _note(table, "cutover")
    left_out = tuple(note_figure(rec, cutover, k) for k in range(2)) \
        if cutover is not None else ()
    total = len(table.rows) - 1
    links.append(Link(tuple((rec, total, j) for j in counts) + left_out,
                      (ytd, len(categories), 1)))
    return links


def _sources(tables, at, ytd_sel: "Selection") -> list[Link]:
    """Return the links of each source's count in the notes under By team and Outcomes
    ("its 103 escalations are under Not recorded"): the same escalations in both, the
    reconciliation's side and what the cutover left out of it, with every source's count
    the year to date's total, and the table's Not recorded count when it holds no other
    escalations."""
    from iro_stats.reports.breakdowns import NOT_RECORDED

    rec = at.get("Reconciliation")
    cutover = _note(tables[rec], "cutover") if rec is not None else None
    shown = {}
    links = []
    for k, source in enumerate(SOURCES):
        figures = []
        for name, what in (("By team", "team"), ("Outcomes", "outcome")):
            table = tables[at[name]] if name in at else None
            n = _note(table, f"{source} records no {what}") if table else None
            if n is None:
                continue
            figures.append(note_figure(at[name], n))
            # By team's Not recorded column, or the Outcomes' Not recorded row.
            i, j = ((len(table.rows) - 1, table.column(NOT_RECORDED)) if what == "team"
                    else (table.row(NOT_RECORDED), table.column("Count")))
            if table.rows[i][j] == table.notes[n].figures[0]:
                links.append(Link((figures[-1],), (at[name], i, j)))
        if not figures:
            continue
        shown[source] = figures[0]
        links += [Link((figure,), figures[0]) for figure in figures[1:]]
        if cutover is not None:
            table = tables[rec]
            side = (rec, len(table.rows) - 1,
                    table.column(f"{SOURCE_NAMES[source].heading} Count"))
            links.append(Link((side, note_figure(rec, cutover, k)), figures[0]))
    present = set(ytd_sel.columns(("source",))["source"])
    if shown and present <= set(shown):
        links.append(Link(tuple(shown.values()),
                          (at["Year to date"], len(tables[at["Year to date"]].rows) - 1, 1)))
    return links


def _note(table: "Table", key: str) -> int | None:
    """Return the place among the table's notes of the note with this key, or None."""
    return next((n for n, note in enumerate(table.notes)
                 if getattr(note, "key", "") == key), None)
