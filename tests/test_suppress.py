"""--suppress N: no count from 1 to N can be read or worked out from what a command writes.

The first tests are worked by hand, through the CLI: a one-way table, a two-way table with
a Total column and a Total row, a note. The last walks every cell and note of a
suppressed pack's xlsx, docx and md.
"""

import re
import zipfile

import pytest
from conftest import MOSAIC, SAMPLE, run_cli, write

from iro_stats.suppress import protect
from iro_stats.table import COUNT, PERCENT, TEXT, Column, Table

HEADER = "Child Ref,Date Raised,Reason for Escalation,IRO Name\n"
CARE = "Incomplete or inadequate care plans"
DRIFT = "Drift or delay in care planning"
SAFE = "Safeguarding concerns including missing episodes, crime related or CSE risk"


def legacy_log(tmp_path, counts: dict[str, int], day="03/05/2018", name="log.csv"):
    """Write a legacy log with the given number of escalations per reason, one child each."""
    lines, child = [HEADER], 5000000
    for reason, n in counts.items():
        for _ in range(n):
            child += 1
            lines.append(f'{child},{day},"{reason}",IRO A\n')
    return write(tmp_path / name, "".join(lines))


# --- a one-way table, by hand -----------------------------------------------------------

def test_one_small_count_hides_the_next_smallest_so_the_total_gives_nothing_away(run, tmp_path):
    # 8 + 6 + 7 + 3 = 24. The 3 is hidden; alone it would be 24 - 21, so the next smallest
    # count (6) is hidden too; 24 stays, and both percents go with their counts.
    log = legacy_log(tmp_path, {CARE: 8, DRIFT: 6, "Placement concerns": 7, "Education": 3})
    result = run("report", log, "--source", "legacy", "--format", "csv", "--suppress", "5")
    assert result.code == 0, result
    assert result.out.splitlines() == [
        "Reason,Count,Percent",
        f"{CARE},8,33.3",
        "Placement concerns,7,29.2",
        f"{DRIFT},c,c",
        "Education,c,c",
        "Grand Total,24,100.0",
    ]
    assert "suppressed 2 counts" in result.err


def test_hidden_counts_that_can_only_be_ones_hide_one_more(run, tmp_path):
    # 9 + 8 + 1 + 1 = 19: both 1s are hidden, but 19 - 17 = 2 shared by two hidden counts,
    # each at least 1, gives both away; the next smallest (8) goes too.
    log = legacy_log(tmp_path, {CARE: 9, DRIFT: 8, "Education": 1, "Other": 1})
    result = run("report", log, "--source", "legacy", "--format", "csv", "--suppress", "5")
    assert result.out.splitlines()[1:] == [f"{CARE},9,47.4", f"{DRIFT},c,c",
                                           "Education,c,c", "Other,c,c",
                                           "Grand Total,19,100.0"]


def test_two_small_counts_that_are_not_both_ones_protect_each_other(run, tmp_path):
    log = legacy_log(tmp_path, {CARE: 9, DRIFT: 6, "Education": 2, "Other": 1})
    result = run("report", log, "--source", "legacy", "--suppress", "5")
    body = result.out.splitlines()
    assert [line.split()[-2:] for line in body[4:9]] == [
        ["9", "50.0%"], ["6", "33.3%"], ["c", "c"], ["c", "c"], ["18", "100.0%"]]
    assert ("Note: Symbols: c: suppressed, a count from 1 to 5 or one that would let such a "
            "count be worked out, with the percentages, rates and medians worked out from "
            "it; totals of the whole table are shown in full.") in result.out


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
    assert "can still be worked out from the totals shown" in result.out


