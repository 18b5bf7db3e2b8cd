"""`report --by team|iro|outcome|stage|month|quarter` and `--across`: escalations counted
by where they came from and what they changed, worked out by hand on a small extract."""

import openpyxl
import pytest

from conftest import write

MOSAIC_HEADER = ("Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason,"
                 "Outcome,Team,IRO Name\n")
# Six escalations of five children (5000001 has two), 2018-19:
# WF-1: its stage 1 row comes first in the file, but its first stage is the informal one
#       (2 April): Team North, IRO A; its last stage (stage 1) says Resolved.
# WF-2: stage 1 and stage 2 start the same day: the lowest stage's team (' team north ')
#       and IRO ('iro a') count; the outcome is stage 2's.
# WF-3: open, no outcome; WF-4: no team, no IRO, outcome 'resolved ' (one with Resolved).
MOSAIC = (
    "WF-1,5000001,Stage 1,05/04/2018,12/04/2018,Inadequate care plan,Resolved,Team South,IRO B\n"
    "WF-1,5000001,Informal,02/04/2018,05/04/2018,Inadequate care plan,Escalated,Team North,IRO A\n"
    "WF-2,5000002,Stage 1,10/07/2018,10/07/2018,Care plan delay,,  team north ,iro a\n"
    "WF-2,5000002,Stage 2,10/07/2018,,Care plan delay,Agreed action,Team East,IRO C\n"
    "WF-3,5000003,Informal,01/10/2018,,Inadequate care plan,,TEAM NORTH,IRO B\n"
    "WF-6,5000006,Informal,03/12/2018,10/12/2018,Care plan delay,Plan updated,Team North,IRO A\n"
    "WF-4,5000004,Informal,15/01/2019,17/01/2019,Education,resolved ,,\n"
    "WF-5,5000001,Informal,20/01/2019,20/01/2019,Inadequate care plan,Resolved,Team South,IRO B\n"
)


@pytest.fixture
def mosaic(tmp_path):
    return write(tmp_path / "mosaic.csv", MOSAIC_HEADER + MOSAIC)


def escalations_by_reason_and_team(tmp_path, counts: dict):
    """Write a Mosaic extract with counts[(reason, team)] escalations, one child each, all
    informal and raised in October 2018."""
    lines, n = [], 0
    for (reason, team), count in counts.items():
        for _ in range(count):
            n += 1
            lines.append(f"WF-{n},{5100000 + n},Informal,{n % 28 + 1:02d}/10/2018,,"
                         f"{reason},,{team},IRO A\n")
    return write(tmp_path / "mosaic.csv", MOSAIC_HEADER + "".join(lines))


def table_rows(result) -> list[list[str]]:
    """Return the rows of a --format csv table, header first."""
    assert result.code == 0, result
    return [line.split(",") for line in result.out.splitlines()]


def test_team_is_the_first_stages_grouped_ignoring_case_and_spaces(run, mosaic):
    # Team North: WF-1 (its informal row, not the stage 1 row read first), WF-2 (stage 1,
    # the lower of two rows started the same day), WF-3 ('TEAM NORTH'), WF-6; shown as
    # 'Team North', which two of the four have. Team South: WF-5 only (WF-1's later
    # stage does not count). WF-4 has none. 4/6 = 66.7%, 1/6 = 16.7%.
    result = run("report", mosaic, "--by", "team", "--format", "csv")
    assert table_rows(result) == [
        ["Team", "Count", "Percent"],
        ["Team North", "4", "66.7"],
        ["Team South", "1", "16.7"],
        ["Not recorded", "1", "16.7"],
        ["Grand Total", "6", "100.0"]]


def test_iro_is_the_first_stages_and_the_analyst_is_told_it_names_staff(run, mosaic):
    # IRO A: WF-1, WF-2 ('iro a'), WF-6; IRO B: WF-3, WF-5; WF-4 none. 3/6 = 50.0%.
    result = run("report", mosaic, "--by", "iro", "--format", "csv")
    assert table_rows(result) == [
        ["IRO", "Count", "Percent"],
        ["IRO A", "3", "50.0"],
        ["IRO B", "2", "33.3"],
        ["Not recorded", "1", "16.7"],
        ["Grand Total", "6", "100.0"]]
    assert ("note: IRO names are staff names: this table is for the analyst, not for a "
            "committee paper") in result.err.splitlines()
    assert "staff names" not in result.out


