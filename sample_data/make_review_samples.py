"""Write the synthetic review extracts for `iro-stats reviews` and check their figures.

Run from the repository root:

    python sample_data/make_review_samples.py

It writes, under sample_data/reviews/:

* ``903/episodes.csv``, ``903/reviews.csv``, ``903/header.csv`` - a council's SSDA903
  return for 2016-17 to 2018-19 in one (the DfE's CSV layout, day-first dates)
* ``mosaic/periods_of_care.csv`` - a DM_PERIODS_OF_CARE-shaped export of the same periods
* ``mosaic/lac_review_steps.xlsx`` - a Mosaic workflow-step report of the same children's
  looked-after reviews (banner rows, a footer, Excel datetimes and a few text dates)

then re-reads the files, without using anything the generator computed, works out the
figures of 2018-19 with its own plain-Python reading of the rules in docs/reviews.md, and
asserts them (FIGURES below; tests/test_reviews_sample.py asserts the same through the
CLI). The IRO records the meeting in Mosaic days to weeks after some reviews, and some
steps are still open at the extract date, so the system view shows a deficit the actual
view does not. The output is byte-for-byte the same on every run in one environment.

Every child and ID here is made up. Uses the standard library and openpyxl only.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import random
import re
import zipfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent / "reviews"
RETURN_DIR, MOSAIC_DIR = HERE / "903", HERE / "mosaic"
EPISODES, REVIEWS, HEADER = (RETURN_DIR / n for n in ("episodes.csv", "reviews.csv",
                                                       "header.csv"))
PERIODS, STEPS = MOSAIC_DIR / "periods_of_care.csv", MOSAIC_DIR / "lac_review_steps.xlsx"

SEED = 20190401
FIRST_DAY, YEAR_START, YEAR_END = dt.date(2016, 4, 1), dt.date(2018, 4, 1), dt.date(2019, 3, 31)
RUN_ON = dt.datetime(2019, 4, 2, 9, 30)  # the step report's extract
CHILDREN = 96
EPISODE_HEADER = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC",
                  "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]
REVIEW_HEADER = ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]
HEADER_HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
PERIOD_HEADER = ["PERSON_ID", "PERIOD_OF_CARE_ID", "START_DATE", "END_DATE", "LEGAL_STATUS"]
STEP_HEADER = ["Workflow Step ID", "Person ID", "Step Type", "Step Status", "Started On",
               "Completed On", "Cancelled On", "LAC Review Date", "Participation Code",
               "Team"]
STEP_BANNER = "LAC Reviews \u2013 workflow step report"
OPEN = ("PROPOSED", "INCOMING", "STARTED", "REOPENED")
CODES = ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]
CODE_WEIGHTS = [40, 10, 5, 5, 15, 15, 10]
ENDINGS = ["E4A", "E13", "E41", "E11", "E45", "E17", "E8"]
# England and Wales bank holidays, 2016 to 2019 (substitute days included).
BANK_HOLIDAYS = {dt.date(*d) for d in [
    (2016, 1, 1), (2016, 3, 25), (2016, 3, 28), (2016, 5, 2), (2016, 5, 30), (2016, 8, 29),
    (2016, 12, 26), (2016, 12, 27), (2017, 1, 2), (2017, 4, 14), (2017, 4, 17),
    (2017, 5, 1), (2017, 5, 29), (2017, 8, 28), (2017, 12, 25), (2017, 12, 26),
    (2018, 1, 1), (2018, 3, 30), (2018, 4, 2), (2018, 5, 7), (2018, 5, 28), (2018, 8, 27),
    (2018, 12, 25), (2018, 12, 26), (2019, 1, 1), (2019, 4, 19), (2019, 4, 22),
    (2019, 5, 6), (2019, 5, 27), (2019, 8, 26), (2019, 12, 25), (2019, 12, 26)]}

# What `iro-stats reviews` must print for 2018-19 (asserted by check(), and by the tests).
FIGURES: dict = {'903': {'actual': {'held': 156,
                    'on_time': 150,
                    'late': 6,
                    'by_review': {'first': [37, 34],
                                  'second': [32, 32],
                                  'subsequent': [87, 84]},
                    'overdue_not_held': 3,
                    'children_reviewed': 76,
                    'children_all_on_time': 70},
         'system': {'held': 149,
                    'on_time': 109,
                    'late': 40,
                    'by_review': {'first': [37, 17],
                                  'second': [31, 27],
                                  'subsequent': [81, 65]},
                    'overdue_not_held': 5,
                    'children_reviewed': 76,
                    'children_all_on_time': 40},
         'gap': {'late_in_system': 34, 'step_open': 6, 'no_step': 1},
         'steps': {'cancelled': 4, 'held_not_recorded': 6, 'open_no_review_date': 4},
         'participation': {'PN0': 25,
                           'PN1': 51,
                           'PN2': 9,
                           'PN3': 5,
                           'PN4': 5,
                           'PN5': 30,
                           'PN6': 20,
                           'PN7': 11},
         'periods_of_care': 100,
         'rows': {'read': 876,
                  'used': 498,
                  'rejected': 2,
                  'duplicates': 1,
                  'outside_period': 375}},
 'mosaic': {'actual': {'held': 155,
                       'on_time': 148,
                       'late': 7,
                       'by_review': {'first': [37, 34],
                                     'second': [32, 31],
                                     'subsequent': [86, 83]},
                       'overdue_not_held': 3,
                       'children_reviewed': 76,
                       'children_all_on_time': 70},
            'system': {'held': 149,
                       'on_time': 109,
                       'late': 40,
                       'by_review': {'first': [37, 17],
                                     'second': [31, 27],
                                     'subsequent': [81, 65]},
                       'overdue_not_held': 5,
                       'children_reviewed': 76,
                       'children_all_on_time': 40},
            'gap': {'late_in_system': 33, 'step_open': 6, 'no_step': 0},
            'steps': {'cancelled': 4, 'held_not_recorded': 6, 'open_no_review_date': 4},
            'participation': {'PN0': 23,
                              'PN1': 51,
                              'PN2': 8,
                              'PN3': 5,
                              'PN4': 5,
                              'PN5': 27,
                              'PN6': 19,
                              'PN7': 11},
            'periods_of_care': 100,
            'rows': {'read': 441,
                     'used': 249,
                     'rejected': 1,
                     'duplicates': 0,
                     'outside_period': 191}}}


# ---------------------------------------------------------------- the rules, plainly

def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number months later, or that month's last day when it has none."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The nth working day after day (the day itself not counted)."""
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            n -= 1
    return day


