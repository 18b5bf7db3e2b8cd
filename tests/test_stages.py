"""`iro-stats stages`: how far escalations go, how quickly they end, per-child detail."""

import csv
import hashlib
import hmac
import shutil

import openpyxl
import pytest

from conftest import LEGACY, MOSAIC, SAMPLE, one_error, write

MOSAIC_HEADER = "Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason\n"
KEY = "3f9a6c0e1b7d4285e6a9c3f01d7b2e48a5c8f1e4b7d0a3c6f9e2b5d8c1f4a7e0"
# The seed report's Mosaic table: 19 November to 31 December 2018 (the sample's extract
# also holds an escalation raised on 2 January 2019, with a label not in the crosswalk).
SEED = ("--to", "31/12/2018")


def stages_json(run, *args):
    result = run("stages", *args, "--format", "json")
    assert result.code == 0, result
    return result.json()



def read_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- the Mosaic sample: stages recorded --------------------------------------------

def test_mosaic_sample_gives_the_stage_distribution_resolution_and_median(run):
    data = stages_json(run, MOSAIC, *SEED)
    assert data["totals"] == {"escalations": 44, "children": 40}
    assert data["stage_recorded"] is True
    assert data["as_at"] == "2019-01-02"
    assert data["escalations_by_highest_stage"] == {"0": 9, "1": 21, "2": 9, "3": 4, "4": 1}
    assert data["children_by_highest_stage"] == {"0": 8, "1": 18, "2": 9, "3": 4, "4": 1}
    assert (data["resolved"], data["open"], data["overdue"]) == (34, 10, 5)
    assert data["median_days_to_resolve"] == 11
    assert data["median_days_to_resolve_by_stage"] == {"0": 5, "1": 10, "2": 21, "3": 22.5,
                                                       "4": 40}
    assert data["resolved_at_or_before_stage_1"] == 24
    assert data["children_with_repeat_escalations"] == 4
    assert data["escalations_per_child"] == {"1": 36, "2": 4}
    assert data["additional_escalations_beyond_first"] == 4
    assert data["escalations_without_stage"] == 0
    assert data["rows"] == {"read": 79, "used": 78, "rejected": 0, "duplicates": 0,
                            "outside_period": 1}


def test_stage_table_shows_counts_percents_resolution_overdue_and_medians(run):
    result = run("stages", MOSAIC, *SEED, "--format", "csv")
    assert result.code == 0, result
    assert ("Highest stage,Escalations,Percent,Resolved,Open,Open > 20 working days,"
            "Median days to resolve\n"
            "Informal,9,20.5,8,1,0,5\n"
            "Stage 1,21,47.7,16,5,3,10\n"
            "Stage 2,9,20.5,7,2,1,21\n"
            "Stage 3,4,9.1,2,2,1,22.5\n"
            "Stage 4,1,2.3,1,0,0,40\n"
            "Total,44,100.0,34,10,5,11\n") in result.out
    assert "Resolved at informal stage or stage 1,24,70.6\n" in result.out


def test_text_output_names_the_as_at_date_and_working_day_rule(run):
    result = run("stages", MOSAIC, *SEED)
    assert result.code == 0, result
    assert "As at 02/01/2019." in result.out
    assert "Open more than 20 working days (as at 02/01/2019)" in result.out
    assert "England and Wales bank holidays excluded" in result.out
    assert "rows read 79: used 78 (44 escalations), rejected 0" in result.err


def test_open_november_escalations_are_overdue_and_december_ones_are_not(run):
    november = stages_json(run, MOSAIC, "--to", "30/11/2018", "--as-at", "02/01/2019")
    december = stages_json(run, MOSAIC, "--from", "01/12/2018", *SEED, "--as-at",
                           "02/01/2019")
    assert (november["open"], november["overdue"]) == (5, 5)
    assert (december["open"], december["overdue"]) == (5, 0)


@pytest.mark.parametrize("limit, overdue", [(0, 10), (13, 6), (14, 5), (25, 3), (28, 0)])
def test_overdue_means_more_than_n_working_days_old(run, limit, overdue):
    # Open escalations' working-day ages on 02/01/2019: 28, 26, 26, 25, 25, 14, 6, 6, 4, 1.
    assert stages_json(run, MOSAIC, *SEED, "--overdue", limit)["overdue"] == overdue


