"""The drafted committee report as plain text (for --draft) and as a Word document.

The Word document is a committee paper's shape in the built-in styles (a council's
template restyles it): the paper's heading lines as a table, numbered paragraphs, the
tables as Word tables (render.docx), and each placeholder highlighted in yellow so that
none is filed unwritten. python-docx is imported inside the function.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats.render.safe import printable
from iro_stats.render.text import to_text
from iro_stats.table import Table

if TYPE_CHECKING:
    from iro_stats.reports.draft import Draft


def _numbered(draft: "Draft"):
    """Yield (part, item, number or None), numbering paragraphs on through the report."""
    number = 0
    for part in draft.parts:
        for item in part.items:
            if part.numbered and not isinstance(item, Table):
                number += 1
                yield part, item, number
            else:
                yield part, item, None


def draft_text(draft: "Draft") -> str:
    """Return the report as text: one line a paragraph, placeholders in [TO BE WRITTEN]."""
    lines = [f"{label}: {value}" for label, value in draft.header] + [""]
    current = None
    for part, item, number in _numbered(draft):
        if part is not current:
            current = part
            lines += [part.heading, ""]
        if isinstance(item, Table):
            lines += [to_text(item).rstrip("\n"), ""]
        else:
            text = "".join(str(piece) for piece in item)
            lines += [printable(f"{number}. {text}" if number else text), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_draft(path: str | Path, draft: "Draft", run_at, inputs: list = ()) -> Path:
    """Write the drafted report as a .docx; return the path."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Cm, Pt

    from iro_stats.render.docx import add_table, new_document, save
    from iro_stats.reports.draft import Placeholder

    document = new_document()
    grid = document.add_table(rows=len(draft.header), cols=2)
    grid.style = "Table Grid"
    grid.autofit = False
    for column, width in zip(grid.columns, (Cm(5.0), Cm(12.0))):
        column.width = width
        for cell in column.cells:
            cell.width = width
    for row, (label, value) in zip(grid.rows, draft.header):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        _pieces(row.cells[1].paragraphs[0],
                [value], Placeholder, WD_COLOR_INDEX)
    document.add_paragraph()
    current = None
    page = document.sections[0]
    usable = page.page_width - page.left_margin - page.right_margin
    for part, item, number in _numbered(draft):
        if part is not current:
            current = part
            heading = document.add_paragraph()
            heading.add_run(printable(part.heading)).bold = True
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.space_before = Pt(6)
        if isinstance(item, Table):
            add_table(document, item, Pt, usable)
            continue
        paragraph = document.add_paragraph()
        if number:
            paragraph.add_run(f"{number}.\t")
            paragraph.paragraph_format.left_indent = Pt(22)
            paragraph.paragraph_format.first_line_indent = Pt(-22)
        _pieces(paragraph, item, Placeholder, WD_COLOR_INDEX)
    return save(document, path, draft.title, run_at, inputs)


def _pieces(paragraph, pieces, Placeholder, WD_COLOR_INDEX) -> None:
    """Add text and placeholders to a paragraph; a placeholder bold on yellow."""
    for piece in pieces:
        run = paragraph.add_run(printable(str(piece)))
        if isinstance(piece, Placeholder):
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
