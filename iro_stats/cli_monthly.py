"""The `monthly` command: the Corporate Parenting Committee's pack in one go.

python-docx and matplotlib are imported only inside this command's function (through the
renderers), so `iro-stats --help` and the other commands never load them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from iro_stats.cli import cli, finish, input_options, load_inputs, suppress_option

STEM = "iro-escalations-{month}"


def run_time() -> dt.datetime:
    """Return now in UTC to the second, or SOURCE_DATE_EPOCH when set (for identical files)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise click.UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds "
                                   "since 1970; unset it or give one")
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _output_dir(output: Path, inputs) -> Path:
    if output.suffix.lower() in (".xlsx", ".docx", ".md") and not output.is_dir():
        raise click.UsageError(f"--output {output}: give a folder; the pack is three files "
                               "(.xlsx, .docx, .md) named after the month")
    if output.exists() and not output.is_dir():
        raise click.UsageError(f"--output {output}: is a file; give a folder for the pack")
    for given in inputs:
        if Path(given).is_dir() and output.resolve() == Path(given).resolve():
            raise click.UsageError(f"--output {output}: is the input folder, where the next "
                                   "run would read the pack's workbook; write it elsewhere")
    output.mkdir(parents=True, exist_ok=True)
    return output


@cli.command()
@input_options
@click.option("--month", "month_text", metavar="YYYY-MM", required=True,
              help="The month of the pack; the year to date runs from the 1 April before.")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              metavar="DIR", help="Folder for the three files (made if missing).")
@click.option("--cutover", "cutover_text", metavar="DATE",
              help="Mosaic go-live for the reconciliation (default: the date of the first "
                   "Mosaic escalation).")
@click.option("--window", type=click.IntRange(min=0), default=0, show_default=True,
              metavar="DAYS", help="Days apart a legacy and a Mosaic escalation may be "
                                   "raised and still count as a possible duplicate.")
@click.option("--overdue", "overdue_days", type=click.IntRange(min=0), default=20,
              show_default=True, metavar="N",
              help="An open escalation is overdue after N working days.")
@suppress_option
def monthly(files, profile, source, mappings_dir, rejects, month_text, output, cutover_text,
            window, overdue_days):
    """The monthly committee pack: Excel workbook, Word document and Markdown.

    Writes DIR/iro-escalations-YYYY-MM.xlsx, .docx and .md: reasons for the month and the
    financial year to date, the legacy/Mosaic reconciliation when the year spans the
    go-live, stages, a twelve-month trend with charts, and data quality and provenance
    (each input's SHA-256). Prints the three paths. Use --suppress 5 for a public report.

    Example: iro-stats monthly --month 2018-12 sample_data/ --output out/ --suppress 5
    """
    from iro_stats import periods
    from iro_stats.render.charts import chart_png
    from iro_stats.render.docx import write_docx
    from iro_stats.render.markdown import pack_markdown
    from iro_stats.render.output import write_text
    from iro_stats.render.xlsx import write_pack
    from iro_stats.reports.pack import build_pack, suppressed

    month = periods.month(month_text)
    cutover = periods.user_date(cutover_text, "--cutover") if cutover_text else None
    folder = _output_dir(output, files)
    dataset = load_inputs(files, profile, source, mappings_dir)
    threshold = click.get_current_context().meta.get("suppress")
    pack = suppressed(build_pack(dataset, month, cutover, window, overdue_days, run_time()),
                      threshold)

    stem = folder / STEM.format(month=pack.slug)
    charts = {i: chart_png(s.chart) for i, s in enumerate(pack.sections) if s.chart}
    paths = [write_pack(stem.with_suffix(".xlsx"), pack, files),
             write_docx(stem.with_suffix(".docx"), pack, charts, files),
             write_text(stem.with_suffix(".md"), pack_markdown(pack), files)]
    for line in pack.summary[:-1] if threshold else pack.summary:
        if "covers only" in line or "no dates" in line:
            click.echo(f"warning: {line}", err=True)
    finish(dataset.select(pack.year_to_date), rejects, files)
    for path in paths:
        click.echo(str(path))
