"""Raw rows -> clean escalations, with every row put in exactly one bucket.

A row is rejected (with a reason), a duplicate (of a named earlier row), or valid; valid
rows sharing an escalation ID are one escalation. Periods are applied later, in
`Dataset.select`, which splits valid rows into used and outside the period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from iro_stats.crosswalk import (NOT_RECORDED, NOT_RECORDED_LABEL, UNMAPPED, Crosswalk,
                                 detect_source)
from iro_stats.crosswalk import load as load_crosswalk
from iro_stats.dates import DateProblem, parse_cell
from iro_stats.errors import UsageError
from iro_stats.load import (Extract, FileInfo, Skipped, cell_text, encode_text,
                             import_in_background, read_extracts)
from iro_stats.periods import Period
from iro_stats.schema import ESCALATIONS, Profile, kinds

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ORIGIN = ("file", "sheet", "row")
FIELDS = kinds()[ESCALATIONS].names
TEXT_FIELDS = ("child_id", "escalation_id", "outcome", "team", "iro")
STAGE_NAMES = {0: "Informal", 1: "Stage 1", 2: "Stage 2", 3: "Stage 3", 4: "Stage 4"}
_STAGE = re.compile(r"(?:stage|level)\s*(\d)\b|^\s*(\d)(?:\.0+)?\s*$", re.I)

# The phrases a rejected row is counted under on the accounting line.
BLANK_CHILD = "child ID is blank"
BLANK_RAISED = "date raised is blank"
BAD_STAGE = "stage cannot be read"
BLANK_STAGE = "stage is blank"
RESOLVED_FIRST = "resolved before it was raised"
CHILDREN_DIFFER = "stage rows of one escalation name different children"


class Dataset:
    """Every row read, each with its status, and the escalations the valid rows make.

    files: list[FileInfo]; rows: one per data row (origin, clean fields, status, problem,
    detail); escalations: one per escalation, before any period is applied; crosswalk;
    stage_recorded. `rows` may be given as a function that makes it: it is then made
    the first time it is asked for, so a command that needs only the escalations and the
    row counts (as `report` does) never builds a million-row table.
    """

    def __init__(self, files: list[FileInfo],
                 rows: "pd.DataFrame | Callable[[], pd.DataFrame]",
                 escalations: "pd.DataFrame", crosswalk: Crosswalk,
                 stage_recorded: bool = False, row_escalation: "np.ndarray | None" = None,
                 tally: tuple | None = None):
        self.files = files
        self._rows = rows
        self._escalations = escalations
        self.crosswalk = crosswalk
        self.stage_recorded = stage_recorded
        self.skipped: list[Skipped] = []  # files in folders holding other kinds of extract
        # Each row's position in `escalations` (-1 for rows not valid), and each row's
        # status and problem as codes, so that choosing a period's rows and counting
        # them compares integers rather than a million texts.
        self.row_escalation = row_escalation
        self._tally = tally  # (status codes into STATUSES, problem codes, problem texts)
        # The escalations as the rows they are made from, kept once the table is built:
        # its per-row columns answer questions about rows without the rows table.
        self._table = escalations if isinstance(escalations, _Escalations) else None

    def __repr__(self) -> str:
        return (f"Dataset(files={[f.path for f in self.files]}, "
                f"escalations={len(self.escalations)})")

    @property
    def rows(self) -> "pd.DataFrame":
        if callable(self._rows):
            self._rows = self._rows()
        return self._rows

    @rows.setter
    def rows(self, value: "pd.DataFrame") -> None:
        self._rows = value
        self._tally = self.row_escalation = self._table = None

    @property
    def escalations(self) -> "pd.DataFrame":
        if isinstance(self._escalations, _Escalations):
            self._escalations = self._escalations.frame()
        return self._escalations

    @escalations.setter
    def escalations(self, value: "pd.DataFrame") -> None:
        self._escalations = value
        self._table = None  # a table given may not be the one the rows were grouped into

    @property
    def sources(self) -> list[str]:
        return sorted({f.source for f in self.files if f.source})

    def _row_columns(self) -> dict | None:
        """Return the per-row columns the rows table is made from (dates as datetime64,
        stage as an IntegerArray, row numbers), or None once the rows were replaced."""
        if self._tally is None or self.row_escalation is None or self._table is None:
            return None
        return self._table.columns

    def latest_date(self) -> dt.date | None:
        """Return the latest raised or resolved date of any row read that was not rejected."""
        ends = [last for _, last in self.source_dates().values()]
        return max(ends) if ends else None

    def source_dates(self) -> dict[str, tuple[dt.date, dt.date]]:
        """Return, per source (by name), the first date raised and the latest raised or
        resolved date of its rows read that were not rejected."""
        import numpy as np
        import pandas as pd

        columns = self._row_columns()
        dates = {}
        if columns is None:
            rows = self.rows
            kept = rows[rows["status"] != "rejected"]
            for source, group in kept.groupby("source", sort=True):
                first = group["raised_on"].min()
                last = pd.concat([group["raised_on"], group["resolved_on"]]).max()
                if pd.notna(first):
                    dates[source] = (first.date(), last.date())
            return dates
        kept = self._tally[0] != STATUSES.index("rejected")
        source = columns["source"]
        raised, resolved = columns["raised_on"][kept], columns["resolved_on"][kept]
        # A source's name is in source.values once per file, so rows are matched by name.
        for name in sorted({s for s in source.values.to_pylist() if s is not None}):
            mine = _is_in(source, (name,))[kept]
            first = raised[mine]
            first = first[~np.isnat(first)]
            if not len(first):
                continue
            ends = resolved[mine]
            ends = ends[~np.isnat(ends)]
            last = max(first.max(), ends.max()) if len(ends) else first.max()
            dates[name] = (pd.Timestamp(first.min()).date(), pd.Timestamp(last).date())
        return dates

    def valid_rows(self, names: tuple[str, ...], column: str,
                   texts: tuple[str, ...]) -> "pd.DataFrame":
        """Return the named columns (as Dataset.rows has them) of the valid rows whose text
        in `column` is one of texts, in the order read, with a fresh index.

        Only those rows are made into a table (a few of a million, for a data-quality
        count), matched on the per-row codes the cleaning keeps."""
        import numpy as np
        import pandas as pd

        columns = self._row_columns()
        if columns is None:
            rows = self.rows
            chosen = rows[(rows["status"] == "valid") & rows[column].isin(texts)]
            return chosen[list(names)].reset_index(drop=True)
        at = np.flatnonzero(_is_in(columns[column], texts)
                            & (self._tally[0] == STATUSES.index("valid")))
        return pd.DataFrame({name: _take(columns[name], at) for name in names})

    def first_raised(self, source: str) -> dt.date | None:
        """Return the date the first escalation from source was raised, or None when the
        source has no escalations."""
        import pandas as pd

        table = self._table
        if table is None:  # the escalations (or the rows) were replaced
            esc = self.escalations
            raised = esc.loc[esc["source"] == source, "raised_on"]
            return raised.min().date() if len(raised) else None
        # Each escalation's source and date raised are its first row's: no table is made.
        mine = _is_in(table.columns["source"], (source,))[table.first_row]
        raised = table.raised_on()[mine]
        return pd.Timestamp(raised.min()).date() if len(raised) else None

    def select(self, period: Period) -> "Selection":
        """Return the escalations raised in the period and the row accounting for it."""
        import numpy as np

        if isinstance(self._escalations, _Escalations) and self._tally is not None \
                and self.row_escalation is not None:
            # Only the period's escalations are made into a table.
            table = self._escalations
            inside = _in_period_days(table.raised_on(), period)
            counts, problems = self._count(inside)
            # The period's table is made when it is first read, or only the columns read.
            return Selection(self, period, table, counts, problems, np.flatnonzero(inside))
        esc = self.escalations
        inside = _in_period(esc["raised_on"], period)
        chosen = esc[inside]
        if self._tally is not None and self.row_escalation is not None:
            counts, problems = self._count(inside.to_numpy(dtype=bool))
            return Selection(self, period, chosen.reset_index(drop=True), counts, problems,
                             np.flatnonzero(inside.to_numpy(dtype=bool)))
        valid = self.rows["status"] == "valid"
        used_rows = valid & self.rows["escalation"].isin(chosen["escalation"])
        rejected = self.rows["status"] == "rejected"
        counts = {
            "read": len(self.rows),
            "used": int(used_rows.sum()),
            "rejected": int(rejected.sum()),
            "duplicates": int((self.rows["status"] == "duplicate").sum()),
            "outside_period": int((valid & ~used_rows).sum()),
        }
        problems = Counter(self.rows.loc[rejected, "problem"])
        return Selection(self, period, chosen.reset_index(drop=True), counts,
                         dict(problems.most_common()))

    def _count(self, inside: "np.ndarray") -> tuple[dict, dict]:
        """Return the row accounting and the rejected rows' problems (most common first,
        ties in the order first met), from the codes kept when the rows were cleaned."""
        import numpy as np

        status, problem_codes, problem_texts = self._tally
        at = self.row_escalation
        valid = status == 0
        used = valid & (at >= 0) & (inside[at] if len(inside) else False)
        rejected = status == 1
        counts = {"read": len(status), "used": int(used.sum()),
                  "rejected": int(rejected.sum()), "duplicates": int((status == 2).sum()),
                  "outside_period": int((valid & ~used).sum())}
        codes, first, n = np.unique(problem_codes[rejected], return_index=True,
                                    return_counts=True)
        met = Counter({problem_texts[codes[i]]: int(n[i]) for i in np.argsort(first)})
        return counts, dict(met.most_common())


@dataclass
class Selection:
    """The escalations of one period, with the accounting of every row read."""

    dataset: Dataset
    period: Period
    # The escalations table, or the dataset's _Escalations to make it from (at positions).
    _escalations: "pd.DataFrame | _Escalations"
    rows: dict[str, int]
    problems: dict[str, int] = field(default_factory=dict)
    # Each escalation's position in the dataset's escalations table, where known.
    positions: "np.ndarray | None" = None

    @property
    def escalations(self) -> "pd.DataFrame":
        """One row per escalation raised in the period, as Dataset.escalations has them."""
        if isinstance(self._escalations, _Escalations):
            self._escalations = self._escalations.frame(self.positions)
        return self._escalations

    @property
    def escalation_count(self) -> int:
        if isinstance(self._escalations, _Escalations):
            return len(self.positions)
        return len(self._escalations)

    def columns(self, names: tuple[str, ...], at: "np.ndarray | None" = None) -> "pd.DataFrame":
        """Return only the named columns of self.escalations, and only its rows at the
        positions `at` (indexed by them) when given, making no more of the table than
        that where it is not made yet (all of a million-row extract's escalations are
        half a million rows of text)."""
        if isinstance(self._escalations, _Escalations):
            pick = self.positions if at is None else self.positions[at]
            frame = self._escalations.frame(pick, names)
            return frame if at is None else frame.set_axis(at)
        frame = self.escalations[list(names)]
        return frame if at is None else frame.loc[at]

    @property
    def children(self) -> int:
        return int(self.columns(("child_id",))["child_id"].nunique())

    def escalation_rows(self, names: tuple[str, ...]) -> "pd.DataFrame | None":
        """Return the valid rows of these escalations, in the order read: the columns
        named (as Dataset.rows has them) and `at`, the position of each row's escalation
        in self.escalations; None where the dataset keeps no row codes (rows replaced).

        Rows are matched to escalations as integers, not by their keys as text."""
        import numpy as np
        import pandas as pd

        columns = self.dataset._row_columns()
        if columns is None or self.positions is None:
            return None
        at = self.dataset.row_escalation
        place = np.full(len(self.dataset._table), -1, dtype=np.int64)
        place[self.positions] = np.arange(len(self.positions))
        rows = np.flatnonzero(self.dataset._tally[0] == STATUSES.index("valid"))
        where = place[at[rows]]
        mine = where >= 0
        rows = rows[mine]
        frame = pd.DataFrame({name: _take(columns[name], rows) for name in names})
        frame["at"] = where[mine]
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
        lines += [f"  rejected {n}: {problem}" for problem, n in self.problems.items()]
        return lines


def _in_period(dates: "pd.Series", period: Period) -> "pd.Series":
    import pandas as pd

    inside = pd.Series(True, index=dates.index)
    if period.start:
        inside &= dates >= pd.Timestamp(period.start)
    if period.end:
        inside &= dates <= pd.Timestamp(period.end)
    return inside


def _in_period_days(days: "np.ndarray", period: Period) -> "np.ndarray":
    """Return _in_period of datetime64 days as a boolean array (NaT is never inside)."""
    import numpy as np

    inside = np.ones(len(days), dtype=bool)
    if period.start:
        inside &= days >= np.datetime64(period.start, "ns")
    if period.end:
        inside &= days <= np.datetime64(period.end, "ns")
    return inside


def load_dataset(paths: list, profile: Profile | None = None, source: str | None = None,
                 crosswalk: Crosswalk | None = None,
                 today: dt.date | None = None) -> Dataset:
    """Return the Dataset of the extract files (folders stand for the files in them)."""
    import_in_background()  # while the crosswalk and the first file are read
    profile = profile or Profile()
    crosswalk = crosswalk or load_crosswalk()
    reading = read_extracts(paths, (ESCALATIONS,), profile)
    for extract in reading.extracts:
        _decide_source(extract, source or profile.source, crosswalk)
    dataset = build(reading.extracts, crosswalk, today or dt.date.today(), consume=True)
    dataset.skipped = reading.skipped
    return dataset


def _decide_source(extract: Extract, given: str | None, crosswalk: Crosswalk):
    info = extract.info
    if given:
        info.source, info.source_reason = given, "as stated"
        return
    labels = list(dict.fromkeys(_Field([extract.cells["reason"]], [len(extract)],
                                       encoded=[extract.encoded.get("reason")]).texts()))
    found, why = detect_source(crosswalk, labels)
    if found is None:
        raise UsageError(f"{info.path}: cannot tell whether this is a legacy log or a Mosaic "
                         f"extract: {why}; say which with --source legacy or --source mosaic")
    info.source, info.source_reason = found, why


def map_unique(series: "pd.Series", func: Callable) -> "np.ndarray":
    """Return func applied to each value, calling it once per distinct value."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [func(u) for u in uniques]
    return results[codes]


