"""The README's commands are the ones CI runs, and the examples in it and in docs/ print
what they show."""

import re
import shlex

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text()
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in README


def console_examples(text):
    """Yield (command, printed lines) for each `$ iro-stats ...` in a page's console blocks."""
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        parts = re.split(r"^\$ ", block, flags=re.M)
        for part in parts[1:]:
            command, _, printed = part.partition("\n")
            if command.startswith("iro-stats"):
                yield command, [l for l in printed.splitlines() if l and l != "..."]


OUTPUT_OPTIONS = {"--output", "-o", "--rejects", "--duplicates", "--per-child"}


def check_examples(run, tmp_path, page, queries: bool = False) -> int:
    """Run each example of a page; return how many ran and printed what the page shows.

    Examples with --query read a database: they are run (queries=True) by
    tests/test_database.py, against a PostgreSQL server."""
    checked = 0
    for command, shown in console_examples(page.read_text()):
        args, moved = shlex.split(command)[1:], {}
        if ("--query" in args) != queries:
            continue
        for i, arg in enumerate(args[1:], start=1):
            if args[i - 1] in OUTPUT_OPTIONS:  # write outputs to a temporary folder
                target = tmp_path / f"{checked}-{arg.strip('/')}"
                if arg.endswith("/"):
                    target.mkdir()
                moved[str(target)] = arg.rstrip("/")
                args[i] = str(target) + ("/" if arg.endswith("/") else "")
        result = run(*args)
        printed = result.out + result.err
        for target, arg in moved.items():
            printed = printed.replace(target, arg)
        missing = [line for line in shown if line not in printed.splitlines()]
        assert not missing, (page.name, command, missing)
        checked += 1
    return checked


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples_print_what_the_page_shows(run, tmp_path, monkeypatch, page):
    monkeypatch.chdir(ROOT)
    check_examples(run, tmp_path, page)


def test_the_readme_runs_an_example_of_every_command():
    shown = {shlex.split(command)[1] for command, _ in console_examples(README)}
    from iro_stats.cli import cli

    assert shown == set(cli.commands)


def test_docs_hold_the_examples_the_readme_held_before_they_moved():
    # The README's walk-through (12 examples) moved to docs/: its examples came too.
    assert sum(len(list(console_examples(p.read_text()))) for p in PAGES[1:]) >= 12
