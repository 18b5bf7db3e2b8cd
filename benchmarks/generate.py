"""Synthetic Mosaic-style extracts for the benchmark, made with a fixed seed.

One row per escalation stage, as Mosaic's "IRO Escalations - workflow steps" report
exports them: Workflow ID, Person ID, Escalation Stage, Start Date, Completed On, Reason,
Outcome, Team, IRO Name; dates day first (dd/mm/yyyy); the 10 Mosaic reason labels.
Escalations start between 1 April 2015 and 31 March 2025 (ten financial years), each
goes through 1-5 stages, each stage lasting 1-15 days, and the next stage starts the day
the last one is completed; about one in twelve is still open at its last stage.

A second shape (`make_rows(..., shape="single")`) has most escalations with a single
stage: about 800,000 distinct Workflow IDs and 300,000 children in 1,000,000 rows, and 7
columns (no Outcome, no IRO Name), so that grouping and duplicate finding are timed
where nearly every ID is distinct.

Every file also holds rows that must be reported but never counted, so the benchmark
times the validation a council's extract needs: exact repeats of earlier rows
(duplicates) and escalations whose Start Date is an impossible day like 31/02/2019
(rejected). `expected()` says what a correct report finds, so the benchmark checks the
answer as well as the time.

All synthetic: Person IDs are random 7-digit numbers starting with 5.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SEED = 20190226
HEADER = ["Workflow ID", "Person ID", "Escalation Stage", "Start Date", "Completed On",
          "Reason", "Outcome", "Team", "IRO Name"]
STAGES = ["Informal", "Stage 1 - Team Manager", "Stage 2 - Service Manager",
          "Stage 3 - Head of Service", "Stage 4 - Director"]
REASONS = ["Inadequate care plan", "Care plan delay", "Other", "Social work", "Education",
           "Follow-up actions", "Safeguarding", "Placement", "Health", "18+ planning"]
REASON_WEIGHTS = [0.40, 0.16, 0.12, 0.08, 0.07, 0.05, 0.04, 0.04, 0.02, 0.02]
TEAMS = ["Looked After Children 1", "Looked After Children 2", "Looked After Children 3",
         "Looked After Children 4", "Leaving Care 1", "Leaving Care 2"]
IROS = [f"IRO {c}" for c in "ABCDEFGH"]
OUTCOMES_DONE = ["Resolved", "Agreed action", "Plan updated"]
FIRST_DAY = dt.date(2015, 4, 1)
DAYS = (dt.date(2025, 3, 31) - FIRST_DAY).days + 1
DUPLICATE_SHARE = 0.001  # one row in a thousand is an exact repeat of an earlier row
IMPOSSIBLE_SHARE = 0.0001  # one in ten thousand is an escalation raised on 31/02


# shape -> (chance of 1..5 stages, children per escalation, columns left out)
SHAPES = {
    "stages": ([0.45, 0.30, 0.15, 0.07, 0.03], 0.55, ()),
    "single": ([0.80, 0.15, 0.04, 0.01, 0.00], 0.415, ("Outcome", "IRO Name")),
}


@dataclass
class Truth:
    """What a correct reading of a generated file finds."""

    rows: int
    duplicates: int
    rejected: int
    escalations: int  # valid escalations, all periods
    # per financial year start ("2020") -> {"escalations", "children", "used_rows", reasons}
    years: dict[str, dict] = field(default_factory=dict)


def financial_year(day: "np.ndarray") -> "np.ndarray":
    """Return the financial year (its first calendar year) of each day number."""
    import numpy as np

    dates = np.datetime64(FIRST_DAY) + day.astype("timedelta64[D]")
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    months = dates.astype("datetime64[M]").astype(int) % 12 + 1
    return np.where(months >= 4, years, years - 1)


def make_rows(n_rows: int, seed: int = SEED, shape: str = "stages"):
    """Return (a DataFrame of exactly n_rows extract rows in Start Date order, Truth)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n_dup = int(n_rows * DUPLICATE_SHARE)
    n_bad = int(n_rows * IMPOSSIBLE_SHARE)
    n_good = n_rows - n_dup - n_bad

    # Escalations: how many stages each reaches, from which stage it starts.
    stage_chances, children_share, left_out = SHAPES[shape]
    per_esc = rng.choice([1, 2, 3, 4, 5], size=n_good, p=stage_chances)
    ends = np.cumsum(per_esc)
    n_esc = int(np.searchsorted(ends, n_good) + 1)
    per_esc = per_esc[:n_esc].copy()
    per_esc[-1] -= int(ends[n_esc - 1] - n_good)
    first_stage = np.where(rng.random(n_esc) < 0.25, 1, 0)  # a quarter skip "Informal"
    per_esc = np.minimum(per_esc, 5 - first_stage)
    short = n_good - int(per_esc.sum())
    while short > 0:  # top up escalations that lost a stage to the cap
        room = np.flatnonzero(per_esc < 5 - first_stage)[:short]
        per_esc[room] += 1
        short -= len(room)
    start_day = rng.integers(0, DAYS, size=n_esc)
    n_children = max(1, int(n_esc * children_share))
    children = rng.choice(np.arange(5_000_000, 6_000_000), size=n_children, replace=False)
    child = children[rng.integers(0, n_children, size=n_esc)]
    reason = rng.choice(len(REASONS), size=n_esc, p=REASON_WEIGHTS)
    team = rng.integers(0, len(TEAMS), size=n_esc)
    iro = rng.integers(0, len(IROS), size=n_esc)
    open_last = rng.random(n_esc) < 0.08

    # Stage rows.
    esc = np.repeat(np.arange(n_esc), per_esc)
    first_rows = np.cumsum(per_esc) - per_esc
    offset = np.arange(n_good) - np.repeat(first_rows, per_esc)
    stage = first_stage[esc] + offset
    length = rng.integers(1, 16, size=n_good)
    # Start of each stage: the escalation's start plus the lengths of its earlier stages.
    run = np.cumsum(length) - length
    base = np.repeat(run[first_rows], per_esc)
    start = start_day[esc] + (run - base)
    last = offset == per_esc[esc] - 1
    still_open = last & open_last[esc]
    outcome_done = rng.integers(0, len(OUTCOMES_DONE), size=n_good)

    date_text = pd.date_range(FIRST_DAY, periods=DAYS + 5 * 16, freq="D") \
        .strftime("%d/%m/%Y").to_numpy(dtype=object)
    frame = pd.DataFrame({
        "Workflow ID": pd.Series(esc + 100_000).map("WF-{}".format),
        "Person ID": child[esc].astype(str),
        "Escalation Stage": np.asarray(STAGES, dtype=object)[stage],
        "Start Date": date_text[start],
        "Completed On": np.where(still_open, "", date_text[start + length]),
        "Reason": np.asarray(REASONS, dtype=object)[reason[esc]],
        "Outcome": np.where(still_open, "", np.where(
            last, np.asarray(OUTCOMES_DONE, dtype=object)[outcome_done], "Escalated")),
        "Team": np.asarray(TEAMS, dtype=object)[team[esc]],
        "IRO Name": np.asarray(IROS, dtype=object)[iro[esc]],
    })
    frame["_day"] = start

    # The truth, before anomalies: reason and period from each escalation's first stage.
    fy = financial_year(start_day)
    truth = Truth(rows=n_rows, duplicates=n_dup, rejected=n_bad, escalations=n_esc)
    rows_per_year = pd.Series(per_esc).groupby(fy).sum()
    for year in np.unique(fy):
        chosen = fy == year
        counts = pd.Series(np.asarray(REASONS)[reason[chosen]]).value_counts()
        truth.years[str(int(year))] = {
            "escalations": int(chosen.sum()),
            "children": int(pd.Series(child[chosen]).nunique()),
            "used_rows": int(rows_per_year[year]),
            "reasons": {k: int(v) for k, v in counts.items()},
        }

    # Anomalies: exact repeats of earlier rows, and one-row escalations raised on 31/02.
    dups = frame.iloc[rng.integers(0, n_good, size=n_dup)].copy()
    dups["_day"] = dups["_day"] + 1  # typed again the next day: sorts after the original
    bad_year = rng.integers(2016, 2025, size=n_bad)
    bad = pd.DataFrame({
        "Workflow ID": [f"WF-{9_000_000 + i}" for i in range(n_bad)],
        "Person ID": rng.choice(children, size=n_bad).astype(str),
        "Escalation Stage": "Informal",
        "Start Date": [f"31/02/{y}" for y in bad_year],
        "Completed On": "",
        "Reason": np.asarray(REASONS, dtype=object)[rng.integers(0, 10, size=n_bad)],
        "Outcome": "",
        "Team": TEAMS[0],
        "IRO Name": IROS[0],
        "_day": (np.datetime64("2016-03-01") - np.datetime64(FIRST_DAY)).astype(int)
        + (bad_year - 2016) * 365,
    })
    frame = pd.concat([frame, dups, bad], ignore_index=True)
    frame = frame.sort_values("_day", kind="stable").drop(columns=["_day", *left_out]) \
        .reset_index(drop=True)
    assert len(frame) == n_rows
    return frame, truth


