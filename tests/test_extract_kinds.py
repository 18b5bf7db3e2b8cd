"""Extracts of several kinds, told apart by their headers (mappings/fields.toml).

A folder may hold a 903 return, Mosaic periods of care and workflow steps beside the
escalation extracts: each command reads its own kind and names the files it skipped.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from conftest import LEGACY, write
from iro_stats.errors import DataError
from iro_stats.load import read_extracts
from iro_stats.schema import load_profile

EPISODES = ("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
            "HOME_POST,PL_POST,URN\n"
            "5000001,01/04/2017,S,C2,N1,U1,PR1,24/04/17,X1,,,,\n"
            "5000001,24/04/2017,P,C2,N1,U1,PR1,,,,,,\n"
            "5000002,02/05/2017,S,V3,N1,U1,PR1,03/05/2017,E11,,,,\n")
REVIEWS = "CHILD,DOB,REVIEW,REVIEW_CODE\n5000001,01/01/2010,20/04/2017,PN1\n"
HEADER_903 = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n5000001,1,01/01/2010,WBRI,,,\n"
STEPS = ("Workflow Step ID,Person ID,Step Status,Started On,Completed On,Cancelled On,"
         "LAC Review Date,Participation Code\n"
         "1,5000001,COMPLETED,01/05/2017,09/05/2017,,02/05/2017,PN1\n")
PERIODS = "PERSON_ID,START_DATE,END_DATE,LEGAL_STATUS\n5000001,01/04/2017,,C2\n"
IRO_LOG = "Child ID,Review Date,Participation\n5000001,20/04/2017,PN1\n"
OTHERS = {"episodes.csv": EPISODES, "reviews.csv": REVIEWS, "header.csv": HEADER_903,
          "steps.csv": STEPS, "periods.csv": PERIODS, "review_log.csv": IRO_LOG}


def folder_with_every_kind(tmp_path):
    shutil.copy(LEGACY, tmp_path / "legacy_escalations.csv")
    for name, text in OTHERS.items():
        write(tmp_path / name, text)
    return tmp_path


def test_report_on_a_folder_reads_the_escalations_and_names_the_files_it_skipped(
        run, tmp_path):
    folder = folder_with_every_kind(tmp_path)
    alone = run("report", LEGACY, "--financial-year", "2017", "--format", "json")
    mixed = run("report", folder, "--financial-year", "2017", "--format", "json")
    assert mixed.code == 0, mixed
    assert mixed.json() == alone.json()
    assert mixed.json()["totals"] == {"escalations": 219, "children": 193}
    skipped = [line for line in mixed.err.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        f"skipped {folder / 'episodes.csv'}: a 903 episodes file (header on row 1), "
        "read by 'iro-stats reviews'",
        f"skipped {folder / 'header.csv'}: a 903 header file (header on row 1), "
        "read by 'iro-stats reviews'",
        f"skipped {folder / 'periods.csv'}: a periods of care export (header on row 1), "
        "read by 'iro-stats reviews'",
        f"skipped {folder / 'review_log.csv'}: an IRO review log (header on row 1), "
        "read by 'iro-stats reviews'",
        f"skipped {folder / 'reviews.csv'}: a 903 reviews file (header on row 1), "
        "read by 'iro-stats reviews'",
        f"skipped {folder / 'steps.csv'}: a workflow steps export (header on row 1), "
        "read by 'iro-stats reviews'",
    ]


@pytest.mark.parametrize("name, about", [("episodes.csv", "a 903 episodes file"),
                                         ("steps.csv", "a workflow steps export"),
                                         ("review_log.csv", "an IRO review log")])
def test_a_file_of_another_kind_named_on_its_own_says_which_command_reads_it(
        run, tmp_path, name, about):
    path = write(tmp_path / name, OTHERS[name])
    result = run("report", path, "--source", "legacy")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"Error: {path}: {about} (header on row 1), read by 'iro-stats reviews', not by "
        "this command; give it to that command instead"]


def test_a_folder_with_no_escalations_extract_is_an_error(run, tmp_path):
    write(tmp_path / "steps.csv", STEPS)
    result = run("report", tmp_path)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"Error: {tmp_path / 'steps.csv'}: no escalations extract among the files given, "
        f"only files other commands read ({tmp_path / 'steps.csv'}: a workflow steps "
        "export (header on row 1), read by 'iro-stats reviews')"]


def test_a_workbook_reads_its_first_sheet_of_escalations_past_a_sheet_of_another_kind(
        run, tmp_path):
    book = openpyxl.Workbook()
    steps = book.active
    steps.title = "Steps"
    for line in STEPS.splitlines():
        steps.append(line.split(","))
    escalations = book.create_sheet("Escalations")
    escalations.append(["Child ID", "Date Raised", "Reason"])
    escalations.append(["1", "05/11/2018", "Education"])
    escalations.append(["2", "06/11/2018", "Education"])
    book.save(tmp_path / "two.xlsx")
    result = run("report", tmp_path / "two.xlsx", "--source", "legacy", "--format", "json")
    assert result.code == 0, result
    assert result.json()["totals"] == {"escalations": 2, "children": 2}
    assert "sheet 'Escalations', header on row 1" in result.err


def test_an_escalations_header_naming_a_periods_of_care_header_too_stays_escalations(
        run, tmp_path):
    # Child ID, Start Date and End Date name every required field of a periods of care
    # export as well: the kind claiming more of the columns (escalations: 4, periods: 3)
    # is the one read.
    both = write(tmp_path / "both.csv", "Child ID,Start Date,End Date,Reason\n"
                                        "1,05/11/2018,06/11/2018,Education\n")
    result = run("report", both, "--source", "legacy", "--format", "json")
    assert result.code == 0, result
    assert result.json()["totals"]["escalations"] == 1
    periods = write(tmp_path / "periods.csv", "Child ID,Start Date,End Date\n"
                                              "1,05/11/2018,06/11/2018\n")
    assert "a periods of care export (header on row 1)" in run("report", periods).err


def test_a_header_naming_two_kinds_is_the_kind_that_claims_more_of_its_columns(
        run, tmp_path):
    # With a Reason column, a workflow steps export names every required field of an
    # escalations extract too (Workflow Step ID, Person ID, Started On, Completed On,
    # Reason: 5 columns); the workflow steps claim all 9.
    lines = STEPS.splitlines()
    path = write(tmp_path / "steps.csv", f"{lines[0]},Reason\n{lines[1]},Moved\n")
    result = run("report", path)
    assert result.code == 1
    assert "a workflow steps export (header on row 1)" in result.err


def test_a_profile_names_columns_per_kind(run, tmp_path):
    data = write(tmp_path / "own.csv", "Subject,When,Why\n9,03/12/2018,Education\n")
    steps = write(tmp_path / "steps.csv", STEPS.replace("Person ID", "Client Ref"))
    profile = write(tmp_path / "p.toml",
                    '[columns.escalations]\nchild_id = "Subject"\nraised_on = "When"\n'
                    'reason = ["Why", "Because"]\n\n'
                    '[columns.workflow_steps]\nchild_id = "Client Ref"\n')
    result = run("report", tmp_path, "--profile", profile, "--source", "legacy",
                 "--format", "json")
    assert result.code == 0, result
    assert result.json()["totals"]["escalations"] == 1
    assert f"skipped {steps}: a workflow steps export" in result.err
    without = run("report", tmp_path, "--source", "legacy")
    assert f"{data}: no header row found" in without.err


@pytest.mark.parametrize("text, phrase", [  # each blamed on the profile's line
    ('[columns.reviews]\nchild_id = "X"\n',
     "1: unknown extract kind 'reviews' in [columns.reviews]; kinds are escalations, "
     "episodes_903, reviews_903, header_903, periods_of_care, workflow_steps, iro_log"),
    ('[columns.iro_log]\nreason = "X"\n',
     "2: unknown field 'reason' in [columns.iro_log]; fields are child_id, review_date, "
     "participation"),
    ('[columns.iro_log]\nchild_id = []\n',
     "2: [columns.iro_log] child_id must be a header name in quotes, or a list of them"),
])
def test_a_profile_with_a_bad_kind_or_field_is_a_usage_error(run, tmp_path, text, phrase):
    profile = write(tmp_path / "p.toml", text)
    result = run("report", LEGACY, "--profile", profile)
    assert result.code == 2
    assert result.err.splitlines() == [f"Error: {profile}:{phrase}"]


def test_the_reader_gives_each_kind_its_fields_and_row_numbers(tmp_path):
    folder = folder_with_every_kind(tmp_path)
    write(folder / "episodes.csv", "903 return, 2017-18\n\n" + EPISODES + "\nTotal rows: 3\n")
    reading = read_extracts([folder], ("episodes_903", "reviews_903", "header_903"),
                            load_profile(None))
    assert [(e.info.kind, e.info.path) for e in reading.extracts] == [
        ("episodes_903", str(folder / "episodes.csv")),
        ("header_903", str(folder / "header.csv")),
        ("reviews_903", str(folder / "reviews.csv"))]
    assert [s.kind for s in reading.skipped] == ["escalations", "periods_of_care",
                                                 "iro_log", "workflow_steps"]
    episodes = reading.extracts[0]
    info = episodes.info
    assert (info.header_row, info.rows_read, info.blank_rows, info.footer_rows) == \
        (3, 3, 1, 1)
    assert info.columns["decom"] == "DECOM"
    frame = episodes.frame()
    assert list(frame.columns) == ["child_id", "decom", "rne", "ls", "cin", "place",
                                   "place_provider", "dec", "rec", "reason_place_change",
                                   "home_post", "pl_post", "urn", "row"]
    assert frame["row"].tolist() == [4, 5, 6]
    assert frame["dec"].tolist() == ["24/04/17", "", "03/05/2017"]


def test_a_file_of_no_kind_asked_for_lists_the_kinds_and_their_headers(tmp_path):
    path = write(tmp_path / "x.csv", "Name,Address\nx,y\n")
    with pytest.raises(DataError) as error:
        read_extracts([path], ("periods_of_care", "iro_log"))
    assert str(error.value) == (
        f"{path}: no header row found in the first 30 rows (looked for a periods of care "
        "export: PERSON_ID, START_DATE and END_DATE; an IRO review log: Child ID and "
        "Review Date); "
        "check it is one of these, or map its columns in a profile")
    assert error.value.option == "profile"


def test_a_workbook_of_another_kind_in_a_folder_is_skipped_naming_its_sheet(run, tmp_path):
    shutil.copy(LEGACY, tmp_path / "legacy_escalations.csv")
    book = openpyxl.Workbook()
    book.active.title = "Steps"
    for line in STEPS.splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "steps.xlsx")
    result = run("report", tmp_path, "--format", "json")
    assert result.code == 0, result
    assert f"skipped {tmp_path / 'steps.xlsx'}: sheet 'Steps' is a workflow steps export " \
           "(header on row 1), read by 'iro-stats reviews'" in result.err.splitlines()


def test_a_workbook_of_no_kind_asked_for_lists_the_kinds_and_their_headers(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Name", "Address"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(DataError) as error:
        read_extracts([tmp_path / "x.xlsx"], ("periods_of_care", "iro_log"))
    assert str(error.value) == (
        f"{tmp_path / 'x.xlsx'}: no sheet has a header row of an extract read here (sheets: "
        "'Notes'); looked for a periods of care export: PERSON_ID, START_DATE and END_DATE; "
        "an IRO review log: Child ID and Review Date; check it is one of these, or map its "
        "columns in a profile")
    assert error.value.option == "profile"
