"""Baseline: the reasons table by a plain pandas script, with none of report's checks.

read_csv, to_datetime(format="%d/%m/%Y"), filter to the period, value_counts: no
validation, no duplicate check, no grouping of stage rows into escalations (so it counts
stage rows, and an impossible date like 31/02 is silently dropped by errors="coerce").
Usage: python baseline_pandas.py FILE.csv FIRST_DAY LAST_DAY   (days as YYYY-MM-DD)
"""

import sys

import pandas as pd

path, first, last = sys.argv[1:4]
frame = pd.read_csv(path)
raised = pd.to_datetime(frame["Start Date"], format="%d/%m/%Y", errors="coerce")
chosen = frame[(raised >= first) & (raised <= last)]
print(chosen["Reason"].value_counts().to_string())
