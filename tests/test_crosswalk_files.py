"""`mappings check` names every problem of crosswalk files an analyst has edited by
hand: a file missing or empty, a header with an open quote, rows without a code or a
label, an order that is not a number, a source that is neither, a row split by an
unquoted comma."""

from conftest import write


def check(run, folder):
    result = run("mappings", "check", "--mappings", folder)
    assert result.code == 1
    return result.err.splitlines()


def fresh(run, folder):
    assert run("mappings", "init", folder).code == 0
    return folder / "categories.csv", folder / "crosswalk.csv"


def test_a_missing_crosswalk_file_says_how_to_copy_the_defaults(run, tmp_path):
    _, walk = fresh(run, tmp_path / "m")
    walk.unlink()
    assert check(run, tmp_path / "m") == [
        f"Error: {walk}: missing; copy the defaults with 'iro-stats mappings init'",
        "1 problem in the crosswalk; fix it and check again"]


def test_an_empty_file_and_a_header_with_an_open_quote_are_named(run, tmp_path):
    cats, walk = fresh(run, tmp_path / "m")
    write(cats, "")
    write(walk, '"source,label,category,relation,note\n')
    assert check(run, tmp_path / "m") == [
        f"Error: {cats}:1: the file is empty; it needs a header row "
        "code,name,order,like_for_like",
        f"Error: {walk}:1: malformed CSV (a quote is not closed on this line); check the "
        "quotes in the header",
        "2 problems in the crosswalk; fix them and check again"]


def test_rows_without_a_code_or_label_and_rows_that_cannot_be_right_are_named(run,
                                                                             tmp_path):
    cats, walk = fresh(run, tmp_path / "m")
    write(cats, cats.read_text(encoding="utf-8") + ",No code,14,other\n"
                                                   "safety,Safety,first,safety\n")
    write(walk, walk.read_text(encoding="utf-8") + "paper,Lost,other,equivalent,,\n"
                                                   "legacy,,other,equivalent,,\n"
                                                   "legacy,Too,many,other,equivalent,,,\n")
    assert check(run, tmp_path / "m") == [
        f"Error: {cats}:13: a category without a code",
        f"Error: {cats}:14: order 'first' is not a whole number",
        f"Error: {cats}:14: category 'safety' has no label mapped to it in crosswalk.csv",
        f"Error: {walk}:21: source 'paper' is not legacy or mosaic",
        f"Error: {walk}:22: a row without a label",
        f"Error: {walk}:23: 8 cells but the header has 6; a label with a comma needs quotes",
        "6 problems in the crosswalk; fix them and check again"]
