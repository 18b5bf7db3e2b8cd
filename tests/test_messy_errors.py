"""A full disk or a read-only folder under the analyst's row-level files (the export, as
.csv or .xlsx, and the rejects file) ends in one `Error:` line naming the file and what
to do, exit 1, nothing after it, and no half-written file left (issue 12). The pack's
and the tables' own cases are in test_packs.py; options, profiles and crosswalks in
test_user_errors.py."""

from __future__ import annotations

import errno

import pytest
from conftest import run_cli, write
from test_packs import read_only  # noqa: F401  (a fixture)

EXTRACT = "Person ID,Start Date,Reason\n5000001,03/12/2018,Care plan delay\n" \
          "5000002,31/02/2018,Health\n"
FULL = "not enough space to write it (No space left on device); free some space or " \
       "write to another drive, then run again"


def _disk_full(monkeypatch, workbook: bool):
    """Make a workbook's rows after the first chunk (workbook), or else every CSV write,
    fail as a full disk does."""
    import pandas as pd

    from iro_stats.render import sheet

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    rows = sheet._rows

    def first_chunk_only(*args):
        for done, xml in rows(*args):
            yield done, xml
            full()

    if workbook:
        monkeypatch.setattr(sheet, "_rows", first_chunk_only)
    else:
        monkeypatch.setattr(pd.DataFrame, "to_csv", full)


@pytest.mark.parametrize("name, option", [("out.csv", "-o"), ("out.xlsx", "-o"),
                                          ("rejects.csv", "--rejects")])
def test_a_full_disk_under_the_export_or_rejects_is_one_last_line(tmp_path, monkeypatch,
                                                                  name, option):
    extract = write(tmp_path / "extract.csv", EXTRACT)
    out = tmp_path / "out"
    out.mkdir()
    _disk_full(monkeypatch, name.endswith(".xlsx"))
    args = ["-o", out / "fine.xlsx"] if option == "--rejects" else []
    result = run_cli("export", extract, "--source", "mosaic", option, out / name, *args)
    assert result.code == 1, result
    assert result.err.splitlines()[-1] == f"Error: {out / name}: {FULL}"
    assert [l for l in result.err.splitlines() if l.startswith("Error")] == \
        [result.err.splitlines()[-1]]
    assert "unexpected" not in result.err and result.out == ""
    assert not (out / name).exists()
    assert [p.name for p in out.iterdir()] == (["fine.xlsx"] if args else [])


@pytest.mark.parametrize("name, option", [("out.xlsx", "-o"), ("rejects.csv", "--rejects")])
def test_a_read_only_folder_under_the_export_or_rejects_is_one_line(
        tmp_path, read_only, name, option):  # noqa: F811 (read_only: test_packs' fixture)
    extract = write(tmp_path / "extract.csv", EXTRACT)
    args = ["-o", tmp_path / "fine.csv"] if option == "--rejects" else []
    result = run_cli("export", extract, "--source", "mosaic", option, read_only / name,
                     *args)
    assert result.code == 1, result
    last = result.err.splitlines()[-1]
    assert last.startswith(f"Error: {read_only / name}: cannot write in {read_only} (")
    assert last.endswith("); choose a folder you can write to, or ask for access to this "
                         "one")
    assert "unexpected" not in result.err
    assert list(read_only.iterdir()) == []
