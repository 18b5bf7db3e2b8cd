"""Commands for the crosswalk (`mappings init/show/check/unmapped`), the cleaned `export`
and `reconcile`, which puts legacy and Mosaic escalations side by side."""

from __future__ import annotations

from pathlib import Path

import click

from iro_stats.cli import (cli, emit, finish, get_period, input_options, load_inputs,
                           output_options, period_options)

MAPPINGS_HELP = "Folder with your own categories.csv and crosswalk.csv (default: the shipped ones)."


def mappings_option(fn):
    return click.option("--mappings", "mappings_dir", type=click.Path(path_type=Path),
                        help=MAPPINGS_HELP)(fn)


@cli.group()
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
        click.echo(f"wrote {path}", err=True)
    click.echo(f"edit them, run 'iro-stats mappings check --mappings {directory}', then give "
               f"--mappings {directory} to the other commands", err=True)


@mappings.command()
@mappings_option
@output_options()
def show(mappings_dir, fmt, output):
    """Show the categories, then every label and its category.

    Example: iro-stats mappings show --format markdown
    """
    from iro_stats import crosswalk as walk
    from iro_stats.table import TEXT, Column, Table

    crosswalk = walk.load(mappings_dir)
    order = list(crosswalk.categories)
    categories = Table(
        f"Harmonised categories ({crosswalk.directory})",
        [Column("Code"), Column("Name"), Column("Order"),
         Column("Like-for-like"), Column("Relation")],
        [[c.code, c.name, str(c.order), c.like_for_like, crosswalk.relation_text(c.code)]
         for c in crosswalk.categories.values()
         if c.code not in (walk.NOT_RECORDED, walk.UNMAPPED)],
        name="Categories")
    labels = sorted(crosswalk.labels, key=lambda l: (order.index(l.category),
                                                     walk.SOURCES.index(l.source), l.line))
    walk = Table(
        "Crosswalk: each source label and its harmonised category",
        [Column("Source"), Column("Label"), Column("Shown as"), Column("Category"),
         Column("Relation"), Column("Note", TEXT)],
        [[l.source, l.label, l.shown_as if l.shown_as != l.label else "", l.category,
          l.relation, l.note] for l in labels],
        notes=[f"{len(crosswalk.labels)} labels; blank reasons count as "
               f"'{walk.NOT_RECORDED_LABEL}', labels not listed as "
               f"'{walk.UNMAPPED_LABEL}'. sha256 {crosswalk.sha256[:12]}."],
        name="Crosswalk")
    value = {"directory": str(crosswalk.directory), "sha256": crosswalk.sha256,
             "categories": [{"code": c.code, "name": c.name, "order": c.order,
                             "like_for_like": c.like_for_like,
                             "relation": crosswalk.relation_text(c.code)}
                            for c in crosswalk.categories.values()],
             "labels": [{"source": l.source, "label": l.label, "shown_as": l.shown_as,
                         "category": l.category, "relation": l.relation, "note": l.note}
                        for l in labels]}
    emit([categories, walk], fmt, output, [], value)


@mappings.command()
@mappings_option
def check(mappings_dir):
    """Check the crosswalk files: each problem with its file:line.

    Exits 1 when there is any problem.

    Finds unknown category codes, a label mapped twice within a source, unknown
    relations, categories nothing maps to, malformed CSV, and rows that contradict
    each other (an alias showing as an unknown label, a one-sided category both
    sources map to, an approximate label without a note).

    Example: iro-stats mappings check --mappings my_crosswalk/
    """
    from iro_stats import crosswalk as walk

    crosswalk, problems = walk.check(mappings_dir)
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        many = len(problems) != 1
        click.echo(f"{len(problems)} problem{'s' if many else ''} in the crosswalk; fix "
                   f"{'them' if many else 'it'} and check again", err=True)
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
def unmapped(files, profile, source, mappings_dir, rejects, month_text, fy_text, from_text,
             to_text, fmt, output):
    """List reason labels the crosswalk does not know.

    Each with its source, count and the closest known labels.

    Suggestions are the closest known labels; they are never applied. With --output,
    the labels are written as crosswalk rows with category and relation left blank.

    Example: iro-stats mappings unmapped sample_data/ --output new_rows.csv
    """
    from iro_stats import crosswalk as walk
    from iro_stats.render.output import check_target, write_text
    from iro_stats.table import COUNT, TEXT, Column, Table

    period = get_period(month_text, fy_text, from_text, to_text)
    if output:
        _not_the_crosswalk(output, mappings_dir)
        check_target(output, files)
    dataset = load_inputs(files, profile, source, mappings_dir)
    selection = dataset.select(period)
    crosswalk = dataset.crosswalk
    esc = selection.escalations
    found = esc[esc["category"] == walk.UNMAPPED]
    items = []
    for (src, label), count in found.groupby(["source", "reason_recorded"]).size().items():
        items.append({"source": src, "label": label, "count": int(count),
                      "suggestions": crosswalk.suggestions(src, label)})
    items.sort(key=lambda u: (walk.SOURCES.index(u["source"]), -u["count"],
                              u["label"].casefold()))
    table = Table(f"Reason labels not in the crosswalk ({crosswalk.directory}), "
                  f"{period.label()}",
                  [Column("Source"), Column("Label"), Column("Escalations", COUNT),
                   Column("Closest known labels", TEXT)],
                  [[u["source"], u["label"], u["count"], "; ".join(u["suggestions"])]
                   for u in items],
                  notes=["Suggestions are never applied: add a row to crosswalk.csv for "
                         "each label (an alias names the label it shows as in shown_as)."]
                  if items else [], name="Unmapped")
    if items or fmt == "json":
        emit([table], fmt, None, files, {"crosswalk": str(crosswalk.directory),
                                         "period": period.as_json(), "unmapped": items})
    else:
        click.echo(f"No unmapped labels: every reason in the files is in the crosswalk "
                   f"({crosswalk.directory}).")
    if output:
        write_text(output, walk.crosswalk_rows(items), files)
        click.echo(f"wrote {len(items)} crosswalk rows to {output}: fill in category and "
                   "relation, then paste them into crosswalk.csv", err=True)
    finish(selection, rejects, files)


