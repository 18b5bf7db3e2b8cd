"""A CSV file's bytes -> its first records (to find the header in) and the needed
columns of the rows after the header, as pyarrow text."""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import os
import re
from pathlib import Path

from iro_stats.csvlines import check_lengths, describe, runaway
from iro_stats.errors import DataError

HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")  # Excel saves CSV with ; where a comma is the decimal mark
TAIL_SEARCH_LINES = 100
TAIL_WINDOW = 1 << 20  # bytes at the end of a file looked at for blank lines and a footer
_NEWLINE_BYTES = re.compile(rb"\r\n?|\n")
_NEWLINE = re.compile(r"\r\n?|\n")


def empty(where: str) -> DataError:
    """Return the error for an extract holding nothing (no bytes, blanks, a BOM alone)."""
    return DataError(f"{where}: the file is empty; export the report again")


class CsvFile:
    """One CSV file: its bytes, their encoding, and the text decoded only where needed
    (a UTF-8 file is parsed where it lies; only its head and tail become Python text)."""

    def __init__(self, path: Path):
        self.path = where = str(path)
        data = _map(path)
        blanks = b" \t\r\n\x1a"
        if not data[:4096].strip(blanks) and not bytes(data).strip(blanks):
            raise empty(where)
        end = len(data)
        # Before any copy or decoding: a 1 GB line would otherwise be held two or three
        # times over. (A UTF-16 line end is a \n byte and a zero: found alike.)
        check_lengths(data, end, where)
        start = data[:4]
        wide = _wide(data[:4096])
        if wide:
            data = bytes(data)
            unit = 4 if "32" in wide else 2
            if len(data) % unit and data.endswith(b"\x1a"):  # a DOS end-of-file mark
                data = data[:-1]
            # errors="replace": a file cut short mid-character still reads, up to the cut.
            text, encoding = data.decode(wide, errors="replace"), f"UTF-{unit * 8}"
        elif b"\x00" in data[:8192]:
            raise DataError(f"{where}: this is not a text CSV file (it holds binary data); "
                            "export the report as CSV or Excel again")
        elif not start.startswith(codecs.BOM_UTF8) and _is_utf8(data):
            text, encoding = None, "UTF-8"
            while end and data[end - 1] == 0x1A:  # a DOS end-of-file mark after the last line
                end -= 1
        else:
            text, encoding = decode(bytes(data))
        if text is not None:
            text = text.rstrip("\x1a")  # a DOS end-of-file mark after the last line
            if not text.strip(" \t\r\n\ufeff"):  # a byte-order mark and nothing else
                raise empty(where)
            data, end = None, 0
        self.encoding = encoding
        self.notes: list[str] = []  # warnings of how its lines were read
        self._data, self._end, self._text = data, end, text
        self._head = text if text is not None else \
            data[:_head_end(data, end)].decode("utf-8")

    def delimiters(self, given: str | None) -> list[str]:
        """Return the delimiters to try the header with: the one given, else those of
        DELIMITERS the first lines hold, the most used first (a comma on a tie)."""
        if given:
            return [given]
        counts = {d: self._head.count(d) for d in DELIMITERS}
        return sorted((d for d in DELIMITERS if counts[d]), key=lambda d: -counts[d]) or [","]

    def head(self, delimiter: str = ",") -> list[tuple[list[str], int]]:
        """Return the first records, each with the text offset just after it."""
        records = []
        offset = 0
        for line_text in _lines(self._head, HEADER_SEARCH_ROWS):
            offset += len(line_text)
            try:
                cells = next(csv.reader([line_text], delimiter=delimiter), [])
            except csv.Error:
                cells = [line_text]
            records.append((cells, offset))
        return records

    def columns(self, start: int, width: int, needed: list[int], coded: set[int],
                delimiter: str = ",", first_line: int = 2) -> dict:
        """Return column index -> pyarrow text of each record after text offset `start`
        (line `first_line` of the file), for the needed columns of `width` (a short
        record padded with '', a long one cut); those in `coded` dictionary-encoded as
        they are parsed. A line whose quote runs away (csvlines) is re-read with the
        quote as an ordinary character, and named in `notes`.

        The file's bytes are let go of: call once."""
        if self._text is None:
            raw, raw_start, raw_end = self._data, len(self._head[:start].encode("utf-8")), \
                self._end
        else:
            raw = self._text.encode("utf-8")
            raw_start, raw_end = len(self._text[:start].encode("utf-8")), len(raw)
        self._data = self._text = None
        if raw.find(b'"', raw_start, raw_end) >= 0:
            fixed = runaway(raw, raw_start, raw_end, delimiter, width, self.path,
                            first_line)
            if fixed is not None:
                raw, spans = fixed
                raw_start, raw_end = 0, len(raw)
                self.notes.append(
                    f"warning: {self.path}: {describe(spans, first_line)}: a quote is not "
                    "closed where its field ends; each line read as one row, the quote as "
                    "an ordinary character")
        found = _arrow_body(raw, raw_start, raw_end, width, needed, coded, delimiter)
        if found is None:  # rows of other widths, or a quote inside a field
            text = bytes(raw[raw_start:raw_end]).decode("utf-8")
            found = _records(text, width, needed, coded, delimiter)
        return found


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


