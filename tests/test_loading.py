"""Loading extracts: encodings, banner rows, header spellings, IDs, dates and stages."""

import datetime as dt

import openpyxl
import pytest

from conftest import write

HEADER = "Child ID,Date Raised,Reason\n"


def reasons(result):
    return {r["reason"]: r["count"] for r in result.json()["reasons"]}


def test_utf8_with_bom_is_detected_and_named(run, tmp_path):
    path = write(tmp_path / "bom.csv", "\ufeff" + HEADER + "1,05/11/2018,Education\n")
    result = run("report", path, "--source", "legacy", "--format", "json")
    assert result.code == 0
    assert "encoding UTF-8 with BOM" in result.err
    assert reasons(result) == {"Education": 1}


def test_windows_1252_free_text_is_read_not_crashed_on(run, tmp_path):
    text = ("Child ID,Date Raised,Reason,Notes\n"
            "1,05/11/2018,Education,IRO\u2019s view \u2013 \u00a3200 \u201cagreed\u201d\n")
    path = write(tmp_path / "cp.csv", text, "cp1252")
    result = run("report", path, "--source", "legacy", "--format", "json")
    assert result.code == 0
    assert "encoding Windows-1252" in result.err
    assert result.json()["totals"]["escalations"] == 1


def test_undecodable_bytes_fall_back_to_latin_1_without_crashing(run, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(HEADER.encode() + b"1,05/11/2018,Educa\x81tion\n")
    result = run("report", path, "--source", "legacy", "--format", "json", "--show-unlisted")
    assert result.code == 0
    assert "encoding Latin-1" in result.err
    assert reasons(result) == {"Educa\x81tion": 1}


def test_banner_rows_blank_rows_and_total_footer_are_not_data_rows(run, tmp_path):
    text = ("IRO escalations report\nRun on 02/01/2019\n\n"
            "Person ID,Start Date,Escalation Reason\n"
            "1,05/11/2018,Education\n\n2,06/11/2018,Placement\n,,\n"
            "Total rows: 2\n")
    path = write(tmp_path / "banner.csv", text)
    result = run("report", path, "--source", "mosaic", "--format", "json")
    assert "header on row 4" in result.err
    assert result.json()["rows"] == {"read": 2, "used": 2, "rejected": 0,
                                     "duplicates": 0, "outside_period": 0}


def test_header_spellings_match_ignoring_case_spaces_and_punctuation(run, tmp_path):
    text = "MOSAIC-ID , date of escalation,REASON FOR ESCALATION,iro name\n" \
           "7,01/12/2018,Education,IRO A\n"
    path = write(tmp_path / "spell.csv", text)
    result = run("report", path, "--source", "mosaic", "--format", "json")
    assert result.code == 0
    assert result.json()["totals"] == {"escalations": 1, "children": 1}


def test_profile_maps_a_councils_own_column_names(run, tmp_path):
    data = write(tmp_path / "own.csv",
                 "Subject Person Ref,When,Why\n9,03/12/2018,Education\n")
    profile = write(tmp_path / "profile.toml",
                    '[columns]\nchild_id = "Subject Person Ref"\nraised_on = "When"\n'
                    'reason = "Why"\n')
    result = run("report", data, "--profile", profile, "--source", "mosaic",
                 "--format", "json")
    assert result.code == 0
    assert result.json()["totals"]["escalations"] == 1


def test_profile_can_state_the_source(run, tmp_path):
    data = write(tmp_path / "own.csv", HEADER + "9,03/12/2018,Education\n")
    profile = write(tmp_path / "p.toml", 'source = "legacy"\n')
    result = run("report", data, "--profile", profile)
    assert result.code == 0
    assert "source legacy (as stated)" in result.err


def test_ids_keep_leading_zeros_and_lose_excel_dot_zero(run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Child ID", "Date Raised", "Reason"])
    sheet.append([5057463, dt.date(2018, 12, 3), "Education"])
    sheet.append([" 0012 ", dt.date(2018, 12, 4), "Education"])
    sheet.append(["5057463", dt.date(2018, 12, 5), "Education"])
    book.save(tmp_path / "ids.xlsx")
    result = run("report", tmp_path / "ids.xlsx", "--source", "mosaic", "--format", "json")
    # 5057463 as a number and as text are the same child; ' 0012 ' is another.
    assert result.json()["totals"] == {"escalations": 3, "children": 2}


@pytest.mark.parametrize("written", ["05/11/2018", "5/11/18", "2018-11-05", "05-Nov-2018",
                                     "5 November 2018", "43409", "05.11.2018"])
def test_every_date_spelling_is_read_day_first(run, tmp_path, written):
    path = write(tmp_path / "d.csv", HEADER + f"1,{written},Education\n")
    nov = run("report", path, "--source", "legacy", "--month", "2018-11", "--format", "json")
    assert nov.json()["totals"]["escalations"] == 1, written


def test_day_first_dates_are_never_read_month_first(run, tmp_path):
    path = write(tmp_path / "d.csv", HEADER + "1,05/11/2018,Education\n")
    may = run("report", path, "--source", "legacy", "--month", "2018-05", "--format", "json")
    assert may.json()["totals"]["escalations"] == 0
    assert may.json()["rows"]["outside_period"] == 1


def test_excel_date_cells_and_serial_numbers_are_dates(run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Child ID", "Date Raised", "Reason"])
    sheet.append(["1", dt.datetime(2018, 12, 3, 10, 30), "Education"])
    sheet.append(["2", 43437, "Education"])  # 2018-12-03 as a serial number
    book.save(tmp_path / "d.xlsx")
    result = run("report", tmp_path / "d.xlsx", "--source", "mosaic", "--from", "2018-12-03",
                 "--to", "2018-12-03", "--format", "json")
    assert result.json()["totals"]["escalations"] == 2


def test_impossible_unreadable_and_out_of_range_dates_are_rejected_with_reasons(
        run, tmp_path):
    text = HEADER + ("1,31/02/2019,Education\n2,12/25/2018,Education\n3,soon,Education\n"
                     "4,01/01/1999,Education\n5,01/01/2999,Education\n6,,Education\n"
                     "7,01/12/2018,Education\n")
    path = write(tmp_path / "d.csv", text)
    result = run("report", path, "--source", "legacy", "--format", "json",
                 "--rejects", tmp_path / "rejects.csv")
    data = result.json()
    assert data["rows"] == {"read": 7, "used": 1, "rejected": 6, "duplicates": 0,
                            "outside_period": 0}
    assert data["rejected_by_reason"] == {
        "date raised is not a real date": 2,
        "date raised is outside 01/01/2000 to today": 2,
        "date raised is not a date we can read": 1,
        "date raised is blank": 1,
    }
    rejects = (tmp_path / "rejects.csv").read_text().splitlines()
    assert rejects[0].startswith("status,problem,detail,file,sheet,row")
    assert len(rejects) == 7
    assert "'31/02/2019' is not a real date" in rejects[1]
    assert ",2," in rejects[1]  # the spreadsheet row of the first data row


def test_blank_reason_is_kept_as_not_recorded(run, tmp_path):
    path = write(tmp_path / "r.csv", HEADER + "1,01/12/2018,Education\n2,01/12/2018,\n")
    result = run("report", path, "--source", "legacy", "--format", "json")
    assert reasons(result) == {"Education": 1, "Not recorded": 1}


def test_labels_match_ignoring_case_and_spaces_and_show_the_vocabulary_spelling(
        run, tmp_path):
    path = write(tmp_path / "r.csv",
                 HEADER + "1,01/12/2018,  placement CONCERNS \n2,01/12/2018,Placement concerns\n")
    result = run("report", path, "--format", "json")
    assert reasons(result) == {"Placement concerns": 2}


def test_unknown_label_is_counted_and_shown_as_written_only_when_asked(run, tmp_path):
    path = write(tmp_path / "r.csv",
                 HEADER + "1,01/12/2018,Placement concerns\n2,01/12/2018, Contact issues \n")
    result = run("report", path, "--format", "json")
    assert reasons(result) == {"Placement concerns": 1, "Label not in the vocabulary": 1}
    assert "unlisted_labels" not in result.json()
    assert "legacy 'Contact issues' (1)" in result.err
    shown = run("report", path, "--format", "json", "--show-unlisted")
    assert reasons(shown) == {"Placement concerns": 1, "Contact issues": 1}
    assert shown.json()["unlisted_labels"] == ["Contact issues"]


def test_exact_repeats_are_duplicates_naming_the_row_they_repeat(run, tmp_path):
    first = write(tmp_path / "a.csv", HEADER + "1,01/12/2018,Education\n2,02/12/2018,Education\n")
    second = write(tmp_path / "b.csv", HEADER + "1,2018-12-01,education\n")
    result = run("report", first, second, "--source", "legacy", "--format", "json",
                 "--rejects", tmp_path / "rej.csv")
    assert result.json()["rows"]["duplicates"] == 1
    assert result.json()["totals"]["escalations"] == 2
    assert f"repeats {first} row 2" in (tmp_path / "rej.csv").read_text()


def test_stage_rows_sharing_an_escalation_id_are_one_escalation(run, tmp_path):
    text = ("Workflow ID,Child ID,Stage,Start Date,Completed On,Reason\n"
            "WF1,1,Stage 2 - Service Manager,10/12/2018,,Health\n"
            "WF1,1,Informal,03/12/2018,05/12/2018,Education\n"
            "WF1,1,stage 1,05/12/2018,10/12/2018,Education\n"
            "WF2,2,2,28/11/2018,,Placement\n")
    path = write(tmp_path / "m.csv", text)
    result = run("report", path, "--month", "2018-12", "--format", "json")
    data = result.json()
    # The reason comes from the earliest stage; WF2 started in November.
    assert reasons(result) == {"Education": 1}
    assert data["rows"] == {"read": 4, "used": 3, "rejected": 0, "duplicates": 0,
                            "outside_period": 1}


def test_unreadable_stage_is_rejected_with_the_label_quoted(run, tmp_path):
    text = ("Workflow ID,Child ID,Stage,Start Date,Reason\n"
            "WF1,1,Panel review,03/12/2018,Health\nWF2,2,Informal,03/12/2018,Health\n")
    path = write(tmp_path / "m.csv", text)
    result = run("report", path, "--format", "json", "--rejects", tmp_path / "r.csv")
    assert result.json()["rejected_by_reason"] == {"stage cannot be read": 1}
    assert "'Panel review'" in (tmp_path / "r.csv").read_text()


def test_first_sheet_with_a_recognised_header_is_used(run, tmp_path):
    book = openpyxl.Workbook()
    params = book.active
    params.title = "Parameters"
    params.append(["Report", "IRO escalations"])
    params.append(["Date from", "01/12/2018"])
    data = book.create_sheet("Data")
    data.append(["IRO escalations"])
    data.append([])
    data.append(["Person ID", "Start Date", "Reason"])
    data.append([1, dt.date(2018, 12, 3), "Health"])
    data.append(["Total rows: 1"])
    book.save(tmp_path / "m.xlsx")
    result = run("report", tmp_path / "m.xlsx", "--format", "json")
    assert "sheet 'Data', header on row 3" in result.err
    assert result.json()["rows"]["read"] == 1


def test_a_folder_means_every_extract_in_it_in_name_order(run, tmp_path):
    write(tmp_path / "b.csv", HEADER + "2,01/12/2018,Health\n")
    write(tmp_path / "a.csv", HEADER + "1,01/12/2018,Health\n")
    write(tmp_path / "notes.txt", "not an extract")
    result = run("report", tmp_path, "--format", "json")
    assert result.json()["totals"]["escalations"] == 2
    assert result.err.index("a.csv") < result.err.index("b.csv")


def test_source_is_detected_per_file_from_its_labels(run, tmp_path):
    legacy = write(tmp_path / "l.csv", HEADER + "1,01/11/2018,Placement concerns\n")
    mosaic = write(tmp_path / "m.csv", HEADER + "2,01/12/2018,Care plan delay\n")
    result = run("report", legacy, mosaic, "--format", "json")
    assert "source legacy (detected" in result.err
    assert "source mosaic (detected" in result.err
    assert result.json()["by"] == "category"
