"""Fuzzed extracts: every input gives a report whose rows add up, or one line of error.

Extracts are built from random pieces (header spellings and order, banner rows,
encodings, line endings, date spellings, blank, duplicate and short rows, stray cells,
unicode labels, footers, truncation) and fed to `iro-stats report` through the CLI.
Each run must end one of two ways:

- exit 0 with JSON whose accounting adds up, read = used + rejected + duplicates +
  outside period, and (when the file was not cut short) read equal to the data rows
  written: every row that is not blank and not a footer;
- exit 1 or 2 with exactly one line on stderr, starting "Error: ", that is not the
  CLI's catch-all for bugs ("Error: unexpected ...").

A well-formed extract (not cut short) read with --source given has nothing to refuse:
it must end the first way. Only damaged files and random bytes may end the second.

Hypothesis runs derandomized (the same examples on every run) with a fixed number of
examples, so CI is deterministic and the whole file takes well under a minute;
IRO_STATS_FUZZ=N runs N examples of each with fresh randomness, to hunt for bugs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli

# IRO_STATS_FUZZ=2000 (say) runs more examples, with fresh randomness, to hunt for bugs.
HUNT = int(os.environ.get("IRO_STATS_FUZZ", "0"))
FUZZ = settings(max_examples=HUNT or 120, deadline=None, derandomize=not HUNT,
                database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                      HealthCheck.too_slow,
                                                      HealthCheck.data_too_large])
FEW = settings(FUZZ, max_examples=HUNT // 3 or 40)

# What a footer looks like to the loader (a row with one cell like "Total rows: 78").
FOOTER = re.compile(r"\s*(grand\s+total|total\b|end of report|\d+\s+rows?\b|rows?\s*:)", re.I)

SPELLINGS = {
    "child_id": ["Child ID", "Person ID", "Child Ref", "CHILD_REF", "child id", "Mosaic ID"],
    "raised_on": ["Date Raised", "Start Date", "Escalation Date", "date-raised", "Raised On"],
    "reason": ["Reason", "Reason for Escalation", "REASON", "Escalation Reason"],
    "escalation_id": ["Workflow ID", "Escalation ID", "Escalation Ref"],
    "stage": ["Stage", "Escalation Stage"],
    "resolved_on": ["Date Resolved", "Completed On", "Resolved On"],
    "outcome": ["Outcome"],
    "team": ["Team", "Team Name"],
    "iro": ["IRO", "IRO Name"],
}
OPTIONAL = ["escalation_id", "stage", "resolved_on", "outcome", "team", "iro"]
STRAY_HEADERS = ["Notes", "Extra", "Comments", "Column 12", "Ward", ""]
BANNERS = [["IRO Escalations - workflow step report"], ["Run on 02/01/2019 09:14"], [],
           ["Printed by the Quality Assurance Unit"], ["", "", ""]]
LABELS = ["Incomplete or inadequate care plans", "Drift or delay in care planning", "Other",
          "Education", "Placement concerns", "Inadequate care plan", "Care plan delay",
          "Social work", "Health", "18+ planning", "Safeguarding"]
BLANKISH = ["", " ", "  ", "\t"]
# One label the crosswalk does not know, in the case and spacing of several typists.
UNKNOWN = ["Contact arrangements", "CONTACT ARRANGEMENTS", "contact  arrangements ",
           "Contact Arrangements"]

# Cell text: letters of many scripts, punctuation that needs quoting, no control
# characters (a workbook cannot hold them, and a blank is tested with BLANKISH).
TEXT = st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"],
                             exclude_characters="\x85\xa0\u1680\u2000\u2001\u2002\u2003"
                             "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"),
               min_size=1, max_size=12).filter(lambda s: s.strip() != "")
DAYS = st.dates(dt.date(1995, 1, 1), dt.date(2031, 12, 31))


@st.composite
def date_cells(draw):
    """A date as an analyst's file might hold it, good or bad."""
    day = draw(DAYS)
    kind = draw(st.sampled_from(["dmy", "dmy", "d/m/yy", "iso", "named", "serial",
                                 "impossible", "junk", "blank", "month first"]))
    if kind == "dmy":
        return f"{day:%d/%m/%Y}"
    if kind == "d/m/yy":
        return f"{day.day}/{day.month}/{day:%y}"
    if kind == "iso":
        return f"{day:%Y-%m-%d}" + draw(st.sampled_from(["", " 10:30", "T09:15:00"]))
    if kind == "named":
        return f"{day.day} {day:%b %Y}"
    if kind == "serial":
        return str((day - dt.date(1899, 12, 30)).days)
    if kind == "impossible":
        return f"{draw(st.sampled_from(['31/02', '30/02', '31/04', '00/01', '32/12']))}/2019"
    if kind == "month first":
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    if kind == "junk":
        return draw(st.sampled_from(["soon", "TBC", "n/a", "2019", "13/13/13", "-5"]))
    return draw(st.sampled_from(BLANKISH))


