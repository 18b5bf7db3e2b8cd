"""Baseline: pandas.read_excel(engine="openpyxl") reading a workbook, and nothing else.

Usage: python baseline_openpyxl.py FILE.xlsx
"""

import sys

import pandas as pd

frame = pd.read_excel(sys.argv[1], engine="openpyxl", sheet_name=0, header=3)
print(len(frame))
