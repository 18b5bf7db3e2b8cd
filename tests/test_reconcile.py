"""reconcile: the seed's legacy and Mosaic tables on one harmonised scale."""

import csv
import re

import pytest

from conftest import LEGACY, MOSAIC, SAMPLE, write

GO_LIVE = "2018-11-19"
# The seed report's tables end on 31 December 2018 (the sample's extracts also hold two
# escalations raised on 2 January 2019, with labels not in the crosswalk).
SEED = ("--to", "2018-12-31")


def figures(result, code):
    """Return (legacy count, percent, per month, mosaic count, percent, per month)."""
    line = next(c for c in result.json()["categories"] if c["category"] == code)
    return tuple(line[s][k] for s in ("legacy", "mosaic")
                 for k in ("count", "percent", "per_month"))


def test_cutover_puts_legacy_before_go_live_beside_all_mosaic_escalations(run):
    result = run("reconcile", SAMPLE, "--cutover", GO_LIVE, "--format", "json")
    assert result.code == 0, result
    data = result.json()
    # Mosaic runs to its last escalation, the unlisted label of 2 January 2019 (45 with
    # it); the legacy log's, that day too, is after the cutover: 10 left out.
    assert data["legacy"] == {"from": "2017-04-03", "to": "2018-11-15", "escalations": 313,
                              "days": 592, "months": 19.45}
    assert data["mosaic"] == {"from": "2018-11-20", "to": "2019-01-02", "escalations": 45,
                              "days": 44, "months": 1.45}
    assert data["legacy_after_cutover"] == 10
    assert data["mosaic_before_cutover"] == 0
    assert data["possible_duplicates"] == 4
    assert data["duplicates_counted_twice"] == 0
    # rate = count / (days / 30.4375): 182 / (592 / 30.4375) = 9.36; 19 / (44 / 30.4375) = 13.14
    assert figures(result, "care_plan_quality") == (182, 58.1, 9.4, 19, 42.2, 13.1)
    assert figures(result, "care_plan_delay") == (44, 14.1, 2.3, 7, 15.6, 4.8)
    assert figures(result, "management") == (15, 4.8, 0.8, 0, 0.0, 0.0)
    assert figures(result, "health") == (0, 0.0, 0.0, 1, 2.2, 0.7)
    assert figures(result, "other") == (27, 8.6, 1.4, 6, 13.3, 4.2)
    assert figures(result, "unmapped") == (0, 0.0, 0.0, 1, 2.2, 0.7)


def test_table_shows_relation_counts_percents_and_rates_with_a_grand_total(run):
    result = run("reconcile", SAMPLE, "--cutover", GO_LIVE)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == ("IRO escalations by harmonised category, legacy log and Mosaic, "
                        "all dates in the data")
    assert lines[1].startswith("Legacy: 313 escalations, 3 April 2017 to 15 November 2018 "
                               "(592 days, 19.45 months). Mosaic: 45 escalations, "
                               "20 November 2018 to 2 January 2019 (44 days, 1.45 months).")
    assert lines[2].split() == ["Category", "Relation", "Legacy", "Count", "Legacy", "Percent",
                                "Legacy", "Per", "month", "Mosaic", "Count", "Mosaic",
                                "Percent", "Mosaic", "Per", "month"]
    rows = {re.split(r"\s{2,}", l)[0]: re.split(r"\s{2,}", l)[1:] for l in lines[4:17]}
    assert rows["Incomplete or inadequate care plan"] == [
        "equivalent", "182", "58.1%", "9.4", "19", "42.2%", "13.1"]
    assert rows["Review decisions and follow-up actions"] == [
        "approximate", "4", "1.3%", "0.2", "2", "4.4%", "1.4"]
    assert rows["Action and effectiveness of management"] == [
        "one-sided (legacy only)", "15", "4.8%", "0.8", "0", "0.0%", "0.0"]
    assert rows["18+ planning"] == ["one-sided (Mosaic only)", "0", "0.0%", "0.0", "1",
                                    "2.2%", "0.7"]
    assert rows["Other"] == ["broader (legacy) / narrower (Mosaic)", "27", "8.6%", "1.4", "6",
                             "13.3%", "4.2"]
    assert rows["Label not in the vocabulary"] == ["0", "0.0%", "0.0", "1", "2.2%", "0.7"]
    assert rows["Grand Total"] == ["313", "100.0%", "16.1", "45", "100.0%", "31.1"]
    assert len(rows) == 13  # 11 categories, the unlisted label's row and the total
    assert ("Note: Review decisions and follow-up actions, approximate: Legacy counts review "
            "decisions not completed; Mosaic counts any follow-up action from a review."
            in lines)
    assert ("Note: Cutover (go-live) 19 November 2018: left out are 10 legacy escalations "
            "raised on or after it and 0 Mosaic escalations raised before it." in lines)
    assert ("Note: Possible duplicates across the two systems (same child, same category, "
            "raised on the same day): 4; 0 of them counted on both sides above." in lines)


