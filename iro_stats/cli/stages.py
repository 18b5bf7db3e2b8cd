"""The `stages` command: how far escalations go, how quickly they end, and per-child detail."""

from __future__ import annotations

import click

from iro_stats.cli.common import check_per_child, emit, finish, load, write_per_child
from iro_stats.cli.options import (DATE, OptionError, input_options, output_options,
                                   overdue_option, per_child_options, period_options)
from iro_stats.errors import AsAtTooEarly


@click.command()
@input_options
@period_options
@overdue_option
@click.option("--as-at", type=DATE, metavar="DATE",
              help="Measure open and overdue escalations as at this date (dd/mm/yyyy); "
                   "default: the latest date in the data.")
@per_child_options("one row per child")
@output_options()
def stages(inputs, period, overdue, as_at, per_child, output, suppress):
    """Escalations by highest stage reached, resolution, overdue ones, repeat escalations.

    Stage 0 is the informal stage. Where the data records no stages (the legacy log) it
    gives escalations per child and, as an inference, escalations beyond each child's
    first.

    Example: iro-stats stages sample_data/mosaic_escalations.xlsx --overdue 20
    """
    from iro_stats.reports.stages import stages as stages_report

    rename = check_per_child(per_child, output, inputs)
    selection = load(inputs).select(period)
    try:
        result = stages_report(selection, overdue, as_at)
    except AsAtTooEarly as early:
        raise OptionError(f"--as-at {as_at:%d/%m/%Y} is before {early.late} of the period's "
                          f"escalations were raised (the last on {early.last:%d/%m/%Y}); "
                          f"end the period by then with --to {as_at:%d/%m/%Y}, or give a "
                          "later --as-at")
    emit(result.tables(), output, inputs, result.as_json, result.heading(), suppress,
         result.links())
    if per_child.path:
        write_per_child(result.per_child(rename), per_child.path, inputs, rename,
                        "children")
    finish(selection, inputs)

