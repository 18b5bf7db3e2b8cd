"""The `report` command: the committee's reasons table."""

from __future__ import annotations

import click

from iro_stats.cli.common import emit, finish, load
from iro_stats.cli.options import input_options, output_options, period_options


@click.command()
@input_options
@period_options
@click.option("--by", type=click.Choice(["reason", "category"]),
              help="Group by the source's own labels or by harmonised category "
                   "(default: category when the files hold both sources).")
@output_options()
def report(inputs, period, by, output, suppress):
    """Reasons for IRO escalations: count and percent, with a Grand Total.

    Example: iro-stats report sample_data/legacy_escalations.csv --financial-year 2017
    """
    from iro_stats.reports.reasons import reasons

    dataset = load(inputs)
    if by is None:
        by = "category" if len(dataset.sources) > 1 else "reason"
    selection = dataset.select(period)
    result = reasons(selection, by)
    emit([result.table()], output, inputs, result.as_json(), result.heading(), suppress)
    finish(selection, inputs)