def test_json_hides_exactly_what_the_table_hides_and_lists_the_cells(run, tmp_path):
    log = legacy_log(tmp_path, {CARE: 8, DRIFT: 6, "Placement concerns": 7, "Education": 3})
    args = ("report", log, "--source", "legacy", "--suppress", "5")
    data = run(*args, "--format", "json").json()
    table = [line.split(",") for line in run(*args, "--format", "csv").out.splitlines()[1:]]
    assert [[r["reason"], str(r["count"]), str(r["percent"])] for r in data["reasons"]] == \
        table[:-1]
    assert data["totals"] == {"escalations": 24, "children": 24}
    assert "rows" not in data  # the row accounting is on stderr, for the analyst
    assert [(c["row"], c["column"], c["why"]) for c in data["suppression"]["cells"]] == [
        (DRIFT, "Count", "secondary"), (DRIFT, "Percent", "derived"),
        ("Education", "Count", "count"), ("Education", "Percent", "derived")]


# --- a two-way table with totals, by hand: the monthly pack's trend ----------------------

def test_trend_hides_small_cells_row_totals_and_month_totals_in_rows_and_columns(tmp_path):
    #                       Jan  Feb  Mar  Total           with --suppress 5:
    #   care plan             3    9    8     20           c    9    c    20
    #   drift                 0    7    6     13           0    c    c     c
    #   safeguarding          0    0    1      1           0    0    c     c
    #   Total                 3   16   15     34           c    c   15    34
    # Hidden for being 1 to 5: care Jan 3, safeguarding Mar 1, its Total 1 and January's
    # Total 3. March's Total, 15, is the Grand Total of the month's own table in the
    # pack: shown there, so it is known and protects nothing. Then: March's column has
    # one hidden count (1), so its smallest other count, drift 6, goes; the Total column
    # has one (1): drift's 13 goes; care's row has one (3): March's 8 goes; the Total
    # row has one not known (3): February's 16 goes; February's column then has one
    # (16): drift's 7 goes. Every row and column now hides none or at least two whose
    # values are not all 1s; 34 is the table's total and stays. (No month before January
    # has data: x.)
    log = legacy_log(tmp_path, {CARE: 3}, "01/01/2018", "jan.csv")
    rows = log.read_text().splitlines(keepends=True)
    for i, (reason, n, day) in enumerate([(CARE, 9, "14/02/2018"), (DRIFT, 7, "15/02/2018"),
                                          (CARE, 8, "13/03/2018"), (DRIFT, 6, "14/03/2018"),
                                          (SAFE, 1, "31/03/2018")]):
        rows += [f'{6000000 + i * 100 + k},{day},"{reason}",IRO A\n' for k in range(n)]
    write(log, "".join(rows))
    result = run_cli("monthly", "--month", "2018-03", log, "-o", tmp_path / "pack",
                     "--suppress", "5")
    assert result.code == 0, result
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "pack" / "iro-escalations-2018-03.xlsx")["Trend"]
    table = {r[0]: list(r[10:]) for r in ws.iter_rows(min_row=4, max_row=15, values_only=True)}
    assert table["Incomplete or inadequate care plan"] == ["c", 9, "c", 20]
    assert table["Drift or delay in care planning"] == [0, "c", "c", "c"]
    assert table["Safeguarding"] == [0, 0, "c", "c"]
    assert table["Total"] == ["c", "c", 15, 34]
    assert table["Education"] == [0, 0, 0, 0]
    assert next(ws.iter_rows(min_row=4, max_row=4, values_only=True))[1:10] == ("x",) * 9


# --- a note, by hand ----------------------------------------------------------------------

