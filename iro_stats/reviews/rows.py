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
class KindRules:
    """How the reviews command reads one kind of extract (mappings/fields.toml declares
    its fields): the fields it uses, the date the rejects file shows, and the kind's own
    rules, (phrase, test(frame) -> mask, detail(frame) -> texts or None), applied after
    the rules every kind has."""

    name: str
    uses: tuple[str, ...]
    key_date: str
    rules: tuple = ()


def _before(later: str, earlier: str):
    return lambda f: f[later] < f[earlier]


EPISODES = KindRules("episodes_903", ("child_id", "decom", "dec", "rec", "ls"), "decom",
                     (("DEC is before DECOM", _before("dec", "decom"), None),))
REVIEWS = KindRules("reviews_903", ("child_id", "review", "review_code"), "review")
IRO_LOG = KindRules("iro_log", ("child_id", "review_date", "participation"), "review_date")
PERIODS = KindRules("periods_of_care", ("child_id", "start_date", "end_date", "legal_status"),
                    "start_date",
                    (("end date is before start date", _before("end_date", "start_date"),
                      None),))
STEPS = KindRules(
    "workflow_steps", ("step_id", "child_id", "step_status", "started_on", "completed_on",
                       "cancelled_on", "review_date", "participation"), "review_date",
    (("step status is not " + ", ".join(STEP_STATUSES[:-1]) + " or " + STEP_STATUSES[-1],
      lambda f: ~f["step_status"].isin(STEP_STATUSES),
      lambda f: "'" + f["step_status_as_written"] + "'"),
     ("completed step has no completed on date",
      lambda f: (f["step_status"] == "COMPLETED") & f["completed_on"].isna(), None)))
KINDS = {k.name: k for k in (EPISODES, REVIEWS, IRO_LOG, PERIODS, STEPS)}
NOT_NEEDED = ("header_903",)  # read, so a 903 return's folder can be given; not needed
READ = tuple(KINDS) + NOT_NEEDED


class Ledger:
    """Every row read, with its origin and its status (used until found otherwise)."""

    def __init__(self):
        self.parts: list[dict] = []
        self.size = 0
        self._origin: "pd.DataFrame | None" = None

    def add(self, kind: KindRules, path: str, sheet: str | None,
            frame: "pd.DataFrame") -> "np.ndarray":
        """Record one file's rows (a frame of its raw cells and `row`); return their ids."""
        import numpy as np

        rid = np.arange(self.size, self.size + len(frame), dtype=np.int64)
        self.parts.append({"kind": kind, "file": path, "sheet": sheet or "",
                           "frame": frame, "rid": rid})
        self.size += len(frame)
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

    def origin(self) -> "pd.DataFrame":
        """Return each row's kind, file, sheet and row number, by row id."""
        import numpy as np
        import pandas as pd

        if self._origin is None:
            parts = self.parts
            self._origin = pd.DataFrame({
                name: np.concatenate([np.repeat(np.array([p[key]], dtype=object),
                                                len(p["rid"])) for p in parts])
                if parts else np.zeros(0, dtype=object)
                for name, key in (("kind", "kind"), ("file", "file"), ("sheet", "sheet"))})
            self._origin["kind"] = [k.name for k in self._origin["kind"]]
            self._origin["row"] = np.concatenate([p["frame"]["row"].to_numpy(dtype=np.int64)
                                                  for p in parts]) if parts else []
        return self._origin

    def where(self, rid: "np.ndarray") -> "np.ndarray":
        """Return 'FILE row N' (with the sheet of a workbook) for each row id."""
        frame = self.origin().iloc[rid]
        return (frame["file"] + frame["sheet"].map(lambda s: f" sheet '{s}'" if s else "")
                + " row " + frame["row"].astype(str)).to_numpy(dtype=object)

    def rejects(self) -> "pd.DataFrame":
        """Return every rejected and duplicate row with why and where it came from, its
        child ID and its main date as written (the rejects file)."""
        import numpy as np
        import pandas as pd

        parts = []
        for p in self.parts:
            out = (self.status[p["rid"]] == REJECTED) | (self.status[p["rid"]] == DUPLICATE)
            if not out.any():
                continue
            cells = p["frame"][out]
            blank = pd.Series([None] * len(cells), dtype=object)
            parts.append(pd.DataFrame({
                "rid": p["rid"][out],
                "child_id": _text(cells.get("child_id", blank)),
                "date_as_written": _text(cells.get(p["kind"].key_date, blank))}))
        if not parts:
            parts = [pd.DataFrame({"rid": [], "child_id": [], "date_as_written": []})]
        found = pd.concat(parts, ignore_index=True)
        rid = found["rid"].to_numpy(dtype=np.int64)
        origin = self.origin().iloc[rid].reset_index(drop=True)
        return pd.DataFrame({"status": [STATUSES[s] for s in self.status[rid]],
                             "problem": self.problem[rid], "detail": self.detail[rid],
                             **{c: origin[c] for c in ("file", "sheet", "row", "kind")},
                             "child_id": found["child_id"],
                             "date_as_written": found["date_as_written"]})

    def counts(self) -> dict[str, int]:
        import numpy as np

        n = np.bincount(self.status, minlength=4)
        return {"read": self.size, "used": int(n[USED]), "rejected": int(n[REJECTED]),
                "duplicates": int(n[DUPLICATE]), "outside_period": int(n[OUTSIDE])}

    def problems(self) -> dict[str, int]:
        """Return how many rows were rejected for each reason, most common first."""
        from collections import Counter

        return dict(Counter(self.problem[self.status == REJECTED]).most_common())

    def accounting(self) -> list[str]:
        """Return the accounting line, then one line per reason rows were rejected."""
        n = self.counts()
        return [f"rows read {n['read']}: used {n['used']}, rejected {n['rejected']}, "
                f"duplicates {n['duplicates']}, outside period {n['outside_period']}"] + \
            [f"  rejected {count}: {problem}" for problem, count in self.problems().items()]


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
    files: list = field(default_factory=list)  # load.FileInfo of each extract read


