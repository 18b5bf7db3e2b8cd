"""Every workbook format an analyst may be sent reads the same."""

import shutil

import pytest

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


@pytest.mark.parametrize("name", ["small.xlsx", "small.xls", "small.ods", "small.xlsm"])
def test_xlsx_xlsm_xls_and_ods_give_the_same_report(run, tmp_path, name):
    path = FIXTURES / name
    if name == "small.xlsm":  # a macro-enabled workbook is an xlsx package inside
        path = tmp_path / name
        shutil.copy(FIXTURES / "small.xlsx", path)
    result = run("report", path, "--format", "json", "--rejects", tmp_path / "r.csv")
    data = result.json()
    assert "sheet 'Escalations', header on row 3" in result.err
    assert data["totals"] == {"escalations": 2, "children": 2}
    assert [(r["reason"], r["count"]) for r in data["reasons"]] == \
        [("Care plan delay", 1), ("Health", 1)]
    assert data["rows"] == {"read": 3, "used": 3, "rejected": 0, "duplicates": 0,
                            "outside_period": 0}
