"""Synthetic review extracts for the benchmark: a whole authority's ten years.

    python benchmarks/generate_reviews.py FOLDER PERIODS

writes into FOLDER a Mosaic periods-of-care export (periods_of_care.csv), the 903
episodes that make the same periods (episodes.csv: placement moves joined by REC X1)
and the 903 reviews held in them (reviews.csv: about five per period, mostly on time),
for periods of care starting between 1 April 2015 and 31 March 2025; and truth.json,
what a correct reading finds for 2020-21, worked out here with plain Python. Fixed seed.
All synthetic: child IDs are random 7-digit numbers starting with 5.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

SEED = 20190401
FIRST_DAY, LAST_DAY = dt.date(2015, 4, 1), dt.date(2025, 3, 31)
YEAR = (dt.date(2020, 4, 1), dt.date(2021, 3, 31))


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def main(folder: Path, periods: int) -> None:
    import holidays

    bank = set(holidays.country_holidays("GB", subdiv="ENG", years=range(2015, 2027)))

    def after_working_days(day: dt.date, n: int) -> dt.date:
        while n:
            day += dt.timedelta(days=1)
            n -= day.weekday() < 5 and day not in bank
        return day

    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    span = (LAST_DAY - FIRST_DAY).days
    ids = iter(rng.sample(range(5_000_000, 5_999_999), periods))
    care, episodes, reviews = [], [], []
    truth = {"held": 0, "on_time": 0, "rows": 0}
    child, free_from = None, None  # a child's next period starts after the last ended
    for n in range(periods):
        if free_from is not None and free_from < LAST_DAY and rng.random() < 0.25:
            start = free_from + dt.timedelta(days=rng.randrange(30, 400))
        else:
            child, start = str(next(ids)), FIRST_DAY + dt.timedelta(days=rng.randrange(span))
        end = start + dt.timedelta(days=rng.randrange(30, 1600))
        if end > LAST_DAY or rng.random() < 0.3:
            end = None if end > LAST_DAY else end
        free_from = end
        if start > LAST_DAY:
            child, start, end = str(next(ids)), FIRST_DAY, None
        care.append([child, start.isoformat(), end.isoformat() if end else "", "C2"])
        cuts = sorted({start + dt.timedelta(days=rng.randrange(1, 400))
                       for _ in range(rng.randrange(3))})
        bounds = [start] + [c for c in cuts if c < (end or LAST_DAY)]
        for i, begin in enumerate(bounds):
            last = i + 1 == len(bounds)
            finish = end if last else bounds[i + 1]
            episodes.append([child, f"{begin:%d/%m/%Y}", "S" if i == 0 else "P", "C2", "N1",
                             "U4", "PR1", f"{finish:%d/%m/%Y}" if finish else "",
                             ("E4A" if finish else "") if last else "X1"])
        held: list[dt.date] = []
        stop = min(end or LAST_DAY, LAST_DAY)
        while True:
            due = after_working_days(start, 20) if not held else \
                add_months(held[-1], 3 if len(held) == 1 else 6)
            day = due + dt.timedelta(days=rng.randrange(1, 30)) if rng.random() < 0.1 \
                else due - dt.timedelta(days=rng.randrange(0, 20))
            day = max(day, (held[-1] if held else start) + dt.timedelta(days=1))
            if day > stop:
                break
            held.append(day)
            reviews.append([child, "01/01/2005", f"{day:%d/%m/%Y}", rng.choice(
                ["PN1", "PN2", "PN5", "PN6", "PN7"])])
            if YEAR[0] <= day <= YEAR[1]:
                truth["held"] += 1
                truth["on_time"] += day <= due
    truth["rows"] = len(care) + len(reviews)
    truth["reviews"] = len(reviews)
    for name, header, rows in (
            ("periods_of_care.csv", ["PERSON_ID", "START_DATE", "END_DATE", "LEGAL_STATUS"],
             care),
            ("episodes.csv", ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER",
                              "DEC", "REC"], episodes),
            ("reviews.csv", ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"], reviews)):
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    (folder / "truth.json").write_text(json.dumps(truth))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