def test_as_at_shows_escalations_as_they_stood_on_that_date(run):
    # As at 30/11/2018 later stages had not started and December resolutions not happened.
    data = stages_json(run, MOSAIC, "--to", "30/11/2018", "--as-at", "30/11/2018")
    assert data["as_at"] == "2018-11-30"
    assert data["totals"] == {"escalations": 12, "children": 12}
    assert data["escalations_by_highest_stage"] == {"0": 3, "1": 6, "2": 2, "3": 1, "4": 0}
    assert (data["resolved"], data["open"], data["overdue"]) == (1, 11, 0)
    assert data["median_days_to_resolve"] == 5


def test_resolutions_after_the_as_at_date_count_as_open(run):
    # Seven escalations were resolved on 02/01/2019; one of them, raised 23/11, was overdue.
    data = stages_json(run, MOSAIC, *SEED, "--as-at", "31/12/2018")
    assert (data["resolved"], data["open"], data["overdue"]) == (27, 17, 6)


def test_as_at_reads_the_period_escalations_valid_rows_only(run, tmp_path):
    # WF0 (before the period) reached stage 3; WF2 (after it) and a rejected row
    # (resolved before raised) carry the latest dates; WF1's first row is repeated.
    path = write(tmp_path / "m.csv", MOSAIC_HEADER
                 + "WF0,9,Stage 3,01/10/2018,02/10/2018,Health\n"
                 + "WF1,1,Stage 1,01/11/2018,,Health\n"
                 + "WF1,1,Stage 1,01/11/2018,,Health\n"
                 + "WF1,1,Stage 2,20/11/2018,04/12/2018,Health\n"
                 + "WF2,2,Stage 1,03/12/2018,,Health\n"
                 + "WF3,3,Stage 1,15/12/2018,10/12/2018,Health\n")
    # The default as-at date is the latest date of any row not rejected.
    assert stages_json(run, path)["as_at"] == "2018-12-04"
    # As at 30/11/2018 WF1 was at stage 2 and open, 21 working days old.
    data = stages_json(run, path, "--from", "01/11/2018", "--to", "30/11/2018",
                       "--as-at", "30/11/2018")
    assert data["totals"] == {"escalations": 1, "children": 1}
    assert data["escalations_by_highest_stage"] == {"0": 0, "1": 0, "2": 1, "3": 0, "4": 0}
    assert (data["resolved"], data["open"], data["overdue"]) == (0, 1, 1)
    assert data["rows"] == {"read": 6, "used": 2, "rejected": 1, "duplicates": 1,
                            "outside_period": 2}
    data = stages_json(run, path, "--from", "01/11/2018", "--to", "19/11/2018",
                       "--as-at", "19/11/2018")
    assert data["escalations_by_highest_stage"] == {"0": 0, "1": 1, "2": 0, "3": 0, "4": 0}


def test_as_at_before_escalations_in_the_period_is_a_usage_error(run):
    result = run("stages", MOSAIC, *SEED, "--as-at", "30/11/2018")
    assert result.code == 2
    assert one_error(result) == (
        "Error: --as-at 30/11/2018 is before 32 of the period's escalations were raised "
        "(the last on 31/12/2018); end the period by then with --to 30/11/2018, or give a "
        "later --as-at")


def test_unreadable_as_at_date_is_a_usage_error(run):
    result = run("stages", MOSAIC, "--as-at", "31/02/2019")
    assert result.code == 2
    assert "--as-at '31/02/2019' is not a date" in one_error(result)


# --- working days -------------------------------------------------------------------

