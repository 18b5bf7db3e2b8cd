"""Paths through loading and cleaning that the other tests leave unrun: inputs refused
before reading, odd dates, rows of one escalation that only look alike, and the blank
rules of mappings/fields.toml."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import LEGACY, MOSAIC, write
from iro_stats import schema

MOSAIC_HEADER = "Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason,Outcome\n"


def one_error_line(result) -> str:
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_a_folder_with_no_extract_files_is_a_usage_error(run, tmp_path):
    write(tmp_path / "notes.txt", "not an extract\n")
    result = run("report", tmp_path)
    assert result.code == 2
    assert one_error_line(result) == (
        f"Error: {tmp_path}: no .csv, .xlsx, .xlsm, .xls or .ods files in this folder; "
        "name the extract files instead")


def test_a_file_that_is_not_a_csv_or_workbook_is_a_usage_error(run, tmp_path):
    path = write(tmp_path / "extract.txt", "Child ID,Date Raised,Reason\n")
    result = run("report", path)
    assert result.code == 2
    assert one_error_line(result) == (f"Error: {path}: not a .csv, .xlsx, .xlsm, .xls or .ods "
                                      "file; save the extract in one of those formats")


@pytest.mark.parametrize("content, phrase", [
    (b"[columns]\nchild_id = \"Ref\xff\"\n", "cannot read the profile"),
    (b'columns = "Ref"\n', '[columns] must be a table of field = "header"'),
])
def test_a_profile_that_cannot_be_used_is_a_usage_error(run, tmp_path, content, phrase):
    profile = tmp_path / "p.toml"
    profile.write_bytes(content)
    result = run("report", LEGACY, "--profile", profile)
    assert result.code == 2
    line = one_error_line(result)
    assert line.startswith((f"Error: {profile}: ", f"Error: {profile}:1: ")) and phrase in line


def test_dates_no_one_can_read_reject_their_rows(run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Child ID", "Date Raised", "Reason"])
    sheet.append(["1", "05-Foo-2018", "Education"])  # no month is called Foo
    sheet.append(["2", 0, "Education"])  # serial numbers start at 1
    sheet.append(["3", 3_000_000, "Education"])  # past 9999
    sheet.append(["4", 43437, "Education"])  # 3 December 2018
    book.save(tmp_path / "d.xlsx")
    result = run("report", tmp_path / "d.xlsx", "--source", "legacy", "--format", "json")
    assert result.json()["rows"] == {"read": 4, "used": 1, "rejected": 3, "duplicates": 0,
                                     "outside_period": 0}
    assert result.json()["rejected_by_reason"] == {"date raised is not a date we can read": 3}


def test_stage_rows_alike_but_for_one_field_are_not_duplicates(run, tmp_path):
    # Rows 2, 3 and 4 share escalation, child, date and stage; only row 4 repeats an
    # earlier row (row 2) in every field.
    path = write(tmp_path / "m.csv", MOSAIC_HEADER +
                 "WF-1,5000001,Informal,03/12/2018,,Care plan delay,Escalated\n"
                 "WF-1,5000001,Informal,03/12/2018,,Care plan delay,Agreed action\n"
                 "WF-1,5000001,Informal,03/12/2018,,Care plan delay,Escalated\n"
                 "WF-2,5000002,Informal,04/12/2018,,Care plan delay,\n")
    rejects = tmp_path / "rejects.csv"
    result = run("report", path, "--format", "json", "--rejects", rejects)
    assert result.json()["rows"] == {"read": 4, "used": 3, "rejected": 0, "duplicates": 1,
                                     "outside_period": 0}
    assert result.json()["totals"] == {"escalations": 2, "children": 2}
    assert f"duplicate,duplicate,repeats {path} row 2," in rejects.read_text()


def test_a_duplicate_in_an_escalation_naming_two_children_stays_a_duplicate(run, tmp_path):
    # Row 3 repeats row 2; rows 2 and 4 name different children: the escalation's valid
    # rows (2 and 4) are rejected, row 3 is counted once, as a duplicate.
    path = write(tmp_path / "m.csv", MOSAIC_HEADER +
                 "WF-1,5000001,Informal,03/12/2018,,Care plan delay,Escalated\n"
                 "WF-1,5000001,Informal,03/12/2018,,Care plan delay,Escalated\n"
                 "WF-1,5000002,Stage 1,05/12/2018,,Care plan delay,\n"
                 "WF-2,5000003,Informal,04/12/2018,,Care plan delay,\n")
    result = run("report", path, "--format", "json")
    assert result.json()["rows"] == {"read": 4, "used": 1, "rejected": 2, "duplicates": 1,
                                     "outside_period": 0}
    assert result.json()["rejected_by_reason"] == {
        "stage rows of one escalation name different children": 2}


def with_fields(monkeypatch, tmp_path, old: str, new: str):
    """Use a copy of fields.toml with one line changed."""
    text = schema.fields_file().read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / "fields.toml"
    changed.write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(schema, "fields_file", lambda: changed)
    schema.kinds.cache_clear()
    schema._lookup.cache_clear()


@pytest.fixture
def fresh_kinds():
    """Read fields.toml afresh after the test, as the package ships it."""
    yield
    schema.kinds.cache_clear()
    schema._lookup.cache_clear()


def test_a_blank_stage_is_kept_when_fields_toml_says_so(run, tmp_path, monkeypatch,
                                                         fresh_kinds):
    path = write(tmp_path / "m.csv", MOSAIC_HEADER +
                 "WF-1,5000001,,03/12/2018,,Care plan delay,\n"
                 "WF-2,5000002,Stage 1,04/12/2018,,Care plan delay,\n")
    before = run("report", path, "--format", "json").json()
    assert before["rejected_by_reason"] == {"stage is blank": 1}
    with_fields(monkeypatch, tmp_path, 'value = "stage"\nblank = "reject"',
                'value = "stage"\nblank = "keep"')
    after = run("report", path, "--format", "json").json()
    assert after["rows"]["used"] == 2 and after["rejected_by_reason"] == {}


def test_a_malformed_fields_toml_is_named(tmp_path, monkeypatch, fresh_kinds):
    with_fields(monkeypatch, tmp_path, 'value = "stage"', 'value = "stages"')
    with pytest.raises(ValueError, match=r"fields.toml: \[escalations.fields.stage\] is "
                                         "malformed"):
        schema.kinds()


def test_report_on_a_csv_never_loads_pandas_or_pyarrow_compute(tmp_path):
    # Loading them is a fifth of a second of a million-row report, which needs neither
    # (docs/performance.md): the core reaches pyarrow's kernels by name and its arrays by
    # their buffers. Run in a process of its own, where nothing has loaded them yet.
    import subprocess
    import sys

    path = write(tmp_path / "m.csv", MOSAIC_HEADER +
                 "WF-1,5000001,Informal,03/12/2018,,Care plan delay,Escalated\n"
                 "WF-1,5000001,Stage 1,05/12/2018,,Care plan delay,\n"
                 "WF-2,,Informal,04/12/2018,,Care plan delay,\n")
    code = ("import sys\nfrom click.testing import CliRunner\nfrom iro_stats.cli import cli\n"
            f"result = CliRunner().invoke(cli, ['report', {str(path)!r}, '--format', 'json'])\n"
            "print(result.exit_code, [m for m in ('pandas', 'pyarrow.compute') "
            "if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr


def test_a_file_whose_every_row_is_rejected_gives_no_dates_to_the_as_at_default(run, tmp_path):
    # The legacy file's one row is rejected (31 February): the latest date in the data,
    # stages' default as-at, is Mosaic's (2 January 2019), and the legacy side has none.
    bad = write(tmp_path / "bad.csv", "Child Ref,Date Raised,Reason for Escalation\n"
                                      "5022362,31/02/2018,Incomplete or inadequate care plans\n")
    result = run("stages", bad, MOSAIC, "--financial-year", "2018-19", "--format", "json")
    assert result.code == 0, result
    assert result.json()["as_at"] == "2019-01-02"
    assert result.json()["totals"] == {"escalations": 45, "children": 41}
