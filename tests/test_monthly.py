"""`monthly`: the committee pack as xlsx, docx and md, read back as a person would see it."""

import csv
import hashlib
import re

import pytest
from conftest import LEGACY, MOSAIC, SAMPLE, run_cli, write

EPOCH = "1546423200"  # 2019-01-02 10:00:00 UTC, so two runs can be compared byte for byte
DECEMBER = [("Inadequate care plan", 14, 0.438), ("Care plan delay", 5, 0.156),
            ("Other", 5, 0.156), ("Education", 2, 0.063), ("Follow-up actions", 2, 0.063),
            ("Social work", 2, 0.063), ("Health", 1, 0.031), ("Safeguarding", 1, 0.031),
            ("Grand Total", 32, 1)]
SHEETS = ["Contents", "Month", "Year to date", "By team", "Outcomes", "Reconciliation",
          "Stages summary", "Escalations by stage", "Children by stage",
          "Escalations per child", "Trend", "Compared", "Data quality", "Input files",
          "Provenance"]


def monthly(tmp, month, *args, inputs=(SAMPLE,)):
    return run_cli("monthly", "--month", month, *inputs, "--output", tmp, *args)


@pytest.fixture(scope="module")
def december(tmp_path_factory):
    folder = tmp_path_factory.mktemp("december")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = monthly(folder, "2018-12")
    assert result.code == 0, result
    return folder, result


@pytest.fixture(scope="module")
def june(tmp_path_factory):
    """A legacy-only June 2018 pack with --suppress 3 (one run for both behaviours)."""
    folder = tmp_path_factory.mktemp("june")
    result = monthly(folder, "2018-06", "--suppress", "3", inputs=(LEGACY,))
    assert result.code == 0, result
    return folder


def book(folder, month="2018-12"):
    from openpyxl import load_workbook

    return load_workbook(folder / f"iro-escalations-{month}.xlsx")


def document(folder, month="2018-12"):
    from docx import Document

    return Document(str(folder / f"iro-escalations-{month}.docx"))


def values(ws, first, last, columns=3):
    return [[c.value for c in row][:columns] for row in ws.iter_rows(min_row=first,
                                                                    max_row=last)]


def word_rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_december_2018_writes_the_four_files_and_prints_their_paths(december):
    folder, result = december
    names = [f"iro-escalations-2018-12{s}" for s in (".xlsx", ".docx", ".md", "-report.docx")]
    assert result.out.splitlines() == [str(folder / n) for n in names]
    assert "rows read 404: used 181 (147 escalations), rejected 1, duplicates 1" in result.err
    # The two unlisted labels (2 January 2019) are outside the year to date: no warning.
    assert "not in the crosswalk" not in result.err


def test_workbook_has_contents_and_one_sheet_per_table_in_the_issue_order(december):
    wb = book(december[0])
    assert wb.sheetnames == SHEETS
    contents = wb["Contents"]
    assert contents["A1"].value == "IRO escalations: monthly pack, December 2018"
    links = {c.value: c.hyperlink.location for row in contents.iter_rows() for c in row
             if c.hyperlink is not None}
    assert links["Month"] == "'Month'!A1" and links["Trend"] == "'Trend'!A1"
    assert len(links) == len(SHEETS) - 1


def test_month_sheet_is_the_mosaic_table_with_percent_numbers_and_a_bold_total(december):
    ws = book(december[0])["Month"]
    assert ws["A1"].value == "Reasons for IRO escalations, December 2018 (Mosaic labels)"
    assert values(ws, 3, 3) == [["Reason", "Count", "Percent"]]
    assert values(ws, 4, 12) == [list(row) for row in DECEMBER]
    assert ws["C4"].number_format == "0.0%" and ws["B4"].number_format == "#,##0"
    assert ws["A12"].font.b and ws["B12"].font.b
    assert ws.freeze_panes == "A4"


def test_workbook_charts_are_native_and_read_the_sheet_cells(december):
    wb = book(december[0])
    (month_chart,) = wb["Month"]._charts
    (trend_chart,) = wb["Trend"]._charts
    month_refs = [s.val.numRef.f for s in month_chart.series]
    assert month_refs == ["'Month'!$B$4:$B$11"]
    assert month_chart.series[0].cat.strRef.f == "'Month'!$A$4:$A$11"
    assert month_chart.type == "bar"
    assert trend_chart.grouping == "stacked" and len(trend_chart.series) == 11
    assert trend_chart.series[0].val.numRef.f == "'Trend'!$B$4:$M$4"


