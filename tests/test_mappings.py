"""The crosswalk files and `iro-stats mappings init/show/check/unmapped`."""

import csv

import pytest

from conftest import LEGACY, SAMPLE, write

HEADER = "Child ID,Date Raised,Reason\n"


@pytest.fixture
def crosswalk(tmp_path, run):
    """A fresh copy of the default crosswalk in a folder of its own."""
    folder = tmp_path / "crosswalk"
    result = run("mappings", "init", folder)
    assert result.code == 0, result
    return folder


def append(path, text):
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(text)


def error_lines(result):
    return [l for l in result.err.splitlines() if l.startswith("Error: ")]


def test_init_copies_both_files_and_check_passes_on_them(run, crosswalk):
    assert sorted(p.name for p in crosswalk.iterdir()) == ["categories.csv", "crosswalk.csv"]
    result = run("mappings", "check", "--mappings", crosswalk)
    assert result.code == 0
    assert result.out == (f"ok: {crosswalk}: 11 categories, 19 labels (legacy 9, mosaic 10; "
                          "0 aliases)\n")


def test_init_never_overwrites_an_edited_crosswalk_without_force(run, crosswalk):
    append(crosswalk / "crosswalk.csv", "legacy,Educaton,education,equivalent,,Education\n")
    result = run("mappings", "init", crosswalk)
    assert result.code == 2
    assert error_lines(result) == [f"Error: {crosswalk / 'categories.csv'}: already exists; "
                                   "edit it, or replace it with the default (--force)"]
    assert "Educaton" in (crosswalk / "crosswalk.csv").read_text()
    assert run("mappings", "init", crosswalk, "--force").code == 0
    assert "Educaton" not in (crosswalk / "crosswalk.csv").read_text()


def test_default_crosswalk_holds_the_issues_table(run):
    data = run("mappings", "show", "--format", "json").json()
    pairs = {}
    for label in data["labels"]:
        pairs.setdefault(label["category"], {})[label["source"]] = (label["label"],
                                                                   label["relation"])
    assert pairs == {
        "care_plan_quality": {"legacy": ("Incomplete or inadequate care plans", "equivalent"),
                              "mosaic": ("Inadequate care plan", "equivalent")},
        "care_plan_delay": {"legacy": ("Drift or delay in care planning", "equivalent"),
                            "mosaic": ("Care plan delay", "equivalent")},
        "social_work": {"legacy": ("Concerns around social work provision", "equivalent"),
                        "mosaic": ("Social work", "equivalent")},
        "education": {"legacy": ("Education", "equivalent"),
                      "mosaic": ("Education", "equivalent")},
        "placement": {"legacy": ("Placement concerns", "equivalent"),
                      "mosaic": ("Placement", "equivalent")},
        "safeguarding": {"legacy": ("Safeguarding concerns including missing episodes, crime "
                                    "related or CSE risk", "equivalent"),
                         "mosaic": ("Safeguarding", "equivalent")},
        "review_actions": {"legacy": ("Non completion of review decisions", "approximate"),
                           "mosaic": ("Follow-up actions", "approximate")},
        "management": {"legacy": ("Action and effectiveness of management", "one-sided")},
        "health": {"mosaic": ("Health", "one-sided")},
        "leaving_care": {"mosaic": ("18+ planning", "one-sided")},
        "other": {"legacy": ("Other", "broader"), "mosaic": ("Other", "narrower")},
    }
    folds = {c["code"]: c["like_for_like"] for c in data["categories"]}
    assert [c for c, f in folds.items() if f != c] == ["management", "health", "leaving_care"]
    assert {folds[c] for c in ("management", "health", "leaving_care")} == {"other"}
    assert list(folds)[-2:] == ["not_recorded", "unmapped"]


