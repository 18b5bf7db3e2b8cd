"""Write the synthetic sample inputs for iro-stats and check they reproduce the seed report.

Run from the repository root:

    python sample_data/make_samples.py

It writes, next to itself:

* ``legacy_escalations.csv``  - the pre-Mosaic hand-kept log (cp1252, CRLF)
* ``mosaic_escalations.xlsx`` - a Mosaic "IRO Escalations - workflow steps" export

then re-reads both files, without using anything the generator computed, and
asserts every figure the files are built to reproduce (the tables in
/work/shared/seed/iro-escalations-committee-report-2019.txt, paragraphs 3, 5,
6, 7 and 8). The output is byte-for-byte the same on every run.

Every child, ID and name here is made up: child IDs are random 7-digit
numbers starting with 5, IROs are "IRO A".."IRO H", teams are numbered.
Uses the standard library and openpyxl only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import statistics
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEGACY_PATH = HERE / "legacy_escalations.csv"
MOSAIC_PATH = HERE / "mosaic_escalations.xlsx"

SEED = 20190226  # the committee date
RUN_ON = dt.datetime(2019, 1, 2, 9, 14)
GO_LIVE = dt.date(2018, 11, 19)  # Monday: first day IROs keyed escalations into Mosaic

LEGACY_HEADER = ["Child Ref", "Date Raised", "Reason for Escalation", "IRO Name", "Notes"]
MOSAIC_HEADER = ["Workflow ID", "Person ID", "Escalation Stage", "Start Date",
                 "Completed On", "Reason", "Outcome", "Team", "IRO Name"]
STAGES = ["Informal", "Stage 1 - Team Manager", "Stage 2 - Service Manager",
          "Stage 3 - Head of Service", "Stage 4 - Director"]
MOSAIC_BANNER = "IRO Escalations \u2013 workflow step report"
RUN_ON_TEXT = RUN_ON.strftime("%d/%m/%Y %H:%M")

L_CARE_PLAN = "Incomplete or inadequate care plans"
L_DRIFT = "Drift or delay in care planning"
L_OTHER = "Other"
L_EDUCATION = "Education"
L_MANAGEMENT = "Action and effectiveness of management"
L_PLACEMENT = "Placement concerns"
L_SOCIAL_WORK = "Concerns around social work provision"
L_REVIEW = "Non completion of review decisions"
L_SAFEGUARDING = "Safeguarding concerns including missing episodes, crime related or CSE risk"
LEGACY_LABELS = [L_CARE_PLAN, L_DRIFT, L_OTHER, L_EDUCATION, L_MANAGEMENT,
                 L_PLACEMENT, L_SOCIAL_WORK, L_REVIEW, L_SAFEGUARDING]

# Paragraphs 3, 5 and 6: FY 2017-18, 219 escalations for 193 children.
FY1718_TOTAL = 219
FY1718_CHILDREN = 193
FY1718_REASONS = {
    L_CARE_PLAN: 148, L_DRIFT: 23,
    # The report gives only these two; the other 48 are spread, each at least 2.
    L_OTHER: 14, L_EDUCATION: 8, L_PLACEMENT: 8, L_MANAGEMENT: 7,
    L_SOCIAL_WORK: 6, L_REVIEW: 3, L_SAFEGUARDING: 2,
}
# Paragraph 7: 1 April to 30 November 2018, pre Mosaic.
APR_NOV_2018_REASONS = {
    L_CARE_PLAN: 38, L_DRIFT: 23, L_OTHER: 13, L_EDUCATION: 8, L_MANAGEMENT: 8,
    L_PLACEMENT: 7, L_SOCIAL_WORK: 4, L_REVIEW: 1, L_SAFEGUARDING: 1,
}
APR_NOV_2018_CHILDREN = 90
# Paragraph 8: Mosaic, 19 November to 31 December 2018.
MOSAIC_REASONS = {
    "Inadequate care plan": 19, "Care plan delay": 7, "Other": 6, "Social work": 3,
    "Education": 3, "Follow-up actions": 2, "Safeguarding": 1, "Placement": 1,
    "Health": 1, "18+ planning": 1,
}
# Legacy label -> Mosaic label, for the labels a cross-system pair may carry.
PAIR_CROSSWALK = {
    L_CARE_PLAN: "Inadequate care plan", L_DRIFT: "Care plan delay",
    L_SOCIAL_WORK: "Social work", L_EDUCATION: "Education",
    L_PLACEMENT: "Placement", L_OTHER: "Other",
}
HIGHEST_STAGE = {0: 9, 1: 21, 2: 9, 3: 4, 4: 1}
RESOLVED, OPEN, OPEN_RAISED_IN_NOVEMBER = 34, 10, 5
MOSAIC_CHILDREN = 40
# Labels in neither source's vocabulary nor the crosswalk, one per source, raised on the
# day the Mosaic report was run: after every table of the seed report, so no figure of
# it moves, and inside the financial year 2018-19, so the README's examples meet them.
L_UNLISTED = "Contact arrangements"
M_UNLISTED = "Family time"
UNLISTED_DAY = dt.date(2019, 1, 2)
LEGACY_DATA_ROWS = 219 + 103 + 2 + 1  # + one exact repeat, one impossible date, one unlisted
IMPOSSIBLE_DATE = "31/02/2018"

IROS = [f"IRO {c}" for c in "ABCDEFGH"]
TEAMS = ["Looked After Children 1", "Looked After Children 2", "Looked After Children 3",
         "Looked After Children 4", "Leaving Care 1", "Leaving Care 2"]
OUTCOMES = ["Resolved", "Plan updated", "Agreed action"]

# Notes that only cp1252 (not ASCII, not Latin-1) can carry: ’ “ ” – and £.
CP1252_NOTES = [
    "IRO\u2019s view \u2013 plan to be updated",
    "Placement cost \u00a31,200 \u201cagreed\u201d",
    "SW\u2019s manager to respond \u2013 chased",
    "\u201cPlan not on file\u201d \u2013 raised with TM",
    "Respite at \u00a3350 per week \u2013 not agreed",
    "Child\u2019s views not recorded",
    "Escalated to SM \u2013 \u201cno response\u201d",
    "Education plan \u2013 PEP overdue",
    "\u00a32,400 tuition funding \u2013 awaiting decision",
    "Carer\u2019s concerns noted \u2013 review brought forward",
]
PLAIN_NOTES = [
    "Resolved with TM", "Chased by email", "Discussed at supervision",
    "Awaiting updated plan", "Plan received, closed", "Verbal agreement, to be confirmed",
]

# England and Wales bank holidays in the span of the data.
BANK_HOLIDAYS = {dt.date(*d) for d in [
    (2017, 4, 14), (2017, 4, 17), (2017, 5, 1), (2017, 5, 29), (2017, 8, 28),
    (2017, 12, 25), (2017, 12, 26), (2018, 1, 1), (2018, 3, 30), (2018, 4, 2),
    (2018, 5, 7), (2018, 5, 28), (2018, 8, 27), (2018, 12, 25), (2018, 12, 26),
    (2019, 1, 1),
]}


def is_working_day(d: dt.date) -> bool:
    """True for Monday-Friday dates that are not bank holidays."""
    return d.weekday() < 5 and d not in BANK_HOLIDAYS


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Working days from first to last inclusive."""
    out, d = [], first
    while d <= last:
        if is_working_day(d):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after start up to and including end."""
    return len(working_days(start + dt.timedelta(days=1), end))


def dmy(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------- generation

def spread_dates(rng: random.Random, k: int, days: list[dt.date],
                 taken: list[dt.date], min_gap: int = 14) -> list[dt.date]:
    """k dates from days, at least min_gap days from each other and from taken."""
    for _ in range(10_000):
        picked = sorted(rng.sample(days, k))
        chosen = picked + taken
        if all(abs((a - b).days) >= min_gap
               for i, a in enumerate(chosen) for b in chosen[i + 1:]):
            return picked
    raise RuntimeError("could not space a child's escalations")


def note_for(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.10:
        return rng.choice(CP1252_NOTES)
    if roll < 0.25:
        return rng.choice(PLAIN_NOTES)
    return ""


def build(rng: random.Random):
    """Return (legacy rows as lists of text, mosaic escalations as dicts)."""
    ids = rng.sample(range(5_000_000, 6_000_000), 400)
    iro_of: dict[int, str] = {}

    def iro(child: int) -> str:
        # A child keeps the same IRO across both logs.
        if child not in iro_of:
            iro_of[child] = rng.choice(IROS)
        return iro_of[child]

    dates_of: dict[int, list[dt.date]] = defaultdict(list)

    # --- legacy FY 2017-18: 169 children once, 22 twice, 2 three times.
    fy_days = working_days(dt.date(2017, 4, 1), dt.date(2018, 3, 31))
    fy_children = ids[:FY1718_CHILDREN]
    times = [2] * 22 + [3] * 2 + [1] * (FY1718_CHILDREN - 24)
    fy_rows = []
    for child, k in zip(fy_children, times):
        for d in spread_dates(rng, k, fy_days, dates_of[child]):
            dates_of[child].append(d)
            fy_rows.append([child, d])
    fy_rows.sort(key=lambda r: (r[1], r[0]))
    reasons = [label for label, n in FY1718_REASONS.items() for _ in range(n)]
    rng.shuffle(reasons)
    for row, reason in zip(fy_rows, reasons):
        row += [reason, iro(row[0]), note_for(rng)]
    assert len(fy_rows) == FY1718_TOTAL

    # --- Mosaic escalation plan. Tuples: (tag, start stage, highest stage, open).
    # P = also keyed into the legacy log (single stage so any matching rule agrees).
    plan_nov = [
        ("P1", 1, 1, False), ("P2", 0, 0, False), ("P3", 1, 1, True),
        ("P4", 0, 0, False), ("P5", 1, 1, False),
        ("N", 1, 4, False), ("N", 0, 3, True), ("N", 1, 3, False),
        ("N", 0, 2, True), ("N", 1, 2, False), ("N", 0, 1, True), ("N", 1, 1, True),
    ]
    plan_dec = ([(None, 0, 0, False)] * 6 + [(None, None, 1, False)] * 14
                + [(None, None, 2, False)] * 6 + [(None, 1, 3, False)]
                + [(None, 0, 0, True)] + [(None, None, 1, True)] * 2
                + [(None, None, 2, True)] + [(None, None, 3, True)])
    pair_reasons = {  # tag -> (legacy label, legacy date offset in days from Mosaic)
        "P1": (L_CARE_PLAN, 0), "P2": (L_DRIFT, 0), "P3": (L_SOCIAL_WORK, 0),
        "P4": (L_PLACEMENT, 0), "P5": (L_EDUCATION, -1),
    }
    last_day = RUN_ON.date()
    nov_days = working_days(GO_LIVE, dt.date(2018, 11, 30))
    early_nov = working_days(GO_LIVE, dt.date(2018, 11, 23))  # > 20 working days by run date
    dec_days = working_days(dt.date(2018, 12, 1), dt.date(2018, 12, 31))
    late_dec = working_days(dt.date(2018, 12, 10), dt.date(2018, 12, 31))  # < 20 working days

    def stage_dates(start: int, highest: int, is_open: bool, window: list[dt.date]):
        for _ in range(100_000):
            raised = rng.choice(window)
            rows, begin = [], raised
            for stage in range(start, highest + 1):
                if stage == highest and is_open:
                    rows.append((stage, begin, None))
                    break
                end = begin + dt.timedelta(days=rng.randint(1, 15))
                if not is_working_day(end) or end > last_day:
                    break
                rows.append((stage, begin, end))
                begin = end
            if len(rows) == highest - start + 1:
                return rows
        raise RuntimeError("could not date an escalation")

    mosaic_reasons = [label for label, n in MOSAIC_REASONS.items() for _ in range(n)]
    for legacy_label, _ in pair_reasons.values():
        mosaic_reasons.remove(PAIR_CROSSWALK[legacy_label])
    rng.shuffle(mosaic_reasons)

    escalations = []
    for tag, start, highest, is_open in plan_nov + plan_dec:
        if start is None:
            start = rng.choice([0, 1])
        in_nov = tag is not None
        if in_nov:
            window = early_nov if is_open else nov_days
            if tag == "P5":  # the legacy copy is one day earlier, so raised Tue-Fri
                window = [d for d in window if is_working_day(d - dt.timedelta(days=1))
                          and d - dt.timedelta(days=1) >= GO_LIVE]
        else:
            window = late_dec if is_open else dec_days
        stages = stage_dates(start, highest, is_open, window)
        reason = (PAIR_CROSSWALK[pair_reasons[tag][0]] if tag and tag.startswith("P")
                  else mosaic_reasons.pop())
        escalations.append({"tag": tag, "stages": stages, "reason": reason,
                            "open": is_open, "raised": stages[0][1]})
    assert not mosaic_reasons

    # --- Mosaic children: 5 shared with the legacy log, 31 once, 4 twice.
    next_id = iter(ids[FY1718_CHILDREN:])
    for esc in escalations:
        if esc["tag"] and esc["tag"].startswith("P"):
            esc["child"] = next(next_id)
    others = [e for e in escalations if "child" not in e]
    for _ in range(10_000):
        firsts = rng.sample(others, 4)
        seconds = rng.sample([e for e in others if e not in firsts], 4)
        # A child's second escalation comes after the first was resolved.
        if all(not a["open"] and (b["raised"] - a["stages"][-1][2]).days >= 7
               for a, b in zip(firsts, seconds)):
            break
    else:
        raise RuntimeError("could not give four children two escalations")
    for a, b in zip(firsts, seconds):
        a["child"] = b["child"] = next(next_id)
    for esc in others:
        if "child" not in esc:
            esc["child"] = next(next_id)
    team_of: dict[int, str] = {}
    for esc in escalations:
        team_of.setdefault(esc["child"], rng.choice(TEAMS))
        esc["team"] = team_of[esc["child"]]
        esc["iro"] = iro(esc["child"])
    mosaic_children = {e["child"] for e in escalations}

    # --- legacy 1 Apr - 30 Nov 2018: 103 rows, 90 children.
    pre_days = working_days(dt.date(2018, 4, 1), GO_LIVE - dt.timedelta(days=1))
    post_days = working_days(GO_LIVE, dt.date(2018, 11, 30))
    pair_rows = []
    for esc in escalations:
        if esc["tag"] and esc["tag"].startswith("P"):
            label, offset = pair_reasons[esc["tag"]]
            d = esc["raised"] + dt.timedelta(days=offset)
            dates_of[esc["child"]].append(d)
            pair_rows.append([esc["child"], d, label, esc["iro"], note_for(rng)])
    # 85 other children: 16 carried over from 2017-18, 69 new; 13 of them twice.
    carried = rng.sample(fy_children, 16)
    new = [next(next_id) for _ in range(69)]
    assert not (set(new) & mosaic_children)
    others85 = carried + new
    rng.shuffle(others85)
    twice = set(others85[:13])
    # Four children not on Mosaic have a row after go-live (two of them twice).
    late = others85[11:15]
    slots = []  # (child, is the post-go-live row)
    for child in others85:
        k = 2 if child in twice else 1
        if child in late:
            earlier = spread_dates(rng, k - 1, pre_days, dates_of[child]) if k == 2 else []
            dates_of[child] += earlier
            after = spread_dates(rng, 1, post_days, dates_of[child])
            dates_of[child] += after
            slots += [(child, d) for d in earlier + after]
        else:
            ds = spread_dates(rng, k, pre_days, dates_of[child])
            dates_of[child] += ds
            slots += [(child, d) for d in ds]
    reasons = [label for label, n in APR_NOV_2018_REASONS.items() for _ in range(n)]
    for row in pair_rows:
        reasons.remove(row[2])
    rng.shuffle(reasons)
    slots.sort(key=lambda s: (s[1], s[0]))
    y2_rows = [[c, d, r, iro(c), note_for(rng)] for (c, d), r in zip(slots, reasons)]
    y2_rows += pair_rows
    y2_rows.sort(key=lambda r: (r[1], r[0]))
    assert len(y2_rows) == 103

    # --- a hand-kept log: a few neighbours keyed out of order.
    for rows, n in ((fy_rows, 4), (y2_rows, 2)):
        for i in rng.sample(range(1, len(rows) - 12), n):
            if 0 < (rows[i][1] - rows[i - 1][1]).days <= 5:
                rows[i - 1], rows[i] = rows[i], rows[i - 1]
    legacy = [[str(c), dmy(d), r, who, note] for c, d, r, who, note in fy_rows + y2_rows]

    # An impossible date, keyed in among the February 2018 rows.
    feb_end = max(i for i, r in enumerate(fy_rows) if r[1] <= dt.date(2018, 2, 28))
    bad_child = next(next_id)
    legacy.insert(feb_end + 1, [str(bad_child), IMPOSSIBLE_DATE, L_EDUCATION,
                                iro(bad_child), "Date to be checked"])
    # An exact repeat of an October 2017 row, keyed again a few rows later.
    oct_rows = [i for i, r in enumerate(fy_rows) if r[1].month == 10 and r[2] == L_CARE_PLAN]
    original = rng.choice(oct_rows[:-12])
    legacy.insert(original + rng.randint(6, 11), list(legacy[original]))

    # The unlisted labels, last of all and without the generator (so no other row moves):
    # a child who appears nowhere else in each file, an escalation still open.
    legacy.append([str(next(next_id)), dmy(UNLISTED_DAY), L_UNLISTED, "IRO C", ""])
    escalations.append({"tag": None, "stages": [(0, UNLISTED_DAY, None)],
                        "reason": M_UNLISTED, "open": True, "raised": UNLISTED_DAY,
                        "child": next(next_id), "team": TEAMS[4], "iro": "IRO C",
                        "unlisted": True})
    return legacy, escalations


def write_legacy(rows: list[list[str]]) -> None:
    with open(LEGACY_PATH, "w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(LEGACY_HEADER)
        writer.writerows(rows)


def write_mosaic(escalations: list[dict], rng: random.Random) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    # Workflow IDs rise with the date raised, with gaps for other workflows.
    wf = 100231
    for esc in sorted(escalations, key=lambda e: (e["raised"], e["child"])):
        if esc.get("unlisted"):  # numbered after the others, without the generator
            continue
        esc["workflow"] = f"WF-{wf}"
        wf += rng.randint(3, 40)
    for esc in escalations:
        if esc.get("unlisted"):
            esc["workflow"] = f"WF-{wf}"
    rows = []
    for esc in escalations:
        highest = esc["stages"][-1][0]
        for stage, start, end in esc["stages"]:
            if end is None:
                outcome = None
            elif stage < highest:
                outcome = "Escalated"
            else:
                outcome = rng.choice(OUTCOMES)
            rows.append([esc["workflow"], esc["child"], STAGES[stage], start, end,
                         esc["reason"], outcome, esc["team"], esc["iro"]])
    # The report lists steps by start date, so one escalation's stages are apart.
    rows.sort(key=lambda r: (r[3], r[0], STAGES.index(r[2])))

    wb = Workbook()
    params = wb.active
    params.title = "Parameters"
    for pair in [("Report", "IRO Escalations - workflow steps"), ("Run by", "QA Unit"),
                 ("Run on", RUN_ON_TEXT), ("Date from", "19/11/2018"),
                 ("Date to", "02/01/2019")]:
        params.append(pair)
    params.column_dimensions["A"].width = 12
    params.column_dimensions["B"].width = 36

    ws = wb.create_sheet("IRO Escalations")
    ws.append([MOSAIC_BANNER])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"Run on {RUN_ON_TEXT}"])
    ws.append([])
    ws.append(MOSAIC_HEADER)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row][3:5]:
            if cell.value is not None:
                cell.number_format = "dd/mm/yyyy"
    ws.append([])
    ws.append([f"Total rows: {len(rows)}"])
    for col, width in zip("ABCDEFGHI", [12, 11, 27, 12, 13, 22, 14, 25, 10]):
        ws.column_dimensions[col].width = width

    wb.properties.creator = "QA Unit"
    wb.properties.created = RUN_ON
    wb.properties.modified = RUN_ON
    # openpyxl's save() stamps "modified" with the clock, and zipfile stamps each
    # member with the clock; write through ExcelWriter and re-zip with fixed times.
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(MOSAIC_PATH, "w") as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=RUN_ON.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(name))


# ---------------------------------------------------------------- self-check

def parse_dmy(text: str) -> dt.date | None:
    """Day-first date, or None when the text is not a real date."""
    m = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
    if not m:
        return None
    try:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None


def check() -> dict:
    """Re-read both written files and assert every figure; return the figures."""
    from openpyxl import load_workbook

    figures: dict = {}
    # ---------------- legacy log
    raw = LEGACY_PATH.read_bytes()
    try:
        raw.decode("utf-8")
        raise AssertionError("legacy log should not be valid UTF-8")
    except UnicodeDecodeError:
        pass
    assert raw.count(b"\n") == raw.count(b"\r\n"), "every line ends CRLF"
    with open(LEGACY_PATH, encoding="cp1252", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == LEGACY_HEADER, table[0]
    data = table[1:]
    assert len(data) == LEGACY_DATA_ROWS, len(data)
    figures["legacy data rows"] = len(data)
    assert all(len(r) == 5 for r in data)
    assert all(re.fullmatch(r"5\d{6}", r[0]) for r in data)
    assert all(r[3] in IROS for r in data)
    assert {r[2] for r in data} == set(LEGACY_LABELS) | {L_UNLISTED}

    bad = [r for r in data if parse_dmy(r[1]) is None]
    assert len(bad) == 1 and bad[0][1] == IMPOSSIBLE_DATE and bad[0][2] == L_EDUCATION, bad
    seen: dict[tuple, int] = {}
    repeats = []
    for i, r in enumerate(data):
        if tuple(r) in seen:
            repeats.append((seen[tuple(r)], i))
        else:
            seen[tuple(r)] = i
    assert len(repeats) == 1, repeats
    first, again = repeats[0]
    assert first < again
    figures["exact repeat"] = data[again]
    dup_date = parse_dmy(data[again][1])
    assert dt.date(2017, 4, 1) <= dup_date <= dt.date(2018, 3, 31)
    used = [(r[0], parse_dmy(r[1]), r[2]) for i, r in enumerate(data)
            if i != again and parse_dmy(r[1]) is not None]
    assert len(used) == 323
    assert len({(c, d) for c, d, _ in used}) == len(used), "child+date unique once repeat removed"
    day_le_12 = sum(1 for _, d, _ in used if d.day <= 12 and d.day != d.month)
    assert day_le_12 >= 100
    figures["legacy rows with day <= 12 (ambiguous if read month-first)"] = day_le_12
    fancy = sum(1 for r in data if any(ch in r[4] for ch in "\u2019\u201c\u201d\u2013\u00a3"))
    assert 25 <= fancy <= 45, fancy
    figures["legacy rows with cp1252-only characters in Notes"] = fancy

    fy = [u for u in used if dt.date(2017, 4, 1) <= u[1] <= dt.date(2018, 3, 31)]
    assert len(fy) == FY1718_TOTAL
    assert Counter(r for _, _, r in fy) == Counter(FY1718_REASONS)
    assert min(FY1718_REASONS[label] for label in LEGACY_LABELS[2:]) >= 2
    per_child = Counter(c for c, _, _ in fy)
    assert len(per_child) == FY1718_CHILDREN
    assert Counter(per_child.values()) == {1: 169, 2: 22, 3: 2}
    figures["FY 2017-18"] = {"escalations": len(fy), "children": len(per_child),
                             "reasons": dict(Counter(r for _, _, r in fy).most_common())}

    y2 = [u for u in used if dt.date(2018, 4, 1) <= u[1] <= dt.date(2018, 11, 30)]
    assert len(y2) == 103
    assert Counter(r for _, _, r in y2) == Counter(APR_NOV_2018_REASONS)
    y2_children = {c for c, _, _ in y2}
    assert len(y2_children) == APR_NOV_2018_CHILDREN
    carried = y2_children & {c for c, _, _ in fy}
    assert len(carried) == 16
    unlisted = [u for u in used if u[2] == L_UNLISTED]
    assert [(d, r) for _, d, r in unlisted] == [(UNLISTED_DAY, L_UNLISTED)], unlisted
    assert sum(1 for c, _, _ in used if c == unlisted[0][0]) == 1
    assert len(fy) + len(y2) + 1 == len(used), "no other used row outside the two periods"
    figures["legacy unlisted label"] = f"{L_UNLISTED!r} on {UNLISTED_DAY:%d/%m/%Y}"
    post = [u for u in y2 if u[1] >= GO_LIVE]
    assert len(post) == 9
    figures["Apr-Nov 2018"] = {"escalations": len(y2), "children": len(y2_children),
                               "children also in 2017-18": len(carried),
                               "raised on/after go-live": len(post),
                               "reasons": dict(Counter(r for _, _, r in y2).most_common())}

    # ---------------- Mosaic export
    assert MOSAIC_PATH.read_bytes()[:2] == b"PK"
    wb = load_workbook(MOSAIC_PATH)
    assert wb.sheetnames == ["Parameters", "IRO Escalations"]
    assert wb.properties.created == RUN_ON and wb.properties.modified == RUN_ON
    params = {r[0]: r[1] for r in wb["Parameters"].iter_rows(values_only=True)}
    assert params == {"Report": "IRO Escalations - workflow steps", "Run by": "QA Unit",
                      "Run on": "02/01/2019 09:14", "Date from": "19/11/2018",
                      "Date to": "02/01/2019"}, params
    ws = wb["IRO Escalations"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == MOSAIC_BANNER and rows[1][0] == "Run on 02/01/2019 09:14"
    assert all(v is None for v in rows[2])
    assert list(rows[3]) == MOSAIC_HEADER
    end = next(i for i in range(4, len(rows)) if all(v is None for v in rows[i]))
    steps = rows[4:end]
    footer = rows[end + 1:]
    assert len(footer) == 1 and footer[0][0] == f"Total rows: {len(steps)}"
    assert all(v is None for v in footer[0][1:])
    figures["Mosaic stage rows (footer N)"] = len(steps)
    for i in range(5, 5 + len(steps)):
        assert ws.cell(i, 4).number_format == "dd/mm/yyyy"
        assert ws.cell(i, 2).data_type == "n"

    by_wf: dict[str, list] = defaultdict(list)
    for wf, person, stage, start, done, reason, outcome, team, who in steps:
        assert re.fullmatch(r"WF-\d{6}", wf) and isinstance(person, int)
        assert 5_000_000 <= person <= 5_999_999 and team in TEAMS and who in IROS
        assert isinstance(start, dt.datetime) and (done is None or isinstance(done, dt.datetime))
        start = start.date()
        done = done.date() if done else None
        assert start <= RUN_ON.date() and (done is None or done <= RUN_ON.date())
        by_wf[wf].append((STAGES.index(stage), start, done, person, reason, outcome))
    assert len(by_wf) == 45
    escalations = []
    for wf, st in by_wf.items():
        st.sort()
        assert len({s[3] for s in st}) == 1 and len({s[4] for s in st}) == 1
        assert st[0][0] in (0, 1)
        assert [s[0] for s in st] == list(range(st[0][0], st[0][0] + len(st)))
        for lower, upper in zip(st, st[1:]):
            assert lower[2] == upper[1] and lower[5] == "Escalated"
        for s in st:
            if s[2] is not None:
                assert 1 <= (s[2] - s[1]).days <= 15
        top = st[-1]
        assert all(s[2] is not None for s in st[:-1])
        assert (top[5] is None) if top[2] is None else (top[5] in OUTCOMES)
        escalations.append({"wf": wf, "child": top[3], "reason": top[4], "raised": st[0][1],
                            "highest": top[0], "closed": top[2]})
    extra = [e for e in escalations if e["reason"] == M_UNLISTED]
    assert [(e["raised"], e["highest"], e["closed"]) for e in extra] == \
        [(UNLISTED_DAY, 0, None)], extra
    assert sum(1 for e in escalations if e["child"] == extra[0]["child"]) == 1
    figures["Mosaic unlisted label"] = f"{M_UNLISTED!r} on {UNLISTED_DAY:%d/%m/%Y}, open"
    # Every figure below is of the escalations raised 19 November to 31 December 2018.
    escalations = [e for e in escalations if e["raised"] <= dt.date(2018, 12, 31)]
    assert len(escalations) == 44
    assert Counter(e["reason"] for e in escalations) == Counter(MOSAIC_REASONS)
    assert all(GO_LIVE <= e["raised"] <= dt.date(2018, 12, 31) for e in escalations)
    nov = [e for e in escalations if e["raised"].month == 11]
    assert len(nov) == 12 and len(escalations) - len(nov) == 32
    assert Counter(e["highest"] for e in escalations) == Counter(HIGHEST_STAGE)
    resolved = [e for e in escalations if e["closed"]]
    still_open = [e for e in escalations if not e["closed"]]
    assert len(resolved) == RESOLVED and len(still_open) == OPEN
    open_nov = [e for e in still_open if e["raised"].month == 11]
    assert len(open_nov) == OPEN_RAISED_IN_NOVEMBER
    over_20 = [e for e in still_open if working_days_between(e["raised"], RUN_ON.date()) > 20]
    # However weekends/bank holidays are counted, only the November ones are past 20.
    assert all(working_days_between(e["raised"], RUN_ON.date()) >= 24 for e in open_nov)
    assert all((RUN_ON.date() - e["raised"]).days <= 23 for e in still_open if e not in open_nov)
    children = Counter(e["child"] for e in escalations)
    assert len(children) == MOSAIC_CHILDREN and Counter(children.values()) == {1: 36, 2: 4}
    days = [(e["closed"] - e["raised"]).days for e in resolved]
    figures["Mosaic"] = {
        "escalations": len(escalations), "raised in November": len(nov),
        "raised in December": len(escalations) - len(nov),
        "reasons": dict(Counter(e["reason"] for e in escalations).most_common()),
        "highest stage": dict(sorted(Counter(e["highest"] for e in escalations).items())),
        "resolved": len(resolved), "open": len(still_open),
        "open raised in November": len(open_nov),
        "open > 20 working days at run date": len(over_20),
        "children": len(children), "children with two escalations": 4,
        "median calendar days raised->resolved": statistics.median(days),
        "mean calendar days raised->resolved": round(statistics.mean(days), 2),
    }

    # ---------------- cross-system pairs: same child, dates within a window
    step_dates = defaultdict(set)
    for wf, person, stage, start, done, *_ in steps:
        step_dates[person].add(start.date())

    def pairs(window: int, on_steps: bool = False) -> list:
        found = []
        for c, d, r in used:
            for e in escalations:
                if str(e["child"]) != c:
                    continue
                when = step_dates[e["child"]] if on_steps else {e["raised"]}
                if any(abs((m - d).days) <= window for m in when):
                    found.append((c, d, e["raised"], r, e["reason"]))
        return found

    counts = {w: len(pairs(w)) for w in range(0, 4)}
    assert counts == {0: 4, 1: 5, 2: 5, 3: 5}, counts
    assert {w: len(pairs(w, on_steps=True)) for w in range(0, 4)} == counts
    found = pairs(1)
    for c, d, m, lr, mr in found:
        assert PAIR_CROSSWALK[lr] == mr and d >= GO_LIVE
    assert sorted((m - d).days for c, d, m, *_ in found) == [0, 0, 0, 0, 1]
    shared = {int(c) for c, *_ in found}
    assert shared == {int(c) for c, _, _ in used} & set(children)
    figures["pairs by window (days)"] = counts
    figures["pairs"] = [
        {"child": c, "legacy date": d.isoformat(), "mosaic date": m.isoformat(),
         "legacy label": lr, "mosaic label": mr} for c, d, m, lr, mr in sorted(found, key=lambda p: p[1])]
    return figures


def main() -> None:
    rng = random.Random(SEED)
    legacy, escalations = build(rng)
    write_legacy(legacy)
    write_mosaic(escalations, rng)
    figures = check()
    for key, value in figures.items():
        if isinstance(value, list):
            print(f"{key}:")
            for item in value:
                print(f"  {item}")
        else:
            print(f"{key}: {value}")
    print("self-check passed")


if __name__ == "__main__":
    main()
