"""Stage rows -> escalations: duplicates set aside, escalations whose rows name
different children rejected, each escalation's first and highest-stage rows found.

Rows of one source that share an escalation ID are one escalation; a row with no ID is
an escalation of its own. One sort does it all: the valid rows ordered by (escalation,
date raised, stage, order read) put each escalation's rows together, its first row
first, and exact repeats next to each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from iro_stats.columns import bits, combine, encode, pack, renumber, strip, take
from iro_stats.rows import Rows
from iro_stats.rules import CHILDREN_DIFFER, DUPLICATE, Problems, Status


@dataclass
class Escalations:
    """The escalations the valid rows make, in no particular order: each one's first
    row (earliest date raised, then lowest stage, then first read), its highest-stage
    row (highest stage, then latest date raised, then last read) and how many valid
    rows it has."""

    first_row: np.ndarray
    last_row: np.ndarray
    stage_rows: np.ndarray
    # For of_row: the rows grouped (in the order sorted), where each group begins, and
    # the escalation each group is (-1 for a group left with no valid row).
    _sorted: np.ndarray = field(repr=False)
    _begins: np.ndarray = field(repr=False)
    _group: np.ndarray = field(repr=False)
    _dropped: np.ndarray = field(repr=False)
    _of_row: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.first_row)

    def of_row(self, n: int) -> np.ndarray:
        """Return each of n rows' escalation (its position here), -1 for rows not valid."""
        if self._of_row is None:
            sizes = np.diff(np.r_[self._begins, len(self._sorted)])
            escalation = np.repeat(self._group, sizes)
            escalation[self._dropped] = -1
            self._of_row = np.full(n, -1, dtype=np.int64)
            self._of_row[self._sorted] = escalation
        return self._of_row


def group(rows: Rows, problems: Problems) -> Escalations:
    """Return the escalations of the valid rows, marking duplicates and the rows of
    escalations that name different children in problems."""
    rejected = problems.status != Status.VALID
    # Each row's date raised as days since the earliest, and stage + 1 (a blank stage,
    # -1, sorts first), looked up per distinct cell and then per row: done first, while
    # the IDs may still be being keyed on the other core.
    days = _days(rows.raised_on.value)
    stages = rows.stage.value.astype(np.int8) + 1
    raised = days[rows.raised_on.cells.codes]
    stage = stages[rows.stage.cells.codes]
    # A row's escalation: its source and ID. A row with no ID goes with the rows of
    # its child (the rows it could repeat) for the sort, and stands alone after it.
    # Rejected rows are sorted too, after every other, and cut off: cheaper than
    # leaving them out of four million-row arrays.
    ids, key_bound = rows.escalation
    if len(rows.source_names) > 1:
        key = np.where(ids < 0, -1, combine([rows.source_codes(np.arange(len(rows))),
                                             np.maximum(ids, 0)]))
        key_bound = int(key.max()) + 1
    else:
        key = ids.copy()
    lone = np.flatnonzero((key < 0) & ~rejected)
    lone_key = key_bound
    if len(lone):
        key[lone] = lone_key + combine([rows.source_codes(lone), rows.child[0][lone]])
        key_bound = int(key.max()) + 1
    key[rejected] = key_bound
    widths = [bits(np.array([key_bound, 0])), bits(days), bits(stages),
              bits(np.array([len(rows) - 1, 0]))]
    order = _sort(key, raised, stage, np.arange(len(rows)), widths)
    order = order.head(int(np.searchsorted(order.key, key_bound)))
    dropped = _mark_duplicates(rows, problems, order)
    dropped |= _mark_children_differ(rows, problems, order, lone_key, dropped)
    if not len(order.rows):
        empty = np.zeros(0, dtype=np.int64)
        return Escalations(empty, empty, empty, empty, empty, empty, dropped)
    # A new escalation where the key changes, and at every row with no ID. Rows marked
    # above stay in place: a duplicate never begins a group (what it repeats sorts
    # before it), and a group whose rows name different children has none left.
    key = order.key
    change = np.r_[True, key[1:] != key[:-1]]
    begins = np.flatnonzero(change | (key >= lone_key) if len(lone) else change)
    counts = np.add.reduceat(~dropped, begins, dtype=np.int64) if dropped.any() \
        else np.diff(np.r_[begins, len(key)])
    alive = counts > 0
    # Each escalation's highest-stage row: its greatest (stage, date raised, order read).
    place = np.arange(len(key))
    highest = pack([order.stage, order.raised, place], [widths[2], widths[1], bits(place)])
    highest[dropped] = -1
    last = np.maximum.reduceat(highest, begins[alive]) & ((1 << bits(place)) - 1)
    group = np.full(len(begins), -1, dtype=np.int64)
    group[alive] = np.arange(int(alive.sum()))
    return Escalations(order.rows[begins[alive]], order.rows[last], counts[alive],
                       order.rows, begins, group, dropped)


def _days(days: np.ndarray) -> np.ndarray:
    """Return datetime64 days as days since the earliest (0 where not a date)."""
    known = ~np.isnat(days)
    numbers = days.astype(np.int64)
    first = numbers[known].min() if known.any() else 0
    return np.where(known, numbers - first, 0).astype(np.int32)


