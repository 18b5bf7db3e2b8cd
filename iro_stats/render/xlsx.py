"""Tables as a formatted Excel workbook (openpyxl): one sheet per table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats.render.output import atomic_path
from iro_stats.render.safe import printable
from iro_stats.table import COUNT, DATE, PERCENT, POINTS, RATE, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

NUMBER_FORMATS = {PERCENT: "0.0%", RATE: "#,##0.0", POINTS: "0.0", COUNT: "#,##0", DATE: "dd/mm/yyyy"}
HEADER_FILL = "DDE4EE"


def sheet_title(name: str, taken: set[str]) -> str:
    """Return a valid, unused sheet name (31 characters, no []:*?/\\)."""
    clean = "".join(" " if ch in "[]:*?/\\'" else ch
                    for ch in printable(name))[:31].strip() or "Sheet"
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
    title_row = row
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
        # A long heading wraps, so that its column is as wide as its figures need.
        cell.alignment = Alignment(horizontal="left" if column.kind == "text" else "right",
                                   vertical="bottom", wrap_text=True)
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
                # round: 43.8 / 100 is 0.43799999999999994 in binary floating point
                cell.value = round(value / 100, 10) if column.kind == PERCENT else value
                cell.number_format = NUMBER_FORMATS.get(column.kind, "General")
            if is_total:
                cell.font = bold
    lines = 1
    for col, column in enumerate(table.columns, start=1):
        cells = [_display(r[col - 1], column.kind) for r in table.rows]
        words = max(len(w) for w in column.name.split() or [""])
        width = max([len(c) for c in cells] + [words, -(-len(column.name) // 3)]) + 2
        letter = get_column_letter(col)
        width = min(max(width, 10 if column.kind == "text" else 7), 80)
        ws.column_dimensions[letter].width = width
        lines = max(lines, _lines(column.name, width - 1))
    if lines > 1:
        ws.row_dimensions[header_row].height = 15 * lines
    if table.notes:
        row += 1
    for note in table.notes:
        row += 1
        note_cell(ws, row, len(table.columns), str(note)).font = Font(italic=True)
    # The title is written last, across the widths just set, so it wraps within them.
    note_cell(ws, title_row, len(table.columns), table.title, size=12).font = \
        Font(bold=True, size=12)
    return header_row


def _lines(text: str, width: float) -> int:
    """Return how many lines text wraps to in a column `width` characters wide."""
    count, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            count, used = count + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return count


def note_cell(ws, row: int, columns: int, text: str, size: float = 11):
    """Put a long text across the table's columns, wrapped, its row tall enough to show it
    (Excel does not size merged rows itself); return the cell."""
    import math

    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    cell = put(ws.cell(row=row, column=1), text)
    columns = max(columns, 2)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                for c in range(1, columns + 1))
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = math.ceil(len(text) * 1.1 * size / 11 / max(width, 10))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * size / 11 * lines
    return cell


def _display(value, kind: str) -> str:
    from iro_stats.render.text import cell_text

    return cell_text(value, kind)


def put(cell, value):
    """Set a cell; text is always a string cell, never a formula, whatever it starts with,
    and holds no control character (a workbook cannot)."""
    if isinstance(value, str):
        value = printable(value)
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


# --- the monthly pack ---------------------------------------------------------------

TITLE_SIZE = 14


def write_pack(path: str | Path, pack, inputs: list = ()) -> Path:
    """Write the pack: a Contents sheet, one sheet per table, native charts; return path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    taken = {"contents"}
    placed = []  # (section, table, sheet title)
    for section in pack.sections:
        for table in section.tables:
            ws = workbook.create_sheet(sheet_title(table.name, taken))
            header_row = write_table(ws, table)
            ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
            landscape = _print_setup(ws, len(table.columns), header_row)
            if section.chart is not None and section.chart.table is table:
                _add_chart(ws, section.chart, header_row, landscape)
            placed.append((section, table, ws.title))

    contents.column_dimensions["A"].width = 26
    contents.column_dimensions["B"].width = 100
    put(contents["A1"], pack.title).font = Font(bold=True, size=TITLE_SIZE)
    row = 2
    for line in pack.summary:
        note_cell(contents, row, 2, str(line))
        row += 1
    row += 1
    put(contents.cell(row=row, column=1), "Sheet").font = Font(bold=True)
    put(contents.cell(row=row, column=2), "Table").font = Font(bold=True)
    header = row
    current = None
    for section, table, title in placed:
        if section is not current:
            current = section
            row += 1
            heading = ("Appendix: " + section.title.split(". ", 1)[-1]) if section.appendix \
                else section.title
            put(contents.cell(row=row, column=1), heading).font = Font(bold=True)
            for line in section.text:
                row += 1
                note_cell(contents, row, 2, str(line))
        row += 1
        cell = put(contents.cell(row=row, column=1), title)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{title}'!A1",
                                   display=title)
        cell.font = Font(color="0563C1", underline="single")
        put(contents.cell(row=row, column=2), table.title)
    contents.freeze_panes = contents.cell(row=header + 1, column=1)
    _print_setup(contents, 2, 1)
    properties = workbook.properties
    properties.title = printable(pack.title)
    properties.creator = "iro-stats"
    properties.lastModifiedBy = "iro-stats"
    naive = pack.run_at.replace(tzinfo=None)
    properties.created = properties.modified = naive
    with atomic_path(path, inputs) as temp:
        workbook.save(temp)
        normalise_zip(temp, naive)
    return Path(path)


# Column widths (in characters) that an A4 page holds at full size, 1.8 cm margins: a
# sheet wider than a portrait page is printed landscape, and any sheet one page wide.
PORTRAIT_CHARACTERS = 86
# A chart's width (cm) below its table: the page's width, so it prints as large as it can.
CHART_WIDTH = {False: 16.0, True: 24.0}


