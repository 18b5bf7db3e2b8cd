"""One extract's rows as read, whatever the file: where they came from (FileInfo), the
raw cells of each field (Extract), what was passed over (Skipped), and the header row
that names the fields, found by its column names (kinds and spellings: schema.py).
The readers of each format (load.py for CSV, workbook.py) build these."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from iro_stats.csvfile import HEADER_SEARCH_ROWS
from iro_stats.errors import DataError
from iro_stats.schema import ESCALATIONS, Profile, kinds, normalise_header

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


FOOTER = re.compile(r"\s*(grand\s+total|total\b|end of report|\d+\s+rows?\b|rows?\s*:)", re.I)

@dataclass
class FileInfo:
    """Where one extract's rows came from and how it was read."""

    path: str
    kind: str = ESCALATIONS  # the extract kind its header names (schema.kinds())
    format: str = "csv"  # "csv" or "excel"
    encoding: str | None = None
    sheet: str | None = None
    header_row: int = 0  # 1-based, as a spreadsheet numbers rows
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    rows_read: int = 0
    blank_rows: int = 0
    footer_rows: int = 0
    source: str | None = None
    source_reason: str = ""
    # What the analyst should know of how it was read, each a line beginning "note:" or
    # "warning:" (a file named for another format; lines re-read; cells left out).
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """Return one line saying how the file was read."""
        where = f"sheet '{self.sheet}', " if self.sheet else ""
        enc = f", encoding {self.encoding}" if self.encoding else ""
        what = f"; source {self.source} ({self.source_reason})" if self.source else \
            ("" if self.kind == ESCALATIONS else f"; {kinds()[self.kind].about}")
        return (f"{self.path}: {where}header on row {self.header_row}{enc}; "
                f"{self.rows_read} data rows{what}")


@dataclass
class Extract:
    """One file's (or sheet's) data rows: the raw cells of each field its header names,
    and each row's spreadsheet row number. Blank rows and footers are not data rows."""

    info: FileInfo
    # Field -> one cell per data row, as read: pyarrow text (a CSV file; fields other
    # than IDs dictionary-encoded) or a numpy object array of Python values (a
    # workbook's cells: str, float, int, datetime, None). Fields the header does not
    # name are absent.
    cells: dict[str, object]
    rows: "np.ndarray"  # each data row's row number in the file or sheet (int64)
    # Data row (its position) -> why a cell makes it unusable, naming the cell ("#N/A in
    # Reason, row 14"): error cells, formulas with no value, TRUE in an ID column.
    unusable: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self) -> "pd.DataFrame":
        """Return the data rows as a DataFrame: a column per field named, then `row`."""
        import pandas as pd

        frame = pd.DataFrame({name: _series(cells) for name, cells in self.cells.items()},
                             index=range(len(self.rows)))
        frame["row"] = self.rows
        return frame


def _series(cells) -> "pd.Series":
    import numpy as np
    import pandas as pd

    from iro_stats.columns import decoded

    if isinstance(cells, np.ndarray):
        return pd.Series(cells, dtype=object)
    return pd.Series(decoded(cells), dtype=pd.StringDtype(na_value=np.nan))


@dataclass(frozen=True)
class Skipped:
    """A file or sheet whose header names another kind of extract than those asked for;
    or (kind None) a sheet passed over, hidden or with no header recognised, and why."""

    path: str
    sheet: str | None
    kind: str | None
    header_row: int
    why: str = ""  # of a sheet passed over: "it is hidden", "no header row found (...)"

    def describe(self) -> str:
        """Return one line saying what it is and which command reads it."""
        if self.kind is None:
            return f"{self.path}: sheet '{self.sheet}' not read: {self.why}"
        kind = kinds()[self.kind]
        where = f"sheet '{self.sheet}' is " if self.sheet else ""
        return (f"{self.path}: {where}{_a(kind.about)} (header on row {self.header_row}), "
                f"read by 'iro-stats {kind.read_by}'")


def _a(text: str) -> str:
    """Return text after "a" or "an", as a sentence puts it."""
    return f"{'an' if text[:1] in 'aeiouAEIOU' else 'a'} {text}"


# --- finding the header -----------------------------------------------------------

def match_header(cells: list[object], profile: Profile, kind: str) -> dict[str, int]:
    """Return field -> column index for the cells of a candidate header row of a kind."""
    lookup = profile.lookup(kind)
    best: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(cells):
        hit = lookup.get(normalise_header(cell)) if cell not in ("", None) else None
        if hit is None:
            continue
        name, rank = hit
        if name not in best or rank < best[name][1]:
            best[name] = (index, rank)
    return {name: index for name, (index, _) in best.items()}


@dataclass
class Header:
    index: int  # 0-based row of the header among the rows looked at
    kind: str
    columns: dict[str, int]  # field -> column index


