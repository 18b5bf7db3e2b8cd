"""monthly --suppress N: a count hidden in one section of the pack is hidden wherever
another section would give it away, worked out by hand on small extracts.

Each test builds an extract where, with the sections protected one by one, a hidden
count could be read or worked out from another section; the comment works out what the
one protection pass over the whole pack shows instead.
"""

import pytest
from conftest import run_cli, write

LEGACY_HEADER = "Child Ref,Date Raised,Reason for Escalation,IRO Name\n"
MOSAIC_HEADER = ("Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason,"
                 "Outcome,Team,IRO Name\n")
CARE = "Incomplete or inadequate care plans"
DRIFT = "Drift or delay in care planning"
CARE_CATEGORY = "Incomplete or inadequate care plan"


def extract(tmp_path, rows):
    """Write a legacy log and a Mosaic extract holding `rows`: (source, day, reason,
    how many, team), one child each; Mosaic escalations informal and open. Return the
    folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    legacy, mosaic, child = [LEGACY_HEADER], [MOSAIC_HEADER], 5000000
    for source, day, reason, count, *team in rows:
        for _ in range(count):
            child += 1
            if source == "legacy":
                legacy.append(f'{child},{day},"{reason}",IRO A\n')
            else:
                mosaic.append(f"WF-{child},{child},Informal,{day},,{reason},,"
                              f"{team[0] if team else 'Team North'},IRO A\n")
    if len(legacy) > 1:
        write(folder / "legacy.csv", "".join(legacy))
    if len(mosaic) > 1:
        write(folder / "mosaic.csv", "".join(mosaic))
    return folder


def pack(tmp_path, rows, month, threshold, *args):
    """Run monthly --suppress on the rows; return the workbook and the Markdown text."""
    from openpyxl import load_workbook

    out = tmp_path / "out"
    result = run_cli("monthly", "--month", month, extract(tmp_path, rows), "-o", out,
                     "--suppress", threshold, *args)
    assert result.code == 0, result
    return (load_workbook(out / f"iro-escalations-{month}.xlsx"),
            (out / f"iro-escalations-{month}.md").read_text())


def table(book, sheet, columns=None):
    """Return a sheet's table as {row label: its cells}, months the data does not reach
    (x in every row) left out, or only the named columns."""
    rows = [r for r in book[sheet].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[1] is not None)
    body = []
    for r in rows[header:]:
        if r[0] is None or all(v is None for v in r[1:]):
            break
        body.append(r)
    names = body[0]
    keep = [j for j in range(1, len(names)) if names[j] is not None
            and (names[j] in columns if columns else
                 not all(r[j] == "x" for r in body[1:]))]
    return {r[0]: [r[j] for j in keep] for r in body[1:]}


def test_the_months_counts_are_hidden_where_the_trend_hides_its_last_month(tmp_path):
    # --suppress 5. October 2018: care plans 2, drift 9, Placement concerns 12; December
    # 2018: care plans 12, drift 8, placement 9. The trend (by category):
    #                 Oct  Dec  Total        shown
    #   care plan       2   12     14        c    c   14
    #   drift           9    8     17        c    c   17
    #   placement      12    9     21       12    9   21
    #   Total          23   29     52       23   29   52
    # October's 2 is hidden; then drift's 9, the smallest other in October; care's 12,
    # the smallest other of its row; drift's 8, of its. December's table counts the
    # same escalations by reason: alone it shows 12, 8 and 9, and 14 - 12 would give
    # October's 2 back. Linked to the trend's December, it hides the 12 and the 8 too.
    # The year to date (14, 17, 21) is the trend's rows added up: it gives nothing away.
    book, _ = pack(tmp_path, [("legacy", "10/10/2018", CARE, 2),
                              ("legacy", "10/10/2018", DRIFT, 9),
                              ("legacy", "10/10/2018", "Placement concerns", 12),
                              ("legacy", "05/12/2018", CARE, 12),
                              ("legacy", "05/12/2018", DRIFT, 8),
                              ("legacy", "05/12/2018", "Placement concerns", 9)],
                   "2018-12", "5")
    assert table(book, "Month", ["Count"]) == {
        CARE: ["c"], "Placement concerns": [9], DRIFT: ["c"], "Grand Total": [29]}
    trend = table(book, "Trend", ["Oct 2018", "Dec 2018", "Total"])
    assert [trend[k] for k in (CARE_CATEGORY, DRIFT, "Placement", "Total")] == [
        ["c", "c", 14], ["c", "c", 17], [12, 9, 21], [23, 29, 52]]
    assert table(book, "Year to date", ["Count"]) == {
        "Placement concerns": [21], DRIFT: [17], CARE: [14], "Grand Total": [52]}


def test_reasons_that_share_a_category_add_up_to_its_cell_in_the_trend(tmp_path):
    # A council's crosswalk puts two legacy labels in one category: care plans and
    # "Care plan not shared" are both Incomplete or inadequate care plan. --suppress 5,
    # all in December 2018: drift 20, care plans 9, Education 7, not shared 4.
    # The month's table hides the 4, and the 7 as the next smallest. Alone, the trend
    # would show the category's 13 and 13 - 9 would give the 4 back: the two labels add
    # up to it, and with the 4 the only count hidden there, the 9 goes too. The trend's
    # Education is the month's (hidden), so December's column there hides a second
    # count: the category's 13 (December's total, 40, is the month table's Grand Total,
    # shown). Each row's Total is then its December, hidden with it. The year to date is
    # the same escalations as December: the same cells hidden.
    mappings = tmp_path / "mappings"
    assert run_cli("mappings", "init", mappings).code == 0
    with open(mappings / "crosswalk.csv", "a", encoding="utf-8") as crosswalk:
        crosswalk.write("legacy,Care plan not shared,care_plan_quality,equivalent,,\n")
    book, _ = pack(tmp_path, [("legacy", "03/12/2018", CARE, 9),
                              ("legacy", "04/12/2018", "Care plan not shared", 4),
                              ("legacy", "05/12/2018", "Education", 7),
                              ("legacy", "06/12/2018", DRIFT, 20)],
                   "2018-12", "5", "--mappings", mappings)
    shown = {DRIFT: [20], CARE: ["c"], "Education": ["c"], "Care plan not shared": ["c"],
             "Grand Total": [40]}
    assert table(book, "Month", ["Count"]) == shown
    assert table(book, "Year to date", ["Count"]) == shown
    trend = table(book, "Trend", ["Dec 2018", "Total"])
    assert [trend[k] for k in (CARE_CATEGORY, DRIFT, "Education", "Total")] == [
        ["c", "c"], [20, 20], ["c", "c"], [40, 40]]


def test_the_year_to_dates_counts_are_hidden_where_the_trends_months_add_up_to_them(
        tmp_path):
    # --suppress 5. February 2018 (the year before): drift 7. October 2018: care plans
    # 6, drift 12, Education 4. December 2018: Education 12.
    #                 Feb  Oct  Dec  Total        shown
    #   care plan       0    6    0      6        0    c    0    c
    #   drift           7   12    0     19        7   12    0   19
    #   education       0    4   12     16        0    c   12    c
    # October's 4 is hidden, and care's 6, the smallest other in October; care's Total
    # 6 then, its row's only other count; Education's row hides its Total 16, not
    # December's 12, which is December's whole table (its Grand Total, shown): known,
    # it protects nothing. The year to date (April to December: care 6, drift 12,
    # Education 16) would show 16 - 12 = 4 and the 6: as the trend's months from April
    # add up to it, it hides both.
    book, _ = pack(tmp_path, [("legacy", "10/02/2018", DRIFT, 7),
                              ("legacy", "10/10/2018", CARE, 6),
                              ("legacy", "10/10/2018", DRIFT, 12),
                              ("legacy", "10/10/2018", "Education", 4),
                              ("legacy", "05/12/2018", "Education", 12)],
                   "2018-12", "5")
    assert table(book, "Year to date", ["Count"]) == {
        "Education": ["c"], DRIFT: [12], CARE: ["c"], "Grand Total": [34]}
    trend = table(book, "Trend", ["Feb 2018", "Oct 2018", "Dec 2018", "Total"])
    assert [trend[k] for k in (CARE_CATEGORY, DRIFT, "Education", "Total")] == [
        [0, "c", 0, "c"], [7, 12, 0, 19], [0, "c", 12, "c"], [7, 22, 12, 41]]
    assert table(book, "Month", ["Count"]) == {"Education": [12], "Grand Total": [12]}


def test_the_year_to_dates_hidden_counts_are_not_shown_in_the_trend(tmp_path):
    # The case reported: --suppress 3, every escalation of the year to date in October
    # 2018 (Mosaic): Inadequate care plan 8 (Team North), Care plan delay 3 (North) and
    # 4 (South). The By team table hides the 3; North's 8, the next smallest in its
    # column; the Inadequate row's total 8; the 4 beside the 3; South's total 4, the 7
    # of the Total column and North's 11. The year to date's table shows each row's total
    # again: hidden there too. The trend's October column and Total column are the same
    # two counts, by category: shown there, they gave the 8 and the 7 back. Hidden.
    book, _ = pack(tmp_path, [("mosaic", "05/10/2018", "Inadequate care plan", 8),
                              ("mosaic", "06/10/2018", "Care plan delay", 3),
                              ("mosaic", "07/10/2018", "Care plan delay", 4, "Team South")],
                   "2018-12", "3")
    assert table(book, "By team") == {"Inadequate care plan": ["c", 0, "c"],
                                      "Care plan delay": ["c", "c", "c"],
                                      "Grand Total": ["c", "c", 15]}
    assert table(book, "Year to date", ["Count"]) == {
        "Inadequate care plan": ["c"], "Care plan delay": ["c"], "Grand Total": [15]}
    trend = table(book, "Trend", ["Oct 2018", "Total"])
    assert [trend[k] for k in (CARE_CATEGORY, DRIFT, "Total")] == [
        ["c", "c"], ["c", "c"], [15, 15]]


def test_a_count_worked_out_from_two_sections_together_is_hidden(tmp_path):
    # --suppress 5. February 2018: drift 2, care plans 15; October 2018: drift 6, care 9;
    # December 2018: drift 8, care 12.
    #                 Feb  Oct  Dec  Total        shown
    #   care plan      15    9   12     36        c    c    c   36
    #   drift           2    6    8     16        c    c    c   16
    # February's 2 is hidden; then care's 15 (February's column), drift's 6 (its row),
    # care's 9 (the 15's row); drift's 8, as the year to date's drift (6 + 8 = 14) would
    # give October's 6 back; care's 12 (December's column; its total, 20, is the month
    # table's Grand Total, shown). No sum now holds a single hidden count, but two
    # together do: the trend's drift row less the year to date's drift (April on) is
    # February, 16 - 14 = 2. So the year to date's 14 is hidden, the smaller of the two
    # figures February is worked out from, and its care plans' 21 with it (its table's
    # only other count).
    book, _ = pack(tmp_path, [("legacy", "10/02/2018", DRIFT, 2),
                              ("legacy", "11/02/2018", CARE, 15),
                              ("legacy", "10/10/2018", DRIFT, 6),
                              ("legacy", "11/10/2018", CARE, 9),
                              ("legacy", "05/12/2018", DRIFT, 8),
                              ("legacy", "06/12/2018", CARE, 12)],
                   "2018-12", "5")
    assert table(book, "Year to date", ["Count"]) == {
        CARE: ["c"], DRIFT: ["c"], "Grand Total": [35]}
    trend = table(book, "Trend", ["Feb 2018", "Oct 2018", "Dec 2018", "Total"])
    assert [trend[k] for k in (CARE_CATEGORY, DRIFT, "Total")] == [
        ["c", "c", "c", 36], ["c", "c", "c", 16], [17, 15, 20, 52]]
    assert table(book, "Month", ["Count"]) == {CARE: ["c"], DRIFT: ["c"], "Grand Total": [20]}


def test_the_reconciliations_sides_hide_what_the_year_to_date_gives_away(tmp_path):
    # --suppress 5. The legacy log in September 2018: care plans 8, Education 3; Mosaic
    # from 5 November 2018 (its first escalation, so the cutover): Inadequate care plan
    # 12, Care plan delay 15, Education 9. The year to date holds both: care 20, drift
    # 15, Education 12, all shown. The reconciliation hides legacy's 3, then legacy's 8
    # (the only other count of its column). Alone it would show Mosaic's 9, and 12 - 9
    # would give the 3 back: each row's two sides add up to the year to date's count
    # (the cutover left nothing out), so Mosaic's 9 and 12 are hidden too.
    book, md = pack(tmp_path, [("legacy", "10/09/2018", CARE, 8),
                               ("legacy", "10/09/2018", "Education", 3),
                               ("mosaic", "05/11/2018", "Inadequate care plan", 12),
                               ("mosaic", "05/11/2018", "Care plan delay", 15),
                               ("mosaic", "05/11/2018", "Education", 9)],
                    "2018-11", "5")
    assert table(book, "Year to date", ["Count"]) == {
        CARE_CATEGORY: [20], DRIFT: [15], "Education": [12], "Grand Total": [47]}
    sides = table(book, "Reconciliation", ["Legacy Count", "Mosaic Count"])
    assert [sides[k] for k in (CARE_CATEGORY, DRIFT, "Education", "Grand Total")] == [
        ["c", "c"], [0, 15], ["c", "c"], [11, 36]]
    assert "left out are 0 legacy escalations raised on or after it and 0 Mosaic" in md


def test_the_cutover_notes_counts_are_hidden_with_what_gives_them_away(tmp_path):
    # --suppress 5. The legacy log: drift 15 in September 2018 and one care plan on 20
    # November; Mosaic from 5 November (the cutover): Inadequate care plan 9, Care plan
    # delay 6. The reconciliation's sides are 15 and 15 of the year to date's 31, so
    # what the cutover left out adds up to 1: with the Mosaic count it left out shown
    # (0), the legacy count (1) would be given away, so both are hidden. The note under
    # By team gives the legacy log's count in the year (15 + 1 = 16): hidden, and the
    # Not recorded column's total (the same 16 escalations, every Mosaic one having a
    # team) with it; its total row then hides Team North's 15 too.
    book, md = pack(tmp_path, [("legacy", "10/09/2018", DRIFT, 15),
                               ("legacy", "20/11/2018", CARE, 1),
                               ("mosaic", "05/11/2018", "Inadequate care plan", 9),
                               ("mosaic", "05/11/2018", "Care plan delay", 6)],
                    "2018-11", "5")
    assert ("Cutover (go-live) 5 November 2018: left out are c legacy escalations raised "
            "on or after it and c Mosaic escalations raised before it.") in md
    assert "The legacy log records no team: its c escalations are under Not recorded." \
        in md
    assert table(book, "By team")["Grand Total"] == ["c", "c", 31]
    sides = table(book, "Reconciliation", ["Legacy Count", "Mosaic Count"])
    assert sides["Grand Total"] == [15, 15]
