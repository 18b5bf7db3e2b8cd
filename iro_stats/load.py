"""Extract files -> raw rows in canonical columns, each with its origin (file, sheet, row)."""

from __future__ import annotations

import codecs
import datetime as dt
import csv
import importlib
import io
import itertools
import operator
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from iro_stats.errors import DataError, UsageError
from iro_stats.schema import ESCALATIONS, Profile, kinds, normalise_header

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CSV_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES
HEADER_SEARCH_ROWS = 30
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
    # Field -> one cell per data row, as read: pandas text (CSV) or Python objects
    # (workbook cells: str, float, int, datetime, None). Fields the header does not
    # name are absent.
    cells: dict[str, object]
    rows: "np.ndarray"  # each data row's row number in the file or sheet (int64)
    # Field -> (codes, distinct cells, the column) of text columns pyarrow has encoded
    # already (to find blank rows), for cleaning to reuse rather than encode again.
    encoded: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self) -> "pd.DataFrame":
        """Return the data rows as a DataFrame: a column per field named, then `row`."""
        import pandas as pd

        frame = pd.DataFrame(dict(self.cells), index=range(len(self.rows)))
        frame["row"] = self.rows
        return frame


@dataclass(frozen=True)
class Skipped:
    """A file or sheet whose header names another kind of extract than those asked for."""

    path: str
    sheet: str | None
    kind: str
    header_row: int

    def describe(self) -> str:
        """Return one line saying what it is and which command reads it."""
        kind = kinds()[self.kind]
        where = f"sheet '{self.sheet}' is " if self.sheet else ""
        return (f"{self.path}: {where}{_a(kind.about)} (header on row {self.header_row}), "
                f"read by 'iro-stats {kind.read_by}'")


@dataclass
class Reading:
    """What read_extracts found: the extracts of the kinds asked for, in the order of
    the paths given, and the files of other kinds it skipped in folders."""

    extracts: list[Extract]
    skipped: list[Skipped]


def read_extracts(paths: list[str | Path], wanted: tuple[str, ...] = (ESCALATIONS,),
                  profile: Profile | None = None) -> Reading:
    """Return the extracts of the wanted kinds in the files named (a folder stands for
    the extract files in it, in name order), each with its FileInfo.

    A file in a folder whose header names another known kind is skipped (and listed in
    the Reading); one named on its own is an error saying which command reads it. So is
    a file whose kind cannot be told, or a set of files with no extract of the kinds
    wanted."""
    profile = profile or Profile()
    reading = Reading([], [])
    for path, named in _files(paths):
        found = read_extract(path, profile, wanted)
        if isinstance(found, Extract):
            reading.extracts.append(found)
        elif named:
            raise DataError(f"{found.describe()}, not by this command; give it to that "
                            "command instead")
        else:
            reading.skipped.append(found)
    if not reading.extracts:
        asked = " or ".join(kinds()[k].about for k in wanted)
        raise DataError(f"{reading.skipped[0].path}: no {asked} among the files given, "
                        "only files other commands read ("
                        + "; ".join(s.describe() for s in reading.skipped) + ")")
    return reading


def _a(text: str) -> str:
    """Return text after "a" or "an", as a sentence puts it."""
    return f"{'an' if text[:1] in 'aeiouAEIOU' else 'a'} {text}"


def _files(paths: list[str | Path]) -> list[tuple[Path, bool]]:
    """Return (file, whether it was named on its own) for each file the paths give, a
    directory standing for its extract files in name order."""
    files: list[tuple[Path, bool]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir()
                            if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith(("~$", ".")))
            if not inside:
                raise UsageError(f"{path}: no .csv, .xlsx, .xlsm, .xls or .ods files in this "
                                "folder; name the extract files instead")
            files.extend((p, False) for p in inside)
        elif not path.exists():
            raise UsageError(f"{path}: no such file or folder; check the path")
        elif path.suffix.lower() not in SUFFIXES:
            raise UsageError(f"{path}: not a .csv, .xlsx, .xlsm, .xls or .ods file; "
                            "save the extract in one of those formats")
        else:
            files.append((path, True))
    return files


_importing: "threading.Thread | None" = None


