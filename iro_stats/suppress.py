"""Disclosure control: small counts shown as `c`, with secondary suppression.

This follows the convention of the Department for Education's children's social care
statistics: a count from 1 to N (N = 5 by their rule) is shown as `c`, and so are the
percent and rate worked out from it. Totals stay. So that no hidden count can be worked
out by subtracting the shown ones from a total, wherever exactly one count in a row or
column would be hidden, the next smallest count there is hidden too ("secondary
suppression"), repeated until no row or column has a lone hidden count.

Which cells must not be hidden alone (see `_groups`): the counts of each column and of
each row, as the rule says, and the counts of any sum the table shows (a column that is
the sum of others, like Escalations = Resolved + Open). Totals (the total row, a "Total"
column) are never hidden. A percent or rate column belongs to the nearest count column on
its left. The secondary cell is the smallest shown count other than zero in that row,
column or sum (a zero only when nothing else is left), the first in table order on a tie.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import combinations

from iro_stats.table import COUNT, PERCENT, RATE, Table

MARK = "c"
TOTAL_NAMES = ("total", "grand total", "all")
HEADLINE_LABELS = ("escalations", "children", "total", "grand total")


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
    body = list(range(len(rows) - 1)) if table.total and rows else list(range(len(rows)))
    counts = [j for j, k in enumerate(kinds) if k == COUNT]
    totals = [j for j in counts if table.columns[j].name.strip().lower() in TOTAL_NAMES]
    inner = [j for j in counts if j not in totals]
    # A summary's "Escalations" and "Children" rows are its totals: shown like a total row.
    headline = {i for i in body if not table.total and isinstance(rows[i][0], str)
                and rows[i][0].strip().lower() in HEADLINE_LABELS}
    result = Suppressed(table, table)
    hidden: set[tuple[int, int]] = set()
    for i in body:
        if i in headline:
            continue
        for j in inner:
            value = rows[i][j]
            if _is_count(value) and 1 <= value <= threshold:
                hidden.add((i, j))
                result.primary.append((i, j))
    if not hidden:
        return result

    changed = True
    groups = [[c for c in g if c[0] not in headline]
              for g in _groups(table, rows, body, counts, inner)]
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
    # `exposed` may have been set before a later pass gave the lone cell company.
    result.exposed = any(len([c for c in g if c in hidden]) == 1 for g in groups)

    shown = [list(r) for r in rows]
    linked: set[tuple[int, int]] = set()
    for i, j in hidden:
        shown[i][j] = MARK
        for k in range(j + 1, len(kinds)):
            if kinds[k] == COUNT:
                break
            if kinds[k] in (PERCENT, RATE) and _is_count(rows[i][k]):
                linked.add((i, k))
    for i, k in linked:
        shown[i][k] = MARK
    result.linked = sorted(linked)
    notes = list(table.notes) + [footnote(threshold, result.exposed)]
    result.table = replace(table, rows=shown, notes=notes)
    return result


def _groups(table, rows, body, counts, inner) -> list[list[tuple[int, int]]]:
    """Return the sets of cells of which one alone must never be hidden.

    The issue's rule: the counts of each column of a table with a total row, and of each
    row of a table with a "Total" column (totals left out, as they are always shown; a
    row of counts with no total, like legacy and Mosaic side by side, gives nothing
    away). Then any sum the table shows: a
    column of counts adding up to another column in every row (Escalations = Resolved +
    Open), and, in a one-column table, a row that is the sum of two others (Escalations =
    Children + Additional).
    """
    groups = [[(i, j) for i in body] for j in inner] if table.total else []
    if len(inner) > 1 and len(inner) < len(counts):  # rows with a "Total" column
        groups += [[(i, j) for j in inner] for i in body]
    every = body + ([len(rows) - 1] if table.total and rows else [])
    numeric = [j for j in counts if all(_is_count(rows[i][j]) for i in every)]
    if len(numeric) >= 3 and len(numeric) <= 10:
        for target in numeric:
            others = [j for j in numeric if j != target]
            for size in range(2, len(others) + 1):
                for parts in combinations(others, size):
                    if all(rows[i][target] == sum(rows[i][j] for j in parts) for i in every):
                        cells = [j for j in (target, *parts) if j in inner]
                        groups += [[(i, j) for j in cells] for i in body]
    if len(inner) == 1 and not table.total:
        j = inner[0]
        values = {i: rows[i][j] for i in body if _is_count(rows[i][j])}
        for target, total in values.items():
            for a, b in combinations([i for i in values if i != target], 2):
                if values[a] + values[b] == total:
                    groups.append([(target, j), (a, j), (b, j)])
    return groups


def _next_smallest(rows, group, hidden):
    candidates = [(i, j) for i, j in group if (i, j) not in hidden and _is_count(rows[i][j])]
    if not candidates:
        return None
    above_zero = [c for c in candidates if rows[c[0]][c[1]] != 0]
    pool = above_zero or candidates
    return min(pool, key=lambda c: (abs(rows[c[0]][c[1]]), c))


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
        original = result.original
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
    return _replace(record, [v for label in labels for v in hidden[label]])


def _replace(record: dict, values: list) -> dict:
    """Return the record with its numbers equal to a hidden value as "c", nested ones too
    (reconcile's {"legacy": {"count": 3, "percent": 3.1}})."""
    out = {}
    for k, v in record.items():
        if k in IDENTITY_KEYS:
            out[k] = v
        elif _is_count(v) and _matches(v, values):
            out[k] = MARK
        elif isinstance(v, dict):
            out[k] = _replace(v, values)
        else:
            out[k] = v
    return out


def _matches(value, values) -> bool:
    return any(_is_count(v) and abs(v - value) < 1e-9 for v in values)