def due_after(number: int, previous: dt.date, start: dt.date, short: bool) -> dt.date:
    """When review `number` of a period is due, the one before held on `previous`."""
    if number == 1:
        return add_months(start, 3) if short else add_working_days(start, 20)
    return add_months(previous, 3 if number == 2 and not short else 6)


# ---------------------------------------------------------------- generation

def dmy(day: dt.date, short_year: bool = False) -> str:
    return day.strftime("%d/%m/%y" if short_year else "%d/%m/%Y")


def build(rng: random.Random) -> dict:
    """Return the children, their periods (with episodes) and meetings (with steps)."""
    ids = rng.sample(range(5_100_000, 5_999_999), CHILDREN)
    children = []
    for n, child in enumerate(ids):
        start = FIRST_DAY + dt.timedelta(days=rng.randrange((YEAR_END - FIRST_DAY).days - 20))
        age = rng.randrange(0, 17)
        dob = start - dt.timedelta(days=365 * age + rng.randrange(365))
        short = n < 3  # three children have agreed series of short breaks (LS V4)
        spans = []
        end = None
        if not short and rng.random() < 0.35:
            end = start + dt.timedelta(days=rng.randrange(40, 700))
            end = None if end > YEAR_END else end
        spans.append((start, end))
        if end is not None and n % 5 == 0 and end + dt.timedelta(days=90) < YEAR_END:
            back = end + dt.timedelta(days=rng.randrange(60, 300))
            if back < YEAR_END - dt.timedelta(days=20):
                spans.append((back, None))  # left care and came back
        children.append({"id": str(child), "dob": dob, "sex": rng.choice("12"),
                         "short": short, "spans": spans,
                         "skips": n % 31 == 7})  # stops being reviewed: overdue
    return {"children": children}


