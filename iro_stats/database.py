"""SQL queries on a database -> Extracts, read exactly as an extract file is read.

A `Query` (a .sql file and the database URL to run it on) stands among the files given to
`load.read_extracts`, which reads it through `Query.read_extract`: its result's column
names are the header (header spellings and --profile), each result row is a data row
whose "row" is its position in the result (1 for the first), and its cells are the
database's own values: dates and timestamps as dates, numbers as numbers, text as text.

Read-only by construction: the query runs inside a transaction that is always rolled
back, read-only on PostgreSQL (any write, even inside a function, fails), and through a
server-side cursor (PostgreSQL's DECLARE takes one SELECT and nothing that writes). Rows
come CHUNK at a time, and only the columns the header names are kept: text and whole
numbers as pyarrow text (as a CSV's columns are read), other values as Python objects.

The URL's password is never shown: messages and the `read` line give `redact(url)`.
SQLAlchemy and the drivers are imported only inside the functions that connect.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats.csvfile import decode
from iro_stats.errors import DataError, UsageError
from iro_stats.extract import Extract, FileInfo, Skipped, _a, _find_header, match_header
from iro_stats.schema import ESCALATIONS, Profile, kinds

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

CHUNK = 20_000  # rows fetched from the server-side cursor at a time
CONNECT_TIMEOUT = 15  # seconds, unless the URL says otherwise
# A URL's scheme without a driver -> the driver installed for it.
DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg",
           "mssql": "mssql+pyodbc"}
HIDDEN = "***"
_SECRET_KEYS = re.compile(r"^(password|pwd)$", re.I)
_SECRET_IN_TEXT = re.compile(r"\b(PWD|Password)\s*=\s*(\{[^}]*\}|[^;&]*)", re.I)
# A statement that would change the database, as its first word says.
_WRITES = re.compile(r"\s*(insert|update|delete|merge|create|drop|alter|truncate|grant|"
                     r"revoke|comment|copy|call|do|exec|execute|vacuum|reindex|cluster|"
                     r"refresh|lock|set|reset)\b", re.I)
_LEADING_COMMENTS = re.compile(r"^(\s*(--[^\n]*(\n|$)|/\*.*?\*/))*", re.S)


@dataclass(frozen=True)
class Query:
    """A .sql file holding one SELECT, and the database to run it on."""

    path: Path
    url: str = field(repr=False)  # as given, password and all: show `database` instead

    @property
    def database(self) -> str:
        return redact(self.url)

    def read_extract(self, profile: Profile,
                     wanted: tuple[str, ...] = (ESCALATIONS,)) -> "Extract | Skipped":
        """Return the query's result as an Extract of a wanted kind, or, when its columns
        name another kind, what it is (Skipped)."""
        return read_query(self, profile, wanted)


@dataclass
class QueryInfo(FileInfo):
    """How a query's result was read: FileInfo with `path` the query file and the
    database it ran on (password hidden)."""

    database: str = ""
    server: str = ""  # the database and its host, as the pack's provenance names them

    def describe(self) -> str:
        """Return one line saying what the query gave."""
        what = f"; source {self.source} ({self.source_reason})" if self.source else \
            ("" if self.kind == ESCALATIONS else f"; {kinds()[self.kind].about}")
        return f"{self.path} on {self.database}: {self.rows_read} rows{what}"


@dataclass(frozen=True)
class QuerySkipped(Skipped):
    """A query whose columns name another kind of extract than those asked for."""

    def describe(self) -> str:
        kind = kinds()[self.kind]
        return (f"{self.path}: its columns make {_a(kind.about)}, read by "
                f"'iro-stats {kind.read_by}'")


def redact(url: str) -> str:
    """Return the URL with its password (and any password in its query string or ODBC
    connection string) shown as ***."""
    from urllib.parse import unquote

    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
    except Exception:  # not a URL at all: nothing of it is safe to show
        return "(a database URL that cannot be read)"
    query = {key: HIDDEN if _SECRET_KEYS.match(key) else
             _SECRET_IN_TEXT.sub(lambda m: f"{m[1]}={HIDDEN}", unquote(str(value)))
             for key, value in parsed.query.items()}
    # Shown unquoted (host=/tmp/sockets, not host=%2Ftmp...): the password is gone already.
    return unquote(parsed.set(query=query).render_as_string(hide_password=True))


def _secrets(url: str) -> list[str]:
    """Return the password texts a URL holds, to keep out of any message."""
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
    except Exception:
        return [url]
    found = [parsed.password] if parsed.password else []
    for key, value in parsed.query.items():
        values = value if isinstance(value, tuple) else (value,)
        for text in values:
            if _SECRET_KEYS.match(key):
                found.append(str(text))
            found += [m[2] for m in _SECRET_IN_TEXT.finditer(str(text))]
    return [s for s in found if s]


def read_query(query: Query, profile: Profile,
               wanted: tuple[str, ...] = (ESCALATIONS,)) -> "Extract | Skipped":
    """Return the result of the query's SELECT as an Extract (or Skipped: see Query)."""
    import sqlalchemy as sa

    sql = query_text(query.path)
    engine = _engine(query)
    try:
        connection = engine.connect()
    except sa.exc.DBAPIError as exc:
        raise _connect_problem(query, exc) from exc
    try:
        options = {"stream_results": True}  # a server-side cursor, read by partitions()
        if engine.dialect.name == "postgresql":
            options["postgresql_readonly"] = True
        connection = connection.execution_options(**options)
        transaction = connection.begin()
        try:
            # text() would read ':name' as a parameter: the query has none, so every
            # colon is escaped, and text() doubles a '%' where the driver needs it.
            result = connection.execute(sa.text(sql.replace(":", "\\:")))
            if not result.returns_rows:
                raise DataError(f"{query.path}: the query returned no rows table; it must be "
                                "one SELECT, which iro-stats only reads")
            return _extract(query, list(result.keys()), result, profile, wanted)
        finally:
            transaction.rollback()  # whatever the query did is never kept
    except sa.exc.DBAPIError as exc:
        raise _query_problem(query, sql, exc) from exc
    finally:
        connection.close()