def test_outcome_is_the_last_stages_with_not_recorded_last(run, mosaic):
    # Resolved: WF-1 (stage 1's, not the informal row's 'Escalated'), WF-4 ('resolved '),
    # WF-5; Agreed action: WF-2's stage 2; Plan updated: WF-6; WF-3 is open, none.
    # Ties in count go by name; Not recorded comes last whatever its count.
    result = run("report", mosaic, "--by", "outcome", "--format", "csv")
    assert table_rows(result) == [
        ["Outcome", "Count", "Percent"],
        ["Resolved", "3", "50.0"],
        ["Agreed action", "1", "16.7"],
        ["Plan updated", "1", "16.7"],
        ["Not recorded", "1", "16.7"],
        ["Grand Total", "6", "100.0"]]


def test_stage_is_the_highest_reached_with_every_formal_stage_shown(run, mosaic):
    result = run("report", mosaic, "--by", "stage", "--format", "csv")
    assert table_rows(result) == [
        ["Highest stage", "Count", "Percent"],
        ["Informal", "4", "66.7"],
        ["Stage 1", "1", "16.7"],
        ["Stage 2", "1", "16.7"],
        ["Stage 3", "0", "0.0"],
        ["Stage 4", "0", "0.0"],
        ["Grand Total", "6", "100.0"]]


def test_quarters_are_financial_and_in_date_order(run, mosaic):
    # April (WF-1) is Q1 2018-19, July Q2, October and December Q3, January 2019 Q4.
    result = run("report", mosaic, "--by", "quarter", "--format", "csv")
    assert table_rows(result) == [
        ["Quarter raised", "Count", "Percent"],
        ["Q1 2018-19", "1", "16.7"],
        ["Q2 2018-19", "1", "16.7"],
        ["Q3 2018-19", "2", "33.3"],
        ["Q4 2018-19", "2", "33.3"],
        ["Grand Total", "6", "100.0"]]
    text = run("report", mosaic, "--by", "quarter").out
    # The data runs from 2 April 2018 (first raised) to 20 January 2019 (latest date).
    assert ("Note: Q1 2018-19: only 2 April to 30 June 2018 (the period or the data "
            "reaches no more of it).") in text.splitlines()
    assert ("Note: Q4 2018-19: only 1 to 20 January 2019 (the period or the "
            "data reaches no more of it).") in text.splitlines()


def test_every_month_the_data_reaches_is_shown_zero_when_none_was_raised(run, mosaic):
    result = run("report", mosaic, "--by", "month", "--financial-year", "2018-19",
                 "--format", "csv")
    # Months from April 2018 to January 2019 (the data ends on 20 January); none after.
    assert table_rows(result) == [
        ["Month raised", "Count", "Percent"],
        ["April 2018", "1", "16.7"], ["May 2018", "0", "0.0"], ["June 2018", "0", "0.0"],
        ["July 2018", "1", "16.7"], ["August 2018", "0", "0.0"],
        ["September 2018", "0", "0.0"], ["October 2018", "1", "16.7"],
        ["November 2018", "0", "0.0"], ["December 2018", "1", "16.7"],
        ["January 2019", "2", "33.3"], ["Grand Total", "6", "100.0"]]


def test_reasons_across_teams_with_row_and_column_totals(run, mosaic):
    # Inadequate care plan: WF-1, WF-3 (North), WF-5 (South); Care plan delay: WF-2,
    # WF-6 (North); Education: WF-4 (no team).
    result = run("report", mosaic, "--by", "reason", "--across", "team", "--format", "csv")
    assert table_rows(result) == [
        ["Reason", "Team North", "Team South", "Not recorded", "Total"],
        ["Inadequate care plan", "2", "1", "0", "3"],
        ["Care plan delay", "2", "0", "0", "2"],
        ["Education", "0", "0", "1", "1"],
        ["Grand Total", "4", "1", "1", "6"]]


def test_two_way_json_has_each_columns_label_as_a_key_and_a_total_row(run, mosaic):
    data = run("report", mosaic, "--by", "quarter", "--across", "outcome",
               "--format", "json").json()
    assert data["by"] == "quarter" and data["across"] == "outcome"
    assert data["totals"] == {"escalations": 6, "children": 5}
    assert data["columns"] == ["Resolved", "Agreed action", "Plan updated", "Not recorded"]
    assert data["breakdown"] == [
        {"quarter": "Q1 2018-19", "Resolved": 1, "Agreed action": 0, "Plan updated": 0,
         "Not recorded": 0, "total": 1},
        {"quarter": "Q2 2018-19", "Resolved": 0, "Agreed action": 1, "Plan updated": 0,
         "Not recorded": 0, "total": 1},
        {"quarter": "Q3 2018-19", "Resolved": 0, "Agreed action": 0, "Plan updated": 1,
         "Not recorded": 1, "total": 2},
        {"quarter": "Q4 2018-19", "Resolved": 2, "Agreed action": 0, "Plan updated": 0,
         "Not recorded": 0, "total": 2}]
    assert data["grand_total"] == {"Resolved": 3, "Agreed action": 1, "Plan updated": 1,
                                   "Not recorded": 1, "total": 6}
    assert data["rows"] == {"read": 8, "used": 8, "rejected": 0, "duplicates": 0,
                            "outside_period": 0}


