"""A folder given as input skips the files iro-stats wrote itself, told by their header
whatever their names, and says so on stderr (issue 12: Northbury's folder went from 142
rows read to 284 once its rejects and export were read again)."""

from __future__ import annotations

import shutil

from conftest import SAMPLE, run_cli, write

# Row 4's date does not exist: rejected. Rows 2 and 3 are two escalations.
EXTRACT = ("Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason\n"
           "WF-1,5000001,Stage 1,03/12/2018,,Care plan delay\n"
           "WF-2,5000002,Stage 1,04/12/2018,,Health\n"
           "WF-3,5000003,Stage 1,31/02/2018,,Health\n")


def test_a_folder_skips_the_rejects_export_and_pack_written_from_it(tmp_path):
    folder = tmp_path / "extracts"
    folder.mkdir()
    write(folder / "extract.csv", EXTRACT)
    out = tmp_path / "out"
    out.mkdir()
    args = (folder, "--source", "mosaic")
    assert run_cli("export", *args, "-o", out / "export.csv",
                   "--rejects", out / "rejects.csv").code == 0
    assert run_cli("export", *args, "-o", out / "export.xlsx").code == 0
    assert run_cli("monthly", *args, "--month", "2018-12", "-o", out / "pack").code == 0
    # Saved beside the extract under names of the analyst's choosing.
    for made, name in [("export.csv", "cleaned.csv"), ("rejects.csv", "to fix.csv"),
                       ("export.xlsx", "for power bi.xlsx"),
                       ("pack/iro-escalations-2018-12.xlsx", "committee.xlsx")]:
        shutil.copy(out / made, folder / name)

    result = run_cli("report", *args, "--format", "json")
    assert result.code == 0, result
    assert result.json()["rows"] == {"read": 3, "used": 2, "rejected": 1, "duplicates": 0,
                                     "outside_period": 0}
    skipped = [line for line in result.err.splitlines() if line.startswith("skipped")]
    assert skipped == [
        f"skipped {folder / 'cleaned.csv'}: written by iro-stats (an export)",
        f"skipped {folder / 'committee.xlsx'}: written by iro-stats (a monthly pack's "
        "workbook)",
        f"skipped {folder / 'for power bi.xlsx'}: written by iro-stats (an export)",
        f"skipped {folder / 'to fix.csv'}: written by iro-stats (a rejects file)"]
    # Named on its own, a file is read whatever wrote it: the analyst asked for it.
    named = run_cli("report", folder / "cleaned.csv", "--source", "mosaic",
                    "--format", "json")
    assert named.code == 0, named
    assert named.json()["rows"]["read"] == 2


def test_a_folder_skips_per_child_possible_duplicates_and_new_crosswalk_rows(tmp_path):
    folder = tmp_path / "extracts"
    folder.mkdir()
    episodes = write(folder / "episodes.csv",
                     "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
                     "5000001,21/12/2018,S,C2,N1,U4,PR1,,\n")
    write(folder / "reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n"
                                  "5000001,01/01/2008,23/01/2019,PN1\n"
                                  "5000001,01/01/2008,30/02/2019,PN1\n")
    out = tmp_path / "out"
    out.mkdir()
    fy = ("--financial-year", "2018-19")
    made = run_cli("reviews", folder, *fy, "--per-child", out / "per-child.csv",
                   "--rejects", out / "rejects.csv")
    assert made.code == 0, made
    assert run_cli("reconcile", SAMPLE, "--cutover", "01/12/2018",
                   "--duplicates", out / "pairs.csv").code == 0
    assert run_cli("mappings", "unmapped", SAMPLE, "-o", out / "new.csv").code == 0
    for name in ("per-child.csv", "rejects.csv", "pairs.csv", "new.csv"):
        shutil.copy(out / name, folder / f"copy of {name}")

    result = run_cli("reviews", folder, *fy, "--format", "json")
    assert result.code == 0, result
    # Read: the episode, and the two reviews (one rejected for its 30 February).
    assert result.json()["rows"]["read"] == 3
    assert [line for line in result.err.splitlines() if line.startswith("skipped")] == [
        f"skipped {folder / 'copy of new.csv'}: written by iro-stats (new crosswalk rows)",
        f"skipped {folder / 'copy of pairs.csv'}: written by iro-stats (a list of possible "
        "duplicates)",
        f"skipped {folder / 'copy of per-child.csv'}: written by iro-stats (a per-child "
        "file)",
        f"skipped {folder / 'copy of rejects.csv'}: written by iro-stats (a rejects file)"]
    assert episodes.exists()


def test_a_damaged_workbook_in_a_folder_is_the_readers_one_line_not_a_crash(tmp_path):
    # Looking for iro-stats' own header must not fail on a broken file: the reader names it.
    import zipfile

    folder = tmp_path / "extracts"
    folder.mkdir()
    write(folder / "extract.csv", EXTRACT)
    with zipfile.ZipFile(folder / "broken.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", (
            "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
            "<Override PartName='/xl/workbook.xml' ContentType='application/vnd."
            "openxmlformats-officedocument.spreadsheetml.sheet.main+xml'/></Types>"))
        archive.writestr("_rels/.rels", (
            "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/"
            "relationships'><Relationship Id='rId1' Type='http://schemas.openxmlformats.org"
            "/officeDocument/2006/relationships/officeDocument' Target='xl/workbook.xml'/>"
            "</Relationships>"))
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")  # cut short
    result = run_cli("report", folder, "--source", "mosaic", "--format", "json")
    assert result.code == 1, result
    errors = [line for line in result.err.splitlines() if line.startswith("Error")]
    assert errors == [result.err.splitlines()[-1]]
    assert errors[0].startswith(f"Error: {folder / 'broken.xlsx'}: cannot be read as a "
                                "workbook (")
