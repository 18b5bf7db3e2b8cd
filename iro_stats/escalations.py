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
import pyarrow.compute as pc

from iro_stats.columns import arrow_of, bits, combine, encode, equal_at, numpy_of, pack, \
    renumber, strip, take
from iro_stats.rows import Rows
from iro_stats.rules import CHILDREN_DIFFER, DUPLICATE, Problems, Status


@dataclass
class Escalations:
    """The escalations the valid rows make, in no particular order: each one's first
    row (earliest date raised, then lowest stage, then first read), its highest-stage
    row (highest stage, then latest date raised, then last read) and how many valid
    rows it has; `rows`, the valid rows, and `starts`, where each escalation's begin
    among them."""

    first_row: np.ndarray
    last_row: np.ndarray
    stage_rows: np.ndarray
    rows: np.ndarray
    starts: np.ndarray
    _of_row: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.first_row)

    def of_row(self, n: int) -> np.ndarray:
        """Return each of n rows' escalation (its position here), -1 for rows not valid."""
        if self._of_row is None:
            self._of_row = np.full(n, -1, dtype=np.int64)
            self._of_row[self.rows] = np.repeat(np.arange(len(self.starts)), self.stage_rows)
        return self._of_row


def group(rows: Rows, problems: Problems) -> Escalations:
    """Return the escalations of the valid rows, marking duplicates and the rows of
    escalations that name different children in problems."""
    valid = np.flatnonzero(problems.status == Status.VALID)
    source, _ = rows.source_codes()
    ids = rows.escalation
    has_id = ~_is_empty(ids.values)[ids.codes]
    # A row's escalation: its source and ID. A row with no ID goes with the rows of
    # its child (the rows it could repeat) for the sort, and stands alone after it.
    key = np.zeros(len(rows), dtype=np.int64)
    key[valid] = combine([source[valid], ids.codes[valid]])
    lone = valid[~has_id[valid]]
    if len(lone):
        child = encode(strip(take(rows.texts["child_id"], lone))).codes
        key[lone] = int(key.max()) + 1 + combine([source[lone], child])
    raised = rows.raised_on.per_row().astype(np.int64)
    raised -= raised[valid].min() if len(valid) else 0
    stage = rows.stage.per_row().astype(np.int64) + 1  # a blank stage (-1) sorts first
    ordered, same = _sort(key, raised, stage, valid)
    _mark_duplicates(rows, problems, ordered, same, key)
    _mark_children_differ(rows, problems, ordered, key, has_id)
    ordered = ordered[problems.status[ordered] == Status.VALID]
    if not len(ordered):
        empty = np.zeros(0, dtype=np.int64)
        return Escalations(empty, empty, empty, empty, empty)
    # A new escalation where the key changes, and at every row with no ID.
    begins = np.flatnonzero(np.r_[True, key[ordered[1:]] != key[ordered[:-1]]]
                            | ~has_id[ordered])
    # Each escalation's highest-stage row: its greatest (stage, date raised, order read).
    place = np.arange(len(ordered))
    highest = pack([stage[ordered], raised[ordered], place])
    last = np.maximum.reduceat(highest, begins) & ((1 << bits(place)) - 1)
    return Escalations(ordered[begins], ordered[last],
                       np.diff(np.r_[begins, len(ordered)]), ordered, begins)


def _sort(key: np.ndarray, raised: np.ndarray, stage: np.ndarray,
          valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the valid rows ordered by (key, date raised, stage, order read), and for
    each whether the next one has the same key, date raised and stage.

    The four are packed into one integer, so one quick sort of a million numbers does
    what a stable sort on four columns would."""
    parts = [key[valid], raised[valid], stage[valid], valid]
    widths = [bits(p) for p in parts]
    packed = pack(parts, widths)
    if packed is None:  # too many distinct values to pack into 63 bits
        order = np.lexsort(parts[::-1])
        prefix = np.stack([p[order] for p in parts[:3]])
        same = (prefix[:, 1:] == prefix[:, :-1]).all(axis=0)
        return valid[order], np.r_[same, False]
    packed.sort()
    ordered = packed & ((1 << widths[3]) - 1)
    packed >>= widths[3]
    return ordered, np.r_[packed[1:] == packed[:-1], False]


def _is_empty(values) -> np.ndarray:
    """Return, for each text, whether it is empty."""
    return numpy_of(pc.binary_length(values)) == 0


def _mark_duplicates(rows: Rows, problems: Problems, ordered: np.ndarray,
                     same: np.ndarray, key: np.ndarray) -> None:
    """Mark each valid row that repeats an earlier valid row in every field, naming it.

    Repeats share an escalation, a date raised and a stage, so they sit side by side in
    the order given (`same`: whether each row shares those with the next); only those
    rows are compared on every other field."""
    near = np.flatnonzero(same | np.r_[False, same[:-1]])
    if not len(near):
        return
    maybe = ordered[near]
    fields = [key[maybe]]
    fields += [renumber(f.value.astype(np.int64))[f.cells.codes[maybe]]
               for f in (rows.raised_on, rows.resolved_on, rows.stage)]
    fields.append(renumber(rows.reason.shown)[rows.reason.codes[maybe]])
    fields += [encode(strip(take(rows.texts[name], maybe))).codes
               for name in ("child_id", "escalation_id", "outcome", "team", "iro")]
    whole = combine([f.astype(np.int64) for f in fields])
    _, group_of = np.unique(whole, return_inverse=True)
    group_of = group_of.reshape(-1)
    first = np.full(group_of.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, group_of, maybe)
    original = first[group_of]
    repeat = original != maybe
    if not repeat.any():
        return
    repeats, originals = maybe[repeat], original[repeat]
    order = np.argsort(repeats)
    repeats, originals = repeats[order], originals[order]
    files = rows.files
    problems.mark(repeats, Status.DUPLICATE, DUPLICATE,
                  [f"repeats {files[rows.file[o]].path} {_sheet(files[rows.file[o]].sheet)}"
                   f"row {rows.row[o]}" for o in originals])


def _sheet(sheet: str | None) -> str:
    return f"sheet '{sheet}' " if sheet else ""


def _mark_children_differ(rows: Rows, problems: Problems, ordered: np.ndarray,
                          key: np.ndarray, has_id: np.ndarray) -> None:
    """Reject every valid row of each escalation whose rows name different children."""
    kept = ordered[problems.status[ordered] == Status.VALID]
    if len(kept) < 2:
        return
    pair = np.flatnonzero((key[kept[1:]] == key[kept[:-1]]) & has_id[kept[1:]])
    if not len(pair):
        return
    differ = ~equal_at(rows.texts["child_id"], kept[pair], kept[pair + 1])
    if not differ.any():
        return
    mixed = np.unique(key[kept[pair[differ]]])
    bad = np.sort(kept[np.isin(key[kept], mixed) & has_id[kept]])
    ids = rows.escalation
    names = ids.values.take(_arrow(ids.codes[bad])).to_pylist()
    problems.mark(bad, Status.REJECTED, CHILDREN_DIFFER, [f"escalation {v}" for v in names])


def _arrow(values: np.ndarray):
    return arrow_of(values.astype(np.int64))
