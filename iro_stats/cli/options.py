"""Options shared by commands, written once, handing each command parsed values.

Each decorator adds its options and passes the command one value in their place: a
`Period`, an `Inputs`, an `Output`, dates as `datetime.date`, counts as `int`. A bad
value stops with one line naming the option and saying what to give; the library never
sees option text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import click

from iro_stats import periods

FORMATS = ("table", "markdown", "csv", "json", "xlsx")
# The years an option may name. A period or date outside them is a typing slip (2108 for
# 2018, 9999 for "no end"), and some would overflow the calendar's arithmetic (a
# financial year of 9999 ends in the year 10000).
YEARS = range(1900, 3000)


class OptionError(click.UsageError):
    """A bad option value: one `Error:` line and exit status 2, without the usage text
    (the message names the option and says what to give)."""

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file, err=True)


# --- option values -------------------------------------------------------------------

class DateType(click.ParamType):
    """A day given as dd/mm/yyyy or yyyy-mm-dd (the one date parser), as a datetime.date."""

    name = "date"

    def convert(self, value, param, ctx) -> dt.date:
        from iro_stats.dates import DateProblem, parse_user_date

        try:
            day = parse_user_date(value)
        except DateProblem:
            raise OptionError(f"{_name(param)} {value!r} is not a date; give it as dd/mm/yyyy "
                              "or yyyy-mm-dd")
        _in_years(day.year, param, value)
        return day


def _in_years(year: int, param, value) -> None:
    """Stop with one line unless an option's year is one of YEARS."""
    if year not in YEARS:
        raise OptionError(f"{_name(param)} {value!r} is out of range; give a year from "
                          f"{YEARS[0]} to {YEARS[-1]}")


class MonthType(click.ParamType):
    """A calendar month given as YYYY-MM, as a Period."""

    name = "month"

    def convert(self, value, param, ctx) -> periods.Period:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
        if not m or not 1 <= int(m[2]) <= 12:
            raise OptionError(f"{_name(param)} {value!r} is not a month; give it as YYYY-MM, "
                              "e.g. 2018-12")
        _in_years(int(m[1]), param, value)
        return periods.month(int(m[1]), int(m[2]))


class FinancialYearType(click.ParamType):
    """A financial year given as 2017, 2017-18 or 2017/2018, as a Period (April to March)."""

    name = "financial year"

    def convert(self, value, param, ctx) -> periods.Period:
        m = re.fullmatch(r"(\d{4})(?:[-/](\d{2}|\d{4}))?", value.strip())
        if not m or (m[2] and int(m[2]) % 100 != (int(m[1]) + 1) % 100):
            raise OptionError(f"{_name(param)} {value!r} is not a financial year; give it as "
                              "2017 or 2017-18")
        _in_years(int(m[1]), param, value)
        return periods.financial_year(int(m[1]))


class DelimiterType(click.ParamType):
    """The character between a CSV file's columns: one character, or its name."""

    name = "delimiter"
    NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|", "\\t": "\t"}

    def convert(self, value, param, ctx) -> str:
        found = self.NAMES.get(value.lower(), value)
        if len(found) != 1:
            raise OptionError(f"{_name(param)} {value!r} is not one character; give ',', ';', "
                              "tab or '|' (or comma, semicolon, tab, pipe)")
        return found


class CountType(click.ParamType):
    """A whole number, 0 or more, of `unit` (days, working days...) when it has one."""

    name = "count"

    def __init__(self, unit: str = ""):
        self.unit = unit

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                of = f" of {self.unit}" if self.unit else ""
                raise OptionError(f"{_name(param)} {value!r} is not a whole number{of}; "
                                  "give 0 or more")
        if number < 0:
            what = f"a number of {self.unit}, 0 or more" if self.unit else "0 or more"
            raise OptionError(f"{_name(param)} {number} is below zero; give {what}")
        return number


DATE = DateType()


def _name(param) -> str:
    return param.opts[0] if param is not None and param.opts else "the value"


# --- grouped values ------------------------------------------------------------------

