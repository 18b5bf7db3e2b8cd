"""The monthly pack as a Word document (python-docx): real tables, charts as pictures.

Tables use the built-in "Table Grid" style and the text the Normal and Heading styles, so
that a council's template can restyle them. python-docx is imported inside the function.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats.render.output import atomic_path
from iro_stats.render.safe import printable
from iro_stats.render.text import cell_text
from iro_stats.render.xlsx import normalise_zip

if TYPE_CHECKING:
    from iro_stats.reports.pack import Pack
    from iro_stats.table import Table

HEADER_FILL = "DDE4EE"


def write_docx(path: str | Path, pack: "Pack", charts: dict[int, bytes],
               inputs: list = ()) -> Path:
    """Write the pack to a .docx; charts maps a section's index to its PNG bytes."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.section import WD_SECTION_START as WD_SECTION
    from docx.shared import Cm, Pt

    document = new_document()
    document.add_heading(printable(pack.title), level=0)
    for line in pack.summary:
        document.add_paragraph(printable(line))

    figures = 0
    for index, section in enumerate(pack.sections):
        # A section with a wide table on landscape pages, any other on portrait: a new
        # page only where the orientation changes, so no page is left blank.
        wide = any(len(t.columns) > 8 for t in section.tables)
        _page(document, WD_SECTION, WD_ORIENT, Cm, landscape=wide)
        if section.appendix:
            document.add_heading("Appendix: " + printable(section.title.split(". ", 1)[-1]),
                                 level=1)
        else:
            document.add_heading(printable(section.title), level=1)
        for line in section.text:
            document.add_paragraph(printable(line))
        for line_paragraph in document.paragraphs[-len(section.text):] if section.text else []:
            line_paragraph.paragraph_format.keep_with_next = True
        for table in section.tables:
            last = document.sections[-1]
            usable = last.page_width - last.left_margin - last.right_margin
            add_table(document, table, Pt, usable, small=section.appendix)
            if section.chart is not None and section.chart.table is table and index in charts:
                figures += 1
                document.add_picture(io.BytesIO(charts[index]),
                                     width=min(usable, Cm(24 if wide else 16)))
                document.paragraphs[-1].paragraph_format.keep_with_next = True
                caption = document.add_paragraph(
                    f"Figure {figures}: {printable(section.chart.title)}", style="Caption")
                caption.paragraph_format.space_after = Pt(12)

    made = document.add_paragraph(f"Made by iro-stats at {pack.run_at:%Y-%m-%d %H:%M} UTC.")
    made.runs[0].italic = True
    return save(document, path, pack.title, pack.run_at, inputs)


def new_document():
    """Return an empty Word document: A4 portrait, 2 cm margins, Arial 10."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21.0), Cm(29.7)  # A4, as councils print
    for side in ("left_margin", "right_margin"):
        setattr(page, side, Cm(2.0))
    page.top_margin = page.bottom_margin = Cm(2.0)
    return document


def save(document, path: str | Path, title: str, run_at, inputs: list = ()) -> Path:
    """Save a document with its properties set: the title; no author, nor anything else
    that names the analyst or their machine (python-docx's template carries its own
    author and comments); every date the run time, so the same run gives the same bytes."""
    props = document.core_properties
    props.title = printable(title)
    props.author = props.last_modified_by = ""
    props.comments = props.subject = props.keywords = props.category = ""
    props.revision = 1
    naive = run_at.replace(tzinfo=None)
    props.created = props.modified = naive
    props.last_printed = naive
    with atomic_path(path, inputs) as temp:
        document.save(str(temp))
        normalise_zip(temp, naive)
    return Path(path)


def _page(document, WD_SECTION, WD_ORIENT, Cm, landscape: bool) -> None:
    """Start a new page, landscape for a wide table, portrait otherwise (if it changes)."""
    current = document.sections[-1]
    is_landscape = current.orientation == WD_ORIENT.LANDSCAPE
    if is_landscape == landscape:
        return
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _widths(table: "Table", usable: int, small: bool) -> list[int] | None:
    """Return column widths (EMU) that break no word, or None if the page is too narrow.

    A number column is as wide as its longest cell or header word; the text columns share
    the rest by the length of their longest cell, each at least its longest word wide.
    """
    char = 62000 if small else 80000  # a wide Arial character at 8 / 9.5 pt, in EMU
    pad = 200000  # the cell's left and right margins
    widths, text = [], []
    for j, column in enumerate(table.columns):
        cells = [printable(cell_text(r[j], column.kind)) for r in table.rows]
        words = [len(w) for c in cells + [printable(column.name)] for w in c.split()] + [1]
        if column.kind == "text":
            longest = max([len(c) for c in cells] + [1])
            widths.append(max(words) * char + pad)
            text.append((j, max(min(longest, 64), 4)))
        else:
            widths.append(max(max([len(c) for c in cells] + [1]), max(words)) * char + pad)
    spare = usable - sum(widths)
    if spare < 0:
        return None
    weight = sum(w for _, w in text)
    for j, w in text:
        widths[j] += int(spare * w / weight)
    return widths


def add_table(document, table: "Table", Pt, usable: int, small: bool = False) -> None:
    """Add a caption, the table as a Word table (header repeated on each page), its notes."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    caption = document.add_paragraph()
    run = caption.add_run(printable(table.title))
    run.bold = True
    caption.paragraph_format.keep_with_next = True
    widths = None if small else _widths(table, usable, small=False)
    if widths is None:
        small = True
        widths = _widths(table, usable, small=True) or [usable // len(table.columns)] * \
            len(table.columns)
    size = Pt(8) if small else Pt(9.5)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for j, width in enumerate(widths):
        grid.columns[j].width = width
        for cell in grid.columns[j].cells:
            cell.width = width
    numeric = [c.kind != "text" for c in table.columns]
    together = len(table.rows) <= 25  # a short table is kept on one page

    def fill(cell, text, bold=False, right=False, shade=False, last=False):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.space_after = Pt(0)
        # Rows of a short table stay together, and the last row with the notes under it.
        paragraph.paragraph_format.keep_with_next = \
            (together and not last) or (last and bool(table.notes))
        run = paragraph.add_run(printable(text))
        run.bold = bold
        run.font.size = size
        if shade:
            properties = cell._tc.get_or_add_tcPr()
            fill_xml = OxmlElement("w:shd")
            fill_xml.set(qn("w:val"), "clear")
            fill_xml.set(qn("w:color"), "auto")
            fill_xml.set(qn("w:fill"), HEADER_FILL)
            properties.append(fill_xml)

    for j, column in enumerate(table.columns):
        fill(grid.rows[0].cells[j], column.name, bold=True, right=numeric[j], shade=True)
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for i, values in enumerate(table.rows):
        is_total = table.total and i == len(table.rows) - 1
        for j, (value, column) in enumerate(zip(values, table.columns)):
            fill(grid.rows[i + 1].cells[j], cell_text(value, column.kind), bold=is_total,
                 right=numeric[j], last=i == len(table.rows) - 1)
        no_split = grid.rows[i + 1]._tr.get_or_add_trPr()
        no_split.append(OxmlElement("w:cantSplit"))
    for number, note in enumerate(table.notes, start=1):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(printable(note))
        run.italic = True
        run.font.size = Pt(8)
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.paragraph_format.keep_with_next = number < len(table.notes)
    document.add_paragraph()
