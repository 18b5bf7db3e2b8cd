"""The `stages` command: how far escalations go, how quickly they end, and per-child detail."""

from __future__ import annotations

from pathlib import Path

import click

from iro_stats.cli.common import check_paths, emit, finish, load, note
from iro_stats.cli.options import (DATE, OptionError, input_options, output_options,
                                   overdue_option, period_options)
from iro_stats.errors import AsAtTooEarly


@click.command()
@input_options
@period_options
@overdue_option
@click.option("--as-at", type=DATE, metavar="DATE",
              help="Measure open and overdue escalations as at this date (dd/mm/yyyy); "
                   "default: the latest date in the data.")
@click.option("--per-child", type=click.Path(path_type=Path), metavar="FILE.csv",
              help="Also write one row per child to this CSV. It holds child IDs: "
                   "personal data, never for the committee.")
@click.option("--pseudonymise", is_flag=True,
              help="In --per-child, replace child IDs with a keyed hash that stays the same "
                   "from month to month for the same key.")
@click.option("--key-file", type=click.Path(path_type=Path),
              help="File holding the --pseudonymise key (else the IRO_STATS_KEY "
                   "environment variable). Keep it apart from the outputs.")
@output_options()
def stages(inputs, period, overdue, as_at, per_child, pseudonymise, key_file, output,
           suppress):
    """Escalations by highest stage reached, resolution, overdue ones, repeat escalations.

    Stage 0 is the informal stage. Where the data records no stages (the legacy log) it
    gives escalations per child and, as an inference, escalations beyond each child's
    first.

    Example: iro-stats stages sample_data/mosaic_escalations.xlsx --overdue 20
    """
    from iro_stats.reports.stages import stages as stages_report

    rename = _check_per_child(per_child, pseudonymise, key_file, output, inputs)
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
    if per_child:
        _write_per_child(result, per_child, inputs, rename)
    finish(selection, inputs)


def _check_per_child(per_child, pseudonymise, key_file, output, inputs):
    """Check the per-child options before any file is read; return the renamer or None."""
    if pseudonymise and not per_child:
        raise OptionError("--pseudonymise applies to --per-child FILE.csv; give both")
    if key_file and not pseudonymise:
        raise OptionError("--key-file is only used with --pseudonymise")
    if per_child and per_child.suffix.lower() != ".csv":
        raise OptionError(f"--per-child {per_child}: give a file name ending .csv")
    check_paths([("--output", output.path), ("--per-child", per_child)], inputs)
    if per_child:
        from iro_stats.render.output import check_target

        check_target(per_child, inputs.files)  # before the tables are printed, not after
    if not pseudonymise:
        return None
    import os

    from iro_stats.pseudonym import ENV_VAR, MAKE_KEY, key_warning, load_key, pseudonymiser

    if key_file is None and not os.environ.get(ENV_VAR):
        raise OptionError(f"--pseudonymise needs a key: give --key-file FILE or set "
                          f"{ENV_VAR}; make one with: {MAKE_KEY}")
    key = load_key(key_file)
    warning = key_warning(key_file)
    if warning:
        note(f"warning: {warning}")
    return pseudonymiser(key)


def _write_per_child(result, path, inputs, rename):
    from iro_stats.render import output as out
    from iro_stats.render.text import to_csv

    table = result.per_child(rename)
    out.write_text(path, to_csv(table), inputs.files, private=True)
    if rename:
        note(f"wrote per-child detail for {len(table.rows)} children to {path}: child IDs "
             "are pseudonymised, but it is still personal data, and anyone with the key can "
             "link it back; keep the key apart")
    else:
        note(f"wrote per-child detail for {len(table.rows)} children to {path}: it holds "
             "child IDs (personal data), unlike the tables: store and share it as personal "
             "data, never with the committee")
