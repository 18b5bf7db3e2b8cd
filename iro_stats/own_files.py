"""Files iro-stats wrote itself, told by their header row: a folder given as input skips
them, so that a rejects file or an export saved beside the extracts is not read again as
one more extract (Northbury's folder went from 142 rows read to 284)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

PEEK = 64 * 1024  # bytes of a CSV read for its first line: a header is far shorter
# A workbook with a part (other than its sheets, read a row at a time) that would expand
# past this is not opened here: ours hold few strings (the export's cells are inline);
# the reader says what is wrong with any other.
PART_LIMIT = 16 * 1024 * 1024
PACK_CONTENTS = ("Contents", ("Sheet", "Table"))  # the monthly pack's contents sheet
# The first sheets of the workbooks iro-stats writes: the export's, the possible
# duplicates' (export.py) and the pack's.
SHEETS = ("Escalations", "Possible duplicates", PACK_CONTENTS[0])
FIRST_SHEET = re.compile(rb'<(?:\w+:)?sheet [^>]*?name="([^"]*)"')
PER_CHILD_SECOND = "Period of care start"  # after "Child ID" or "Pseudonym"


@dataclass(frozen=True)
class OwnFile:
    """A file in a folder that iro-stats wrote itself, skipped (beside load.Skipped)."""

    path: str
    what: str  # "a rejects file", "an export", ...
    sheet: str | None = None
    kind: str = "iro-stats output"  # never a kind of extract a command reads
    header_row: int = 1

    def describe(self) -> str:
        """Return one line saying which of iro-stats' files it is."""
        return f"{self.path}: written by iro-stats ({self.what})"


def _headers() -> dict[tuple[str, ...], str]:
    """Return the header rows iro-stats writes, each with what the file is: read from the
    writers' own columns, so that a column added there is known here."""
    from iro_stats.crosswalk import CROSSWALK_COLUMNS
    from iro_stats.export import ESCALATION_COLUMNS, PAIR_COLUMNS

    return {tuple(ESCALATION_COLUMNS.values()): "an export",
            tuple(PAIR_COLUMNS): "a list of possible duplicates",
            (*CROSSWALK_COLUMNS, "shown_as"): "new crosswalk rows"}


def _what(header: list[str]) -> str | None:
    """Return what file a header row (cells trimmed) belongs to, or None."""
    from iro_stats.export import REJECT_COLUMNS

    header = list(header)
    while header and not header[-1]:
        header.pop()
    known = _headers().get(tuple(header))
    if known:
        return known
    # Escalations' and reviews' rejects files share their first columns.
    if tuple(header[:6]) == tuple(REJECT_COLUMNS.values())[:6]:
        return "a rejects file"
    if header[:2] in (["Child ID", PER_CHILD_SECOND], ["Pseudonym", PER_CHILD_SECOND]):
        return "a per-child file"
    return None


def own_file(path: Path) -> OwnFile | None:
    """Return the OwnFile of a file iro-stats wrote (a rejects file, an export, a list of
    possible duplicates, new crosswalk rows, a per-child file, a monthly pack's
    workbook), told by its header; None for any other file, or one that cannot be
    read here: any error while looking is left for the reader to name."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open("rb") as handle:
                head = handle.read(PEEK).decode("utf-8-sig", errors="replace")
            first = next(csv.reader(io.StringIO(head.split("\n", 1)[0])), [])
            what = _what([cell.strip() for cell in first])
        elif suffix in (".xlsx", ".xlsm"):
            what = _workbook(path)
        else:
            return None
    except Exception:  # noqa: BLE001 - a peek: whatever is wrong, the reader says it
        return None
    return OwnFile(str(path), what) if what else None


def _workbook(path: Path) -> str | None:
    """Return what a workbook iro-stats wrote is, from its first sheet's first row (the
    monthly pack: its Contents sheet's Sheet/Table header)."""
    with zipfile.ZipFile(path) as archive:
        if any(i.file_size > PART_LIMIT for i in archive.infolist()
               if not i.filename.startswith("xl/worksheets/")):
            return None
        # Only a workbook whose first sheet bears one of the names iro-stats gives is
        # opened: opening any other (a 100,000-row extract) would cost seconds.
        named = FIRST_SHEET.search(archive.read("xl/workbook.xml")[:PEEK])
        if named is None or named[1].decode("utf-8") not in SHEETS:
            return None
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        # Columns bounded: else a sheet that does not say its extent is read through.
        rows = sheet.iter_rows(max_row=40, max_col=64, values_only=True)
        first = [_text(v) for v in next(rows, ())]
        what = _what(first)
        if what is None and sheet.title == PACK_CONTENTS[0]:
            if any(tuple(_text(v) for v in row[:2]) == PACK_CONTENTS[1] for row in rows):
                what = "a monthly pack's workbook"
        return what
    finally:
        workbook.close()


def _text(value) -> str:
    return "" if value is None else str(value).strip()