def query_text(path: Path) -> str:
    """Return the SQL of a query file, trailing semicolons dropped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such query file; check the path")
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder; give a .sql file holding one SELECT")
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror}); check you may read it")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # as SSMS may save it
        text = data.decode("utf-16", errors="replace")
    else:
        text, _ = decode(data)
    text = text.strip()
    while text.endswith(";"):
        text = text[:-1].rstrip()
    if not text:
        raise DataError(f"{path}: the query file is empty; write one SELECT in it")
    return text


def _engine(query: Query):
    """Return a SQLAlchemy engine for the query's URL (no pool: one connection a query)."""
    import sqlalchemy as sa

    try:
        url = sa.engine.make_url(query.url)
    except sa.exc.ArgumentError:
        raise UsageError(f"{query.path}: the database URL cannot be read; give it as "
                         "postgresql://USER:PASSWORD@HOST/DATABASE or "
                         "mssql+pyodbc://USER:PASSWORD@HOST/DATABASE?driver=...")
    url = url.set(drivername=DRIVERS.get(url.drivername, url.drivername))
    connect_args = {}
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
    try:
        return sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=connect_args)
    except (sa.exc.NoSuchModuleError, ImportError):
        extra = " (pip install 'iro-stats[mssql]', and Microsoft's ODBC Driver for SQL " \
                "Server)" if url.get_backend_name() == "mssql" else ""
        raise UsageError(f"{query.path}: no database driver for '{url.drivername}' is "
                         f"installed{extra}; iro-stats reads PostgreSQL (postgresql://...) "
                         "and SQL Server (mssql+pyodbc://...)")


def _extract(query: Query, names: list[str], result, profile: Profile,
             wanted: tuple[str, ...]) -> "Extract | Skipped":
    """Return the Extract of a result whose column names are `names`, fetched a chunk at
    a time and keeping only the columns its header names."""
    import numpy as np

    from iro_stats.rows import empty_text

    where = str(query.path)
    try:
        header = _find_header([names], profile, where, wanted)
    except DataError:  # worded for a file's rows: said again for a query's columns
        raise DataError(f"{where}: {_missing(names, profile, wanted)}; name the columns "
                        "with AS in the query, or map them with a profile",
                        option="profile") from None
    if header.kind not in wanted:
        return QuerySkipped(where, None, header.kind, 1)
    parts: dict[str, list] = {name: [] for name in header.columns}
    count = 0
    for chunk in result.partitions(CHUNK):  # each a FETCH of CHUNK rows from the cursor
        by_column = list(zip(*chunk))
        for name, at in header.columns.items():
            parts[name].append(_chunk(by_column[at]))
        count += len(chunk)
    cells = {name: _column(p) if p else empty_text(0) for name, p in parts.items()}
    rows = np.arange(1, count + 1, dtype=np.int64)
    info = QueryInfo(path=where, kind=header.kind, format="query", header_row=0,
                     columns={f: names[c] for f, c in header.columns.items()},
                     rows_read=len(rows), database=query.database,
                     server=_server(query.url))
    return Extract(info, cells, rows)


