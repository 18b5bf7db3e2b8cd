"""Messy workbooks as councils produce them: every visible sheet read, dates in the
workbook's own system, error cells named, stray cells costing nothing (issue 12)."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
from conftest import ROOT, mosaic_report, one_error, run_cli

HEADER = ["Person ID", "Start Date", "Reason"]


def book(path, sheets: dict, hidden=(), epoch=None):
    """Save a workbook of sheets (name -> rows) and return its path."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
        if name in hidden:
            ws.sheet_state = "hidden"
    if epoch is not None:
        workbook.epoch = epoch
    workbook.save(path)
    return path


def year(first: int, count: int, month: int) -> list[list]:
    return [HEADER] + [[5000000 + first + i, dt.datetime(2018, month, 1 + i), "Health"]
                       for i in range(count)]




def test_every_visible_sheet_with_a_header_is_read_and_the_others_named(tmp_path):
    # A summary first (Team, Reason, Count), a tab per year, a hidden copy of a year.
    path = book(tmp_path / "log.xlsx", {
        "Summary": [["Team", "Reason", "Count"], ["LAC 1", "Health", 3]],
        "2017-18": year(0, 3, 1), "2018-19": year(10, 4, 2), "Old": year(20, 5, 3)},
        hidden=("Old",))
    result = mosaic_report(path)
    assert result.json()["rows"]["read"] == 7
    lines = result.err.splitlines()
    assert f"read {path}: sheet '2017-18', header on row 1; 3 data rows; source mosaic " \
           "(as stated)" in lines
    assert f"read {path}: sheet '2018-19', header on row 1; 4 data rows; source mosaic " \
           "(as stated)" in lines
    assert f"note: {path}: sheet 'Summary' not read: no header row found (its first row: " \
           "Team, Reason, Count)" in lines
    assert f"note: {path}: sheet 'Old' not read: it is hidden" in lines


def test_sheet_option_chooses_the_sheets_read(tmp_path):
    path = book(tmp_path / "log.xlsx", {"2017-18": year(0, 3, 1), "2018-19": year(10, 4, 2),
                                        "Old": year(20, 5, 3)}, hidden=("Old",))
    assert mosaic_report(path, "--sheet", "2018-19").json()["rows"]["read"] == 4
    assert mosaic_report(path, "--sheet", "Old", "--sheet", "2017-18").json()["rows"]["read"] == 8
    some = mosaic_report(path, "--sheet", "2018-19", "--sheet", "2019-20")
    assert some.json()["rows"]["read"] == 4
    assert f"note: {path}: no sheet '2019-20' (sheets: '2017-18', '2018-19', 'Old'); the " \
           "other sheets named were read" in some.err.splitlines()
    missing = run_cli("report", path, "--source", "mosaic", "--sheet", "2019-20")
    assert one_error(missing) == (f"Error: {path}: no sheet '2019-20' (sheets: '2017-18', "
                                  "'2018-19', 'Old'); check the sheet's name (--sheet)")


def test_plain_serial_numbers_follow_the_1904_date_system(tmp_path):
    # Before: 41975 was read as a 1900 serial, 2 December 2014.
    path = book(tmp_path / "mac.xlsx", {"Log": [HEADER, [5000001, 41975, "Health"]]},
                epoch=openpyxl.utils.datetime.CALENDAR_MAC_1904)
    result = run_cli("export", path, "--source", "mosaic", "-o", tmp_path / "out.csv")
    assert result.code == 0, result
    assert (tmp_path / "out.csv").read_text().splitlines()[1].split(",")[6] == "2018-12-03"


def test_error_cells_and_unworked_formulas_reject_their_row_naming_the_cell(tmp_path):
    path = tmp_path / "errors.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Log"
    ws.append(HEADER)
    for i in range(12):
        ws.append([5000001 + i, dt.datetime(2018, 12, 1 + i), "Health"])
    ws["C14"].value, ws["C14"].data_type = "#N/A", "e"     # Reason, row 14
    ws["C5"].value, ws["C5"].data_type = "#REF!", "e"      # was counted as Not recorded
    ws["B7"] = "=B6+1"                                     # no value worked out
    ws.append([True, dt.datetime(2018, 12, 20), "Health"])  # a TRUE cell as the child
    workbook.save(path)
    result = mosaic_report(path, "--rejects", tmp_path / "rejects.csv")
    rows = result.json()["rows"]
    # Rows 2-13 (12), row 14 (its one cell the #N/A) and row 15: 14 read; rows 5, 7, 14
    # and 15 rejected, 10 used. The cell is named by the header as the file writes it.
    assert rows == {"read": 14, "used": 10, "rejected": 4, "duplicates": 0,
                    "outside_period": 0}
    rejects = (tmp_path / "rejects.csv").read_text(encoding="utf-8")
    assert "#N/A in Reason, row 14" in rejects
    assert "#REF! in Reason, row 5" in rejects
    assert "a formula with no value in Start Date, row 7" in rejects
    assert "TRUE in Person ID, row 15" in rejects


