"""Each extract's rows -> typed episodes, periods, reviews and workflow steps, every row
accounted for: used, rejected (with why), a duplicate (of a named row) or outside the
period. The rules a row must pass are declared per kind, in order, as docs/reviews.md
lists them; the first a row fails is its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from iro_stats.dates import DateProblem, parse_cell
from iro_stats.load import cell_text

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

STEP_STATUSES = ("PROPOSED", "INCOMING", "STARTED", "REOPENED", "COMPLETED", "CANCELLED")
OPEN_STATUSES = ("PROPOSED", "INCOMING", "STARTED", "REOPENED")
PARTICIPATION_CODES = tuple(f"PN{i}" for i in range(8))
STATUSES = ("used", "rejected", "duplicate", "outside_period")
USED, REJECTED, DUPLICATE, OUTSIDE = range(4)


@dataclass(frozen=True)
class Kind:
    """One kind of extract: its fields, which are dates (named as messages name them),
    which of those a row must have, and the kind's own rules after the common ones."""

    name: str
    label: str
    fields: tuple[str, ...]
    dates: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    key_date: str = ""  # the date the rejects file shows
    rules: tuple = ()  # (phrase, test(frame) -> mask, detail(frame) -> texts or None)


def _before(later: str, earlier: str):
    return lambda f: f[later] < f[earlier]


EPISODES = Kind(
    "episodes_903", "903 episodes", ("child_id", "decom", "dec", "rec", "ls"),
    {"decom": "DECOM", "dec": "DEC"}, ("decom",), "decom",
    (("DEC is before DECOM", _before("dec", "decom"), None),))
REVIEWS = Kind(
    "reviews_903", "903 reviews", ("child_id", "review", "review_code"),
    {"review": "REVIEW"}, ("review",), "review")
IRO_LOG = Kind(
    "iro_log", "IRO review log", ("child_id", "review_date", "participation"),
    {"review_date": "review date"}, ("review_date",), "review_date")
PERIODS = Kind(
    "periods_of_care", "Mosaic periods of care",
    ("child_id", "start_date", "end_date", "legal_status"),
    {"start_date": "start date", "end_date": "end date"}, ("start_date",), "start_date",
    (("end date is before start date", _before("end_date", "start_date"), None),))
STEPS = Kind(
    "workflow_steps", "Mosaic workflow steps",
    ("step_id", "child_id", "step_status", "started_on", "completed_on", "cancelled_on",
     "review_date", "participation"),
    {"started_on": "started on", "completed_on": "completed on",
     "cancelled_on": "cancelled on", "review_date": "LAC review date"}, (), "review_date",
    (("workflow step ID is blank", lambda f: f["step_id"] == "", None),
     ("step status is not " + ", ".join(STEP_STATUSES[:-1]) + " or " + STEP_STATUSES[-1],
      lambda f: ~f["step_status"].isin(STEP_STATUSES),
      lambda f: "'" + f["step_status_as_written"] + "'"),
     ("completed step has no completed on date",
      lambda f: (f["step_status"] == "COMPLETED") & f["completed_on"].isna(), None)))
HEADER = Kind("header_903", "903 header", ())
KINDS = {k.name: k for k in (EPISODES, REVIEWS, IRO_LOG, PERIODS, STEPS, HEADER)}
NOT_NEEDED = ("header_903",)  # read and named, but nothing in it is needed


