"""The command line's shape: commands register without importing the group, option values
arrive parsed (each bad one a single line naming it), and the process-wide allocator
setting is made by main() only."""

import ast

import pytest

from conftest import LEGACY, MOSAIC, ROOT, SAMPLE

CLI = ROOT / "iro_stats" / "cli"


def test_no_command_module_imports_the_group():
    for path in sorted(CLI.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "iro_stats.cli":
                raise AssertionError(f"{path.name} imports {[a.name for a in node.names]} "
                                     "from the group's module")
            if isinstance(node, ast.ImportFrom) and node.module == "iro_stats":
                assert "cli" not in [a.name for a in node.names], path.name


def test_the_reports_errors_never_name_an_option():
    # They reach a Python caller too, who gave no options: the CLI words them.
    for name in ("periods.py", "reports/stages.py", "reports/reconcile.py", "errors.py"):
        tree = ast.parse((ROOT / "iro_stats" / name).read_text())
        for node in ast.walk(tree):
            # A raise, or the message an exception class builds (an f-string).
            if isinstance(node, (ast.Raise, ast.JoinedStr)):
                for text in ast.walk(node):
                    if isinstance(text, ast.Constant) and isinstance(text.value, str):
                        assert "--" not in text.value, (name, text.value)


def one_line(result) -> str:
    assert result.code == 2, result
    assert result.out == "" and "Usage:" not in result.err, result
    (line,) = [l for l in result.err.splitlines() if l.startswith("Error: ")]
    return line


@pytest.mark.parametrize("args, message", [
    (["stages", MOSAIC, "--overdue", "-1"],
     "Error: --overdue -1 is below zero; give a number of working days, 0 or more"),
    (["stages", MOSAIC, "--overdue", "ten"],
     "Error: --overdue 'ten' is not a whole number of working days; give 0 or more"),
    (["report", LEGACY, "--suppress", "-5"], "Error: --suppress -5 is below zero; give 0 or more"),
    (["monthly", SAMPLE, "--month", "2018-12", "-o", "out", "--window", "-1"],
     "Error: --window -1 is below zero; give a number of days, 0 or more"),
    (["report", LEGACY, "--from", "02/01/2018", "--to", "2018-01-01"],
     "Error: --to 01/01/2018 is before --from 02/01/2018"),
    (["report", LEGACY, "--financial-year", "2017", "--from", "01/01/2018"],
     "Error: give only one of --financial-year, --from/--to"),
    (["stages", MOSAIC, "--as-at", "29/02/2019"],
     "Error: --as-at '29/02/2019' is not a date; give it as dd/mm/yyyy or yyyy-mm-dd"),
])
def test_a_bad_option_value_is_one_line_naming_the_option(run, tmp_path, args, message):
    args = [tmp_path / a if a == "out" else a for a in args]
    assert one_line(run(*args)) == message
    assert not (tmp_path / "out").exists()


def test_format_xlsx_without_output_stops_before_reading_the_files(run, tmp_path):
    result = run("report", tmp_path / "not-there.csv", "--format", "xlsx")
    assert one_line(result) == "Error: --format xlsx needs --output FILE.xlsx"


def test_a_financial_year_given_three_ways_is_the_same_year(run):
    totals = [run("report", LEGACY, "--financial-year", fy, "--format", "json").json()["period"]
              for fy in ("2017", "2017-18", "2017/2018")]
    assert totals == [{"from": "2017-04-01", "to": "2018-03-31"}] * 3


def test_running_the_cli_in_process_leaves_the_allocator_alone(run, monkeypatch):
    import iro_stats.allocator

    def refuse():
        raise AssertionError("keep_freed_memory called in-process")

    monkeypatch.setattr(iro_stats.allocator, "keep_freed_memory", refuse)
    result = run("report", LEGACY, "--format", "csv")
    assert result.code == 0 and result.out.splitlines()[-1] == "Grand Total,323,100.0"


def test_a_bug_is_one_line_asking_for_a_report_and_debug_shows_it(run, monkeypatch):
    import iro_stats.reports.reasons

    def broken(selection, by, show_unlisted):
        raise KeyError("category")

    monkeypatch.setattr(iro_stats.reports.reasons, "reasons", broken)
    result = run("report", LEGACY)
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines()[-1] == (
        "Error: unexpected KeyError: 'category'; run again with --debug for the details "
        "and report it")
    with pytest.raises(KeyError):
        run("--debug", "report", LEGACY)


def test_a_broken_crosswalk_with_debug_shows_the_traceback(run, tmp_path):
    from iro_stats.errors import MappingError

    (tmp_path / "categories.csv").write_text("code,name,order,like_for_like\n"
                                             "education,Education,1,education\n")
    (tmp_path / "crosswalk.csv").write_text("source,label,category,relation,note\n"
                                            "legacy,Education,schooling,equivalent,\n")
    result = run("report", LEGACY, "--mappings", tmp_path)
    assert result.code == 1 and result.err.splitlines()[-1] == (
        "Error: the crosswalk has problems; fix them (see 'iro-stats mappings check') and "
        "run again")
    with pytest.raises(MappingError):
        run("--debug", "report", LEGACY, "--mappings", tmp_path)


def test_monthly_refuses_a_file_as_its_folder_and_a_bad_source_date_epoch(run, tmp_path,
                                                                          monkeypatch):
    taken = tmp_path / "pack"
    taken.write_text("")
    assert one_line(run("monthly", SAMPLE, "--month", "2018-12", "-o", taken)) == (
        f"Error: --output {taken}: is a file; give a folder for the pack")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert one_line(run("monthly", SAMPLE, "--month", "2018-12", "-o", tmp_path / "out")) == (
        "Error: SOURCE_DATE_EPOCH='yesterday' is not a number of seconds since 1970; unset "
        "it or give one")
