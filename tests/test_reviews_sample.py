"""`iro-stats reviews` on the sample data gives the figures its generator worked out with
its own reading of the rules; the worked example of docs/reviews.md; every format."""

import importlib.util

import openpyxl
import pytest

from conftest import SAMPLE

REVIEWS = SAMPLE / "reviews"
RETURN, MOSAIC = REVIEWS / "903", REVIEWS / "mosaic"
STEPS = MOSAIC / "lac_review_steps.xlsx"
EXAMPLE = REVIEWS / "example"
FY = ("--financial-year", "2018-19")


def generator_figures() -> dict:
    spec = importlib.util.spec_from_file_location(
        "make_review_samples", SAMPLE / "make_review_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FIGURES


def as_generator_has_them(data: dict) -> dict:
    """Return the command's JSON in the shape of the generator's FIGURES."""
    def view(v):
        out = {k: v[k] for k in ("held", "on_time", "late", "overdue_not_held",
                                 "children_reviewed", "children_all_on_time")}
        out["by_review"] = {k: [r["held"], r["on_time"]] for k, r in v["by_review"].items()}
        return out

    gap = {k: data["gap"][k] for k in ("late_in_system", "step_open", "no_step")}
    participation = {k: v for k, v in data["participation"].items() if k != "not_recorded"}
    return {"actual": view(data["actual"]), "system": view(data["system"]), "gap": gap,
            "steps": data["steps"], "participation": participation,
            "periods_of_care": data["periods_of_care"], "rows": data["rows"]}


@pytest.mark.parametrize("name, inputs", [("903", (RETURN, STEPS)), ("mosaic", (MOSAIC,))])
def test_sample_data_gives_the_generators_figures(run, name, inputs):
    result = run("reviews", *inputs, *FY, "--format", "json")
    assert result.code == 0, result
    want = generator_figures()[name]
    got = as_generator_has_them(result.json())
    for key in want:
        assert got[key] == want[key], key


def test_sample_903_figures_by_hand_and_the_stderr_story(run):
    result = run("reviews", RETURN, STEPS, *FY)
    assert result.code == 0, result
    data = run("reviews", RETURN, STEPS, *FY, "--format", "json").json()
    # 150 of 156 meetings on time (96.2%); the steps say 109 of 149 (73.2%).
    assert (data["actual"]["percent_on_time"], data["system"]["percent_on_time"]) == \
        (96.2, 73.2)
    assert data["gap"]["percentage_points"] == 23.0
    err = result.err.splitlines()
    assert f"{RETURN / 'header.csv'}: not needed for reviews; its 96 rows are left out of " \
        "the counts" in err
    assert any(line.startswith("warning: 1 child has 903 episodes that overlap")
               for line in err)
    assert "rows read 876: used 498, rejected 2, duplicates 1, outside period 375" in err


def test_worked_example_of_the_docs(run):
    data = run("reviews", EXAMPLE, *FY, "--format", "json").json()
    assert data["actual"] == {
        "held": 5, "on_time": 4, "late": 1, "percent_on_time": 80.0,
        "by_review": {"first": {"held": 2, "on_time": 2, "late": 0},
                      "second": {"held": 1, "on_time": 1, "late": 0},
                      "subsequent": {"held": 2, "on_time": 1, "late": 1}},
        "children_reviewed": 3, "children_all_on_time": 2, "overdue_not_held": 1}
    assert (data["system"]["held"], data["system"]["on_time"],
            data["system"]["overdue_not_held"]) == (4, 3, 2)
    assert data["gap"]["percentage_points"] == 5.0
    assert data["gap"]["late_in_system"] == 1
    assert data["steps"] == {"cancelled": 1, "held_not_recorded": 1, "open_no_review_date": 0}
    assert data["rows"] == {"read": 17, "used": 15, "rejected": 0, "duplicates": 0,
                            "outside_period": 2}


def test_every_format(run, tmp_path):
    table = run("reviews", EXAMPLE, *FY)
    assert "All reviews              5          4        80.0%       1" in table.out
    markdown = run("reviews", EXAMPLE, *FY, "--format", "markdown")
    assert "| **All reviews**    |  **5** |     **4** |   **80.0%** |  **1** |" in markdown.out
    csv_out = run("reviews", EXAMPLE, *FY, "--format", "csv").out
    assert "Review,Held,On time,% on time,Late\nFirst review,2,2,100.0,0\n" in csv_out
    assert "PN0,Child aged under 4 at the time of the review,1,20.0\n" in csv_out
    book = tmp_path / "reviews.xlsx"
    result = run("reviews", EXAMPLE, *FY, "--format", "xlsx", "--output", book)
    assert result.code == 0, result
    sheets = openpyxl.load_workbook(book).sheetnames
    assert sheets[:2] == ["Actual", "System"] and "Participation" in sheets


def test_suppress_hides_small_counts_in_tables_and_json_alike(run):
    data = run("reviews", EXAMPLE, *FY, "--format", "json", "--suppress", "5").json()
    assert data["actual"]["by_review"]["first"]["held"] == "c"
    assert data["actual"]["held"] == 5  # the total row is shown in full
    assert data["participation"]["PN1"] == "c"
    text = run("reviews", EXAMPLE, *FY, "--suppress", "5")
    # No late first review: 100% gives nothing away of the counts hidden.
    assert "First review             c          c       100.0%       0" in text.out
    assert "Subsequent reviews       c          c            c       c" in text.out
    # The difference between the views would give a hidden percent away.
    assert data["gap"]["percentage_points"] == "c"


def test_per_child_pseudonymised(run, tmp_path):
    key = tmp_path / "key"
    key.write_text("3f9a6c0e1b7d4285e6a9c3f01d7b2e48a5c8f1e4b7d0a3c6f9e2b5d8c1f4a7e0")
    out = tmp_path / "pc.csv"
    result = run("reviews", EXAMPLE, *FY, "--per-child", out, "--pseudonymise",
                 "--key-file", key)
    assert result.code == 0, result
    text = out.read_text()
    assert "5000001" not in text and text.startswith("Pseudonym,Period of care start")
    assert len(text.splitlines()) == 1 + 5  # the 5 meetings, each with its step



def test_a_period_with_no_reviews_has_no_percentages(run):
    """0 of 0 on time is not 0%: the percent cells are z, null in JSON, and so is the gap."""
    args = ("reviews", RETURN, STEPS, "--month", "2016-01")
    text = run(*args)
    assert "All reviews              0          0            z       0" in text.out
    assert "Symbols: z: not applicable." in text.out
    data = run(*args, "--format", "json").json()
    assert data["actual"]["held"] == 0 and data["actual"]["percent_on_time"] is None
    assert data["system"]["held"] == 0 and data["system"]["percent_on_time"] is None
    assert data["gap"]["percentage_points"] is None


def test_the_gap_is_in_percentage_points_not_a_percent(run, tmp_path):
    """96.2% on time by the meeting date less 73.2% in the system is 23.0 points, not 23%."""
    text = run("reviews", RETURN, MOSAIC, *FY).out
    (line,) = [l for l in text.splitlines() if l.startswith("On time in the system")]
    assert line.split()[-3:] == ["109", "73.2%", "23.0"]
    book = tmp_path / "reviews.xlsx"
    run("reviews", RETURN, MOSAIC, *FY, "--format", "xlsx", "--output", book)
    sheet = openpyxl.load_workbook(book)["Gap"]
    cell = next(row[3] for row in sheet.iter_rows() if row[0].value == "On time in the system")
    assert (cell.value, cell.number_format) == (23.0, "0.0")
