"""The `monthly` command: the Corporate Parenting Committee's pack in one go.

python-docx and matplotlib are imported only inside this command's function (through the
renderers), so `iro-stats --help` and the other commands never load them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from iro_stats.cli.common import check_paths, finish, load, note, tell_read, warn_unlisted
from iro_stats.cli.options import (DATE, MonthType, OptionError, input_options,
                                   overdue_option, suppress_option, window_option)

STEM = "iro-escalations-{month}"


def run_time() -> dt.datetime:
    """Return now in UTC to the second, or SOURCE_DATE_EPOCH when set (for identical files)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise OptionError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds "
                              "since 1970; unset it or give one")
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _check_output_dir(output: Path, inputs) -> None:
    if output.suffix.lower() in (".xlsx", ".docx", ".md") and not output.is_dir():
        raise OptionError(f"--output {output}: give a folder; the pack is four files "
                          "(.xlsx, .docx, .md and the drafted report's -report.docx) named "
                          "after the month")
    if output.exists() and not output.is_dir():
        raise OptionError(f"--output {output}: is a file; give a folder for the pack")
    for given in inputs.files:
        if Path(given).is_dir() and output.resolve() == Path(given).resolve():
            raise OptionError(f"--output {output}: is the input folder, where the next run "
                              "would read the pack's workbook; write it elsewhere")


@click.command()
@input_options
@click.option("--month", type=MonthType(), metavar="YYYY-MM", required=True,
              help="The month of the pack; the year to date runs from the 1 April before.")
@click.option("--output", "-o", type=click.Path(path_type=Path), metavar="DIR",
              help="Folder for the four files (made if missing); needed unless --draft.")
@click.option("--cutover", type=DATE, metavar="DATE",
              help="Mosaic go-live for the reconciliation (default: the date of the first "
                   "Mosaic escalation).")
@window_option
@overdue_option
@suppress_option
@click.option("--draft", is_flag=True,
              help="Print the drafted committee report's text (with --output, write the "
                   "files too and name them on stderr).")
def monthly(inputs, month, output, cutover, window, overdue, suppress, draft):
    """The monthly committee pack, and the committee report drafted from it.

    Writes DIR/iro-escalations-YYYY-MM.xlsx, .docx and .md: reasons for the month and the
    financial year to date, the legacy/Mosaic reconciliation when the year spans the
    go-live, stages, a twelve-month trend with charts, looked-after reviews on time when
    review extracts (903, Mosaic LAC review steps) are among the files, and data quality
    and provenance (each input's SHA-256); and DIR/iro-escalations-YYYY-MM-report.docx,
    the committee paper with its sentences written from the pack's tables and
    placeholders for the author. Prints the four paths. Use --suppress 5 for a public
    report.

    Example: iro-stats monthly --month 2018-12 sample_data/ --output out/ --suppress 5
    """
    from iro_stats.cli.progress import progress
    from iro_stats.render import output as out
    from iro_stats.render.charts import chart_png
    from iro_stats.render.docx import write_docx
    from iro_stats.render.markdown import pack_markdown
    from iro_stats.render.xlsx import write_pack
    from iro_stats.reports.pack import build_pack, protect_pack

    from iro_stats.render.draft import write_draft
    from iro_stats.reports.draft import build_draft

    name = STEM.format(month=f"{month.start:%Y-%m}")
    if output is None and not draft:
        raise OptionError("--output DIR is needed: the folder for the pack (or --draft to "
                          "print the drafted committee report)")
    if output is not None:
        _check_output_dir(output, inputs)
        stem = output / name
        check_paths([("--output", target) for target in _targets(stem)], inputs)
        out.make_folder(output)
        # One run at a time writes this pack: the lock is held until the command ends.
        click.get_current_context().with_resource(out.lock(stem))
    from iro_stats.reviews.rows import READ

    inputs, reviews = _reviews_among(inputs)
    dataset = load(inputs, READ)
    if reviews is not None or any(s.kind in READ for s in dataset.skipped):
        reviews = _read_reviews(inputs, reviews or [], dataset.skipped)
    with progress("making the pack"):
        pack = protect_pack(build_pack(dataset, month, cutover, window, overdue, run_time(),
                                       reviews), suppress)
        report = build_draft(pack, name)
        paths = []
        if output is not None:
            charts = {i: chart_png(s.chart) for i, s in enumerate(pack.sections) if s.chart}
            files = inputs.files
            paths = _targets(stem)
            xlsx, docx, md, paper = paths
            with out.write_together(paths, files):  # every file in place, or none
                write_pack(xlsx, pack, files)
                write_docx(docx, pack, charts, files)
                out.write_text(md, pack_markdown(pack), files)
                write_draft(paper, report, pack.run_at, files)
    for line in pack.summary:
        if "covers only" in line or "no dates" in line:
            note(f"warning: {line}")
    year = dataset.select(pack.year_to_date)
    warn_unlisted(year)
    finish(year, inputs)
    if reviews is not None:
        for line in reviews.ledger.accounting():
            note(f"reviews: {line}")
    if draft:
        from iro_stats.render.draft import draft_text

        click.echo(draft_text(report), nl=False)
    for path in paths:
        if draft:
            note(f"wrote {path}")
        else:
            click.echo(str(path))


def _targets(stem: Path) -> list[Path]:
    """Return the pack's files (.xlsx, .docx, .md) and the drafted report's."""
    return [stem.with_suffix(".xlsx"), stem.with_suffix(".docx"), stem.with_suffix(".md"),
            stem.with_name(stem.name + "-report.docx")]


def _reviews_among(inputs):
    """Return (the inputs without the review extracts named among them, those extracts
    read, or None when none is named)."""
    from dataclasses import replace

    from iro_stats.reviews.extracts import named_extracts

    rest, found = named_extracts(list(inputs.files), inputs.read_profile())
    return replace(inputs, files=tuple(rest)), (found or None)


def _read_reviews(inputs, named: list, skipped: list):
    """Return the reviews' Inputs of the review extracts named and of those the
    escalations reader skipped in folders, telling stderr how each was read."""
    from iro_stats.reviews import extracts
    from iro_stats.reviews.rows import NOT_NEEDED, READ

    found = list(named)
    in_folders = [s.path for s in skipped if s.kind in READ]
    if in_folders:
        found += extracts.read(in_folders, inputs.read_profile()).extracts
    for extract in found:
        if extract.info.kind in NOT_NEEDED:
            note(f"{extract.info.path}: not needed for reviews; its {len(extract)} rows are "
                 "left out of the counts")
        else:
            tell_read(extract.info)
    return extracts.build_inputs(found)
