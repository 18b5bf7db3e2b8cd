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
