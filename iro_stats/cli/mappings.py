"""The `mappings` commands: look after the crosswalk (init, show, check, unmapped)."""

from __future__ import annotations

from pathlib import Path

import click

from iro_stats.cli.common import check_paths, emit, finish, load, note
from iro_stats.cli.options import (OptionError, Output, input_options, mappings_option,
                                   output_options, period_options)


@click.group()
def mappings():
    """Look after the crosswalk of legacy and Mosaic labels.

    It puts both sources' reason labels on harmonised categories.

    Two CSV files an analyst edits in Excel: categories.csv (code, name, order,
    like_for_like) and crosswalk.csv (source, label, category, relation, note, shown_as).

    Example: iro-stats mappings init my_crosswalk/
    """


@mappings.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace crosswalk files already in DIRECTORY.")
def init(directory, force):
    """Copy the default crosswalk files into DIRECTORY to edit.

    Then give --mappings DIRECTORY to any command to use them.

    Example: iro-stats mappings init my_crosswalk/
    """
    from iro_stats import crosswalk as walk

    for path in walk.init(directory, force):
        note(f"wrote {path}")
    note(f"edit them, run 'iro-stats mappings check --mappings {directory}', then give "
         f"--mappings {directory} to the other commands")


@mappings.command()
@mappings_option
@output_options()
def show(mappings, output, suppress):
    """Show the categories, then every label and its category.

    Example: iro-stats mappings show --format markdown
    """
    from iro_stats import crosswalk as walk
    from iro_stats.reports import crosswalk as report

    crosswalk = walk.load(mappings)
    emit(report.tables(crosswalk), output, None, lambda shown: report.as_json(crosswalk),
         suppress=suppress)


@mappings.command()
@mappings_option
def check(mappings):
    """Check the crosswalk files: each problem with its file:line.

    Exits 1 when there is any problem.

    Finds unknown category codes, a label mapped twice within a source, unknown
    relations, categories nothing maps to, malformed CSV, and rows that contradict
    each other (an alias showing as an unknown label, a one-sided category both
    sources map to, an approximate label without a note).

    Example: iro-stats mappings check --mappings my_crosswalk/
    """
    from iro_stats import crosswalk as walk

    crosswalk, problems = walk.check(mappings)
    if problems:
        for problem in problems:
            note(f"Error: {problem}")
        many = len(problems) != 1
        note(f"{len(problems)} problem{'s' if many else ''} in the crosswalk; fix "
             f"{'them' if many else 'it'} and check again")
        raise SystemExit(1)
    by_source = {s: sum(1 for l in crosswalk.labels if l.source == s)
                 for s in walk.SOURCES}
    aliases = sum(1 for l in crosswalk.labels if l.shown_as != l.label)
    categories = len(crosswalk.categories) - 2  # not_recorded and unmapped are built in
    click.echo(f"ok: {crosswalk.directory}: {categories} categories, "
               f"{len(crosswalk.labels)} labels (legacy {by_source['legacy']}, "
               f"mosaic {by_source['mosaic']}; {aliases} aliases)")


@mappings.command()
@input_options
@period_options
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv", "json"]),
              default="table", show_default=True, help="How to show the list.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Also write them as crosswalk rows (CSV) to complete and paste in.")
def unmapped(inputs, period, fmt, output):
    """List reason labels the crosswalk does not know.

    Each with its source, count and the closest known labels.

    Suggestions are the closest known labels; they are never applied. With --output,
    the labels are written as crosswalk rows with category and relation left blank.

    Example: iro-stats mappings unmapped sample_data/ --output new_rows.csv
    """
    from iro_stats.render.output import check_target, write_text
    from iro_stats.render.text import to_csv
    from iro_stats.reports.crosswalk import new_rows_table, unmapped_labels, unmapped_table

    check_paths([("--output", output)], inputs)
    if output:
        _not_the_crosswalk(output, inputs.mappings)
        check_target(output, inputs.files)
    dataset = load(inputs)
    selection = dataset.select(period)
    crosswalk = dataset.crosswalk
    items = unmapped_labels(selection.columns(("source", "reason", "category")),
                            crosswalk)
    if items or fmt == "json":
        emit([unmapped_table(items, crosswalk, period)], Output(fmt), inputs,
             lambda shown: {"crosswalk": str(crosswalk.directory),
                            "period": period.as_json(), "unmapped": items})
    else:
        click.echo(f"No unmapped labels: every reason in the files is in the crosswalk "
                   f"({crosswalk.directory}).")
    if output:
        # The labels as typed (child-level): readable by the analyst only.
        write_text(output, to_csv(new_rows_table(items)), inputs.files, private=True)
        note(f"wrote {len(items)} crosswalk rows to {output}: fill in category and relation, "
             "then paste them into crosswalk.csv")
    finish(selection, inputs)


def _not_the_crosswalk(output: Path, mappings: Path | None) -> None:
    """Refuse to write the new rows over the crosswalk files they are meant to complete."""
    import os

    from iro_stats import crosswalk as walk

    folder = Path(mappings) if mappings else walk.default_directory()
    for name in (walk.CROSSWALK_FILE, walk.CATEGORIES_FILE):
        existing = folder / name
        if output.exists() and existing.exists() and os.path.samefile(output, existing):
            raise OptionError(f"{output}: this is the crosswalk in use; write the new rows "
                              "to another file, complete them, then paste them in")