def _not_the_crosswalk(output: Path, mappings_dir: Path | None) -> None:
    """Refuse to write the new rows over the crosswalk files they are meant to complete."""
    import os

    from iro_stats import crosswalk as walk
    from iro_stats.errors import UsageError

    folder = Path(mappings_dir) if mappings_dir else walk.default_directory()
    for name in (walk.CROSSWALK_FILE, walk.CATEGORIES_FILE):
        existing = folder / name
        if output.exists() and existing.exists() and os.path.samefile(output, existing):
            raise UsageError(f"{output}: this is the crosswalk in use; write the new rows to "
                             "another file, complete them, then paste them in")


@cli.command()
@input_options
@period_options
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="The .csv or .xlsx file to write.")
def export(files, profile, source, mappings_dir, rejects, month_text, fy_text, from_text,
           to_text, output):
    """Write the cleaned data, one row per escalation (.csv/.xlsx).

    For Excel or Power BI.

    Columns: source, file, sheet, row, escalation_id, child_id, raised_on, highest_stage,
    resolved_on, reason_recorded, reason, category, category_name, relation, outcome,
    team, iro, stage_rows. It holds child IDs: an analyst's file, not a committee paper.

    Example: iro-stats export sample_data/ --output escalations.xlsx
    """
    from iro_stats.export import export_kind, write_escalations

    export_kind(output)  # a wrong suffix stops before the files are read
    period = get_period(month_text, fy_text, from_text, to_text)
    dataset = load_inputs(files, profile, source, mappings_dir)
    selection = dataset.select(period)
    write_escalations(selection, output, files)
    click.echo(f"wrote {len(selection.escalations)} escalations to {output} (it holds child "
               "IDs: keep it to analysts)", err=True)
    finish(selection, rejects, files)


@cli.command()
@input_options
@period_options
@click.option("--cutover", "cutover_text", metavar="DATE",
              help="Mosaic go-live: legacy escalations on or after it, and Mosaic ones "
                   "before it, are left out of their side and counted.")
@click.option("--window", "window_text", metavar="DAYS", default="0", show_default=True,
              help="Days apart a legacy and a Mosaic escalation may be raised and still "
                   "count as a possible duplicate.")
@click.option("--like-for-like", is_flag=True,
              help="Fold one-sided categories into the category categories.csv names.")
@click.option("--duplicates", "duplicates_path", type=click.Path(path_type=Path),
              help="Write both rows of each possible duplicate pair (.csv or .xlsx; holds "
                   "child IDs).")
@output_options()
def reconcile(files, profile, source, mappings_dir, rejects, month_text, fy_text, from_text,
              to_text, cutover_text, window_text, like_for_like, duplicates_path, fmt, output):
    """Legacy and Mosaic side by side on harmonised categories.

    For each category: its relation, then per source the count, percent and rate per
    month (count / (days in the side's window / 30.4375)). A side's window runs from
    --from (or its first escalation) to --to (or its last); --cutover keeps each side to
    its own days. Possible duplicates (same child and category, raised within --window
    days) are counted whatever the cutover.

    Example: iro-stats reconcile sample_data/ --cutover 2018-11-19
    """
    from iro_stats.periods import user_date
    from iro_stats.reports.reconcile import reconcile as build

    period = get_period(month_text, fy_text, from_text, to_text)
    cutover = user_date(cutover_text, "--cutover") if cutover_text else None
    window = _days(window_text)
    if duplicates_path:
        from iro_stats.export import export_kind

        export_kind(duplicates_path)
    dataset = load_inputs(files, profile, source, mappings_dir)
    for src in ("legacy", "mosaic"):
        if src not in dataset.sources:
            click.echo(f"warning: no {'Mosaic' if src == 'mosaic' else 'legacy'} files "
                       "among the inputs: that side of the table is empty", err=True)
    result = build(dataset, period, cutover, window, like_for_like)
    emit([result.table()], fmt, output, files, result.as_json(), result.heading())
    if duplicates_path:
        from iro_stats.export import write_pairs

        write_pairs(result.pairs, duplicates_path, files)
        click.echo(f"wrote {len(result.pairs)} possible duplicate pairs to {duplicates_path} "
                   "(it holds child IDs: keep it to analysts)", err=True)
    finish(result.selection, rejects, files)


def _days(text: str) -> int:
    from iro_stats.errors import UsageError

    try:
        days = int(str(text).strip())
    except ValueError:
        raise UsageError(f"--window {text!r} is not a whole number of days; give 0 or more")
    if days < 0:
        raise UsageError(f"--window {days} is below zero; give a number of days, 0 or more")
    return days
