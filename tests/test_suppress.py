"""--suppress N: small counts shown as c, secondary suppression, totals kept."""

from conftest import SAMPLE, write

from iro_stats.suppress import suppress_table
from iro_stats.table import COUNT, PERCENT, TEXT, Column, Table

HEADER = "Child Ref,Date Raised,Reason for Escalation,IRO Name\n"


def legacy_log(tmp_path, counts: dict[str, int]):
    """Write a legacy log with the given number of escalations per reason, one child each."""
    lines, child = [HEADER], 5000000
    for reason, n in counts.items():
        for _ in range(n):
            child += 1
            lines.append(f'{child},03/05/2018,"{reason}",IRO A\n')
    return write(tmp_path / "log.csv", "".join(lines))


def test_one_small_count_hides_the_next_smallest_so_the_total_gives_nothing_away(run, tmp_path):
    # Worked by hand: 8 + 6 + 7 + 3 = 24. The 3 is hidden; alone it would be 24 - 21, so
    # the next smallest count (6) is hidden too; 24 stays.
    log = legacy_log(tmp_path, {"Incomplete or inadequate care plans": 8,
                                "Drift or delay in care planning": 6,
                                "Placement concerns": 7, "Education": 3})
    result = run("report", log, "--source", "legacy", "--format", "csv", "--suppress", "5")
    assert result.code == 0, result
    assert result.out.splitlines() == [
        "Reason,Count,Percent",
        "Incomplete or inadequate care plans,8,33.3",
        "Placement concerns,7,29.2",
        "Drift or delay in care planning,c,c",
        "Education,c,c",
        "Grand Total,24,100.0",
    ]
    assert "suppressed 2 counts" in result.err


def test_two_small_counts_protect_each_other_without_a_secondary_cell(run, tmp_path):
    log = legacy_log(tmp_path, {"Incomplete or inadequate care plans": 9,
                                "Drift or delay in care planning": 6,
                                "Education": 2, "Other": 1})
    result = run("report", log, "--source", "legacy", "--suppress", "5")
    body = result.out.splitlines()
    assert [line.split()[-2:] for line in body[4:9]] == [
        ["9", "50.0%"], ["6", "33.3%"], ["c", "c"], ["c", "c"], ["18", "100.0%"]]
    assert "Note: Counts from 1 to 5 are shown as c, with their percentages" in result.out


def test_without_suppress_every_count_is_shown_and_no_footnote(run, tmp_path):
    log = legacy_log(tmp_path, {"Education": 2, "Other": 1})
    result = run("report", log, "--source", "legacy", "--format", "csv")
    assert result.out.splitlines()[1:] == ["Education,2,66.7", "Other,1,33.3",
                                           "Grand Total,3,100.0"]
    assert "suppressed" not in result.err


def test_a_lone_small_count_that_equals_its_total_is_flagged_as_given_away(run, tmp_path):
    log = legacy_log(tmp_path, {"Education": 4})
    result = run("report", log, "--source", "legacy", "--suppress", "5")
    assert "Education          c          c" in result.out
    assert "its total still gives it away" in result.out


def test_json_shows_c_for_each_hidden_count_and_lists_the_cells(run, tmp_path):
    log = legacy_log(tmp_path, {"Incomplete or inadequate care plans": 8,
                                "Drift or delay in care planning": 6,
                                "Placement concerns": 7, "Education": 3})
    data = run("report", log, "--source", "legacy", "--format", "json", "--suppress", "5").json()
    assert [(r["reason"], r["count"], r["percent"]) for r in data["reasons"]] == [
        ("Incomplete or inadequate care plans", 8, 33.3),
        ("Placement concerns", 7, 29.2),
        ("Drift or delay in care planning", "c", "c"),
        ("Education", "c", "c")]
    assert data["totals"] == {"escalations": 24, "children": 24}
    assert data["suppression"]["threshold"] == 5
    assert [(c["row"], c["column"], c["why"]) for c in data["suppression"]["cells"]] == [
        ("Drift or delay in care planning", "Count", "secondary"),
        ("Drift or delay in care planning", "Percent", "derived"),
        ("Education", "Count", "count"),
        ("Education", "Percent", "derived")]


def test_xlsx_report_writes_c_as_text_right_aligned(run, tmp_path):
    from openpyxl import load_workbook

    log = legacy_log(tmp_path, {"Education": 8, "Other": 2, "Placement concerns": 7})
    out = tmp_path / "out.xlsx"
    assert run("report", log, "--source", "legacy", "--format", "xlsx", "-o", out, "--suppress", "5").code == 0
    ws = load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=8)]
    assert values == [["Education", 8, 0.471], ["Placement concerns", "c", "c"],
                      ["Other", "c", "c"], ["Grand Total", 17, 1]]
    assert ws["B7"].data_type == "s" and ws["B7"].alignment.horizontal == "right"


