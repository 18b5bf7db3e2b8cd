"""Workbooks (.xlsx, .xlsm, .xls, .ods) -> the Extract of every sheet whose header names a
wanted kind, each sheet read or passed over named.

Every visible sheet is looked at (or only those the profile names, hidden or not); a
hidden sheet, or one whose header is not recognised (a summary first, a notes tab), is
passed over and named, so a log kept as one tab per year, or an .xls split at 65,536
rows, is read whole. An .xlsx sheet's XML is scanned first (xlsxscan): cells far outside
the data are left out before the reader makes its grid, error cells and formulas with
no value reject their row, and plain numbers in a date column follow the workbook's
date system."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import operator
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from iro_stats import filetype
from iro_stats.csvfile import HEADER_SEARCH_ROWS, empty
from iro_stats.errors import DataError
from iro_stats.extract import (Extract, FileInfo, NoHeader, Skipped, _a, _extract,
                               _find_header, _looked_for, _ordered, cell_text)
from iro_stats.schema import Profile, kinds

if TYPE_CHECKING:
    import numpy as np

    from iro_stats.xlsxscan import SheetScan

EPOCH_1904 = dt.datetime(1904, 1, 1)
# A sheet's grid (rows x columns, as far as its cells reach) may be this many times its
# data's grid, plus FAR_SLACK cells, before the cells beyond the data are left out: a
# stray cell at XFD20000 would otherwise make the reader a grid of 327 million cells.
FAR_RATIO, FAR_SLACK = 4, 1_000_000


def read_workbook(path: Path, holds: str, profile: Profile,
                  wanted: tuple[str, ...]) -> "list[Extract | Skipped]":
    """Return the Extract of each sheet read, then a Skipped for each sheet passed over
    (hidden, its header not recognised, or of another kind); raise DataError when no
    sheet holds an extract of any known kind. `holds`: what filetype found the file to
    be (filetype.XLSX, XLS or ODS)."""
    from iro_stats import xlsxscan

    where = str(path)
    if path.stat().st_size == 0:
        raise empty(where)
    parts = xlsxscan.Workbook(path, holds == filetype.XLSX) if holds != filetype.XLS \
        else None
    try:
        if holds == filetype.ODS:
            _refuse_far(where, parts.ods_scans())
        workbook = _open(path, holds)
        return _read_sheets(path, workbook, parts, profile, wanted)
    finally:
        if parts is not None:
            parts.close()


def _open(path: Path, holds: str, data: bytes | None = None):
    """Return the python-calamine workbook of the file (or of `data`, its bytes with
    far cells left out)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    where = str(path)
    try:
        if data is None and filetype.named(path) == holds:
            return CalamineWorkbook.from_path(str(path))
        # Named for another format: python-calamine goes by the name, so it is given
        # the bytes, whose first bytes it goes by.
        return CalamineWorkbook.from_filelike(io.BytesIO(data or path.read_bytes()))
    except PasswordError:
        raise filetype.password_protected(where)
    except (CalamineError, OSError, ValueError) as exc:
        raise DataError(f"{where}: cannot be read as a workbook ({_short(exc)}); "
                        "open it in Excel and save it again as .xlsx")


