"""Progress on stderr for long steps: shown on a terminal, never in a file or a pipe."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import write

EXTRACT = ("Person ID,Start Date,Reason\n"
           "5000001,03/12/2018,Care plan delay\n"
           "5000002,10/12/2018,Health\n")

pty = pytest.importorskip("pty")


def run_on_terminal(args, after: str) -> str:
    """Run iro-stats with stderr on a terminal; return what the terminal received."""
    master, slave = pty.openpty()
    env = {**os.environ, "IRO_STATS_PROGRESS_AFTER": after}
    process = subprocess.Popen([sys.executable, "-m", "iro_stats", *map(str, args)],
                               stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    assert process.wait(60) == 0
    return received.decode("utf-8")


def test_a_long_step_shows_progress_on_a_terminal_then_clears_it(tmp_path):
    # A delay of 0 stands for a step that has gone on longer than the 2 s before progress
    # shows: the line says what is being done and for how long, and is blanked after.
    extract = write(tmp_path / "extract.csv", EXTRACT)
    output = tmp_path / "out.xlsx"
    shown = run_on_terminal(["export", extract, "--source", "mosaic", "-o", output], "0")
    assert "\rreading the extracts... 0 s" in shown
    assert f"\rwriting {output}" in shown
    assert "\r" + " " * len("reading the extracts... 0 s") + "\r" in shown
    last = shown.splitlines()[-1]
    assert last.startswith("rows read 2: used 2") or "rows read 2: used 2" in last


def test_a_short_step_shows_nothing_even_on_a_terminal(tmp_path):
    extract = write(tmp_path / "extract.csv", EXTRACT)
    shown = run_on_terminal(["report", extract, "--source", "mosaic"], "2")
    assert "reading the extracts" not in shown and "\r" not in shown.replace("\r\n", "\n")


def test_progress_never_reaches_stderr_that_is_not_a_terminal(tmp_path):
    extract = write(tmp_path / "extract.csv", EXTRACT)
    env = {**os.environ, "IRO_STATS_PROGRESS_AFTER": "0"}
    done = subprocess.run([sys.executable, "-m", "iro_stats", "export", str(extract),
                           "--source", "mosaic", "-o", str(tmp_path / "out.xlsx")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "reading the extracts" not in done.stderr and "\r" not in done.stderr