def episodes_of(rng: random.Random, child: dict, start, end, overlap: bool) -> list[list]:
    """903 episode rows for one period: placement moves joined by REC X1."""
    last = end or YEAR_END
    cuts = sorted({start + dt.timedelta(days=rng.randrange(1, max(2, (last - start).days)))
                   for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))})
    cuts = [c for c in cuts if start < c < last]
    bounds = [start] + cuts
    legal = "V4" if child["short"] else rng.choice(["C1", "C2", "C2", "V2", "E1"])
    rows = []
    for i, begin in enumerate(bounds):
        finish = bounds[i + 1] if i + 1 < len(bounds) else end
        rec = "X1" if i + 1 < len(bounds) else (rng.choice(ENDINGS) if end else "")
        rows.append([child["id"], dmy(begin), "S" if i == 0 else rng.choice("PLTB"), legal,
                     f"N{rng.randrange(1, 9)}", "U4" if child["short"] else
                     rng.choice(["U1", "U3", "U4", "U6", "K2", "P1"]),
                     rng.choice(["PR1", "PR2", "PR4", "PR5"]),
                     dmy(finish) if finish else "", rec,
                     "" if i == 0 else rng.choice(["CARPL", "CHILD", "OTHER"]),
                     f"ZZ99 {rng.randrange(1, 9)}", f"ZZ99 {rng.randrange(1, 9)}", ""])
    if overlap and len(rows) > 1:  # the next placement keyed as starting two days early
        first_cut = dt.datetime.strptime(rows[1][1], "%d/%m/%Y").date()
        rows[1][1] = dmy(first_cut - dt.timedelta(days=2))
    return rows


def meetings_of(rng: random.Random, start, end, short: bool, skips: bool) -> list[dt.date]:
    """The dates a period's reviews were held: mostly on time, some late."""
    held: list[dt.date] = []
    stop = min(end or YEAR_END, YEAR_END)
    while True:
        due = due_after(len(held) + 1, held[-1] if held else start, start, short)
        if rng.random() < 0.08:
            day = due + dt.timedelta(days=rng.randrange(1, 26))
        else:
            day = due - dt.timedelta(days=rng.randrange(0, 10 if not held else 25))
        day = max(day, (held[-1] if held else start) + dt.timedelta(days=1))
        if day > stop or (skips and day > YEAR_START - dt.timedelta(days=90)):
            return held
        held.append(day)


