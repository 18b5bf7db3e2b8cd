"""The `export` command: the cleaned data, one row per escalation, for the analyst."""

from __future__ import annotations

from pathlib import Path

import click

from iro_stats.cli.common import check_paths, finish, load, note
from iro_stats.cli.options import input_options, period_options


@click.command()
@input_options
@period_options
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="The .csv or .xlsx file to write.")
def export(inputs, period, output):
    """Write the cleaned data, one row per escalation (.csv/.xlsx).

    For Excel or Power BI.

    Columns: source, file, sheet, row, escalation_id, child_id, raised_on, highest_stage,
    resolved_on, reason_recorded, reason, category, category_name, relation, outcome,
    team, iro, stage_rows. It holds child IDs: an analyst's file, not a committee paper.

    Example: iro-stats export sample_data/ --output escalations.xlsx
    """
    from iro_stats.export import export_kind, write_escalations

    export_kind(output)  # a wrong suffix stops before the files are read
    check_paths([("--output", output)], inputs)
    from iro_stats.cli.progress import progress

    selection = load(inputs).select(period)
    with progress(f"writing {output}") as step:
        write_escalations(selection, output, inputs.files, step.update)
    note(f"wrote {len(selection.escalations)} escalations to {output} (it holds child IDs: "
         "keep it to analysts)")
    finish(selection, inputs)