def import_in_background() -> None:
    """Start importing pyarrow and pandas in a thread of their own (once per process).

    Importing them takes a third of a second, nearly all of it holding the interpreter,
    while reading a file's bytes and pyarrow's parsing of them let go of it: done side
    by side, on two cores, most of the importing is hidden. Code needing either module
    imports it as usual; while this thread is still at it, Python's import lock makes
    that import wait for it and return the same module."""
    global _importing
    if _importing is not None:
        return

    def load():
        # In the order the main thread first needs them: pyarrow to parse a CSV, then
        # pandas to hold the result.
        for name in ("numpy", "pyarrow", "pyarrow.csv", "pyarrow.compute", "pandas"):
            try:
                importlib.import_module(name)
            except Exception:  # the main thread's own import will say what is wrong
                return

    _importing = threading.Thread(target=load, name="iro-stats-imports", daemon=True)
    _importing.start()


def read_extract(path: Path, profile: Profile,
                 wanted: tuple[str, ...] = (ESCALATIONS,)) -> "Extract | Skipped":
    """Return the data rows of one extract file of a wanted kind, its header found by
    its column names; or, when its header names another kind, what it is (Skipped)."""
    if path.suffix.lower() in CSV_SUFFIXES:
        return _read_csv(path, profile, wanted)
    return _read_excel(path, profile, wanted)


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
                        "name the column with --profile")
    looked, check = _looked_for(wanted)
    raise NoHeader(f"{where}: no header row found in the first {HEADER_SEARCH_ROWS} rows "
                   f"(looked for {looked}); check {check}, or map its columns with --profile")


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


def _frame(records: list[list[object]] | "pd.DataFrame", first_row: int, columns: dict,
           info: FileInfo) -> Extract:
    """Return an Extract of data records, dropping blank and footer rows with a count."""
    import pandas as pd

    if isinstance(records, pd.DataFrame):
        frame = records
    else:
        width = max(columns.values()) + 1
        frame = pd.DataFrame([r[:width] + [""] * (width - len(r)) for r in records],
                             columns=range(width), dtype=object) if records else \
            pd.DataFrame(columns=range(width), dtype=object)
    frame = frame[[columns[name] for name in columns]]
    frame.columns = list(columns)
    frame = frame.reset_index(drop=True)
    frame["_row"] = range(first_row, first_row + len(frame))
    cells = frame[list(columns)]
    encoded = _encode_all(cells)
    if encoded is not None:
        # Blank is looked at once per distinct cell, as in _filled, and row by row only
        # in the columns that have a blank cell at all (in most, none is).
        import numpy as np

        blank_in = {}
        for name in columns:
            codes, values, _ = encoded[name]
            blank_value = _blank_values(values)
            if blank_value.any():
                blank_in[name] = blank_value.astype(bool)[codes]
        n_blank = sum(blank_in.values(), np.zeros(len(frame), dtype=np.int64))
        n_filled = pd.Series(len(columns) - n_blank, index=frame.index)
        filled = None
    else:
        filled = cells.apply(_filled)
        n_filled = filled.sum(axis=1)
    blank = n_filled == 0
    footer = pd.Series(False, index=frame.index)
    lone = n_filled == 1
    if lone.any():
        if filled is None:
            filled = pd.DataFrame({name: ~blank_in[name] if name in blank_in else
                                   np.ones(len(frame), dtype=bool) for name in columns},
                                  index=frame.index)
        lone_text = cells[lone].where(filled[lone]).bfill(axis=1).iloc[:, 0].astype(str)
        footer[lone] = lone_text.str.match(FOOTER)
    info.blank_rows = int(blank.sum())
    info.footer_rows = int(footer.sum())
    if info.blank_rows or info.footer_rows:
        frame = frame[~(blank | footer)].reset_index(drop=True)
    info.rows_read = len(frame)
    # Codes of rows since dropped would leave cells in the distinct values that are in
    # no row: then cleaning encodes the columns afresh.
    dropped = info.blank_rows or info.footer_rows
    return Extract(info, {name: frame[name] for name in columns},
                   frame["_row"].to_numpy(dtype="int64"),
                   encoded if encoded and not dropped else {})


