"""Raw rows -> clean escalations, with every row put in exactly one bucket.

A row is rejected (with a reason), a duplicate (of a named earlier row), or valid; valid
rows sharing an escalation ID are one escalation. Periods are applied later, in
`Dataset.select`, which splits valid rows into used and outside the period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from iro_stats import mapping
from iro_stats.dates import DateProblem, parse_cell
from iro_stats.errors import DataError, UsageError
from iro_stats.load import Extract, FileInfo, expand_paths, read_extract
from iro_stats.periods import Period
from iro_stats.schema import FIELDS, Profile

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

ORIGIN = ("file", "sheet", "row")
TEXT_FIELDS = ("child_id", "escalation_id", "outcome", "team", "iro")
STAGE_NAMES = {0: "Informal", 1: "Stage 1", 2: "Stage 2", 3: "Stage 3", 4: "Stage 4"}
_STAGE = re.compile(r"(?:stage|level)\s*(\d)\b|^\s*(\d)(?:\.0+)?\s*$", re.I)

# The phrases a rejected row is counted under on the accounting line.
BLANK_CHILD = "child ID is blank"
BLANK_RAISED = "date raised is blank"
BAD_STAGE = "stage cannot be read"
BLANK_STAGE = "stage is blank"
RESOLVED_FIRST = "resolved before it was raised"
CHILDREN_DIFFER = "stage rows of one escalation name different children"


@dataclass
class Dataset:
    """Every row read, each with its status, and the escalations the valid rows make."""

    files: list[FileInfo]
    rows: "pd.DataFrame"  # one per data row: origin, clean fields, status, problem, detail
    escalations: "pd.DataFrame"  # one per escalation, before any period is applied
    crosswalk: mapping.Crosswalk
    stage_recorded: bool = False

    @property
    def sources(self) -> list[str]:
        return sorted({f.source for f in self.files if f.source})

    def select(self, period: Period) -> "Selection":
        """Return the escalations raised in the period and the row accounting for it."""
        esc = self.escalations
        inside = _in_period(esc["raised_on"], period)
        chosen = esc[inside]
        valid = self.rows["status"] == "valid"
        used_rows = valid & self.rows["escalation"].isin(chosen["escalation"])
        rejected = self.rows["status"] == "rejected"
        counts = {
            "read": len(self.rows),
            "used": int(used_rows.sum()),
            "rejected": int(rejected.sum()),
            "duplicates": int((self.rows["status"] == "duplicate").sum()),
            "outside_period": int((valid & ~used_rows).sum()),
        }
        problems = Counter(self.rows.loc[rejected, "problem"])
        return Selection(self, period, chosen.reset_index(drop=True), counts,
                         dict(problems.most_common()))


@dataclass
class Selection:
    """The escalations of one period, with the accounting of every row read."""

    dataset: Dataset
    period: Period
    escalations: "pd.DataFrame"
    rows: dict[str, int]
    problems: dict[str, int] = field(default_factory=dict)

    @property
    def children(self) -> int:
        return int(self.escalations["child_id"].nunique())

    def accounting(self) -> list[str]:
        """Return the accounting line, then one line per reason rows were rejected."""
        r = self.rows
        escalations = len(self.escalations)
        used = f"used {r['used']}"
        if escalations != r["used"]:
            used += f" ({escalations} escalations)"
        lines = [f"rows read {r['read']}: {used}, rejected {r['rejected']}, "
                 f"duplicates {r['duplicates']}, outside period {r['outside_period']}"]
        lines += [f"  rejected {n}: {problem}" for problem, n in self.problems.items()]
        return lines


def _in_period(dates: "pd.Series", period: Period) -> "pd.Series":
    import pandas as pd

    inside = pd.Series(True, index=dates.index)
    if period.start:
        inside &= dates >= pd.Timestamp(period.start)
    if period.end:
        inside &= dates <= pd.Timestamp(period.end)
    return inside


def load_dataset(paths: list, profile: Profile | None = None, source: str | None = None,
                 crosswalk: mapping.Crosswalk | None = None,
                 today: dt.date | None = None) -> Dataset:
    """Return the Dataset of the extract files (folders stand for the files in them)."""
    profile = profile or Profile()
    crosswalk = crosswalk or mapping.load()
    extracts = [read_extract(path, profile) for path in expand_paths(paths)]
    for extract in extracts:
        _decide_source(extract, source or profile.source, crosswalk)
    return build(extracts, crosswalk, today or dt.date.today())


def _decide_source(extract: Extract, given: str | None, crosswalk: mapping.Crosswalk):
    info = extract.info
    if given:
        info.source, info.source_reason = given, "as stated"
        return
    labels = extract.frame["reason"].map(_text).unique().tolist()
    found, why = mapping.detect_source(crosswalk, labels)
    if found is None:
        raise UsageError(f"{info.path}: cannot tell whether this is a legacy log or a Mosaic "
                         f"extract: {why}; say which with --source legacy or --source mosaic")
    info.source, info.source_reason = found, why


def _text(value: object) -> str:
    """Return a cell as trimmed text; numeric Excel cells lose a trailing '.0'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def map_unique(series: "pd.Series", func: Callable) -> "np.ndarray":
    """Return func applied to each value, calling it once per distinct value."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [func(u) for u in uniques]
    return results[codes]


def parse_stage(value: object) -> int | None | str:
    """Return a stage number (0 = informal), None when blank, or the label when unreadable."""
    text = _text(value)
    if not text:
        return None
    if "informal" in text.lower():
        return 0
    m = _STAGE.search(text)
    return int(m[1] or m[2]) if m else text


def build(extracts: list[Extract], crosswalk: mapping.Crosswalk, today: dt.date) -> Dataset:
    """Return the Dataset of already-read extracts whose sources are decided."""
    import numpy as np
    import pandas as pd

    frames = []
    for extract in extracts:
        frame = extract.frame.copy()
        frame["file"] = extract.info.path
        frame["sheet"] = extract.info.sheet or ""
        frame["source"] = extract.info.source
        frame["has_stage"] = "stage" in extract.frame.columns
        frames.append(frame.rename(columns={"_row": "row"}))
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    for name in FIELDS:
        # A field one file lacks is blank on its rows, never NaN read as text.
        raw[name] = raw[name].fillna("") if name in raw.columns else ""
    n = len(raw)
    rows = pd.DataFrame({"file": raw["file"], "sheet": raw["sheet"], "row": raw["row"],
                         "source": raw["source"]}) if n else pd.DataFrame(
        columns=["file", "sheet", "row", "source"])
    for name in TEXT_FIELDS:
        rows[name] = map_unique(raw[name], _text) if n else []
    problem = np.full(n, None, dtype=object)
    detail = np.full(n, "", dtype=object)

    def flag(mask, phrase, details=None):
        fresh = np.asarray(mask, dtype=bool) & (problem == None)  # noqa: E711
        problem[fresh] = phrase
        if details is not None:
            detail[fresh] = np.asarray(details, dtype=object)[fresh]

    flag(rows["child_id"].to_numpy() == "", BLANK_CHILD)
    for name, label in (("raised_on", "date raised"), ("resolved_on", "date resolved")):
        rows[f"{name}_as_written"] = map_unique(raw[name], _text) if n else []
        parsed = map_unique(raw[name], lambda v: _parse_date(v, today))
        is_problem = np.array([isinstance(p, DateProblem) for p in parsed], dtype=bool)
        for kind in {p.kind for p in parsed[is_problem]}:
            mask = is_problem & np.array([isinstance(p, DateProblem) and p.kind == kind
                                          for p in parsed])
            flag(mask, f"{label} {kind.split(' (')[0]}", [str(p) for p in parsed])
        if name == "raised_on":
            flag(np.array([p is None for p in parsed]), BLANK_RAISED)
        dates = np.where(is_problem, None, parsed)
        rows[name] = pd.to_datetime(pd.Series(dates, dtype=object), errors="coerce") \
            .to_numpy() if n else []
    rows["stage_as_written"] = map_unique(raw["stage"], _text) if n else []
    stages = map_unique(raw["stage"], parse_stage) if n else np.array([], dtype=object)
    unreadable = np.array([isinstance(s, str) for s in stages], dtype=bool)
    flag(unreadable, BAD_STAGE, [f"'{s}'" for s in stages])
    flag(raw["has_stage"].to_numpy(dtype=bool) & np.array([s is None for s in stages]),
         BLANK_STAGE)
    rows["stage"] = pd.array([s if isinstance(s, int) else None for s in stages],
                             dtype="Int64")
    flag(rows["resolved_on"] < rows["raised_on"], RESOLVED_FIRST,
         [f"resolved {_d(b)}, raised {_d(a)}" for a, b in
          zip(rows["raised_on"], rows["resolved_on"])] if n else [])

    recorded = map_unique(raw["reason"], _text) if n else []
    rows["reason_recorded"] = recorded
    _map_reasons(rows, crosswalk)

    rows["status"] = np.where(problem == None, "valid", "rejected")  # noqa: E711
    rows["problem"] = problem
    rows["detail"] = detail
    rows["escalation"] = ""
    _mark_duplicates(rows)
    escalations = _group(rows)
    stage_recorded = bool(raw["has_stage"].any()) if n else False
    return Dataset([e.info for e in extracts], rows.drop(columns=["_key"], errors="ignore"),
                   escalations, crosswalk, stage_recorded)


def _d(value) -> str:
    return "" if value is None or value != value else f"{value:%d/%m/%Y}"


def _parse_date(value: object, today: dt.date):
    try:
        return parse_cell(value, today)
    except DateProblem as problem:
        return problem


def _map_reasons(rows: "pd.DataFrame", crosswalk: mapping.Crosswalk) -> None:
    """Add reason (as shown), category, relation and known to the rows, per source."""
    shown, category, relation = {}, {}, {}
    for (source, label) in set(zip(rows["source"], rows["reason_recorded"])):
        pair = (source, label)
        if not label:
            shown[pair], category[pair], relation[pair] = (mapping.NOT_RECORDED_LABEL,
                                                           mapping.NOT_RECORDED, "")
            continue
        hit = crosswalk.match(source, label)
        if hit:
            shown[pair], category[pair], relation[pair] = hit.shown_as, hit.category, \
                hit.relation
        else:
            shown[pair], category[pair], relation[pair] = label, mapping.UNMAPPED, ""
    pairs = list(zip(rows["source"], rows["reason_recorded"]))
    rows["reason"] = [shown[p] for p in pairs]
    rows["category"] = [category[p] for p in pairs]
    rows["relation"] = [relation[p] for p in pairs]


KEY_FIELDS = ("source", "child_id", "escalation_id", "raised_on", "stage", "resolved_on",
              "reason", "outcome", "team", "iro")


def _mark_duplicates(rows: "pd.DataFrame") -> None:
    """Mark each valid row that repeats an earlier valid row's fields, naming that row."""
    import pandas as pd

    valid = rows[rows["status"] == "valid"]
    keys = valid[list(KEY_FIELDS)]
    repeat = keys.duplicated(keep="first")
    if not repeat.any():
        return
    group = keys.groupby(list(KEY_FIELDS), dropna=False, sort=False).ngroup()
    first = group[~repeat]  # the first row of each group, by group number
    first = pd.Series(first.index, index=first.to_numpy())
    repeats = valid.index[repeat.to_numpy()]
    originals = first[group[repeats].to_numpy()].to_numpy()
    sheets = rows.loc[originals, "sheet"].map(_sheet).to_numpy()
    rows.loc[repeats, "status"] = "duplicate"
    rows.loc[repeats, "problem"] = "duplicate"
    rows.loc[repeats, "detail"] = ("repeats " + rows.loc[originals, "file"].to_numpy() + " "
                                   + sheets + "row "
                                   + rows.loc[originals, "row"].astype(str).to_numpy())


