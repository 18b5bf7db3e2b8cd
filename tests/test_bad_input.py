"""Bad input gets one line that names the file and says what to do; never a traceback."""

import zipfile

import openpyxl
import pytest

from conftest import LEGACY, one_error, write

HEADER = "Child ID,Date Raised,Reason\n"



def test_missing_file_is_a_usage_error_naming_it(run, tmp_path):
    result = run("report", tmp_path / "nope.csv")
    assert result.code == 2
    assert f"{tmp_path / 'nope.csv'}: no such file or folder" in one_error(result)


def test_empty_file_says_export_again(run, tmp_path):
    path = write(tmp_path / "empty.csv", "")
    result = run("report", path)
    assert result.code == 1
    assert one_error(result) == \
        f"Error: {path}: the file is empty; export the report again"


def test_empty_workbook_file_says_export_again(run, tmp_path):
    path = write(tmp_path / "empty.xlsx", "")
    result = run("report", path)
    assert result.code == 1
    assert "the file is empty" in one_error(result)


def test_binary_file_named_csv_is_refused(run, tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(bytes(range(256)) * 4)
    result = run("report", path)
    assert result.code == 1
    assert "not a text CSV file" in one_error(result)


@pytest.mark.parametrize("name", ["junk.xlsx", "junk.xls", "junk.ods"])
def test_corrupt_workbook_is_refused_with_advice(run, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"this is not a workbook at all" * 10)
    result = run("report", path)
    assert result.code == 1
    line = one_error(result)
    assert line.startswith(f"Error: {path}: cannot be read as a workbook")
    assert "save it again as .xlsx" in line


def test_zip_that_is_not_a_workbook_is_refused(run, tmp_path):
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    result = run("report", path)
    assert result.code == 1
    assert "cannot be read as a workbook" in one_error(result)


def test_workbook_without_a_recognisable_header(run, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Name", "Address"])
    book.active.append(["x", "y"])
    book.save(tmp_path / "other.xlsx")
    result = run("report", tmp_path / "other.xlsx")
    assert result.code == 1
    line = one_error(result)
    assert "other.xlsx: no sheet has a header row with Child ID, Date Raised and Reason" \
        in line
    assert "--profile" in line


@pytest.mark.parametrize("header, missing", [
    ("Date Raised,Reason,Team\n", "child_id"),
    ("Child ID,Reason,Team\n", "raised_on"),
    ("Child ID,Date Raised,Team\n", "reason"),
])
def test_csv_without_a_required_column_names_it(run, tmp_path, header, missing):
    path = write(tmp_path / "cols.csv", header + "1,2,3\n")
    result = run("report", path)
    assert result.code == 1
    line = one_error(result)
    assert f"{path}: the header on row 1 has no column for {missing}" in line
    assert "name the column in a profile (--profile)" in line


@pytest.mark.parametrize("text, phrase", [
    ("[columns\nchild_id = 1", "is not valid TOML"),
    ('[columns]\nchild = "Ref"\n', "unknown field 'child'"),
    ('source = "paper"\n', "source must be"),
])
def test_unreadable_profile_is_a_usage_error(run, tmp_path, text, phrase):
    profile = write(tmp_path / "p.toml", text)
    result = run("report", LEGACY, "--profile", profile)
    assert result.code == 2
    line = one_error(result)
    assert str(profile) in line and phrase in line


def test_missing_profile_is_a_usage_error(run, tmp_path):
    result = run("report", LEGACY, "--profile", tmp_path / "none.toml")
    assert result.code == 2
    assert one_error(result) == (f"Error: {tmp_path / 'none.toml'}: profile not found; "
                                      "check its path (--profile)")


@pytest.mark.parametrize("option, value, phrase", [
    ("--month", "2018-13", "--month '2018-13' is not a month; give it as YYYY-MM"),
    ("--month", "Dec", "--month 'Dec' is not a month"),
    ("--financial-year", "2017-19", "is not a financial year; give it as 2017 or 2017-18"),
    ("--from", "31/02/2018", "--from '31/02/2018' is not a date"),
])
def test_bad_period_options_are_usage_errors(run, option, value, phrase):
    result = run("report", LEGACY, option, value)
    assert result.code == 2
    assert phrase in one_error(result)


def test_two_period_kinds_at_once_are_refused(run):
    result = run("report", LEGACY, "--month", "2018-12", "--financial-year", "2018")
    assert result.code == 2
    assert "give only one of --month, --financial-year" in one_error(result)


def test_file_whose_source_cannot_be_told_asks_for_source(run, tmp_path):
    path = write(tmp_path / "both.csv", HEADER + "1,01/12/2018,Education\n2,01/12/2018,Other\n")
    result = run("report", path)
    assert result.code == 2
    assert one_error(result) == (
        f"Error: {path}: cannot tell whether this is a legacy log or a Mosaic extract: its "
        "reason labels belong to neither vocabulary alone; say which it is (--source legacy "
        "or --source mosaic)")


def test_mixed_vocabularies_are_ambiguous(run, tmp_path):
    path = write(tmp_path / "mix.csv", HEADER + "1,01/12/2018,Placement concerns\n"
                                                "2,01/12/2018,Care plan delay\n")
    result = run("report", path)
    assert result.code == 2
    assert "mix both vocabularies" in one_error(result)


def test_a_period_with_no_escalations_is_a_report_of_zero(run):
    result = run("report", LEGACY, "--month", "2016-01", "--format", "json")
    assert result.code == 0
    data = result.json()
    assert data["totals"] == {"escalations": 0, "children": 0}
    assert data["reasons"] == []
    assert data["rows"]["outside_period"] == 323
    table = run("report", LEGACY, "--month", "2016-01")
    # No escalations: no percentages, z (not applicable) rather than 0.0%.
    lines = table.out.rstrip().splitlines()
    assert [line.split() for line in lines if line.startswith("Grand")] == \
        [["Grand", "Total", "0", "z"]]
    assert lines[-1] == "Note: Symbols: z: not applicable."


def test_debug_shows_the_traceback(run, tmp_path):
    path = write(tmp_path / "empty.csv", "")
    with pytest.raises(Exception, match="the file is empty"):
        run("--debug", "report", path)