def encode_text(column: "pd.Series") -> tuple:
    """Return (codes as int32, distinct cells, the column) of a pyarrow text column,
    dictionary-encoded by pyarrow; a missing cell is a value of its own, not -1."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    original = pa.chunked_array(column.array._pa_array) \
        if hasattr(column.array, "_pa_array") else pa.chunked_array([pa.array(column)])
    encoded = pc.dictionary_encode(original, null_encoding="encode")
    chunks = encoded.chunks
    dictionary = chunks[-1].dictionary if chunks else pa.array([], pa.large_string())
    indices = [c.indices.to_numpy(zero_copy_only=False) for c in chunks]
    codes = (np.concatenate(indices) if len(indices) != 1 else indices[0]) \
        .astype(np.int32, copy=False) if indices else np.zeros(0, dtype=np.int32)
    return codes, dictionary, original


def _encode_all(cells: "pd.DataFrame") -> "dict | None":
    """Return field -> encode_text of every column when all are pyarrow text with no
    missing cell (as _arrow_body reads them), else None. Two columns are encoded at
    once: pyarrow lets go of the interpreter while it encodes."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    import pandas as pd

    names = list(cells.columns)
    if not len(cells) or not all(
            isinstance(cells[n].dtype, pd.StringDtype) and cells[n].dtype.storage == "pyarrow"
            and not cells[n].hasnans for n in names):
        return None
    with ThreadPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1)) as pool:
        return dict(zip(names, pool.map(lambda n: encode_text(cells[n]), names)))


def _blank_values(values) -> "np.ndarray":
    """Return, for each text of a pyarrow array, 1 where it is blank, else 0."""
    import numpy as np
    import pyarrow.compute as pc

    blank = pc.or_(pc.equal(pc.binary_length(values), 0), pc.utf8_is_space(values))
    return blank.to_numpy(zero_copy_only=False).astype(np.int8)


def _filled(column: "pd.Series") -> "pd.Series":
    """Return True where a raw cell holds something other than blanks."""
    import pandas as pd

    if column.dtype == object:
        # Each distinct cell is looked at once; pandas' missing values (None, NaN, NaT)
        # are the cells that are not equal to themselves, and are blank.
        import numpy as np

        codes, distinct = pd.factorize(column)
        blank = np.fromiter((isinstance(v, str) and not v.strip() for v in distinct),
                            dtype=bool, count=len(distinct))
        return pd.Series((codes >= 0) & ~blank[np.maximum(codes, 0)] if len(distinct)
                         else np.zeros(len(codes), dtype=bool), index=column.index)
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow" \
            and not column.hasnans:
        # As `.str.strip() != ""` (pyarrow's trim and is_space agree on what is blank)
        # without making a stripped copy of every cell.
        import pyarrow as pa
        import pyarrow.compute as pc

        cells = pa.array(column.array)
        blank = pc.or_(pc.equal(pc.binary_length(cells), 0), pc.utf8_is_space(cells))
        return pd.Series(~blank.to_numpy(zero_copy_only=False), index=column.index)
    return column.astype(str).str.strip() != ""


# --- CSV --------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for CSV bytes: UTF-8 (with or without BOM), else
    Windows-1252, else Latin-1, which reads any byte, so decoding never fails."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    for codec, name in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "Latin-1"


