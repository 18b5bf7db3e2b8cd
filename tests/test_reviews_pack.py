"""`monthly` with review extracts among its inputs: a reviews section and its sheets, the
figures adding up across its tables, and --suppress applied as everywhere else."""

import pytest
from conftest import SAMPLE, run_cli

REVIEWS = SAMPLE / "reviews"
INPUTS = (SAMPLE, REVIEWS / "903", REVIEWS / "mosaic" / "lac_review_steps.xlsx")
SHEETS = ["Reviews actual", "Reviews system", "Reviews gap", "Reviews trend", "Reviews rows"]


def pack(folder, *args, inputs=INPUTS):
    result = run_cli("monthly", "--month", "2018-12", *inputs, "--output", folder, *args)
    assert result.code == 0, result
    return result


def sheet_rows(folder, name):
    from openpyxl import load_workbook

    ws = load_workbook(folder / "iro-escalations-2018-12.xlsx")[name]
    return [[c.value for c in row] for row in ws.iter_rows()]


def body(rows, first):
    """Return the rows of a sheet's table from the one whose first cell is `first`."""
    at = next(i for i, r in enumerate(rows) if r[0] == first)
    out = []
    for r in rows[at:]:
        if r[0] is None:
            break
        out.append(r)
    return out


@pytest.fixture(scope="module")
def december(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reviews-december")
    return folder, pack(folder)


def test_the_pack_gains_a_reviews_section_and_its_sheets(december):
    from openpyxl import load_workbook

    folder, result = december
    names = load_workbook(folder / "iro-escalations-2018-12.xlsx").sheetnames
    assert names[names.index("Compared") + 1:names.index("Data quality")] == SHEETS
    text = (folder / "iro-escalations-2018-12.md").read_text()
    assert "## 6. Looked-after reviews, 1 April to 31 December 2018" in text
    # The escalations reader leaves the review extracts to the reviews section, quietly.
    assert "skipped" not in result.err
    assert "reviews: rows read 876: used 395, rejected 2, duplicates 1, outside period 478" \
        in result.err.splitlines()
    files = [r[0] for r in sheet_rows(folder, "Input files")]
    assert {"episodes.csv", "reviews.csv", "lac_review_steps.xlsx"} <= set(files)
    assert "header.csv" not in files


def test_the_months_of_the_year_to_date_add_up_to_each_views_totals(december):
    folder, _ = december
    actual = body(sheet_rows(folder, "Reviews actual"), "Review")
    system = body(sheet_rows(folder, "Reviews system"), "Review")
    # April to December 2018: 115 meetings, 110 on time; 109 steps completed, 83 on time.
    assert actual[-1][:5] == ["All reviews", 115, 110, 0.957, 5]
    assert system[-1][:5] == ["All reviews", 109, 83, 0.761, 26]
    months = body(sheet_rows(folder, "Reviews trend"), "Month")[1:]
    year = [m for m in months if m[0].endswith("2018") and m[0][:3] not in ("Jan", "Feb", "Mar")]
    assert len(year) == 9
    assert [sum(m[i] for m in year) for i in (1, 2, 4, 5, 6, 8)] == [115, 110, 5, 109, 83, 26]
    gap = body(sheet_rows(folder, "Reviews gap"), "Measure")
    assert gap[4][1:4] == [83, 0.761, 19.6]  # 95.7% - 76.1% = 19.6 points, not a percent
    assert [r[1] for r in gap[5:]] == [21, 5, 1, 27]


def test_suppress_hides_the_reviews_small_counts_and_what_would_give_them_away(tmp_path):
    pack(tmp_path, "--suppress", "5")
    for name, first in zip(SHEETS, ("Review", "Review", "Measure", "Month", "Measure")):
        rows = body(sheet_rows(tmp_path, name), first)
        counts = [j for j, h in enumerate(rows[0]) if j and not any(
            w in h for w in ("%", "Percent", "Difference"))]
        for row in rows[1:]:
            assert not [row[j] for j in counts if isinstance(row[j], int)
                        and 1 <= row[j] <= 5], (name, row)
    months = body(sheet_rows(tmp_path, "Reviews trend"), "Month")[1:]
    december = next(m for m in months if m[0] == "December 2018")
    # 16 of 17 on time, 1 late: the late count and the percent that gives it away go.
    assert december[1:5] == [17, "c", "c", "c"]
    gap = body(sheet_rows(tmp_path, "Reviews gap"), "Measure")
    assert gap[2][1:3] == ["c", "c"]  # 110 on time would give the 5 late away
    assert gap[4][3] == "c"  # and so would the difference between the views


def test_without_review_extracts_the_pack_is_as_before(tmp_path):
    from openpyxl import load_workbook

    pack(tmp_path, inputs=(SAMPLE,))
    assert not [n for n in load_workbook(tmp_path / "iro-escalations-2018-12.xlsx").sheetnames
                if n.startswith("Reviews")]


def test_a_small_month_is_not_given_away_by_the_years_total(tmp_path):
    # Eight children from Tuesday 01/05/2018, reviewed on 30/05 (due 31/05: the May Day
    # and spring bank holidays skipped), and two from Friday 01/06/2018, reviewed on
    # 28/06 (due 29/06). June's 2 reviews are hidden; as the year to date's 10 is shown,
    # May's 8 is hidden too, or 10 - 8 would give June's away.
    from conftest import LEGACY, write

    episodes = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n" + "".join(
        f"{5000000 + i},{'01/05/2018' if i < 8 else '01/06/2018'},S,C2,N1,U4,PR1,,\n"
        for i in range(10))
    reviews = "CHILD,DOB,REVIEW,REVIEW_CODE\n" + "".join(
        f"{5000000 + i},01/01/2008,{'30/05/2018' if i < 8 else '28/06/2018'},PN1\n"
        for i in range(10))
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "episodes.csv", episodes)
    write(folder / "reviews.csv", reviews)
    out = tmp_path / "out"
    for suppress, may, june in ((None, 8, 2), ("5", "c", "c")):
        args = ("--suppress", suppress) if suppress else ()
        result = run_cli("monthly", "--month", "2018-06", LEGACY, folder, "--output", out,
                         *args)
        assert result.code == 0, result
        from openpyxl import load_workbook

        ws = load_workbook(out / "iro-escalations-2018-06.xlsx")["Reviews trend"]
        rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
        assert (rows["May 2018"], rows["June 2018"]) == (may, june)
