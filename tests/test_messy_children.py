"""Child IDs of digits alone that differ only in leading zeros are one child everywhere:
'0012345' typed in a CSV and 12345 from an Excel number cell (issue 12)."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from conftest import run_cli, write

# The case system's CSV keeps the zeros. WF-1 and WF-4 are child 0012345; WF-5's first
# stage names child 0000777.
CSV = ("Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason\n"
       "WF-1,0012345,Stage 1,03/12/2018,,Care plan delay\n"
       "WF-2,5000002,Stage 1,04/12/2018,,Health\n"
       "WF-4, 012345 ,Stage 1,06/12/2018,,Health\n"
       "WF-5,0000777,Stage 1,07/12/2018,,Health\n")
# The same system's rows saved through Excel: the IDs became numbers, the zeros gone.
# Row 2 repeats WF-1 (a duplicate); WF-3 is a second escalation of child 12345; row 4 is
# WF-5's second stage, child 777.
SHEET = [("Workflow ID", "Person ID", "Escalation Stage", "Start Date", "Completed On",
          "Reason"),
         ("WF-1", 12345, "Stage 1", "03/12/2018", None, "Care plan delay"),
         ("WF-3", 12345, "Stage 1", "05/12/2018", None, "Health"),
         ("WF-5", 777, "Stage 2", "08/12/2018", None, "Health")]


@pytest.fixture
def extracts(tmp_path):
    folder = tmp_path / "extracts"
    folder.mkdir()
    write(folder / "a_system.csv", CSV)
    workbook = openpyxl.Workbook()
    for row in SHEET:
        workbook.active.append(row)
    workbook.save(folder / "b_excel.xlsx")
    return folder


def test_ids_differing_only_in_leading_zeros_are_one_child(extracts):
    result = run_cli("report", extracts, "--source", "mosaic", "--format", "json")
    assert result.code == 0, result
    got = result.json()
    # Escalations WF-1, WF-2, WF-3, WF-4, WF-5: children 12345 (WF-1, WF-3, WF-4),
    # 5000002 and 777. The Excel WF-1 repeats the CSV's; WF-5's two stage rows name one
    # child, so the escalation stands.
    assert got["totals"] == {"escalations": 5, "children": 3}
    assert got["rows"] == {"read": 7, "used": 6, "rejected": 0, "duplicates": 1,
                           "outside_period": 0}
    # Spellings joined: 0012345, 012345 and 12345 (one child); 0000777 and 777 (another).
    assert got["child_ids_joined"] == 5
    assert ("rows read 7: used 6 (5 escalations), rejected 0, duplicates 1, outside period "
            "0; 5 child IDs that differ only in leading zeros read as 2 children"
            in result.err.splitlines())


def test_per_child_figures_count_one_child_whatever_its_zeros(extracts):
    result = run_cli("stages", extracts, "--source", "mosaic", "--format", "json")
    assert result.code == 0, result
    got = result.json()
    assert got["totals"] == {"escalations": 5, "children": 3}
    # 12345 had three escalations; 5000002 and 777 one each.
    assert got["escalations_per_child"] == {"1": 2, "3": 1}
    assert got["children_with_repeat_escalations"] == 1
    assert got["children_by_highest_stage"] == {"0": 0, "1": 2, "2": 1, "3": 0,
                                              "4": 0}


def test_the_analyst_sees_one_spelling_the_one_with_the_most_zeros(extracts, tmp_path):
    out = tmp_path / "out.csv"
    rejects = tmp_path / "rejects.csv"
    result = run_cli("export", extracts, "--source", "mosaic", "-o", out,
                     "--rejects", rejects)
    assert result.code == 0, result
    with out.open(encoding="utf-8") as f:
        rows = {r["escalation_id"]: r["child_id"] for r in csv.DictReader(f)}
    # The case system's spelling, which a spreadsheet drops: that with the most zeros.
    assert rows == {"WF-1": "0012345", "WF-2": "5000002", "WF-3": "0012345",
                    "WF-4": "0012345", "WF-5": "0000777"}
    with rejects.open(encoding="utf-8") as f:
        (duplicate,) = list(csv.DictReader(f))
    assert (duplicate["status"], duplicate["child_id"], duplicate["row"]) == \
        ("duplicate", "0012345", "2")


@pytest.mark.parametrize("ids, children, joined", [
    # Only IDs of digits alone are joined: 'C007' and 'C7' stay two children (hashed).
    (["C007", "C7", "007", "7"], 3, 2),
    # Every ID a number: keyed by its value (the fast path a million IDs take).
    (["0012345", "12345", "000", "0", "7"], 3, 4),
])
def test_ids_of_digits_alone_are_joined_however_many_zeros(tmp_path, ids, children,
                                                            joined):
    extract = write(tmp_path / "extract.csv", "Person ID,Start Date,Reason\n" + "".join(
        f"{child},0{day}/12/2018,Health\n" for day, child in enumerate(ids, start=3)))
    result = run_cli("report", extract, "--source", "mosaic", "--format", "json")
    assert result.code == 0, result
    assert result.json()["totals"] == {"escalations": len(ids), "children": children}
    assert result.json()["child_ids_joined"] == joined


def test_reviews_meet_the_child_whatever_its_leading_zeros(tmp_path):
    # The 903 episodes name child 0012345; the reviews file, saved through Excel, 12345.
    # Starting Friday 21/12/2018, the first review is due 20 working days on (Christmas
    # and New Year's Day skipped), Wednesday 23/01/2019; it was held that day: on time.
    episodes = write(tmp_path / "episodes.csv",
                     "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
                     "0012345,21/12/2018,S,C2,N1,U4,PR1,,\n")
    reviews = write(tmp_path / "reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n"
                                              "12345,01/01/2008,23/01/2019,PN1\n")
    per_child = tmp_path / "out" / "per-child.csv"
    per_child.parent.mkdir()
    result = run_cli("reviews", episodes, reviews, "--financial-year", "2018-19",
                     "--format", "json", "--per-child", per_child)
    assert result.code == 0, result
    actual = result.json()["actual"]
    assert (actual["held"], actual["on_time"], actual["children_reviewed"],
            actual["children_all_on_time"]) == (1, 1, 1, 1)
    with per_child.open(encoding="utf-8") as f:
        assert [(r["Child ID"], r["Held"], r["On time"]) for r in csv.DictReader(f)] == \
            [("0012345", "2019-01-23", "Yes")]