def test_from_april_2018_without_cutover_sets_the_seeds_103_beside_its_44(run):
    result = run("reconcile", SAMPLE, "--from", "2018-04-01", *SEED, "--format", "json")
    data = result.json()
    # To 31 December 2018, the end of the seed's Mosaic table (the legacy log's last
    # escalation of 2018 was raised on 30 November).
    assert data["legacy"] == {"from": "2018-04-01", "to": "2018-12-31", "escalations": 103,
                              "days": 275, "months": 9.03}
    assert data["mosaic"] == {"from": "2018-04-01", "to": "2018-12-31", "escalations": 44,
                              "days": 275, "months": 9.03}
    seed = {"care_plan_quality": (38, 19), "care_plan_delay": (23, 7), "other": (13, 6),
            "education": (8, 3), "management": (8, 0), "placement": (7, 1),
            "social_work": (4, 3), "review_actions": (1, 2), "safeguarding": (1, 1),
            "health": (0, 1), "leaving_care": (0, 1), "not_recorded": (0, 0),
            "unmapped": (0, 0)}
    got = {c["category"]: (c["legacy"]["count"], c["mosaic"]["count"])
           for c in data["categories"]}
    assert got == seed
    # paragraph 7: 38 of 103 is 36.9%; 38 / (275 / 30.4375) = 4.21 a month
    assert figures(result, "care_plan_quality") == (38, 36.9, 4.2, 19, 43.2, 2.1)
    assert figures(result, "care_plan_delay") == (23, 22.3, 2.5, 7, 15.9, 0.8)
    assert data["possible_duplicates"] == 4
    assert data["duplicates_counted_twice"] == 4
    assert data["legacy_after_cutover"] == 0 and data["cutover"] is None


def test_window_stretched_before_a_sides_first_escalation_gets_a_note(run):
    result = run("reconcile", SAMPLE, "--from", "2018-04-01", *SEED)
    # The note is the committee's: it says what the figures mean, never what to type.
    assert ("Note: Mosaic window starts 1 April 2018 but its first escalation was raised "
            "20 November 2018, so its rates are spread over 233 days without any."
            in result.out.splitlines())
    assert ("note: a side's window runs well beyond its escalations (see the notes): if "
            "Mosaic went live, or the legacy log stopped, within the period, give --cutover "
            "with the go-live date" in result.err.splitlines())


def test_from_with_cutover_clips_each_window_to_its_side_of_go_live(run):
    result = run("reconcile", SAMPLE, "--from", "2018-04-01", "--cutover", GO_LIVE,
                 "--format", "json")
    data = result.json()
    assert data["legacy"] == {"from": "2018-04-01", "to": "2018-11-15", "escalations": 94,
                              "days": 229, "months": 7.52}
    assert data["mosaic"] == {"from": "2018-11-19", "to": "2019-01-02", "escalations": 45,
                              "days": 45, "months": 1.48}
    assert data["legacy_after_cutover"] == 10
    # 19 / (45 / 30.4375) = 12.85
    assert figures(result, "care_plan_quality") == (34, 36.2, 4.5, 19, 42.2, 12.9)
    assert figures(result, "management") == (8, 8.5, 1.1, 0, 0.0, 0.0)
    assert figures(result, "other") == (13, 13.8, 1.7, 6, 13.3, 4.1)
    assert sum(c["legacy"]["count"] for c in data["categories"]) == 94


