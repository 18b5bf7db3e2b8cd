"""Shared helpers: run the CLI as a user would and read what it printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from iro_stats.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
LEGACY = SAMPLE / "legacy_escalations.csv"
MOSAIC = SAMPLE / "mosaic_escalations.xlsx"


class Run:
    """What one CLI run printed: exit code, stdout, stderr."""

    def __init__(self, result):
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr
        self.exception = result.exception

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<Run code={self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}>"


def run_cli(*args) -> Run:
    """Run `iro-stats ARGS...` in-process and return what it printed."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result)


@pytest.fixture
def run():
    return run_cli


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a small inline extract and return its path."""
    path.write_bytes(text.encode(encoding))
    return path


def one_error(result: Run) -> str:
    """Return the one `Error:` line of a run that failed as a user's mistake should: exit 1
    or 2, one line, no traceback, no usage text, not an "unexpected" error."""
    assert result.code in (1, 2), result
    errors = [line for line in result.err.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result
    assert "Traceback" not in result.err + result.out and "Usage:" not in result.err
    assert "unexpected" not in errors[0], result
    return errors[0]


def mosaic_report(path: Path, *options) -> Run:
    """Run `report PATH --source mosaic --format json OPTIONS...`, which must succeed."""
    result = run_cli("report", path, "--source", "mosaic", "--format", "json", *options)
    assert result.code == 0, result
    assert "Traceback" not in result.err
    return result


# --- tests that need a PostgreSQL server (tests/test_database.py) ----------------------

_skipped_database_tests: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "database" in report.keywords:
        _skipped_database_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """Under .ci/run (IRO_STATS_TEST_DB_REQUIRED set) the database tests must run: a
    skipped one fails the run, so CI never passes without them."""
    import os

    if os.environ.get("IRO_STATS_TEST_DB_REQUIRED") and _skipped_database_tests:
        print(f"\n{len(_skipped_database_tests)} database tests were skipped, and "
              "IRO_STATS_TEST_DB_REQUIRED says they must run: "
              f"{_skipped_database_tests[0]} ...")
        session.exitstatus = 1