def _read_sheets(path: Path, workbook, parts, profile: Profile,
                 wanted: tuple[str, ...]) -> "list[Extract | Skipped]":
    from python_calamine import SheetVisibleEnum

    where = str(path)
    names = [m.name for m in workbook.sheets_metadata]
    hidden = {m.name for m in workbook.sheets_metadata
              if m.visible != SheetVisibleEnum.Visible}
    if profile.sheets:
        missing = [s for s in profile.sheets if s not in names]
        if len(missing) == len(profile.sheets):
            listed = ", ".join(f"'{s}'" for s in names) or "none"
            asked = " or ".join(f"'{s}'" for s in missing)
            raise DataError(f"{where}: no sheet {asked} (sheets: {listed}); check the "
                            "sheet's name", option="sheet")
    read: list[Extract] = []
    passed: list[Skipped] = []
    problems: list[str] = []
    partial: DataError | None = None
    for name in names:
        if profile.sheets and name not in profile.sheets:
            continue
        if not profile.sheets and name in hidden:
            passed.append(Skipped(where, name, None, 0, "it is hidden"))
            continue
        try:
            found = _read_sheet(path, workbook, parts, name, profile, wanted)
        except _Passed as exc:
            passed.append(Skipped(where, name, None, 0, exc.why))
            partial = partial or exc.partial
            continue
        except _Unreadable as exc:
            problems.append(f"sheet '{name}' unreadable ({exc})")
            continue
        (read if isinstance(found, Extract) else passed).append(found)
    if read and profile.sheets and missing:
        read[0].info.notes.append(
            f"note: {where}: no sheet {' or '.join(repr(s) for s in missing)} (sheets: "
            f"{', '.join(repr(s) for s in names)}); the other sheets named were read")
    if read or any(s.kind for s in passed):
        return [*read, *passed]
    if partial is not None:
        raise partial
    sheets = ", ".join(f"'{s}'" for s in names) or "none"
    detail = f"; {'; '.join(problems)}" if problems else ""
    if len(wanted) == 1:
        kind = kinds()[wanted[0]]
        raise DataError(f"{where}: no sheet has a header row with {kind.identified_by()} "
                        f"columns (sheets: {sheets}){detail}; check this is {_a(kind.about)}, "
                        "or map its columns in a profile", option="profile")
    looked, check = _looked_for(wanted)
    raise DataError(f"{where}: no sheet has a header row of an extract read here (sheets: "
                    f"{sheets}){detail}; looked for {looked}; check {check}, or map its "
                    "columns in a profile", option="profile")


class _Unreadable(Exception):
    """A sheet the reader cannot read (its message says why)."""


class _Passed(Exception):
    """A sheet whose header is not recognised: why, as the note passing it over says,
    and the error naming a header's missing column when a row was nearly a header."""

    def __init__(self, why: str, partial: DataError | None = None):
        super().__init__(why)
        self.why, self.partial = why, partial


def _read_sheet(path: Path, workbook, parts, name: str, profile: Profile,
                wanted: tuple[str, ...]) -> "Extract | Skipped":
    """Return one sheet's Extract, or Skipped when its header names another kind; raise
    NoHeader when no header is recognised."""
    from python_calamine import CalamineError

    where = str(path)
    scan = parts.scan(name) if parts is not None and name in parts.sheets else None
    notes = []
    if scan is not None and _far(scan):
        data, first, corner = parts.without_far_cells(name)
        if first:
            workbook = _open(path, filetype.XLSX, data)
            notes.append(f"warning: {where}: sheet '{name}': cell {first} and any others "
                         f"far outside the data (A1:{corner}) were left out")
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows = iter(sheet.iter_rows())
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    except (CalamineError, ValueError) as exc:
        raise _Unreadable(_short(exc))
    try:
        header = _find_header(head, profile, f"{where} sheet '{name}'", wanted)
    except NoHeader:
        raise _Passed(_first_row(head))
    except DataError as exc:  # a row naming some fields, not all: a summary, perhaps
        raise _Passed(_first_row(head), exc)
    index, columns = header.index, header.columns
    if header.kind not in wanted:
        return Skipped(where, name, header.kind, index + 1)
    info = FileInfo(path=where, kind=header.kind, format="excel", sheet=name,
                    header_row=index + 1,
                    columns={f: cell_text(head[index][c]) for f, c in columns.items()},
                    notes=notes)
    try:
        found = _needed_columns(itertools.chain(head[index + 1:], rows),
                                sorted(set(columns.values())))
    except (CalamineError, ValueError) as exc:
        raise DataError(f"{where}: sheet '{name}' cannot be read to the end "
                        f"({_short(exc)}); open it in Excel and save it again as .xlsx")
    # Cell (row, column) numbers as the sheet's XML gives them: the reader's rows begin
    # at row 1, its columns at the first one holding anything.
    left = (sheet.start or (0, 0))[1]
    first = index + 2
    kind = kinds()[header.kind]
    flagged: dict[int, dict[int, str]] = {}  # position among the data rows -> col -> what
    for (row, column), what in (scan.flagged.items() if scan else ()):
        at = column - 1 - left
        if at in found and row >= first and row - first < len(found[at]):
            found[at][row - first] = what  # the error, kept as the cell's text
            flagged.setdefault(row - first, {})[at] = what
    for f, c in columns.items():
        cells = found[c]
        if kind.field(f).value == "id":
            for i in _booleans(cells):
                flagged.setdefault(i, {})[c] = "TRUE" if cells[i] else "FALSE"
                cells[i] = flagged[i][c]
        elif kind.field(f).value == "date" and parts is not None and parts.date1904:
            _serials_1904(cells)
    extract = _extract({f: found[columns[f]] for f in _ordered(columns, header.kind)},
                       first, info)
    if flagged:
        _unusable(extract, flagged, first, {c: info.columns[f] for f, c in columns.items()})
    return extract


