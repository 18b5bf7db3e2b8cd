"""Words and numbers as a committee reads them: periods, thousands, percentages of none."""

from conftest import write

HEADER = "Child ID,Date Raised,Reason\n"


def big_log(tmp_path):
    """1,234 escalations in May 2018 for 1,234 children: 1,200 care plans, 34 education."""
    rows = [f"{6000000 + i},{1 + i % 28:02d}/05/2018,"
            f"{'Education' if i < 34 else 'Incomplete or inadequate care plans'}\n"
            for i in range(1234)]
    return write(tmp_path / "log.csv", HEADER + "".join(rows))


def test_counts_over_999_have_thousands_separators_for_people_not_for_csv_or_json(
        run, tmp_path):
    log = big_log(tmp_path)
    table = run("report", log, "--month", "2018-05", "--source", "legacy")
    lines = table.out.splitlines()
    assert lines[:2] == ["Reasons for IRO escalations, May 2018",
                         "Escalations: 1,234; children: 1,234."]
    assert lines[4].split()[-2:] == ["1,200", "97.2%"]
    assert lines[-1].split() == ["Grand", "Total", "1,234", "100.0%"]
    markdown = run("report", log, "--month", "2018-05", "--source", "legacy",
                   "--format", "markdown").out
    assert "| **Grand Total**" in markdown and "**1,234**" in markdown
    csv = run("report", log, "--month", "2018-05", "--source", "legacy",
              "--format", "csv").out
    assert csv.splitlines()[-1] == "Grand Total,1234,100.0"
    data = run("report", log, "--month", "2018-05", "--source", "legacy",
               "--format", "json").json()
    assert data["totals"] == {"escalations": 1234, "children": 1234}


def test_a_whole_financial_year_is_named_2018_19_and_a_range_once_per_year(run, tmp_path):
    log = big_log(tmp_path)
    year = run("report", log, "--financial-year", "2018-19", "--source", "legacy")
    assert year.out.splitlines()[0] == "Reasons for IRO escalations, 2018-19"
    span = run("report", log, "--from", "02/04/2018", "--to", "31/05/2018",
               "--source", "legacy")
    assert span.out.splitlines()[0] == "Reasons for IRO escalations, 2 April to 31 May 2018"
    days = run("report", log, "--from", "01/05/2018", "--to", "02/05/2018",
               "--source", "legacy")
    assert days.out.splitlines()[0] == "Reasons for IRO escalations, 1 to 2 May 2018"
    across = run("report", log, "--from", "01/05/2018", "--to", "31/01/2019",
                 "--source", "legacy")
    assert across.out.splitlines()[0] == \
        "Reasons for IRO escalations, 1 May 2018 to 31 January 2019"