@pytest.mark.parametrize("raised, as_at, limit, overdue", [
    # 21/12/2018 to 23/01/2019 is 20 working days only because 25 and 26 December and
    # 1 January are bank holidays (23 weekdays); 24/01/2019 is the 21st.
    ("21/12/2018", "23/01/2019", 20, 0),
    ("21/12/2018", "24/01/2019", 20, 1),
    # Weekends: raised on a Friday, nothing is a working day old until Monday.
    ("23/11/2018", "25/11/2018", 0, 0),
    ("23/11/2018", "26/11/2018", 0, 1),
    # A one-off bank holiday (the State Funeral, Monday 19/09/2022) comes from the package.
    ("16/09/2022", "20/09/2022", 1, 0),
    ("16/09/2022", "21/09/2022", 1, 1),
])
def test_working_days_leave_out_weekends_and_bank_holidays(run, tmp_path, raised, as_at,
                                                            limit, overdue):
    path = write(tmp_path / "m.csv", MOSAIC_HEADER + f"WF1,1,Stage 1,{raised},,Health\n")
    data = stages_json(run, path, "--as-at", as_at, "--overdue", limit)
    assert (data["open"], data["overdue"]) == (1, overdue)


# --- the legacy log: no stages recorded ----------------------------------------------

def test_legacy_2017_18_gives_the_seed_219_193_and_26_as_an_inference(run):
    result = run("stages", LEGACY, "--financial-year", "2017-18")
    assert result.code == 0, result
    assert "Additional escalations beyond each child's first (inference)        26" \
        in result.out
    assert "No stages are recorded for these 219 escalations" in result.out
    assert "(219 - 193 = 26). It is an inference" in result.out
    assert "1 escalation                        169      87.6%" in result.out
    assert "rows read 325: used 219, rejected 1, duplicates 1, outside period 104" \
        in result.err
    data = stages_json(run, LEGACY, "--financial-year", "2017-18")
    assert data["totals"] == {"escalations": 219, "children": 193}
    assert data["stage_recorded"] is False
    assert data["additional_escalations_beyond_first"] == 26
    assert data["children_with_repeat_escalations"] == 24
    assert data["escalations_per_child"] == {"1": 169, "2": 22, "3": 2}
    for key in ("escalations_by_highest_stage", "children_by_highest_stage", "resolved",
                "open", "median_days_to_resolve", "overdue"):
        assert data[key] is None, key


def test_legacy_output_has_no_stage_tables(run):
    result = run("stages", LEGACY, "--financial-year", "2017", "--format", "csv")
    assert result.code == 0, result
    assert "Highest stage" not in result.out
    assert result.out.startswith("Measure,Number,Percent\nEscalations,219,\nChildren,193,\n")


def test_mixed_input_reports_stages_for_mosaic_and_counts_those_without(run):
    data = stages_json(run, SAMPLE, *SEED)
    assert data["totals"] == {"escalations": 366, "children": 302}
    assert data["stage_recorded"] is True
    assert (data["escalations_with_stage"], data["escalations_without_stage"]) == (44, 322)
    assert data["escalations_by_highest_stage"] == {"0": 9, "1": 21, "2": 9, "3": 4, "4": 1}
    assert (data["resolved"], data["open"], data["overdue"]) == (34, 10, 5)
    text = run("stages", SAMPLE, *SEED).out
    assert ("322 of the 366 escalations (from legacy extracts) have no stage recorded and "
            "are left out of the stage and timeliness figures.") in text
    assert "one keyed into both systems counts twice" in text


def test_a_period_without_escalations_is_a_report_of_zero(run):
    data = stages_json(run, MOSAIC, "--month", "2017-05")
    assert data["totals"] == {"escalations": 0, "children": 0}
    assert data["stage_recorded"] is False
    assert data["median_days_to_resolve"] is None


def test_median_is_null_when_nothing_was_resolved(run, tmp_path):
    path = write(tmp_path / "m.csv", MOSAIC_HEADER + "WF1,1,Informal,03/12/2018,,Health\n"
                 "WF2,2,Stage 1,04/12/2018,,Health\n")
    data = stages_json(run, path)
    assert (data["resolved"], data["open"], data["median_days_to_resolve"]) == (0, 2, None)
    assert data["median_days_to_resolve_by_stage"] == {str(s): None for s in range(5)}


def test_workbook_has_one_sheet_per_table(run, tmp_path):
    out = tmp_path / "stages.xlsx"
    result = run("stages", MOSAIC, "--format", "xlsx", "--output", out)
    assert result.code == 0, result
    assert openpyxl.load_workbook(out).sheetnames == [
        "Stages summary", "Escalations by stage", "Children by stage", "Escalations per child"]