def test_no_cell_in_the_workbook_is_a_formula(december):
    wb = book(december[0])
    formulas = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []


def test_year_to_date_spans_go_live_so_it_is_harmonised_and_reconciled(december):
    wb = book(december[0])
    ytd = wb["Year to date"]
    assert ytd["A1"].value.startswith("Reasons for IRO escalations, financial year to "
                                      "date, 1 April to 31 December 2018 (harmonised")
    assert values(ytd, 4, 5, 2) == [["Incomplete or inadequate care plan", 57],
                                    ["Drift or delay in care planning", 30]]
    last = [r for r in values(ytd, 4, 20, 2) if r[0] == "Grand Total"]
    assert last == [["Grand Total", 147]]
    rec = wb["Reconciliation"]
    assert values(rec, 3, 4, 8) == [
        ["Category", "Relation", "Legacy Count", "Legacy Percent", "Legacy Per month",
         "Mosaic Count", "Mosaic Percent", "Mosaic Per month"],
        ["Incomplete or inadequate care plan", "equivalent", 35, 0.365, 4.6, 19, 0.432, 13.8]]


def test_stages_trend_and_data_quality_figures(december):
    wb = book(december[0])
    stages = values(wb["Escalations by stage"], 4, 9, 5)
    assert stages[0][:2] == ["Informal", 8] and stages[-1][:2] == ["Total", 32]
    trend = wb["Trend"]
    header = [c.value for c in trend[3]]
    assert header[0] == "Category" and header[1] == "Jan 2018" and header[-1] == "Total"
    total = [c.value for c in trend[15]]
    assert total[0] == "Total" and total[11:14] == [32, 32, 206]
    quality = dict(values(wb["Data quality"], 4, 16, 2))
    assert quality["Rows read (all files)"] == 404
    assert quality["Rows used, financial year to date, 1 April to 31 December 2018"] == 181
    assert quality["Rows rejected because date raised is not a real date"] == 1
    assert quality["Duplicate rows (repeats of an earlier row, not counted)"] == 1


def test_provenance_gives_each_input_sha256_the_crosswalk_version_and_run_time(december):
    from iro_stats import __version__

    items = dict(values(book(december[0])["Provenance"], 4, 20, 2))
    for path in (LEGACY, MOSAIC):
        assert items[f"SHA-256, {path.name}"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", items["SHA-256, crosswalk"])
    assert items["iro-stats version"] == __version__
    assert items["Run at (UTC)"] == "2019-01-02 10:00:00"
    assert items["Cutover (Mosaic go-live)"] == "20 November 2018 (first Mosaic escalation)"
    files = values(book(december[0])["Input files"], 4, 5, 5)
    assert files == [["legacy_escalations.csv", "legacy log", None, "1", 325],
                     ["mosaic_escalations.xlsx", "Mosaic", "IRO Escalations", "4", 79]]


def test_word_document_has_real_tables_two_figures_and_the_appendix(december):
    doc = document(december[0])
    assert len(doc.tables) == 14
    assert word_rows(doc.tables[0])[0] == ["Reason", "Count", "Percent"]
    assert word_rows(doc.tables[0])[1:] == [[r, str(n), f"{p * 100:.1f}%"]
                                            for r, n, p in DECEMBER]
    assert all(t.style.name == "Table Grid" for t in doc.tables)
    assert len(doc.inline_shapes) == 2
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["1. Reasons for escalation, December 2018",
                        "2. Reasons for escalation, financial year to date, 1 April to 31 "
                        "December 2018",
                        "3. Legacy log and Mosaic compared, 1 April to 31 December 2018",
                        "4. Escalation stages, December 2018",
                        "5. Trend, January 2018 to December 2018",
                        "Appendix: Data quality and provenance"]
    assert doc.core_properties.title == "IRO escalations: monthly pack, December 2018"


def test_markdown_has_the_same_tables(december):
    text = (december[0] / "iro-escalations-2018-12.md").read_text(encoding="utf-8")
    assert text.startswith("# IRO escalations: monthly pack, December 2018\n")
    assert "| Inadequate care plan |      14 |      43.8% |" in text
    assert "| **Grand Total**                        | **147** | **100.0%** |" in text
    assert "## Appendix: Data quality and provenance" in text


def test_no_child_id_appears_anywhere_in_the_pack(december):
    with open(LEGACY, encoding="cp1252") as handle:
        ids = {row["Child Ref"] for row in csv.DictReader(handle)}
    from openpyxl import load_workbook

    mosaic = load_workbook(MOSAIC, read_only=True)["IRO Escalations"]
    ids |= {str(r[1]) for r in mosaic.iter_rows(min_row=5, values_only=True)
            if isinstance(r[1], (int, float))}
    assert len(ids) > 300
    folder = december[0]
    cells = " ".join(str(c.value) for ws in book(folder) for row in ws.iter_rows()
                     for c in row if c.value is not None)
    doc = document(folder)
    words = " ".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for r in t.rows for c in r.cells])
    md = (folder / "iro-escalations-2018-12.md").read_text(encoding="utf-8")
    found = set(re.findall(r"\d{7}", cells + " " + words + " " + md)) & ids
    assert found == set()