def _print_setup(ws, columns: int, header_row: int) -> bool:
    """Set a sheet to print on A4, one page wide, portrait unless its columns are wider
    than a portrait page; the rows down to the table's header repeated on each page; a
    footer with the sheet's name and the page number. Return whether it is landscape."""
    from openpyxl.utils import get_column_letter

    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                for c in range(1, columns + 1))
    landscape = width > PORTRAIT_CHARACTERS
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.7  # inches: 1.8 cm
    ws.print_title_rows = f"1:{header_row}"
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    for part in (ws.oddFooter.left, ws.oddFooter.right):
        part.size = 9
    return landscape


def _add_chart(ws, chart, header_row: int, landscape: bool) -> None:
    """Add a native Excel chart, below its table and as wide as the printed page, whose
    series refer to the table's cells on the sheet; one colour-blind-safe colour per
    category (render.charts.PALETTE), the value axis at the bottom."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.data_source import AxDataSource, StrRef

    from iro_stats.render.charts import BAR, PALETTE

    table = chart.table
    body = len(table.rows) - (1 if table.total else 0)
    first, last = header_row + 1, header_row + body
    plot = BarChart()
    plot.style = 10
    if chart.kind == "bar":
        plot.type = "bar"
        data = Reference(ws, min_col=chart.value_column + 1, min_row=header_row,
                         max_row=last)
        plot.add_data(data, titles_from_data=True)
        plot.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        plot.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the table
        # With the categories reversed the value axis would sit at the top: it crosses
        # the category axis at its last category, now the bottom.
        plot.y_axis.crosses = "max"
        plot.legend = None
        plot.height = max(8.0, 0.8 * body + 3)
        plot.y_axis.title = "Escalations"
        _fill(plot.series[0], BAR)
    else:
        months = [j + 1 for j, c in enumerate(table.columns)
                  if c.kind == "count" and c.name.lower() != "total"]
        plot.type = "col"
        plot.grouping = "stacked"
        plot.overlap = 100
        hidden = any(r[j - 1] == "c" for r in table.rows[:body] for j in months)
        rows = (first + body, first + body) if hidden else (first, last)
        data = Reference(ws, min_col=1, max_col=months[-1], min_row=rows[0], max_row=rows[1])
        plot.add_data(data, from_rows=True, titles_from_data=True)
        plot.set_categories(Reference(ws, min_col=months[0], max_col=months[-1],
                                      min_row=header_row))
        plot.height = 14.0
        plot.y_axis.title = "Escalations raised"
        plot.legend.position = "r"
        for index, series in enumerate(plot.series):
            _fill(series, BAR if hidden else PALETTE[index % len(PALETTE)],
                  hatched=not hidden and index >= len(PALETTE))
    plot.width = CHART_WIDTH[landscape]
    for series in plot.series:  # the categories are labels: a string reference
        if series.cat is not None and series.cat.numRef is not None:
            series.cat = AxDataSource(strRef=StrRef(f=series.cat.numRef.f))
    plot.title = printable(chart.title)
    plot.gapWidth = 60
    plot.x_axis.delete = False  # openpyxl 3.1 otherwise hides the axes in Excel
    plot.y_axis.delete = False
    plot.y_axis.majorGridlines = None if chart.kind == "bar" else plot.y_axis.majorGridlines
    _font_sizes(plot)
    row = header_row + len(table.rows) + len(table.notes) + 3
    if chart.kind != "bar":  # the trend's chart is a page of its own, after its table
        from openpyxl.worksheet.pagebreak import Break

        ws.row_breaks.append(Break(id=row - 1))
    ws.add_chart(plot, f"A{row}")


def _fill(series, colour: str, hatched: bool = False) -> None:
    """Fill a series' bars with a colour (#RRGGBB), or diagonal lines of it on white."""
    from openpyxl.drawing.fill import ColorChoice, PatternFillProperties

    properties = series.graphicalProperties
    if hatched:
        properties.pattFill = PatternFillProperties(
            prst="wdUpDiag", fgClr=ColorChoice(srgbClr=colour.lstrip("#")),
            bgClr=ColorChoice(srgbClr="FFFFFF"))
    else:
        properties.solidFill = colour.lstrip("#")
    properties.line.solidFill = "FFFFFF"  # a thin white edge keeps stacked bars apart


def _font_sizes(plot) -> None:
    """Set the title's, axes' and legend's text sizes, so a printed chart is readable."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    def text(size: float, bold: bool = False) -> RichText:
        props = CharacterProperties(sz=int(size * 100), b=bold)
        return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])

    for axis in (plot.x_axis, plot.y_axis):
        axis.txPr = text(10)
    if plot.legend is not None:
        plot.legend.txPr = text(10)
    plot.title.tx.rich.p[0].pPr = ParagraphProperties(defRPr=CharacterProperties(sz=1200,
                                                                                 b=True))


def normalise_zip(path: str | Path, when) -> None:
    """Rewrite an Office file's zip with every member dated `when`, so that the same
    tables and the same run time give the same bytes."""
    import re
    import zipfile

    path = Path(path)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    iso = f"{when:%Y-%m-%dT%H:%M:%S}Z".encode()
    for index, (info, data) in enumerate(members):
        if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with now
            data = re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)",
                          rb"\g<1>" + iso + rb"\g<2>", data)
            members[index] = (info, data)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            fresh = zipfile.ZipInfo(info.filename, date_time=stamp)
            fresh.compress_type = zipfile.ZIP_DEFLATED
            fresh.external_attr = 0o600 << 16
            target.writestr(fresh, data)