# --- bad stage rows reach the accounting line and --rejects ----------------------------

def test_bad_stage_rows_are_rejected_counted_and_written_to_rejects(run, tmp_path):
    path = write(tmp_path / "m.csv", MOSAIC_HEADER +
                 "WF1,5000001,Informal,03/12/2018,05/12/2018,Health\n"
                 "WF1,5000002,Stage 1,05/12/2018,,Health\n"          # another child
                 "WF2,5000003,Stage 1,10/12/2018,07/12/2018,Health\n"  # resolved first
                 "WF3,5000004,Panel review,03/12/2018,,Health\n"     # unreadable stage
                 "WF4,5000005,Stage 2 - Service Manager,04/12/2018,06/12/2018,Health\n")
    rejects = tmp_path / "rejects.csv"
    result = run("stages", path, "--format", "json", "--rejects", rejects)
    assert result.code == 0, result
    data = result.json()
    assert data["totals"] == {"escalations": 1, "children": 1}
    assert data["escalations_by_highest_stage"] == {"0": 0, "1": 0, "2": 1, "3": 0, "4": 0}
    assert data["rejected_by_reason"] == {
        "stage rows of one escalation name different children": 2,
        "resolved before it was raised": 1, "stage cannot be read": 1}
    assert "rows read 5: used 1, rejected 4, duplicates 0, outside period 0" in result.err
    rows = {r["escalation_id"] + ":" + r["stage"]: r for r in read_rows(rejects)}
    assert rows["WF1:Informal"]["detail"] == "escalation WF1"
    assert rows["WF2:Stage 1"]["detail"] == "resolved 07/12/2018, raised 10/12/2018"
    assert rows["WF3:Panel review"]["detail"] == "'Panel review'"


# --- per-child detail: personal data -------------------------------------------------

def test_per_child_file_has_one_row_per_child_and_says_it_holds_ids(run, tmp_path):
    path = tmp_path / "children.csv"
    result = run("stages", MOSAIC, *SEED, "--per-child", path)
    assert result.code == 0, result
    assert (f"wrote per-child detail for 40 children to {path}: it holds child IDs "
            "(personal data), unlike the tables") in result.err
    rows = read_rows(path)
    assert len(rows) == 40
    assert sum(int(r["Escalations"]) for r in rows) == 44
    assert sum(int(r["Open escalations"]) for r in rows) == 10
    assert sum(int(r["Open more than 20 working days"]) for r in rows) == 5
    by_child = {r["Child ID"]: r for r in rows}
    assert by_child["5956748"] == {
        "Child ID": "5956748", "Escalations": "2", "Highest stage": "3",
        "Open escalations": "1", "Open more than 20 working days": "0",
        "First raised": "2018-12-06", "Last raised": "2018-12-24"}


def test_per_child_leaves_stage_columns_blank_where_none_is_recorded(run, tmp_path):
    path = tmp_path / "children.csv"
    assert run("stages", LEGACY, "--financial-year", "2017", "--per-child", path).code == 0
    rows = read_rows(path)
    assert len(rows) == 193
    assert {r["Highest stage"] for r in rows} == {""}
    assert sorted(int(r["Escalations"]) for r in rows)[-3:] == [2, 3, 3]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_committee_output_never_carries_a_child_id(run, tmp_path, fmt):
    detail = tmp_path / "children.csv"
    result = run("stages", SAMPLE, "--format", fmt, "--per-child", detail)
    assert result.code == 0, result
    ids = {r["Child ID"] for r in read_rows(detail)}
    assert len(ids) == 304
    assert not [i for i in ids if i in result.out]


def test_workbook_never_carries_a_child_id(run, tmp_path):
    detail, book = tmp_path / "children.csv", tmp_path / "stages.xlsx"
    assert run("stages", MOSAIC, "--format", "xlsx", "-o", book,
               "--per-child", detail).code == 0
    ids = {r["Child ID"] for r in read_rows(detail)}
    cells = {str(c.value) for ws in openpyxl.load_workbook(book).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None}
    assert not [c for c in cells if any(i in c for i in ids)]


