"""The documentation holds together: the option reference is what --help prints."""

import subprocess
import sys

from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_option_reference_is_what_help_prints():
    result = subprocess.run([sys.executable, "-m", "cogapp", "--check", "--diff",
                             "docs/reference.md"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, (
        "docs/reference.md is stale: run 'cog -r docs/reference.md'\n" + result.stdout
        + result.stderr)