def test_one_way_json_lists_each_label_under_the_breakdowns_name(run, mosaic):
    data = run("report", mosaic, "--by", "team", "--format", "json").json()
    assert data["by"] == "team" and "across" not in data
    assert data["totals"] == {"escalations": 6, "children": 5}
    assert data["breakdown"] == [
        {"team": "Team North", "count": 4, "percent": 66.7},
        {"team": "Team South", "count": 1, "percent": 16.7},
        {"team": "Not recorded", "count": 1, "percent": 16.7}]


def test_across_source_counts_each_system_with_iros_grouped_across_them(run, tmp_path,
                                                                        mosaic):
    legacy = write(tmp_path / "legacy.csv",
                   "Child Ref,Date Raised,Reason for Escalation,IRO Name\n"
                   "5000001,02/04/2018,Incomplete or inadequate care plans,IRO A\n"
                   "5000008,04/04/2018,Drift or delay in care planning,iro b\n"
                   "5000009,05/04/2018,Education,IRO B\n")
    # IRO A: legacy 1 (child 5000001) + Mosaic 3; IRO B: legacy 2 ('iro b', 'IRO B') + Mosaic 2; a tie
    # of 4, so by name.
    result = run("report", legacy, mosaic, "--by", "iro", "--across", "source",
                 "--format", "csv")
    assert table_rows(result) == [
        ["IRO", "Legacy", "Mosaic", "Total"],
        ["IRO A", "1", "3", "4"],
        ["IRO B", "2", "2", "4"],
        ["Not recorded", "0", "1", "1"],
        ["Grand Total", "3", "6", "9"]]
    # The legacy row for child 5000001 on 2 April is Mosaic's WF-1 keyed again.
    assert ("Note: Escalations from the legacy log and Mosaic are counted as recorded: one "
            "keyed into both systems counts twice. Possible duplicates (same child, same "
            "category, raised on the same day): 1, listed for checking by the "
            "reconciliation.") in run("report", legacy, mosaic, "--by", "iro", "--across",
                                   "source").out.splitlines()
    assert run("report", legacy, mosaic, "--by", "iro", "--across", "source", "--format",
               "json").json()["possible_duplicates"] == 1


def test_a_two_way_table_is_a_workbook_sheet_of_numbers(run, mosaic, tmp_path):
    out = tmp_path / "by-team.xlsx"
    result = run("report", mosaic, "--by", "stage", "--across", "team", "--format", "xlsx",
                 "--output", out)
    assert result.code == 0, result
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    header = cells.index(["Highest stage", "Team North", "Team South", "Not recorded",
                          "Total"])
    assert cells[header + 1:header + 7] == [
        ["Informal", 2, 1, 1, 4], ["Stage 1", 1, 0, 0, 1], ["Stage 2", 1, 0, 0, 1],
        ["Stage 3", 0, 0, 0, 0], ["Stage 4", 0, 0, 0, 0], ["Grand Total", 4, 1, 1, 6]]


def test_across_the_same_breakdown_is_refused(run, mosaic):
    result = run("report", mosaic, "--by", "team", "--across", "team")
    assert result.code == 2
    assert result.err.strip().splitlines()[-1] == (
        "Error: --across team: give a different breakdown from --by")