def write_all(rng: random.Random, data: dict) -> None:
    RETURN_DIR.mkdir(parents=True, exist_ok=True)
    MOSAIC_DIR.mkdir(parents=True, exist_ok=True)
    episodes, reviews, header, periods, meetings = [], [], [], [], []
    for n, child in enumerate(data["children"]):
        header.append([child["id"], child["sex"], dmy(child["dob"]),
                       rng.choice(["WBRI", "WBRI", "MWBC", "BAFR", "AOTH", "WOTH"]),
                       f"A{rng.randrange(10**11, 10**12)}", "", ""])
        for k, (start, end) in enumerate(child["spans"]):
            rows = episodes_of(rng, child, start, end, overlap=(n == 11))
            episodes += rows
            periods.append([child["id"], f"POC{200000 + len(periods) * 7}",
                            f"{start:%Y-%m-%d} 00:00:00.000",
                            f"{end:%Y-%m-%d} 00:00:00.000" if end else "", rows[0][3]])
            for day in meetings_of(rng, start, end, child["short"], child["skips"]):
                under_4 = (day - child["dob"]).days < 4 * 365
                code = "PN0" if under_4 else rng.choices(CODES, CODE_WEIGHTS)[0]
                meetings.append((day, child, code))
    meetings.sort(key=lambda m: (m[0], m[1]["id"]))
    for day, child, code in meetings:
        reviews.append([child["id"], dmy(child["dob"]), dmy(day, short_year=rng.random() < 0.12),
                        code])
    # Known slips, each to be accounted for: a review keyed twice with another code, and
    # one keyed a year early, before the child's period of care began.
    in_year = [r for r in reviews if r[2].endswith(("2018", "2019"))]
    twice = rng.choice(in_year)
    reviews.insert(reviews.index(twice) + 3, twice[:3] + ["PN7" if twice[3] != "PN7"
                                                          else "PN1"])
    slip = in_year[5]  # every period of care starts after 1 April 2016: 2015 is in none
    early = dt.datetime.strptime(slip[2], "%d/%m/%Y").date() if len(slip[2]) == 10 else \
        dt.datetime.strptime(slip[2], "%d/%m/%y").date()
    reviews.append([slip[0], slip[1], dmy(early.replace(year=early.year - 3)), slip[3]])

    write_csv(EPISODES, EPISODE_HEADER, episodes)
    write_csv(REVIEWS, REVIEW_HEADER, reviews)
    write_csv(HEADER, HEADER_HEADER, header)
    write_csv(PERIODS, PERIOD_HEADER, periods)
    write_steps(rng, meetings)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_steps(rng: random.Random, meetings: list) -> None:
    """One LAC review step per meeting, completed days to weeks after it, or still open;
    some meetings first booked and cancelled; a few next reviews proposed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    steps, step_id = [], 7_340_000
    run_on = RUN_ON.date()
    stuck = {i for i, m in enumerate(meetings) if YEAR_START <= m[0] < dt.date(2019, 1, 1)}
    stuck = set(rng.sample(sorted(stuck), 5))  # earlier steps not closed off: paragraph 5
    for i, (day, child, code) in enumerate(meetings):
        team = rng.choice(["LAC 1", "LAC 2", "LAC 3", "Disabled Children"])
        if rng.random() < 0.04:  # booked, cancelled and rearranged
            step_id += rng.randrange(3, 30)
            booked = day - dt.timedelta(days=rng.randrange(3, 12))
            steps.append([step_id, child, "CANCELLED", booked - dt.timedelta(days=10), None,
                          booked - dt.timedelta(days=1), booked, None, team])
        roll = rng.random()
        delay = rng.randrange(0, 3) if roll < 0.6 else rng.randrange(3, 15) if roll < 0.85 \
            else rng.randrange(15, 50)
        done = day + dt.timedelta(days=delay)
        started = day - dt.timedelta(days=rng.randrange(3, 15))
        step_id += rng.randrange(3, 30)
        if i in stuck or done > run_on:
            status = "INCOMING" if i in stuck else rng.choice(["STARTED", "REOPENED"])
            steps.append([step_id, child, status, started, None, None, day, None, team])
        else:
            steps.append([step_id, child, "COMPLETED", started,
                          dt.datetime.combine(done, dt.time(rng.randrange(8, 18),
                                                            rng.randrange(60))),
                          None, day, code, team])
    for day, child, _ in rng.sample([m for m in meetings if m[0] > dt.date(2018, 10, 1)], 4):
        step_id += rng.randrange(3, 30)  # the next review, proposed with no date yet
        steps.append([step_id, child, "PROPOSED", day + dt.timedelta(days=rng.randrange(1, 9)),
                      None, None, None, None, "LAC 1"])
    steps.sort(key=lambda s: (s[3], s[0]))

    wb = Workbook()
    ws = wb.active
    ws.title = "LAC Reviews"
    ws.append([STEP_BANNER])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"Run on {RUN_ON:%d/%m/%Y %H:%M}"])
    ws.append([])
    ws.append(STEP_HEADER)
    text_dates = 0
    for step_id, child, status, started, done, cancelled, review, code, team in steps:
        cells = [step_id, int(child["id"]), "LAC Review - record of review", status]
        for value in (started, done, cancelled, review):
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, dt.time())
            cells.append(value)
        cells += [code, team]
        if review is not None and status == "COMPLETED" and rng.random() < 0.05:
            cells[7] = dmy(review)  # keyed as text
            text_dates += 1
        ws.append(cells)
        for cell in ws[ws.max_row][4:8]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm" if cell.column == 6 else "dd/mm/yyyy"
    bad = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 4).value == "COMPLETED"
               and isinstance(ws.cell(r, 8).value, dt.datetime)
               and ws.cell(r, 8).value.date() >= dt.date(2018, 9, 1))
    ws.cell(bad, 8).value = "31/09/2018"  # a day September does not have
    ws.cell(bad, 8).number_format = "General"
    ws.append([])
    ws.append([f"Total rows: {len(steps)}"])
    wb.properties.creator = "QA Unit"
    wb.properties.created = wb.properties.modified = RUN_ON
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(STEPS, "w") as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=RUN_ON.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(name))


# ---------------------------------------------------------------- self-check

def parse_day(value) -> dt.date | None:
    """A cell as a date: a workbook datetime, dd/mm/yyyy, dd/mm/yy (20yy) or an ISO date
    with a time; None for a blank; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if m := re.fullmatch(r"(\d{2})/(\d{2})/(\d{2}|\d{4})", value):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return dt.date(year, int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2}) 00:00:00\.000", value):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(value)


