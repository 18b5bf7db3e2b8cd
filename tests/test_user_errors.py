"""Every error a user can cause has its own one-line message, blamed on the right file
and line: out-of-range options, malformed profiles, malformed crosswalks."""

from __future__ import annotations

import pytest
from conftest import run_cli, write

EXTRACT = "Person ID,Start Date,Reason\n5000001,03/12/2018,Care plan delay\n"


@pytest.fixture
def extract(tmp_path):
    return write(tmp_path / "extract.csv", EXTRACT)


def error_lines(result) -> list[str]:
    assert "Traceback" not in result.err
    return [line for line in result.err.splitlines() if line.startswith("Error")]


@pytest.mark.parametrize("args, message", [
    (["report", "--financial-year", "9999"],
     "Error: --financial-year '9999' is out of range; give a year from 1900 to 2999"),
    (["report", "--financial-year", "1899-00"],
     "Error: --financial-year '1899-00' is out of range; give a year from 1900 to 2999"),
    (["report", "--month", "0001-01"],
     "Error: --month '0001-01' is out of range; give a year from 1900 to 2999"),
    (["monthly", "--month", "3000-01", "-o", "out"],
     "Error: --month '3000-01' is out of range; give a year from 1900 to 2999"),
    (["report", "--to", "31/12/9999"],
     "Error: --to '31/12/9999' is out of range; give a year from 1900 to 2999"),
    (["stages", "--as-at", "01/01/0001"],
     "Error: --as-at '01/01/0001' is out of range; give a year from 1900 to 2999"),
])
def test_an_out_of_range_option_is_one_line_naming_it(extract, tmp_path, args, message):
    args = [tmp_path / a if a == "out" else a for a in args]
    result = run_cli(args[0], extract, "--source", "mosaic", *args[1:])
    assert result.code == 2
    assert error_lines(result) == [message]


def test_the_years_at_either_end_of_the_range_are_read(extract):
    for year in ("1900", "2998"):
        result = run_cli("report", extract, "--source", "mosaic", "--financial-year", year,
                         "--format", "json")
        assert result.code == 0, result
        assert result.json()["rows"]["outside_period"] == 1


# --- profiles --------------------------------------------------------------------------

PROFILE_PROBLEMS = [
    # A typo in a table's name: blamed on the profile, not on the extract it failed to name.
    ('source = "mosaic"\n\n[colums]\nchild_id = "Kid"\n',
     ":3: unknown 'colums' in the profile, which holds [columns] and source (did you mean "
     "'columns'?); see docs/inputs.md on column names and profiles"),
    ('[columns]\nchild_id = "Kid"\nraised = "Start"\n',
     ":3: unknown field 'raised' in [columns]; fields are child_id, raised_on, reason, "
     "escalation_id, stage, resolved_on, outcome, team, iro"),
    ('columns.escalations.reason = "R"\ncolumns.escalations.bogus = "B"\n',
     ":2: unknown field 'bogus' in [columns.escalations]; fields are child_id, raised_on, "
     "reason, escalation_id, stage, resolved_on, outcome, team, iro"),
    ('# a council\nsource = "mosiac"\n',
     ":2: source must be \"legacy\" or \"mosaic\", not 'mosiac'"),
    # Nested deeper than the TOML reader can follow.
    ("columns = " + "[" * 5000 + "]" * 5000 + "\n",
     ":1: the profile nests arrays or tables too deeply to be a profile; see docs/inputs.md "
     "on column names and profiles"),
    ('[columns]\nchild_id = "Kid"\n\n[columns.escalations]\nreason = { a = { b = 1 } }\n',
     ":5: [columns.escalations] reason must be a header name in quotes, or a list of them"),
]


@pytest.mark.parametrize("text, message", PROFILE_PROBLEMS)
def test_a_malformed_profile_is_blamed_on_its_file_and_line(extract, tmp_path, text,
                                                            message):
    profile = write(tmp_path / "council.toml", text)
    result = run_cli("report", extract, "--source", "mosaic", "--profile", profile)
    assert result.code == 2
    assert error_lines(result) == [f"Error: {profile}{message}"]


# --- crosswalks ------------------------------------------------------------------------

def test_mappings_check_lists_every_problem_after_a_malformed_line(tmp_path):
    folder = tmp_path / "crosswalk"
    assert run_cli("mappings", "init", folder).code == 0
    path = folder / "crosswalk.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3] == "legacy,Concerns around social work provision,social_work,equivalent,,"
    # A quote opened and never closed on line 4; on line 8 a category that does not
    # exist; on line 11 a relation misspelt. Nothing after line 4 may be lost to it, and
    # line 11's Mosaic label still maps to its category, so line 2 is not blamed.
    lines[3] = 'legacy,"Concerns around social work provision,social_work,equivalent,,'
    lines[7] = lines[7].replace("review_actions", "review_action")
    lines[10] = lines[10].replace("equivalent", "equivalnet")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("mappings", "check", "--mappings", folder)
    assert result.code == 1
    assert error_lines(result) == [
        f"Error: {path}:4: malformed CSV (a quote is not closed on this line); check the "
        "quotes on this line",
        f"Error: {path}:8: category 'review_action' is not in categories.csv",
        f"Error: {path}:11: relation 'equivalnet' is not one of equivalent, approximate, "
        "broader, narrower, one-sided",
        # true while line 8 names no category: Mosaic's side of review_actions is alone
        f"Error: {path}:17: 'Follow-up actions' is approximate but no legacy label maps to "
        "'review_actions'; use one-sided, or map a legacy label",
    ]
    assert result.err.splitlines()[-1] == "4 problems in the crosswalk; fix them and check again"
    # Every other command lists them too, then says what to do.
    report = run_cli("report", tmp_path, "--mappings", folder)
    assert error_lines(report)[:3] == [f"Error: {path}:4: malformed CSV (a quote is not "
                                       "closed on this line); check the quotes on this line",
                                       f"Error: {path}:8: category 'review_action' is not in "
                                       "categories.csv",
                                       f"Error: {path}:11: relation 'equivalnet' is not one "
                                       "of equivalent, approximate, broader, narrower, "
                                       "one-sided"]
    assert report.code == 1
