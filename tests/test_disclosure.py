"""Nothing disclosive, nothing unsafe, in anything a committee sees (issue 11).

The committee-facing files (report, stages, reconcile, monthly) are read back as a member
would read them; the analyst's files (stderr, --rejects, mappings unmapped, export) are
where a typed label may go.
"""

import re
import zipfile

import pytest
from conftest import LEGACY, MOSAIC, SAMPLE, run_cli, write

LEGACY_HEAD = "Child Ref,Date Raised,Reason for Escalation,IRO Name\n"
MOSAIC_HEAD = "Workflow ID,Person ID,Escalation Stage,Start Date,Completed On,Reason,Outcome\n"
CHILD = "5123456"  # a child's ID, typed into the reason column
TYPED = [CHILD, "<script>alert(1)</script>", "Jo Bloggs", "\x1b[31m", "HYPERLINK",
         "[link](http://example.org)"]


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    """A legacy log and a Mosaic extract for December 2018 whose reason column holds a
    child ID, a name, HTML, a Markdown link, a formula, a line break and an escape."""
    folder = tmp_path_factory.mktemp("typed") / "in"
    folder.mkdir()
    lines = [LEGACY_HEAD]
    lines += [f"60000{n:02d},{d:02d}/12/2018,Incomplete or inadequate care plans,IRO A\n"
              for n, d in zip(range(9), range(3, 12))]
    lines += [f'6000101,04/12/2018,{CHILD},IRO B\n',
              '6000102,05/12/2018,<script>alert(1)</script>,IRO B\n',
              '6000103,06/12/2018,"=HYPERLINK(""http://x"",""y"")",IRO B\n',
              '6000104,07/12/2018,"Jo Bloggs\n| fake | row |",IRO B\n',
              '6000105,10/12/2018,"bad\x1b[31mred\x07 [link](http://example.org)",IRO B\n']
    write(folder / "legacy.csv", "".join(lines))
    rows = [MOSAIC_HEAD]
    rows += [f"WF-{n},70000{n:02d},Informal,{d:02d}/12/2018,{d + 2:02d}/12/2018,"
             "Inadequate care plan,Resolved\n" for n, d in zip(range(7), range(3, 10))]
    rows += [f"WF-90,7000090,Informal,11/12/2018,,Placement move for {CHILD},\n"]
    write(folder / "mosaic.csv", "".join(rows))
    return folder


def committee_outputs(folder, out, suppress=()):
    """Run every committee-facing command on the folder; return {what: text}."""
    texts = {}
    for fmt in ("table", "markdown", "csv", "json"):
        for args in (["report", folder], ["report", folder / "legacy.csv"],
                     ["reconcile", folder], ["stages", folder]):
            result = run_cli(*args, "--format", fmt, *suppress)
            assert result.code == 0, result
            texts[f"{' '.join(map(str, args))} {fmt}"] = result.out
    for args in (["report", folder], ["reconcile", folder], ["stages", folder]):
        target = out / f"{args[0]}.xlsx"
        assert run_cli(*args, "--format", "xlsx", "-o", target, *suppress).code == 0
        texts[str(target)] = office_text(target)
    result = run_cli("monthly", "--month", "2018-12", folder, "-o", out / "pack", *suppress)
    assert result.code == 0, result
    for path in (out / "pack").iterdir():
        texts[str(path)] = office_text(path) if path.suffix != ".md" else path.read_text()
    return texts


