"""The iro-stats command line: parse options, call the library, render, explain errors.

Only click is imported at the top: pandas and openpyxl load inside the commands, so
`iro-stats --help` stays instant.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from pathlib import Path

import click

from iro_stats import __version__
from iro_stats.errors import IroStatsError, MappingError

FORMATS = ("table", "markdown", "csv", "json", "xlsx")


class Group(click.Group):
    """A click group that turns the library's errors into one line and an exit status."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MappingError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in exc.problems:
                click.echo(f"Error: {problem}", err=True)
            click.echo("Error: the crosswalk has problems; fix them (see 'iro-stats "
                       "mappings check') and run again", err=True)
            ctx.exit(exc.exit_code)
        except IroStatsError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug: still one line, with --debug for the traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: unexpected {type(exc).__name__}: {exc}; run again with "
                       "--debug for the details and report it", err=True)
            ctx.exit(1)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="iro-stats")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool):
    """IRO escalation tables for the Corporate Parenting Committee.

    Reads Mosaic and pre-Mosaic (legacy) escalation extracts (.csv, .xlsx, .xlsm, .xls,
    .ods) and prints the committee's tables, accounting for every row read.

    Example: iro-stats report sample_data/ --financial-year 2017-18
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main():
    """Entry point of the console script, `python -m iro_stats` and `python cli.py`."""
    if hasattr(signal, "SIGPIPE"):  # `iro-stats ... | head` ends quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        cli(prog_name="iro-stats")
    except SystemExit as done:  # click always ends this way
        status = done.code
    else:
        status = 0
    # Every file the command wrote is closed and renamed into place by now. Ending the
    # process without the interpreter's teardown, which frees a million-row run's
    # objects one by one only for the system to take the memory back anyway, saves a
    # tenth of a second or more (docs/performance.md). Output still buffered is flushed.
    if sys.gettrace() or sys.getprofile():  # a profiler or coverage writes its report
        sys.exit(status)                         # as the interpreter ends: let it
    if isinstance(status, str):
        click.echo(status, err=True)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader has gone (`| head` where there is no SIGPIPE)
        pass
    os._exit(status or 0)


# --- options shared by commands ----------------------------------------------------

def input_options(fn):
    """FILE... plus --profile, --source and --mappings: how the extracts are read."""
    @click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
    @click.option("--profile", type=click.Path(path_type=Path),
                  help="TOML file naming this council's columns ([columns] child_id = ...).")
    @click.option("--source", type=click.Choice(["auto", "legacy", "mosaic"]), default="auto",
                  show_default=True,
                  help="Whether the files are the legacy log or Mosaic extracts.")
    @click.option("--mappings", "mappings_dir", type=click.Path(path_type=Path),
                  help="Folder with your own categories.csv and crosswalk.csv.")
    @click.option("--rejects", type=click.Path(path_type=Path),
                  help="Write every rejected and duplicate row, with why, to this CSV.")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def period_options(fn):
    """--month, --financial-year, --from and --to: which escalations count."""
    @click.option("--month", "month_text", metavar="YYYY-MM", help="A calendar month.")
    @click.option("--financial-year", "fy_text", metavar="YYYY[-YY]",
                  help="1 April to 31 March: 2017 or 2017-18.")
    @click.option("--from", "from_text", metavar="DATE", help="First day (dd/mm/yyyy).")
    @click.option("--to", "to_text", metavar="DATE", help="Last day, inclusive.")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


def _store_suppress(ctx: click.Context, param, value):
    ctx.meta["suppress"] = value


def suppress_option(fn):
    """--suppress N: show counts 1..N as c (kept in ctx.meta, applied by emit)."""
    return click.option("--suppress", type=click.IntRange(min=0), metavar="N",
                        expose_value=False, callback=_store_suppress,
                        help="Show counts from 1 to N (and their percents) as c, with "
                             "secondary suppression, for a public report (DfE: 5).")(fn)


def output_options(formats=FORMATS):
    """--format, --output and --suppress: how and where the tables are written."""
    def decorate(fn):
        @click.option("--format", "fmt", type=click.Choice(formats), default="table",
                      show_default=True, help="Output format; xlsx needs --output.")
        @click.option("--output", "-o", type=click.Path(path_type=Path),
                      help="Write to this file instead of the screen.")
        @suppress_option
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return fn(*args, **kwargs)
        return wrapper
    return decorate


def load_inputs(files, profile, source, mappings_dir):
    """Return the Dataset for the input options, telling stderr how each file was read."""
    from iro_stats.allocator import keep_freed_memory

    keep_freed_memory()  # before pandas loads: half the time of a million-row run
    from iro_stats import crosswalk as walk
    from iro_stats.clean import load_dataset
    from iro_stats.schema import load_profile

    crosswalk = walk.load(mappings_dir)
    dataset = load_dataset(list(files), load_profile(profile),
                           None if source == "auto" else source, crosswalk)
    for info in dataset.files:
        click.echo(f"read {info.describe()}", err=True)
    for skipped in dataset.skipped:
        click.echo(f"skipped {skipped.describe()}", err=True)
    return dataset


def get_period(month_text, fy_text, from_text, to_text):
    from iro_stats import periods

    return periods.from_options(month_text, fy_text, from_text, to_text)


def finish(selection, rejects, inputs):
    """Print the accounting lines to stderr and write --rejects when asked."""
    for line in selection.accounting():
        click.echo(line, err=True)
    if rejects:
        from iro_stats.export import write_rejects

        path = write_rejects(selection.dataset, rejects, inputs)
        click.echo(f"wrote rejected and duplicate rows to {path}", err=True)


def emit(tables, fmt, output, inputs, json_value=None, heading=""):
    """Write tables in the chosen format to --output or stdout (after --suppress)."""
    from iro_stats.render import output as out
    from iro_stats.render import text

    threshold = click.get_current_context().meta.get("suppress")
    if threshold:
        from iro_stats.suppress import suppress_json, suppress_tables

        results = suppress_tables(tables, threshold)
        tables = [r.table for r in results]
        json_value = suppress_json(json_value, results, threshold)
        hidden = sum(len(r.primary) + len(r.secondary) for r in results)
        click.echo(f"suppressed {hidden} counts (1 to {threshold}, and those that would "
                   "give them away) as c", err=True)
    if fmt == "xlsx":
        if not output:
            raise click.UsageError("--format xlsx needs --output FILE.xlsx")
        from iro_stats.render.xlsx import write_workbook

        write_workbook(output, tables, [heading] * len(tables), inputs)
        click.echo(f"wrote {output}", err=True)
        return
    if fmt == "json":
        body = text.to_json(json_value)
    elif fmt == "csv":
        body = "\n".join(text.to_csv(t) for t in tables)
    else:
        body = "\n".join(text.to_text(t, fmt, heading) for t in tables)
    if output:
        out.write_text(output, body, inputs)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(body, nl=False)


# --- commands ---------------------------------------------------------------------

@cli.command()
@input_options
@period_options
@click.option("--by", type=click.Choice(["reason", "category"]),
              help="Group by the source's own labels or by harmonised category "
                   "(default: category when the files hold both sources).")
@output_options()
def report(files, profile, source, mappings_dir, rejects, month_text, fy_text, from_text,
           to_text, by, fmt, output):
    """Reasons for IRO escalations: count and percent, with a Grand Total.

    Example: iro-stats report sample_data/legacy_escalations.csv --financial-year 2017
    """
    from iro_stats.reports.reasons import reasons

    period = get_period(month_text, fy_text, from_text, to_text)
    dataset = load_inputs(files, profile, source, mappings_dir)
    if by is None:
        by = "category" if len(dataset.sources) > 1 else "reason"
    selection = dataset.select(period)
    result = reasons(selection, by)
    emit([result.table()], fmt, output, files, result.as_json(), result.heading())
    finish(selection, rejects, files)

from iro_stats import cli_stages  # noqa: E402,F401  (registers stages)
from iro_stats import cli_mappings  # noqa: E402,F401  (registers mappings, export, reconcile)
from iro_stats import cli_monthly  # noqa: E402,F401  (registers monthly)
