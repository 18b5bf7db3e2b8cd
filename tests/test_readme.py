"""The README's commands are the ones CI runs, and its examples print what it shows."""

import re
import shlex

from conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_ci_runs_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in README


def console_examples():
    """Yield (command, printed lines) for each `$ iro-stats ...` in the README."""
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        parts = re.split(r"^\$ ", block, flags=re.M)
        for part in parts[1:]:
            command, _, printed = part.partition("\n")
            if command.startswith("iro-stats"):
                yield command, [l for l in printed.splitlines() if l and l != "..."]


OUTPUT_OPTIONS = {"--output", "-o", "--rejects", "--duplicates", "--per-child"}


def test_readme_examples_print_what_the_readme_shows(run, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    checked = 0
    for command, shown in console_examples():
        args, moved = shlex.split(command)[1:], {}
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
        assert not missing, (command, missing)
        checked += 1
    assert checked >= 10