def parse_stage(value: object) -> int | None | str:
    """Return a stage number (0 = informal), None when blank, or the label when unreadable."""
    text = cell_text(value)
    if not text:
        return None
    if "informal" in text.lower():
        return 0
    m = _STAGE.search(text)
    return int(m[1] or m[2]) if m else text


def build(extracts: list[Extract], crosswalk: Crosswalk, today: dt.date,
          consume: bool = False) -> Dataset:
    """Return the Dataset of already-read extracts whose sources are decided.

    consume=True empties each extract's frame once its cells are encoded, so that a
    million rows are not held twice (as read and as codes) while the rest is built."""
    import numpy as np
    import pandas as pd

    # Every field is worked on as codes into its distinct values, so each distinct cell is
    # cleaned, parsed and mapped once, and rows are compared as integers, not as text.
    sizes = [len(e) for e in extracts]
    n = sum(sizes)
    fields = _Field.all(extracts, sizes, keep=not consume)

    per_file = np.repeat(np.arange(len(extracts), dtype=np.int32), sizes)
    infos = [e.info for e in extracts]
    paths = np.array([i.path for i in infos] or [""], dtype=object)
    sheets = np.array([i.sheet or "" for i in infos] or [""], dtype=object)
    sources = np.array([i.source for i in infos] or [None], dtype=object)
    has_stage = np.repeat(np.array(["stage" in e.cells for e in extracts],
                                   dtype=bool), sizes)
    row = np.concatenate([e.rows for e in extracts]) \
        if extracts else np.zeros(0, dtype=np.int64)
    if consume:
        for extract in extracts:
            extract.cells, extract.encoded = {}, {}
    columns: dict[str, object] = {"file": _strings(paths, per_file),
                                  "sheet": _strings(sheets, per_file),
                                  "row": row,
                                  "source": _strings(sources, per_file)}
    file_source, source_names = pd.factorize(sources, use_na_sentinel=False)
    source_code = file_source.astype(np.int32)[per_file]

    problem = _Column(n, None)
    detail = _Column(n, "")
    free = np.ones(n, dtype=bool)  # rows no problem has been found with yet

    def flag(mask, phrase, details=None):
        """Give the rows in mask that have no problem yet this one; details(rows) gives
        their detail texts."""
        fresh = np.flatnonzero(np.asarray(mask, dtype=bool) & free)
        if not len(fresh):
            return
        free[fresh] = False
        problem.put(fresh, phrase)
        if details is not None:
            detail.put(fresh, details(fresh))

    for name in TEXT_FIELDS:
        columns[name] = fields[name].text_column()
    child = fields["child_id"]
    flag(child.blank()[child.codes], BLANK_CHILD)

    instants, day_codes = {}, {}
    for name, label in (("raised_on", "date raised"), ("resolved_on", "date resolved")):
        field = fields[name]
        codes, uniques = field.codes, field.uniques
        columns[f"{name}_as_written"] = field.text_column()
        parsed = np.empty(len(uniques), dtype=object)
        parsed[:] = [_parse_date(u, today) for u in uniques]
        is_problem = np.array([isinstance(p, DateProblem) for p in parsed], dtype=bool)
        for kind in {p.kind for p in parsed[is_problem]}:
            of_kind = np.array([isinstance(p, DateProblem) and p.kind == kind
                                for p in parsed], dtype=bool)
            said = np.array([str(p) for p in parsed], dtype=object)
            flag(of_kind[codes], f"{label} {kind.split(' (')[0]}",
                 lambda rows, said=said, codes=codes: said[codes[rows]])
        if name == "raised_on":
            flag(np.array([p is None for p in parsed], dtype=bool)[codes], BLANK_RAISED)
        days = np.where(is_problem, None, parsed)
        day_values = pd.to_datetime(pd.Series(days, dtype=object), errors="coerce") \
            .to_numpy()
        columns[name] = instants[name] = day_values[codes]
        # Sorted ranks: equal for equal days, ordered as the days are (NaT first).
        day_codes[name] = np.unique(day_values.view(np.int64), return_inverse=True)[1] \
            .reshape(-1).astype(np.int32)[codes]

    field = fields["stage"]
    codes, uniques = field.codes, field.uniques
    columns["stage_as_written"] = field.text_column()
    stages = np.empty(len(uniques), dtype=object)
    stages[:] = [parse_stage(u) for u in uniques]
    unreadable = np.array([isinstance(s, str) for s in stages], dtype=bool)
    quoted = np.array([f"'{s}'" for s in stages], dtype=object)
    flag(unreadable[codes], BAD_STAGE, lambda rows: quoted[codes[rows]])
    flag(has_stage & np.array([s is None for s in stages], dtype=bool)[codes], BLANK_STAGE)
    number = np.array([s if isinstance(s, int) else -1 for s in stages], dtype=np.int64)
    stage = number[codes]
    columns["stage"] = pd.arrays.IntegerArray(stage, stage < 0)
    raised, resolved = instants["raised_on"], instants["resolved_on"]
    flag(resolved < raised, RESOLVED_FIRST,
         lambda rows: [f"resolved {_d(pd.Timestamp(b))}, raised {_d(pd.Timestamp(a))}"
                       for a, b in zip(raised[rows], resolved[rows])])

    reason = fields["reason"]
    columns["reason_recorded"] = reason.text_column()
    reason_code = _map_reasons(columns, source_names, source_code, reason, crosswalk)

    status = np.where(free, 0, 1).astype(np.int8)  # STATUSES: valid, rejected, duplicate
    problem.as_objects = bool(free.all())  # pandas' dtype for a column of None (see strings)
    keys = [source_code, child.text_codes(), fields["escalation_id"].text_codes(),
            day_codes["raised_on"], _refactor(number)[codes], day_codes["resolved_on"],
            reason_code, *(fields[name].text_codes() for name in ("outcome", "team", "iro"))]
    _mark_duplicates(keys, status, problem, detail, paths, sheets, per_file, row)
    escalation, row_escalation, escalations = _group(
        columns, fields, source_code, source_names, status, problem, detail, stage, row,
        per_file, paths, n, day_codes["raised_on"])

    def make_rows() -> "pd.DataFrame":
        columns["status"] = _strings(np.array(STATUSES, dtype=object), status)
        columns["problem"] = problem.strings()
        columns["detail"] = detail.strings()
        columns["escalation"] = escalation.text()
        return pd.DataFrame({name: column.series() if isinstance(column, _Text) else column
                             for name, column in columns.items()})

    stage_recorded = bool(has_stage.any())
    return Dataset([e.info for e in extracts], make_rows, escalations, crosswalk,
                   stage_recorded, row_escalation,
                   (status, problem.codes, np.array(problem.values, dtype=object)))


