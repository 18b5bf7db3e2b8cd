"""What an .xlsx workbook's parts hold, looked at before the spreadsheet reader sees
them: how far each sheet's cells really reach, which cells hold an error (#N/A, #REF!)
or a formula Excel never worked out, and which date system the workbook counts in.

python-calamine (the reader) holds a sheet as a dense grid from A1 to its farthest cell,
so one stray cell at XFD1048576 asks it for half a terabyte; it reads error cells and
formulas without a value as empty text, like a blank cell; and it gives plain numbers
as numbers, whatever the date system. One streamed pass over each sheet's XML (about a
fifth of the reader's own time) finds all three; a sheet whose cells reach far beyond
its data is given to the reader without the far cells. Every part is refused past
PART_LIMIT unpacked, so a small file cannot expand to gigabytes."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from iro_stats.errors import DataError

PART_LIMIT = 512 << 20  # bytes a workbook part may unpack to (a million-row sheet: ~150 MB)
CHUNK = 1 << 20
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_FAR = re.compile(rb'<c r="([A-Z]{2,3})\d')
_ROW = re.compile(rb'<row r="(\d+)"')
_DIMENSION = re.compile(rb"<dimension [^>]*/>")
_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')
_REF_COLUMN = re.compile(rb'<c r="([A-Z]+)')
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v>([^<]+)</v>")
NO_VALUE = "a formula with no value"


@dataclass
class SheetScan:
    """What one sheet's cells hold that the reader does not say."""

    rows: int = 0  # the farthest row and column any cell reaches (1-based)
    columns: int = 0
    cells: int = 0  # how many cells the sheet's XML holds
    flagged: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column),
    # 1-based -> the error ("#N/A") or NO_VALUE