def _server(url: str) -> str:
    """Return which database a URL names, for a committee paper: its kind, name and host,
    never the user name or password ("PostgreSQL database mosaic_dw on db.council.local")."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    kind = {"postgresql": "PostgreSQL", "mssql": "SQL Server"}.get(
        parsed.get_backend_name(), parsed.get_backend_name())
    host = parsed.host or "this computer"  # a Unix socket (host=/path) is local
    return f"{kind} database {parsed.database or ''} on {host}".replace("  ", " ")


def _missing(names: list[str], profile: Profile, wanted: tuple[str, ...]) -> str:
    """Return what the columns lack to be an extract of the wanted kind they come
    nearest to (the one naming most of its required fields)."""
    known = kinds()

    def found(kind: str) -> dict:
        return match_header(names, profile, kind)

    kind = known[max(wanted, key=lambda k: len(set(found(k)) & set(known[k].required)))]
    missing = [f for f in kind.required if f not in found(kind.name)]
    spellings = "; ".join(f"{name}: {', '.join(kind.field(name).headers[:4])}"
                          for name in missing)
    return (f"the query's columns ({', '.join(names)}) have none for {' or '.join(missing)} "
            f"of {_a(kind.about)} (looked for {spellings})")


def _chunk(values: tuple) -> "pa.Array | np.ndarray":
    """Return one chunk of a result column as a file's cells are given: text, and whole
    numbers as their digits (an integer or NUMERIC ID), as pyarrow text, as a CSV's are,
    NULL blank; anything else (dates, timestamps, fractions) as a numpy object array of
    the values, as a workbook's cells are. pyarrow tells the type in one pass, in C."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        array = pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):  # mixed types
        array = None
    if array is not None and (pa.types.is_null(array.type) or pa.types.is_string(array.type)
                              or pa.types.is_large_string(array.type)
                              or pa.types.is_integer(array.type)
                              or (pa.types.is_decimal(array.type) and array.type.scale == 0)):
        return pc.fill_null(array.cast(pa.large_string()), "")
    if array is not None and pa.types.is_decimal(array.type):  # NUMERIC with a fraction
        values = [None if v is None else float(v) for v in values]  # a workbook's number
    return np.fromiter(values, dtype=object, count=len(values))


def _column(chunks: list) -> "pa.ChunkedArray | np.ndarray":
    """Return a column's chunks as one: pyarrow text when every chunk is text, else
    a numpy object array (text chunks, say of NULLs before the first date, as str)."""
    import numpy as np
    import pyarrow as pa

    if all(isinstance(c, pa.Array) for c in chunks):
        return pa.chunked_array(chunks, type=pa.large_string())
    return np.concatenate([c if isinstance(c, np.ndarray) else
                           c.to_numpy(zero_copy_only=False).astype(object) for c in chunks])


# --- what went wrong, in one line -----------------------------------------------------

# What the SQLSTATE of a refused query means (PostgreSQL's and SQL Server's ODBC codes),
# and what to do about it.
QUERY_PROBLEMS = (
    (("42P01", "42S02"), "the query names a table that is not in the database",
     "check the table's name and schema in the query"),
    (("42703", "42S22"), "the query names a column that is not in its table",
     "check the column names in the query"),
    (("42501",), "the database user may not read what the query reads",
     "ask for read access to it, or use an account that has it"),
    (("25006", "25001", "0A000"), "the query would change the database, and iro-stats only "
     "reads", "give one SELECT"),
)


def _detail(exc, query: Query) -> str:
    """Return the driver's message: its first line, without the password."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    text = re.sub(r"^(ERROR|FATAL):\s*", "", lines[0]) if lines else type(original).__name__
    text = re.sub(r"\s+", " ", text)
    for secret in _secrets(query.url):
        text = text.replace(secret, HIDDEN)
    return text[:200]


def _sqlstate(exc) -> str:
    original = getattr(exc, "orig", None)
    code = getattr(original, "sqlstate", None)
    if code is None and getattr(original, "args", None) and isinstance(original.args[0], str):
        code = original.args[0]  # pyodbc: the SQLSTATE comes first
    return code or ""


def _connect_problem(query: Query, exc) -> UsageError:
    """Return the one-line error for a connection the server refused or never answered."""
    detail = _detail(exc, query)
    lowered = detail.lower()
    path, url = query.path, query.database
    if _sqlstate(exc).startswith("28") or any(s in lowered for s in (
            "password", "authentication", "login failed", "role \"")):
        return UsageError(f"{path}: the database server refused the user name or password "
                          f"of {url} ({detail}); check them in the URL")
    if "database" in lowered and "does not exist" in lowered:
        return UsageError(f"{path}: the server has no database named in {url} ({detail}); "
                          "check the database name in the URL")
    return UsageError(f"{path}: cannot reach the database server of {url} ({detail}); check "
                      "the host and port in the URL, and that the server is running")


def _query_problem(query: Query, sql: str, exc) -> DataError:
    """Return the one-line error for a query the database refused."""
    code, detail = _sqlstate(exc), _detail(exc, query)
    for codes, what, todo in QUERY_PROBLEMS:
        if code in codes:
            return DataError(f"{query.path}: {what} ({detail}); {todo}")
    writes = _WRITES.match(_LEADING_COMMENTS.sub("", sql))
    if writes:  # a server-side cursor's DECLARE refuses it as bad syntax
        what = _a(writes[1].upper())
        return DataError(f"{query.path}: the query would change the database ({what}), and "
                         "iro-stats only reads; give one SELECT")
    return DataError(f"{query.path}: the database could not run the query ({detail}); check "
                     "that it runs in your SQL tool")