@dataclass(frozen=True)
class Inputs:
    """The extracts and how to read them: FILE... and --profile/--source/--mappings/--rejects."""

    files: tuple[Path, ...]
    profile: Path | None = None
    source: str | None = None  # "legacy" or "mosaic"; None: told from each file
    mappings: Path | None = None
    rejects: Path | None = None
    queries: tuple = ()  # database.Query: each read as one more extract, after the files
    delimiter: str | None = None  # --delimiter; None: told from each CSV file's header
    sheets: tuple[str, ...] = ()  # --sheet: the only sheets read; (): every visible one

    @property
    def extracts(self) -> list:
        """The files, then the queries: what load.read_extracts reads."""
        return [*self.files, *self.queries]

    def read_profile(self):
        """Return the schema.Profile the files are read with: --profile's spellings and
        source, --delimiter and --sheet."""
        from iro_stats.schema import load_profile

        return load_profile(self.profile, self.delimiter, self.sheets)


@dataclass(frozen=True)
class PerChild:
    """--per-child, --pseudonymise and --key-file: the per-child file, if any, and how."""

    path: Path | None = None
    pseudonymise: bool = False
    key_file: Path | None = None


@dataclass(frozen=True)
class Output:
    """How and where the tables are written: --format and --output (None: the screen)."""

    format: str = "table"
    path: Path | None = None


# --- decorators ----------------------------------------------------------------------

MAPPINGS_HELP = "Folder with your own categories.csv and crosswalk.csv (default: the shipped ones)."


def mappings_option(fn):
    """--mappings DIR, handed to the command as `mappings` (a Path or None)."""
    return click.option("--mappings", type=click.Path(path_type=Path), metavar="DIR",
                        help=MAPPINGS_HELP)(fn)


DB_ENV = "IRO_STATS_DB"


def query_options(fn):
    """--db URL (or the IRO_STATS_DB environment variable) and --query FILE.sql, as often
    as needed: hands `queries` (a tuple of database.Query, empty when none is given)."""
    @click.option("--db", metavar="URL", envvar=DB_ENV, show_envvar=True,
                  help="Database the --query files run on, e.g. "
                       "postgresql://USER:PASSWORD@HOST/DATABASE. Set IRO_STATS_DB instead "
                       "to keep the password out of your shell history; it is never shown.")
    @click.option("--query", "query_files", multiple=True, metavar="FILE.sql",
                  type=click.Path(path_type=Path),
                  help="Run this file's SELECT on --db (read-only) and read its result as "
                       "an extract; repeat for more queries.")
    @functools.wraps(fn)
    def wrapper(*args, db, query_files, **kwargs):
        if query_files and not db:
            raise OptionError(f"--query needs a database: give --db URL or set {DB_ENV}")
        from iro_stats.database import Query

        queries = tuple(Query(path, db) for path in query_files)
        return fn(*args, queries=queries, **kwargs)
    return wrapper


def layout_options(fn):
    """--delimiter and --sheet, how the files are laid out: hands `delimiter` (a
    character or None) and `sheets` (a tuple of names, empty for every visible sheet)."""
    @click.option("--delimiter", type=DelimiterType(), metavar="CHAR",
                  help="The character between a CSV file's columns (default: told from "
                       "its header row among , ; tab and |).")
    @click.option("--sheet", "sheets", multiple=True, metavar="NAME",
                  help="Read only this sheet of a workbook (repeat for more); default: "
                       "every visible sheet whose header is recognised.")
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        kwargs["sheets"] = tuple(kwargs["sheets"])
        return fn(*args, **kwargs)
    return wrapper


def need_inputs(files, queries) -> None:
    """Stop unless there is something to read: FILE... (optional, as queries may stand
    in for files) or --query."""
    if not files and not queries:
        raise OptionError("give the extract files or folders to read (or --query FILE.sql "
                          "with --db URL)")


def input_options(fn):
    """FILE... plus --profile, --source, --mappings, --rejects, --db, --query, --delimiter
    and --sheet: hands `inputs` (Inputs)."""
    @click.argument("files", nargs=-1, type=click.Path(path_type=Path))
    @click.option("--profile", type=click.Path(path_type=Path),
                  help="TOML file naming this council's columns ([columns] child_id = ...).")
    @click.option("--source", type=click.Choice(["auto", "legacy", "mosaic"]), default="auto",
                  show_default=True,
                  help="Whether the files are the legacy log or Mosaic extracts.")
    @mappings_option
    @click.option("--rejects", type=click.Path(path_type=Path),
                  help="Write every rejected and duplicate row, with why, to this CSV.")
    @query_options
    @layout_options
    @functools.wraps(fn)
    def wrapper(*args, files, profile, source, mappings, rejects, queries, delimiter, sheets,
                **kwargs):
        need_inputs(files, queries)
        inputs = Inputs(tuple(files), profile, None if source == "auto" else source,
                        mappings, rejects, queries, delimiter, sheets)
        return fn(*args, inputs=inputs, **kwargs)
    return wrapper