def read_csv(path: Path, header: list[str]) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n"), f"{path}: every line ends CRLF"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0] == header, rows[0]
    return rows[1:]


def read_steps() -> list[dict]:
    from openpyxl import load_workbook

    ws = load_workbook(STEPS).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == STEP_BANNER and rows[1][0] == f"Run on {RUN_ON:%d/%m/%Y %H:%M}"
    assert list(rows[3]) == STEP_HEADER and all(v is None for v in rows[-2])
    assert rows[-1][0] == f"Total rows: {len(rows) - 6}"
    steps = []
    for line, r in enumerate(rows[4:-2], start=5):
        step = {"line": line, "id": r[0], "child": str(r[1]), "status": r[3], "code": r[8]}
        try:
            step.update(zip(("started", "completed", "cancelled", "review"),
                            map(parse_day, r[4:8])))
        except ValueError:
            step["rejected"] = True
        steps.append(step)
    return steps


def periods_from_episodes(rows: list[list[str]]) -> list[dict]:
    """Sorted by DECOM, an episode continues the child's current period when that period
    is open, or when it starts on or before the period's end and the episode that ends
    last ended X1; otherwise it starts a new period."""
    periods, by_child = [], {}
    episodes = sorted(((r[0], parse_day(r[1]), parse_day(r[7]), r[8], r[3], line)
                       for line, r in enumerate(rows, start=2)), key=lambda e: e[:2] + e[5:])
    for child, start, end, rec, legal, line in episodes:
        current = by_child.get(child)
        if current and (current["open"] or (start <= current["end"] and current["rec"] == "X1")):
            current["open"] |= end is None
            if end is not None and end >= current["end"]:
                current["end"], current["rec"] = end, rec
            current["short"] &= legal in ("V3", "V4")
            current["rows"].append(line)
        else:
            current = by_child[child] = {"child": child, "start": start, "end": end or start,
                                         "open": end is None, "rec": rec,
                                         "short": legal in ("V3", "V4"), "rows": [line]}
            periods.append(current)
    for p in periods:
        p["end"] = None if p["open"] else p["end"]
    return periods


def holding(periods: list[dict], child: str, day: dt.date) -> dict | None:
    """The period of care holding a child's day: the later-started where two do."""
    hold = [p for p in periods if p["child"] == child and p["start"] <= day
            and (p["end"] is None or day <= p["end"])]
    return max(hold, key=lambda p: p["start"]) if hold else None