def _distinct(values) -> tuple["np.ndarray", list]:
    """Return (codes, distinct cells) of a column of raw cells; a missing cell's code is
    -1, so an array made from the distinct cells with one more item last serves it."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(np.asarray(uniques, dtype=object))


def _texts(values) -> tuple["np.ndarray", "np.ndarray"]:
    """Return (codes, distinct cells as trimmed text, '' last for a missing cell)."""
    import numpy as np

    codes, uniques = _distinct(values)
    return codes, np.array([cell_text(u) for u in uniques] + [""], dtype=object)


def _text(values) -> "np.ndarray":
    """Return cells as trimmed text ('' for blank), each distinct cell converted once."""
    codes, texts = _texts(values)
    return texts[codes]


def _dates(values, today: dt.date):
    """Return (days as datetime64[D], problem kind or '' or 'blank', detail) per cell,
    each distinct cell parsed once."""
    import numpy as np

    codes, uniques = _distinct(values)
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


def rules(kind: KindRules) -> list[tuple[str, Callable, Callable | None]]:
    """Return the kind's row rules in the order they are applied: for each field used,
    in the order fields.toml declares them, "LABEL is blank" where a blank rejects the row
    and, for a date, the three ways a date can fail; then the kind's own rules."""
    from iro_stats.dates import NOT_REAL, OUT_OF_RANGE, UNREADABLE
    from iro_stats.schema import kinds

    found = []
    for spec in kinds()[kind.name].fields:
        if spec.name not in kind.uses:
            continue
        name, label = spec.name, spec.label
        if spec.blank == "reject":
            found.append((f"{label} is blank", (lambda f, n=name: f[f"{n}_problem"] == "blank")
                          if spec.value == "date" else (lambda f, n=name: f[n] == ""), None))
        if spec.value == "date":
            for problem in (UNREADABLE, NOT_REAL, OUT_OF_RANGE):
                found.append((f"{label} {problem.split(' (')[0]}",
                              lambda f, n=name, p=problem: f[f"{n}_problem"] == p,
                              lambda f, n=name: f[f"{n}_detail"]))
    return found + list(kind.rules)


def clean_kind(kind: KindRules, parts: list[tuple["pd.DataFrame", "np.ndarray"]],
               ledger: Ledger, today: dt.date) -> "pd.DataFrame":
    """Return the rows of one kind's extracts (frames of raw cells named by field, each
    with its rows' ids) parsed: text trimmed (codes upper-cased), dates as days; apply the
    kind's rules to the ledger. Rejected rows are left out of what is returned."""
    import numpy as np
    import pandas as pd

    from iro_stats.schema import kinds

    values = {f.name: f.value for f in kinds()[kind.name].fields}
    frames = []
    for frame, rid in parts:
        cells = pd.DataFrame({name: frame[name] if name in frame.columns else None
                              for name in kind.uses}, index=frame.index)
        cells["rid"] = rid
        frames.append(cells)
    raw = pd.concat(frames, ignore_index=True)
    out = pd.DataFrame({"rid": raw["rid"].to_numpy(dtype=np.int64)})
    for name in kind.uses:
        if values[name] == "date":
            days, problem, detail = _dates(raw[name], today)
            out[name] = days
            out[f"{name}_problem"] = pd.Categorical(problem)  # compared once per rule
            out[f"{name}_detail"] = pd.Series(detail, dtype=object)
        else:
            # Kept as Python text: making pandas' arrow strings of them costs more than
            # the comparisons they are used for save.
            codes, texts = _texts(raw[name])
            if values[name] == "code":
                out[f"{name}_as_written"] = pd.Series(texts[codes], dtype=object)
                texts = np.array([t.upper() for t in texts], dtype=object)
            out[name] = pd.Series(texts[codes], dtype=object)
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