class Ledger:
    """Every row read, with its origin and its status (used until found otherwise)."""

    def __init__(self):
        self.parts: list[dict] = []
        self.size = 0
        self._made: "pd.DataFrame | None" = None

    def add(self, kind: Kind, path: str, sheet: str | None, rows: "np.ndarray",
            child: "np.ndarray", date: "np.ndarray") -> "np.ndarray":
        """Record one file's rows; return their row ids."""
        import numpy as np

        rid = np.arange(self.size, self.size + len(rows), dtype=np.int64)
        self.parts.append({"kind": kind.name, "file": path, "sheet": sheet or "",
                           "row": rows, "child_id": child, "date_as_written": date})
        self.size += len(rows)
        return rid

    def start(self) -> None:
        """Make the status columns once every file is added."""
        import numpy as np

        self.status = np.zeros(self.size, dtype=np.int8)
        self.problem = np.full(self.size, None, dtype=object)
        self.detail = np.full(self.size, "", dtype=object)

    def mark(self, rid: "np.ndarray", status: int, phrase: str | None = None,
             details=None) -> None:
        """Give rows still counted as used a status (and a reason, and details)."""
        import numpy as np

        rid = np.asarray(rid, dtype=np.int64)
        fresh = self.status[rid] == USED
        rid = rid[fresh]
        self.status[rid] = status
        if phrase is not None:
            self.problem[rid] = phrase
        if details is not None:
            self.detail[rid] = np.asarray(details, dtype=object)[fresh]

    def where(self, rid: "np.ndarray") -> "np.ndarray":
        """Return 'FILE row N' (with the sheet of a workbook) for each row id."""
        frame = self.origin()
        origin = frame["file"] + frame["sheet"].map(lambda s: f" sheet '{s}'" if s else "") \
            + " row " + frame["row"].astype(str)
        return origin.to_numpy(dtype=object)[rid]

    def origin(self) -> "pd.DataFrame":
        import numpy as np
        import pandas as pd

        if self._made is None or len(self._made) != self.size:
            self._made = pd.DataFrame({
                "kind": np.concatenate([np.repeat(p["kind"], len(p["row"]))
                                        for p in self.parts]) if self.parts else [],
                "file": np.concatenate([np.repeat(p["file"], len(p["row"]))
                                        for p in self.parts]) if self.parts else [],
                "sheet": np.concatenate([np.repeat(p["sheet"], len(p["row"]))
                                         for p in self.parts]) if self.parts else [],
                "row": np.concatenate([p["row"] for p in self.parts]) if self.parts else [],
                "child_id": np.concatenate([p["child_id"] for p in self.parts])
                if self.parts else [],
                "date_as_written": np.concatenate([p["date_as_written"]
                                                   for p in self.parts])
                if self.parts else []})
        return self._made

    def frame(self) -> "pd.DataFrame":
        """Return every row with its status, problem and detail (the rejects file)."""
        out = self.origin().copy()
        out.insert(0, "status", [STATUSES[s] for s in self.status])
        out.insert(1, "problem", self.problem)
        out.insert(2, "detail", self.detail)
        return out

    def counts(self) -> dict[str, int]:
        import numpy as np

        n = np.bincount(self.status, minlength=4)
        return {"read": self.size, "used": int(n[USED]), "rejected": int(n[REJECTED]),
                "duplicates": int(n[DUPLICATE]), "outside_period": int(n[OUTSIDE])}

    def problems(self) -> dict[str, int]:
        """Return how many rows were rejected for each reason, most common first."""
        from collections import Counter

        return dict(Counter(self.problem[self.status == REJECTED]).most_common())


@dataclass
class Inputs:
    """The typed rows of each kind (None where no extract of that kind was given), the
    child IDs their `child` codes stand for, and the ledger of every row read."""

    ledger: Ledger
    children: "np.ndarray"
    episodes: "pd.DataFrame | None" = None
    care_rows: "pd.DataFrame | None" = None
    reviews: "pd.DataFrame | None" = None  # the 903 reviews and the IRO log together
    steps: "pd.DataFrame | None" = None
    latest: dt.date | None = None  # the latest date in any row not rejected


def _text(values: "pd.Series") -> "pd.Series":
    """Return cells as trimmed text ('' for blank), each distinct cell converted once."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    texts = np.array([cell_text(u) for u in uniques] + [""], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype=object)


def _dates(values: "pd.Series", today: dt.date):
    """Return (days as datetime64[D], problem kind or '' or 'blank', detail) per cell."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    days = np.full(len(uniques) + 1, np.datetime64("NaT"), dtype="datetime64[D]")
    kinds = np.full(len(uniques) + 1, "blank", dtype=object)
    said = np.full(len(uniques) + 1, "", dtype=object)
    for i, value in enumerate(uniques):
        try:
            day = parse_cell(value, today)
        except DateProblem as problem:
            kinds[i], said[i] = problem.kind, str(problem)
            continue
        if day is not None:
            days[i], kinds[i] = np.datetime64(day, "D"), ""
    return days[codes], kinds[codes], said[codes]


