"""Disclosure control: small counts shown as `c`, with secondary suppression.

This follows the convention of the Department for Education's children's social care
statistics: a count from 1 to N (N = 5 by their rule) is shown as `c`, and so are the
percent and rate worked out from it. Totals stay. So that no hidden count can be worked
out by subtracting the shown ones from a total, wherever exactly one count in a row or
column would be hidden, the next smallest count there is hidden too ("secondary
suppression"), repeated until no row or column has a lone hidden count.

What counts as a row or a column that adds up to a total:
- a column: every count column of a table with a total row (the counts above the total
  row add up to it); a column of counts that go below zero (differences) is not added
  up, but a difference in a row with a hidden count is hidden too, since it would give
  the hidden count away;
- a row: the counts of a row of a table with a "Total" count column (whose cells, row
  totals, stay like the total row).
Percent and rate columns belong to the nearest count column on their left.
The secondary cell is the smallest shown count above zero in that row or column (a
zero only when nothing else is left), the first one in table order on a tie.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from iro_stats.table import COUNT, PERCENT, RATE, Table

MARK = "c"
TOTAL_NAMES = ("total", "grand total", "all")
DIFFERENCE_WORDS = ("difference", "change")


@dataclass
class Suppressed:
    """A table with its small counts hidden, and which cells were hidden and why."""

    table: Table
    original: Table
    primary: list[tuple[int, int]] = field(default_factory=list)  # (row, column)
    secondary: list[tuple[int, int]] = field(default_factory=list)
    linked: list[tuple[int, int]] = field(default_factory=list)  # percents, rates, differences
    exposed: bool = False  # a hidden count can still be worked out from a total

    @property
    def cells(self) -> list[tuple[int, int]]:
        return sorted(set(self.primary + self.secondary + self.linked))

    @property
    def changed(self) -> bool:
        return bool(self.primary or self.secondary)


def footnote(threshold: int, exposed: bool = False) -> str:
    """Return the note put under a table whose counts were suppressed."""
    text = (f"Counts from 1 to {threshold} are shown as c, with their percentages, so that "
            "no child can be identified; where a hidden count could be worked out from a "
            "total, the next smallest count is hidden too. Totals are shown in full.")
    if exposed:
        text += (" A hidden count here is the only count in its row or column, so its "
                 "total still gives it away; consider leaving this table out of a public "
                 "report.")
    return text


def _is_count(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def suppress_table(table: Table, threshold: int) -> Suppressed:
    """Return the table with counts 1..threshold shown as `c`, secondary cells included."""
    rows = [list(r) for r in table.rows]
    kinds = [c.kind for c in table.columns]
    body = range(len(rows) - 1) if table.total and rows else range(len(rows))
    counts = [j for j, k in enumerate(kinds) if k == COUNT]
    differences = [j for j in counts
                   if any(_is_count(r[j]) and r[j] < 0 for r in rows)
                   or any(w in table.columns[j].name.lower() for w in DIFFERENCE_WORDS)]
    additive = [j for j in counts if j not in differences]
    row_total = [j for j in additive
                 if table.columns[j].name.strip().lower() in TOTAL_NAMES]
    inner = [j for j in additive if j not in row_total]
    result = Suppressed(table, table)
    hidden: set[tuple[int, int]] = set()
    for i in body:
        for j in inner:
            value = rows[i][j]
            if _is_count(value) and 1 <= value <= threshold:
                hidden.add((i, j))
                result.primary.append((i, j))

    groups: list[list[tuple[int, int]]] = []
    if table.total:
        groups += [[(i, j) for i in body] for j in inner]
    if row_total:
        groups += [[(i, j) for j in inner] for i in body]
    changed = bool(hidden)
    while changed:
        changed = False
        for group in groups:
            lone = [cell for cell in group if cell in hidden]
            if len(lone) != 1:
                continue
            pick = _next_smallest(rows, group, hidden)
            if pick is None:
                result.exposed = True
                continue
            hidden.add(pick)
            result.secondary.append(pick)
            changed = True
    if not hidden:
        return result

    shown = [list(r) for r in rows]
    linked: set[tuple[int, int]] = set()
    for i, j in hidden:
        shown[i][j] = MARK
        for k in range(j + 1, len(kinds)):
            if kinds[k] == COUNT:
                break
            if kinds[k] in (PERCENT, RATE) and _is_count(rows[i][k]):
                linked.add((i, k))
    for i in {i for i, _ in hidden}:
        for j in differences:
            if _is_count(rows[i][j]):
                linked.add((i, j))
    for i, k in linked:
        shown[i][k] = MARK
        for m in range(k + 1, len(kinds)):  # a difference's own percent goes with it
            if kinds[m] == COUNT:
                break
            if kinds[m] in (PERCENT, RATE) and _is_count(rows[i][m]) and k in differences:
                shown[i][m] = MARK
    result.linked = sorted(linked)
    notes = list(table.notes) + [footnote(threshold, result.exposed)]
    result.table = replace(table, rows=shown, notes=notes)
    return result


def _next_smallest(rows, group, hidden):
    candidates = [(i, j) for i, j in group if (i, j) not in hidden and _is_count(rows[i][j])]
    if not candidates:
        return None
    above_zero = [c for c in candidates if rows[c[0]][c[1]] > 0]
    pool = above_zero or candidates
    return min(pool, key=lambda c: (rows[c[0]][c[1]], c))


def suppress_tables(tables: list[Table], threshold: int | None) -> list[Suppressed]:
    """Return each table suppressed (unchanged when threshold is None or 0)."""
    if not threshold:
        return [Suppressed(t, t) for t in tables]
    return [suppress_table(t, threshold) for t in tables]


# --- JSON -----------------------------------------------------------------------------

# Keys whose numbers say what a record is, never how many: they are never replaced.
IDENTITY_KEYS = {"stage", "order", "row", "year", "month", "day", "line", "window",
                 "threshold", "header_row", "overdue_days"}


def suppress_json(value, results: list[Suppressed], threshold: int | None):
    """Return the command's JSON with the tables' hidden cells replaced by "c".

    A JSON object in a list stands for a table row when one of its text values is that
    row's label (first cell); its numbers equal to a hidden cell of that row become "c".
    An object whose keys are row labels and whose values are numbers (a count per
    label) is treated the same way. A top-level "suppression" object says what was done.
    """
    if not threshold:
        return value
    hidden: dict[str, list] = {}
    cells = []
    for result in results:
        original, table = result.original, result.table
        for i, j in result.cells:
            label = original.rows[i][0]
            if not isinstance(label, str):
                label = str(label)
            hidden.setdefault(_key(label), []).append(original.rows[i][j])
            cells.append({"table": original.title, "row": label,
                          "column": original.columns[j].name,
                          "why": ("count" if (i, j) in result.primary else
                                  "secondary" if (i, j) in result.secondary else "derived")})
    out = _walk(value, hidden)
    if isinstance(out, dict):
        out = dict(out)
        out["suppression"] = {
            "threshold": threshold,
            "mark": MARK,
            "rule": (f"counts from 1 to {threshold} and their percents shown as 'c'; "
                     "secondary suppression so no hidden count follows from a total; "
                     "totals shown in full"),
            "cells": cells}
    return out


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _walk(value, hidden):
    if isinstance(value, list):
        return [_record(v, hidden) if isinstance(v, dict) else _walk(v, hidden)
                for v in value]
    if isinstance(value, dict):
        out = {}
        by_label = [k for k, v in value.items() if _key(k) in hidden and _is_count(v)]
        for k, v in value.items():
            if k in by_label and _matches(v, hidden[_key(k)]):
                out[k] = MARK
            else:
                out[k] = _walk(v, hidden)
        return out
    return value


def _record(record: dict, hidden) -> dict:
    labels = [_key(v) for v in record.values() if isinstance(v, str) and _key(v) in hidden]
    if not labels:
        return _walk(record, hidden)
    values = [v for label in labels for v in hidden[label]]
    out = {}
    for k, v in record.items():
        if k not in IDENTITY_KEYS and _is_count(v) and _matches(v, values):
            out[k] = MARK
        else:
            out[k] = _walk(v, hidden)
    return out


def _matches(value, values) -> bool:
    return any(_is_count(v) and abs(v - value) < 1e-9 for v in values)