def column_number(letters: bytes | str) -> int:
    """Return a column's number from its letters: A -> 1, XFD -> 16384."""
    number = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    """Return a column's letters from its number: 1 -> A."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Workbook:
    """An .xlsx file's parts, checked for size, with each sheet's part and its scan."""

    def __init__(self, path: Path, xlsx: bool = True):
        """Open the workbook and refuse a part declared past PART_LIMIT; `xlsx` False
        for an .ods file, whose parts are checked for size alone."""
        self.path = path
        self.where = str(path)
        try:
            self.archive = zipfile.ZipFile(path)
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise DataError(f"{self.where}: cannot be read as a workbook ({exc}); open it "
                            "in Excel and save it again as .xlsx")
        for info in infos:
            if info.file_size > PART_LIMIT:
                raise self._too_big(info.filename)
        self.parts = {info.filename for info in infos}
        self.date1904 = xlsx and self._date1904()
        self.sheets = self._sheet_parts() if xlsx else {}
        self.shared_strings_checked()

    def close(self) -> None:
        self.archive.close()

    def _too_big(self, part: str) -> DataError:
        return DataError(f"{self.where}: its part {part} unpacks to more than "
                         f"{PART_LIMIT >> 20} MB, more than any extract needs; open it in "
                         "Excel, delete what is not the extract, and save it again")

    def read(self, part: str) -> bytes:
        """Return a part's bytes, refused past PART_LIMIT however its size is declared."""
        out = io.BytesIO()
        for chunk in self._chunks(part):
            out.write(chunk)
        return out.getvalue()

    def _chunks(self, part: str):
        done = 0
        try:
            with self.archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    done += len(chunk)
                    if done > PART_LIMIT:
                        raise self._too_big(part)
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise DataError(f"{self.where}: its part {part} is damaged ({exc}); open it in "
                            "Excel and save it again as .xlsx")

    def _date1904(self) -> bool:
        """Return whether the workbook counts dates from 1904 (Excel for Mac's old
        default) rather than 1900."""
        if "xl/workbook.xml" not in self.parts:
            return False
        head = self.read("xl/workbook.xml")
        found = re.search(rb'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"', head)
        return found is not None

    def _sheet_parts(self) -> dict[str, str]:
        """Return sheet name -> the part holding its cells, from the workbook's lists."""
        import xml.etree.ElementTree as ET

        try:
            book = ET.fromstring(self.read("xl/workbook.xml"))
            rels = ET.fromstring(self.read("xl/_rels/workbook.xml.rels"))
        except (KeyError, ET.ParseError):
            return {}
        target = {r.get("Id"): r.get("Target", "") for r in rels}
        parts = {}
        for sheet in book.iter(f"{{{MAIN}}}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            name = target.get(rid, "").lstrip("/")
            name = name if name.startswith("xl/") else f"xl/{name}"
            if name in self.parts:
                parts[sheet.get("name")] = name
        return parts

    def ods_scans(self) -> dict[str, SheetScan]:
        """Return, for each table of an .ods file, how far its cells reach and how many
        hold anything (its cells have no addresses: empty ones are counted in repeats)."""
        import xml.etree.ElementTree as ET

        table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
        office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
        found: dict[str, SheetScan] = {}
        scan, row = SheetScan(), 0
        try:
            with self.archive.open("content.xml") as stream:
                for event, elem in ET.iterparse(_Limited(stream, self), ("start", "end")):
                    if event == "start":
                        if elem.tag == f"{table}table":
                            scan, row = SheetScan(), 0
                            found[elem.get(f"{table}name", "")] = scan
                        continue
                    if elem.tag == f"{table}table-row":
                        repeat = int(elem.get(f"{table}number-rows-repeated", "1"))
                        column = 0
                        for cell in elem:
                            times = int(cell.get(f"{table}number-columns-repeated", "1"))
                            if len(cell) or cell.get(f"{office}value-type"):
                                scan.cells += times * repeat
                                scan.columns = max(scan.columns, column + times)
                                scan.rows = max(scan.rows, row + repeat)
                            column += times
                        row += repeat
                        elem.clear()
        except (KeyError, ET.ParseError, ValueError):
            return {}  # the reader says what is wrong with it
        return found

    def shared_strings_checked(self) -> None:
        """Refuse shared strings that unpack past PART_LIMIT (the reader holds them all)."""
        for part in self.parts:
            if part.lower().endswith("sharedstrings.xml"):
                for _ in self._chunks(part):
                    pass

    def scan(self, sheet: str) -> SheetScan:
        """Return how far the sheet's cells reach and its error and unworked cells."""
        found = SheetScan()
        part = self.sheets.get(sheet)
        if part is None:
            return found
        for block in self._rows_blocks(part):
            last = block.rfind(b'<row r="')
            if last >= 0:
                row = _ROW.match(block, last)
                if row:
                    found.rows = max(found.rows, int(row[1]))
            found.cells += block.count(b"<c ")
            for letters in set(_FAR.findall(block)):
                found.columns = max(found.columns, column_number(letters))
            if b't="e"' in block or b"<f" in block:
                _flag(block, found.flagged)
        found.columns = max(found.columns, 26 if found.rows else 0)
        return found

    def _rows_blocks(self, part: str):
        """Yield the sheet's XML in blocks of whole rows."""
        carry = b""
        for chunk in self._chunks(part):
            block = carry + chunk
            end = block.rfind(b"</row>")
            if end < 0:
                carry = block
                continue
            end += len(b"</row>")
            yield block[:end]
            carry = block[end:]
        if carry:
            yield carry

    def without_far_cells(self, sheet: str) -> tuple[bytes, str, str]:
        """Return the workbook's bytes with the sheet's cells beyond its data left out,
        the first cell left out ("XFD20000", or "" when none is) and the data's far
        corner ("C4"). The data are the columns from A to the last that more than one
        cell fills, and the rows from 1 to the last with more than one cell in them."""
        part = self.sheets[sheet]
        columns: dict[bytes, int] = {}  # column letters -> cells in it
        for block in self._rows_blocks(part):
            for letters in _REF_COLUMN.findall(block):
                columns[letters] = columns.get(letters, 0) + 1
        keep = max((column_number(c) for c, n in columns.items() if n > 1), default=1)
        per_row: dict[int, int] = {}  # row -> cells in it among those columns (a second
        # pass, so that no list of every cell is held)
        for block in self._rows_blocks(part):
            for letters, row in _REF.findall(block):
                if column_number(letters) <= keep:
                    per_row[int(row)] = per_row.get(int(row), 0) + 1
        rows = max((r for r, n in per_row.items() if n > 1), default=max(per_row, default=1))
        corner = f"{column_letters(keep)}{rows}"
        first: list[str] = []

        def cell(match):
            if column_number(match[1]) <= keep and int(match[2]) <= rows:
                return match[0]
            if not first:
                first.append(f"{match[1].decode()}{match[2].decode()}")
            return b""

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in self.archive.infolist():
                if info.filename != part:
                    copy.writestr(info, self.read(info.filename))
                    continue
                with copy.open(info.filename, "w", force_zip64=True) as target:
                    for n, block in enumerate(self._rows_blocks(part)):
                        if n == 0:  # the range the sheet declares: the reader may trust it
                            block = _DIMENSION.sub(b"", block, count=1)
                        target.write(_CELL.sub(cell, block))
        return out.getvalue(), (first[0] if first else ""), corner


class _Limited:
    """A part's stream, refused past PART_LIMIT unpacked (for a parser that reads it)."""

    def __init__(self, stream, book: Workbook):
        self.stream, self.book, self.done = stream, book, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size if size and size > 0 else CHUNK)
        self.done += len(chunk)
        if self.done > PART_LIMIT:
            raise self.book._too_big("content.xml")
        return chunk


def _flag(block: bytes, flagged: dict[tuple[int, int], str]) -> None:
    """Record the cells in a block of rows that hold an error or an unworked formula."""
    for letters, row, attributes, inner in _CELL.findall(block):
        inner = inner or b""
        if b't="e"' in attributes:
            value = _VALUE.search(inner)
            flagged[(int(row), column_number(letters))] = \
                value[1].decode("utf-8", "replace") if value and value[1] else "#VALUE!"
        elif b"<f" in inner and not (_VALUE.search(inner) or b"<is>" in inner):
            flagged[(int(row), column_number(letters))] = NO_VALUE