def test_a_count_in_a_note_is_hidden_like_a_cell_and_in_the_json(tmp_path):
    # Three escalations keyed into both systems (same child, category and day): the
    # two-source report's note says how many; 3 is from 1 to 5.
    legacy = write(tmp_path / "legacy.csv", HEADER + "".join(
        f"500000{k},0{k + 3}/12/2018,{CARE},IRO A\n" for k in range(3)) + "".join(
        f"600000{k},10/12/2018,Other,IRO A\n" for k in range(6)))
    mosaic = write(tmp_path / "mosaic.csv",
                   "Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason\n"
                   + "".join(f"WF-{k},500000{k},Informal,0{k + 3}/12/2018,,Inadequate "
                             "care plan\n" for k in range(3)) + "".join(
                       f"WF-9{k},700000{k},Informal,11/12/2018,,Other\n" for k in range(6)))
    shown = run_cli("report", legacy, mosaic)
    assert "raised on the same day): 3, listed for checking" in shown.out
    hidden = run_cli("report", legacy, mosaic, "--suppress", "5")
    assert "raised on the same day): c, listed for checking" in hidden.out
    assert [line.split()[-2:] for line in hidden.out.splitlines()[4:7]] == [
        ["12", "66.7%"], ["6", "33.3%"], ["18", "100.0%"]]
    data = run_cli("report", legacy, mosaic, "--suppress", "5", "--format", "json").json()
    assert data["possible_duplicates"] == "c"
    assert run_cli("report", legacy, mosaic, "--format", "json").json()[
        "possible_duplicates"] == 3


# --- figures worked out from a hidden group ----------------------------------------------

def test_a_median_over_a_hidden_group_is_hidden_with_it(run):
    data = run("stages", MOSAIC, "--to", "31/12/2018", "--format", "json", "--suppress",
               "5").json()
    # Resolved by stage 8, 17, 6, 2, 1: each row's resolved or open count is small, so
    # every stage's resolved count is hidden, and the median over it; the total's stays.
    assert data["median_days_to_resolve_by_stage"] == {str(s): "c" for s in range(5)}
    assert data["median_days_to_resolve"] == 11
    assert data["overdue"] == "c"  # 5 open more than 20 working days: its total too
    assert data["escalations_by_highest_stage"]["4"] == "c"


def test_symbols_z_and_x_are_named_under_the_table(run, tmp_path):
    path = write(tmp_path / "m.csv", "Workflow ID,Person ID,Escalation Stage,Start Date,"
                 "Completed On,Reason\nWF-1,5000001,Stage 1,03/12/2018,,Education\n")
    result = run("stages", path, "--source", "mosaic", "--as-at", "04/12/2018")
    assert "Note: Symbols: z: not applicable." in result.out
    stage_1 = next(l for l in result.out.splitlines() if l.startswith("Stage 1 "))
    assert stage_1.split()[-1] == "z"


# --- the table rules themselves, on tables the committee does not see yet ----------------

def test_a_column_that_is_the_sum_of_others_counts_as_a_total_for_its_row():
    # Escalations = Resolved + Open in every row, found from the numbers. Open 1 and
    # Overdue 1 are hidden; the columns then need Open 6 and Overdue 6; row by row,
    # Resolved would be Escalations - Open, so Resolved 8 and 14 go as well.
    table = Table("t", [Column("Stage", TEXT), Column("Escalations", COUNT),
                        Column("Resolved", COUNT), Column("Open", COUNT),
                        Column("Overdue", COUNT)],
                  [["Informal", 9, 8, 1, 1], ["Stage 1", 20, 14, 6, 6],
                   ["Total", 29, 22, 7, 7]], total=True)
    assert protect(table, 5).rows == [
        ["Informal", 9, "c", "c", "c"], ["Stage 1", 20, "c", "c", "c"],
        ["Total", 29, 22, 7, 7]]


def test_a_percent_of_a_hidden_count_is_hidden_though_its_own_count_is_shown():
    # 44 = 32 + 9 + 3: Withdrawn 3 is hidden; alone it would be 44 - 41, so Open 9 goes
    # too. Overdue 7 is shown, but its 77.8% of Open would give Open away (7 / 0.778).
    table = Table("t", [Column("Measure", TEXT), Column("Number", COUNT),
                        Column("Percent", PERCENT)],
                  [["Escalations", 44, None], ["Resolved", 32, 72.7], ["Open", 9, 20.5],
                   ["Withdrawn", 3, 6.8], ["Open and overdue", 7, 77.8]],
                  headline=(0,), percent_of={1: 0, 2: 0, 3: 0, 4: 2},
                  row_sums=[(0, (1, 2, 3))])
    assert protect(table, 5).rows == [["Escalations", 44, None], ["Resolved", 32, 72.7],
                                      ["Open", "c", "c"], ["Withdrawn", "c", "c"],
                                      ["Open and overdue", 7, "c"]]


