"""Text made safe for the format it is written in.

Whatever was typed into an extract can reach an output: a reason label, a file name, a
crosswalk note. Each writer passes its text through the function for its format, so
that nothing typed can move the terminal's cursor, break a workbook, make a Markdown
table row or a link, or run as a formula or a chart's mathematics.
"""

from __future__ import annotations

import re
import unicodedata

# Control, format (bidirectional overrides, zero-width), private-use, surrogate and
# unassigned characters, and line and paragraph separators: never printed.
_HIDDEN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_SPACES = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"


def _visible(ch: str) -> bool:
    return unicodedata.category(ch) not in _HIDDEN


def printable(text) -> str:
    """Return text with line breaks and tabs as spaces and every non-printing character
    (ANSI escapes' ESC, other controls, bidirectional overrides) removed: for the
    terminal, workbooks and Word documents, which cannot hold control characters."""
    text = str(text)
    if text.isprintable():  # the usual case: nothing to do
        return text
    return "".join(" " if ch in _SPACES else ch for ch in text if ch in _SPACES
                   or _visible(ch))


_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>|~&@])")
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([#+\-=>.)])")


def markdown(text) -> str:
    """Return text for Markdown: printable, and read as plain text, never as HTML, a
    link, emphasis or a table cell's end."""
    text = _MD_ESCAPE.sub(r"\\\1", printable(text))
    text = re.sub(r":(?=//)", r"\\:", text)  # no bare-URL link (https://...)
    return re.sub(r"(?i)\bwww\.", lambda m: m[0][:3] + "\\.", text)


def markdown_line(text) -> str:
    """Return text for a Markdown line of its own: as markdown(), and never a heading,
    list item or quote because of how it starts."""
    return _MD_LINE_START.sub(lambda m: m[1] + m[2] + "\\" + m[3], markdown(text), count=1)


def chart(text) -> str:
    """Return text for a matplotlib label: printable, `$` never starting mathematics."""
    return printable(text).replace("$", r"\$")


def json_text(text: str) -> str:
    """Return JSON text with each non-printing character written as a \\u escape (the
    same value; json.dumps leaves DEL, C1 controls and format characters as they are)."""
    if text.isprintable():
        return text
    return "".join(ch if ch == "\n" or _visible(ch) else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON writes characters beyond 0xFFFF
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
