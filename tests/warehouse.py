"""A Mosaic-style reporting warehouse in PostgreSQL, made from the sample data, for the
tests of --db/--query and the example queries in mappings/queries/.

The tables hold real column types (integer IDs, timestamp dates, text labels), read from
the sample files here with the csv module and openpyxl, not with iro-stats' own reader.
A date that is not a real date (the legacy log's 31/02/2018, the review steps' 31/09/2018)
cannot be a timestamp: it is NULL in the table, so iro-stats reads that cell as blank where
the file gives a date that is not real. Dates typed as text in a workbook are timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import uuid

from conftest import LEGACY, MOSAIC, SAMPLE

TEST_DB = "IRO_STATS_TEST_DB"  # a PostgreSQL URL whose user may create databases
REQUIRED = "IRO_STATS_TEST_DB_REQUIRED"  # set by .ci/run: the tests may not skip
ESCALATION_TYPE = "IRO Escalation - "
REVIEW_TYPE = "LAC Review - record of review"

SCHEMA = """
CREATE TABLE dm_workflow_step_types (
    workflow_step_type_id integer PRIMARY KEY,
    description text NOT NULL);
CREATE TABLE dm_workflow_steps (
    workflow_step_id integer PRIMARY KEY,
    workflow_id integer,
    person_id integer,
    workflow_step_type_id integer REFERENCES dm_workflow_step_types,
    step_status text,
    started_on timestamp,
    completed_on timestamp,
    cancelled_on timestamp,
    responsible_team_name text,
    assignee_name text);
CREATE TABLE dm_iro_escalation_answers (
    workflow_step_id integer REFERENCES dm_workflow_steps,
    reason text,
    outcome text);
CREATE TABLE dm_lac_review_answers (
    workflow_step_id integer REFERENCES dm_workflow_steps,
    lac_review_date timestamp,
    participation_code text);
CREATE TABLE dm_periods_of_care (
    person_id integer,
    period_of_care_id text,
    start_date timestamp,
    end_date timestamp,
    legal_status text);
CREATE TABLE legacy_escalation_log (
    log_line integer PRIMARY KEY,
    child_ref integer,
    date_raised timestamp,
    reason_for_escalation text,
    iro_name text,
    notes text);
"""


def admin_url() -> str | None:
    return os.environ.get(TEST_DB) or None


def create(admin: str) -> str:
    """Make a new database on the server of `admin` with the warehouse's tables and the
    sample data in them; return its URL (with the admin's user and password)."""
    import sqlalchemy as sa

    name = f"iro_stats_test_{uuid.uuid4().hex[:12]}"
    url = sa.engine.make_url(_driver(admin))
    server = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    made = url.set(database=name)
    engine = sa.create_engine(made, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)
        _load(connection)
    return made.render_as_string(hide_password=False)


def drop(admin: str, url: str) -> None:
    import sqlalchemy as sa

    name = sa.engine.make_url(url).database
    server = sa.create_engine(_driver(admin), isolation_level="AUTOCOMMIT",
                              poolclass=sa.pool.NullPool)
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _driver(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) \
        if url.startswith("postgresql://") else url


def _insert(connection, table: str, rows: list[dict]) -> None:
    import sqlalchemy as sa

    if rows:
        columns = list(rows[0])
        connection.execute(sa.text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                   f"({', '.join(':' + c for c in columns)})"), rows)


def _day(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        return None


def _load(connection) -> None:
    with open(LEGACY, encoding="cp1252", newline="") as f:
        legacy = list(csv.DictReader(f))
    _insert(connection, "legacy_escalation_log", [
        {"log_line": i, "child_ref": int(r["Child Ref"]), "date_raised": _day(r["Date Raised"]),
         "reason_for_escalation": r["Reason for Escalation"], "iro_name": r["IRO Name"],
         "notes": r["Notes"]} for i, r in enumerate(legacy, start=2)])

    types = {}
    steps, answers = [], []
    for i, r in enumerate(_sheet(MOSAIC, "Workflow ID"), start=1):
        kind = types.setdefault(ESCALATION_TYPE + r["Escalation Stage"], len(types) + 1)
        steps.append({"workflow_step_id": i, "workflow_id": int(r["Workflow ID"][3:]),
                      "person_id": int(r["Person ID"]), "workflow_step_type_id": kind,
                      "step_status": "COMPLETED" if r["Completed On"] else "INCOMPLETE",
                      "started_on": r["Start Date"], "completed_on": r["Completed On"],
                      "cancelled_on": None, "responsible_team_name": r["Team"],
                      "assignee_name": r["IRO Name"]})
        answers.append({"workflow_step_id": i, "reason": r["Reason"],
                        "outcome": r["Outcome"]})
    reviews = SAMPLE / "reviews" / "mosaic"
    review_answers = []
    if (reviews / "lac_review_steps.xlsx").exists():
        for r in _sheet(reviews / "lac_review_steps.xlsx", "Workflow Step ID"):
            kind = types.setdefault(r["Step Type"], len(types) + 1)
            step = int(r["Workflow Step ID"])
            steps.append({"workflow_step_id": step, "workflow_id": None,
                          "person_id": int(r["Person ID"]), "workflow_step_type_id": kind,
                          "step_status": r["Step Status"], "started_on": r["Started On"],
                          "completed_on": r["Completed On"],
                          "cancelled_on": r["Cancelled On"],
                          "responsible_team_name": r["Team"], "assignee_name": None})
            review_answers.append({"workflow_step_id": step,
                                   "lac_review_date": _date(r["LAC Review Date"]),
                                   "participation_code": r["Participation Code"]})
    _insert(connection, "dm_workflow_step_types",
            [{"workflow_step_type_id": n, "description": d} for d, n in types.items()])
    _insert(connection, "dm_workflow_steps", steps)
    _insert(connection, "dm_iro_escalation_answers", answers)
    _insert(connection, "dm_lac_review_answers", review_answers)
    if (reviews / "periods_of_care.csv").exists():
        with open(reviews / "periods_of_care.csv", encoding="utf-8", newline="") as f:
            _insert(connection, "dm_periods_of_care", [
                {"person_id": int(r["PERSON_ID"]), "period_of_care_id": r["PERIOD_OF_CARE_ID"],
                 "start_date": _iso(r["START_DATE"]), "end_date": _iso(r["END_DATE"]),
                 "legal_status": r["LEGAL_STATUS"]} for r in csv.DictReader(f)])


def _date(value) -> dt.datetime | None:
    """A workbook cell as a timestamp: a date cell as it is, a date typed as text read day
    first (NULL when it is no date, as 31/09/2018 is not)."""
    return _day(value) if isinstance(value, str) else value


def _iso(text: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text.strip() else None


def _sheet(path, first_column: str) -> list[dict]:
    """Return the data rows under a workbook's header (the row starting first_column),
    blank cells as None, blank and footer rows left out."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        heads = [i for i, r in enumerate(rows) if r and r[0] == first_column]
        if heads:
            header = rows[heads[0]]
            return [{h: (None if v in ("", None) else v) for h, v in zip(header, r)}
                    for r in rows[heads[0] + 1:]
                    if r[0] not in (None, "") and r[1] not in (None, "")]
    raise ValueError(f"{path}: no header starting {first_column!r}")