def _find_header(rows: list[list[object]], profile: Profile, where: str,
                 wanted: tuple[str, ...]) -> Header:
    """Return the first row naming every required field of some kind: the kind whose
    fields claim the most of its columns (the first declared, on a tie).

    A row naming two fields of a wanted kind but not all its required ones is a
    header with a column missing, and an error, when no later row is a header."""
    known = kinds()
    partial: Header | None = None
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        best: Header | None = None
        for name, kind in known.items():
            found = match_header(cells, profile, name)
            if all(f in found for f in kind.required):
                if best is None or len(found) > len(best.columns):
                    best = Header(index, name, found)
            elif partial is None and name in wanted and len(found) >= 2:
                partial = Header(index, name, found)
        if best is not None:
            return best
    if partial:
        kind = known[partial.kind]
        missing = [name for name in kind.required if name not in partial.columns]
        spellings = "; ".join(f"{name}: {', '.join(kind.field(name).headers[:4])}"
                              for name in missing)
        raise DataError(f"{where}: the header on row {partial.index + 1} has no column for "
                        f"{' or '.join(missing)} (looked for {spellings}); "
                        "name the column in a profile", option="profile")
    looked, check = _looked_for(wanted)
    raise NoHeader(f"{where}: no header row found in the first {HEADER_SEARCH_ROWS} rows "
                   f"(looked for {looked}); check {check}, or map its columns in a profile",
                   option="profile")


def _looked_for(wanted: tuple[str, ...]) -> tuple[str, str]:
    """Return what a header was looked for, and what to check, for a message:
    ("columns such as Child ID, Date Raised and Reason", "this is an escalations
    extract"); for several kinds, each kind with the headers that identify it."""
    known = kinds()
    if len(wanted) == 1:
        kind = known[wanted[0]]
        return f"columns such as {kind.identified_by()}", f"this is {_a(kind.about)}"
    return ("; ".join(f"{_a(known[k].about)}: {known[k].identified_by()}" for k in wanted),
            "it is one of these")


class NoHeader(DataError):
    """No row of a sheet or file looks like the header of an extract iro-stats reads."""


def _extract(columns: dict, first_row: int, info: FileInfo) -> Extract:
    """Return the Extract of a file's columns (field -> cells, row by row from first_row),
    leaving out blank rows and footers (rows whose one filled cell reads like "Total
    rows: 78"), with a count of each."""
    import numpy as np

    from iro_stats.columns import take

    names = list(columns)
    n = len(columns[names[0]])
    # A row with at most one filled cell is blank in one of any two columns (the
    # required fields come first, and are seldom blank): only those rows are looked at
    # in every column.
    maybe = blank_cells(columns[names[0]])
    if len(names) > 1:
        maybe |= blank_cells(columns[names[1]])
    candidates = np.flatnonzero(maybe)
    dropped = np.zeros(0, dtype=np.int64)
    if len(candidates):
        texts = [cell_texts(columns[name], candidates) for name in names]
        filled = [sum(1 for t in row if t) for row in zip(*texts)]
        lone = [next(t for t in row if t) if f == 1 else "" for row, f in
                zip(zip(*texts), filled)]
        blank_rows = [f == 0 for f in filled]
        footer = [f == 1 and FOOTER.match(t) is not None for f, t in zip(filled, lone)]
        info.blank_rows, info.footer_rows = sum(blank_rows), sum(footer)
        dropped = candidates[np.array(blank_rows, dtype=bool) | np.array(footer, dtype=bool)]
    rows = np.arange(first_row, first_row + n, dtype=np.int64)
    if len(dropped):
        kept = np.ones(n, dtype=bool)
        kept[dropped] = False
        at = np.flatnonzero(kept)
        rows = rows[at]
        columns = {name: cells[at] if isinstance(cells, np.ndarray) else take(cells, at)
                   for name, cells in columns.items()}
    info.rows_read = len(rows)
    return Extract(info, columns, rows)


def blank_cells(cells) -> "np.ndarray":
    """Return, for each cell (pyarrow text or Python values), whether it is blank."""
    import numpy as np

    from iro_stats.columns import blank

    if isinstance(cells, np.ndarray):
        return np.fromiter((not cell_text(v) for v in cells), dtype=bool, count=len(cells))
    return blank(cells)


def cell_texts(cells, at: "np.ndarray") -> list[str]:
    """Return cell_text of the cells at some positions."""
    import numpy as np

    from iro_stats.columns import take

    if isinstance(cells, np.ndarray):
        return [cell_text(v) for v in cells[at]]
    return [v.strip() for v in take(cells, at).to_pylist()]

def _ordered(columns: dict, kind: str) -> list[str]:
    """Return the fields found in the order the kind declares them."""
    return [name for name in kinds()[kind].names if name in columns]


def cell_text(value: object) -> str:
    """Return a cell as trimmed text: 5057463.0 -> '5057463', None or NaN -> '', a date
    cell -> dd/mm/yyyy."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()

