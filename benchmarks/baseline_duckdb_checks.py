"""For comparison: report's checks in DuckDB SQL, as lean as SQL lets them be.

The targets compare `report` with baselines that check nothing (baseline_pandas.py,
baseline_duckdb.py count stage rows). This script does in DuckDB what `report` does
before its table: rejects rows with a blank child ID or date raised, a date that is not a
real one, an unreadable stage or a resolution before the date raised; counts exact
repeats of valid rows as duplicates; groups stage rows into escalations by ID (rejecting
those whose rows name different children); takes each escalation's reason and child
from its earliest row; keeps the escalations raised in the period. It prints the
figures as report's JSON has them, so the benchmark checks them against the generator.

It is simpler than `report`, so it is a lower bound for these checks in a compiled
engine, not an equivalent: one date spelling (dd/mm/yyyy), no trimming of blanks, no
banner, footer or blank-row handling, no reason for each rejected row beyond its kind,
and the reason as written (no crosswalk).

Usage: python baseline_duckdb_checks.py FILE.csv FIRST_DAY LAST_DAY   (days as YYYY-MM-DD)
"""

import json
import sys

import duckdb

path, first, last = sys.argv[1:4]
query = """
WITH parsed AS (
  SELECT "Person ID" AS child, "Workflow ID" AS esc, "Reason" AS reason,
         "Outcome" AS outcome, "Team" AS team, "IRO Name" AS iro,
         "Start Date" AS raised_text, "Completed On" AS resolved_text,
         try_strptime("Start Date", '%d/%m/%Y')::DATE AS raised,
         try_strptime("Completed On", '%d/%m/%Y')::DATE AS resolved,
         CASE WHEN "Escalation Stage" ILIKE '%informal%' THEN 0
              ELSE try_cast(regexp_extract("Escalation Stage", '(\\d)', 1) AS INT) END AS stage
  FROM read_csv(?, header = true, all_varchar = true)),
checked AS (
  SELECT *, CASE WHEN child IS NULL THEN 'child ID is blank'
                 WHEN raised_text IS NULL THEN 'date raised is blank'
                 WHEN raised IS NULL THEN 'date raised is not a real date'
                 WHEN resolved_text IS NOT NULL AND resolved IS NULL
                      THEN 'date resolved is not a real date'
                 WHEN stage IS NULL THEN 'stage cannot be read'
                 WHEN resolved < raised THEN 'resolved before it was raised' END AS problem
  FROM parsed),
distinct_rows AS (  -- each distinct valid row, with how many times it was read
  SELECT child, esc, raised, stage, resolved, reason, outcome, team, iro, count(*) AS times
  FROM checked WHERE problem IS NULL GROUP BY ALL),
escalations AS (
  SELECT esc, arg_min(reason, (raised, stage)) AS reason,
         arg_min(child, (raised, stage)) AS child, min(raised) AS raised,
         count(*) AS stage_rows, min(child) = max(child) AS one_child
  FROM distinct_rows GROUP BY esc),
chosen AS (
  SELECT * FROM escalations WHERE one_child AND raised BETWEEN ?::DATE AND ?::DATE)
SELECT 'reason', reason, count(*) FROM chosen GROUP BY reason
UNION ALL SELECT 'children', NULL, count(DISTINCT child) FROM chosen
UNION ALL SELECT 'used', NULL, coalesce(sum(stage_rows), 0) FROM chosen
UNION ALL SELECT 'read', NULL, count(*) FROM checked
UNION ALL SELECT 'duplicates', NULL, coalesce(sum(times - 1), 0) FROM distinct_rows
UNION ALL SELECT 'rejected', NULL, count(*) FROM checked WHERE problem IS NOT NULL
UNION ALL SELECT 'mixed children', NULL, coalesce(sum(stage_rows), 0)
          FROM escalations WHERE NOT one_child
"""
reasons, figures = {}, {}
for kind, label, count in duckdb.execute(query, [path, first, last]).fetchall():
    if kind == "reason":
        reasons[label] = count
    else:
        figures[kind] = count
rejected = figures["rejected"] + figures["mixed children"]
rows = {"read": figures["read"], "used": figures["used"], "rejected": rejected,
        "duplicates": figures["duplicates"],
        "outside_period": figures["read"] - figures["used"] - rejected
        - figures["duplicates"]}
print(json.dumps({"totals": {"escalations": sum(reasons.values()),
                             "children": figures["children"]},
                  "reasons": [{"reason": r, "count": n} for r, n in reasons.items()],
                  "rows": rows}, indent=1))
