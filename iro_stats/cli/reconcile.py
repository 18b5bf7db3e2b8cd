"""The `reconcile` command: legacy and Mosaic escalations side by side."""

from __future__ import annotations

from pathlib import Path

import click

from iro_stats.cli.common import check_paths, emit, finish, load, note, warn_unlisted
from iro_stats.cli.options import (DATE, input_options, output_options, period_options,
                                   show_unlisted_option, window_option)


@click.command()
@input_options
@period_options
@click.option("--cutover", type=DATE, metavar="DATE",
              help="Mosaic go-live: legacy escalations on or after it, and Mosaic ones "
                   "before it, are left out of their side and counted.")
@window_option
@click.option("--like-for-like", is_flag=True,
              help="Fold one-sided categories into the category categories.csv names.")
@click.option("--duplicates", type=click.Path(path_type=Path),
              help="Write both rows of each possible duplicate pair (.csv or .xlsx; holds "
                   "child IDs).")
@show_unlisted_option
@output_options()
def reconcile(inputs, period, cutover, window, like_for_like, duplicates, show_unlisted,
              output, suppress):
    """Legacy and Mosaic side by side on harmonised categories.

    For each category: its relation, then per source the count, percent and rate per
    month (count / (days in the side's window / 30.4375)). A side's window runs from
    --from (or its first escalation) to --to (or its last); --cutover keeps each side to
    its own days. Possible duplicates (same child and category, raised within --window
    days) are counted whatever the cutover.

    Example: iro-stats reconcile sample_data/ --cutover 2018-11-19
    """
    from iro_stats.reports.reconcile import reconcile as build
    from iro_stats.schema import SOURCE_NAMES

    check_paths([("--output", output.path), ("--duplicates", duplicates)], inputs)
    if duplicates:
        from iro_stats.export import export_kind

        export_kind(duplicates)  # a wrong suffix stops before the files are read
    dataset = load(inputs)
    for source, name in SOURCE_NAMES.items():
        if source not in dataset.sources:
            note(f"warning: no {name.short} files among the inputs: that side of the table "
                 "is empty")
    result = build(dataset, period, cutover, window, like_for_like, show_unlisted)
    emit([result.table()], output, inputs, lambda shown: result.as_json(shown[0]),
         result.heading(), suppress)
    warn_unlisted(result.selection)
    if result.stretched and not cutover:  # the notes say so in the committee's words
        note("note: a side's window runs well beyond its escalations (see the notes): if "
             "Mosaic went live, or the legacy log stopped, within the period, give --cutover "
             "with the go-live date")
    if duplicates:
        from iro_stats.export import write_pairs

        write_pairs(result.pairs, duplicates, inputs.files)
        note(f"wrote {len(result.pairs)} possible duplicate pairs to {duplicates} (it holds "
             "child IDs: keep it to analysts)")
    finish(result.selection, inputs)
