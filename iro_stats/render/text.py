"""Tables as terminal text (tabulate), Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json

from iro_stats.render import safe
from iro_stats.table import COUNT, PERCENT, POINTS, RATE, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value, kind: str) -> str:
    """Return a cell as people read it: counts with thousands separators (51,347),
    percents with a % sign, rates to one place."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == PERCENT:
        return f"{value:.1f}%"
    if kind in (RATE, POINTS):
        return f"{value:,.1f}"
    if kind == COUNT and isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if kind == COUNT and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _lines(table: Table) -> list[list[str]]:
    return [[cell_text(v, c.kind) for v, c in zip(row, table.columns)] for row in table.rows]


def to_text(table: Table, fmt: str = "table", heading: str = "") -> str:
    """Return a table drawn for a terminal ('table') or as Markdown ('markdown')."""
    from tabulate import tabulate

    numeric = [c.kind != "text" for c in table.columns]
    align = ["right" if n else "left" for n in numeric]
    markdown = fmt == "markdown"
    clean = safe.markdown if markdown else safe.printable
    rows = [[clean(cell) for cell in row] for row in _lines(table)]
    headers = [clean(h) for h in table.headers]
    if markdown:
        if table.total and rows:
            rows[-1] = [f"**{cell}**" if cell else cell for cell in rows[-1]]
        body = tabulate(rows, headers=headers, tablefmt="github", colalign=align,
                        disable_numparse=True)
        parts = [f"### {clean(table.title)}", ""]
    else:
        body = tabulate(rows, headers=headers, tablefmt="simple", colalign=align,
                        disable_numparse=True)
        parts = [clean(table.title)]
    if heading:
        parts.append(safe.markdown_line(heading) if markdown else clean(heading))
        if markdown:
            parts.append("")
    parts.append(body)
    if table.notes:
        parts.append("")
        parts += [(f"_{clean(note)}_" if markdown else f"Note: {clean(note)}")
                  for note in table.notes]
    return "\n".join(parts) + "\n"


def csv_safe(value):
    """Return a cell for CSV: text that a spreadsheet would run as a formula gets a ' first."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(table: Table) -> str:
    """Return the table as CSV: the header row, then its rows, numbers as plain numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_safe(safe.printable(h)) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_safe("" if v is None else safe.printable(v)
                                  if isinstance(v, str) else v) for v in row])
    return out.getvalue()


def to_json(value) -> str:
    """Return value as JSON text; a non-printing character in a string as its \\u escape."""
    return safe.json_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