def chain(items: list[dict], periods: list[dict]) -> None:
    """Number the items held within their periods and set due and on time."""
    for p in periods:
        previous = None
        mine = sorted((i for i in items if i["period"] is p), key=lambda i: i["order"])
        for number, item in enumerate(mine, start=1):
            item["number"] = number
            item["due"] = due_after(number, previous, p["start"], p["short"])
            item["on_time"] = item["held"] <= item["due"]
            previous = item["held"]


def overdue(items: list[dict], periods: list[dict], as_at: dt.date) -> int:
    late = set()
    for p in periods:
        if p["start"] > as_at or (p["end"] is not None and p["end"] <= as_at):
            continue
        held = sorted(i["held"] for i in items if i["period"] is p and i["held"] <= as_at)
        due = due_after(len(held) + 1, held[-1] if held else None, p["start"], p["short"])
        if due < as_at:
            late.add(p["child"])
    return len(late)


def in_year(day) -> bool:
    return day is not None and YEAR_START <= day <= YEAR_END


def view(items: list[dict], periods: list[dict]) -> dict:
    counted = [i for i in items if in_year(i["held"])]
    by = {"first": [i for i in counted if i["number"] == 1],
          "second": [i for i in counted if i["number"] == 2],
          "subsequent": [i for i in counted if i["number"] >= 3]}
    children = {i["child"] for i in counted}
    all_on_time = {c for c in children if all(i["on_time"] for i in counted
                                               if i["child"] == c)}
    on_time = sum(i["on_time"] for i in counted)
    return {"held": len(counted), "on_time": on_time, "late": len(counted) - on_time,
            "by_review": {k: [len(v), sum(i["on_time"] for i in v)] for k, v in by.items()},
            "overdue_not_held": overdue(items, periods, YEAR_END),
            "children_reviewed": len(children), "children_all_on_time": len(all_on_time)}


def figures(periods: list[dict], meetings: list[dict] | None, steps: list[dict],
            period_rows: int, review_rows: int) -> dict:
    """The 2018-19 figures of both views and the accounting of every row."""
    rejected = duplicates = 0
    used: set = set()
    seen_ids, seen_live = set(), set()
    live = []
    for s in steps:
        if s.get("rejected"):
            rejected += 1
            continue
        if s["id"] in seen_ids:
            duplicates += 1
            continue
        seen_ids.add(s["id"])
        if s["status"] != "CANCELLED" and s["review"] is not None:
            if (s["child"], s["review"]) in seen_live:
                duplicates += 1
                continue
            seen_live.add((s["child"], s["review"]))
        if s["status"] != "CANCELLED" and (s["review"] or s["completed"]):
            s["period"] = holding(periods, s["child"], s["review"] or s["completed"])
            if s["period"] is None:
                rejected += 1
                continue
        live.append(s)
    completed = [dict(s, held=s["completed"], order=(s["completed"], s["review"], s["line"]),
                      key=("step", s["line"])) for s in live if s["status"] == "COMPLETED"]
    chain(completed, periods)
    if meetings is None:  # the actual dates are the steps' LAC review dates
        meetings = [dict(s, held=s["review"], order=(s["review"], s["line"]),
                         key=("step", s["line"])) for s in live
                    if s["status"] != "CANCELLED" and s["review"] is not None]
    else:
        kept, seen = [], set()
        for m in meetings:
            if (m["child"], m["held"]) in seen:
                duplicates += 1
                continue
            seen.add((m["child"], m["held"]))
            m["period"] = holding(periods, m["child"], m["held"])
            if m["period"] is None:
                rejected += 1
                continue
            kept.append(m)
        meetings = kept
    chain(meetings, periods)
    actual, system = view(meetings, periods), view(completed, periods)
    system_on_time = {s["line"]: s["on_time"] for s in completed}
    step_of = {(s["child"], s["review"]): s for s in live
               if s["status"] != "CANCELLED" and s["review"] is not None}
    gap = Counter()
    for m in meetings:
        if in_year(m["held"]) and m["on_time"]:
            s = step_of.get((m["child"], m["held"]))
            gap["no_step" if s is None else "step_open" if s["status"] in OPEN else
                "late_in_system" if not system_on_time[s["line"]] else "recorded"] += 1
    apart = Counter()
    for s in live:
        if s["status"] == "CANCELLED" and in_year(s["cancelled"] or s["review"]
                                                  or s["started"]):
            apart["cancelled"] += 1
        elif s["status"] in OPEN and in_year(s["review"]):
            apart["held_not_recorded"] += 1
        elif s["status"] in OPEN and s["review"] is None and in_year(s["started"]):
            apart["open_no_review_date"] += 1
        else:
            continue
        used.add(("step", s["line"]))
    used |= {i["key"] for i in meetings + completed if in_year(i["held"])}
    reach = [p for p in periods if p["start"] <= YEAR_END
             and (p["end"] is None or p["end"] >= YEAR_START)]
    read = len(steps) + period_rows + review_rows
    used_rows = len(used) + sum(len(p["rows"]) for p in reach)
    participation = Counter(m["code"] for m in meetings if in_year(m["held"]))
    return {"actual": actual, "system": system,
            "gap": {k: gap[k] for k in ("late_in_system", "step_open", "no_step")},
            "steps": {k: apart[k] for k in ("cancelled", "held_not_recorded",
                                            "open_no_review_date")},
            "participation": {f"PN{i}": participation[f"PN{i}"] for i in range(8)},
            "periods_of_care": len(periods),
            "rows": {"read": read, "used": used_rows, "rejected": rejected,
                     "duplicates": duplicates,
                     "outside_period": read - used_rows - rejected - duplicates}}