def _far(scan: "SheetScan") -> bool:
    """Return whether the sheet's cells reach so far beyond its data that the reader's
    grid of them would be many times the data's."""
    return scan.rows * scan.columns > FAR_RATIO * scan.cells + FAR_SLACK


def _refuse_far(where: str, scans: "dict[str, SheetScan]") -> None:
    """Refuse an .ods file a table of which has cells far outside its data: the reader
    would make a grid of them all (a stray cell at XFD6000 took 6 GB), and its cells,
    which have no addresses, are not left out here as an .xlsx file's are."""
    from iro_stats.xlsxscan import column_letters

    for name, scan in scans.items():
        if _far(scan):
            raise DataError(f"{where}: sheet '{name}' has cells far outside its data (as far "
                            f"as {column_letters(scan.columns)}{scan.rows}); delete them, or "
                            "save the data alone as .xlsx, and read that")


def _booleans(cells: "np.ndarray") -> list[int]:
    """Return the positions of TRUE and FALSE cells."""
    return [i for i, v in enumerate(cells) if v is True or v is False]


def _serials_1904(cells: "np.ndarray") -> None:
    """Turn the plain numbers of a date column, in a workbook that counts days from
    1904, into dates (dates.py reads a number as a day counted from 1900)."""
    for i, v in enumerate(cells):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 2_958_466:
            cells[i] = EPOCH_1904 + dt.timedelta(days=int(v))


def _unusable(extract: Extract, flagged: dict, first: int, headers: dict[int, str]) -> None:
    """Record the data rows a flagged cell makes unusable, each with what is wrong
    ("#N/A in Reason, row 14"); rows dropped as blank or footers are not data rows."""
    import numpy as np

    for position, cells in flagged.items():
        row = first + position
        at = int(np.searchsorted(extract.rows, row))
        if at < len(extract.rows) and extract.rows[at] == row:
            extract.unusable[at] = "; ".join(f"{what} in {headers[c]}, row {row}"
                                             for c, what in sorted(cells.items()))


def _first_row(head: list) -> str:
    """Return why a sheet was passed over, with its first filled row for the analyst to
    recognise it by."""
    for row in head:
        cells = [cell_text(v) for v in row if cell_text(v)]
        if cells:
            return f"no header row found (its first row: {', '.join(cells[:8])})"
    return "no header row found (it is empty)"


def _needed_columns(records: "Iterable[Sequence]", needed: list[int]) -> dict:
    """Return column index -> numpy object array of the cells in each needed column (a
    short record padded with ''), keeping no other cell."""
    import numpy as np

    width = max(needed) + 1
    pick = operator.itemgetter(*needed) if len(needed) > 1 else \
        (lambda r, c=needed[0]: (r[c],))

    def padded(r):
        return pick(list(r) + [""] * (width - len(r)))

    kept = [pick(r) if len(r) >= width else padded(r) for r in records]
    columns = {}
    for c, values in zip(needed, zip(*kept) if kept else [() for _ in needed]):
        cells = np.empty(len(values), dtype=object)
        cells[:] = values
        columns[c] = cells
    return columns


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