def office_text(path):
    """Return every XML part of an Office file as text (cells, notes, charts, properties)."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                         if n.endswith(".xml") or n.endswith(".rels"))


@pytest.mark.parametrize("suppress", [(), ("--suppress", "3")])
def test_a_child_id_typed_as_a_reason_reaches_no_committee_file(typed, tmp_path, suppress):
    texts = committee_outputs(typed, tmp_path, suppress)
    for what, text in texts.items():
        found = [t for t in TYPED if t in text]
        assert found == [], (what, found)
    # Counted all the same: 5 legacy labels and 1 Mosaic label not in the crosswalk.
    assert "Label not in the vocabulary,5,35.7" in texts[f"report {typed / 'legacy.csv'} csv"]


def test_the_analyst_sees_the_typed_labels_on_stderr_and_in_their_own_files(typed, tmp_path):
    result = run_cli("report", typed, "--format", "csv")
    assert f"legacy '{CHILD}' (1)" in result.err
    assert "\x1b" not in result.err and "bad[31mred" in result.err  # no escape reaches it
    unmapped = run_cli("mappings", "unmapped", typed)
    assert CHILD in unmapped.out and f"Placement move for {CHILD}" in unmapped.out
    assert run_cli("export", typed, "-o", tmp_path / "e.csv").code == 0
    assert CHILD in (tmp_path / "e.csv").read_text()


def test_show_unlisted_prints_the_labels_for_the_analyst_escaped_for_markdown(typed):
    result = run_cli("report", typed / "legacy.csv", "--format", "markdown", "--show-unlisted")
    assert result.code == 0, result
    rows = [line for line in result.out.splitlines() if line.startswith("| ")]
    assert len(rows) == 8  # header, 6 reasons, Grand Total: no row made by a typed |
    cells = {line.split(" | ")[0][2:].strip() for line in rows}
    assert "\\<script\\>alert(1)\\</script\\>" in cells
    assert "Jo Bloggs \\| fake \\| row \\|" in cells
    assert "bad\\[31mred \\[link\\](http\\://example.org)" in cells
    assert "\x1b" not in result.out and "\x07" not in result.out


def test_terminal_output_never_carries_an_escape_sequence(typed):
    result = run_cli("report", typed / "legacy.csv", "--show-unlisted")
    assert result.code == 0, result
    assert "bad[31mred" in result.out and "\x1b" not in result.out and "\x07" not in result.out


def test_control_characters_in_the_crosswalk_reach_no_pack_file(typed, tmp_path):
    # A category named with a bell and an escape in the council's own categories.csv:
    # python-docx and openpyxl refuse such characters, so they are removed, not a crash.
    assert run_cli("mappings", "init", tmp_path / "walk").code == 0
    categories = tmp_path / "walk" / "categories.csv"
    text = categories.read_text(encoding="utf-8-sig")
    categories.write_text(text.replace("Incomplete or inadequate care plan,",
                                       "Incomplete or inadequate care plan\x07\x1b[2J,"),
                          encoding="utf-8")
    result = run_cli("monthly", "--month", "2018-12", typed, "-o", tmp_path / "pack",
                     "--mappings", tmp_path / "walk")
    assert result.code == 0, result
    for path in (tmp_path / "pack").iterdir():
        text = office_text(path) if path.suffix != ".md" else path.read_text()
        assert "Incomplete or inadequate care plan" in text, path
        assert "\x07" not in text and "\x1b" not in text, path


def test_monthly_never_shows_unlisted_labels(typed, tmp_path):
    result = run_cli("monthly", "--month", "2018-12", typed, "-o", tmp_path, "--show-unlisted")
    assert result.code == 2
    assert "No such option '--show-unlisted'" in result.err


def test_control_characters_in_labels_are_removed_from_workbooks_not_a_crash(typed, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "r.xlsx"
    result = run_cli("report", typed / "legacy.csv", "--format", "xlsx", "-o", target,
                     "--show-unlisted")
    assert result.code == 0, result
    labels = [r[0] for r in load_workbook(target).active.iter_rows(values_only=True) if r[0]]
    assert "bad[31mred [link](http://example.org)" in labels
    assert "Jo Bloggs | fake | row |" in labels
    assert '=HYPERLINK("http://x","y")' in labels  # text, never a formula


def test_the_two_source_report_with_unlisted_labels_runs_and_counts_them(run):
    # It ended in "unexpected KeyError: 'reason'" whenever a label was not in the crosswalk.
    result = run("report", LEGACY, MOSAIC, "--financial-year", "2018-19", "--format", "csv")
    assert result.code == 0, result
    rows = dict(line.rsplit(",", 2)[0:2] for line in result.out.splitlines()[1:])
    assert rows["Label not in the vocabulary"] == "2"  # one per source, on 02/01/2019
    assert rows["Grand Total"] == "149"
    assert result.out.count("Escalations from the legacy log and Mosaic are counted as "
                            "recorded") == 0  # notes are not CSV rows
    table = run("report", LEGACY, MOSAIC, "--financial-year", "2018-19")
    assert ("Note: Escalations from the legacy log and Mosaic are counted as recorded: one "
            "keyed into both systems counts twice. Possible duplicates (same child, same "
            "category, raised on the same day): 4, listed for checking by the "
            "reconciliation.") in table.out
    by_category = run("report", LEGACY, "--by", "category", "--format", "json")
    assert by_category.code == 0, by_category
    assert by_category.json()["reasons"][-1] == {
        "category": "unmapped", "name": "Label not in the vocabulary", "count": 1,
        "percent": 0.3}


# --- paths --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, first, second", [
    (["report", LEGACY, "-o", "{d}/t.csv", "--format", "csv", "--rejects", "{d}/t.csv"],
     "--output", "--rejects"),
    (["export", SAMPLE, "-o", "{d}/e.csv", "--rejects", "{d}/e.csv"], "--output", "--rejects"),
    (["reconcile", SAMPLE, "-o", "{d}/r.csv", "--format", "csv", "--duplicates", "{d}/r.csv"],
     "--output", "--duplicates"),
    (["stages", MOSAIC, "-o", "{d}/s.csv", "--format", "csv", "--per-child", "{d}/s.csv"],
     "--output", "--per-child"),
    (["monthly", "--month", "2018-12", SAMPLE, "-o", "{d}/pk", "--rejects",
      "{d}/pk/iro-escalations-2018-12.md"], "--output", "--rejects"),
    (["report", LEGACY, "-o", "{d}/t.csv", "--format", "csv", "--rejects", "{d}/link.csv"],
     "--output", "--rejects"),
    (["report", LEGACY, "-o", "{d}/hard.csv", "--format", "csv", "--rejects", "{d}/t.csv"],
     "--output", "--rejects"),
    (["export", SAMPLE, "-o", "{d}/alias/e.csv", "--rejects", "{d}/real/e.csv"],
     "--output", "--rejects"),  # neither exists yet; one folder is a link to the other
])
def test_colliding_paths_are_refused_before_anything_is_written(tmp_path, args, first, second):
    (tmp_path / "t.csv").write_text("kept\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "t.csv")
    (tmp_path / "hard.csv").hardlink_to(tmp_path / "t.csv")
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = run_cli(*[str(a).format(d=tmp_path) for a in args])
    assert result.code == 2, result
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("Error: ") and first in result.err and second in result.err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "t.csv").read_text() == "kept\n"


def test_an_output_that_is_an_input_through_a_link_is_refused(tmp_path):
    copy = write(tmp_path / "in.csv", LEGACY.read_text(encoding="cp1252"))
    (tmp_path / "alias.csv").symlink_to(copy)
    result = run_cli("export", copy, "-o", tmp_path / "alias.csv")
    assert result.code == 2
    assert "--output" in result.err and "is the input file" in result.err


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX pipes")
@pytest.mark.parametrize("option", ["--output", "--rejects"])
def test_an_output_that_is_a_device_or_pipe_is_refused_not_replaced(tmp_path, option):
    """Outputs are written beside their name and renamed into place: over /dev/full (as
    root) that replaced the device with a file. A pipe here stands for any device."""
    import os
    import stat

    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    other = "--rejects" if option == "--output" else "--output"
    result = run_cli("report", LEGACY, "--format", "csv", option, pipe,
                     other, tmp_path / "other.csv")
    assert result.code == 2, result
    assert result.err == (f"Error: {option} {pipe}: not a regular file (a device or pipe); "
                          "give the name of a file to write\n")
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_an_output_through_a_link_writes_the_file_and_keeps_the_link(tmp_path):
    (tmp_path / "real.csv").write_text("old\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    result = run_cli("report", LEGACY, "--format", "csv", "-o", tmp_path / "link.csv")
    assert result.code == 0, result
    assert (tmp_path / "link.csv").is_symlink()
    assert (tmp_path / "real.csv").read_text().startswith("Reason,")


# --- child-level files --------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX file modes")
def test_child_level_files_are_readable_by_their_owner_only(tmp_path):
    key = write(tmp_path / "k.key", "9f" * 4 + "0123456789abcdef" * 3 + "a1b2c3d4e5f60718")
    key.chmod(0o600)
    bad = write(tmp_path / "bad.csv", LEGACY_HEAD + "5000001,31/02/2018,Education,IRO A\n"
                                                    "5000002,01/02/2018,Misc,IRO A\n")
    runs = [("export", SAMPLE, "-o", tmp_path / "e.csv"),
            ("export", SAMPLE, "-o", tmp_path / "e.xlsx"),
            ("report", bad, "--source", "legacy", "--rejects", tmp_path / "rejects.csv"),
            ("stages", MOSAIC, "--per-child", tmp_path / "per-child.csv", "--pseudonymise",
             "--key-file", key),
            ("reconcile", SAMPLE, "--duplicates", tmp_path / "pairs.csv"),
            ("mappings", "unmapped", bad, "--source", "legacy", "-o",
             tmp_path / "new_rows.csv")]
    for args in runs:
        assert run_cli(*args).code == 0, args
    for name in ("e.csv", "e.xlsx", "rejects.csv", "per-child.csv", "pairs.csv",
                 "new_rows.csv"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name
    assert run_cli("report", SAMPLE, "-o", tmp_path / "t.csv", "--format", "csv").code == 0
    assert (tmp_path / "t.csv").stat().st_mode & 0o044  # a committee file stays shareable


# --- the pseudonym key --------------------------------------------------------------------

KEY = "3f9a6c0e1b7d4285e6a9c3f01d7b2e48" + "a5c8f1e4b7d0a3c6f9e2b5d8c1f4a7e0"


def per_child(tmp_path, key_file, name="c.csv"):
    result = run_cli("stages", MOSAIC, "--per-child", tmp_path / name, "--pseudonymise",
                     "--key-file", key_file)
    return result, tmp_path / name


@pytest.mark.parametrize("key, message", [
    ("0123456789abcdef0123456789abcde", "the key is 31 bytes; use at least 32"),
    ("ab" * 32, "the key repeats itself (1 distinct bytes, fewer than 16)"),
    ("0123456789abcdef" * 4, "the key repeats itself (8 distinct bytes, fewer than 16)"),
    ("password" * 4, "the key repeats itself (7 distinct bytes, fewer than 16)"),
])
def test_a_short_or_repetitive_key_is_refused(tmp_path, key, message):
    result, target = per_child(tmp_path, write(tmp_path / "k", key))
    assert result.code == 2
    assert message in result.err
    assert 'python -c "import secrets; print(secrets.token_hex(32))"' in result.err
    assert not target.exists()


def test_a_hex_key_from_secrets_is_judged_by_the_bytes_it_stands_for(tmp_path):
    # 64 hex digits can show at most 16 distinct characters, and a random key often shows
    # fewer (this one 13): its 32 bytes are what must vary (31 distinct here).
    key = write(tmp_path / "k.key", "526a01d81590e830166131860d913aa909960308d246281948da"
                                    "2199a3518b19\n")
    key.chmod(0o600)
    result, target = per_child(tmp_path, key)
    assert result.code == 0, result
    assert target.read_text().startswith("Pseudonym,Escalations,")


def test_the_same_key_in_utf8_or_utf16_gives_the_same_pseudonyms(tmp_path):
    plain = write(tmp_path / "plain.key", KEY + "\n")
    wide = tmp_path / "wide.key"  # as PowerShell's `>` saves it
    wide.write_bytes(b"\xff\xfe" + (KEY + "\r\n").encode("utf-16-le"))
    bom = tmp_path / "bom.key"  # as Notepad saves UTF-8
    bom.write_bytes(b"\xef\xbb\xbf" + KEY.encode())
    outputs = []
    for key in (plain, wide, bom):
        key.chmod(0o600)
        result, target = per_child(tmp_path, key, f"{key.stem}.csv")
        assert result.code == 0, result
        outputs.append(target.read_text())
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX file modes")
def test_a_key_file_others_can_read_gets_a_warning(tmp_path):
    key = write(tmp_path / "k.key", KEY)
    key.chmod(0o644)
    result, _ = per_child(tmp_path, key)
    assert result.code == 0
    assert (f"warning: {key} can be read by other users of this computer, and with it "
            f"anyone can link pseudonyms back to children; make it yours only: chmod 600 "
            f"{key}") in result.err
    key.chmod(0o600)
    assert "can be read by other users" not in per_child(tmp_path, key)[0].err


# --- provenance ---------------------------------------------------------------------------

def test_the_packs_provenance_names_files_and_hashes_not_folders(tmp_path):
    from openpyxl import load_workbook

    assert run_cli("monthly", "--month", "2018-12", SAMPLE, "-o", tmp_path).code == 0
    wb = load_workbook(tmp_path / "iro-escalations-2018-12.xlsx")
    items = {r[0]: r[1] for r in wb["Provenance"].iter_rows(min_row=4, values_only=True)
             if r[0]}
    assert items["Crosswalk files"] == ("categories.csv and crosswalk.csv, as shipped with "
                                        "iro-stats")
    assert re.fullmatch(r"[0-9a-f]{64}", items["SHA-256, crosswalk"])
    files = [r[0] for r in wb["Input files"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert files == ["legacy_escalations.csv", "mosaic_escalations.xlsx"]
    every = office_text(tmp_path / "iro-escalations-2018-12.xlsx") + \
        office_text(tmp_path / "iro-escalations-2018-12.docx") + \
        (tmp_path / "iro-escalations-2018-12.md").read_text()
    assert str(SAMPLE) not in every and "sample_data/" not in every


def test_new_crosswalk_rows_are_formula_safe_and_still_match_once_pasted_in(tmp_path):
    import csv

    label = "=cmd|' /C calc'!A0"
    log = write(tmp_path / "log.csv", LEGACY_HEAD + "5000001,01/05/2018,Education,IRO A\n"
                f'5000002,02/05/2018,"{label}",IRO A\n')
    rows = tmp_path / "new_rows.csv"
    assert run_cli("mappings", "unmapped", log, "--source", "legacy", "-o", rows).code == 0
    written = list(csv.reader(rows.open(encoding="utf-8")))
    assert written[1][:2] == ["legacy", "'" + label]  # a spreadsheet keeps it as text
    assert run_cli("mappings", "init", tmp_path / "walk").code == 0
    with open(tmp_path / "walk" / "crosswalk.csv", "a", newline="", encoding="utf-8") as out:
        csv.writer(out).writerow(["legacy", "'" + label, "other", "broader",
                                  "Typed in error", ""])
    result = run_cli("report", log, "--source", "legacy", "--mappings", tmp_path / "walk",
                     "--format", "csv")
    assert result.code == 0, result
    assert "Label not in the vocabulary" not in result.out
    assert result.out.splitlines()[1:] == ["'=cmd|' /C calc'!A0,1,50.0", "Education,1,50.0",
                                           "Grand Total,2,100.0"]
