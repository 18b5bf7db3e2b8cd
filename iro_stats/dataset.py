"""The Dataset (every row read, its status, and the escalations the valid rows make) and
the Selection of one period's escalations, with the accounting of every row read.

Tables (`Dataset.rows`, `Selection.escalations`) are pandas frames made
when first asked for, or only the columns and rows a report reads: a command that only
counts, as `report` does, never makes a million-row table, nor loads pandas.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from iro_stats.columns import CastOptions, SetLookupOptions, arrow_of, call, lengths, \
    numpy_of, pack, take, text_of
from iro_stats.crosswalk import Crosswalk
from iro_stats.escalations import Escalations
from iro_stats.load import FileInfo, Skipped
from iro_stats.periods import Period
from iro_stats.rows import COLUMNS, Rows
from iro_stats.rules import Problems, Status

if TYPE_CHECKING:
    import pandas as pd

# The columns of a Selection's escalations table, in order. Each is read from the escalation's
# first row, but for FROM_LAST, read from its highest-stage row.
ESCALATION_COLUMNS = ("escalation", "source", "file", "sheet", "row", "escalation_id",
                      "child_id", "raised_on", "reason_recorded", "reason", "category",
                      "relation", "outcome", "team", "iro", "stage", "resolved_on",
                      "stage_rows")
FROM_LAST = ("outcome", "stage", "resolved_on")


class Dataset:
    """Every row read with its status, and the escalations the valid rows make.

    files: each extract's FileInfo (with its source); skipped: files of other kinds in
    the folders given; crosswalk; stage_recorded: whether any file has a stage column.
    """

    def __init__(self, rows: Rows, problems: Problems, escalations: Escalations,
                 crosswalk: Crosswalk, skipped: list[Skipped] | None = None):
        self._rows, self._problems, self._esc = rows, problems, escalations
        self.files: list[FileInfo] = rows.files
        self.crosswalk = crosswalk
        self.skipped = skipped or []
        self.stage_recorded = bool(rows.has_stage.any())

    @property
    def sources(self) -> list[str]:
        return sorted({f.source for f in self.files if f.source})

    @cached_property
    def rows(self) -> "pd.DataFrame":
        """One row per data row read: origin, clean fields, status, problem, detail and
        its escalation's key."""
        every = np.arange(len(self._rows))
        problems = self._problems
        columns = {name: self._rows.column(name, every) for name in COLUMNS}
        columns["status"] = take(text_of(s.name.lower() for s in Status), problems.status)
        columns["problem"] = take(text_of(problems.phrases), problems.codes)
        columns["detail"] = text_of(problems.detail(every))
        columns["escalation"] = self._keys(every)
        return _frame(columns)

    def select(self, period: Period) -> "Selection":
        """Return the escalations raised in the period and the row accounting for it."""
        raised = self._esc_raised()
        inside = np.ones(len(raised), dtype=bool)
        if period.start:
            inside &= raised >= np.datetime64(period.start, "D")
        if period.end:
            inside &= raised <= np.datetime64(period.end, "D")
        chosen = np.flatnonzero(inside)
        status = self._problems.status
        used = int(self._esc.stage_rows[chosen].sum())
        valid = int((status == Status.VALID).sum())
        counts = {"read": len(status), "used": used,
                  "rejected": int((status == Status.REJECTED).sum()),
                  "duplicates": int((status == Status.DUPLICATE).sum()),
                  "outside_period": valid - used}
        return Selection(self, period, chosen, counts, self._rejected_by_problem())

    def source_dates(self) -> dict[str, tuple[dt.date, dt.date]]:
        """Return, per source (by name), the first date raised and the latest raised or
        resolved date of its rows read that were not rejected."""
        kept = np.flatnonzero(self._problems.status != Status.REJECTED)
        source = self._rows.source_codes(kept)
        raised = self._rows.raised_on.per_row()[kept]
        resolved = self._rows.resolved_on.per_row()[kept]
        dates = {}
        for code, name in enumerate(self._rows.source_names):
            mine = source == code
            first = raised[mine]
            first = first[~np.isnat(first)]
            if not len(first):
                continue
            ends = resolved[mine]
            ends = ends[~np.isnat(ends)]
            last = max(first.max(), ends.max()) if len(ends) else first.max()
            dates[name] = (first.min().astype(dt.date), last.astype(dt.date))
        return dates

    def latest_date(self) -> dt.date | None:
        """Return the latest raised or resolved date of any row read not rejected."""
        ends = [last for _, last in self.source_dates().values()]
        return max(ends) if ends else None

    def valid_rows(self, names: tuple[str, ...], column: str,
                   texts: tuple[str, ...]) -> "pd.DataFrame":
        """Return the named columns (as Dataset.rows has them) of the valid rows whose
        text in `column` is one of texts, in the order read, with a fresh index."""
        valid = np.flatnonzero(self._problems.status == Status.VALID)
        wanted = numpy_of(call("is_in", self._rows.column(column, valid),
                               options=SetLookupOptions(text_of(texts))))
        at = valid[wanted]
        return _frame({name: self._rows.column(name, at) for name in names})

    def first_raised(self, source: str) -> dt.date | None:
        """Return the date the first escalation from source was raised, or None when the
        source has no escalations."""
        names = self._rows.source_names
        if source not in names:
            return None
        first = self._esc.first_row
        raised = self._esc_raised()[self._rows.source_codes(first) == names.index(source)]
        return raised.min().astype(dt.date) if len(raised) else None

    # --- helpers for Selection ---------------------------------------------------------

    def _esc_raised(self) -> np.ndarray:
        """Each escalation's date raised (its first row's), as datetime64[D]."""
        raised = self._rows.raised_on
        return raised.value[raised.cells.codes[self._esc.first_row]]

    def _in_order(self, chosen: np.ndarray) -> np.ndarray:
        """Return escalations in table order: date raised, file (by name), row."""
        first = self._esc.first_row[chosen]
        paths = [f.path for f in self.files]
        file_rank = np.argsort(np.argsort(np.array(paths, dtype=object), kind="stable"))
        raised = self._esc_raised()[chosen].astype(np.int64)
        parts = [raised - raised.min() if len(raised) else raised,
                 file_rank[self._rows.file[first]], self._rows.row[first],
                 np.arange(len(chosen))]
        packed = pack(parts)
        order = np.argsort(packed) if packed is not None else np.lexsort(parts[::-1])
        return chosen[order]

    def _table(self, chosen: np.ndarray, names: tuple[str, ...] = ESCALATION_COLUMNS) \
            -> "pd.DataFrame":
        """Return the escalations table's named columns for the escalations chosen."""
        first, last = self._esc.first_row[chosen], self._esc.last_row[chosen]
        columns = {}
        for name in names:
            if name == "escalation":
                columns[name] = self._keys(first)
            elif name == "stage_rows":
                columns[name] = self._esc.stage_rows[chosen].astype(np.int64)
            else:
                columns[name] = self._rows.column(name, last if name in FROM_LAST else first)
        return _frame(columns)

    def _keys(self, at: np.ndarray) -> pa.Array:
        """Return the escalation key of the rows at `at`: "source:ID", or "row:N" for a
        row with no ID (N: its place among the rows read)."""
        named = self._rows.escalation_id(at)
        colon = text_of([":"])[0]
        numbers = call("cast", arrow_of(at.astype(np.int64)),
                       options=CastOptions(pa.large_string()))
        row_names = call("binary_join_element_wise", text_of(["row"])[0], numbers, colon)
        joined = call("binary_join_element_wise", self._rows.column("source", at), named,
                      colon)
        return call("if_else", arrow_of(lengths(named) == 0), row_names, joined)

    def _rejected_by_problem(self) -> dict[str, int]:
        """Return the rejected rows' problems, most common first, ties in the order
        first met."""
        problems = self._problems
        rejected = problems.status == Status.REJECTED
        codes, first, n = np.unique(problems.codes[rejected], return_index=True,
                                    return_counts=True)
        met = Counter({problems.phrases[codes[i]]: int(n[i]) for i in np.argsort(first)})
        return dict(met.most_common())


