"""The `report` command: the committee's reasons table."""

from __future__ import annotations

import click

from iro_stats.cli.common import check_paths, emit, finish, load, warn_unlisted
from iro_stats.cli.options import (input_options, output_options, period_options,
                                   show_unlisted_option)


@click.command()
@input_options
@period_options
@click.option("--by", type=click.Choice(["reason", "category"]),
              help="Group by the source's own labels or by harmonised category "
                   "(default: category when the files hold both sources).")
@show_unlisted_option
@output_options()
def report(inputs, period, by, show_unlisted, output, suppress):
    """Reasons for IRO escalations: count and percent, with a Grand Total.

    Example: iro-stats report sample_data/legacy_escalations.csv --financial-year 2017
    """
    from iro_stats.reports.reasons import reasons

    check_paths([("--output", output.path)], inputs)
    dataset = load(inputs)
    if by is None:
        by = "category" if len(dataset.sources) > 1 else "reason"
    selection = dataset.select(period)
    result = reasons(selection, by, show_unlisted)
    emit([result.table()], output, inputs, lambda shown: result.as_json(shown[0]),
         result.heading(), suppress)
    warn_unlisted(selection)
    finish(selection, inputs)