def cell(draw, name):
    """One cell of a field."""
    if name in ("raised_on", "resolved_on"):
        return draw(date_cells())
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(BLANKISH))
    if name == "child_id":
        # Leading zeros, as a case system's CSV keeps them: one child with the number.
        return draw(st.sampled_from([str(draw(st.integers(5_000_000, 5_000_040))),
                                     f" {draw(st.integers(5_000_000, 5_000_040))} ",
                                     f"00{draw(st.integers(5_000_000, 5_000_040))}",
                                     draw(TEXT)]))
    if name == "reason":
        return draw(st.one_of(st.sampled_from(LABELS), st.sampled_from(UNKNOWN), TEXT))
    if name == "stage":
        return draw(st.sampled_from(["Informal", "Stage 1 - Team Manager", "Stage 2", "3",
                                     "level 4", "Final", "9"]))
    if name == "escalation_id":
        return f"WF-{draw(st.integers(1, 30))}"
    return draw(st.one_of(st.sampled_from(["Resolved", "Team 1", "IRO A"]), TEXT))


def is_data_row(cells: list[str]) -> bool:
    """Whether the loader must count this row: some field cell is not blank, and it is
    not a lone cell that reads as a footer."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and not (len(filled) == 1 and FOOTER.match(filled[0]))


@st.composite
def extracts(draw):
    """Return (rows of cells: banner, header, data and footer; the header's index; the
    positions of the columns that name a field)."""
    fields = ["child_id", "raised_on", "reason"] + draw(
        st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=6))
    stray = draw(st.lists(st.sampled_from(STRAY_HEADERS), max_size=3))
    columns = draw(st.permutations(fields + [f"stray{i}" for i in range(len(stray))]))
    header = [draw(st.sampled_from(SPELLINGS[c])) if c in SPELLINGS
              else stray[int(c[5:])] for c in columns]
    banner = draw(st.lists(st.sampled_from(BANNERS), max_size=3))
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["row"] * 6 + ["blank", "repeat", "short", "long"]))
        if kind == "blank" or (kind == "repeat" and not rows):
            row = [draw(st.sampled_from(BLANKISH)) for _ in columns] \
                if draw(st.booleans()) else []
        elif kind == "repeat":
            row = list(draw(st.sampled_from(rows)))
        else:
            row = [cell(draw, c) if c in SPELLINGS else draw(st.one_of(TEXT, st.just("")))
                   for c in columns]
            if kind == "short":
                row = row[:draw(st.integers(1, len(row)))]
            elif kind == "long":
                row = row + [draw(TEXT) for _ in range(draw(st.integers(1, 3)))]
        rows.append(row)
    footer = draw(st.sampled_from([[], [[]], [["Total rows: 99"]], [[], ["End of report"]],
                                   [["Grand Total", ""]]]))
    used = [i for i, c in enumerate(columns) if c in SPELLINGS]
    return banner + [header] + rows + footer, len(banner), used


def data_rows(table: list[list[str]], header: int, used: list[int]) -> int:
    """Return how many rows after the header the loader must count."""
    return sum(is_data_row([row[i] if i < len(row) else "" for i in used])
               for row in table[header + 1:])


def csv_bytes(draw, table: list[list[str]]) -> tuple[bytes, list[list[str]]]:
    """Return the table as CSV bytes in a random encoding and line ending, with the
    table as those bytes hold it (Windows-1252 has no '✓': it becomes '?')."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    if encoding == "cp1252":
        table = [[c.encode("cp1252", errors="replace").decode("cp1252") for c in row]
                 for row in table]
    ending = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows(table)
    data = out.getvalue().encode(encoding)
    if draw(st.booleans()):
        data += b"\x1a"  # a DOS end-of-file mark
    return data, table


