"""The `reviews` command: looked-after reviews on time by the meeting date and as the
workflow steps record them, the gap between the two, and participation."""

from __future__ import annotations

from pathlib import Path

import click

from iro_stats.cli.common import (check_per_child, emit, note, tell_read, tell_skipped,
                                  write_per_child)
from iro_stats.cli.options import (DATE, Inputs, layout_options, need_inputs,
                                   output_options, per_child_options, period_options,
                                   query_options)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--profile", type=click.Path(path_type=Path),
              help="TOML file naming this council's columns ([columns.workflow_steps] "
                   "review_date = ...).")
@click.option("--rejects", type=click.Path(path_type=Path),
              help="Write every rejected and duplicate row, with why, to this CSV.")
@query_options
@layout_options
@period_options
@click.option("--as-at", type=DATE, metavar="DATE",
              help="Count reviews overdue and not held as at this date (dd/mm/yyyy); "
                   "default: the period's last day, else the latest date in the data.")
@per_child_options("one row per review, by child and period of care,")
@output_options()
def reviews(files, profile, rejects, queries, delimiter, sheets, period, as_at, per_child,
            output, suppress):
    """Looked-after reviews on time: by the meeting date, and as Mosaic records them.

    Reads the 903 return's episodes and reviews (its header file is named and left out),
    Mosaic periods of care and LAC review workflow steps, and an IRO review log; each is
    told apart by its header. The actual view counts the meetings held, the system view
    the workflow steps completed; docs/reviews.md states every rule.

    Example: iro-stats reviews sample_data/reviews/example --financial-year 2018-19
    """
    from iro_stats.cli.progress import progress
    from iro_stats.reviews import extracts, views
    from iro_stats.reviews.report import ReviewsReport

    need_inputs(files, queries)
    inputs = Inputs(tuple(files), profile, rejects=rejects, queries=queries,
                    delimiter=delimiter, sheets=sheets)
    rename = check_per_child(per_child, output, inputs)
    with progress("reading the extracts"):
        reading = extracts.read(inputs.extracts, inputs.read_profile())
    for extract in reading.extracts:
        tell_read(extract.info)
    for skipped in reading.skipped:
        tell_skipped(skipped)
    for extract in extracts.not_needed(reading):
        note(f"{extract.info.path}: not needed for reviews; its {len(extract)} rows are "
             "left out of the counts")
    data = extracts.build_inputs(reading.extracts)
    figures = views.figures(data, period, as_at or period.end or data.latest)
    if figures.overlapping:
        many = len(figures.overlapping) > 1
        note(f"warning: {len(figures.overlapping)} {'children have' if many else 'child has'} "
             "903 episodes that overlap (one starts before an earlier one ended): "
             f"{', '.join(figures.overlapping)}; their periods of care are made as "
             "docs/reviews.md says: check the episodes")
    report = ReviewsReport(figures)
    emit(report.tables(), output, inputs,
         lambda shown: report.as_json(shown, data.ledger.counts(), data.ledger.problems()),
         report.heading(), suppress, report.links())
    if per_child.path:
        write_per_child(report.per_child(rename), per_child.path, inputs, rename, "reviews")
    for line in data.ledger.accounting():
        note(line)
    if rejects:
        from iro_stats.export import write_csv

        path = write_csv(data.ledger.rejects(), rejects, inputs.files)
        note(f"wrote rejected and duplicate rows to {path}")
