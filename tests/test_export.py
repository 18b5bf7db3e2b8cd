"""export: the cleaned data, one row per escalation, as .csv or .xlsx."""

import csv
import datetime as dt

import openpyxl

from conftest import LEGACY, SAMPLE, write

COLUMNS = ["source", "file", "sheet", "row", "escalation_id", "child_id", "raised_on",
           "highest_stage", "resolved_on", "reason_recorded", "reason", "category",
           "category_name", "relation", "outcome", "team", "iro", "stage_rows"]


def read_csv(path):
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_csv_export_has_one_row_per_escalation_in_the_documented_columns(run, tmp_path):
    path = tmp_path / "escalations.csv"
    result = run("export", SAMPLE, "--output", path)
    assert result.code == 0, result
    # The seed's 366 and the two escalations of 2 January 2019 with unlisted labels.
    assert (f"wrote 368 escalations to {path} (it holds child IDs: keep it to analysts)"
            in result.err)
    assert "rows read 404: used 402 (368 escalations), rejected 1, duplicates 1" in result.err
    rows = read_csv(path)
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 368
    assert sum(r["source"] == "mosaic" for r in rows) == 45
    assert sum(int(r["stage_rows"]) for r in rows if r["source"] == "mosaic") == 79
    first = rows[0]
    assert (first["source"], first["row"], first["child_id"], first["raised_on"],
            first["highest_stage"], first["resolved_on"], first["category"]) == \
        ("legacy", "2", "5022362", "2017-04-03", "", "", "care_plan_quality")


def test_mosaic_rows_carry_highest_stage_resolution_and_both_spellings_of_reason(
        run, tmp_path):
    path = tmp_path / "escalations.csv"
    run("export", SAMPLE, "--output", path)
    mosaic = [r for r in read_csv(path) if r["source"] == "mosaic"]
    pair = next(r for r in mosaic if r["escalation_id"] == "WF-100278")
    assert {k: pair[k] for k in ("sheet", "row", "child_id", "raised_on", "highest_stage",
                                 "resolved_on", "reason_recorded", "reason", "category",
                                 "category_name", "relation")} == {
        "sheet": "IRO Escalations", "row": "7", "child_id": "5226676",
        "raised_on": "2018-11-22", "highest_stage": "1", "resolved_on": "2018-12-06",
        "reason_recorded": "Inadequate care plan", "reason": "Inadequate care plan",
        "category": "care_plan_quality", "category_name": "Incomplete or inadequate care plan",
        "relation": "equivalent"}
    stages = [int(r["highest_stage"]) for r in mosaic]
    assert [stages.count(n) for n in range(5)] == [10, 21, 9, 4, 1]
    assert sum(r["resolved_on"] == "" for r in mosaic) == 11


def test_export_applies_the_period_like_report(run, tmp_path):
    path = tmp_path / "fy.csv"
    result = run("export", SAMPLE, "--financial-year", "2017-18", "--output", path)
    assert "outside period 183" in result.err
    rows = read_csv(path)
    assert len(rows) == 219
    assert len({r["child_id"] for r in rows}) == 193


def test_xlsx_export_has_real_dates_numbers_and_text_ids(run, tmp_path):
    path = tmp_path / "escalations.xlsx"
    result = run("export", SAMPLE, "--output", path)
    assert result.code == 0, result
    ws = openpyxl.load_workbook(path)["Escalations"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 369
    record = dict(zip(COLUMNS, next(r for r in rows if r[4] == "WF-100278")))
    assert record["raised_on"] == dt.datetime(2018, 11, 22)
    assert record["resolved_on"] == dt.datetime(2018, 12, 6)
    assert record["highest_stage"] == 1 and record["row"] == 7
    assert record["child_id"] == "5226676"
    assert ws["G2"].number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "A2"


def test_unmapped_and_blank_reasons_are_exported_with_their_category(run, tmp_path):
    log = write(tmp_path / "log.csv", "Child ID,Date Raised,Reason\n"
                "0012345,01/04/2018,Incomplete or inadequate care plans\n"
                "0012346,02/04/2018,=HYPERLINK(\"x\")\n"
                "0012347,03/04/2018,\n")
    path = tmp_path / "out.csv"
    assert run("export", log, "--source", "legacy", "--output", path).code == 0
    rows = read_csv(path)
    assert [(r["child_id"], r["reason"], r["category"], r["category_name"]) for r in rows] == [
        ("0012345", "Incomplete or inadequate care plans", "care_plan_quality",
         "Incomplete or inadequate care plan"),
        ("0012346", "'=HYPERLINK(\"x\")", "unmapped", "Label not in the vocabulary"),
        ("0012347", "Not recorded", "not_recorded", "Not recorded")]
    xlsx = tmp_path / "out.xlsx"
    assert run("export", log, "--source", "legacy", "--output", xlsx).code == 0
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["J3"].value == '=HYPERLINK("x")' and ws["J3"].data_type == "s"
    assert ws["F2"].value == "0012345"


def test_export_needs_a_csv_or_xlsx_name_and_stops_before_reading(run, tmp_path):
    result = run("export", LEGACY, "--output", tmp_path / "out.txt")
    assert result.code == 2
    assert result.err == f"Error: {tmp_path / 'out.txt'}: give a file name ending .csv or .xlsx\n"


def test_export_without_output_is_a_usage_error(run):
    result = run("export", LEGACY)
    assert result.code == 2
    assert "Missing option '--output'" in result.err


def test_export_never_writes_over_an_input(run, tmp_path):
    copy = write(tmp_path / "log.csv", LEGACY.read_bytes().decode("cp1252"), "cp1252")
    before = copy.read_bytes()
    result = run("export", copy, "--output", copy)
    assert result.code == 2
    assert "--output" in result.err and "is the input file" in result.err
    assert copy.read_bytes() == before
