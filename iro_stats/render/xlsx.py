"""Tables as a formatted Excel workbook (openpyxl): one sheet per table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats.render.output import atomic_path
from iro_stats.table import COUNT, DATE, PERCENT, RATE, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

NUMBER_FORMATS = {PERCENT: "0.0%", RATE: "0.0", COUNT: "#,##0", DATE: "dd/mm/yyyy"}
HEADER_FILL = "DDE4EE"


def sheet_title(name: str, taken: set[str]) -> str:
    """Return a valid, unused sheet name (31 characters, no []:*?/\\)."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name)[:31].strip() or "Sheet"
    title, n = clean, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = clean[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_table(ws: "Worksheet", table: Table, heading: str = "", first_row: int = 1) -> int:
    """Draw a table on a sheet from first_row; return the row of its header."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    row = first_row
    put(ws.cell(row=row, column=1), table.title).font = Font(bold=True, size=12)
    row += 1
    if heading:
        put(ws.cell(row=row, column=1), heading)
        row += 1
    row += 1
    header_row = row
    for col, column in enumerate(table.columns, start=1):
        cell = put(ws.cell(row=row, column=col), column.name)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        if column.kind != "text":
            cell.alignment = Alignment(horizontal="right")
    for index, values in enumerate(table.rows):
        row += 1
        is_total = table.total and index == len(table.rows) - 1
        for col, (value, column) in enumerate(zip(values, table.columns), start=1):
            cell = ws.cell(row=row, column=col)
            if isinstance(value, str) or value is None:
                put(cell, value)
                if column.kind != "text":
                    cell.alignment = Alignment(horizontal="right")
            else:
                cell.value = value / 100 if column.kind == PERCENT else value
                cell.number_format = NUMBER_FORMATS.get(column.kind, "General")
            if is_total:
                cell.font = bold
    if table.notes:
        row += 1
    for note in table.notes:
        row += 1
        put(ws.cell(row=row, column=1), note).font = Font(italic=True)
    for col, column in enumerate(table.columns, start=1):
        cells = [column.name] + [_display(r[col - 1], column.kind) for r in table.rows]
        width = max(len(c) for c in cells) + 2
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0,
                                                 min(max(width, 10), 80))
    return header_row


def _display(value, kind: str) -> str:
    from iro_stats.render.text import cell_text

    return cell_text(value, kind)


def put(cell, value):
    """Set a cell; text is always a string cell, never a formula, whatever it starts with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store '=...' as a formula
    return cell


def write_workbook(path: str | Path, tables: list[Table], headings: list[str] | None = None,
                   inputs: list = ()) -> Path:
    """Write each table to its own sheet with header frozen; return the path."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    headings = headings or [""] * len(tables)
    for table, heading in zip(tables, headings):
        ws = workbook.create_sheet(sheet_title(table.name, taken))
        header_row = write_table(ws, table, heading)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    with atomic_path(path, inputs) as temp:
        workbook.save(temp)
    return Path(path)