class Selection:
    """The escalations of one period, with the accounting of every row read."""

    def __init__(self, dataset: Dataset, period: Period, chosen: np.ndarray,
                 rows: dict[str, int], problems: dict[str, int]):
        self.dataset, self.period = dataset, period
        self._chosen = chosen  # the escalations in the period, in no particular order
        self.rows, self.problems = rows, problems

    @cached_property
    def positions(self) -> np.ndarray:
        """The period's escalations (positions in the dataset's), in table order."""
        return self.dataset._in_order(self._chosen)

    @cached_property
    def escalations(self) -> "pd.DataFrame":
        """One row per escalation raised in the period, in order of date raised, file
        (by name) and row: ESCALATION_COLUMNS."""
        return self.dataset._table(self.positions)

    @property
    def escalation_count(self) -> int:
        return len(self._chosen)

    def columns(self, names: tuple[str, ...], at: np.ndarray | None = None) \
            -> "pd.DataFrame":
        """Return only the named columns of self.escalations, and only its rows at the
        positions `at` (indexed by them) when given."""
        chosen = self.positions if at is None else self.positions[at]
        frame = self.dataset._table(chosen, names)
        return frame if at is None else frame.set_axis(at)

    @cached_property
    def children_joined(self) -> tuple[int, int]:
        """How many child IDs as written share their child with an ID written with other
        leading zeros, and how many children those are (over every row read)."""
        return self.dataset._rows.children_joined()

    def accounting_json(self) -> dict:
        """Return the row accounting for JSON: rows, rejected_by_reason and
        child_ids_joined (the first of children_joined)."""
        return {"rows": self.rows, "rejected_by_reason": self.problems,
                "child_ids_joined": self.children_joined[0]}

    @property
    def children(self) -> int:
        """How many children the period's escalations name."""
        first = self.dataset._esc.first_row[self._chosen]
        return len(np.unique(self.dataset._rows.child[0][first]))

    def counts(self, names: tuple[str, ...]) -> dict[tuple, int]:
        """Return how many of the period's escalations have each combination of values
        in the named columns (reason, category or relation), most first."""
        reason = self.dataset._rows.reason
        per_pair = [{"reason": reason.shown, "category": reason.category,
                     "relation": reason.relation}[name] for name in names]
        pair = reason.codes[self.dataset._esc.first_row[self._chosen]]
        found = np.bincount(pair, minlength=len(reason.shown))
        totals: Counter = Counter()
        for code in np.flatnonzero(found):
            totals[tuple(values[code] for values in per_pair)] += int(found[code])
        return dict(totals.most_common())

    def escalation_rows(self, names: tuple[str, ...]) -> "pd.DataFrame":
        """Return the valid rows of these escalations, in the order read: the columns
        named (as Dataset.rows has them) and `at`, the position of each row's escalation
        in self.escalations."""
        dataset = self.dataset
        of_row = dataset._esc.of_row(len(dataset._rows))
        place = np.full(len(dataset._esc), -1, dtype=np.int64)
        place[self.positions] = np.arange(len(self.positions))
        rows = np.flatnonzero(of_row >= 0)
        where = place[of_row[rows]]
        rows, where = rows[where >= 0], where[where >= 0]
        frame = _frame({name: dataset._rows.column(name, rows) for name in names})
        frame["at"] = where
        return frame

    def accounting(self) -> list[str]:
        """Return the accounting line, then one line per reason rows were rejected."""
        r = self.rows
        escalations = self.escalation_count
        used = f"used {r['used']}"
        if escalations != r["used"]:
            used += f" ({escalations} escalations)"
        lines = [f"rows read {r['read']}: {used}, rejected {r['rejected']}, "
                 f"duplicates {r['duplicates']}, outside period {r['outside_period']}"]
        ids, children = self.children_joined
        if ids:
            lines[0] += (f"; {ids} child IDs that differ only in leading zeros read as "
                         f"{children} {'child' if children == 1 else 'children'}")
        lines += [f"  rejected {n}: {problem}" for problem, n in self.problems.items()]
        return lines


def _frame(columns: dict) -> "pd.DataFrame":
    """Return a DataFrame of columns given as pyarrow text (pandas' str columns),
    numpy arrays or pandas arrays."""
    import pandas as pd

    text = pd.StringDtype(na_value=np.nan)
    return pd.DataFrame({name: pd.Series(values, dtype=text)
                         if isinstance(values, (pa.Array, pa.ChunkedArray)) else values
                         for name, values in columns.items()})