def _sheet(sheet: str) -> str:
    return f"sheet '{sheet}' " if sheet else ""


def _group(rows: "pd.DataFrame") -> "pd.DataFrame":
    """Return one row per escalation; rows sharing a source and escalation ID are one."""
    import numpy as np

    valid = rows["status"] == "valid"
    has_id = rows["escalation_id"] != ""
    rows["escalation"] = np.where(has_id, rows["source"] + ":" + rows["escalation_id"],
                                  "row:" + rows.index.astype(str))
    grouped = rows[valid & has_id]
    children = grouped.groupby("escalation")["child_id"].nunique()
    mixed = children.index[children > 1]
    if len(mixed):
        bad = valid & rows["escalation"].isin(mixed)
        rows.loc[bad, "status"] = "rejected"
        rows.loc[bad, "problem"] = CHILDREN_DIFFER
        rows.loc[bad, "detail"] = "escalation " + rows.loc[bad, "escalation_id"]
        valid = rows["status"] == "valid"
    ordered = rows[valid].sort_values(["escalation", "raised_on", "stage", "row"],
                                      na_position="first", kind="stable")
    first = ordered.groupby("escalation", sort=False).head(1).set_index("escalation")
    by_stage = rows[valid].sort_values(["escalation", "stage", "raised_on", "row"],
                                       na_position="first", kind="stable")
    last = by_stage.groupby("escalation", sort=False).tail(1).set_index("escalation")
    out = first[["source", "file", "sheet", "row", "escalation_id", "child_id",
                 "raised_on", "reason_recorded", "reason", "category", "relation",
                 "outcome", "team", "iro"]].copy()
    out["stage"] = last["stage"].reindex(out.index)
    out["resolved_on"] = last["resolved_on"].reindex(out.index)
    out["outcome"] = last["outcome"].reindex(out.index)
    out["stage_rows"] = rows[valid].groupby("escalation").size().reindex(out.index)
    return out.reset_index().sort_values(["raised_on", "file", "row"], kind="stable") \
        .reset_index(drop=True)