def test_a_sentence_hides_its_small_counts_and_reads_a_hidden_cell_as_c():
    from iro_stats.suppress import protect_text
    from iro_stats.table import Note

    assert protect_text(Note("{} children had {} escalations", (3, 12)), 5) == \
        "c children had 12 escalations"
    shown = protect(Table("t", [Column("Reason", TEXT), Column("Count", COUNT)],
                          [["Health", 2], ["Education", 9], ["Other", 9],
                           ["Grand Total", 20]], total=True), 5)
    assert (shown.cell("Health", "Count"), shown.is_hidden("Health", "Count")) == ("c", True)
    assert shown.is_hidden("Education", "Count") and not shown.is_hidden("Grand Total", "Count")


def test_a_count_hidden_in_one_table_is_hidden_where_another_table_gives_it_away(run, tmp_path):
    # 30 children with one escalation, 2 with two, 2 with three: 40 escalations, 34
    # children. The summary hides its 4 children with more than one escalation; the
    # per-child table hides its 2 and 2, and must hide its 30 too: 34 - 30 = 4.
    lines, child = [HEADER], 5000000
    for times, children in ((1, 30), (2, 2), (3, 2)):
        for _ in range(children):
            child += 1
            lines += [f"{child},{day:02d}/05/2018,Education,IRO A\n"
                      for day in range(1, times + 1)]
    log = write(tmp_path / "log.csv", "".join(lines))
    result = run("stages", log, "--source", "legacy", "--format", "csv", "--suppress", "5")
    assert result.code == 0, result
    summary, per_child = result.out.split("\n\n")
    assert summary.splitlines()[1:] == [
        "Escalations,40,", "Children,34,", "Children with more than one escalation,c,c",
        "Additional escalations beyond each child's first (inference),6,"]
    assert per_child.splitlines()[1:] == ["1 escalation,c,c", "2 escalations,c,c",
                                          "3 escalations,c,c", "Total,34,100.0"]


def test_suppress_must_be_a_whole_number_not_below_zero(run):
    result = run("report", SAMPLE, "--suppress", "-1")
    assert result.code == 2
    assert "--suppress" in result.err


# --- every cell and note of a suppressed pack ---------------------------------------------

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
# A number from 1 to 9 that is not part of a date, a time, a decimal, a range, a stage's
# name, a version or a count of working days: a figure.
FIGURE = re.compile(r"(?<![\d.,/:\-])\b([1-9])\b(?![\d.,/:%\-])"
                    rf"(?! (?:{MONTHS})\b| to \d+ (?:{MONTHS})| working days?\b)")
# Labels with a digit: stage names, the sample's team names (the By team table's columns).
ALLOWED = re.compile(r"[Ss]tage [0-4]\b|from 1 to \d+|Looked After Children [1-4]\b|"
                     r"Leaving Care [12]\b")
NOT_COUNTS = ("Input files", "Provenance")  # header rows and settings, not counts


def figures(text: str, threshold: int) -> list[str]:
    text = ALLOWED.sub("", text)
    return [m[1] for m in FIGURE.finditer(text) if int(m[1]) <= threshold]


def xlsx_findings(path, threshold):
    from openpyxl import load_workbook

    found = []
    for ws in load_workbook(path):
        if ws.title in NOT_COUNTS:
            continue
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if cell.number_format in ("0.0%", "#,##0.0"):
                    continue  # a percent (100% is stored as 1) or a rate or median
                if isinstance(value, (int, float)) and 1 <= value <= threshold:
                    found.append((ws.title, cell.coordinate, value))
                elif isinstance(value, str) and not re.fullmatch(r"\d+ escalations?", value):
                    found += [(ws.title, cell.coordinate, f) for f in figures(value, threshold)]
    return found


