"""The monthly pack is one unit: its four files are put in place together or not at all,
whatever stops the run (an error, a full disk, Ctrl-C, SIGTERM), and two runs never write
the same pack at once. Outputs the system refuses are one line naming the file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest
from conftest import run_cli, write

NAMES = ["iro-escalations-2018-12-report.docx", "iro-escalations-2018-12.docx",
         "iro-escalations-2018-12.md", "iro-escalations-2018-12.xlsx"]
EXTRACT = ("Person ID,Start Date,Reason\n"
           "5000001,03/12/2018,Care plan delay\n"
           "5000002,10/12/2018,Health\n"
           "5000003,11/11/2018,Education\n")


@pytest.fixture
def extract(tmp_path):
    return write(tmp_path / "extract.csv", EXTRACT)


@pytest.fixture
def old_pack(tmp_path):
    """A pack folder holding last run's four files (each the text 'old')."""
    folder = tmp_path / "pack"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_text("old")
    return folder


def monthly_args(extract, folder):
    return ["monthly", extract, "--source", "mosaic", "--month", "2018-12", "-o", folder]


def assert_old_pack_whole(folder):
    """The folder holds last run's four files, untouched, and nothing else."""
    assert sorted(p.name for p in folder.iterdir()) == NAMES
    assert {p.read_text() for p in folder.iterdir()} == {"old"}


def in_subprocess(code: str, args: list, **kwargs) -> subprocess.CompletedProcess:
    """Run `code` then iro-stats ARGS in a fresh process, as the console script does."""
    script = f"import sys\n{code}\nfrom iro_stats.cli import main\nsys.argv = ['iro-stats', " \
             f"*{[str(a) for a in args]!r}]\nmain()\n"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          **kwargs)


def test_a_new_pack_replaces_the_old_one_whole(extract, old_pack):
    result = run_cli(*monthly_args(extract, old_pack))
    assert result.code == 0, result
    assert sorted(p.name for p in old_pack.iterdir()) == NAMES  # no lock, no partial file
    assert not {p.read_bytes()[:3] for p in old_pack.iterdir()} & {b"old"}


def test_ctrl_c_while_the_pack_is_written_leaves_the_old_pack_whole(extract, old_pack,
                                                                     monkeypatch):
    # The workbook is written; Ctrl-C comes while the Word document is.
    import iro_stats.render.docx as docx

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(docx, "write_docx", interrupted)
    result = run_cli(*monthly_args(extract, old_pack))
    assert result.code == 1 and "Aborted!" in result.err, result
    assert_old_pack_whole(old_pack)


def test_an_error_while_the_pack_is_written_leaves_no_new_file(extract, tmp_path,
                                                                monkeypatch):
    import iro_stats.render.markdown as markdown

    def broken(pack):
        raise ValueError("a bug in the Markdown")

    monkeypatch.setattr(markdown, "pack_markdown", broken)
    folder = tmp_path / "new"
    result = run_cli(*monthly_args(extract, folder))
    assert result.code == 1 and "Error: unexpected ValueError" in result.err, result
    assert list(folder.iterdir()) == []


def test_a_file_that_cannot_be_replaced_keeps_the_whole_old_pack(extract, old_pack,
                                                                 monkeypatch):
    # As Windows refuses to replace a document open in Word: the third rename fails,
    # after the first two were done; they are undone.
    replace = os.replace

    def refuse_the_markdown(source, target):
        if str(source).endswith(".partial") and str(target).endswith(".md"):
            raise PermissionError(13, "Permission denied")
        replace(source, target)

    monkeypatch.setattr(os, "replace", refuse_the_markdown)
    result = run_cli(*monthly_args(extract, old_pack))
    assert result.code == 1
    assert result.err.splitlines()[-1] == (
        f"Error: {old_pack / 'iro-escalations-2018-12.md'}: cannot replace it (Permission "
        "denied); close it if it is open (in Excel or Word), then run again; no file was "
        "changed")
    assert_old_pack_whole(old_pack)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix",
                    reason="SIGTERM is POSIX")
def test_sigterm_while_the_pack_is_written_removes_what_was_written(extract, old_pack):
    # The process stops itself with SIGTERM once the workbook is written, as a scheduler
    # or `kill` would; it must unwind and remove its files, leaving the old pack.
    stop = ("import os, signal, time\nimport iro_stats.render.docx as d\n"
            "def w(*a, **k):\n    os.kill(os.getpid(), signal.SIGTERM)\n    time.sleep(30)\n"
            "d.write_docx = w")
    done = in_subprocess(stop, monthly_args(extract, old_pack), timeout=60)
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert "Traceback" not in done.stderr
    assert_old_pack_whole(old_pack)


FILE_LIMIT = ("import resource, signal, sys\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, ({0}, {0}))\n")
# Under a profiler or coverage, main() ends through the interpreter's own exit, which
# frees what a failed write left open: its errors must not print after the error line.
PROFILED = "sys.setprofile(lambda *args: None)\n"