def test_suppress_must_be_a_whole_number_not_below_zero(run):
    result = run("report", SAMPLE, "--suppress", "-1")
    assert result.code == 2
    assert "--suppress" in result.err


def test_rows_and_columns_with_a_total_are_protected_until_no_lone_cell_is_left():
    # Worked by hand on a category x month table with a Total column and a total row:
    #             Jan Feb Mar Total
    #   A           9   2   8    19
    #   B           7   6  10    23
    #   C           4  12  11    27
    #   Total      20  20  29    69
    # 2 and 4 are hidden. Jan has one: hide 7; Feb has one: hide 6; row A has one: hide
    # 8; row C has one: hide 11. Now every row and column has two or none.
    table = Table("t", [Column("Category", TEXT), Column("Jan", COUNT), Column("Feb", COUNT),
                        Column("Mar", COUNT), Column("Total", COUNT)],
                  [["A", 9, 2, 8, 19], ["B", 7, 6, 10, 23], ["C", 4, 12, 11, 27],
                   ["Total", 20, 20, 29, 69]], total=True)
    result = suppress_table(table, 5)
    assert result.table.rows == [["A", 9, "c", "c", 19], ["B", "c", "c", 10, 23],
                                 ["C", "c", 12, "c", 27], ["Total", 20, 20, 29, 69]]
    assert sorted(result.primary) == [(0, 2), (2, 1)]
    assert sorted(result.secondary) == [(0, 3), (1, 1), (1, 2), (2, 3)]
    assert not result.exposed


def test_percent_and_difference_follow_a_hidden_count_in_their_row():
    table = Table("t", [Column("Category", TEXT), Column("Legacy", COUNT),
                        Column("Mosaic", COUNT), Column("Difference", COUNT),
                        Column("Percent", PERCENT)],
                  [["A", 20, 30, 10, 60.0], ["B", 3, 9, 6, 40.0], ["C", 10, 12, 2, 0.0],
                   ["Total", 33, 51, 18, 100.0]], total=True)
    rows = suppress_table(table, 5).table.rows
    # Legacy 3 and Difference 2 are hidden; alone in their columns, so Legacy 10 and
    # Difference 6 go too. Mosaic = Legacy + Difference in every row, and each row now
    # has two hidden; each difference's percent goes with it.
    assert rows == [["A", 20, 30, 10, 60.0], ["B", "c", 9, "c", "c"],
                    ["C", "c", 12, "c", "c"], ["Total", 33, 51, 18, 100.0]]


def test_a_column_that_is_the_sum_of_others_counts_as_a_total_for_its_row():
    # Escalations = Resolved + Open in every row. Open 1 and Overdue 1 are hidden; the
    # columns then need Open 6 and Overdue 6. Row by row, Resolved would then be
    # Escalations - Open with Open's company elsewhere, so Resolved 8 and 14 go as well.
    table = Table("t", [Column("Stage", TEXT), Column("Escalations", COUNT),
                        Column("Resolved", COUNT), Column("Open", COUNT),
                        Column("Overdue", COUNT)],
                  [["Informal", 9, 8, 1, 1], ["Stage 1", 20, 14, 6, 6],
                   ["Total", 29, 22, 7, 7]], total=True)
    assert suppress_table(table, 5).table.rows == [
        ["Informal", 9, "c", "c", "c"], ["Stage 1", 20, "c", "c", "c"],
        ["Total", 29, 22, 7, 7]]


def test_a_measure_that_is_the_sum_of_two_others_is_not_left_to_give_one_away():
    table = Table("t", [Column("Measure", TEXT), Column("Number", COUNT)],
                  [["Escalations", 44], ["Resolved", 41], ["Open", 3], ["Children", 40]])
    assert suppress_table(table, 5).table.rows == [
        ["Escalations", 44], ["Resolved", "c"], ["Open", "c"], ["Children", 40]]


def test_a_summary_keeps_its_escalations_and_children_and_says_what_they_give_away():
    # 32 escalations for 28 children: the 4 additional escalations follow from the two
    # totals whatever is hidden, so the note says so rather than hiding the totals.
    table = Table("t", [Column("Measure", TEXT), Column("Number", COUNT)],
                  [["Escalations", 32], ["Children", 28], ["Resolved", 21], ["Open", 11],
                   ["Additional escalations beyond each child's first", 4]])
    result = suppress_table(table, 5)
    assert [r[1] for r in result.table.rows] == [32, 28, 21, 11, "c"]
    assert result.exposed
    assert "its total still gives it away" in result.table.notes[-1]