def _wide(head: bytes) -> str | None:
    """Return the codec of text in UTF-32 or UTF-16, told by its byte-order mark or, with
    none, by where the zero bytes of its (mostly ASCII) characters fall; else None."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    size = len(head) // 4 * 4
    if size < 4 or head.count(0) < size // 3:
        return None
    zero = [head[i:size:4].count(0) * 4 > size * 0.9 for i in range(4)]  # per place in 4
    for codec, pattern in (("utf-32-le", [False, True, True, True]),
                           ("utf-32-be", [True, True, True, False]),
                           ("utf-16-le", [False, True, False, True]),
                           ("utf-16-be", [True, False, True, False])):
        if zero == pattern:
            return codec
    return None


def _map(path: Path) -> "bytes | mmap.mmap":
    """Return the file's bytes, mapped into memory rather than copied (a tenth of a
    second on a 100 MB file); a file too small to map is read."""
    try:
        with open(path, "rb") as file:
            if os.fstat(file.fileno()).st_size < (1 << 16):
                return file.read()
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file; check the path")
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder; name the files in it or the folder alone")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); check it is not open "
                        "elsewhere and you may read it")


def _is_utf8(data: "bytes | mmap.mmap") -> bool:
    """Return whether the bytes are valid UTF-8, without making a copy of them as text."""
    import numpy as np

    if np.frombuffer(data, dtype=np.uint8).max(initial=0) < 0x80:  # ASCII
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


def _arrow_body(raw: bytes, start: int, end: int, width: int, needed: list[int],
                coded: set[int], delimiter: str) -> "dict | None":
    """Return the needed columns of the records in raw[start:end] (UTF-8, after the
    header), read by pyarrow's multi-threaded parser where they lie, or None where it
    could read them differently from the csv module (any row of another width, an
    unclosed quote), which then reads them.

    Blank lines and lone cells (a footer) at the end are read by the csv module and
    added, so that a footer does not cost the fast path. Columns in `coded` are parsed
    straight into dictionaries, block by block on every core: a column of a few
    thousand dates then holds a number per row rather than a text, a third of the
    memory the rows would otherwise fill (and of the page faults filling it)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from iro_stats.columns import CODED, TEXT, call, text_of

    window = max(start, end - TAIL_WINDOW)
    if window > start:  # begin the window at a line's start
        newline = _NEWLINE_BYTES.search(raw, window, end)
        window = newline.end() if newline else end
    last = raw[window:end].decode("utf-8", errors="replace")
    tail_at = _tail_start(last, 0, width, delimiter)
    tail = [(r + [""] * width)[:width]
            for r in csv.reader(io.StringIO(last[tail_at:], newline=""), delimiter=delimiter)] \
        if tail_at < len(last) else []
    body_end = window + len(last[:tail_at].encode("utf-8"))
    body = memoryview(raw)[start:body_end]
    quotes = _count(raw, b'"', start, body_end) if raw.find(b'"', start, body_end) >= 0 else 0
    if quotes % 2:  # an unclosed quote: the csv module and pyarrow part ways on rows
        return None
    names = [f"c{i}" for i in range(width)]
    kept = [names[i] for i in needed]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quotes > 0,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=kept,
                column_types={name: CODED if i in coded else TEXT
                              for i, name in zip(needed, kept)},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
                check_utf8=False))  # the bytes are UTF-8: checked, or encoded so
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    columns = {}
    for i, name in zip(needed, kept):
        chunks = table.column(name).chunks
        if tail:
            text = text_of(r[i] for r in tail)
            chunks = chunks + [call("dictionary_encode", text) if i in coded else text]
        columns[i] = pa.chunked_array(chunks, type=CODED if i in coded else TEXT)
    return columns


def _count(raw, byte: bytes, start: int, end: int) -> int:
    """Return how many times a byte is in raw[start:end] (bytes or a mapped file)."""
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(raw, dtype=np.uint8)[start:end] == ord(byte)))


def _tail_start(text: str, start: int, width: int, delimiter: str) -> int:
    """Return where the trailing blank lines and lone cells (a footer) begin."""
    at = len(text)
    for _ in range(TAIL_SEARCH_LINES):
        if at <= start:
            return start
        newline = text.rfind("\n", start, at - 1)
        line_start = newline + 1 if newline >= 0 else start
        line = text[line_start:at]
        if '"' in line or line.count(delimiter) == width - 1 or len(line) > 1000:
            return at
        at = line_start
    return at


def _records(body: str, width: int, needed: list[int], coded: set[int],
             delimiter: str) -> dict:
    """Return the needed columns of the records in body, read by the csv module, which
    takes rows of any width and a quote left open (it runs to the end of the file)."""
    import pyarrow as pa

    from iro_stats.columns import CODED, TEXT, call, text_of

    csv.field_size_limit(1 << 30)
    records = [(r + [""] * width)[:width] for r in
               csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)]
    columns = {}
    for i in needed:
        text = text_of(r[i] for r in records)
        columns[i] = pa.chunked_array([call("dictionary_encode", text)], type=CODED) \
            if i in coded else pa.chunked_array([text], type=TEXT)
    return columns
