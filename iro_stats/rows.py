"""The rows read, cleaned: one array per field over every file, in the order read, and
each field's values at any rows as a table column."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa

from iro_stats.columns import TEXT, Coded, MatchSubstringOptions, arrow_of, call, lengths, \
    numpy_of, strip, take, text_of
from iro_stats.load import FileInfo

# The columns of Dataset.rows, in order (then status, problem, detail, escalation).
COLUMNS = ("file", "sheet", "row", "source", "child_id", "escalation_id", "outcome", "team",
           "iro", "raised_on_as_written", "raised_on", "resolved_on_as_written",
           "resolved_on", "stage_as_written", "stage", "reason_recorded", "reason",
           "category", "relation")
TEXTS = ("child_id", "escalation_id", "outcome", "team", "iro")
# What can be wrong with a judged cell, beside the date problems of dates.py.
BLANK = "blank"
UNREADABLE_STAGE = "unreadable"


@dataclass
class Judged:
    """A field whose every distinct cell was judged once: the cells as codes, and for
    each distinct cell its text as written, its value, and what is wrong with it."""

    cells: Coded
    written: np.ndarray  # the cell's text (cell_text), per distinct cell
    value: np.ndarray  # per distinct cell: a day (datetime64[D]) or a stage (-1: none)
    problem: np.ndarray  # per distinct cell: the problem's kind, or None
    said: np.ndarray  # per distinct cell: the problem as the rejects file words it

    def per_row(self) -> np.ndarray:
        return self.value[self.cells.codes]


@dataclass
class Reasons:
    """Each row's reason: codes into the distinct (source, label) pairs met, and for each
    pair the label as recorded, as shown (the vocabulary's spelling), its category and
    the crosswalk's relation."""

    codes: np.ndarray
    recorded: np.ndarray
    shown: np.ndarray
    category: np.ndarray
    relation: np.ndarray


@dataclass
class Rows:
    """Every data row read, cleaned, in the order read."""

    files: list[FileInfo]
    file: np.ndarray  # each row's file, as its position in files (int32)
    row: np.ndarray  # each row's spreadsheet row number (int64)
    has_stage: np.ndarray  # whether the row's file has a stage column
    texts: dict[str, pa.ChunkedArray]  # TEXTS, as written (not yet stripped)
    # Each row's escalation ID as a key (columns.text_keys: -1 where it has none), and
    # a bound the keys are below: encoded beside the rest of the cleaning, and waited
    # for when first read (`escalation`).
    escalation_keys: "Future[tuple[np.ndarray, int]]"
    # The same of child IDs, those of digits alone equal whatever their leading zeros
    # (columns.unpadded): see `child`.
    child_keys: "Future[tuple[np.ndarray, int]]"
    raised_on: Judged
    resolved_on: Judged
    stage: Judged
    reason: Reasons
    # Row -> why a cell makes it unusable, naming the cell (load.Extract.unusable).
    unusable: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.row)

    @property
    def escalation(self) -> tuple[np.ndarray, int]:
        """Each row's escalation ID as a key, -1 where it has none; and the keys' bound."""
        return self.escalation_keys.result()

    @property
    def child(self) -> tuple[np.ndarray, int]:
        """Each row's child ID as a key, -1 where it is blank; and the keys' bound."""
        return self.child_keys.result()

    @cached_property
    def _padded(self) -> tuple[np.ndarray, np.ndarray, pa.Array]:
        """Return the rows whose child ID (stripped) is digits alone with a leading zero,
        their children's keys and their IDs as written."""
        texts = self.texts["child_id"]
        # Only a text that starts with a zero or a space can be such an ID: the rest are
        # not looked at again.
        maybe = np.zeros(len(texts), dtype=bool)
        for start in ("0", " ", "\t"):
            maybe |= numpy_of(call("starts_with", texts, options=MatchSubstringOptions(start)))
        at = np.flatnonzero(maybe)
        written = strip(take(texts, at))
        padded = numpy_of(call("and_kleene", call("ascii_is_decimal", written), call(
            "starts_with", written, options=MatchSubstringOptions("0"))))
        padded &= lengths(written) > 1
        at, written = at[padded], take(written, np.flatnonzero(padded))
        return at, self.child[0][at], written

    def children_joined(self) -> tuple[int, int]:
        """Return how many child IDs as written (stripped) share their child with an ID
        written with other leading zeros ('0012345' and '12345'), and how many children
        those are."""
        at, keys, written = self._padded
        if not len(at):
            return 0, 0
        spellings = set(zip(keys.tolist(), written.to_pylist()))
        others = np.ones(len(self), dtype=bool)
        others[at] = False
        plain = np.intersect1d(self.child[0][others], keys).tolist()
        per_child = Counter(k for k, _ in spellings) + Counter(plain)
        joined = [n for n in per_child.values() if n > 1]
        return sum(joined), len(joined)

    def _child_ids(self, at: np.ndarray) -> pa.Array:
        """Return the child IDs of the rows at `at`, stripped, one spelling for each
        child: that with the most leading zeros among its rows (the case system's, which
        a spreadsheet drops)."""
        ids = strip(take(self.texts["child_id"], at))
        padded, keys, written = self._padded
        if not len(padded):
            return ids
        longest = np.lexsort((-lengths(written), keys))
        keys, first = np.unique(keys[longest], return_index=True)
        spelled = take(written, longest[first])
        mine = self.child[0][at]
        place = np.minimum(np.searchsorted(keys, mine), len(keys) - 1)
        hit = keys[place] == mine
        return call("if_else", arrow_of(hit), take(spelled, place), ids)

    def escalation_id(self, at: np.ndarray) -> pa.Array:
        """Return the escalation IDs of the rows at `at`, stripped."""
        return strip(take(self.texts["escalation_id"], at))

    @property
    def sources(self) -> list[str]:
        """Each file's source, in the order of files."""
        return [f.source for f in self.files]

    @property
    def source_names(self) -> list[str]:
        """The sources of the files read, in name order."""
        return sorted(set(self.sources))

    def source_codes(self, at: np.ndarray) -> np.ndarray:
        """Return the source of each row at `at`, as its place in source_names."""
        names = self.source_names
        per_file = np.array([names.index(s) for s in self.sources], dtype=np.int32)
        return per_file[self.file[at]]

    def column(self, name: str, at: np.ndarray):
        """Return one column of Dataset.rows at some rows: text as pyarrow text, dates as
        datetime64[s], stages as pandas' Int64, row numbers as int64."""
        if name == "child_id":
            return self._child_ids(at)
        if name in TEXTS:
            return strip(take(self.texts[name], at))
        if name in ("file", "sheet", "source"):
            per_file = [getattr(f, "path" if name == "file" else name) or "" for f in
                        self.files]
            return take(text_of(per_file), self.file[at])
        if name == "row":
            return self.row[at]
        if name in ("raised_on", "resolved_on"):
            field = getattr(self, name)
            return field.value[field.cells.codes[at]].astype("datetime64[s]")
        if name.endswith("_as_written"):
            field = getattr(self, name[:-len("_as_written")])
            return _text(field.written, field.cells.codes[at])
        if name == "stage":
            import pandas as pd

            number = self.stage.value[self.stage.cells.codes[at]].astype(np.int64)
            return pd.arrays.IntegerArray(number, number < 0)
        reason = self.reason
        values = {"reason_recorded": reason.recorded, "reason": reason.shown,
                  "category": reason.category, "relation": reason.relation}[name]
        return _text(values, reason.codes[at])


def _text(values: np.ndarray, codes: np.ndarray) -> pa.Array:
    """Return values[codes] as pyarrow text (None is a missing value)."""
    return take(text_of(values), codes)


def empty_text(n: int) -> pa.Array:
    """Return n empty texts."""
    return pa.Array.from_buffers(TEXT, n, [None, pa.py_buffer(np.zeros(n + 1, np.int64)),
                                           pa.py_buffer(b"")])
