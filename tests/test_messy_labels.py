"""Reason labels not in the crosswalk that differ only in case and spacing are one label
everywhere, in the spelling most rows have (issue 12: 'CONTACT ARRANGEMENTS' and
'Contact arrangements' were counted apart, though matching ignores case)."""

from __future__ import annotations

import csv

import pytest
from conftest import run_cli, write

# Legacy: three spellings of 'Family time', one row each (a tie: the spelling that sorts
# first, 'FAMILY TIME', is shown). Mosaic: five rows of 'Contact arrangements' in four
# spellings, two rows of the plain one; each file has one label the crosswalk knows.
LEGACY = ("Child ID,Date Raised,Reason\n"
          "4000001,03/12/2018,Placement concerns\n"
          "4000002,04/12/2018,Family time\n"
          "4000003,05/12/2018,family TIME\n"
          "4000004,06/12/2018,FAMILY TIME\n")
MOSAIC = ("Person ID,Start Date,Reason\n"
          "5000001,03/12/2018,Care plan delay\n"
          "5000002,04/12/2018,CONTACT ARRANGEMENTS\n"
          "5000003,05/12/2018,Contact arrangements \n"
          "5000004,06/12/2018,Contact  arrangements\n"
          "5000005,07/12/2018,contact arrangements\n"
          "5000006,08/12/2018,Contact arrangements\n")


@pytest.fixture
def files(tmp_path):
    return write(tmp_path / "legacy.csv", LEGACY), write(tmp_path / "mosaic.csv", MOSAIC)


def test_stderr_and_mappings_unmapped_list_one_label(files):
    result = run_cli("mappings", "unmapped", *files, "--format", "json")
    assert result.code == 0, result
    assert [(u["source"], u["label"], u["count"]) for u in result.json()["unmapped"]] == [
        ("legacy", "FAMILY TIME", 3), ("mosaic", "Contact arrangements", 5)]
    report = run_cli("report", *files)
    assert report.code == 0, report
    assert ("warning: reason labels not in the crosswalk, counted as 'Label not in the "
            "vocabulary' and not shown to the committee: legacy 'FAMILY TIME' (3); Mosaic "
            "'Contact arrangements' (5); add them with 'iro-stats mappings unmapped'"
            in report.err.splitlines())


def test_the_reasons_table_and_reconcile_count_one_label(files):
    mosaic = files[1]
    result = run_cli("report", mosaic, "--show-unlisted", "--format", "json")
    assert result.code == 0, result
    assert [(r["reason"], r["count"]) for r in result.json()["reasons"]] == [
        ("Contact arrangements", 5), ("Care plan delay", 1)]
    assert result.json()["unlisted_labels"] == ["Contact arrangements"]
    both = run_cli("reconcile", *files, "--cutover", "01/12/2018", "--show-unlisted",
                   "--format", "json")
    assert both.code == 0, both
    # Legacy rows after the cutover are not counted: only Mosaic's are listed.
    assert [(u["source"], u["label"], u["count"]) for u in both.json()["unmapped"]] == [
        ("mosaic", "Contact arrangements", 5)]


def test_the_export_shows_one_label_beside_each_as_recorded(files, tmp_path):
    out = tmp_path / "out.csv"
    result = run_cli("export", *files, "-o", out)
    assert result.code == 0, result
    with out.open(encoding="utf-8") as f:
        rows = [(r["reason_recorded"], r["reason"]) for r in csv.DictReader(f)]
    assert rows == [("Placement concerns", "Placement concerns"),
                    ("Care plan delay", "Care plan delay"),
                    ("Family time", "FAMILY TIME"),
                    ("CONTACT ARRANGEMENTS", "Contact arrangements"),
                    ("family TIME", "FAMILY TIME"),
                    ("Contact arrangements", "Contact arrangements"),
                    ("FAMILY TIME", "FAMILY TIME"),
                    ("Contact  arrangements", "Contact arrangements"),
                    ("contact arrangements", "Contact arrangements"),
                    ("Contact arrangements", "Contact arrangements")]
