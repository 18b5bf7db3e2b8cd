"""Extract files -> the raw cells of each field, each row with its origin (file, sheet,
row): the reader every kind of extract uses, which reads a CSV file itself and a
workbook through workbook.py (what it gives: extract.py; kinds: schema.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from iro_stats.csvfile import CsvFile
from iro_stats.errors import DataError, UsageError
# Extract, FileInfo, Skipped and cell_text are imported from here by the modules that
# read extracts: the one place they come from is extract.py.
from iro_stats.extract import (Extract, FileInfo, NoHeader, Skipped, _a,  # noqa: F401
                               _extract, _find_header, _ordered, cell_text)
from iro_stats.own_files import own_file
from iro_stats.schema import ESCALATIONS, Profile, kinds

CSV_SUFFIXES = (".csv",)
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES


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
        own = None if named else own_file(path)
        if own is not None:  # iro-stats' own output in a folder: skipped, and listed
            reading.skipped.append(own)
            continue
        found = read_extract(path, profile, wanted)
        extracts = [f for f in found if isinstance(f, Extract)]
        other = [f for f in found if not isinstance(f, Extract) and f.kind]
        if named and not extracts:
            raise DataError(f"{other[0].describe()}, not by this command; give it to that "
                            "command instead")
        reading.extracts.extend(extracts)
        reading.skipped.extend(f for f in found if not isinstance(f, Extract))
    if not reading.extracts:
        other = [s for s in reading.skipped if s.kind]
        asked = " or ".join(kinds()[k].about for k in wanted)
        raise DataError(f"{other[0].path}: no {asked} among the files given, "
                        "only files other commands read ("
                        + "; ".join(s.describe() for s in other) + ")")
    return reading


def _files(paths: list[str | Path]) -> list[tuple[Path, bool]]:
    """Return (file, whether it was named on its own) for each file the paths give, a
    directory standing for its extract files in name order."""
    files: list[tuple[Path, bool]] = []
    for given in paths:
        if hasattr(given, "read_extract"):  # not a file: a database query (database.Query)
            files.append((given, True))
            continue
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


def read_extract(path: Path, profile: Profile,
                 wanted: tuple[str, ...] = (ESCALATIONS,)) -> "list[Extract | Skipped]":
    """Return the extracts of a wanted kind in one file (a workbook's sheets, each its
    own), their headers found by their column names; and what each sheet or file of
    another kind, or passed over, is (Skipped). A file is read as what its first bytes
    say it is, whatever its name says (with a note when they differ)."""
    from iro_stats import filetype

    if hasattr(path, "read_extract"):  # a database query reads itself
        return [path.read_extract(profile, wanted)]
    holds = filetype.what(path)
    if holds == filetype.CSV:
        try:
            found = [_read_csv(path, profile, wanted)]
        except NoHeader:
            if filetype.named(path) in (None, filetype.CSV):
                raise
            raise DataError(f"{path}: cannot be read as a workbook (it holds text, and no "
                            "extract's header); open it in Excel and save it again as .xlsx")
    else:
        from iro_stats.workbook import read_workbook

        found = read_workbook(path, holds, profile, wanted)
    said = filetype.note(path, holds)
    if said:
        for item in found:
            if isinstance(item, Extract):
                item.info.notes.insert(0, f"note: {said}")
    return found


# --- CSV --------------------------------------------------------------------------

def _read_csv(path: Path, profile: Profile, wanted: tuple[str, ...]) -> "Extract | Skipped":
    where = str(path)
    file = CsvFile(path)
    delimiter, head, header = _sniff(file, profile, where, wanted)
    index, columns = header.index, header.columns
    if header.kind not in wanted:
        return Skipped(where, None, header.kind, index + 1)
    info = FileInfo(path=where, kind=header.kind, format="csv", encoding=file.encoding,
                    header_row=index + 1,
                    columns={name: str(head[index][0][col]).strip()
                             for name, col in columns.items()})
    width = max(len(head[index][0]), max(columns.values()) + 1)
    kind = kinds()[header.kind]
    # Only IDs are kept as text: every other field has few distinct values in a big file.
    coded = {col for name, col in columns.items() if kind.field(name).value != "id"}
    found = file.columns(head[index][1], width, sorted(set(columns.values())), coded,
                         delimiter, index + 2)
    info.notes.extend(file.notes)
    return _extract({name: found[columns[name]] for name in _ordered(columns, header.kind)},
                    index + 2, info)


def _sniff(file: CsvFile, profile: Profile, where: str, wanted: tuple[str, ...]):
    """Return (delimiter, first records, Header): the delimiter the profile gives, else
    the first of , ; tab and | (the most used first) with which a header is found."""
    failed: DataError | None = None
    for delimiter in file.delimiters(profile.delimiter):
        head = file.head(delimiter)
        try:
            return delimiter, head, _find_header([r for r, _ in head], profile, where, wanted)
        except NoHeader as exc:
            failed = failed or exc
        except DataError as exc:  # a header with a column missing: say so, over NoHeader
            failed = exc if failed is None or isinstance(failed, NoHeader) else failed
    raise failed
