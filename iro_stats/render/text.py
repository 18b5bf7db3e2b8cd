"""Tables as terminal text (tabulate), Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json

from iro_stats.table import COUNT, PERCENT, RATE, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value, kind: str) -> str:
    """Return a cell as people read it: percents with a % sign, rates to one place."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == PERCENT:
        return f"{value:.1f}%"
    if kind == RATE:
        return f"{value:.1f}"
    if kind == COUNT and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _lines(table: Table) -> list[list[str]]:
    return [[cell_text(v, c.kind) for v, c in zip(row, table.columns)] for row in table.rows]


def to_text(table: Table, fmt: str = "table", heading: str = "") -> str:
    """Return a table drawn for a terminal ('table') or as Markdown ('markdown')."""
    from tabulate import tabulate

    numeric = [c.kind != "text" for c in table.columns]
    align = ["right" if n else "left" for n in numeric]
    rows = _lines(table)
    if fmt == "markdown":
        rows = [[_md_escape(cell) for cell in row] for row in rows]
        if table.total and rows:
            rows[-1] = [f"**{cell}**" if cell else cell for cell in rows[-1]]
        body = tabulate(rows, headers=table.headers, tablefmt="github", colalign=align,
                        disable_numparse=True)
        parts = [f"### {table.title}", ""]
    else:
        body = tabulate(rows, headers=table.headers, tablefmt="simple", colalign=align,
                        disable_numparse=True)
        parts = [table.title]
    if heading:
        parts.append(heading)
        if fmt == "markdown":
            parts.append("")
    parts.append(body)
    if table.notes:
        parts.append("")
        parts += [(f"_{note}_" if fmt == "markdown" else f"Note: {note}")
                  for note in table.notes]
    return "\n".join(parts) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def csv_safe(value):
    """Return a cell for CSV: text that a spreadsheet would run as a formula gets a ' first."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(table: Table) -> str:
    """Return the table as CSV: the header row, then its rows, numbers as plain numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([csv_safe("" if v is None else v) for v in row])
    return out.getvalue()


def to_json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