STATUSES = ("valid", "rejected", "duplicate")
# The characters str.strip() removes; a text without them at either end is its own cell_text.
_EDGE_SPACE = ("^[\\t-\\r\\x1c-\\x20\\x85\\xa0\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}"
               "\\x{202f}\\x{205f}\\x{3000}]|[\\t-\\r\\x1c-\\x20\\x85\\xa0\\x{1680}"
               "\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]$")


class _Column:
    """A text column built as codes into its values, most rows sharing a few."""

    def __init__(self, n: int, fill: str | None):
        import numpy as np

        self.codes = np.zeros(n, dtype=np.int32)
        self.values: list = [fill]
        self.index = {fill: 0}
        self.as_objects = False

    def put(self, rows, said) -> None:
        """Set the given rows to one text (a str) or to one text each (a sequence)."""
        import numpy as np

        if said is None or isinstance(said, str):
            self.codes[rows] = self._code(said)
            return
        self.codes[rows] = np.fromiter((self._code(s) for s in said), dtype=np.int32,
                                       count=len(rows))

    def _code(self, value) -> int:
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.values)
            self.values.append(value)
        return code

    def strings(self):
        import numpy as np
        import pandas as pd

        if self.as_objects:  # as pandas holds a column that began as nothing but None
            return pd.Series(np.array(self.values, dtype=object)[self.codes], dtype=object)
        return _strings(np.array(self.values, dtype=object), self.codes)