def test_pseudonyms_are_a_keyed_hash_stable_across_runs(run, tmp_path, monkeypatch):
    key_file = write(tmp_path / "key.txt", KEY + "\n")
    first, again, from_env = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    result = run("stages", MOSAIC, "--per-child", first, "--pseudonymise",
                 "--key-file", key_file)
    assert result.code == 0, result
    assert "child IDs are pseudonymised, but it is still personal data" in result.err
    assert run("stages", MOSAIC, "--month", "2018-12", "--per-child", again,
               "--pseudonymise", "--key-file", key_file).code == 0
    monkeypatch.setenv("IRO_STATS_KEY", KEY)
    assert run("stages", MOSAIC, "--per-child", from_env, "--pseudonymise").code == 0
    expected = hmac.new(KEY.encode(), b"5956748", hashlib.sha256).hexdigest()[:16]
    rows = read_rows(first)
    assert "Child ID" not in rows[0] and "5956748" not in first.read_text()
    assert {r["Pseudonym"]: r for r in rows}[expected]["Escalations"] == "2"
    # The same key gives the same pseudonym in another month's file and from the variable.
    assert expected in {r["Pseudonym"] for r in read_rows(again)}
    assert from_env.read_text() == first.read_text()


def test_another_key_gives_other_pseudonyms(run, tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    for out, key in ((one, KEY), (two, KEY[::-1])):
        key_file = write(tmp_path / f"{out.stem}.key", key)
        assert run("stages", MOSAIC, "--per-child", out, "--pseudonymise",
                   "--key-file", key_file).code == 0
    assert not {r["Pseudonym"] for r in read_rows(one)} & \
        {r["Pseudonym"] for r in read_rows(two)}


def test_pseudonymise_without_a_key_is_a_usage_error_and_writes_nothing(run, tmp_path,
                                                                        monkeypatch):
    monkeypatch.delenv("IRO_STATS_KEY", raising=False)
    out = tmp_path / "children.csv"
    result = run("stages", MOSAIC, "--per-child", out, "--pseudonymise")
    assert result.code == 2
    assert one_error(result).startswith(
        "Error: --pseudonymise needs a key: give --key-file FILE or set IRO_STATS_KEY")
    assert not out.exists() and result.out == ""


@pytest.mark.parametrize("args, phrase", [
    (["--pseudonymise"], "--pseudonymise applies to --per-child FILE.csv"),
    (["--per-child", "{tmp}/c.csv", "--key-file", "{tmp}/k"],
     "--key-file is only used with --pseudonymise"),
    (["--per-child", "{tmp}/c.csv", "--pseudonymise", "--key-file", "{tmp}/short"],
     "short: the key is 5 bytes; use at least 32"),
    (["--per-child", "{tmp}/c.csv", "--pseudonymise", "--key-file", "{tmp}/none"],
     "none: no such key file"),
    (["--per-child", "{tmp}/c.xlsx"], "give a file name ending .csv"),
    (["--per-child", "{tmp}/c.csv", "--rejects", "{tmp}/c.csv"],
     "--rejects"),
])
def test_per_child_option_mistakes_are_usage_errors(run, tmp_path, args, phrase):
    write(tmp_path / "short", "abcde")
    write(tmp_path / "k", KEY)
    result = run("stages", MOSAIC, *[a.format(tmp=tmp_path) for a in args])
    assert result.code == 2
    assert phrase in one_error(result)


def test_per_child_never_overwrites_an_input(run, tmp_path):
    extract = tmp_path / "legacy.csv"
    shutil.copy(LEGACY, extract)
    before = extract.read_bytes()
    result = run("stages", extract, "--per-child", extract)
    assert result.code == 2
    assert "--per-child" in one_error(result) and "is the input file" in one_error(result)
    assert extract.read_bytes() == before and result.out == ""


def test_suppressed_counts_are_hidden_in_the_json_as_in_the_tables(run):
    data = stages_json(run, MOSAIC, *SEED, "--suppress", 5)
    assert data["escalations_by_highest_stage"]["0"] == 9
    assert data["escalations_by_highest_stage"]["3"] == "c"
    assert data["escalations_by_highest_stage"]["4"] == "c"
    assert data["children_by_highest_stage"]["4"] == "c"
    assert data["overdue"] == "c"