def test_a_two_way_table_is_protected_in_its_rows_and_its_columns(run, tmp_path):
    # 32 escalations, one child each, reasons by team:
    #                    North  South  Total
    #   Inadequate          7      8     15
    #   Education           9      0      9
    #   Care plan delay     2      6      8
    #   Grand Total        18     14     32
    # With --suppress 5 the 2 is hidden. Alone in its column, North's 18 - 7 - 9 would
    # give it away, so North's next smallest (7) goes too; then the Inadequate row would
    # give the 7 away (15 - 8), so its 8 goes, and the Care plan delay row (8 - 6) its 6.
    # Every row and column now hides two counts or none; the totals stay.
    counts = {("Inadequate care plan", "Team North"): 7,
              ("Inadequate care plan", "Team South"): 8,
              ("Care plan delay", "Team North"): 2, ("Care plan delay", "Team South"): 6,
              ("Education", "Team North"): 9}
    data = escalations_by_reason_and_team(tmp_path, counts)
    result = run("report", data, "--by", "reason", "--across", "team", "--suppress", "5",
                 "--format", "csv")
    assert table_rows(result)[:5] == [
        ["Reason", "Team North", "Team South", "Total"],
        ["Inadequate care plan", "c", "c", "15"],
        ["Education", "9", "0", "9"],
        ["Care plan delay", "c", "c", "8"],
        ["Grand Total", "18", "14", "32"]]
    value = run("report", data, "--by", "reason", "--across", "team", "--suppress", "5",
                "--format", "json").json()
    assert value["breakdown"][2] == {"reason": "Care plan delay", "Team North": "c",
                                     "Team South": "c", "total": 8}
    assert value["grand_total"] == {"Team North": 18, "Team South": 14, "total": 32}
    assert sorted((c["row"], c["column"], c["why"]) for c in value["suppression"]["cells"]) \
        == [("Care plan delay", "Team North", "count"),
            ("Care plan delay", "Team South", "secondary"),
            ("Inadequate care plan", "Team North", "secondary"),
            ("Inadequate care plan", "Team South", "secondary")]


def test_a_one_way_breakdown_hides_small_counts_and_their_percents(run, mosaic):
    # Team South 1 and Not recorded 1 are hidden with their percents; Team North's 4
    # would then be 6 - c - c: two hidden counts of 1 each sum to 2 = 6 - 4, so they give
    # themselves away and North is hidden too. The Grand Total stays.
    result = run("report", mosaic, "--by", "team", "--suppress", "5", "--format", "csv")
    assert table_rows(result)[:5] == [
        ["Team", "Count", "Percent"],
        ["Team North", "c", "c"],
        ["Team South", "c", "c"],
        ["Not recorded", "c", "c"],
        ["Grand Total", "6", "100.0"]]


def test_a_reason_label_not_in_the_crosswalk_is_one_row_unless_shown(run, tmp_path):
    data = write(tmp_path / "mosaic.csv", MOSAIC_HEADER + MOSAIC
                 + "WF-7,5000007,Informal,21/01/2019,,Contact with Jo,,Team South,IRO B\n")
    table = table_rows(run("report", data, "--by", "reason", "--across", "team",
                           "--format", "csv"))
    assert ["Label not in the vocabulary", "0", "1", "0", "1"] in table
    assert not any("Contact with Jo" in ",".join(row) for row in table)
    shown = run("report", data, "--by", "reason", "--across", "team", "--show-unlisted")
    assert "Contact with Jo" in shown.out
    assert ("Note: Labels not in the crosswalk are shown as written, for the analyst's "
            "checking: not for a committee paper, where they are counted as 'Label not in "
            "the vocabulary'.") in shown.out.splitlines()


def test_a_label_that_reads_as_a_total_is_named_for_its_breakdown(run, tmp_path):
    # A team called 'All' would be taken for the row totals by disclosure control.
    data = write(tmp_path / "mosaic.csv", MOSAIC_HEADER
                 + "WF-1,5000001,Informal,02/04/2018,,Education,,All,IRO A\n"
                 + "WF-2,5000002,Informal,03/04/2018,,Education,,All,IRO A\n"
                 + "WF-3,5000003,Informal,04/04/2018,,Care plan delay,,North,IRO A\n")
    assert table_rows(run("report", data, "--by", "reason", "--across", "team",
                          "--format", "csv")) == [
        ["Reason", "All (team)", "North", "Total"],
        ["Education", "2", "0", "2"],
        ["Care plan delay", "0", "1", "1"],
        ["Grand Total", "2", "1", "3"]]


# --- the monthly pack: reasons by team and outcomes, year to date; never an IRO --------

def pack_tables(folder, month="2018-12") -> dict[str, list[list[str]]]:
    """Return the Markdown pack's tables by title: rows of cell texts, header first."""
    text = (folder / f"iro-escalations-{month}.md").read_text(encoding="utf-8")
    tables, title = {}, None
    for line in text.splitlines():
        if line.startswith("### "):
            title = line[4:]
            tables[title] = []
        elif line.startswith("|") and not line.startswith("|--") and title:
            tables[title].append([c.strip().strip("*") for c in line.strip("|").split("|")])
    return tables


