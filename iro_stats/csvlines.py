"""A CSV file's lines, checked before they are parsed: none over LINE_LIMIT, and no quote
left open where its field ends to swallow the rows after it.

A stray quote at a field's start (`5000001,03/12/2018,"Other - see notes`) opens a
quoted field that a CSV parser runs on to the next quote, perhaps the end of the file:
every row between becomes part of one cell, and is lost without a word. Such a field
is told from a real note with a line break in it by what it swallows: a line that
holds as many delimiters as a row. The line with the stray quote is re-read with the
quote as an ordinary character, so that every line is a row read.

Both checks work on the raw bytes with numpy (a few hundredths of a second on 100 MB);
the lines themselves are looked at only where a line holds an odd number of quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iro_stats.errors import DataError

if TYPE_CHECKING:
    import numpy as np

LINE_LIMIT = 1 << 20  # bytes (or characters) in one line: more than any extract's row


def check_lengths(data, end: int, where: str) -> None:
    """Raise DataError when a line of data[:end] (bytes, a mapped file, or text) is
    longer than LINE_LIMIT, naming it. Steps a line end at a time, LINE_LIMIT at most."""
    newline, mac = ("\n", "\r") if isinstance(data, str) else (b"\n", b"\r")
    at = 0
    while end - at > LINE_LIMIT:
        found = data.rfind(newline, at, at + LINE_LIMIT + 1)
        if found < 0:  # Excel for Mac ends lines with a lone \r
            found = data.rfind(mac, at, at + LINE_LIMIT + 1)
        if found < 0:
            raise DataError(f"{where}: line {1 + _count_lines(data, at)} is over "
                            f"{LINE_LIMIT >> 20} MB long, more than any extract's row; check "
                            "this is the extract, and export it again")
        at = found + 1


def _count_lines(data, end: int) -> int:
    """Return how many line ends data[:end] holds."""
    if isinstance(data, str):
        return data.count("\n", 0, end)
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8)[:end] == 10))


def runaway(raw, start: int, end: int, delimiter: str, width: int, where: str,
            first_line: int):
    """Return (bytes, spans) with each line of raw[start:end] (UTF-8; line `first_line`
    of the file first) whose quote runs away re-written so that the quote is an
    ordinary character, and the spans of lines (first, last: 0-based among those lines)
    each such quote would have swallowed; or None when no quote runs away. A quoted
    field kept whole over LINE_LIMIT is refused, as a line would be."""
    import numpy as np

    body = np.frombuffer(raw, dtype=np.uint8)[start:end]
    quotes = np.flatnonzero(body == ord('"'))
    if not len(quotes):
        return None
    ends = np.flatnonzero(body == 10)
    if not len(ends):
        ends = np.flatnonzero(body == 13)
    if not len(ends) or ends[-1] != len(body) - 1:
        ends = np.append(ends, len(body))  # the last line, without a line end
    per_line = np.diff(np.searchsorted(quotes, ends, side="right"), prepend=0)
    odd = np.flatnonzero(per_line % 2).tolist()
    if not odd:
        return None
    starts = np.concatenate(([0], ends[:-1] + 1))
    mark = ord(delimiter)

    def line(k: int) -> str:
        return bytes(body[starts[k]:ends[k]]).decode("utf-8", errors="replace").rstrip("\r\n")

    def row_like(first: int, last: int, closing: bool) -> bool:
        """Whether any line first..last holds a row's delimiters (of the closing line,
        only those before its quote)."""
        if first > last:
            return False
        stop = ends[last]
        if closing:
            stop = starts[last] + line(last).encode("utf-8").find(b'"')
            stop = max(stop, starts[last])
        marks = np.flatnonzero(body[starts[first]:stop] == mark) + starts[first]
        per = np.bincount(np.searchsorted(ends, marks), minlength=last + 1)
        return bool(len(marks)) and int(per.max()) >= width - 1

    fixed: list[int] = []
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(odd):
        first = odd[k]
        if not _opens(line(first), delimiter):
            k += 1  # a quote inside a field: an ordinary character already
            continue
        closing = odd[k + 1] if k + 1 < len(odd) else None
        last = closing if closing is not None else len(ends) - 1
        if closing is not None and not row_like(first + 1, last, True):
            if ends[closing] - starts[first] > LINE_LIMIT:
                lines = f"{first + first_line} to {closing + first_line}"
                raise DataError(f"{where}: lines {lines} are one quoted field over "
                                f"{LINE_LIMIT >> 20} MB long, more than any extract's cell; "
                                "check this is the extract, and export it again")
            k += 2  # a quoted field with a line break in it: a note, kept whole
            continue
        fixed.append(first)
        spans.append((first, last))
        k += 1
    if not fixed:
        return None
    pieces, at = [], 0
    for k in fixed:
        pieces.append(bytes(body[at:starts[k]]))
        text = line(k)
        ending = bytes(body[starts[k] + len(text.encode("utf-8")):ends[k] + 1])
        pieces.append(_literal(text, delimiter).encode("utf-8") + ending)
        at = int(ends[k]) + 1
    pieces.append(bytes(body[at:]))
    return b"".join(pieces), spans


def _opens(text: str, delimiter: str) -> bool:
    """Return whether a line ends inside a quoted field, as a CSV parser reads it (a
    quote opens a field only at the field's start)."""
    inside, at_start, i = False, True, 0
    while i < len(text):
        ch = text[i]
        if inside:
            if ch == '"':
                if text[i + 1:i + 2] == '"':
                    i += 1
                else:
                    inside = False
        elif ch == '"' and at_start:
            inside = True
        at_start = not inside and ch == delimiter
        i += 1
    return inside


def _literal(text: str, delimiter: str) -> str:
    """Return a line with its quotes made ordinary characters: its fields split at every
    delimiter, each written again as CSV (a field holding a quote quoted, the quote
    doubled)."""
    fields = text.split(delimiter)
    return delimiter.join(f'"{f.replace(chr(34), chr(34) * 2)}"' if '"' in f else f
                          for f in fields)


def describe(spans: list[tuple[int, int]], first_line: int) -> str:
    """Return the lines of the spans as a message names them ("lines 2 to 12")."""
    named = [f"{a + first_line} to {b + first_line}" if b > a else f"{a + first_line}"
             for a, b in spans]
    word = "line" if len(spans) == 1 and spans[0][0] == spans[0][1] else "lines"
    return f"{word} {', '.join(named)}"