def test_rerunning_gives_the_same_bytes_for_the_same_run_time(december, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert monthly(tmp_path, "2018-12").code == 0
    for suffix in (".xlsx", ".docx", ".md", "-report.docx"):
        name = f"iro-escalations-2018-12{suffix}"
        assert (tmp_path / name).read_bytes() == (december[0] / name).read_bytes(), name


def test_suppress_hides_small_counts_in_every_format_but_not_the_appendix(june):
    # June 2018 in the legacy log: care plans 5, Other 4, drift 2, review decisions 1.
    # With --suppress 3, 2 and 1 are hidden; two hidden cells protect each other.
    wb = book(june, "2018-06")
    assert values(wb["Month"], 4, 8) == [
        ["Incomplete or inadequate care plans", 5, 0.417], ["Other", 4, 0.333],
        ["Drift or delay in care planning", "c", "c"],
        ["Non completion of review decisions", "c", "c"], ["Grand Total", 12, 1]]
    assert wb["Month"]["A10"].value.startswith("Symbols: c: suppressed, a count from 1 to 3")
    # The appendix's counts of rows are protected too: 1 rejected row, 1 duplicate.
    assert dict(values(wb["Data quality"], 4, 16, 2))["Rows rejected"] == "c"
    doc = document(june, "2018-06")
    assert word_rows(doc.tables[0])[3] == ["Drift or delay in care planning", "c", "c"]
    md = (june / "iro-escalations-2018-06.md").read_text(encoding="utf-8")
    assert "| Non completion of review decisions  |       c |          c |" in md
    assert ("Counts from 1 to 3, and counts that would let one be worked out, are shown as c "
            "(see the symbols under each table).") in md


def test_a_legacy_only_year_has_legacy_labels_and_no_reconciliation(june):
    wb = book(june, "2018-06")
    assert "Reconciliation" not in wb.sheetnames
    assert wb["Month"]["A1"].value == "Reasons for IRO escalations, June 2018 (legacy log " \
                                      "labels)"
    # the same as `report --from 01/07/2017 --to 30/06/2018`
    assert [c.value for c in wb["Trend"][15]][-1] == 194


def test_a_month_partly_covered_says_so_and_counts_labels_not_in_the_crosswalk(tmp_path):
    # January 2019: two escalations on the 2nd, the extracts' last day, one per system,
    # each with a label not in the crosswalk: counted, never shown, named on stderr.
    result = monthly(tmp_path, "2019-01")
    assert result.code == 0, result
    assert "warning: The data covers only 1 to 2 January 2019 of January 2019" in result.err
    assert ("warning: reason labels not in the crosswalk, counted as 'Label not in the "
            "vocabulary' and not shown to the committee: legacy 'Contact arrangements' (1); "
            "Mosaic 'Family time' (1); add them with 'iro-stats mappings unmapped'"
            in result.err)
    wb = book(tmp_path, "2019-01")
    assert values(wb["Month"], 4, 5) == [["Label not in the vocabulary", 2, 1],
                                         ["Grand Total", 2, 1]]
    md = (tmp_path / "iro-escalations-2019-01.md").read_text(encoding="utf-8")
    assert "The data covers only 1 to 2 January 2019 of January 2019" in md
    assert "Contact arrangements" not in md and "Family time" not in md


def test_a_month_with_no_data_still_gives_a_complete_pack(tmp_path):
    result = monthly(tmp_path, "2019-02")
    assert result.code == 0, result
    wb = book(tmp_path, "2019-02")
    assert values(wb["Month"], 4, 4) == [["Grand Total", 0, "z"]]  # no percent of none
    assert wb["Month"]._charts == []
    md = (tmp_path / "iro-escalations-2019-02.md").read_text(encoding="utf-8")
    assert "No escalations were raised in February 2019." in md
    assert ("The data holds no dates in February 2019: every figure for the month is 0 "
            "because there is no data, not because there were no escalations.") in md
    assert len(document(tmp_path, "2019-02").inline_shapes) == 1  # the trend


@pytest.mark.parametrize("args, message", [
    (["--month", "2018-13", "-o", "out"], "--month '2018-13' is not a month"),
    (["--month", "2018-12", "-o", "pack.xlsx"], "give a folder"),
    (["--month", "2018-12", "-o", "out", "--cutover", "31/02/2018"], "--cutover"),
])
def test_bad_options_are_one_line_usage_errors(tmp_path, args, message):
    args = [str(tmp_path / a) if a in ("out", "pack.xlsx") else a for a in args]
    result = run_cli("monthly", SAMPLE, *args)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err


def test_output_into_the_input_folder_is_refused(tmp_path):
    result = run_cli("monthly", SAMPLE, "--month", "2018-12", "-o", SAMPLE)
    assert result.code == 2
    assert "is the input folder" in result.err


def test_coverage_and_unlisted_labels_count_valid_rows_only_across_files(tmp_path):
    # Two Mosaic files and a legacy log. Rejected rows (a blank child ID, resolved before
    # raised) carry dates and labels that would show if they were counted; a duplicate
    # repeats an unlisted label; one label is padded with spaces.
    head = "Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason,Outcome\n"
    inputs = tmp_path / "in"
    inputs.mkdir()
    write(inputs / "mosaic_a.csv", head +
          "WF-1,5000001,Informal,20/11/2018,25/11/2018,Education,Escalated\n"
          "WF-2,5000002,Informal,21/11/2018,,Contact arrangements,Escalated\n"
          "WF-2,5000002,Informal,21/11/2018,,Contact arrangements,Escalated\n"
          "WF-3,5000003,Informal,22/11/2018,01/12/2018,,Resolved\n"
          "WF-5,,Informal,01/01/2010,05/12/2019,Respite,Resolved\n"
          "WF-6,5000006,Informal,10/12/2018,01/01/2017,Respite,Resolved\n"
          "WF-8,5000008,Informal,12/12/2018,14/12/2018, Contact arrangements ,Resolved\n"
          "WF-9,5000009,Informal,13/12/2018,,Inadequate care plan,Escalated\n")
    write(inputs / "mosaic_b.csv", head +
          "WF-20,5000020,Informal,02/01/2019,20/02/2019,Contact arrangements,Resolved\n"
          "WF-21,5000021,Informal,03/01/2019,,,Escalated\n"
          "WF-22,5000022,Informal,04/01/2019,,Inadequate care plan,Escalated\n")
    write(inputs / "legacy.csv", "Child Ref,Date Raised,Reason for Escalation,IRO Name\n"
          "6000001,05/06/2018,Education,IRO C\n"
          "6000002,06/07/2018,Housing,IRO C\n"
          "6000003,07/08/2018,,IRO C\n"
          "6000004,08/09/2018,Drift or delay in care planning,IRO C\n"
          ",01/01/2012,Housing,IRO C\n"
          "6000005,10/10/2018,Housing,IRO C\n")
    result = monthly(tmp_path / "out", "2018-12", inputs=(inputs,))
    assert result.code == 0, result
    assert "rows read 17: used 10, rejected 3, duplicates 1, outside period 3" \
        in result.err
    wb = book(tmp_path / "out")
    quality = dict(values(wb["Data quality"], 4, 16, 2))
    assert quality["Rows with a reason label not in the crosswalk"] == 5
    assert quality["Rows with no reason recorded"] == 3
    items = dict(values(wb["Provenance"], 4, 20, 2))
    assert items["Cutover (Mosaic go-live)"] == "20 November 2018 (first Mosaic escalation)"
    trend = {row[0]: row[1:] for row in values(wb["Trend"], 4, 17, 14)}
    assert trend["Label not in the vocabulary"] == ["x"] * 5 + [0, 1, 0, 0, 1, 1, 1, 4]
    assert trend["Not recorded"] == ["x"] * 5 + [0, 0, 1, 0, 0, 1, 0, 2]
    md = (tmp_path / "out" / "iro-escalations-2018-12.md").read_text(encoding="utf-8")
    assert "The data covers 5 June 2018 to 20 February 2019 (legacy log 5 June 2018 to " \
           "10 October 2018; Mosaic 20 November 2018 to 20 February 2019)." in md
    assert "Housing" not in md and "Contact arrangements" not in md
    assert ("A reason label not in the crosswalk is counted as 'Label not in the vocabulary' "
            "and never shown: an analyst lists them and adds them to the crosswalk.") in md
    # A committee paper tells members what the figures mean, not which command to run.
    assert "'iro-stats " not in md and not re.search(r"--[a-z]", md)