def check(result, expected_rows: int | None, well_formed: bool = False) -> None:
    """The run gave a report whose rows add up, or one line of error; a well-formed
    extract (read with --source) always gives the report, every row written read."""
    assert "Traceback" not in result.err + result.out, result
    errors = [line for line in result.err.splitlines() if line.startswith("Error: ")]
    if well_formed:
        assert result.code == 0 and expected_rows is not None, result
    if result.code == 0:
        assert not errors, result
        rows = result.json()["rows"]
        # Labels that differ only in case and spacing are one line of the table.
        labels = [" ".join(r["reason"].split()).casefold()
                  for r in result.json().get("reasons", []) if "reason" in r]
        assert len(labels) == len(set(labels)), result
        assert rows["read"] == (rows["used"] + rows["rejected"] + rows["duplicates"]
                                + rows["outside_period"]), result
        if expected_rows is not None:
            assert rows["read"] == expected_rows, result
        return
    assert result.code in (1, 2), result
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(errors) == 1 and lines[-1] == errors[0], result
    assert not errors[0].startswith("Error: unexpected"), result


def source_options(draw) -> list[str]:
    return draw(st.sampled_from([[], ["--source", "legacy"], ["--source", "mosaic"]]))


def fuzz_report(path, options: list[str], expected: int | None) -> None:
    """Run report on a fuzzed extract and check it: one with --source given and not cut
    short (expected known) is well formed and must be read."""
    check(run_cli("report", path, *options, "--show-unlisted", "--format", "json"),
          expected, well_formed=bool(options) and expected is not None)


@FUZZ
@given(st.data())
def test_fuzzed_csv_extracts_report_every_row_or_fail_in_one_line(tmp_path_factory, data):
    table, header, used = data.draw(extracts())
    raw, table = csv_bytes(data.draw, table)
    expected = data_rows(table, header, used)
    truncate = data.draw(st.sampled_from([None] * 5 + ["cut"]))
    if truncate:
        raw = raw[:data.draw(st.integers(0, len(raw)))]
        expected = None
    path = tmp_path_factory.mktemp("fuzz") / "extract.csv"
    path.write_bytes(raw)
    fuzz_report(path, source_options(data.draw), expected)


@FEW
@given(st.data())
def test_fuzzed_workbooks_report_every_row_or_fail_in_one_line(tmp_path_factory, data):
    table, header, used = data.draw(extracts())
    expected = data_rows(table, header, used)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = data.draw(st.sampled_from(["IRO Escalations", "Sheet1", "Données"]))
    if data.draw(st.booleans()):
        book.create_sheet("Parameters", 0).append(["Report", "IRO Escalations"])
    for row in table:
        sheet.append([_as_excel(data.draw, value) for value in row])
    path = tmp_path_factory.mktemp("fuzz") / "extract.xlsx"
    book.save(path)
    fuzz_report(path, source_options(data.draw), expected)


def _as_excel(draw, value: str):
    """A cell as Excel would hold it: real dates and numbers as well as text."""
    if re.fullmatch(r"\d{2}/\d{2}/\d{4}", value) and draw(st.booleans()):
        try:
            return dt.datetime.strptime(value, "%d/%m/%Y")
        except ValueError:
            return value
    if re.fullmatch(r"0*\d{7}", value) and draw(st.booleans()):
        return float(value)  # a number cell: any leading zeros are gone
    return value


@FEW
@given(st.data())
def test_a_folder_holding_the_tools_own_outputs_reads_only_the_extract(tmp_path_factory,
                                                                       data):
    """The rejects file and the export written from a well-formed extract, saved beside
    it under any name, are skipped: the folder reads as the extract alone."""
    table, header, used = data.draw(extracts())
    raw, table = csv_bytes(data.draw, table)
    expected = data_rows(table, header, used)
    folder = tmp_path_factory.mktemp("folder")
    (folder / "extract.csv").write_bytes(raw)
    options = ["--source", data.draw(st.sampled_from(["legacy", "mosaic"]))]
    out = tmp_path_factory.mktemp("out")
    made = run_cli("export", folder, *options, "-o", out / "export.csv",
                   "--rejects", out / "rejects.csv")
    assert made.code == 0 and "Traceback" not in made.err, made
    names = data.draw(st.lists(st.sampled_from(["a.csv", "extract copy.csv", "z.csv",
                                                "rows.csv"]), min_size=2, max_size=2,
                               unique=True))
    for made_name, name in zip(["export.csv", "rejects.csv"], names):
        (folder / name).write_bytes((out / made_name).read_bytes())
    result = run_cli("report", folder, *options, "--show-unlisted", "--format", "json")
    check(result, expected, well_formed=True)
    assert sum(line.startswith("skipped ") for line in result.err.splitlines()) == 2, result


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([".csv", ".xlsx", ".xls", ".ods"]))
def test_random_bytes_are_refused_in_one_line_or_read(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("junk") / f"junk{suffix}"
    path.write_bytes(raw)
    check(run_cli("report", path, "--source", "legacy", "--format", "json"), None)


@FEW
@given(st.binary(max_size=2000), st.sampled_from(
    ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "hello.txt", ""]))