@dataclass
class _Order:
    """The valid rows in order of (key, date raised, stage, order read), with their
    keys, dates raised and stages in that order, and for each whether the next has the
    same key, date raised and stage."""

    rows: np.ndarray
    key: np.ndarray
    raised: np.ndarray
    stage: np.ndarray
    same: np.ndarray

    def head(self, n: int) -> "_Order":
        """Return the first n rows of the order (views, not copies)."""
        return _Order(self.rows[:n], self.key[:n], self.raised[:n], self.stage[:n],
                      self.same[:n])  # the row after the n-th has another key


def _sort(key: np.ndarray, raised: np.ndarray, stage: np.ndarray, place: np.ndarray,
          widths: list[int]) -> _Order:
    """Return the rows in order of (key, date raised, stage, order read), given the
    bits each of the four needs.

    The four are packed into one integer, so one quick sort of a million numbers does
    what a stable sort on four columns would, and each is read back from the sorted
    numbers rather than looked up row by row."""
    parts = [key, raised, stage, place]
    packed = pack(parts, widths)
    if packed is None:  # too many distinct values to pack into 63 bits
        at = np.lexsort(parts[::-1])
        prefix = np.stack([p[at] for p in parts[:3]])
        same = np.r_[(prefix[:, 1:] == prefix[:, :-1]).all(axis=0), False]
        return _Order(place[at], key[at], raised[at], stage[at], same)
    packed.sort()
    at = packed & ((1 << widths[3]) - 1)
    packed >>= widths[3]
    same = np.r_[packed[1:] == packed[:-1], False]
    stage = packed & ((1 << widths[2]) - 1)
    packed >>= widths[2]
    raised = packed & ((1 << widths[1]) - 1)
    packed >>= widths[1]
    return _Order(at, packed, raised, stage, same)


def _mark_duplicates(rows: Rows, problems: Problems, order: _Order) -> np.ndarray:
    """Mark each valid row that repeats an earlier valid row in every field, naming it;
    return, in the order given, which rows were marked.

    Repeats share an escalation, a date raised and a stage, so they sit side by side in
    the order given; only those rows are compared on every other field."""
    same = order.same
    near = np.flatnonzero(same | np.r_[False, same[:-1]])
    dropped = np.zeros(len(order.rows), dtype=bool)
    if not len(near):
        return dropped
    maybe = order.rows[near]
    fields = [order.key[near], order.raised[near], order.stage[near]]
    fields += [renumber(f.value.astype(np.int64))[f.cells.codes[maybe]]
               for f in (rows.resolved_on,)]
    fields.append(renumber(rows.reason.shown)[rows.reason.codes[maybe]])
    fields.append(rows.child[0][maybe])
    fields += [encode(strip(take(rows.texts[name], maybe))).codes
               for name in ("escalation_id", "outcome", "team", "iro")]
    _, group_of = np.unique(combine([f.astype(np.int64) for f in fields]),
                            return_inverse=True)
    group_of = group_of.reshape(-1)
    # The original is the first read of each group of equal rows (in the order given,
    # each group's rows are in the order read).
    first = np.full(group_of.max() + 1, len(maybe), dtype=np.int64)
    np.minimum.at(first, group_of, np.arange(len(maybe)))
    repeat = np.flatnonzero(first[group_of] != np.arange(len(maybe)))
    if not len(repeat):
        return dropped
    dropped[near[repeat]] = True
    originals = maybe[first[group_of[repeat]]]
    repeats = maybe[repeat]
    by_row = np.argsort(repeats)
    repeats, originals = repeats[by_row], originals[by_row]
    files = rows.files
    problems.mark(repeats, Status.DUPLICATE, DUPLICATE,
                  [f"repeats {files[rows.file[o]].path} {_sheet(files[rows.file[o]].sheet)}"
                   f"row {rows.row[o]}" for o in originals])
    return dropped


def _sheet(sheet: str | None) -> str:
    return f"sheet '{sheet}' " if sheet else ""


def _mark_children_differ(rows: Rows, problems: Problems, order: _Order, lone_key: int,
                          duplicates: np.ndarray) -> np.ndarray:
    """Reject every valid row of each escalation whose rows name different children;
    return, in the order given, which rows were rejected.

    Neighbours in the order given are compared, duplicates too: a duplicate names the
    child its original does, so the children an escalation names are the same."""
    key = order.key
    pair = np.flatnonzero((key[1:] == key[:-1]) & (key[1:] < lone_key))
    rejected = np.zeros(len(key), dtype=bool)
    if not len(pair):
        return rejected
    child = rows.child[0]
    at = order.rows
    differ = child[at[pair]] != child[at[pair + 1]]
    if not differ.any():
        return rejected
    rejected = np.isin(key, np.unique(key[pair[differ]])) & ~duplicates
    bad = np.sort(at[rejected])
    names = rows.escalation_id(bad).to_pylist()
    problems.mark(bad, Status.REJECTED, CHILDREN_DIFFER, [f"escalation {v}" for v in names])
    return rejected
