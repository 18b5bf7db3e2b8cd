"""export to .xlsx streams its rows: every value as the committee's analysts expect it
(real dates, numbers, text never a formula), whatever chunk the row falls in."""

from __future__ import annotations

import datetime as dt

import openpyxl
from conftest import run_cli, write


def test_streamed_workbook_holds_every_row_as_typed(tmp_path, monkeypatch):
    from iro_stats.render import sheet

    monkeypatch.setattr(sheet, "CHUNK", 2)  # five escalations: chunks of 2, 2 and 1
    extract = write(tmp_path / "extract.csv",
                    "Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason,"
                    "Team\n"
                    "WF-1,0012345,Stage 1,03/12/2018,05/12/2018,Care plan delay,Team <A> & B\n"
                    'WF-2,5000002,Informal,04/12/2018,,"=HYPERLINK(""x"")",\n'
                    "WF-3,5000003,Stage 2,05/12/2018,,Health,\x1b[31mred\n"
                    "WF-4,5000004,Informal,06/12/2018,,Education,  spaced  \n"
                    "WF-5,5000005,Informal,07/12/2018,08/12/2018,Other,Team 5\n")
    path = tmp_path / "out.xlsx"
    result = run_cli("export", extract, "--source", "mosaic", "-o", path)
    assert result.code == 0, result
    ws = openpyxl.load_workbook(path)["Escalations"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    assert len(rows) == 6
    got = [dict(zip(header, r)) for r in rows[1:]]
    assert [(r["escalation_id"], r["child_id"], r["raised_on"], r["resolved_on"],
             r["highest_stage"], r["row"], r["stage_rows"]) for r in got] == [
        ("WF-1", "0012345", dt.datetime(2018, 12, 3), dt.datetime(2018, 12, 5), 1, 2, 1),
        ("WF-2", "5000002", dt.datetime(2018, 12, 4), None, 0, 3, 1),
        ("WF-3", "5000003", dt.datetime(2018, 12, 5), None, 2, 4, 1),
        ("WF-4", "5000004", dt.datetime(2018, 12, 6), None, 0, 5, 1),
        ("WF-5", "5000005", dt.datetime(2018, 12, 7), dt.datetime(2018, 12, 8), 0, 6, 1)]
    assert [r["team"] for r in got] == ["Team <A> & B", None, "[31mred", "spaced",
                                        "Team 5"]
    assert ws["J3"].value == '=HYPERLINK("x")' and ws["J3"].data_type == "s"
    assert ws["G6"].number_format == "dd/mm/yyyy" and ws["I2"].number_format == "dd/mm/yyyy"
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:R6" and ws.dimensions == "A1:R6"


def test_an_export_of_no_escalations_is_a_header(tmp_path):
    extract = write(tmp_path / "extract.csv", "Person ID,Start Date,Reason\n"
                                              "5000001,03/12/2018,Health\n")
    path = tmp_path / "out.xlsx"
    result = run_cli("export", extract, "--source", "mosaic", "--month", "2019-01",
                     "-o", path)
    assert result.code == 0, result
    rows = list(openpyxl.load_workbook(path)["Escalations"].iter_rows(values_only=True))
    assert len(rows) == 1 and rows[0][:3] == ("source", "file", "sheet")