def write_csv(path: Path, n_rows: int, seed: int = SEED, shape: str = "stages") -> Truth:
    """Write a Mosaic-style CSV (UTF-8, header on line 1) and return its Truth."""
    frame, truth = make_rows(n_rows, seed, shape)
    frame.to_csv(path, index=False, lineterminator="\r\n")
    return truth


def write_xlsx(path: Path, n_rows: int, seed: int = SEED) -> Truth:
    """Write a Mosaic-style workbook like the sample's (banner, header on row 4, real
    dates, Person ID as a number, footer) and return its Truth."""
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    frame, truth = make_rows(n_rows, seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("IRO Escalations")
    sheet.append(["IRO Escalations – workflow step report"])
    sheet.append(["Run on 01/04/2025 09:14"])
    sheet.append([])
    sheet.append(HEADER)
    days = {}

    def date_cell(text):
        if not text:
            return None
        if text not in days:
            try:
                day = dt.datetime.strptime(text, "%d/%m/%Y")
            except ValueError:  # an impossible date was typed as text
                days[text] = text
            else:
                cell = WriteOnlyCell(sheet, value=day)
                cell.number_format = "dd/mm/yyyy"
                days[text] = cell
        return days[text]

    person = pd.to_numeric(frame["Person ID"]).to_numpy()
    for values, pid in zip(frame.itertuples(index=False, name=None), person):
        row = list(values)
        row[1] = int(pid)
        row[3] = date_cell(row[3])
        row[4] = date_cell(row[4])
        sheet.append(row)
    sheet.append([])
    sheet.append([f"Total rows: {n_rows}"])
    book.save(path)
    return truth


def save_truth(path: Path, truth: Truth) -> None:
    path.write_text(json.dumps(asdict(truth), indent=1), encoding="utf-8")


def load_truth(path: Path) -> Truth:
    return Truth(**json.loads(path.read_text(encoding="utf-8")))


LEGACY_REASONS = ["Incomplete or inadequate care plans", "Drift or delay in care planning",
                  "Other", "Education", "Action and effectiveness of management",
                  "Placement concerns", "Concerns around social work provision",
                  "Non completion of review decisions",
                  "Safeguarding concerns including missing episodes, crime related or CSE risk"]
LEGACY_WEIGHTS = [0.40, 0.15, 0.13, 0.08, 0.07, 0.07, 0.05, 0.03, 0.02]


def write_legacy_csv(path: Path, n_rows: int, seed: int = SEED + 1) -> Truth:
    """Write a legacy-log CSV (Windows-1252, CRLF, one row per escalation) that runs from
    1 April 2015 to ten days past a 1 April 2020 go-live, and return its Truth (counts only)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    days = (dt.date(2020, 4, 10) - FIRST_DAY).days + 1
    day = np.sort(rng.integers(0, days, size=n_rows))
    date_text = pd.date_range(FIRST_DAY, periods=days, freq="D").strftime("%d/%m/%Y") \
        .to_numpy(dtype=object)
    notes = np.where(rng.random(n_rows) < 0.1, "£2,400 tuition – awaiting decision", "")
    frame = pd.DataFrame({
        "Child Ref": rng.integers(5_000_000, 6_000_000, size=n_rows).astype(str),
        "Date Raised": date_text[day],
        "Reason for Escalation": np.asarray(LEGACY_REASONS, dtype=object)[
            rng.choice(len(LEGACY_REASONS), size=n_rows, p=LEGACY_WEIGHTS)],
        "IRO Name": np.asarray(IROS, dtype=object)[rng.integers(0, len(IROS), size=n_rows)],
        "Notes": notes,
    })
    frame.to_csv(path, index=False, lineterminator="\r\n", encoding="cp1252")
    return Truth(rows=n_rows, duplicates=0, rejected=0, escalations=n_rows)


def write_single_stage_csv(path: Path, n_rows: int, seed: int = SEED) -> Truth:
    """Write a CSV of the second shape: most escalations a single stage, 7 columns."""
    return write_csv(path, n_rows, seed, "single")


WRITERS = {"csv": write_csv, "csv-single": write_single_stage_csv, "xlsx": write_xlsx,
           "legacy": write_legacy_csv}

if __name__ == "__main__":
    # python benchmarks/generate.py csv|csv-single|xlsx|legacy PATH ROWS: writes PATH and, beside
    # it, PATH.truth.json (what a correct report finds). run.py calls this in a process
    # of its own, so that its own memory stays small while it times the others.
    import sys

    kind, out, rows = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    truth = WRITERS[kind](out, rows)
    Path(f"{out}.truth.json").write_text(json.dumps(asdict(truth)), encoding="utf-8")
