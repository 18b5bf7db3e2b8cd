"""Large and odd but valid extracts load, every row accounted for.

A CSV or workbook with 200 columns of which 5 name a field, Windows line endings with
a DOS end-of-file mark, a footer after blank lines, quoted cells holding line breaks:
each gives the same figures as the plain file would. A workbook at Excel's row limit
is timed by the benchmark (benchmarks/run.py --excel-limit), not here.
"""

from __future__ import annotations

import csv
import io
import random

import openpyxl

from conftest import LEGACY
from iro_stats.load import read_extract
from iro_stats.schema import Profile

REASONS = ["Inadequate care plan", "Care plan delay", "Education", "Health", "Other"]
USED = {"Workflow ID": 37, "Person ID": 150, "Start Date": 3, "Reason": 199, "Team": 88}


def wide_rows(n: int, seed: int = 6) -> tuple[list[str], list[list[str]], dict[str, int]]:
    """Return a 200-column header, n rows (one escalation each) and the reason counts."""
    rng = random.Random(seed)
    header = [f"Unused {i}" for i in range(200)]
    for name, at in USED.items():
        header[at] = name
    rows, counts = [], {}
    for i in range(n):
        row = [rng.choice(["", "x", "lorem ipsum " * rng.randint(0, 20)]) for _ in range(200)]
        reason = REASONS[i % len(REASONS)]
        counts[reason] = counts.get(reason, 0) + 1
        row[USED["Workflow ID"]] = f"WF-{i}"
        row[USED["Person ID"]] = str(5_000_000 + i % 700)
        row[USED["Start Date"]] = f"{1 + i % 28:02d}/{1 + i % 12:02d}/2019"
        row[USED["Reason"]] = reason
        row[USED["Team"]] = f"Team {i % 4}"
        rows.append(row)
    return header, rows, counts


def as_csv(header, rows, ending="\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerows([header] + rows)
    return out.getvalue()


def report(run, *args):
    result = run("report", *args, "--source", "mosaic", "--format", "json")
    assert result.code == 0, result
    return result.json()


def test_a_200_column_csv_with_5_used_columns_counts_every_row(run, tmp_path):
    header, rows, counts = wide_rows(3000)
    path = tmp_path / "wide.csv"
    path.write_text(as_csv(header, rows), encoding="utf-8")
    data = report(run, path)
    assert data["rows"] == {"read": 3000, "used": 3000, "rejected": 0, "duplicates": 0,
                            "outside_period": 0}
    assert data["totals"] == {"escalations": 3000, "children": 700}
    assert {line["reason"]: line["count"] for line in data["reasons"]} == counts
    assert counts == {"Inadequate care plan": 600, "Care plan delay": 600,
                      "Education": 600, "Health": 600, "Other": 600}


def test_a_200_column_workbook_with_5_used_columns_counts_every_row(run, tmp_path):
    header, rows, counts = wide_rows(400)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("IRO Escalations")
    sheet.append(["IRO Escalations – a wide export"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "wide.xlsx")
    data = report(run, tmp_path / "wide.xlsx")
    assert data["rows"]["read"] == 400 and data["rows"]["used"] == 400
    assert {line["reason"]: line["count"] for line in data["reasons"]} == counts


def test_only_the_columns_that_name_a_field_are_kept(tmp_path):
    # Memory stays bounded by the 5 used columns, not the 200 in the file: checked on
    # the loader itself, since no command prints what it holds.
    header, rows, _ = wide_rows(50)
    (tmp_path / "wide.csv").write_text(as_csv(header, rows), encoding="utf-8")
    book = openpyxl.Workbook()
    for row in [header] + rows:
        book.active.append(row)
    book.save(tmp_path / "wide.xlsx")
    for name in ("wide.csv", "wide.xlsx"):
        (extract,) = read_extract(tmp_path / name, Profile())
        assert sorted(extract.cells) == sorted(["escalation_id", "child_id", "raised_on",
                                                "reason", "team"])
        assert len(extract) == 50


def test_windows_line_endings_and_a_trailing_ctrl_z_change_nothing(run, tmp_path):
    raw = LEGACY.read_bytes()
    assert raw.count(b"\r\n") == 326 and not raw.endswith(b"\x1a")
    path = tmp_path / "legacy.csv"
    path.write_bytes(raw + b"\x1a")
    plain = run("report", LEGACY, "--financial-year", "2017-18", "--format", "json").json()
    marked = run("report", path, "--financial-year", "2017-18", "--format", "json").json()
    assert marked == plain
    assert marked["totals"] == {"escalations": 219, "children": 193}
    assert marked["rows"] == {"read": 325, "used": 219, "rejected": 1, "duplicates": 1,
                              "outside_period": 104}


def test_unix_and_windows_line_endings_read_the_same(run, tmp_path):
    header, rows, _ = wide_rows(500)
    unix, windows = tmp_path / "unix.csv", tmp_path / "windows.csv"
    unix.write_text(as_csv(header, rows, "\n"), encoding="utf-8")
    windows.write_bytes(as_csv(header, rows, "\r\n").encode("utf-8") + b"\x1a")
    assert report(run, unix) == report(run, windows)


def test_a_footer_after_blank_lines_is_not_a_row(run, tmp_path):
    header, rows, _ = wide_rows(1000)
    path = tmp_path / "footer.csv"
    path.write_text(as_csv(header, rows, "\r\n") + "\r\n\r\nTotal rows: 1000\r\n",
                    encoding="utf-8")
    result = run("report", path, "--source", "mosaic", "--format", "json")
    assert result.json()["rows"]["read"] == 1000
    assert "1000 data rows" in result.err


def test_a_line_of_spaces_mid_file_gives_the_figures_a_clean_file_gives(run, tmp_path):
    # A line holding only spaces sends the file down the careful parser (pyarrow's
    # refuses a row of one cell); a clean file goes down the fast one. Both must read
    # the same rows, the spaces being a blank row.
    header, rows, _ = wide_rows(2000)
    clean, gappy = tmp_path / "clean.csv", tmp_path / "gappy.csv"
    clean.write_text(as_csv(header, rows), encoding="utf-8")
    first, rest = as_csv(header, rows[:1000]), as_csv(header, rows[1000:])
    gappy.write_text(first + "   \n" + rest[rest.index("\n") + 1:], encoding="utf-8")
    assert gappy.read_text(encoding="utf-8").count("\n") == 2002
    result = run("report", gappy, "--source", "mosaic", "--format", "json")
    assert result.json() == report(run, clean)
    assert result.json()["rows"]["read"] == 2000


def test_quoted_cells_holding_line_breaks_stay_one_row(run, tmp_path):
    header, rows, _ = wide_rows(1500)
    for row in rows[::3]:
        row[10] = "first line\nsecond line, with a comma and a \"quote\""
    path = tmp_path / "multiline.csv"
    path.write_text(as_csv(header, rows, "\r\n"), encoding="utf-8")
    data = report(run, path)
    assert data["rows"]["read"] == 1500 and data["totals"]["escalations"] == 1500


def test_a_csv_saved_by_excel_for_mac_with_lone_carriage_returns_reads_the_same(run,
                                                                                tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(LEGACY.read_bytes().replace(b"\r\n", b"\r"))
    plain = run("report", LEGACY, "--financial-year", "2017-18", "--format", "json").json()
    mac = run("report", path, "--financial-year", "2017-18", "--format", "json")
    assert mac.code == 0, mac
    assert mac.json() == plain
    assert mac.json()["totals"] == {"escalations": 219, "children": 193}