class _Field:
    """One field over every extract as codes into its distinct cells: uniques[codes] is
    the column ('' where an extract lacks the field), so each distinct cell is cleaned
    once. Text read by pyarrow is encoded by pyarrow and, when no cell has blanks at its
    ends, used as it is: a million IDs are then never turned into Python strings."""

    def __init__(self, parts: list, sizes: list[int], keep: bool = True,
                 encoded: list | None = None):
        import numpy as np

        codes, self._dictionaries, self._originals, offset = [], [], [], 0
        for column, size, done in zip(parts, sizes, encoded or [None] * len(parts)):
            part_codes, dictionary, original = _encode(column, size, done)
            codes.append(part_codes + offset if offset else part_codes)
            self._dictionaries.append(dictionary)
            self._originals.append(original)
            offset += len(dictionary)
        self.codes = (codes[0] if len(codes) == 1 else np.concatenate(codes)) if codes \
            else np.zeros(0, dtype=np.int32)
        # Plain: every part is pyarrow text whose distinct cells are already their cell_text.
        self.plain = bool(parts) and all(o is not None for o in self._originals)
        if not keep:  # the column is made again from codes if it is ever asked for
            self._originals = [None] * len(self._originals)
        self._uniques = None
        self._clean = None

    @classmethod
    def all(cls, extracts: list[Extract], sizes: list[int],
            keep: bool = True) -> dict[str, "_Field"]:
        """Return every field's _Field, encoded side by side (pyarrow lets go of the
        interpreter while it encodes, so two cores encode two fields at once)."""
        import os
        from concurrent.futures import ThreadPoolExecutor

        def one(name):
            return cls([e.cells.get(name) for e in extracts], sizes, keep,
                       [e.encoded.get(name) for e in extracts])

        with ThreadPoolExecutor(max_workers=min(len(FIELDS), os.cpu_count() or 1)) as pool:
            return dict(zip(FIELDS, pool.map(one, FIELDS)))

    @property
    def uniques(self) -> "np.ndarray":
        """The distinct cells of each extract in turn, as Python objects."""
        import numpy as np

        if self._uniques is None:
            parts = [d if isinstance(d, np.ndarray) else
                     d.to_numpy(zero_copy_only=False).astype(object, copy=False)
                     for d in self._dictionaries]
            self._uniques = parts[0] if len(parts) == 1 else (
                np.concatenate(parts) if parts else np.array([], dtype=object))
        return self._uniques

    def texts(self) -> "np.ndarray":
        """Return cell_text of each distinct cell."""
        if self._clean is None:
            self._clean = self.uniques if self.plain else _texts(self.uniques)
        return self._clean

    def blank(self) -> "np.ndarray":
        """Return, for each distinct cell, whether its text is blank."""
        import numpy as np
        import pyarrow.compute as pc

        if self.plain:
            parts = [pc.equal(d, "").to_numpy(zero_copy_only=False)
                     for d in self._dictionaries]
            return np.concatenate(parts) if len(parts) > 1 else parts[0]
        return self.texts() == ""

    def text_column(self) -> "_Text":
        """Return the column of each cell's cell_text."""
        if self.plain:
            import pyarrow as pa

            kept = None
            if all(o is not None for o in self._originals):
                kept = pa.chunked_array([c for o in self._originals for c in o.chunks],
                                        type=pa.large_string())
            return _Text(self.text_array(), self.codes, kept)
        return _strings(self.texts(), self.codes)

    def text_array(self):
        """Return each distinct cell's cell_text as a pyarrow array."""
        import pyarrow as pa

        if self.plain:
            return pa.concat_arrays([d.cast(pa.large_string()) for d in self._dictionaries])
        return pa.array(self.texts(), type=pa.large_string())

    def text_codes(self) -> "np.ndarray":
        """Return a code per row, equal where the rows' texts are equal."""
        if self.plain and len(self._dictionaries) == 1:
            return self.codes  # a pyarrow dictionary holds each text once
        return _refactor(self.texts())[self.codes]


