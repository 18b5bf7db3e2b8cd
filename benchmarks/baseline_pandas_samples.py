"""Baseline: the reasons table of the two sample extracts by a plain pandas script.

What an analyst would write for these two files and nothing more: the legacy log read
as Windows-1252, the Mosaic workbook's sheet read from its header row (openpyxl, pandas'
default engine), dates filtered to the period, reasons counted with value_counts. No
validation, no duplicates, no crosswalk. Usage:
python baseline_pandas_samples.py LEGACY.csv MOSAIC.xlsx FIRST_DAY LAST_DAY   (YYYY-MM-DD)
"""

import sys

import pandas as pd

legacy_path, mosaic_path, first, last = sys.argv[1:5]
legacy = pd.read_csv(legacy_path, encoding="cp1252")
legacy_raised = pd.to_datetime(legacy["Date Raised"], format="%d/%m/%Y", errors="coerce")
mosaic = pd.read_excel(mosaic_path, sheet_name="IRO Escalations", header=3, engine="openpyxl")
mosaic_raised = pd.to_datetime(mosaic["Start Date"], errors="coerce")
reasons = pd.concat([
    legacy.loc[(legacy_raised >= first) & (legacy_raised <= last), "Reason for Escalation"],
    mosaic.loc[(mosaic_raised >= first) & (mosaic_raised <= last), "Reason"]])
print(reasons.value_counts().to_string())
