"""Baseline: the same reasons table by DuckDB SQL (no validation, counts stage rows).

Usage: python baseline_duckdb.py FILE.csv FIRST_DAY LAST_DAY   (days as YYYY-MM-DD)
"""

import sys

import duckdb

path, first, last = sys.argv[1:4]
query = """
    SELECT "Reason", count(*) AS n
    FROM read_csv(?, header = true, all_varchar = true)
    WHERE try_strptime("Start Date", '%d/%m/%Y') BETWEEN ?::DATE AND ?::DATE
    GROUP BY "Reason" ORDER BY n DESC
"""
for reason, count in duckdb.execute(query, [path, first, last]).fetchall():
    print(f"{reason}\t{count}")
