"""--db and --query: a query's result is read exactly as an extract file, read-only, and
the URL's password is never shown. Run against a real PostgreSQL server (.ci/run starts
one and sets IRO_STATS_TEST_DB); without one, the tests that need it skip."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
import zipfile

import pytest

import warehouse
from conftest import LEGACY, MOSAIC, ROOT, run_cli

QUERIES = ROOT / "mappings" / "queries"
ESCALATIONS = QUERIES / "escalations.sql"
LEGACY_QUERY = QUERIES / "legacy_escalations.sql"
needs_server = pytest.mark.database


@pytest.fixture(scope="session")
def warehouse_url():
    """The URL of a new database holding the sample data as a Mosaic-style warehouse."""
    admin = warehouse.admin_url()
    if admin is None:
        pytest.skip(f"needs a PostgreSQL server: set {warehouse.TEST_DB} to a URL whose user "
                    "may create databases (.ci/run starts a server and sets it)")
    url = warehouse.create(admin)
    yield url
    warehouse.drop(admin, url)


@pytest.fixture
def db(warehouse_url, monkeypatch):
    """Run with IRO_STATS_DB set to the warehouse, as an analyst keeps the URL."""
    monkeypatch.setenv("IRO_STATS_DB", warehouse_url)
    return warehouse_url


def password(url: str) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).password


def shown(url: str) -> str:
    """The URL as iro-stats shows it: the password as ***."""
    from iro_stats.database import redact

    return redact(url)


def table_rows(url: str, table: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()


def query(tmp_path, sql: str, name: str = "query.sql"):
    path = tmp_path / name
    path.write_text(sql, encoding="utf-8")
    return path


# --- the same figures as the files ----------------------------------------------------

@needs_server
def test_report_from_the_database_gives_the_files_figures(db):
    from_file = run_cli("report", LEGACY, "--financial-year", "2017-18")
    from_db = run_cli("report", "--query", LEGACY_QUERY, "--financial-year", "2017-18")
    assert from_db.code == 0, from_db
    assert from_db.out == from_file.out
    assert "Escalations: 219; children: 193." in from_db.out
    assert re.search(r"Incomplete or inadequate care plans +148 +67\.6%", from_db.out)
    assert re.search(r"Grand Total +219 +100\.0%", from_db.out)
    assert from_db.err.splitlines() == [
        f"read {LEGACY_QUERY} on {shown(db)}: 325 rows; source legacy (detected from 7 "
        "legacy-only reason labels)",
        # The row whose date was 31/02/2018 holds NULL: a timestamp cannot be 31 February.
        "rows read 325: used 219, rejected 1, duplicates 1, outside period 104",
        "  rejected 1: date raised is blank"]


@needs_server
def test_stages_from_the_database_give_the_files_figures(db):
    from_file = run_cli("stages", MOSAIC, "--month", "2018-12")
    from_db = run_cli("stages", "--query", ESCALATIONS, "--month", "2018-12")
    assert from_db.code == 0, from_db
    assert from_db.out == from_file.out
    assert "Escalations: 32; children: 28. As at 02/01/2019." in from_db.out
    assert re.search(r"Resolved at informal stage or stage 1 +20 +74\.1%", from_db.out)
    accounting = "rows read 79: used 54 (32 escalations), rejected 0, duplicates 0, " \
                 "outside period 25"
    assert from_db.err.splitlines()[1:] == [accounting]
    # The workbook has a sheet of the report's parameters, which the query has not.
    assert from_file.err.splitlines()[1:] == [
        f"note: {MOSAIC}: sheet 'Parameters' not read: no header row found (its first row: "
        "Report, IRO Escalations - workflow steps)", accounting]


@needs_server
def test_reviews_from_the_database_give_the_files_figures(db, tmp_path):
    from openpyxl import load_workbook

    mosaic = ROOT / "sample_data" / "reviews" / "mosaic"
    # The steps' LAC review date 31/09/2018 cannot be a timestamp: the warehouse holds
    # NULL. The same data as files has that cell blank too.
    book = load_workbook(mosaic / "lac_review_steps.xlsx")
    impossible = [c for row in book.active.iter_rows() for c in row if c.value == "31/09/2018"]
    assert len(impossible) == 1
    impossible[0].value = None
    steps = tmp_path / "lac_review_steps.xlsx"
    book.save(steps)
    from_file = run_cli("reviews", mosaic / "periods_of_care.csv", steps, "--financial-year",
                        "2018-19")
    from_db = run_cli("reviews", "--query", QUERIES / "periods_of_care.sql", "--query",
                      QUERIES / "lac_review_steps.sql", "--financial-year", "2018-19")
    assert from_db.code == 0, from_db
    assert from_db.out == from_file.out
    assert re.search(r"All reviews +155 +148 +95\.5% +7\n", from_db.out)  # the actual view
    assert re.search(r"All reviews +150 +110 +73\.3% +40\n", from_db.out)  # the system view
    assert from_db.err.splitlines()[2:] == from_file.err.splitlines()[2:]
    assert "rows read 441: used 250, rejected 0, duplicates 0, outside period 191" in from_db.err


@needs_server
def test_queries_and_files_are_read_together(db):
    files = run_cli("reconcile", LEGACY, MOSAIC, "--cutover", "2018-11-19")
    mixed = run_cli("reconcile", LEGACY, "--query", ESCALATIONS, "--cutover", "2018-11-19")
    assert mixed.code == 0, mixed
    assert mixed.out == files.out
    assert "Legacy: 313 escalations" in mixed.out and "Mosaic: 45 escalations" in mixed.out
    assert mixed.err.splitlines()[-2:] == files.err.splitlines()[-2:] == [
        "rows read 404: used 402 (368 escalations), rejected 1, duplicates 1, outside period 0",
        "  rejected 1: date raised is not a real date"]


@needs_server
def test_real_number_and_date_types_read_as_the_text_does(db, tmp_path):
    # NUMERIC IDs arrive as Decimal, DATE columns as datetime.date.
    typed = query(tmp_path, "SELECT CAST(child_ref AS numeric(12, 0)) AS child_ref, "
                  "CAST(date_raised AS date) AS date_raised, reason_for_escalation "
                  "FROM legacy_escalation_log ORDER BY log_line")
    from_db = run_cli("report", "--query", typed, "--financial-year", "2017-18")
    assert from_db.out == run_cli("report", LEGACY, "--financial-year", "2017-18").out
    assert "Escalations: 219; children: 193." in from_db.out


@needs_server
def test_rows_fetched_a_chunk_at_a_time_are_every_row(db, monkeypatch):
    import iro_stats.database

    whole = run_cli("report", "--query", LEGACY_QUERY, "--financial-year", "2017-18")
    monkeypatch.setattr(iro_stats.database, "CHUNK", 7)  # 325 rows: 46 chunks and 3 rows
    chunked = run_cli("report", "--query", LEGACY_QUERY, "--financial-year", "2017-18")
    assert (chunked.out, chunked.err) == (whole.out, whole.err)
    assert "rows read 325: used 219, rejected 1, duplicates 1" in chunked.err


@needs_server
def test_a_chunk_of_nulls_before_the_dates_is_read_as_blank(db, tmp_path, monkeypatch):
    import iro_stats.database

    # One row a chunk: the first chunk of date_raised is NULL alone (no type to tell),
    # the rest are timestamps.
    monkeypatch.setattr(iro_stats.database, "CHUNK", 1)
    nulls_first = query(tmp_path, "SELECT child_ref, date_raised, reason_for_escalation "
                        "FROM legacy_escalation_log ORDER BY date_raised NULLS FIRST, log_line")
    result = run_cli("report", "--query", nulls_first, "--financial-year", "2017-18")
    assert result.out == run_cli("report", LEGACY, "--financial-year", "2017-18").out
    assert result.err.splitlines()[1:] == [
        "rows read 325: used 219, rejected 1, duplicates 1, outside period 104",
        "  rejected 1: date raised is blank"]


@needs_server
def test_a_rejected_rows_row_is_its_position_in_the_result(db, tmp_path):
    rejects = tmp_path / "rejects.csv"
    result = run_cli("report", "--query", LEGACY_QUERY, "--financial-year", "2017-18",
                     "--rejects", rejects)
    assert result.code == 0, result
    with open(rejects, encoding="utf-8-sig", newline="") as f:
        rows = [(r["status"], r["problem"], r["detail"], r["file"], r["row"], r["child_id"])
                for r in csv.DictReader(f)]
    # The log's lines start at 2 (line 1 was the file's header): file line 117, the
    # repeat of line 110, is result row 116, and line 200 is row 199.
    assert rows == [
        ("duplicate", "duplicate", f"repeats {LEGACY_QUERY} row 109", str(LEGACY_QUERY),
         "116", "5630855"),
        ("rejected", "date raised is blank", "", str(LEGACY_QUERY), "199", "5226723")]


@needs_server
def test_a_querys_column_names_are_matched_like_a_files_header_and_profile(db, tmp_path):
    own = query(tmp_path, "SELECT child_ref AS subject_ref, date_raised AS \"Step Start\", "
                "reason_for_escalation AS \"Reason for Escalation\" FROM legacy_escalation_log "
                "ORDER BY log_line")
    without = run_cli("report", "--query", own)
    assert without.code == 1
    assert without.err == (
        f"Error: {own}: the query's columns (subject_ref, Step Start, Reason for Escalation) "
        "have none for child_id or raised_on of an escalations extract (looked for "
        "child_id: Child ID, Person ID, Mosaic ID, Client ID; raised_on: Date Raised, "
        "Escalation Date, Date of Escalation, Start Date); name the columns with AS in the "
        "query, or map them with a profile (--profile)\n")
    profile = tmp_path / "profile.toml"
    profile.write_text('[columns]\nchild_id = "Subject Ref"\nraised_on = "step_start"\n')
    mapped = run_cli("report", "--query", own, "--profile", profile, "--financial-year", "2017")
    assert mapped.out == run_cli("report", LEGACY, "--financial-year", "2017").out


@needs_server
def test_a_query_of_another_kind_names_the_command_that_reads_it(db):
    steps = QUERIES / "lac_review_steps.sql"
    result = run_cli("report", "--query", steps)
    assert (result.code, result.out, result.err) == (
        1, "", f"Error: {steps}: its columns make a workflow steps export, read by 'iro-stats "
               "reviews', not by this command; give it to that command instead\n")


@needs_server
def test_each_command_that_reads_extracts_takes_queries(db, tmp_path):
    unmapped = run_cli("mappings", "unmapped", "--query", ESCALATIONS, "--month", "2019-01")
    assert unmapped.code == 0, unmapped
    assert unmapped.out == run_cli("mappings", "unmapped", MOSAIC, "--month", "2019-01").out
    exported = []
    for given in (["--query", ESCALATIONS], [MOSAIC]):
        target = tmp_path / f"export-{len(exported)}.csv"
        result = run_cli("export", *given, "--month", "2018-12", "--output", target)
        assert result.code == 0, result
        exported.append(list(csv.DictReader(target.read_text(encoding="utf-8-sig")
                                            .splitlines())))
    assert len(exported[0]) == len(exported[1]) == 32
    # The origin columns name the query and the row's place in its result (the sheet's
    # header was on row 4: its row 5 is the result's row 1); the warehouse's workflow
    # IDs are integers, the export's 'WF-100231' without its prefix.
    for from_db, from_file in zip(*exported):
        assert (from_db.pop("file"), from_db.pop("sheet")) == (str(ESCALATIONS), "")
        assert int(from_db.pop("row")) == int(from_file.pop("row")) - 4
        assert "WF-" + from_db.pop("escalation_id") == from_file.pop("escalation_id")
        del from_file["file"], from_file["sheet"]
        assert from_db == from_file
    pack = run_cli("monthly", "--query", LEGACY_QUERY, "--query", ESCALATIONS, "--month",
                   "2018-12", "--output", tmp_path / "pack")
    assert pack.code == 0, pack
    assert "rows read 404: used 181 (147 escalations), rejected 1, duplicates 1, " \
           "outside period 221" in pack.err
    # The pack's provenance names each query file with its SHA-256 and the database it
    # ran on (kind, name, host: never the user or password).
    markdown = (tmp_path / "pack" / "iro-escalations-2018-12.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(ESCALATIONS.read_bytes()).hexdigest()
    assert re.search(rf"\| SHA-256, escalations\.sql +\| {digest} +\|", markdown)
    assert re.search(r"\| Database, escalations\.sql +\| PostgreSQL database "
                     r"iro\\_stats\\_test\\_\w+ on this computer +\|", markdown)
    assert re.search(r"\| escalations\.sql +\| Mosaic +\| +\| +\| +79 \|", markdown)
    assert "A query's SHA-256 is of its .sql file" in markdown


@needs_server
def test_the_docs_database_examples_print_what_they_show(db, tmp_path, monkeypatch):
    from test_readme import check_examples

    monkeypatch.chdir(ROOT)

    def run(*args):  # the page shows the URL of a council's warehouse
        result = run_cli(*args)
        result.err = result.err.replace(shown(db), DOCS_URL)
        return result

    assert check_examples(run, tmp_path, ROOT / "docs" / "database.md", queries=True) == 2


DOCS_URL = "postgresql://analyst:***@warehouse.council.local/mosaic_dw"


# --- read-only ------------------------------------------------------------------------

WRITES = {
    "delete": ("DELETE FROM legacy_escalation_log",
               "the query would change the database (a DELETE), and iro-stats only reads; "
               "give one SELECT"),
    "update after a comment": ("-- tidy the names\nUPDATE legacy_escalation_log SET iro_name = "
                               "'IRO Z'",
                               "the query would change the database (an UPDATE), and "
                               "iro-stats only reads; give one SELECT"),
    "delete inside a select": (
        "WITH gone AS (DELETE FROM legacy_escalation_log RETURNING *) SELECT * FROM gone",
        "the query would change the database, and iro-stats only reads (DECLARE CURSOR must not contain data-modifying statements in WITH); "
        "give one SELECT"),
    "a function that writes": (
        "SELECT child_ref, date_raised, reason_for_escalation, forget_line(log_line) "
        "FROM legacy_escalation_log",
        "the query would change the database, and iro-stats only reads (cannot execute DELETE in a read-only transaction); give one SELECT"),
}


@needs_server
@pytest.mark.parametrize("name", WRITES)
def test_a_query_that_writes_is_refused_and_changes_nothing(db, tmp_path, name):
    import sqlalchemy as sa

    engine = sa.create_engine(db, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION forget_line(line integer) RETURNS integer "
            "LANGUAGE sql AS 'DELETE FROM legacy_escalation_log WHERE log_line = line "
            "RETURNING log_line'")
    sql, message = WRITES[name]
    path = query(tmp_path, sql)
    result = run_cli("report", "--query", path)
    assert (result.code, result.out, result.err) == (1, "", f"Error: {path}: {message}\n")
    assert table_rows(db, "legacy_escalation_log") == 325
    names = sa.create_engine(db, poolclass=sa.pool.NullPool).connect().exec_driver_sql(
        "SELECT count(*) FROM legacy_escalation_log WHERE iro_name = 'IRO Z'").scalar()
    assert names == 0


# --- one-line errors, never the password ----------------------------------------------

def _elsewhere(url: str, **parts) -> str:
    import sqlalchemy as sa

    return sa.engine.make_url(url).set(**parts).render_as_string(hide_password=False)


@needs_server
def test_errors_are_one_line_naming_the_query_file(db, tmp_path):
    import sqlalchemy as sa

    query_host = dict(sa.engine.make_url(db).query)
    good = query(tmp_path, "SELECT child_ref, date_raised, reason_for_escalation "
                 "FROM legacy_escalation_log", "good.sql")
    cases = [
        # (URL, query file, exit status, the message after "Error: FILE: ")
        (_elsewhere(db, query={**query_host, "host": str(tmp_path / "no-server")}), good, 2,
         "cannot reach the database server of"),
        (_elsewhere(db, password="not-the-password"), good, 2,
         "the database server refused the user name or password of"),
        (_elsewhere(db, database="no_such_database"), good, 2,
         "the server has no database named in"),
        (db, query(tmp_path, "SELECT * FROM dm_nothing", "table.sql"), 1,
         "the query names a table that is not in the database (relation \"dm_nothing\" does "
         "not exist); check the table's name and schema in the query"),
        (db, query(tmp_path, "SELECT child_ref, date_raised, reason FROM "
                   "legacy_escalation_log", "column.sql"), 1,
         "the query names a column that is not in its table (column \"reason\" does not "
         "exist); check the column names in the query"),
        (db, tmp_path / "missing.sql", 2, "no such query file; check the path"),
        (db, query(tmp_path, "-- nothing yet\n;\n", "empty.sql"), 1,
         "the database could not run the query (syntax error at end of input); check that "
         "it runs in your SQL tool"),
    ]
    for url, path, code, message in cases:
        result = run_cli("report", "--db", url, "--query", path)
        assert result.code == code, (message, result)
        assert result.err.startswith(f"Error: {path}: {message}"), result.err
        assert result.err.count("\n") == 1 and result.out == "", result.err
        for secret in {password(url), password(db)}:
            assert secret not in result.err
        if "of" == message.split()[-1]:
            assert shown(url) in result.err


@needs_server
def test_the_password_never_appears_in_any_output(db, tmp_path):
    import sqlalchemy as sa

    secret = password(db)
    in_query_string = _elsewhere(db, password=None, query={
        **dict(sa.engine.make_url(db).query), "password": secret})
    broken = query(tmp_path, "SELECT nothing FROM legacy_escalation_log")
    outputs = []
    for url in (db, in_query_string):
        wrong_user = _elsewhere(url, username="nobody")
        for args in (["report", "--db", url, "--query", LEGACY_QUERY, "--format", "json"],
                     ["report", "--db", url, "--query", broken],
                     ["report", "--db", wrong_user, "--query", LEGACY_QUERY],
                     ["stages", "--db", url, "--query", ESCALATIONS, "--per-child",
                      tmp_path / "children.csv"],
                     ["export", "--db", url, "--query", ESCALATIONS, "--output",
                      tmp_path / "export.xlsx", "--rejects", tmp_path / "rejects.csv"],
                     ["monthly", "--db", url, "--query", ESCALATIONS, "--month", "2018-12",
                      "--output", tmp_path / "pack"]):
            result = run_cli(*args)
            outputs += [result.out, result.err]
        for args in (["report", "--db", url, "--query", broken],
                     ["report", "--db", wrong_user, "--query", LEGACY_QUERY]):
            # --debug's traceback, as the terminal shows it, with the driver's errors.
            debug = subprocess.run([sys.executable, "-m", "iro_stats", "--debug", *args],
                                   capture_output=True, text=True, timeout=120)
            assert "Traceback" in debug.stderr
            outputs += [debug.stdout, debug.stderr]
        # Written files, workbooks and Word documents unzipped.
        for path in tmp_path.rglob("*.*"):
            data = path.read_bytes()
            if data[:2] == b"PK":
                with zipfile.ZipFile(path) as book:
                    data = b"".join(book.read(name) for name in book.namelist())
            outputs.append(data.decode("utf-8", "replace"))
    assert "***" in "".join(outputs)  # the URL was shown, redacted
    assert not [o for o in outputs if secret in o]


# --- options, without a server ----------------------------------------------------------

def test_a_query_needs_a_database(tmp_path, monkeypatch):
    monkeypatch.delenv("IRO_STATS_DB", raising=False)
    result = run_cli("report", "--query", query(tmp_path, "SELECT 1"))
    assert (result.code, result.err) == (
        2, "Error: --query needs a database: give --db URL or set IRO_STATS_DB\n")


def test_a_command_needs_files_or_queries():
    result = run_cli("stages")
    assert (result.code, result.err) == (
        2, "Error: give the extract files or folders to read (or --query FILE.sql with "
           "--db URL)\n")


def test_a_bad_url_or_a_missing_driver_is_one_line_without_the_password(tmp_path):
    sql = query(tmp_path, "SELECT 1")
    for url, message in [
            ("mssql+pyodbc://analyst:Hunter22@warehouse/mosaic?driver=ODBC+Driver+18+for+SQL"
             "+Server", "no database driver for 'mssql+pyodbc' is installed (pip install "
             "'iro-stats[mssql]', and Microsoft's ODBC Driver for SQL Server)"),
            ("analyst:Hunter22@warehouse", "the database URL cannot be read; give it as "
             "postgresql://USER:PASSWORD@HOST/DATABASE")]:
        result = run_cli("report", "--db", url, "--query", sql)
        assert result.code == 2 and result.err.startswith(f"Error: {sql}: {message}"), result
        assert "Hunter22" not in result.err


def test_redacted_urls_hide_every_password():
    from iro_stats.database import redact

    assert redact("postgresql://analyst:Hunter22@db.council.local:5432/mosaic_dw") == \
        "postgresql://analyst:***@db.council.local:5432/mosaic_dw"
    assert redact("postgresql://analyst@/mosaic_dw?host=/run/pg&password=Hunter22") == \
        "postgresql://analyst@/mosaic_dw?host=/run/pg&password=***"
    assert redact("mssql+pyodbc:///?odbc_connect=DRIVER%3D%7BODBC+Driver+18%7D%3BSERVER%3Ddw"
                  "%3BUID%3Danalyst%3BPWD%3DHunter22") == \
        "mssql+pyodbc:///?odbc_connect=DRIVER={ODBC+Driver+18};SERVER=dw;UID=analyst;PWD=***"