def test_to_after_cutover_ends_the_legacy_window_the_day_before_go_live(run):
    data = run("reconcile", SAMPLE, "--from", "2018-04-01", "--to", "2018-12-31",
               "--cutover", GO_LIVE, "--format", "json").json()
    assert (data["legacy"]["from"], data["legacy"]["to"], data["legacy"]["days"]) == \
        ("2018-04-01", "2018-11-18", 232)
    assert (data["mosaic"]["from"], data["mosaic"]["to"], data["mosaic"]["days"]) == \
        ("2018-11-19", "2018-12-31", 43)


def test_financial_year_bounds_both_windows_like_from_and_to(run):
    result = run("reconcile", SAMPLE, "--financial-year", "2017", "--format", "json")
    data = result.json()
    assert data["legacy"] == {"from": "2017-04-01", "to": "2018-03-31", "escalations": 219,
                              "days": 365, "months": 11.99}
    assert data["mosaic"]["escalations"] == 0
    # paragraph 5: 148 (68%) of 219
    assert figures(result, "care_plan_quality")[:3] == (148, 67.6, 12.3)


def test_possible_duplicates_widen_to_five_with_a_one_day_window(run):
    for window, expected in (("0", 4), ("1", 5), ("2", 5), ("3", 5)):
        data = run("reconcile", SAMPLE, *SEED, "--cutover", GO_LIVE, "--window", window,
                   "--format", "json").json()
        assert data["possible_duplicates"] == expected, window


def test_possible_duplicates_are_counted_whatever_the_cutover(run):
    data = run("reconcile", SAMPLE, *SEED, "--cutover", "2018-12-01", "--format",
               "json").json()
    assert data["legacy_after_cutover"] == 0
    assert data["mosaic_before_cutover"] == 12
    assert data["possible_duplicates"] == 4
    assert data["duplicates_counted_twice"] == 0
    assert data["legacy"]["escalations"] == 322 and data["mosaic"]["escalations"] == 32


def test_duplicates_file_lists_both_rows_of_each_pair_and_says_it_holds_child_ids(
        run, tmp_path):
    path = tmp_path / "pairs.csv"
    result = run("reconcile", SAMPLE, "--cutover", GO_LIVE, "--window", "1",
                 "--duplicates", path)
    assert result.code == 0, result
    assert (f"wrote 5 possible duplicate pairs to {path} (it holds child IDs: keep it to "
            "analysts)") in result.err
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 10
    assert [(r["pair"], r["source"], r["child_id"], r["raised_on"], r["reason"])
            for r in rows[:2]] == [
        ("1", "legacy", "5256396", "2018-11-19", "Education"),
        ("1", "mosaic", "5256396", "2018-11-20", "Education")]
    assert rows[0]["days_apart"] == "1"
    assert [r["counted_in_table"] for r in rows[:2]] == ["False", "True"]
    assert {r["child_id"] for r in rows} == {"5256396", "5226676", "5947414", "5372285",
                                            "5837522"}


def test_child_ids_never_appear_in_the_table_or_json(run):
    for fmt in ("table", "json", "csv", "markdown"):
        result = run("reconcile", SAMPLE, "--cutover", GO_LIVE, "--window", "1",
                     "--format", fmt)
        assert result.code == 0
        assert not re.search(r"\b5\d{6}\b", result.out), fmt


def test_every_category_appears_in_json_with_zeros_where_a_side_has_none(run):
    data = run("reconcile", LEGACY, *SEED, "--format", "json").json()
    codes = [c["category"] for c in data["categories"]]
    assert codes == ["care_plan_quality", "care_plan_delay", "social_work", "education",
                     "placement", "safeguarding", "review_actions", "management", "health",
                     "leaving_care", "other", "not_recorded", "unmapped"]
    assert all(c["mosaic"] == {"count": 0, "percent": None, "per_month": None}
               for c in data["categories"])
    assert data["mosaic"] == {"from": None, "to": None, "escalations": 0, "days": None,
                              "months": None}
    assert data["legacy"]["escalations"] == 322


def test_one_source_only_warns_that_the_other_side_is_empty(run):
    result = run("reconcile", MOSAIC)
    assert result.code == 0
    assert ("warning: no legacy files among the inputs: that side of the table is empty"
            in result.err)