def _common_rules(kind: Kind) -> list:
    from iro_stats.dates import NOT_REAL, OUT_OF_RANGE, UNREADABLE

    rules = [("child ID is blank", lambda f: f["child_id"] == "", None)]
    for name, label in kind.dates.items():
        if name in kind.required:
            rules.append((f"{label} is blank",
                          lambda f, n=name: f[f"{n}_problem"] == "blank", None))
        for problem in (UNREADABLE, NOT_REAL, OUT_OF_RANGE):
            rules.append((f"{label} {problem.split(' (')[0]}",
                          lambda f, n=name, p=problem: f[f"{n}_problem"] == p,
                          lambda f, n=name: f[f"{n}_detail"]))
    return rules


def rules(kind: Kind) -> list[tuple[str, Callable, Callable | None]]:
    """Return the kind's row rules in the order they are applied."""
    return _common_rules(kind) + list(kind.rules)


def clean_kind(kind: Kind, parts: list[tuple[str, str | None, "pd.DataFrame", "np.ndarray"]],
               ledger: Ledger, today: dt.date) -> "pd.DataFrame":
    """Return the rows of one kind's files (frames of raw cells named by field, with row
    ids) parsed: text fields trimmed (codes upper-cased), dates as datetime64[D]; apply
    the kind's rules to the ledger. Rejected rows are dropped from what is returned."""
    import numpy as np
    import pandas as pd

    if not parts:
        return pd.DataFrame()
    frames = []
    for _, _, frame, rid in parts:
        cells = pd.DataFrame({name: frame[name] if name in frame.columns else ""
                              for name in kind.fields}, index=frame.index)
        cells["rid"] = rid
        frames.append(cells)
    raw = pd.concat(frames, ignore_index=True)
    out = pd.DataFrame({"rid": raw["rid"].to_numpy(dtype=np.int64)})
    for name in kind.fields:
        if name in kind.dates:
            out[name], out[f"{name}_problem"], out[f"{name}_detail"] = \
                _dates(raw[name], today)
        else:
            text = _text(raw[name])
            if name != "child_id" and name != "step_id":
                out[f"{name}_as_written"] = text
                text = text.str.upper()
            out[name] = text
    rejected = np.zeros(len(out), dtype=bool)
    for phrase, test, detail in rules(kind):
        mask = np.asarray(test(out), dtype=bool) & ~rejected
        if mask.any():
            said = None if detail is None else np.asarray(detail(out), dtype=object)[mask]
            ledger.mark(out["rid"].to_numpy()[mask], REJECTED, phrase, said)
            rejected |= mask
    return out[~rejected].reset_index(drop=True)


def mark_duplicates(ledger: Ledger, frame: "pd.DataFrame", keys: list[str],
                    among: "np.ndarray | None" = None) -> "pd.DataFrame":
    """Mark as duplicates the rows whose keys equal an earlier row's (in row-id order,
    the order the files were given), naming that row; return the rest. Only rows in
    `among` (a mask) are compared, when given."""
    import numpy as np

    if not len(frame):
        return frame
    among = np.ones(len(frame), dtype=bool) if among is None else np.asarray(among)
    candidates = frame[among].sort_values("rid", kind="stable")
    repeated = candidates.duplicated(keys, keep="first")
    if not repeated.any():
        return frame
    first = candidates[~candidates.duplicated(keys, keep="first")]
    originals = candidates[repeated].merge(first[keys + ["rid"]], on=keys,
                                           suffixes=("", "_first"))
    ledger.mark(originals["rid"].to_numpy(), DUPLICATE, "duplicate",
                "repeats " + ledger.where(originals["rid_first"].to_numpy()))
    return frame[~frame["rid"].isin(originals["rid"])].reset_index(drop=True)
