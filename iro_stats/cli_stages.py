"""The `stages` command: how far escalations go, how quickly they end, and per-child detail."""

from __future__ import annotations

from pathlib import Path

import click

from iro_stats.cli import (cli, emit, finish, get_period, input_options, load_inputs,
                           output_options, period_options)
from iro_stats.errors import UsageError


@cli.command()
@input_options
@period_options
@click.option("--overdue", "overdue_days", type=click.IntRange(min=0), default=20,
              show_default=True, metavar="N",
              help="An open escalation is overdue when more than N working days old "
                   "(weekends and England and Wales bank holidays excluded).")
@click.option("--as-at", "as_at_text", metavar="DATE",
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
def stages(files, profile, source, mappings_dir, rejects, month_text, fy_text, from_text,
           to_text, overdue_days, as_at_text, per_child, pseudonymise, key_file, fmt,
           output):
    """Escalations by highest stage reached, resolution, overdue ones, repeat escalations.

    Stage 0 is the informal stage. Where the data records no stages (the legacy log) it
    gives escalations per child and, as an inference, escalations beyond each child's
    first.

    Example: iro-stats stages sample_data/mosaic_escalations.xlsx --overdue 20
    """
    from iro_stats.periods import user_date
    from iro_stats.reports.stages import stages as stages_report

    period = get_period(month_text, fy_text, from_text, to_text)
    as_at = user_date(as_at_text, "--as-at") if as_at_text else None
    rename = _check_per_child(per_child, pseudonymise, key_file, output, rejects, files)
    dataset = load_inputs(files, profile, source, mappings_dir)
    selection = dataset.select(period)
    result = stages_report(selection, overdue_days, as_at)
    tables = result.tables()
    emit(tables, fmt, output, files, result.as_json(_as_shown(tables)), result.heading())
    if per_child:
        _write_per_child(result, per_child, files, rename)
    finish(selection, rejects, files)


def _as_shown(tables):
    """Return the tables as emit will show them, so the JSON hides what --suppress hides.

    emit() replaces numbers in JSON by matching row labels; this command's JSON is keyed
    by stage number, so it is read from the suppressed tables instead.
    """
    threshold = click.get_current_context().meta.get("suppress")
    if not threshold:
        return tables
    from iro_stats.suppress import suppress_tables

    return [r.table for r in suppress_tables(tables, threshold)]


def _check_per_child(per_child, pseudonymise, key_file, output, rejects, inputs):
    """Check the per-child options before any file is read; return the renamer or None."""
    if pseudonymise and not per_child:
        raise UsageError("--pseudonymise applies to --per-child FILE.csv; give both")
    if key_file and not pseudonymise:
        raise UsageError("--key-file is only used with --pseudonymise")
    if per_child:
        if per_child.suffix.lower() != ".csv":
            raise UsageError(f"--per-child {per_child}: give a file name ending .csv")
        for other, option in ((output, "--output"), (rejects, "--rejects")):
            if other and Path(other).resolve() == per_child.resolve():
                raise UsageError(f"--per-child {per_child} is also the {option} file; "
                                 "give them different names")
        from iro_stats.render.output import check_target

        check_target(per_child, inputs)  # before the tables are printed, not after
    if not pseudonymise:
        return None
    from iro_stats.pseudonym import load_key, pseudonymiser

    return pseudonymiser(load_key(key_file))


def _write_per_child(result, path, inputs, rename):
    from iro_stats.render import output as out
    from iro_stats.render.text import to_csv

    table = result.per_child(rename)
    out.write_text(path, to_csv(table), inputs)
    if rename:
        click.echo(f"wrote per-child detail for {len(table.rows)} children to {path}: "
                   "child IDs are pseudonymised, but it is still personal data, and anyone "
                   "with the key can link it back; keep the key apart", err=True)
    else:
        click.echo(f"wrote per-child detail for {len(table.rows)} children to {path}: it "
                   "holds child IDs (personal data), unlike the tables: store and share "
                   "it as personal data, never with the committee", err=True)