def _read_csv(path: Path, profile: Profile, wanted: tuple[str, ...]) -> "Extract | Skipped":
    where = str(path)
    data = _read_bytes(path)
    blanks = b" \t\r\n\x1a"
    if not data[:4096].strip(blanks) and not data.strip(blanks):
        raise DataError(f"{where}: the file is empty; export the report again")
    end = len(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if len(data) % 2 and data.endswith(b"\x1a"):  # a one-byte DOS end-of-file mark
            data = data[:-1]
        # errors="replace": a file cut short mid-character still reads, up to the cut.
        text, encoding = data.decode("utf-16", errors="replace"), "UTF-16"
    elif b"\x00" in data[:8192]:
        raise DataError(f"{where}: this is not a text CSV file (it holds binary data); "
                        "export the report as CSV or Excel again")
    elif not data.startswith(codecs.BOM_UTF8) and _is_utf8(data):
        # Read where it lies: only the head and the tail are ever decoded to text.
        text, encoding = None, "UTF-8"
        while end and data[end - 1] == 0x1A:  # a DOS end-of-file mark after the last line
            end -= 1
    else:
        text, encoding = decode(data)
    if text is not None:
        text = text.rstrip("\x1a")  # a DOS end-of-file mark after the last line
    head_text = text if text is not None else data[:_head_end(data, end)].decode("utf-8")
    head = _head_records(head_text)
    header = _find_header([r for r, _ in head], profile, where, wanted)
    index, columns = header.index, header.columns
    if header.kind not in wanted:
        return Skipped(where, None, header.kind, index + 1)
    info = FileInfo(path=where, kind=header.kind, format="csv", encoding=encoding,
                    header_row=index + 1)
    info.columns = {name: str(head[index][0][col]).strip() for name, col in columns.items()}
    width = max(len(head[index][0]), max(columns.values()) + 1)
    start = head[index][1]
    if text is None:
        raw, raw_start, raw_end = data, len(head_text[:start].encode("utf-8")), end
    else:
        raw = text.encode("utf-8")
        raw_start, raw_end = len(text[:start].encode("utf-8")), len(raw)
    frame = _arrow_body(raw, raw_start, raw_end, width, sorted(set(columns.values())))
    del raw  # parsed: let go of it before the frame is cleaned
    if frame is None:
        if text is None:
            text = data[:end].decode("utf-8")
        body = text[start:]
        import pandas as pd

        try:
            with warnings.catch_warnings():
                # Cells past the header's last column are dropped, as meant: they name
                # no field. pandas' warning about it is not for the analyst.
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                frame = pd.read_csv(io.StringIO(body), header=None, names=range(width),
                                    dtype=str, keep_default_na=False, na_filter=False,
                                    skip_blank_lines=False, index_col=False)
        except (pd.errors.ParserError, ValueError):
            # Ragged or truncated rows: the csv module takes what pandas' parser refuses.
            frame = _ragged(body, width)
        del body
    del data, text
    return _frame(frame, index + 2, columns, info)


def _is_utf8(data: bytes) -> bool:
    """Return whether the bytes are valid UTF-8, without making a copy of them as text."""
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for at in range(0, len(data), 1 << 20):
            decoder.decode(view[at:at + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_NEWLINE_BYTES = re.compile(rb"\r\n?|\n")


def _head_end(data: bytes, end: int) -> int:
    """Return where the first HEADER_SEARCH_ROWS lines of the bytes end, as _lines
    splits them."""
    at = 0
    for _ in range(HEADER_SEARCH_ROWS):
        newline = _NEWLINE_BYTES.search(data, at, end)
        if newline is None:
            return end
        at = newline.end()
    return at


TAIL_SEARCH_LINES = 100
TAIL_WINDOW = 1 << 20  # bytes at the end of a file looked at for blank lines and a footer


def _arrow_body(raw: bytes, start: int, end: int, width: int,
                needed: list[int]) -> "pd.DataFrame | None":
    """Return the needed columns of the records in raw[start:end] (UTF-8, after the
    header), read by pyarrow's multi-threaded parser where they lie, or None where it
    could read them differently from pandas' parser (any row of another width, an
    unclosed quote), which then reads them.

    Blank lines and lone cells (a footer) at the end are read by the csv module and
    added, so that a footer does not cost the fast path."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None

    window = max(start, end - TAIL_WINDOW)
    if window > start:  # begin the window at a line's start
        newline = _NEWLINE_BYTES.search(raw, window, end)
        window = newline.end() if newline else end
    last = raw[window:end].decode("utf-8", errors="replace")
    tail_at = _tail_start(last, 0, width)
    tail = [(r + [""] * width)[:width]
            for r in csv.reader(io.StringIO(last[tail_at:], newline=""))] \
        if tail_at < len(last) else []
    body_end = window + len(last[:tail_at].encode("utf-8"))
    body = memoryview(raw)[start:body_end]
    quotes = raw.count(b'"', start, body_end) if raw.find(b'"', start, body_end) >= 0 else 0
    if quotes % 2:  # an unclosed quote: pandas and pyarrow part ways on where rows end
        return None
    names = [f"c{i}" for i in range(width)]
    kept = [names[i] for i in needed]
    text_type = pa.large_string()
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(newlines_in_values=quotes > 0,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=kept, column_types={name: text_type for name in kept},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    import pandas as pd  # only now: it may still be loading (import_in_background)

    dtype = pd.StringDtype(na_value=float("nan"))
    columns = {}
    for i, name in zip(needed, kept):
        chunks = table.column(name).chunks
        if tail:
            chunks = chunks + [pa.array([r[i] for r in tail], type=text_type)]
        columns[i] = pd.Series(pa.chunked_array(chunks, type=text_type), dtype=dtype)
    return pd.DataFrame(columns)


def _tail_start(text: str, start: int, width: int) -> int:
    """Return where the trailing blank lines and lone cells (a footer) begin."""
    at = len(text)
    for _ in range(TAIL_SEARCH_LINES):
        if at <= start:
            return start
        newline = text.rfind("\n", start, at - 1)
        line_start = newline + 1 if newline >= 0 else start
        line = text[line_start:at]
        if '"' in line or line.count(",") == width - 1 or len(line) > 1000:
            return at
        at = line_start
    return at


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file; check the path")
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder; name the files in it or the folder alone")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); check it is not open "
                        "elsewhere and you may read it")


def _head_records(text: str) -> list[tuple[list[str], int]]:
    """Return the first records with the text offset just after each one."""
    records = []
    offset = 0
    for line_text in _lines(text, HEADER_SEARCH_ROWS):
        offset += len(line_text)
        try:
            cells = next(csv.reader([line_text]), [])
        except csv.Error:
            cells = [line_text]
        records.append((cells, offset))
    return records


_NEWLINE = re.compile(r"\r\n?|\n")


def _lines(text: str, count: int):
    """Yield the first `count` physical lines with their line endings: \r\n, \n, or a
    lone \r, as Excel for Mac's "CSV (Macintosh)" ends them and as both parsers read."""
    start = 0
    for _ in range(count):
        if start >= len(text):
            return
        newline = _NEWLINE.search(text, start)
        end = len(text) if newline is None else newline.end()
        yield text[start:end]
        start = end


def _ragged(body: str, width: int) -> "pd.DataFrame":
    import pandas as pd

    csv.field_size_limit(1 << 30)
    records = [(r + [""] * width)[:width] for r in csv.reader(io.StringIO(body, newline=""))]
    return pd.DataFrame(records, columns=range(width), dtype=object)


# --- Excel and OpenDocument -------------------------------------------------------

def _read_excel(path: Path, profile: Profile, wanted: tuple[str, ...]) -> "Extract | Skipped":
    """Return the first sheet whose header names a wanted kind; else the first sheet
    of another kind, as Skipped."""
    from python_calamine import CalamineError, CalamineWorkbook

    where = str(path)
    if path.stat().st_size == 0:
        raise DataError(f"{where}: the file is empty; export the report again")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise DataError(f"{where}: cannot be read as a workbook ({_short(exc)}); "
                        "open it in Excel and save it again as .xlsx")
    problems = []
    other: Skipped | None = None
    for name in workbook.sheet_names:
        try:
            rows = _sheet_rows(workbook.get_sheet_by_name(name))
            head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        except (CalamineError, ValueError) as exc:
            problems.append(f"sheet '{name}' unreadable ({_short(exc)})")
            continue
        try:
            header = _find_header(head, profile, f"{where} sheet '{name}'", wanted)
        except NoHeader:
            continue
        index, columns = header.index, header.columns
        if header.kind not in wanted:
            other = other or Skipped(where, name, header.kind, index + 1)
            continue
        info = FileInfo(path=where, kind=header.kind, format="excel", sheet=name,
                        header_row=index + 1,
                        columns={f: cell_text(head[index][c]) for f, c in columns.items()})
        try:
            frame = _needed_columns(itertools.chain(head[index + 1:], rows),
                                    sorted(set(columns.values())))
        except (CalamineError, ValueError) as exc:
            raise DataError(f"{where}: sheet '{name}' cannot be read to the end "
                            f"({_short(exc)}); open it in Excel and save it again as .xlsx")
        return _frame(frame, index + 2, columns, info)
    if other is not None:
        return other
    sheets = ", ".join(f"'{s}'" for s in workbook.sheet_names) or "none"
    detail = f"; {'; '.join(problems)}" if problems else ""
    if len(wanted) == 1:
        kind = kinds()[wanted[0]]
        raise DataError(f"{where}: no sheet has a header row with {kind.identified_by()} "
                        f"columns (sheets: {sheets}){detail}; check this is {_a(kind.about)}, "
                        "or map its columns with --profile")
    looked, check = _looked_for(wanted)
    raise DataError(f"{where}: no sheet has a header row of an extract read here (sheets: "
                    f"{sheets}){detail}; looked for {looked}; check {check}, or map its "
                    "columns with --profile")


def _sheet_rows(sheet) -> "Iterator[list]":
    """Return an iterator over a sheet's rows from its first row, each a list of cells;
    a row is made only as it is reached, so a sheet is never held whole as Python
    values."""
    if hasattr(sheet, "iter_rows"):
        return iter(sheet.iter_rows())
    return iter(sheet.to_python(skip_empty_area=False))  # python-calamine before 0.2


def _needed_columns(records: "Iterable[Sequence]", needed: list[int]) -> "pd.DataFrame":
    """Return the needed columns of the records as object columns labelled by position
    (a short record padded with ''), keeping no other cell."""
    import numpy as np
    import pandas as pd

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
    return pd.DataFrame(columns, dtype=object)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


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