def docx_findings(path, threshold):
    from docx import Document

    document = Document(str(path))
    found = [("paragraph", p.text) for p in document.paragraphs
             if figures(p.text, threshold)]
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:2] in (["File", "Source"], ["Item", "Value"]):
            continue
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                if figures(cell.text, threshold):
                    found.append(("cell", [c.text for c in row.cells]))
    return found


def md_findings(path, threshold):
    found, skip = [], False
    for line in path.read_text().splitlines():
        if line.startswith("### "):
            skip = line[4:].startswith(NOT_COUNTS)
        if skip:
            continue
        if line.startswith("|"):
            cells = [c.strip(" *") for c in line.strip("|").split(" | ")][1:]
            found += [line for c in cells if figures(c, threshold)]
        elif figures(line, threshold):
            found.append(line)
    return found


@pytest.mark.parametrize("month, threshold", [("2018-12", 5), ("2018-11", 5),
                                              ("2018-12", 9)])
def test_a_suppressed_pack_shows_no_count_from_1_to_n_in_any_cell_or_note(
        tmp_path, monkeypatch, month, threshold):
    # Every total of a whole table in these packs is above N, so no number from 1 to N
    # may be read anywhere: not in a cell, a row or column total, a note or a chart.
    import matplotlib.axes

    drawn = []
    for name in ("bar", "barh"):
        original = getattr(matplotlib.axes.Axes, name)

        def record(self, *args, _original=original, **kwargs):
            if len(args) > 1:  # barh calls bar again with keywords only
                drawn.extend(v for v in list(args[1]) if v)  # the bars' lengths
            return _original(self, *args, **kwargs)
        monkeypatch.setattr(matplotlib.axes.Axes, name, record)
    original_text = matplotlib.axes.Axes.text

    def text(self, x, y, s, *args, **kwargs):
        drawn.append(s)
        return original_text(self, x, y, s, *args, **kwargs)
    monkeypatch.setattr(matplotlib.axes.Axes, "text", text)

    result = run_cli("monthly", "--month", month, SAMPLE, "-o", tmp_path, "--suppress",
                     str(threshold))
    assert result.code == 0, result
    stem = tmp_path / f"iro-escalations-{month}"
    assert xlsx_findings(stem.with_suffix(".xlsx"), threshold) == []
    assert docx_findings(stem.with_suffix(".docx"), threshold) == []
    assert md_findings(stem.with_suffix(".md"), threshold) == []
    # The drafted committee report: its sentences and its tables.
    assert docx_findings(stem.with_name(stem.name + "-report.docx"), threshold) == []
    small = [v for v in drawn if isinstance(v, (int, float)) and 1 <= v <= threshold
             or isinstance(v, str) and figures(v, threshold)]
    assert small == []
    assert "c" in drawn  # the month's bar chart marks its hidden counts
    with zipfile.ZipFile(stem.with_suffix(".xlsx")) as book:  # the native charts' caches
        charts = [book.read(n).decode() for n in book.namelist() if "charts/chart" in n]
    assert not [v for c in charts for v in re.findall(r"<c:v>(\d+)</c:v>", c)
                if 1 <= int(v) <= threshold]


def test_the_walk_finds_a_small_count_when_suppression_is_off(tmp_path):
    # The check above can fail: without --suppress the same pack shows many.
    assert run_cli("monthly", "--month", "2018-12", SAMPLE, "-o", tmp_path).code == 0
    stem = tmp_path / "iro-escalations-2018-12"
    assert xlsx_findings(stem.with_suffix(".xlsx"), 5)
    assert docx_findings(stem.with_suffix(".docx"), 5)
    assert md_findings(stem.with_suffix(".md"), 5)
    assert docx_findings(stem.with_name(stem.name + "-report.docx"), 5)
