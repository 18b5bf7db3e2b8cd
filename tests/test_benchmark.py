"""The benchmark keeps working: on small generated files, every command runs and
report's figures (and the DuckDB checks baseline's, where DuckDB is installed) are
those the generator put in. Speed itself is measured by running it, never in tests."""

import json
import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_and_checks_its_figures_on_small_files(tmp_path):
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--rows", "3000",
         "--xlsx-rows", "300", "--legacy-rows", "300", "--review-periods", "300",
         "--runs", "1",
         "--data", str(tmp_path / "data"), "--json", str(figures)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Report figures checked against the generator: all correct" in done.stdout
    result = json.loads(figures.read_text())
    assert result["problems"] == []
    assert {name: c["failed"] for name, c in result["commands"].items()
            if c["failed"]} == {}
    assert {"report csv", "pandas", "stages", "reconcile", "report xlsx", "openpyxl",
            "help", "click", "reviews", "reviews pandas", "reviews 903", "report samples",
            "pandas samples"} \
        <= set(result["commands"])