def period_options(fn):
    """--month, --financial-year, --from and --to: hands `period` (a Period; open ends
    where nothing is given)."""
    @click.option("--month", type=MonthType(), metavar="YYYY-MM", help="A calendar month.")
    @click.option("--financial-year", type=FinancialYearType(), metavar="YYYY[-YY]",
                  help="1 April to 31 March: 2017 or 2017-18.")
    @click.option("--from", "start", type=DATE, metavar="DATE", help="First day (dd/mm/yyyy).")
    @click.option("--to", "end", type=DATE, metavar="DATE", help="Last day, inclusive.")
    @functools.wraps(fn)
    def wrapper(*args, month, financial_year, start, end, **kwargs):
        given = [name for name, value in (("--month", month),
                                           ("--financial-year", financial_year)) if value]
        if start or end:
            given.append("--from/--to")
        if len(given) > 1:
            raise OptionError(f"give only one of {', '.join(given)}")
        if start and end and end < start:
            raise OptionError(f"--to {end:%d/%m/%Y} is before --from {start:%d/%m/%Y}")
        period = month or financial_year or periods.Period(start, end)
        return fn(*args, period=period, **kwargs)
    return wrapper


def suppress_option(fn):
    """--suppress N: hands `suppress` (an int, or None when not given)."""
    return click.option("--suppress", type=CountType(), metavar="N",
                        help="Show counts from 1 to N as c, with secondary suppression and "
                             "the percents, rates and medians worked out from them, in every "
                             "table, total and note, for a public report (DfE: 5).")(fn)


def show_unlisted_option(fn):
    """--show-unlisted: hands `show_unlisted` (bool)."""
    return click.option("--show-unlisted", is_flag=True,
                        help="Show reason labels that are not in the crosswalk as written, "
                             "for your own checking; never for a committee paper (they can "
                             "hold a child's name or ID).")(fn)


def output_options(formats=FORMATS):
    """--format, --output and --suppress: hands `output` (Output) and `suppress`."""
    def decorate(fn):
        @click.option("--format", "fmt", type=click.Choice(formats), default="table",
                      show_default=True, help="Output format; xlsx needs --output.")
        @click.option("--output", "-o", type=click.Path(path_type=Path),
                      help="Write to this file instead of the screen.")
        @suppress_option
        @functools.wraps(fn)
        def wrapper(*args, fmt, output, **kwargs):
            if fmt == "xlsx" and not output:  # said before any file is read
                raise OptionError("--format xlsx needs --output FILE.xlsx")
            return fn(*args, output=Output(fmt, output), **kwargs)
        return wrapper
    return decorate


def per_child_options(rows: str):
    """--per-child FILE.csv, --pseudonymise and --key-file: hands `per_child` (PerChild);
    `rows` says what one row of the file is ("one row per child")."""
    def decorate(fn):
        @click.option("--per-child", type=click.Path(path_type=Path), metavar="FILE.csv",
                      help=f"Also write {rows} to this CSV. It holds child IDs: personal "
                           "data, never for the committee.")
        @click.option("--pseudonymise", is_flag=True,
                      help="In --per-child, replace child IDs with a keyed hash that stays "
                           "the same from month to month for the same key.")
        @click.option("--key-file", type=click.Path(path_type=Path),
                      help="File holding the --pseudonymise key (else the IRO_STATS_KEY "
                           "environment variable). Keep it apart from the outputs.")
        @functools.wraps(fn)
        def wrapper(*args, per_child, pseudonymise, key_file, **kwargs):
            return fn(*args, per_child=PerChild(per_child, pseudonymise, key_file), **kwargs)
        return wrapper
    return decorate


def window_option(fn):
    """--window DAYS: hands `window` (an int, 0 or more)."""
    return click.option("--window", type=CountType("days"), default=0, show_default=True,
                        metavar="DAYS",
                        help="Days apart a legacy and a Mosaic escalation may be raised and "
                             "still count as a possible duplicate.")(fn)


def overdue_option(fn):
    """--overdue N: hands `overdue` (an int, 0 or more)."""
    return click.option("--overdue", type=CountType("working days"), default=20,
                        show_default=True, metavar="N",
                        help="An open escalation is overdue when more than N working days "
                             "old (weekends and England and Wales bank holidays "
                             "excluded).")(fn)
