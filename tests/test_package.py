"""Three ways in, one implementation; --help stays light; the crosswalk ships."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import MOSAIC, ROOT


def python(*args, cwd=ROOT):
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_do_not_import_pandas_or_openpyxl(flag):
    code = ("import sys; sys.argv = ['iro-stats', %r]\n"
            "from iro_stats.cli import cli\n"
            "try:\n    cli()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'openpyxl', 'numpy', 'python_calamine', "
            "'matplotlib', 'docx') if m in sys.modules]\n"
            "print('HEAVY', heavy)\n") % flag
    result = python("-c", code)
    assert "HEAVY []" in result.stdout, result.stderr


def test_every_command_help_stays_light():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom iro_stats.cli import cli\n"
            "names = []\n"
            "def walk(group, prefix):\n"
            "    for name, cmd in group.commands.items():\n"
            "        r = CliRunner().invoke(cli, prefix + [name, '--help'])\n"
            "        assert r.exit_code == 0 and 'Example' in r.output, (name, r.output)\n"
            "        names.append(name)\n"
            "        if hasattr(cmd, 'commands'):\n"
            "            walk(cmd, prefix + [name])\n"
            "walk(cli, [])\n"
            "print('NAMES', sorted(names))\n"
            "print('HEAVY', [m for m in ('pandas', 'openpyxl', 'numpy', 'pyarrow',\n"
            "                             'iro_stats.reports.stages') if m in sys.modules])\n")
    result = python("-c", code)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr
    assert "'report'" in result.stdout


def test_version_is_the_package_version():
    from iro_stats import __version__

    result = python("-m", "iro_stats", "--version")
    assert result.stdout.strip() == f"iro-stats, version {__version__}"


def test_python_dash_m_and_cli_py_run_the_same_report():
    args = ["report", str(MOSAIC), "--format", "csv"]
    by_module = python("-m", "iro_stats", *args)
    by_shim = python("cli.py", *args)
    assert by_module.returncode == by_shim.returncode == 0
    assert by_module.stdout == by_shim.stdout
    assert by_module.stdout.splitlines()[-1] == "Grand Total,45,100.0"


def test_console_script_is_declared():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'iro-stats = "iro_stats.cli:main"' in text


def test_wheel_carries_the_default_crosswalk(tmp_path):
    result = python("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT))
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("iro_stats-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "iro_stats/mappings/crosswalk.csv" in names
    assert "iro_stats/mappings/categories.csv" in names
    assert "iro_stats/mappings/queries/escalations.sql" in names  # docs/database.md


def test_installed_package_finds_its_crosswalk_outside_the_checkout(tmp_path):
    wheels, target, elsewhere = tmp_path / "w", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    built = python("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                   "-w", str(wheels), str(ROOT))
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("iro_stats-*.whl"))
    installed = python("-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                       str(wheel))
    assert installed.returncode == 0, installed.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-m", "iro_stats", "mappings", "check"],
                            cwd=elsewhere, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok: {target / 'iro_stats' / 'mappings'}: 11 categories")


def test_console_script_runs_the_same_report():
    script = Path(sys.executable).with_name("iro-stats")
    result = subprocess.run([str(script), "report", str(MOSAIC), "--format", "csv"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Grand Total,45,100.0"


def test_the_process_ends_with_each_outcome_status_and_all_its_output(tmp_path):
    """main() ends the process without the interpreter's teardown: the exit status and
    every byte written to a pipe or a file must still come out."""
    import json

    done = python("-m", "iro_stats", "report", "sample_data/legacy_escalations.csv",
                  "--financial-year", "2017-18", "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["totals"] == {"escalations": 219, "children": 193}
    assert done.stderr.splitlines()[-2:] == [
        "rows read 325: used 219, rejected 1, duplicates 1, outside period 104",
        "  rejected 1: date raised is not a real date"]

    out = tmp_path / "reasons.csv"
    written = python("-m", "iro_stats", "report", "sample_data/legacy_escalations.csv",
                     "--financial-year", "2017-18", "--format", "csv", "-o", str(out))
    assert written.returncode == 0 and written.stdout == ""
    assert out.read_text().splitlines()[-1] == "Grand Total,219,100.0"

    usage = python("-m", "iro_stats", "report", "no-such.csv")
    assert (usage.returncode, usage.stderr) == (
        2, "Error: no-such.csv: no such file or folder; check the path\n")
    (tmp_path / "empty.csv").write_bytes(b"")
    data = python("-m", "iro_stats", "report", str(tmp_path / "empty.csv"))
    assert data.returncode == 1 and data.stderr.count("\n") == 1
