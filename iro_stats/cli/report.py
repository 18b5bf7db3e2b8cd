"""The `report` command: the committee's reasons table, and escalations counted by team,
IRO, outcome, stage, month or quarter, alone or across another of them."""

from __future__ import annotations

import click

from iro_stats.cli.common import check_paths, emit, finish, load, note, warn_unlisted
from iro_stats.cli.options import (OptionError, input_options, output_options, period_options,
                                   show_unlisted_option)
from iro_stats.reports.dimensions import ACROSS, BY, STAFF_NAMES


@click.command()
@input_options
@period_options
@click.option("--by", type=click.Choice(BY),
              help="Count by the source's own reason labels, harmonised category, team, "
                   "IRO, outcome, highest stage, month or financial quarter raised "
                   "(default: category when the files hold both sources, else reason).")
@click.option("--across", type=click.Choice(ACROSS),
              help="Also count across this, in columns: a two-way table with row and "
                   "column totals (e.g. --by reason --across team).")
@show_unlisted_option
@output_options()
def report(inputs, period, by, across, show_unlisted, output, suppress):
    """Escalations by reason, team, IRO, outcome, stage, month or quarter.

    Count and percent of the period's escalations, with a Grand Total; --across adds a
    second breakdown in columns, with row and column totals. IRO names are staff names:
    a table by IRO is for the analyst.

    Example: iro-stats report sample_data/legacy_escalations.csv --financial-year 2017
    """
    if across is not None and across == by:
        raise OptionError(f"--across {across}: give a different breakdown from --by")
    check_paths([("--output", output.path)], inputs)
    dataset = load(inputs)
    if by is None:
        by = "category" if len(dataset.sources) > 1 else "reason"
    if {by, across} & set(STAFF_NAMES):
        note("note: IRO names are staff names: this table is for the analyst, not for a "
             "committee paper")
    selection = dataset.select(period)
    if by in ("reason", "category") and across is None:
        from iro_stats.reports.reasons import reasons

        result = reasons(selection, by, show_unlisted)
    else:
        from iro_stats.reports.breakdowns import breakdown

        result = breakdown(selection, by, across, show_unlisted)
    emit([result.table()], output, inputs, lambda shown: result.as_json(shown[0]),
         result.heading(), suppress)
    warn_unlisted(selection)
    finish(selection, inputs)