def _encode(column: "pd.Series | None", size: int, encoded: tuple | None = None):
    """Return (codes, distinct cells, the pyarrow text when it is plain, else None) of one
    extract's column; a blank (NaN, None) cell is a value of its own, never a code of -1.
    encoded: the column's encode_text, when the loader made it already."""
    import numpy as np
    import pandas as pd

    if column is None:
        return np.zeros(size, dtype=np.int32), np.array([""], dtype=object), None
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        import pyarrow.compute as pc

        codes, dictionary, original = encoded or encode_text(column)
        plain = dictionary.null_count == 0 and not (
            len(dictionary) and pc.any(pc.match_substring_regex(dictionary, _EDGE_SPACE))
            .as_py())
        return codes, dictionary, (original if plain else None)
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    values = np.empty(len(uniques), dtype=object)
    values[:] = list(uniques)
    return codes.astype(np.int32), values, None


def _texts(values: "np.ndarray") -> "np.ndarray":
    """Return cell_text of each value, as an object array."""
    import numpy as np

    out = np.empty(len(values), dtype=object)
    out[:] = [v.strip() if type(v) is str else cell_text(v) for v in values]
    return out


def _refactor(values: "np.ndarray") -> "np.ndarray":
    """Return a code for each value such that equal values share a code."""
    import numpy as np
    import pandas as pd

    return pd.factorize(values)[0].astype(np.int32) if len(values) \
        else np.zeros(0, dtype=np.int32)