def check() -> dict:
    """Re-read the files and work out both commands' figures; assert them."""
    episodes = read_csv(EPISODES, EPISODE_HEADER)
    reviews = read_csv(REVIEWS, REVIEW_HEADER)
    header = read_csv(HEADER, HEADER_HEADER)
    mosaic_periods = read_csv(PERIODS, PERIOD_HEADER)
    assert len({r[0] for r in header}) == len(header) == CHILDREN
    assert {r[0] for r in episodes} == {r[0] for r in header} == {r[0] for r in mosaic_periods}
    assert 20 <= sum(len(r[2]) == 8 for r in reviews) <= 200, "some two-digit years"

    from_903 = periods_from_episodes(episodes)
    meetings = [{"child": r[0], "held": parse_day(r[2]), "code": r[3],
                 "order": (parse_day(r[2]), line), "key": ("review", line)}
                for line, r in enumerate(reviews, start=2)]
    with_903 = figures(from_903, meetings, read_steps(), len(episodes), len(reviews))

    from_mosaic = []
    for line, r in enumerate(mosaic_periods, start=2):
        from_mosaic.append({"child": r[0], "start": parse_day(r[2]), "end": parse_day(r[3]),
                            "short": r[4] in ("V3", "V4"), "rows": [line]})
    # The same periods, whether made from the episodes or as Mosaic records them.
    assert sorted((p["child"], p["start"], p["end"]) for p in from_903) == \
        sorted((p["child"], p["start"], p["end"]) for p in from_mosaic)
    with_mosaic = figures(from_mosaic, None, read_steps(), len(mosaic_periods), 0)
    found = {"903": with_903, "mosaic": with_mosaic}
    for name in found:  # the story the files tell: the system shows a deficit
        a, s = found[name]["actual"], found[name]["system"]
        assert a["on_time"] / a["held"] > s["on_time"] / s["held"] + 0.1, (name, a, s)
    if FIGURES:
        assert found == FIGURES, found
    return found


def main() -> None:
    rng = random.Random(SEED)
    write_all(rng, build(rng))
    found = check()
    for name, figures_of in found.items():
        print(name, figures_of)


if __name__ == "__main__":
    main()