def test_like_for_like_folds_one_sided_categories_into_other(run):
    result = run("reconcile", SAMPLE, "--cutover", GO_LIVE, "--like-for-like",
                 "--format", "json")
    data = result.json()
    assert [c["category"] for c in data["categories"]] == [
        "care_plan_quality", "care_plan_delay", "social_work", "education", "placement",
        "safeguarding", "review_actions", "other", "not_recorded", "unmapped"]
    other = next(c for c in data["categories"] if c["category"] == "other")
    assert other["includes"] == ["management", "health", "leaving_care"]
    # 8 of Mosaic's 45 (Other 6, Health 1, 18+ planning 1); 8 / (44 / 30.4375) = 5.53
    assert figures(result, "other") == (42, 13.4, 2.2, 8, 17.8, 5.5)
    table = run("reconcile", SAMPLE, "--cutover", GO_LIVE, "--like-for-like")
    assert table.out.splitlines()[0].endswith("(like-for-like)")
    assert other["relation"] == "approximate"
    lines = table.out.splitlines()
    assert [l for l in lines if l.startswith("Note: Other")] == [
        "Note: Other, approximate: here it includes Action and effectiveness of management, "
        "Health and 18+ planning, folded in for a like-for-like comparison."]
    assert next(l for l in lines if l.startswith("Other ")).split()[:2] == ["Other",
                                                                          "approximate"]


LEGACY_HEADER = "Child ID,Date Raised,Reason\n"


def test_unlisted_labels_are_counted_in_one_row_and_listed_only_when_asked(run, tmp_path):
    path = write(tmp_path / "log.csv", LEGACY_HEADER
                 + "1000001,01/04/2018,Incomplete or inadequate care plans\n"
                 + "1000002,02/04/2018,Educaton\n"
                 + "1000003,03/04/2018,Educaton\n"
                 + "1000004,04/04/2018,Housing\n"
                 + "1000005,05/04/2018,\n")
    result = run("reconcile", path, "--source", "legacy")
    assert result.code == 0, result
    rows = {re.split(r"\s{2,}", l)[0]: re.split(r"\s{2,}", l)[1:]
            for l in result.out.splitlines()[4:]}
    # 3 / (5 days / 30.4375); no Mosaic window, so no Mosaic rate
    assert rows["Label not in the vocabulary"] == ["3", "60.0%", "18.3", "0", "z", "x"]
    assert rows["Not recorded"] == ["1", "20.0%", "6.1", "0", "z", "x"]
    assert rows["Grand Total"] == ["5", "100.0%", "30.4", "0", "z", "x"]
    assert "Educaton" not in result.out and "Housing" not in result.out
    assert ("warning: reason labels not in the crosswalk, counted as 'Label not in the "
            "vocabulary' and not shown to the committee: legacy 'Educaton' (2); legacy "
            "'Housing' (1); add them with 'iro-stats mappings unmapped'") in result.err
    shown = run("reconcile", path, "--source", "legacy", "--show-unlisted")
    assert ("Note: Labels not in the crosswalk: legacy 'Educaton' (2; closest: Education); "
            "legacy 'Housing' (1). Add them to the crosswalk (see 'iro-stats mappings "
            "unmapped')." in shown.out.splitlines())
    assert "unmapped" not in run("reconcile", path, "--source", "legacy", "--format",
                                 "json").json()
    data = run("reconcile", path, "--source", "legacy", "--format", "json",
               "--show-unlisted").json()
    assert data["unmapped"] == [
        {"source": "legacy", "label": "Educaton", "count": 2, "suggestions": ["Education"]},
        {"source": "legacy", "label": "Housing", "count": 1, "suggestions": []}]


def test_a_pair_needs_the_same_child_and_the_same_category(run, tmp_path):
    legacy = write(tmp_path / "log.csv", LEGACY_HEADER
                   + "1000001,19/11/2018,Incomplete or inadequate care plans\n"
                   + "1000002,19/11/2018,Education\n"
                   + "1000003,19/11/2018,Placement concerns\n")
    mosaic = write(tmp_path / "mosaic.csv", "Workflow ID,Person ID,Start Date,Reason\n"
                   "W1,1000001,19/11/2018,Inadequate care plan\n"
                   "W2,1000002,19/11/2018,Health\n"
                   "W3,1000009,19/11/2018,Placement\n")
    data = run("reconcile", legacy, mosaic, "--format", "json").json()
    assert data["possible_duplicates"] == 1
    assert data["duplicates_counted_twice"] == 1


