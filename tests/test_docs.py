"""The documentation holds together: the option reference is what --help prints, every
link between pages resolves, and the README stays a five-minute read."""

import re
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


def slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, punctuation dropped, spaces
    to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # a '# comment' in code is no heading
    return {slug(h) for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}


def links(text: str):
    """Yield each Markdown link's target, outside code blocks."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    yield from re.findall(r"\]\(([^)\s]+)\)", text)


def test_every_link_between_pages_resolves():
    checked = 0
    for page in PAGES:
        for target in links(page.read_text()):
            if re.match(r"[a-z]+:", target):
                continue  # a web address: not checked, there is no network
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.exists(), (page.name, target)
            if anchor:
                assert anchor in anchors(linked.read_text()), (page.name, target)
            checked += 1
    assert checked >= 30


def test_the_readme_is_a_five_minute_read():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 300