@pytest.mark.skipif(os.name != "posix", reason="file size limits are POSIX")
@pytest.mark.parametrize("exit_path", ["", PROFILED], ids=["os._exit", "interpreter exit"])
def test_a_full_disk_keeps_the_old_pack_and_ends_with_one_error_line(extract, old_pack,
                                                                    exit_path):
    # The system refuses any file over 40 KB (as a full disk refuses the next byte): the
    # workbook fits, the Word document with its charts does not.
    # Not measured by `pytest --cov`: coverage could not write its data under the limit.
    unmeasured = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    done = in_subprocess(FILE_LIMIT.format(40_000) + exit_path,
                         monthly_args(extract, old_pack), timeout=60, env=unmeasured)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1] == (
        f"Error: {old_pack / 'iro-escalations-2018-12.docx'}: not enough space to write it "
        "(File too large); free some space or write to another drive, then run again")
    assert_old_pack_whole(old_pack)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("exit_path", ["", PROFILED], ids=["os._exit", "interpreter exit"])
def test_stdout_on_a_full_disk_is_one_error_line(extract, exit_path):
    # /dev/full refuses every write as a full disk does (ENOSPC).
    with open("/dev/full", "w") as stdout:
        done = subprocess.run([sys.executable, "-c", "import sys\n" + exit_path + (
            "sys.argv = ['iro-stats', 'report', sys.argv[1], '--source', 'mosaic', "
            "'--format', 'json']\nfrom iro_stats.cli import main\nmain()"), str(extract)],
            stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1] == (
        "Error: the output: not enough space to write it (No space left on device); free "
        "some space or write to another drive, then run again")


def test_a_second_run_on_the_same_pack_waits_then_refuses(extract, old_pack, monkeypatch):
    from iro_stats.render import output

    monkeypatch.setattr(output, "LOCK_WAIT", 0.3)
    with output.lock(old_pack / "iro-escalations-2018-12"):  # another run is writing it
        result = run_cli(*monthly_args(extract, old_pack))
    assert result.code == 1
    assert result.err.splitlines()[-1] == (
        f"Error: {old_pack}: another iro-stats run is writing iro-escalations-2018-12 here; "
        "let it finish, then run again")
    assert_old_pack_whole(old_pack)
    other_month = run_cli("monthly", extract, "--source", "mosaic", "--month", "2018-11",
                          "-o", old_pack)  # another pack in the folder is not held up
    assert other_month.code == 0, other_month


def test_a_second_run_writes_once_the_first_has_finished(extract, old_pack, monkeypatch):
    from iro_stats.render import output

    monkeypatch.setattr(output, "LOCK_WAIT", 20)
    held, release = threading.Event(), threading.Event()

    def first_run():
        with output.lock(old_pack / "iro-escalations-2018-12"):
            held.set()
            release.wait(10)

    other = threading.Thread(target=first_run)
    other.start()
    held.wait(10)
    threading.Timer(0.5, release.set).start()
    result = run_cli(*monthly_args(extract, old_pack))
    other.join()
    assert result.code == 0, result
    assert sorted(p.name for p in old_pack.iterdir()) == NAMES


def test_files_a_killed_run_left_half_written_are_removed(extract, old_pack):
    stale = old_pack / ".iro-escalations-2018-12.docx.k1ll3d.partial"
    stale.write_text("half a document")
    (old_pack / ".iro-escalations-2018-12.lock").write_text("")  # its lock, let go
    result = run_cli(*monthly_args(extract, old_pack))
    assert result.code == 0, result
    assert sorted(p.name for p in old_pack.iterdir()) == NAMES


# --- outputs the system refuses ------------------------------------------------------

@pytest.fixture
def read_only(tmp_path):
    """A folder nobody may write in (root too: made immutable where chmod is not enough)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if _writable(folder) and sys.platform.startswith("linux"):
        immutable = subprocess.run(["chattr", "+i", str(folder)],
                                   capture_output=True).returncode == 0
    if _writable(folder):
        pytest.skip("cannot make a folder read-only here")
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def _writable(folder) -> bool:
    try:
        (folder / "probe").write_text("")
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


def test_a_read_only_output_folder_is_one_line(extract, read_only):
    result = run_cli("report", extract, "--source", "mosaic", "-o", read_only / "t.csv",
                     "--format", "csv")
    assert result.code == 1
    (line,) = [l for l in result.err.splitlines() if l.startswith("Error")]
    assert line.startswith(f"Error: {read_only / 't.csv'}: cannot write in {read_only} (")
    assert line.endswith("); choose a folder you can write to, or ask for access to this one")
    pack = run_cli(*monthly_args(extract, read_only / "pack"))
    assert pack.code == 1
    assert pack.err.splitlines()[-1].startswith(
        f"Error: {read_only / 'pack'}: cannot write in {read_only} (")
    assert list(read_only.iterdir()) == []
