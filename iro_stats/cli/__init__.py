"""The iro-stats command line: the group, its error handling, `main()` and the commands.

Each command lives in its own module and never imports this one: it is registered here
with `cli.add_command`. Options are parsed once, in `options.py`; what commands do around
their report (read the inputs, write tables, account for the rows) is in `common.py`.
Only click is imported at the top: pandas and openpyxl load inside the commands, so
`iro-stats --help` stays instant.
"""

from __future__ import annotations

import os
import signal
import sys

import click

from iro_stats import __version__
from iro_stats.errors import IroStatsError, MappingError


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
            click.echo(f"Error: {with_option(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OSError as exc:  # the system refused a read or write no file name went with
            if ctx.obj and ctx.obj.get("debug"):  # (stdout on a full disk): say why
                raise
            click.echo(f"Error: {_refused(exc)}", err=True)
            ctx.exit(1)
        except Exception as exc:  # a bug: still one line, with --debug for the traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: unexpected {type(exc).__name__}: {exc}; run again with "
                       "--debug for the details and report it", err=True)
            ctx.exit(1)


# How to give each setting a library error may ask for (IroStatsError.option) on the
# command line: the library words the fix, this adds the option.
OPTIONS = {
    "profile": "--profile",
    "source": "--source legacy or --source mosaic",
    "mappings": "--mappings",
    "force": "--force",
    "sheet": "--sheet",
}


def with_option(exc: IroStatsError) -> str:
    """Return a library error's line, with the option that gives the setting it asks for."""
    return f"{exc} ({OPTIONS[exc.option]})" if exc.option else str(exc)


def _refused(exc: OSError) -> str:
    """Return the line for a read or write the system refused."""
    from iro_stats.render.output import FULL, cannot_write

    if exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}; check the file and its folder, then " \
               "run again"
    if exc.errno in FULL:  # stdout redirected to a file on a full disk
        return str(cannot_write("the output", exc))
    return f"{exc.strerror or exc}; run again, or with --debug for the details"


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
    from iro_stats.allocator import keep_freed_memory

    # Here, not where the files are loaded: it changes the allocator of the whole process,
    # which a program or test calling `cli` in-process keeps as its own.
    keep_freed_memory()  # before pandas loads: half the time of a million-row run
    # numpy's OpenBLAS starts a thread per core as numpy loads, which then spin waiting
    # for linear algebra iro-stats never does: 3% of a million-row report's processor
    # time on two cores (docs/performance.md).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
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
    # tenth of a second or more (docs/performance.md). Output still buffered is flushed
    # first: a report redirected to a file on a full disk fails here, not silently.
    status = _flush(status)
    if sys.gettrace() or sys.getprofile():  # a profiler or coverage writes its report
        sys.exit(status)                         # as the interpreter ends: let it
    os._exit(status or 0)


def _flush(status):
    """Flush stdout and stderr; return the exit status, 1 when the output was lost."""
    import errno

    if isinstance(status, str):
        click.echo(status, err=True)
        status = 1
    try:
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno != errno.EPIPE:  # not just the reader gone (`| head` on Windows)
            click.echo(f"Error: {_refused(exc)}", err=True)
            status = status or 1
        sys.stdout = open(os.devnull, "w")  # nothing tries to write it again at exit
    try:
        sys.stderr.flush()
    except OSError:
        pass
    return status


def register(group: click.Group) -> None:
    """Add every command to the group (a new command's module is imported and added here)."""
    from iro_stats.cli.export import export
    from iro_stats.cli.mappings import mappings
    from iro_stats.cli.monthly import monthly
    from iro_stats.cli.reconcile import reconcile
    from iro_stats.cli.report import report
    from iro_stats.cli.reviews import reviews
    from iro_stats.cli.stages import stages

    for command in (report, stages, reconcile, monthly, reviews, export, mappings):
        group.add_command(command)


register(cli)