def _strings(values: "np.ndarray", codes: "np.ndarray") -> "_Text":
    """Return the text column values[codes] (None is a missing value)."""
    import pyarrow as pa

    return _Text(pa.array(values, type=pa.large_string()), codes)


class _Text:
    """A text column as its distinct texts and a code per row, made into pandas' str
    column (or the rows of it one table needs) by pyarrow, with no Python string per
    row."""

    def __init__(self, values, codes: "np.ndarray", arrow=None):
        self.values = values  # a pyarrow large_string array
        self.codes = codes
        self.arrow = arrow  # the column itself, when it is at hand already

    def series(self) -> "pd.Series":
        import pyarrow as pa

        if self.arrow is None:
            self.arrow = self.values.take(pa.array(self.codes))
        return _str_series(self.arrow)

    def take(self, rows: "np.ndarray") -> "pd.Series":
        import pyarrow as pa

        return _str_series(self.values.take(pa.array(self.codes[rows])))


def _take(column, rows: "np.ndarray"):
    """Return a per-row column's values at rows: text as pandas' str column, the others
    (dates, stages, row numbers) as they are held."""
    return column.take(rows) if isinstance(column, _Text) else column[rows]


def _is_in(column: _Text, texts: tuple[str, ...]) -> "np.ndarray":
    """Return, for each row, whether its text is one of texts (a missing one never is).

    Each distinct text is compared once; a text may be in column.values more than once
    (once per file read), so rows are matched by text, not by code."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = pc.is_in(column.values, value_set=pa.array(texts, type=pa.large_string()))
    return wanted.to_numpy(zero_copy_only=False)[column.codes]


def _str_series(arrow) -> "pd.Series":
    import numpy as np
    import pandas as pd

    return pd.Series(arrow, dtype=pd.StringDtype(na_value=np.nan))


def _d(value) -> str:
    return "" if value is None or value != value else f"{value:%d/%m/%Y}"


def _parse_date(value: object, today: dt.date):
    try:
        return parse_cell(value, today)
    except DateProblem as problem:
        return problem


def _map_reasons(columns: dict, source_names, source_code, reason: _Field,
                 crosswalk: Crosswalk):
    """Add reason (as shown), category and relation, looking each (source, label) up
    once; return a code per row of the reason as shown."""
    import numpy as np

    recorded, codes = reason.texts(), reason.codes
    recorded_code = reason.text_codes()
    width = int(recorded_code.max()) + 1 if len(recorded_code) else 1
    pair_codes, n_pairs = _factorize(source_code.astype(np.int64) * width + recorded_code)
    first = np.zeros(n_pairs, dtype=np.int64)
    first[pair_codes[::-1]] = np.arange(len(pair_codes))[::-1]  # the first row of each
    shown, category, relation = (np.empty(n_pairs, dtype=object) for _ in range(3))
    for i, at in enumerate(first):
        source, label = source_names[source_code[at]], recorded[codes[at]]
        if not label:
            shown[i], category[i], relation[i] = (NOT_RECORDED_LABEL,
                                                  NOT_RECORDED, "")
            continue
        hit = crosswalk.match(source, label)
        if hit:
            shown[i], category[i], relation[i] = hit.shown_as, hit.category, hit.relation
        else:
            shown[i], category[i], relation[i] = label, UNMAPPED, ""
    columns["reason"] = _strings(shown, pair_codes)
    columns["category"] = _strings(category, pair_codes)
    columns["relation"] = _strings(relation, pair_codes)
    return _refactor(shown)[pair_codes]


KEY_FIELDS = ("source", "child_id", "escalation_id", "raised_on", "stage", "resolved_on",
              "reason", "outcome", "team", "iro")


def _factorize(values: "np.ndarray") -> tuple["np.ndarray", int]:
    """Return (pd.factorize(values)'s codes, how many distinct values there are).

    Where the values already number the distinct values in the order first met (as
    pyarrow's codes of the one file read do), they are those codes: checked in a pass or
    two, where factorizing hashes every row."""
    import numpy as np
    import pandas as pd

    if len(values) and values[0] == 0:
        # Numbered in order first met: no value is more than one above all before it
        # (and none is negative), so each new one is the next number.
        running = np.maximum.accumulate(values)
        if (values[1:] <= running[:-1] + 1).all() and values.min() >= 0:
            return values, int(running[-1]) + 1
    codes, uniques = pd.factorize(values)
    return codes, len(uniques)


def _combine(keys: list, partial: bool = False) -> "np.ndarray":
    """Return one code per row for several columns of codes: equal where every one is.

    partial=True stops at the last column that fits in 62 bits without renumbering:
    equal codes then mean equal in those first columns only."""
    import numpy as np
    import pandas as pd

    combined = np.zeros(len(keys[0]), dtype=np.int64)
    bound = 1
    for key in keys:
        size = int(key.max()) + 1 if len(key) else 1
        if bound * size >= 1 << 62:  # renumber densely before the product could overflow
            if partial:
                break
            combined, uniques = pd.factorize(combined)
            combined = combined.astype(np.int64, copy=False)
            bound = max(len(uniques), 1)
        combined *= size
        combined += key
        bound *= size
    return combined


def _mark_duplicates(keys: list, status, problem: _Column, detail: _Column, paths, sheets,
                     per_file, row) -> None:
    """Mark each valid row that repeats an earlier valid row's KEY_FIELDS, naming that
    row."""
    import numpy as np
    import pandas as pd

    valid = np.flatnonzero(status == 0)
    if len(valid) < 2:
        return
    # Rows can repeat each other only where their first few fields do: those are found
    # by hashing one integer per row, and every field is compared on them alone.
    maybe = valid[pd.Series(_combine(keys, partial=True)[valid]).duplicated(keep=False)
                  .to_numpy()]
    if not len(maybe):
        return
    group, _ = pd.factorize(_combine([key[maybe] for key in keys]))
    first = np.empty(int(group.max()) + 1, dtype=np.int64)
    first[group[::-1]] = maybe[::-1]  # the first row of each group
    originals = first[group]
    repeat = originals != maybe
    if not repeat.any():
        return
    repeats, originals = maybe[repeat], originals[repeat]
    status[repeats] = 2
    problem.put(repeats, "duplicate")
    detail.put(repeats, [f"repeats {paths[per_file[o]]} {_sheet(sheets[per_file[o]])}"
                         f"row {row[o]}" for o in originals])


def _sheet(sheet: str) -> str:
    return f"sheet '{sheet}' " if sheet else ""


def _group(columns: dict, fields: dict, source_code, source_names, status,
           problem: _Column, detail: _Column, stage, row, per_file, paths, n: int,
           day_rank):
    """Return (each row's escalation key, each row's position in the escalations table or
    -1, the escalations table: one row per escalation, rows sharing a source and
    escalation ID being one)."""
    import numpy as np
    import pandas as pd

    esc = fields["escalation_id"]
    has_id = ~esc.blank()[esc.codes]
    with_id, no_id = np.flatnonzero(has_id), np.flatnonzero(~has_id)
    pair_codes, n_pairs = _factorize(_combine([source_code[with_id],
                                               esc.text_codes()[with_id]]))
    first = np.zeros(n_pairs, dtype=np.int64)
    first[pair_codes[::-1]] = with_id[::-1]
    key = np.empty(n, dtype=np.int32)
    key[with_id] = pair_codes
    key[no_id] = n_pairs + np.arange(len(no_id))
    n_keys = n_pairs + len(no_id)
    escalation = _KeyNames(key, n_pairs, first, no_id, source_names, source_code, esc)

    # Stage rows of one escalation that name different children are all rejected.
    grouped = np.flatnonzero((status == 0) & has_id)
    if len(grouped):
        # The same dtype for values and table keeps ufunc.at on its fast path.
        child = fields["child_id"].text_codes()[grouped].astype(np.int64)
        low = np.full(n_keys, np.iinfo(np.int64).max, dtype=np.int64)
        high = np.full(n_keys, -1, dtype=np.int64)
        np.minimum.at(low, key[grouped], child)
        np.maximum.at(high, key[grouped], child)
        mixed = (high >= 0) & (low != high)
        bad = grouped[mixed[key[grouped]]]
        if len(bad):
            values, codes = esc.texts(), esc.codes
            status[bad] = 1
            problem.put(bad, CHILDREN_DIFFER)
            detail.put(bad, [f"escalation {values[codes[at]]}" for at in bad])

    # An escalation's first row is its earliest (date raised, stage, row, then order
    # read) and its last the highest (stage, date raised, row, order read): the rows a
    # stable sort on those would put first and last. Each is found as the least or
    # greatest of one number packing those, so no sort of a million rows is needed.
    valid = np.flatnonzero(status == 0)
    key_v = key[valid]
    raised_v, stage_v = day_rank[valid], stage[valid] + 1  # a blank stage (-1) sorts first
    row_v = row[valid]  # spreadsheet row numbers: small and never negative
    place = np.arange(len(valid), dtype=np.int32)
    first_pick = _pack([raised_v, stage_v, row_v, place])
    last_pick = _pack([stage_v, raised_v, row_v, place])
    if first_pick is not None and last_pick is not None:
        lowest = np.full(n_keys, np.iinfo(np.int64).max, dtype=np.int64)
        highest = np.full(n_keys, -1, dtype=np.int64)
        np.minimum.at(lowest, key_v, first_pick)
        np.maximum.at(highest, key_v, last_pick)
        present = np.flatnonzero(highest >= 0)
        mask = (1 << max(int(len(valid) - 1).bit_length(), 1)) - 1
        first_row = valid[lowest[present] & mask]
        last_row = valid[highest[present] & mask]
        stage_rows = np.bincount(key_v, minlength=n_keys)[present].astype(np.int64)
        group_of_key = np.full(n_keys, -1, dtype=np.int64)
        group_of_key[present] = np.arange(len(present))
        group = group_of_key[key_v]
    else:  # too many distinct values to pack in 63 bits: sort instead
        by_raised = np.lexsort((place, row_v, stage_v, raised_v, key_v))
        by_stage = np.lexsort((place, row_v, raised_v, stage_v, key_v))
        sorted_keys = key_v[by_raised]
        new_group = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]] if len(valid) \
            else np.zeros(0, dtype=bool)
        starts = np.flatnonzero(new_group)
        ends = np.r_[starts[1:], len(valid)] if len(valid) else starts
        first_row = valid[by_raised[starts]]
        last_row = valid[by_stage[ends - 1]]
        stage_rows = (ends - starts).astype(np.int64)
        group = np.empty(len(valid), dtype=np.int64)
        group[by_raised] = np.cumsum(new_group) - 1
    # The table's order: date raised, file (by name), row. With each escalation's place
    # packed in last, no two numbers are equal, so a quick sort of one number gives the
    # order a stable sort on the three would.
    file_rank = pd.factorize(paths, sort=True)[0]
    table_rank = [day_rank[first_row], file_rank[per_file[first_row]], row[first_row]]
    packed = _pack(table_rank + [np.arange(len(first_row))])
    order = np.argsort(packed) if packed is not None else np.lexsort(table_rank[::-1])
    first_row, last_row, stage_rows = first_row[order], last_row[order], stage_rows[order]

    position = np.full(n, -1, dtype=np.int32)
    where = np.empty(len(order), dtype=np.int32)
    where[order] = np.arange(len(order))
    position[valid] = where[group]
    return escalation, position, _Escalations(columns, escalation, first_row, last_row,
                                              stage_rows)


class _Escalations:
    """The escalations table as the rows each escalation is made from: built whole only
    when asked for, or for the few escalations of one period (`report` needs a tenth of
    the table, so a million-row extract need not make half a million rows of text)."""

    def __init__(self, columns: dict, escalation: "_KeyNames", first_row: "np.ndarray",
                 last_row: "np.ndarray", stage_rows: "np.ndarray"):
        self.columns = columns
        self.escalation = escalation
        self.first_row, self.last_row, self.stage_rows = first_row, last_row, stage_rows

    def __len__(self) -> int:
        return len(self.first_row)

    def raised_on(self) -> "np.ndarray":
        """Each escalation's date raised (the table's raised_on column), as datetime64."""
        return self.columns["raised_on"][self.first_row]

    NAMES = ("escalation", "source", "file", "sheet", "row", "escalation_id", "child_id",
             "raised_on", "reason_recorded", "reason", "category", "relation", "outcome",
             "team", "iro", "stage", "resolved_on", "stage_rows")
    # Read from an escalation's highest stage row; the others from its first row.
    FROM_LAST = ("outcome", "stage", "resolved_on")

    def frame(self, pick: "np.ndarray | None" = None,
              names: tuple[str, ...] = NAMES) -> "pd.DataFrame":
        """Return the table (or only the columns named, in that order), or only its rows
        at the positions in pick (in their order), as the whole table's rows would be,
        with a fresh index."""
        import pandas as pd

        first_row, last_row, stage_rows = self.first_row, self.last_row, self.stage_rows
        if pick is not None:
            first_row, last_row, stage_rows = first_row[pick], last_row[pick], stage_rows[pick]
        out = {}
        for name in names:
            if name == "escalation":
                out[name] = self.escalation.take(first_row)
            elif name == "stage_rows":
                out[name] = stage_rows
            else:
                at = last_row if name in self.FROM_LAST else first_row
                out[name] = _take(self.columns[name], at)
        return pd.DataFrame(out)


class _KeyNames:
    """Each row's escalation key as text ("source:ID", or "row:N" for a row with no ID),
    made only for the rows asked for: a _Text whose distinct texts are made lazily."""

    def __init__(self, key, n_pairs, first, no_id, source_names, source_code, esc):
        self.codes = key
        self._n_pairs, self._first, self._no_id = n_pairs, first, no_id
        self._source_names, self._source_code, self._esc = source_names, source_code, esc
        self._text = None

    def _names(self, keys: "np.ndarray"):
        """Return the texts of the given keys, as a pyarrow large_string array."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        text_type = pa.large_string()
        sep = pa.scalar(":", text_type)
        named = keys < self._n_pairs
        at = self._first[keys[named]]
        esc = self._esc
        names = pc.binary_join_element_wise(
            pa.array(list(self._source_names), type=text_type)
            .take(pa.array(self._source_code[at])),
            esc.text_array().take(pa.array(esc.codes[at])), sep)
        row_names = pc.binary_join_element_wise(
            pa.scalar("row", text_type),
            pc.cast(pa.array(self._no_id[keys[~named] - self._n_pairs], type=pa.int64()),
                    text_type), sep)
        if named.all():
            return names
        if not named.any():
            return row_names
        # Put each text back where its key was asked for.
        place = np.empty(len(keys), dtype=np.int64)
        place[np.flatnonzero(named)] = np.arange(named.sum())
        place[np.flatnonzero(~named)] = named.sum() + np.arange((~named).sum())
        return pa.concat_arrays([names, row_names]).take(pa.array(place))

    def text(self) -> "_Text":
        import numpy as np

        if self._text is None:
            n_keys = self._n_pairs + len(self._no_id)
            self._text = _Text(self._names(np.arange(n_keys, dtype=np.int64)), self.codes)
        return self._text

    def series(self) -> "pd.Series":
        return self.text().series()

    def take(self, rows: "np.ndarray") -> "pd.Series":
        import numpy as np

        if self._text is not None:
            return self._text.take(rows)
        return _str_series(self._names(self.codes[rows].astype(np.int64)))


def _pack(parts: list) -> "np.ndarray | None":
    """Return the non-negative integer columns packed into one int64 each row, the first
    the most significant, so that comparing the packed numbers compares the columns in
    turn; None when they need more than 63 bits."""
    import numpy as np

    widths = [max(int(p.max()).bit_length(), 1) if len(p) else 1 for p in parts]
    if sum(widths) > 63:
        return None
    packed = np.zeros(len(parts[0]), dtype=np.int64)
    for part, width in zip(parts, widths):
        packed <<= width  # in place: no fresh million-row array for each part
        packed |= part
    return packed
