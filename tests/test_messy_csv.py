"""Messy CSV files as councils produce them: nothing lost silently, nothing crashes.
Each file is built here, as small as shows the failure (issue 12)."""

from __future__ import annotations

import os

import pytest
from conftest import mosaic_report, one_error, run_cli, write

HEADER = "Person ID,Start Date,Reason\n"
ROWS = "".join(f"50000{i:02d},{i:02d}/12/2018,Health\n" for i in range(2, 12))  # 10 rows




# --- quotes ----------------------------------------------------------------------------

def test_a_stray_quote_does_not_swallow_the_rows_after_it(tmp_path):
    # Before: 1 row read of 11, the swallowed child IDs a reason label, no warning.
    path = write(tmp_path / "stray.csv",
                 HEADER + '5000001,03/12/2018,"Other - see notes\n' + ROWS)
    result = mosaic_report(path)
    assert result.json()["rows"] == {"read": 11, "used": 11, "rejected": 0,
                                     "duplicates": 0, "outside_period": 0}
    assert result.json()["totals"] == {"escalations": 11, "children": 11}
    assert (f"warning: {path}: lines 2 to 12: a quote is not closed where its field "
            "ends; each line read as one row, the quote as an ordinary character") \
        in result.err.splitlines()


def test_two_stray_quotes_that_pair_up_across_rows_are_caught_too(tmp_path):
    path = write(tmp_path / "pair.csv",
                 HEADER + '5000001,03/12/2018,"Other\n' + ROWS + '5000099,04/12/2018,Health"\n')
    result = mosaic_report(path)
    assert result.json()["rows"]["read"] == 12
    assert f"warning: {path}: lines 2 to 13: a quote is not closed where its field ends; " \
           "each line read as one row, the quote as an ordinary character" in result.err


def test_a_quoted_note_with_a_line_break_is_still_one_row(tmp_path):
    path = write(tmp_path / "note.csv",
                 "Person ID,Start Date,Reason,Notes\n"
                 '5000001,03/12/2018,Health,"seen at home\nby the IRO"\n'
                 "5000002,04/12/2018,Health,\n")
    result = mosaic_report(path)
    assert result.json()["rows"]["read"] == 2
    assert "warning" not in result.err


# --- delimiters and encodings ------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_a_semicolon_tab_or_pipe_separated_file_is_read(tmp_path, delimiter):
    text = (HEADER + ROWS).replace(",", delimiter)
    path = write(tmp_path / "excel.csv", text)
    result = mosaic_report(path)
    assert result.json()["rows"]["read"] == 10 and result.json()["rows"]["used"] == 10


def test_delimiter_option_overrides_the_sniffing(tmp_path):
    # Semicolons separate the columns, and the reasons hold commas.
    path = write(tmp_path / "semi.csv", "Person ID;Start Date;Reason\n"
                 "5000001;03/12/2018;Health, wellbeing\n5000002;04/12/2018;Health\n")
    assert mosaic_report(path, "--delimiter", ";").json()["rows"]["read"] == 2
    assert mosaic_report(path, "--delimiter", "semicolon").json()["rows"]["read"] == 2
    wrong = run_cli("report", path, "--source", "mosaic", "--delimiter", "tab")
    assert one_error(wrong).startswith(f"Error: {path}: no header row found")
    bad = run_cli("report", path, "--delimiter", "ab")
    assert one_error(bad) == ("Error: --delimiter 'ab' is not one character; give ',', ';', "
                              "tab or '|' (or comma, semicolon, tab, pipe)")


@pytest.mark.parametrize("encoding, name", [
    ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32"), ("utf-16-le", "UTF-16"),
    ("utf-16-be", "UTF-16")])
def test_utf32_and_utf16_with_or_without_a_bom_are_read(tmp_path, encoding, name):
    # Before: a UTF-32 file was read as UTF-16 (6 junk rows, no escalation).
    text = HEADER + "5000001,03/12/2018,Health – seen\n5000002,04/12/2018,Health\n"
    data = text.encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data  # with its byte-order mark
    path = tmp_path / "wide.csv"
    path.write_bytes(data)
    result = mosaic_report(path)
    assert result.json()["rows"]["read"] == 2 and result.json()["rows"]["used"] == 2
    assert f"encoding {name}" in result.err


# --- sizes and things that are not files ---------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused_in_one_line(tmp_path):
    path = tmp_path / "endless.csv"
    path.symlink_to("/dev/zero")
    assert one_error(run_cli("report", path)) == (
        f"Error: {path}: not a regular file (a device, pipe or socket); save the extract as "
        "a file and name that")


def test_a_line_over_a_megabyte_is_refused_in_one_line(tmp_path):
    path = write(tmp_path / "long.csv", HEADER + "5000001,03/12/2018," + "x" * (1 << 21) + "\n")
    assert one_error(run_cli("report", path, "--source", "mosaic")) == (
        f"Error: {path}: line 2 is over 1 MB long, more than any extract's row; check this is "
        "the extract, and export it again")
    # A quoted field kept whole (no line of it a row) is held to the same limit.
    note = write(tmp_path / "note.csv", HEADER + '5000001,03/12/2018,"Health\n'
                 + ("x" * 1000 + "\n") * 1100 + '"\n')
    assert one_error(run_cli("report", note, "--source", "mosaic")) == (
        f"Error: {note}: lines 2 to 1103 are one quoted field over 1 MB long, more than any "
        "extract's cell; check this is the extract, and export it again")
    single = write(tmp_path / "single.csv", "x" * (1 << 21))
    assert one_error(run_cli("report", single, "--source", "mosaic")) == (
        f"Error: {single}: line 1 is over 1 MB long, more than any extract's row; check this "
        "is the extract, and export it again")


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", b"\xff\xfe",
                                     b"\xff\xfe\x00\x00\r\x00\x00\x00\n\x00\x00\x00"])
def test_a_file_holding_only_a_byte_order_mark_is_empty(tmp_path, content):
    """Excel's 'CSV UTF-8' of an empty report is a BOM alone: empty, not headerless."""
    path = tmp_path / "extract.csv"
    path.write_bytes(content)
    result = run_cli("report", path)
    assert one_error(result) == f"Error: {path}: the file is empty; export the report again"
