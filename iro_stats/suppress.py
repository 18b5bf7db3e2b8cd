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

Tables shown together (a command's, or the whole monthly pack) are protected together:
`Link`s say which figures two tables share or add up to across them, and the sums are
then taken together as well as one by one, so that no hidden count from 1 to N is
fixed by adding and taking away any of them (`iro_stats.sums`).

A table says how its counts hang together (see `iro_stats.table`); nothing here knows
which report made it, so a new table of the usual shapes (one-way with a total row,
two-way with a "Total" column and a total row) is protected without code of its own.
Sentences read the protected table: a hidden cell shows `c`, and `Table.is_hidden` says
so for a sentence that wants other words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

from iro_stats.sums import worked_out
from iro_stats.table import (COUNT, NOT_APPLICABLE, NOT_AVAILABLE, PERCENT, POINTS, RATE,
                             SUPPRESSED, SYMBOLS, Note, Ref, Shown, Table)

MARK = SUPPRESSED


def _is_count(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


Cell = tuple[int, int, int]  # (table, row, column) among the tables protected together


def note_figure(table: int, note: int, figure: int = 0) -> Cell:
    """Return where a figure of a note is, for a Link: the `figure`th figure of the
    table's `note`th note (a plain count; `Ref` and `Shown` figures are linked as the
    cell or total they show). Held as a cell of row -1 - note."""
    return (table, -1 - note, figure)


@dataclass(frozen=True)
class Link:
    """Figures of tables shown together that add up across them: the sum of `parts` is
    `total`, or the sum of `equals` (a sum in another table: reasons by label in one,
    by their category in another). One part and a total: the same figure in two
    tables. No parts: the total is 0 (a category a table leaves out, having none).
    Neither total nor equals: the parts add up to a figure known otherwise.

    A figure always shown (a total of the whole table) may be among them: it is known,
    never hidden. So is a figure worked out from known ones alone: it is never hidden to
    protect another, and when it is a small count, hidden, the table's footnote says it
    can still be worked out."""

    parts: tuple[Cell, ...]
    total: Cell | None = None
    equals: tuple[Cell, ...] = ()

    def shifted(self, by: int) -> "Link":
        """Return the link with each table's place moved on by `by`: the same link among
        tables protected after `by` others."""
        def move(cells):
            return tuple((t + by, i, j) for t, i, j in cells)
        return Link(move(self.parts), move([self.total])[0] if self.total else None,
                    move(self.equals))


@dataclass
class _Group:
    """Cells whose sums are equal: the sum of `parts` is the sum of `totals`, or (no
    totals) a figure always shown."""

    parts: list[Cell]
    totals: list[Cell]
    guessed: bool = False  # found by value alone: it may be a coincidence

    @property
    def cells(self) -> list[Cell]:
        return self.parts + self.totals


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
        mine = {(i, j): why for (k, i, j), why in hidden.items() if k == t and i >= 0}
        for cell, why in _derived(table, mine).items():
            mine.setdefault(cell, why)
        for i, j in mine:
            rows[t][i][j] = MARK
        use = threshold if table.disclosive else None
        notes = [_resolve(n, rows[t], use, {k for (u, at, k) in hidden
                                            if u == t and at == -1 - i})
                 for i, n in enumerate(table.notes)]
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


def _resolve(note, rows, threshold: int | None, hidden: set[int] = frozenset()):
    """Return a note with each figure as it may be shown; hidden: the places of figures
    hidden to protect others (see note_figure)."""
    if not isinstance(note, Note):
        return note
    figures = []
    for k, figure in enumerate(note.figures):
        if isinstance(figure, Ref):
            figure = rows[figure.row][figure.column]
        elif isinstance(figure, Shown):
            figure = figure.value
        elif k in hidden or threshold and _is_count(figure) and 1 <= figure <= threshold:
            figure = MARK
        figures.append(figure)
    return Note(note.text, tuple(figures), note.key)


# --- which counts are hidden ------------------------------------------------------------

def _hide_counts(tables: list[Table], rows, threshold: int,
                 links) -> tuple[dict[Cell, str], set[int]]:
    """Return {cell: "count" | "secondary"} and the tables where a hidden count stays
    exposed (one that can be worked out from figures always shown).

    Every sum the tables show, and every Link, is an equation. A figure is known when the
    equations fix it from the figures always shown alone: hiding it protects nothing.
    Until no equation has a single hidden count that is not known (or hidden counts that
    can only be 1s), the next smallest count in it that is not known is hidden too; and
    until no hidden count from 1 to threshold is fixed by the equations taken together,
    the smallest figure it is worked out from is hidden: a fixed point.
    """
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
        groups += [_Group([(t, *c) for c in g.parts], [(t, *c) for c in g.totals],
                          g.guessed)
                   for g in _groups(table, body_rows, body, total_row, counts, total_col)]
    groups += [_Group(list(link.parts), ([link.total] if link.total else [])
                      + list(link.equals)) for link in links]

    def value(cell: Cell):
        t, i, j = cell
        return tables[t].notes[-1 - i].figures[j] if i < 0 else rows[t][i][j]

    def hideable(cell: Cell) -> bool:
        return cell not in always and tables[cell[0]].disclosive and _is_count(value(cell))

    groups = [_Group([c for c in g.parts if hideable(c)],
                     [c for c in g.totals if hideable(c)], g.guessed) for g in groups]
    groups = [g for g in groups if g.cells]
    for cell in {c for g in groups for c in g.cells if c[1] < 0}:  # a note's figure
        if 1 <= value(cell) <= threshold:
            hidden[cell] = "count"
    # A coincidence hides more, one sum at a time, but is not added to the others: a
    # reader cannot know it holds, so nothing is known by it.
    sums = [(g.parts, g.totals) for g in groups if not g.guessed]
    every = {c for g in groups for c in g.cells}
    known = set(worked_out(sums, every))  # from figures always shown, whatever is hidden

    def unknown(group: _Group) -> list[Cell]:
        return [c for c in group.cells if c in hidden and c not in known]

    def small(cell: Cell) -> bool:
        return 1 <= value(cell) <= threshold

    def ones(group: _Group) -> bool:
        """Return whether the group's hidden counts that are not known are on one side,
        more than one, and add up to what is left of it only if all are 1 (a count
        hidden is never 0 unless nothing else was left)."""
        inside = unknown(group)
        return any(len(mine) == len(inside) > 1 and sum(value(c) for c in mine) == len(mine)
                   for mine in ([c for c in inside if c in side]
                                for side in (group.parts, group.totals)))

    def pick(group: _Group) -> Cell | None:
        """Return the next count to hide for this group, or None: the smallest shown
        that is not known, to protect a count the group gives away alone; else, when
        the group has one count hidden, the smallest known (it protects nothing, but no
        count is to be read off a single sum)."""
        alone = sum(c in hidden for c in group.cells) == 1
        gives = len(unknown(group)) == 1 or ones(group)
        if not (gives or alone):
            return None
        shown = [c for c in group.cells if c not in hidden]
        fresh = [c for c in shown if c not in known]
        if gives and fresh:
            return _next_smallest(value, fresh, hidden)
        if alone:
            return _next_smallest(value, [c for c in shown if c in known], hidden)
        return None

    while True:
        # Each sum alone, until none gives a count away (quick, and most of the work);
        changed = bool(hidden)
        while changed:
            changed = False
            for group in groups:
                if (cell := pick(group)) is not None:
                    hidden[cell] = "secondary"
                    changed = True
        # then the sums together: a count from 1 to threshold fixed by adding and taking
        # them away (the trend's row and the year to date's link to its months, say)
        # hides the smallest figure it is worked out from, one to each set of figures a
        # round; a count with nothing left to hide is exposed. A hidden count above the
        # threshold, or 0, may be worked out: it discloses nothing itself.
        loose = {cell: figures for cell, figures
                 in worked_out(sums, {c for c in hidden if c not in known}).items()
                 if small(cell)}
        used: set[Cell] = set()
        for cell, figures in sorted(loose.items()):
            if figures & used:
                continue
            fresh = [c for c in figures if c not in known]
            if (more := _next_smallest(value, fresh, hidden)) is not None:
                hidden[more] = "secondary"
                used |= figures
        if not used:
            break
    exposed = {c for c in hidden if c in known and small(c)} | set(loose)
    exposed |= {c for g in groups if ones(g) for c in unknown(g)}
    return hidden, {t for t, _, _ in exposed}


def _groups(table: Table, rows, body, total_row, counts, total_col) -> list[_Group]:
    """Return every sum the table shows, as groups of cells."""
    groups = []
    if total_row is not None:  # each count column adds up to its total row
        groups += [_Group([(i, j) for i in body], [(total_row, j)]) for j in counts]
    if total_col is not None:  # each row adds up to its Total column
        inner = [j for j in counts if j != total_col and table.columns[j].of is None]
        groups += [_Group([(i, j) for j in inner], [(i, total_col)])
                   for i in range(len(rows))]
    for target, parts in table.row_sums:
        groups += [_Group([(p, j) for p in parts], [(target, j)]) for j in counts]
    groups += _found_sums(rows, body, total_row, counts)
    return groups


def _found_sums(rows, body, total_row, counts) -> list[_Group]:
    """Return the sums the numbers show without the table declaring them: a count column
    adding up to another in every row (Escalations = Resolved + Open; guessed, when a
    column is all zeros), or, in a one-column table of measures, a row that is the sum of
    two others (guessed: two figures may happen to add up to a third). Found by value,
    so a coincidence only hides more."""
    groups = []
    every = body + ([total_row] if total_row is not None else [])
    numeric = [j for j in counts if all(_is_count(rows[i][j]) for i in every)]
    if 3 <= len(numeric) <= 10:
        for target in numeric:
            others = [j for j in numeric if j != target]
            for size in range(2, len(others) + 1):
                for parts in combinations(others, size):
                    if all(rows[i][target] == sum(rows[i][j] for j in parts) for i in every):
                        # With a column of zeros it may be a coincidence (Open = Escalations
                        # + Resolved where none was resolved).
                        guessed = any(not any(rows[i][j] for i in every)
                                      for j in (target, *parts))
                        groups += [_Group([(i, j) for j in parts], [(i, target)], guessed)
                                   for i in every]
    if len(counts) == 1 and total_row is None:
        j = counts[0]
        values = {i: rows[i][j] for i in body if _is_count(rows[i][j])}
        for target, total in values.items():
            for a, b in combinations([i for i in values if i != target], 2):
                if values[a] + values[b] == total:
                    groups.append(_Group([(a, j), (b, j)], [(target, j)], guessed=True))
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
        if column.kind not in (PERCENT, POINTS, RATE):
            continue
        if column.of in names:
            base = names.index(column.of)
        else:
            left = [j for j in range(k) if table.columns[j].kind == COUNT]
            if not left:
                continue
            base = left[-1]
        for i in range(len(table.rows)):
            whole = table.percent_of.get(i, total_row) if column.kind in (PERCENT, POINTS) else None
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
