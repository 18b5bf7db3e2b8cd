"""Disclosure control: the one function that decides what a committee may see of a table.

`protect(table, threshold)` follows the convention of the Department for Education's
children's social care statistics. A count of escalations or children from 1 to N is
shown as `c`, wherever it is: a cell, a row or column total, a figure in a note. So that
no hidden count can be worked out from the counts that are shown, every sum the table
shows (a column and its total row, a row and its "Total" column, a column that is the
sum of others, a measure that is the sum of others) must hide none of its cells, or at
least two whose values are not all 1; until it does, the next smallest count in it is
hidden too ("secondary suppression"). Totals of the whole table stay shown. Percents,
rates and medians worked out from a hidden count, or a percent of a hidden count, are
hidden with it. Zeros are shown.

A table says how its counts hang together (see `iro_stats.table`); nothing here knows
which report made it, so a new table of the usual shapes (one-way with a total row,
two-way with a "Total" column and a total row) is protected without code of its own.
Sentences read the protected table: a hidden cell shows `c`, and `Table.is_hidden` says
so for a sentence that wants other words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

from iro_stats.table import (COUNT, NOT_APPLICABLE, NOT_AVAILABLE, PERCENT, RATE,
                             SUPPRESSED, SYMBOLS, Note, Ref, Shown, Table)

MARK = SUPPRESSED


def _is_count(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


Cell = tuple[int, int, int]  # (table, row, column) among the tables protected together


@dataclass(frozen=True)
class Link:
    """Cells of tables shown together that add up across them: `total` is the sum of
    `parts` (one part: the same figure in two tables). A cell that is always shown (a
    total of the whole table) may be the total; it is then known, never hidden."""

    parts: tuple[Cell, ...]
    total: Cell | None = None


@dataclass
class _Group:
    """Cells that add up to a total: `total` is None when the total is always shown."""

    parts: list[Cell]
    total: Cell | None

    @property
    def cells(self) -> list[Cell]:
        return self.parts + ([self.total] if self.total else [])


def protect(table: Table, threshold: int | None) -> Table:
    """Return the table as a committee may see it (see the module's docstring)."""
    return protect_tables([table], threshold)[0]


def protect_tables(tables: list[Table], threshold: int | None,
                   links: list[Link] = ()) -> list[Table]:
    """Return the tables as a committee may see them, protected together: a count hidden
    in one is hidden wherever `links` say the same figure, or a sum with it, is shown.

    threshold None or 0 hides nothing. Notes' figures are resolved either way, and a
    footnote names each symbol (c, z, x) a table uses. Protecting twice changes nothing.
    """
    if all(t.threshold is not None for t in tables):  # protected already
        return list(tables)
    rows = [[list(r) for r in t.rows] for t in tables]
    hidden: dict[Cell, str] = {}
    exposed: set[int] = set()
    if threshold:
        hidden, exposed = _hide_counts(tables, rows, threshold, links)
    out = []
    for t, table in enumerate(tables):
        mine = {(i, j): why for (k, i, j), why in hidden.items() if k == t}
        for cell, why in _derived(table, mine).items():
            mine.setdefault(cell, why)
        for i, j in mine:
            rows[t][i][j] = MARK
        use = threshold if table.disclosive else None
        notes = [_resolve(n, rows[t], use) for n in table.notes]
        used = _symbols(table, rows[t], notes)
        if used:
            notes.append(Note(footnote(threshold, used, t in exposed), key="symbols"))
        out.append(replace(table, rows=rows[t], notes=notes, hidden=mine,
                           threshold=use or 0))
    return out


def counted(table: Table) -> int:
    """Return how many counts protect() hid (not the percents and rates hidden with them)."""
    return sum(1 for why in table.hidden.values() if why != "derived")


def footnote(threshold: int | None, used: list[str], exposed: bool = False) -> str:
    """Return the note under a table naming the symbols it uses and, if counts were
    hidden, the rule."""
    parts = []
    if SUPPRESSED in used:
        parts.append(f"c: suppressed, a count from 1 to {threshold} or one that would let "
                     "such a count be worked out, with the percentages, rates and medians "
                     "worked out from it; totals of the whole table are shown in full")
    if NOT_APPLICABLE in used:
        parts.append("z: not applicable")
    if NOT_AVAILABLE in used:
        parts.append("x: not available")
    text = "Symbols: " + "; ".join(parts) + "."
    if exposed:
        text += (" A hidden count here can still be worked out from the totals shown; "
                 "consider leaving this table out of a public report.")
    return text


def _symbols(table: Table, rows, notes) -> list[str]:
    """Return the symbols the table's figures use, in the order c, z, x."""
    found = {v for row in rows for v, c in zip(row, table.columns)
             if c.kind != "text" and isinstance(v, str)}
    found |= {f for n in notes if isinstance(n, Note) for f in n.figures
              if isinstance(f, str)}
    return [s for s in SYMBOLS if s in found]


def protect_text(line, threshold: int | None) -> str:
    """Return a sentence as a committee may see it: a Note's counts from 1 to threshold as
    c. A sentence about a table's figures reads them from the protected table instead
    (`Table.cell`, `Table.is_hidden`), so that it shows what the table shows."""
    return str(_resolve(line, [], threshold))


def _resolve(note, rows, threshold: int | None):
    """Return a note with each figure as it may be shown."""
    if not isinstance(note, Note):
        return note
    figures = []
    for figure in note.figures:
        if isinstance(figure, Ref):
            figure = rows[figure.row][figure.column]
        elif isinstance(figure, Shown):
            figure = figure.value
        elif threshold and _is_count(figure) and 1 <= figure <= threshold:
            figure = MARK
        figures.append(figure)
    return Note(note.text, tuple(figures), note.key)


# --- which counts are hidden ------------------------------------------------------------

def _hide_counts(tables: list[Table], rows, threshold: int,
                 links) -> tuple[dict[Cell, str], set[int]]:
    """Return {cell: "count" | "secondary"} and the tables where a hidden count stays
    exposed (the only hidden cell of a sum whose other cells are always shown)."""
    always = set()
    hidden: dict[Cell, str] = {}
    groups: list[_Group] = []
    for t, table in enumerate(tables):
        if not table.disclosive:
            continue
        body_rows = rows[t]
        total_row = len(body_rows) - 1 if table.total and body_rows else None
        counts = [j for j, c in enumerate(table.columns) if c.kind == COUNT]
        total_col = next((j for j in counts if table.columns[j].is_total), None)
        for i in range(len(body_rows)):
            for j in counts:
                if i in table.headline or (i == total_row and (
                        j == total_col if total_col is not None
                        else table.columns[j].of is None)):
                    always.add((t, i, j))  # a total of the whole table
                elif _is_count(body_rows[i][j]) and 1 <= body_rows[i][j] <= threshold:
                    hidden[(t, i, j)] = "count"
        body = [i for i in range(len(body_rows)) if i != total_row]
        for g in _groups(table, body_rows, body, total_row, counts, total_col):
            groups.append(_Group([(t, *c) for c in g.parts],
                                 (t, *g.total) if g.total else None))
    groups += [_Group(list(link.parts), link.total) for link in links]

    def value(cell: Cell):
        t, i, j = cell
        return rows[t][i][j]

    def hideable(cell: Cell) -> bool:
        return cell not in always and tables[cell[0]].disclosive and _is_count(value(cell))

    groups = [_Group([c for c in g.parts if hideable(c)],
                     g.total if g.total and hideable(g.total) else None) for g in groups]
    groups = [g for g in groups if g.cells]

    def open_(group: _Group) -> bool:
        inside = [c for c in group.cells if c in hidden]
        if len(inside) == 1:
            return True
        # Hidden parts of a shown total add up to what is left of it: all 1s give
        # themselves away (a count hidden is never 0 unless nothing else was left).
        parts = [c for c in group.parts if c in hidden]
        return (group.total not in hidden and len(parts) > 1
                and sum(value(c) for c in parts) == len(parts))

    changed = bool(hidden)
    while changed:
        changed = False
        for group in groups:
            if not open_(group):
                continue
            pick = _next_smallest(value, group.cells, hidden)
            if pick is not None:
                hidden[pick] = "secondary"
                changed = True
    return hidden, {g.cells[0][0] for g in groups if open_(g)}


def _groups(table: Table, rows, body, total_row, counts, total_col) -> list[_Group]:
    """Return every sum the table shows, as groups of cells."""
    groups = []
    if total_row is not None:  # each count column adds up to its total row
        groups += [_Group([(i, j) for i in body], (total_row, j)) for j in counts]
    if total_col is not None:  # each row adds up to its Total column
        inner = [j for j in counts if j != total_col and table.columns[j].of is None]
        groups += [_Group([(i, j) for j in inner], (i, total_col))
                   for i in range(len(rows))]
    for target, parts in table.row_sums:
        groups += [_Group([(p, j) for p in parts], (target, j)) for j in counts]
    groups += _found_sums(rows, body, total_row, counts)
    return groups


def _found_sums(rows, body, total_row, counts) -> list[_Group]:
    """Return the sums the numbers show without the table declaring them: a count column
    adding up to another in every row (Escalations = Resolved + Open), or, in a
    one-column table of measures, a row that is the sum of two others. Found by value, so
    a coincidence only hides more."""
    groups = []
    every = body + ([total_row] if total_row is not None else [])
    numeric = [j for j in counts if all(_is_count(rows[i][j]) for i in every)]
    if 3 <= len(numeric) <= 10:
        for target in numeric:
            others = [j for j in numeric if j != target]
            for size in range(2, len(others) + 1):
                for parts in combinations(others, size):
                    if all(rows[i][target] == sum(rows[i][j] for j in parts) for i in every):
                        groups += [_Group([(i, j) for j in parts], (i, target)) for i in every]
    if len(counts) == 1 and total_row is None:
        j = counts[0]
        values = {i: rows[i][j] for i in body if _is_count(rows[i][j])}
        for target, total in values.items():
            for a, b in combinations([i for i in values if i != target], 2):
                if values[a] + values[b] == total:
                    groups.append(_Group([(a, j), (b, j)], (target, j)))
    return groups


def _next_smallest(value, cells, hidden):
    """Return the smallest shown count of cells, above zero if any, first on a tie."""
    candidates = [c for c in cells if c not in hidden]
    if not candidates:
        return None
    above_zero = [c for c in candidates if value(c) != 0]
    return min(above_zero or candidates, key=lambda c: (abs(value(c)), c))


def _derived(table: Table, hidden: dict) -> dict:
    """Return the percents, rates and medians worked out from a hidden count, and the
    percents of a hidden count."""
    total_row = len(table.rows) - 1 if table.total and table.rows else None
    derived = {}
    names = [c.name for c in table.columns]
    for k, column in enumerate(table.columns):
        if column.kind not in (PERCENT, RATE):
            continue
        if column.of in names:
            base = names.index(column.of)
        else:
            left = [j for j in range(k) if table.columns[j].kind == COUNT]
            if not left:
                continue
            base = left[-1]
        for i in range(len(table.rows)):
            whole = table.percent_of.get(i, total_row) if column.kind == PERCENT else None
            if (i, base) in hidden or (whole is not None and (whole, base) in hidden):
                if _is_count(table.rows[i][k]):
                    derived[(i, k)] = "derived"
    return derived


# --- JSON -------------------------------------------------------------------------------

def json_value(value):
    """Return a cell as JSON gives it: a hidden count as "c", not applicable and not
    available as null."""
    return None if isinstance(value, str) and value in (NOT_APPLICABLE, NOT_AVAILABLE) \
        else value


def suppression_json(tables: list[Table]) -> dict | None:
    """Return what the JSON says about suppression: the threshold, the mark and every
    hidden cell; None when the tables were protected with no threshold."""
    threshold = max((t.threshold or 0 for t in tables), default=0)
    if not threshold:
        return None
    cells = [{"table": t.title, "row": str(t.rows[i][0]), "column": t.columns[j].name,
              "why": why}
             for t in tables for (i, j), why in sorted(t.hidden.items())]
    return {"threshold": threshold, "mark": MARK,
            "rule": (f"counts from 1 to {threshold}, and counts that would let one be worked "
                     "out, shown as 'c' with the percentages, rates and medians worked out "
                     "from them; totals of the whole table shown in full"),
            "cells": cells}