@pytest.mark.parametrize("far", ["XFD1048576", "XFD20000", "A1048576"])
def test_a_stray_far_cell_costs_nothing(tmp_path, far):
    # Before: XFD1048576 aborted the process (a 549,755,813,888-byte allocation) and
    # XFD20000 took 10 GB and 29 s.
    path = tmp_path / "stray.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.active
    for row in year(0, 3, 1):
        ws.append(row)
    ws[far] = "x"
    workbook.save(path)
    result = mosaic_report(path)
    assert result.json()["rows"]["read"] == 3
    assert f"warning: {path}: sheet 'Sheet': cell {far} and any others far outside the " \
           "data (A1:C4) were left out" in result.err.splitlines()


def test_a_workbook_part_that_unpacks_past_the_limit_is_refused(tmp_path, monkeypatch):
    from iro_stats import xlsxscan

    monkeypatch.setattr(xlsxscan, "PART_LIMIT", 1 << 20)  # stands for 512 MB
    path = book(tmp_path / "bomb.xlsx", {"Log": year(0, 3, 1)})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b" " * (2 << 20) + b"</sst>")
    assert one_error(run_cli("report", path, "--source", "mosaic")) == (
        f"Error: {path}: its part xl/sharedStrings.xml unpacks to more than 1 MB, more than "
        "any extract needs; open it in Excel, delete what is not the extract, and save it "
        "again")


# --- what a file really is -------------------------------------------------------------------

def test_a_misnamed_file_is_read_as_what_it_is_with_a_note(tmp_path):
    text = tmp_path / "extract.xlsx"
    text.write_text("Person ID,Start Date,Reason\n5000001,03/12/2018,Health\n")
    result = mosaic_report(text)
    assert result.json()["rows"]["read"] == 1
    assert f"note: {text}: named .xlsx but holds CSV text; read as what it holds" in result.err
    workbook = book(tmp_path / "log.csv", {"Log": year(0, 3, 1)})
    assert mosaic_report(workbook).json()["rows"]["read"] == 3
    modern = book(tmp_path / "old.xls", {"Log": year(0, 2, 1)})
    result = mosaic_report(modern)
    assert result.json()["rows"]["read"] == 2
    assert f"note: {modern}: named .xls but holds an .xlsx workbook; read as what it holds" \
        in result.err


def test_an_encrypted_workbook_asks_for_a_copy_without_the_password(tmp_path):
    # What Excel saves with a password: an OLE compound file holding EncryptedPackage.
    path = tmp_path / "locked.xlsx"
    directory = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + directory + b"\0" * 100)
    assert one_error(run_cli("report", path)) == (
        f"Error: {path}: the workbook is password-protected: save a copy without the "
        "password (File > Info > Protect Workbook in Excel) and read that")


@pytest.mark.parametrize("name", ["split.xls", "split.ods"])
def test_a_log_split_across_tabs_of_an_xls_or_ods_is_read_whole(name):
    # Before: only the first tab was read (3 rows of 5), silently.
    path = ROOT / "tests" / "fixtures" / name
    result = run_cli("report", path, "--source", "legacy", "--format", "json")
    assert result.code == 0, result
    assert result.json()["rows"] == {"read": 5, "used": 5, "rejected": 0, "duplicates": 0,
                                     "outside_period": 0}
    lines = result.err.splitlines()
    assert f"read {path}: sheet 'Log', header on row 1; 3 data rows; source legacy " \
           "(as stated)" in lines
    assert f"read {path}: sheet 'Log (2)', header on row 1; 2 data rows; source legacy " \
           "(as stated)" in lines
    assert f"note: {path}: sheet 'Old' not read: it is hidden" in lines


def test_an_ods_table_with_a_cell_far_outside_its_data_is_refused_in_one_line():
    # Before: the reader's grid of 98 million cells took 6 GB and 15 s.
    path = ROOT / "tests" / "fixtures" / "far.ods"
    assert one_error(run_cli("report", path, "--source", "mosaic")) == (
        f"Error: {path}: sheet 'Sheet' has cells far outside its data (as far as XFD6000); "
        "delete them, or save the data alone as .xlsx, and read that")