def test_each_escalation_is_in_at_most_one_pair_the_closest_first(run, tmp_path):
    legacy = write(tmp_path / "log.csv", LEGACY_HEADER
                   + "1000001,19/11/2018,Incomplete or inadequate care plans\n"
                   + "1000001,21/11/2018,Incomplete or inadequate care plans\n")
    mosaic = write(tmp_path / "mosaic.csv", "Workflow ID,Person ID,Start Date,Reason\n"
                   "W1,1000001,20/11/2018,Inadequate care plan\n")
    pairs = tmp_path / "pairs.csv"
    data = run("reconcile", legacy, mosaic, "--window", "1", "--duplicates", pairs,
               "--format", "json").json()
    assert data["possible_duplicates"] == 1
    rows = list(csv.DictReader(pairs.open(encoding="utf-8")))
    assert [(r["source"], r["raised_on"]) for r in rows] == [("legacy", "2018-11-19"),
                                                             ("mosaic", "2018-11-20")]


@pytest.mark.parametrize("args, message", [
    (["--cutover", "next week"], "Error: --cutover 'next week' is not a date; give it as "
                                 "dd/mm/yyyy or yyyy-mm-dd"),
    (["--cutover", "31/02/2018"], "Error: --cutover '31/02/2018' is not a date"),
    (["--window", "-1"], "Error: --window -1 is below zero; give a number of days, 0 or more"),
    (["--window", "two"], "Error: --window 'two' is not a whole number of days; give 0 or "
                          "more"),
    (["--duplicates", "pairs.txt"], "Error: pairs.txt: give a file name ending .csv or "
                                    ".xlsx"),
])
def test_bad_options_stop_with_one_line_and_exit_2(run, args, message):
    result = run("reconcile", SAMPLE, *args)
    assert result.code == 2, result
    errors = [l for l in result.err.splitlines() if l.startswith("Error: ")]
    assert len(errors) == 1 and errors[0].startswith(message), result
    assert "Traceback" not in result.err and result.out == ""


def test_a_file_whose_source_cannot_be_told_stops_with_exit_2(run, tmp_path):
    path = write(tmp_path / "mixed.csv", LEGACY_HEADER
                 + "1000001,01/04/2018,Housing\n")
    result = run("reconcile", path)
    assert result.code == 2
    assert result.err.strip().splitlines()[-1].startswith(
        f"Error: {path}: cannot tell whether this is a legacy log or a Mosaic extract")
    assert "--source legacy or --source mosaic" in result.err


def test_xlsx_output_has_the_table_on_a_reconcile_sheet(run, tmp_path):
    import openpyxl

    path = tmp_path / "reconcile.xlsx"
    result = run("reconcile", SAMPLE, "--cutover", GO_LIVE, "--format", "xlsx",
                 "--output", path)
    assert result.code == 0, result
    ws = openpyxl.load_workbook(path)["Reconcile"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "Category")
    assert values[header + 1][:8] == ["Incomplete or inadequate care plan", "equivalent",
                                      182, pytest.approx(0.581), 9.4, 19,
                                      pytest.approx(0.422), 13.1]


def test_a_mosaic_label_not_in_the_crosswalk_is_named_as_mosaic_in_the_note(run, tmp_path):
    # The note once lower-cased the heading ("mosaic 'Contact ...'"); each source is named
    # as the committee's papers name it, from one table.
    path = write(tmp_path / "mosaic.csv", "Person ID,Start Date,Reason,Escalation Stage\n"
                 "2000001,20/11/2018,Care plan delay,1\n"
                 "2000002,21/11/2018,Contact arrangements,1\n")
    result = run("reconcile", path, "--source", "mosaic", "--show-unlisted")
    assert result.code == 0, result
    assert ("Note: Labels not in the crosswalk: Mosaic 'Contact arrangements' (1). Add them "
            "to the crosswalk (see 'iro-stats mappings unmapped')."
            in result.out.splitlines()), result
    assert "warning: no legacy files among the inputs: that side of the table is empty" \
        in result.err