def test_junk_in_a_folder_is_refused_in_one_line_or_read(tmp_path_factory, raw, name):
    """Looking for the tool's own outputs in a folder must not trip on a damaged file:
    random bytes, or a zip of them, named .xlsx or .csv beside a good extract."""
    folder = tmp_path_factory.mktemp("folder")
    (folder / "extract.csv").write_text("Child ID,Date Raised,Reason\n"
                                        "5000001,03/12/2018,Health\n", encoding="utf-8")
    if name:
        with zipfile.ZipFile(folder / "junk.xlsx", "w") as archive:
            archive.writestr(name, raw)
    else:
        (folder / "junk.csv").write_bytes(raw)
    check(run_cli("report", folder, "--source", "mosaic", "--format", "json"), None)


@FEW
@given(st.binary(min_size=1, max_size=2000), st.sampled_from(
    ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "hello.txt"]))
def test_a_zip_that_is_not_a_workbook_is_refused_in_one_line(tmp_path_factory, raw, name):
    path = tmp_path_factory.mktemp("zip") / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, raw)
    result = run_cli("report", path, "--format", "json")
    check(result, None)
    assert result.code == 1


@FEW
@given(st.integers(0, 40), st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]))
def test_a_truncated_sample_extract_is_read_or_refused_in_one_line(tmp_path_factory, keep,
                                                                  start):
    """The first bytes of a real extract, as a copy interrupted part way would leave it."""
    text = ("Child Ref,Date Raised,Reason for Escalation,IRO Name\r\n"
            "5022362,03/04/2017,Incomplete or inadequate care plans,IRO C\r\n") * 3
    raw = start + text.encode("utf-16-le" if start == b"\xff\xfe" else "utf-8")
    path = tmp_path_factory.mktemp("cut") / "cut.csv"
    path.write_bytes(raw[:len(start) + keep * 4])
    check(run_cli("report", path, "--format", "json"), None)


def test_a_zero_byte_csv_and_workbook_are_refused_in_one_line(tmp_path):
    for name in ("empty.csv", "empty.xlsx"):
        (tmp_path / name).write_bytes(b"")
        result = run_cli("report", tmp_path / name, "--format", "json")
        check(result, None)
        assert result.code == 1 and "the file is empty" in result.err


def test_a_cell_of_a_hundred_thousand_characters_is_one_row(tmp_path):
    note = "x" * 100_000
    path = tmp_path / "long.csv"
    path.write_text("Child ID,Date Raised,Reason,Notes\n"
                    f"5000001,01/02/2019,Other,{note}\n"
                    f'5000002,02/02/2019,Education,"{note},{note}"\n', encoding="utf-8")
    result = run_cli("report", path, "--source", "legacy", "--format", "json")
    check(result, 2)
    assert result.json()["rows"] == {"read": 2, "used": 2, "rejected": 0, "duplicates": 0,
                                     "outside_period": 0}


# What the fuzzing found, pinned.

def test_a_header_only_csv_is_a_report_of_nothing(run, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("Child ID,Date Raised,Reason\r\n", encoding="utf-8")
    result = run("report", path, "--source", "legacy", "--format", "json")
    assert result.code == 0, result
    assert result.json()["rows"] == {"read": 0, "used": 0, "rejected": 0, "duplicates": 0,
                                     "outside_period": 0}


def test_a_utf16_file_with_a_one_byte_ctrl_z_reads_every_row(run, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("Child ID,Date Raised,Reason\r\n5000001,01/02/2019,Other\r\n"
                     "5000002,02/02/2019,Health\r\n".encode("utf-16") + b"\x1a")
    result = run("report", path, "--source", "mosaic", "--format", "json")
    assert result.code == 0, result
    assert result.json()["rows"]["read"] == 2 and result.json()["rows"]["used"] == 2
    assert "encoding UTF-16" in result.err


def test_cells_past_the_header_are_dropped_without_a_warning(tmp_path):
    # A whole process, as an analyst runs it: pytest would catch the warning itself.
    path = tmp_path / "long.csv"
    path.write_text("Child ID,Date Raised,Reason\n5000001,01/02/2019,Other,stray,cells\n"
                    "5000002,02/02/2019,Health\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "iro_stats", "report", str(path),
                           "--source", "mosaic", "--format", "json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"]["read"] == 2
    assert "warn" not in done.stderr.lower(), done.stderr