def test_show_draws_categories_then_labels(run):
    result = run("mappings", "show")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Harmonised categories (")
    assert any(l.split()[:2] == ["health", "Health"] and l.endswith("one-sided (Mosaic only)")
               for l in lines)
    assert "Crosswalk: each source label and its harmonised category" in lines


def test_check_lists_every_problem_with_file_and_line_and_exits_1(run, crosswalk):
    append(crosswalk / "categories.csv", "ghost,Ghost category,12,other\n")
    append(crosswalk / "crosswalk.csv",
           "legacy,Educaton,education,equivalent,,Eductaion\n"     # line 21
           "mosaic,Contact,contact,equivalent,,\n"                  # 22
           "mosaic,Health,health,one-sided,,\n"                     # 23
           "legacy,Housing,other,sideways,,\n"                      # 24
           'legacy,"Broken,quote"x,other,broader,,\n'               # 25
           "legacy,Review,review_actions,approximate,,\n"           # 26
           "legacy,Parenting,,,,\n")                                # 27
    result = run("mappings", "check", "--mappings", crosswalk)
    assert result.code == 1
    cats, walk = crosswalk / "categories.csv", crosswalk / "crosswalk.csv"
    assert error_lines(result) == [
        f"Error: {cats}:13: category 'ghost' has no label mapped to it in crosswalk.csv",
        f"Error: {walk}:21: shown_as 'Eductaion' is not a legacy label in crosswalk.csv; an "
        "alias must show as a label of its own source",
        f"Error: {walk}:22: category 'contact' is not in categories.csv",
        f"Error: {walk}:23: 'Health' is mapped twice for mosaic (first on line 18)",
        f"Error: {walk}:24: relation 'sideways' is not one of equivalent, approximate, "
        "broader, narrower, one-sided",
        f"Error: {walk}:25: malformed CSV (',' expected after '\"'); check the quotes on "
        "this line",
        f"Error: {walk}:26: 'Review' is approximate but has no note; say in the note how the "
        "two sides differ",
        f"Error: {walk}:27: 'Parenting' has no category; fill in a code from categories.csv",
        f"Error: {walk}:27: relation '' is not one of equivalent, approximate, broader, "
        "narrower, one-sided",
    ]
    assert result.err.splitlines()[-1] == ("9 problems in the crosswalk; fix them and check "
                                           "again")


def test_check_finds_relations_that_contradict_the_other_source(run, crosswalk):
    append(crosswalk / "categories.csv", "contact,Family time and contact,12,other\n")
    append(crosswalk / "crosswalk.csv",
           "mosaic,Contact,contact,equivalent,,\n"
           "legacy,Health,health,equivalent,,\n")
    result = run("mappings", "check", "--mappings", crosswalk)
    walk = crosswalk / "crosswalk.csv"
    assert error_lines(result) == [
        f"Error: {walk}:18: 'Health' is one-sided but legacy also has a label in 'health'; "
        "choose another relation",
        f"Error: {walk}:21: 'Contact' is equivalent but no legacy label maps to 'contact'; "
        "use one-sided, or map a legacy label",
    ]


def test_check_finds_a_missing_column_an_unknown_fold_and_a_repeated_code(run, crosswalk):
    cats = crosswalk / "categories.csv"
    text = cats.read_text(encoding="utf-8").replace("health,Health,9,other",
                                                    "health,Health,9,elsewhere")
    write(cats, text + "education,Education again,13,education\n")
    walk = crosswalk / "crosswalk.csv"
    write(walk, walk.read_text(encoding="utf-8").replace(",relation,", ",kind,", 1))
    result = run("mappings", "check", "--mappings", crosswalk)
    assert error_lines(result) == [
        f"Error: {cats}:10: like_for_like 'elsewhere' is not a category code",
        f"Error: {cats}:13: category code 'education' defined twice",
        f"Error: {walk}:1: header lacks relation; expected source,label,category,relation,note",
    ]
    assert result.code == 1


def test_a_crosswalk_that_fails_check_stops_every_command_with_the_same_messages(
        run, crosswalk):
    append(crosswalk / "crosswalk.csv", "legacy,Housing,other,sideways,,\n")
    expected = [f"Error: {crosswalk / 'crosswalk.csv'}:21: relation 'sideways' is not one of "
                "equivalent, approximate, broader, narrower, one-sided"]
    assert error_lines(run("mappings", "check", "--mappings", crosswalk)) == expected
    for command in (["report", LEGACY], ["reconcile", SAMPLE], ["export", LEGACY, "--output",
                                                                 crosswalk / "x.csv"],
                    ["mappings", "unmapped", LEGACY], ["mappings", "show"]):
        result = run(*command, "--mappings", crosswalk)
        assert result.code == 1, command
        assert error_lines(result)[:-1] == expected, command
        assert error_lines(result)[-1].startswith("Error: the crosswalk has problems")
        assert result.out == ""


@pytest.mark.parametrize("where, said", [
    ("a-file", "{folder}: is a file; give a folder for the crosswalk files"),
    ("missing/crosswalk", "{folder}: the folder {parent} does not exist; create it first"),
])
def test_init_somewhere_it_cannot_write_says_why_and_writes_nothing(run, tmp_path, where,
                                                                    said):
    (tmp_path / "a-file").write_text("not a folder\n")
    folder = tmp_path / where
    result = run("mappings", "init", folder)
    assert result.code == 2
    assert error_lines(result) == ["Error: " + said.format(folder=folder, parent=folder.parent)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_mappings_folder_that_does_not_exist_is_a_usage_error(run, tmp_path):
    result = run("mappings", "check", "--mappings", tmp_path / "nowhere")
    assert result.code == 2
    assert error_lines(result) == [f"Error: {tmp_path / 'nowhere'}: no such folder; give "
                                   "a folder holding categories.csv and crosswalk.csv "
                                   "(--mappings)"]


def test_an_alias_row_counts_a_known_typo_under_its_category(run, crosswalk, tmp_path):
    log = write(tmp_path / "log.csv", HEADER
                + "1000001,01/04/2018,Incomplete or inadequate care plans\n"
                + "1000002,02/04/2018,Educaton\n"
                + "1000003,03/04/2018,Education\n")
    before = run("report", log, "--source", "legacy", "--format", "json",
                 "--show-unlisted").json()
    assert before["unlisted_labels"] == ["Educaton"]
    append(crosswalk / "crosswalk.csv", "legacy,Educaton,education,equivalent,"
                                        "Known typo in the 2018 log,Education\n")
    assert run("mappings", "check", "--mappings", crosswalk).out.endswith("1 aliases)\n")
    after = run("report", log, "--source", "legacy", "--mappings", crosswalk,
                "--format", "json").json()
    assert [(r["reason"], r["count"]) for r in after["reasons"]] == [
        ("Education", 2), ("Incomplete or inadequate care plans", 1)]
    data = run("reconcile", log, "--source", "legacy", "--mappings", crosswalk,
               "--format", "json", "--show-unlisted").json()
    education = next(c for c in data["categories"] if c["category"] == "education")
    assert education["legacy"]["count"] == 2
    assert data["unmapped"] == []


def test_a_new_mosaic_label_with_its_own_category_shows_in_reconcile(run, crosswalk, tmp_path):
    append(crosswalk / "categories.csv", "contact,Family time and contact,12,other\n")
    append(crosswalk / "crosswalk.csv", "mosaic,Contact,contact,one-sided,"
                                        "No legacy category: the log recorded these under "
                                        "Other\n")
    assert run("mappings", "check", "--mappings", crosswalk).code == 0
    extract = write(tmp_path / "mosaic.csv", "Workflow ID,Person ID,Start Date,Reason\n"
                    "W1,1000001,20/11/2018,Contact\nW2,1000002,21/11/2018,Health\n")
    data = run("reconcile", extract, "--source", "mosaic", "--mappings", crosswalk,
               "--format", "json").json()
    contact = next(c for c in data["categories"] if c["category"] == "contact")
    assert contact["name"] == "Family time and contact"
    assert contact["relation"] == "one-sided (Mosaic only)"
    assert contact["mosaic"] == {"count": 1, "percent": 50.0, "per_month": 15.2}
    folded = run("reconcile", extract, "--source", "mosaic", "--mappings", crosswalk,
                 "--like-for-like", "--format", "json").json()
    other = next(c for c in folded["categories"] if c["category"] == "other")
    assert other["mosaic"]["count"] == 2
    assert other["includes"] == ["management", "health", "leaving_care", "contact"]


def test_unmapped_lists_labels_with_counts_and_suggestions_never_applied(run, tmp_path):
    log = write(tmp_path / "log.csv", HEADER
                + "1000001,01/04/2018,Incomplete or inadequate care plans\n"
                + "1000002,02/04/2018,Educaton\n"
                + "1000003,03/04/2018,Educaton\n"
                + "1000004,04/04/2018,Housing\n"
                + "1000005,05/04/2018,Placement concern\n")
    result = run("mappings", "unmapped", log)
    assert result.code == 0
    rows = [l.split("  ") for l in result.out.splitlines()[3:6]]
    assert [[c.strip() for c in r if c.strip()] for r in rows] == [
        ["legacy", "Educaton", "2", "Education"],
        ["legacy", "Housing", "1"],
        ["legacy", "Placement concern", "1", "Placement concerns"]]
    report = run("report", log, "--format", "json", "--show-unlisted").json()
    assert report["unlisted_labels"] == ["Educaton", "Housing", "Placement concern"]


def test_unmapped_output_writes_crosswalk_rows_ready_to_complete(run, tmp_path):
    log = write(tmp_path / "log.csv", HEADER
                + "1000001,01/04/2018,Incomplete or inadequate care plans\n"
                + "1000002,02/04/2018,Educaton\n"
                + "1000003,03/04/2018,Educaton\n"
                + "1000004,04/04/2018,Housing\n")
    rows_path = tmp_path / "new_rows.csv"
    result = run("mappings", "unmapped", log, "--output", rows_path)
    assert result.code == 0
    assert (f"wrote 2 crosswalk rows to {rows_path}: fill in category and relation, then "
            "paste them into crosswalk.csv") in result.err
    assert list(csv.reader(rows_path.open(encoding="utf-8"))) == [
        ["source", "label", "category", "relation", "note", "shown_as"],
        ["legacy", "Educaton", "", "", "2 escalations; closest known: Education", ""],
        ["legacy", "Housing", "", "", "1 escalation; closest known: none", ""]]


def test_unmapped_refuses_to_write_over_the_crosswalk_in_use(run, crosswalk):
    result = run("mappings", "unmapped", LEGACY, "--mappings", crosswalk,
                 "--output", crosswalk / "crosswalk.csv")
    assert result.code == 2
    assert error_lines(result) == [f"Error: {crosswalk / 'crosswalk.csv'}: this is the "
                                   "crosswalk in use; write the new rows to another file, "
                                   "complete them, then paste them in"]


def test_unmapped_on_the_sample_finds_its_one_unlisted_label_per_source(run):
    result = run("mappings", "unmapped", SAMPLE)
    assert result.code == 0
    rows = [line.split("  ")[0:1] + [c for c in line.split("  ")[1:] if c.strip()]
            for line in result.out.splitlines()[3:5]]
    assert [[c.strip() for c in row] for row in rows] == [
        ["legacy", "Contact arrangements", "1"], ["mosaic", "Family time", "1"]]
    seed = run("mappings", "unmapped", SAMPLE, "--to", "31/12/2018")  # the seed's tables
    assert seed.out.startswith("No unmapped labels: every reason in the files is in the "
                               "crosswalk")


def test_crosswalk_saved_by_excel_as_windows_1252_with_a_bom_free_header_still_reads(
        run, crosswalk, tmp_path):
    walk = crosswalk / "crosswalk.csv"
    text = walk.read_text(encoding="utf-8") + \
        "legacy,Child’s plan not updated,care_plan_quality,equivalent,,\n"
    walk.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    assert run("mappings", "check", "--mappings", crosswalk).code == 0
    log = write(tmp_path / "log.csv", HEADER
                + "1000001,01/04/2018,Child’s plan not updated\n"
                + "1000002,01/04/2018,Incomplete or inadequate care plans\n")
    data = run("report", log, "--source", "legacy", "--by", "category",
               "--mappings", crosswalk, "--format", "json").json()
    assert data["reasons"] == [{"category": "care_plan_quality",
                                "name": "Incomplete or inadequate care plan", "count": 2,
                                "percent": 100.0}]
