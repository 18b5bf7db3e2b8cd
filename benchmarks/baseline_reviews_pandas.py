"""Baseline: review timeliness by a plain pandas script, with none of reviews' checks.

read_csv both files, to_datetime, each review matched to its child's latest period of
care started on or before it (merge_asof), numbered within its period, due 20 working
days after the start (numpy's busday_offset, with the `holidays` package's England and
Wales bank holidays), then 3 and 6 months after the review before (DateOffset); counts
held and on time in the year. No validation, no duplicate check, no row accounting,
no system view. Usage: python baseline_reviews_pandas.py PERIODS.csv REVIEWS.csv FIRST LAST
"""

import sys

import holidays
import numpy as np
import pandas as pd

periods_path, reviews_path, first, last = sys.argv[1:5]
periods = pd.read_csv(periods_path, dtype={"PERSON_ID": str})
reviews = pd.read_csv(reviews_path, dtype={"CHILD": str})
periods["start"] = pd.to_datetime(periods["START_DATE"], format="%Y-%m-%d")
periods["end"] = pd.to_datetime(periods["END_DATE"], format="%Y-%m-%d")
reviews["held"] = pd.to_datetime(reviews["REVIEW"], format="%d/%m/%Y", errors="coerce")

placed = pd.merge_asof(reviews.sort_values("held"), periods.sort_values("start"),
                       left_on="held", right_on="start", left_by="CHILD",
                       right_by="PERSON_ID")
placed = placed[placed["end"].isna() | (placed["held"] <= placed["end"])]
placed = placed.sort_values(["PERSON_ID", "start", "held"])
period = placed.groupby(["PERSON_ID", "start"], sort=False)
placed["number"] = period.cumcount() + 1
placed["previous"] = period["held"].shift()

bank = list(holidays.country_holidays("GB", subdiv="ENG", years=range(2015, 2027)))
first_due = np.busday_offset(placed["start"].to_numpy().astype("datetime64[D]"), 20,
                             roll="backward", holidays=bank)
later = placed["previous"] + pd.DateOffset(months=6)
later[placed["number"] == 2] = placed["previous"] + pd.DateOffset(months=3)
placed["due"] = np.where(placed["number"] == 1, first_due.astype("datetime64[ns]"), later)

year = placed[(placed["held"] >= first) & (placed["held"] <= last)]
print({"held": len(year), "on_time": int((year["held"] <= year["due"]).sum())})
