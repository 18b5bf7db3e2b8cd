"""The 2019 committee report's tables are the golden output of the sample data."""

from conftest import LEGACY, MOSAIC, SAMPLE

PARAGRAPH_7 = [
    ("Incomplete or inadequate care plans", 38),
    ("Drift or delay in care planning", 23),
    ("Other", 13),
    ("Action and effectiveness of management", 8),
    ("Education", 8),
    ("Placement concerns", 7),
    ("Concerns around social work provision", 4),
    ("Non completion of review decisions", 1),
    ("Safeguarding concerns including missing episodes, crime related or CSE risk", 1),
]

PARAGRAPH_8 = [
    ("Inadequate care plan", 19),
    ("Care plan delay", 7),
    ("Other", 6),
    ("Education", 3),
    ("Social work", 3),
    ("Follow-up actions", 2),
    ("18+ planning", 1),
    ("Health", 1),
    ("Placement", 1),
    ("Safeguarding", 1),
]


def test_financial_year_2017_18_gives_219_escalations_for_193_children(run):
    result = run("report", LEGACY, "--financial-year", "2017-18", "--format", "json")
    data = result.json()
    assert result.code == 0
    assert data["period"] == {"from": "2017-04-01", "to": "2018-03-31"}
    assert data["totals"] == {"escalations": 219, "children": 193}
    first, second = data["reasons"][:2]
    assert first == {"reason": "Incomplete or inadequate care plans", "count": 148,
                     "percent": 67.6, "category": "care_plan_quality"}
    assert (second["reason"], second["count"], second["percent"]) == \
        ("Drift or delay in care planning", 23, 10.5)
    # 104 outside: the 103 of April-November 2018 and the unlisted label of 2 January 2019.
    assert data["rows"] == {"read": 325, "used": 219, "rejected": 1, "duplicates": 1,
                            "outside_period": 104}


def test_financial_year_2017_is_the_same_as_2017_18(run):
    short = run("report", LEGACY, "--financial-year", "2017", "--format", "csv")
    long = run("report", LEGACY, "--financial-year", "2017-18", "--format", "csv")
    assert short.out == long.out
    assert short.out.splitlines()[1] == "Incomplete or inadequate care plans,148,67.6"


def test_legacy_april_to_november_2018_is_paragraph_7_count_for_count(run):
    result = run("report", LEGACY, "--from", "01/04/2018", "--to", "30/11/2018",
                 "--format", "json")
    data = result.json()
    assert [(r["reason"], r["count"]) for r in data["reasons"]] == PARAGRAPH_7
    assert data["totals"]["escalations"] == 103
    assert data["reasons"][0]["percent"] == 36.9


def test_legacy_paragraph_7_as_csv_ends_with_grand_total(run):
    result = run("report", LEGACY, "--from", "2018-04-01", "--to", "2018-11-30",
                 "--format", "csv")
    lines = result.out.splitlines()
    assert lines[0] == "Reason,Count,Percent"
    assert lines[1] == "Incomplete or inadequate care plans,38,36.9"
    assert lines[-1] == "Grand Total,103,100.0"
    assert len(lines) == 1 + len(PARAGRAPH_7) + 1


def test_mosaic_from_go_live_to_december_is_paragraph_8_count_for_count(run):
    result = run("report", MOSAIC, "--from", "19/11/2018", "--to", "31/12/2018",
                 "--format", "json")
    data = result.json()
    assert [(r["reason"], r["count"]) for r in data["reasons"]] == PARAGRAPH_8
    assert data["totals"] == {"escalations": 44, "children": 40}
    assert data["rows"] == {"read": 79, "used": 78, "rejected": 0, "duplicates": 0,
                            "outside_period": 1}  # the unlisted label, 2 January 2019


def test_report_table_shows_period_totals_and_grand_total(run):
    result = run("report", MOSAIC, "--month", "2018-12")
    assert result.code == 0
    assert result.out.splitlines()[:2] == [
        "Reasons for IRO escalations, December 2018",
        "Escalations: 32; children: 28."]
    assert result.out.rstrip().splitlines()[-1].split() == ["Grand", "Total", "32", "100.0%"]


def test_accounting_line_goes_to_stderr_with_rejected_reasons(run):
    result = run("report", LEGACY, "--financial-year", "2017")
    assert "rows read 325: used 219, rejected 1, duplicates 1, outside period 104" \
        in result.err
    assert "  rejected 1: date raised is not a real date" in result.err
    assert "rows read" not in result.out


def test_both_sources_default_to_harmonised_categories(run):
    result = run("report", SAMPLE, "--from", "2018-04-01", "--to", "2018-12-31",
                 "--format", "json")
    data = result.json()
    assert data["by"] == "category"
    assert data["totals"]["escalations"] == 147
    first = data["reasons"][0]
    assert first == {"category": "care_plan_quality",
                     "name": "Incomplete or inadequate care plan", "count": 57,
                     "percent": 38.8}


def test_the_sample_files_pass_their_generators_self_check():
    # make_samples.py re-reads both files and asserts every figure of the seed report
    # they reproduce, and where the unlisted labels sit (outside every seed table).
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("make_samples",
                                                  ROOT / "sample_data" / "make_samples.py")
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    figures = make_samples.check()
    assert figures["FY 2017-18"]["escalations"] == 219
    assert figures["Mosaic"]["escalations"] == 44
    assert figures["legacy unlisted label"] == "'Contact arrangements' on 02/01/2019"
