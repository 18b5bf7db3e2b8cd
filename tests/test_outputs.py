"""Output formats, safe cells (no formula injection) and safe writing."""

import openpyxl

from conftest import LEGACY, MOSAIC, write

HEADER = "Child ID,Date Raised,Reason\n"


def test_markdown_table_has_bold_grand_total(run):
    result = run("report", MOSAIC, "--format", "markdown")
    lines = result.out.splitlines()
    assert lines[0] == "### Reasons for IRO escalations, all dates in the data"
    # All dates: the seed's 44 and the escalation of 2 January 2019 with an unlisted label.
    assert "| Inadequate care plan | 19 | 42.2% |" in [" ".join(l.split()) for l in lines]
    assert "| **Grand Total** | **45** | **100.0%** |" in [" ".join(l.split()) for l in lines]


def test_output_file_is_written_and_stdout_stays_empty(run, tmp_path):
    target = tmp_path / "out.csv"
    result = run("report", MOSAIC, "--format", "csv", "--output", target)
    assert result.code == 0 and result.out == ""
    assert target.read_text().splitlines()[-1] == "Grand Total,45,100.0"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_xlsx_needs_output(run):
    result = run("report", MOSAIC, "--format", "xlsx")
    assert result.code == 2
    assert "--format xlsx needs --output" in result.err


def test_xlsx_table_is_formatted_with_numbers_and_percent_format(run, tmp_path):
    target = tmp_path / "reasons.xlsx"
    result = run("report", MOSAIC, "--format", "xlsx", "--output", target)
    assert result.code == 0
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[:3] == ("Reason", "Count", "Percent"))
    first = sheet.cell(row=header_at + 2, column=3)
    assert rows[header_at + 1] == ("Inadequate care plan", 19, first.value)
    assert abs(first.value - 0.422) < 1e-9 and first.number_format == "0.0%"
    assert sheet.cell(row=header_at + 1, column=1).font.bold
    total_row = header_at + 1 + 12  # ten labels and the unlisted label's row
    assert rows[total_row - 1][:2] == ("Grand Total", 45)
    assert sheet.cell(row=total_row, column=2).font.bold
    assert sheet.freeze_panes == f"A{header_at + 2}"
    assert sheet.column_dimensions["A"].width >= len("Inadequate care plan")


def formula_extract(tmp_path):
    return write(tmp_path / "f.csv", HEADER + "1,01/12/2018,=HYPERLINK(\"http://x\")\n"
                                             "2,01/12/2018,-Other\n3,01/12/2018,@SUM(A1)\n"
                                             "4,01/12/2018,+1\n")


def test_csv_cells_that_look_like_formulas_get_a_quote(run, tmp_path):
    result = run("report", formula_extract(tmp_path), "--source", "mosaic", "--format", "csv",
                 "--show-unlisted")
    cells = [line.split(",")[0] for line in result.out.splitlines()[1:-1]]
    assert sorted(cells) == sorted(["'+1", "'-Other", "'@SUM(A1)", "\"'=HYPERLINK(\"\"http://x\"\")\""])


def test_xlsx_cells_that_look_like_formulas_stay_text(run, tmp_path):
    target = tmp_path / "f.xlsx"
    run("report", formula_extract(tmp_path), "--source", "mosaic", "--format", "xlsx",
        "--output", target, "--show-unlisted")
    sheet = openpyxl.load_workbook(target).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {'=HYPERLINK("http://x")', "-Other", "@SUM(A1)", "+1"} <= texts


def test_rejects_file_cells_that_look_like_formulas_get_a_quote(run, tmp_path):
    path = write(tmp_path / "r.csv", HEADER + "=cmd,31/02/2019,Education\n")
    run("report", path, "--source", "legacy", "--rejects", tmp_path / "rej.csv")
    assert ",'=cmd," in (tmp_path / "rej.csv").read_text()


def test_refuses_to_write_over_an_input_file(run, tmp_path):
    copy = write(tmp_path / "in.csv", LEGACY.read_text(encoding="cp1252"))
    before = copy.read_bytes()
    result = run("report", copy, "--format", "csv", "--output", copy)
    assert result.code == 2
    assert "--output" in result.err and "is the input file" in result.err
    assert copy.read_bytes() == before


def test_refuses_to_write_an_extract_into_the_input_folder(run, tmp_path):
    write(tmp_path / "in.csv", HEADER + "1,01/12/2018,Health\n")
    result = run("report", tmp_path, "--format", "csv", "--output", tmp_path / "out.csv")
    assert result.code == 2
    assert "next run would read it" in result.err


def test_output_into_a_missing_folder_is_a_usage_error(run, tmp_path):
    result = run("report", MOSAIC, "--format", "csv", "--output", tmp_path / "no" / "x.csv")
    assert result.code == 2
    assert "does not exist; create it first" in result.err


def test_json_accounting_adds_up(run):
    rows = run("report", LEGACY, "--month", "2018-11", "--format", "json").json()["rows"]
    assert rows["read"] == rows["used"] + rows["rejected"] + rows["duplicates"] \
        + rows["outside_period"]
    assert rows == {"read": 325, "used": 20, "rejected": 1, "duplicates": 1,
                    "outside_period": 303}


def test_no_child_id_in_any_report_format(run, tmp_path):
    outputs = [run("report", LEGACY, "--format", fmt).out
               for fmt in ("table", "markdown", "csv", "json")]
    ids = [line.split(",")[0] for line in
           LEGACY.read_text(encoding="cp1252").splitlines()[1:]]
    for text in outputs:
        assert not [i for i in ids if i in text]


def test_written_files_get_the_usual_permissions_not_private_temp_ones(run, tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        target = tmp_path / "out.csv"
        run("report", MOSAIC, "--format", "csv", "--output", target)
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644
