"""The pack as it prints: page setup, charts, and the Word document's layout and properties."""

import re
import zipfile

import pytest
from conftest import SAMPLE, run_cli

from iro_stats.render.charts import PALETTE


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    result = run_cli("monthly", "--month", "2018-12", SAMPLE, "-o", folder)
    assert result.code == 0, result
    return folder


def test_every_sheet_prints_one_page_wide_its_orientation_chosen_by_its_width(pack):
    from openpyxl import load_workbook

    book = load_workbook(pack / "iro-escalations-2018-12.xlsx")
    landscape = {ws.title for ws in book if ws.page_setup.orientation == "landscape"}
    # Wider than an A4 portrait page (86 characters of columns): the contents (26 + 100),
    # reasons by team (8 team columns), the reconciliation (8 columns), the trend (13
    # months and a total) and the provenance (a SHA-256 is 64 characters).
    assert landscape == {"Contents", "By team", "Reconciliation", "Trend", "Provenance"}
    for ws in book:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.oddFooter.left.text, ws.oddFooter.right.text) == ("&A", "Page &P of &N")
        # The title down to the header row, repeated on every printed page.
        assert ws.print_title_rows == ("$1:$1" if ws.title == "Contents" else "$1:$3")


def test_charts_are_colour_blind_safe_with_the_axis_at_the_bottom_below_their_table(pack):
    from openpyxl import load_workbook

    book = load_workbook(pack / "iro-escalations-2018-12.xlsx")
    (month,) = book["Month"]._charts
    assert month.x_axis.scaling.orientation == "maxMin" and month.y_axis.crosses == "max"
    assert month.anchor._from.col == 0 and month.anchor._from.row == 14  # under the notes
    (trend,) = book["Trend"]._charts
    fills = [(s.graphicalProperties.solidFill.srgbClr if s.graphicalProperties.solidFill
              else None, s.graphicalProperties.pattFill.fgClr.srgbClr
              if s.graphicalProperties.pattFill else None) for s in trend.series]
    # 11 categories: the eight Okabe-Ito colours, then the first three again, hatched.
    assert fills == [(c.lstrip("#"), None) for c in PALETTE] + \
        [(None, c.lstrip("#")) for c in PALETTE[:3]]
    assert [b.id for b in book["Trend"].row_breaks.brk] == [19]  # a page of its own


def test_word_pack_keeps_notes_with_tables_and_has_a_caption_for_every_figure(pack):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    doc = Document(str(pack / "iro-escalations-2018-12.docx"))
    by_team = doc.tables[2]
    last_row = by_team.rows[-1].cells[0].paragraphs[0]
    assert last_row.paragraph_format.keep_with_next  # so its notes follow it
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == ["Figure 1: Reasons for IRO escalations, December 2018",
                        "Figure 2: IRO escalations per month by harmonised category, "
                        "January 2018 to December 2018"]
    # The trend is in a landscape section, its text at 9.5 pt (never under 8).
    trend = next(t for t in doc.tables if t.rows[0].cells[1].text == "Jan 2018")
    sizes = {r.font.size.pt for row in trend.rows for c in row.cells
             for p in c.paragraphs for r in p.runs}
    assert sizes == {9.5}
    # Landscape for reasons by team and the trend (more than 8 columns), else portrait,
    # and a new section only where the orientation changes: no blank page between.
    portrait, landscape = WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE
    assert [s.orientation for s in doc.sections] == [portrait, landscape, portrait,
                                                     landscape, portrait]


def test_the_files_carry_a_title_no_author_and_no_machine_path(pack):
    from docx import Document

    for name in ("iro-escalations-2018-12.docx", "iro-escalations-2018-12-report.docx"):
        props = Document(str(pack / name)).core_properties
        assert props.title.startswith(("IRO escalations: monthly pack, December 2018",
                                       "Progress Report on Independent Reviewing Officer"))
        assert (props.author, props.last_modified_by, props.comments) == ("", "", "")
    for name in ("iro-escalations-2018-12.xlsx", "iro-escalations-2018-12.docx",
                 "iro-escalations-2018-12-report.docx"):
        with zipfile.ZipFile(pack / name) as package:
            text = " ".join(package.read(n).decode("utf-8", "replace")
                            for n in package.namelist())
        assert str(pack) not in text and str(SAMPLE) not in text
        assert not re.search(r"(/home/|/root/|/tmp/|/work/|[A-Z]:\\\\Users)", text), name