def test_the_pack_has_reasons_by_team_and_outcomes_for_the_year_to_date(run, mosaic,
                                                                        tmp_path):
    result = run("monthly", "--month", "2019-01", mosaic, "--output", tmp_path / "pack")
    assert result.code == 0, result
    tables = pack_tables(tmp_path / "pack", "2019-01")
    ytd = "financial year to date, 1 April 2018 to 31 January 2019"
    assert tables[f"Reasons for IRO escalations by team, {ytd}"] == [
        ["Reason", "Team North", "Team South", "Not recorded", "Total"],
        ["Inadequate care plan", "2", "1", "0", "3"],
        ["Care plan delay", "2", "0", "0", "2"],
        ["Education", "0", "0", "1", "1"],
        ["Grand Total", "4", "1", "1", "6"]]
    assert tables[f"Outcomes of IRO escalations, {ytd}"] == [
        ["Outcome", "Count", "Percent"],
        ["Resolved", "3", "50.0%"], ["Agreed action", "1", "16.7%"],
        ["Plan updated", "1", "16.7%"], ["Not recorded", "1", "16.7%"],
        ["Grand Total", "6", "100.0%"]]


def test_the_pack_has_no_outcomes_table_when_none_is_recorded(run, tmp_path):
    data = write(tmp_path / "mosaic.csv", MOSAIC_HEADER
                 + "WF-1,5000001,Informal,02/12/2018,,Education,,Team North,IRO A\n"
                 + "WF-2,5000002,Informal,03/12/2018,,Care plan delay,,Team South,IRO B\n")
    assert run("monthly", "--month", "2018-12", data, "--output", tmp_path / "p").code == 0
    titles = list(pack_tables(tmp_path / "p"))
    assert any(t.startswith("Reasons for IRO escalations by team") for t in titles)
    assert not any(t.startswith("Outcomes") for t in titles)


def test_a_count_hidden_in_the_team_table_is_hidden_in_the_reasons_table(run, tmp_path):
    # Year to date (all in October 2018), --suppress 3:
    #                    North  South  Total       Reasons table
    #   Inadequate          8      0      8            8
    #   Care plan delay     3      4      7            7
    #   Grand Total        11      4     15           15
    # The 3 is hidden; North's 8 then, as the next smallest in its column; the Inadequate
    # row's total 8, its only other count; the 4 beside the 3; South's total 4, the 7 of
    # the Total column and North's 11. The reasons table shows each row's total again:
    # there they are hidden too, or 15 - 8 would give the 7 away.
    counts = {("Inadequate care plan", "Team North"): 8,
              ("Care plan delay", "Team North"): 3, ("Care plan delay", "Team South"): 4}
    data = escalations_by_reason_and_team(tmp_path, counts)
    result = run("monthly", "--month", "2018-12", data, "--output", tmp_path / "p",
                 "--suppress", "3")
    assert result.code == 0, result
    tables = pack_tables(tmp_path / "p")
    ytd = "financial year to date, 1 April to 31 December 2018"
    assert tables[f"Reasons for IRO escalations by team, {ytd}"] == [
        ["Reason", "Team North", "Team South", "Total"],
        ["Inadequate care plan", "c", "0", "c"],
        ["Care plan delay", "c", "c", "c"],
        ["Grand Total", "c", "c", "15"]]
    assert tables[f"Reasons for IRO escalations, {ytd} (Mosaic labels)"] == [
        ["Reason", "Count", "Percent"],
        ["Inadequate care plan", "c", "c"],
        ["Care plan delay", "c", "c"],
        ["Grand Total", "15", "100.0%"]]


def test_the_pack_never_names_an_iro(run, tmp_path):
    import re

    from docx import Document
    from openpyxl import load_workbook

    from conftest import SAMPLE

    assert run("monthly", "--month", "2018-12", SAMPLE, "--output", tmp_path).code == 0
    stem = tmp_path / "iro-escalations-2018-12"
    book = load_workbook(stem.with_suffix(".xlsx"))
    texts = [str(c.value) for ws in book for row in ws.iter_rows() for c in row
             if c.value is not None]
    doc = Document(str(stem.with_suffix(".docx")))
    texts += [p.text for p in doc.paragraphs]
    texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    texts.append(stem.with_suffix(".md").read_text(encoding="utf-8"))
    # The sample's IROs are 'IRO A' to 'IRO H' in both files.
    assert not [t for t in texts if re.search(r"\bIRO [A-H]\b", t)]
    assert "Outcomes" in book.sheetnames and "By team" in book.sheetnames
