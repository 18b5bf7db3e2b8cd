"""The two views of one reporting period: reviews as held (actual) and as the workflow
steps record them (system), the gap between them, and participation.

*actual*: the dates meetings were held (903 REVIEW, an IRO log, or where neither is
given the steps' LAC review date). *system*: the dates COMPLETED steps were completed,
ordered by completion, each with its own chain of due dates, as a system report
computes them. Both chains follow due.py; the periods of care follow care.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from iro_stats.errors import DataError
from iro_stats.periods import Period
from iro_stats.reviews import care, due
from iro_stats.reviews.rows import (DUPLICATE, OPEN_STATUSES, OUTSIDE, PARTICIPATION_CODES,
                                    REJECTED, USED, Inputs, mark_duplicates)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass
class View:
    """One view's reviews: a row per review with its period of care (`period`, a
    position in Figures.periods), `held` (the meeting, or the step's completion),
    `number` within the period, `due`, `on_time` and `counted` (held in the reporting
    period); and, for each period of care, when its next review was due as at the as-at
    date and whether it was overdue and not held then."""

    reviews: "pd.DataFrame"
    next_due: "np.ndarray"  # per period of care (datetime64[D]; NaT without an as-at date)
    overdue: "np.ndarray"  # per period of care: open at the as-at date, next review late
    overdue_children: int

    @property
    def counted(self) -> "pd.DataFrame":
        return self.reviews[self.reviews["counted"]]

    def held_in(self, first: dt.date, last: dt.date) -> tuple[int, int]:
        """Return (reviews held, on time) from first to last, wherever the reporting
        period lies: the chains of due dates do not depend on it."""
        inside = within(self.reviews["held"].to_numpy(), first, last)
        return int(inside.sum()), int(self.reviews["on_time"].to_numpy()[inside].sum())

    def figures(self) -> dict:
        """Return the view's counts: held, on time, late, by review, children."""
        counted = self.counted
        groups = {"first": counted["number"] == 1, "second": counted["number"] == 2,
                  "subsequent": counted["number"] >= 3}
        by_review = {k: {"held": int(m.sum()), "on_time": int(counted["on_time"][m].sum())}
                     for k, m in groups.items()}
        per_child = counted.groupby("child")["on_time"].all()
        held, on_time = len(counted), int(counted["on_time"].sum())
        return {"held": held, "on_time": on_time, "late": held - on_time,
                "by_review": by_review, "overdue_not_held": self.overdue_children,
                "children_reviewed": len(per_child),
                "children_all_on_time": int(per_child.sum())}


@dataclass
class Figures:
    """Everything the tables show for one reporting period, as at one date."""

    period: Period
    as_at: dt.date | None
    periods: "pd.DataFrame"  # the periods of care, sorted by child and start
    actual: View
    actual_source: str
    system: View | None = None  # None when no workflow steps were given
    steps: dict[str, int] | None = None  # the steps that are not completed reviews
    gap: dict[str, int] | None = None
    participation: dict[str, int] = field(default_factory=dict)
    overlapping: list[str] = field(default_factory=list)  # child IDs: for analysts only
    children: "np.ndarray | None" = None  # the child ID of each child code


def within(days: "np.ndarray", first: dt.date | None, last: dt.date | None) -> "np.ndarray":
    """Return whether each day is from first to last (either may be open); NaT never."""
    import numpy as np

    days = np.asarray(days, dtype="datetime64[D]")
    inside = ~np.isnat(days)
    if first:
        inside &= days >= np.datetime64(first, "D")
    if last:
        inside &= days <= np.datetime64(last, "D")
    return inside


def periods_of_care(inputs: Inputs) -> tuple["pd.DataFrame", list, "pd.Series"]:
    """Return (the periods of care sorted by child and start, codes of children whose
    903 episodes overlap, each period-making row's period as a Series by row id).

    The 903 episodes make periods (care.from_episodes) and a Mosaic periods-of-care
    export gives them as they are; a period with the child and start of one already made
    is the same period, and its row a duplicate of the row that made that one."""
    import numpy as np
    import pandas as pd

    made, owners, overlapping = [], [], []
    if inputs.episodes is not None and len(inputs.episodes):
        periods, at, overlapping = care.from_episodes(inputs.episodes)
        owners.append(pd.Series(at, index=inputs.episodes["rid"].to_numpy()))
        made.append(periods)
    if inputs.care_rows is not None and len(inputs.care_rows):
        rows = inputs.care_rows.rename(columns={"start_date": "start", "end_date": "end"})
        owners.append(pd.Series(np.arange(len(rows)) + sum(len(m) for m in made),
                                index=rows["rid"].to_numpy()))
        made.append(care.from_rows(rows))
    if not made:
        empty = care.from_rows(pd.DataFrame({"child": [], "start": [], "end": [], "rid": [],
                                             "legal_status": []}))
        return empty, [], pd.Series([], dtype=np.int64)
    every = pd.concat(made, ignore_index=True)
    every["made"] = np.arange(len(every))  # 903 periods first, so they are the ones kept
    every = every.sort_values(["child", "start", "made"], kind="stable")
    repeat = every.duplicated(["child", "start"]).to_numpy()
    kept_at = np.cumsum(~repeat) - 1
    keep = every[~repeat].reset_index(drop=True)
    if repeat.any():
        named = keep["rid"].to_numpy()[kept_at[repeat]]
        inputs.ledger.mark(every["rid"].to_numpy()[repeat], DUPLICATE, "duplicate",
                           "repeats " + inputs.ledger.where(named))
    position = np.empty(len(every), dtype=np.int64)
    position[every["made"].to_numpy()] = kept_at
    owner = pd.concat(owners)
    row_period = pd.Series(position[owner.to_numpy()], index=owner.index)
    return keep.drop(columns="made"), overlapping, row_period


def _place(inputs: Inputs, periods: "pd.DataFrame", items: "pd.DataFrame", day: str,
           what: str) -> "pd.DataFrame":
    """Return the items with the period of care holding their `day`; reject the rest."""
    where = care.place(periods, items["child"].to_numpy(), items[day].to_numpy())
    outside = where < 0
    if outside.any():
        inputs.ledger.mark(items["rid"].to_numpy()[outside], REJECTED,
                           f"{what} outside any period of care",
                           "'" + items[day].dt.strftime("%d/%m/%Y").to_numpy()[outside]
                           + "' is in no period of care of this child")
    placed = items[~outside].copy()
    placed["period"] = where[~outside]
    return placed


def _chain(items: "pd.DataFrame", periods: "pd.DataFrame", day: str,
           order: list[str], period: Period) -> "pd.DataFrame":
    """Return the items sorted within their periods, with number, due, on_time, counted."""
    items = items.sort_values(["period", *order], kind="stable").reset_index(drop=True)
    number, when = due.chain(items["period"].to_numpy(), items[day].to_numpy(),
                             due.first_due(periods["start"].to_numpy(),
                                           periods["short_breaks"].to_numpy()),
                             periods["short_breaks"].to_numpy())
    held = items[day].to_numpy().astype("datetime64[D]")
    items["held"], items["number"], items["due"] = held, number, when
    items["on_time"] = held <= when
    items["counted"] = within(held, period.start, period.end)
    return items


def view(reviews: "pd.DataFrame", periods: "pd.DataFrame", as_at: dt.date | None) -> View:
    """Return the view of these reviews as at as_at: for each period of care open then (a
    period whose care ended on or before that day is closed), when its next review was
    due, counted from the reviews held up to that day, and whether that was before it;
    and how many children have such a period."""
    import numpy as np

    n = len(periods)
    if as_at is None or not n:
        return View(reviews, np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
                    np.zeros(n, dtype=bool), 0)
    day = np.datetime64(as_at, "D")
    start = periods["start"].to_numpy().astype("datetime64[D]")
    end = periods["end"].to_numpy().astype("datetime64[D]")
    short = periods["short_breaks"].to_numpy()
    open_ = (start <= day) & (np.isnat(end) | (end > day))
    held = reviews[reviews["held"].to_numpy().astype("datetime64[D]") <= day]
    count = np.bincount(held["period"].to_numpy(dtype=np.int64), minlength=n)
    last = start.copy()
    if len(held):
        latest = held.groupby("period")["held"].max()
        last[latest.index.to_numpy()] = latest.to_numpy().astype("datetime64[D]")
    next_due = np.where(count == 0, due.first_due(start, short),
                        due.next_due(count + 1, last, short))
    next_due = np.where(open_, next_due, np.datetime64("NaT"))
    overdue = open_ & (next_due < day)
    return View(reviews, next_due, overdue,
                len(np.unique(periods["child"].to_numpy()[overdue])))


def _steps_apart(steps: "pd.DataFrame", period: Period) -> tuple[dict, "np.ndarray"]:
    """Return the steps that are not completed reviews, counted in the period, and the
    row ids counted: cancelled (by the day cancelled, else the review or start date),
    still open with a review date (held but not recorded) and open with none yet (by the
    day started)."""
    import numpy as np

    status = steps["status"]
    cancelled = (status == "CANCELLED").to_numpy()
    open_ = status.isin(OPEN_STATUSES).to_numpy()
    has_date = steps["review_date"].notna().to_numpy()
    when = steps["cancelled_on"].fillna(steps["review_date"]).fillna(steps["started_on"])
    counted = {
        "cancelled": cancelled & within(when.to_numpy(), period.start, period.end),
        "held_not_recorded": open_ & has_date
        & within(steps["review_date"].to_numpy(), period.start, period.end),
        "open_no_review_date": open_ & ~has_date
        & within(steps["started_on"].to_numpy(), period.start, period.end)}
    used = np.zeros(len(steps), dtype=bool)
    for mask in counted.values():
        used |= mask
    return ({k: int(m.sum()) for k, m in counted.items()},
            steps["rid"].to_numpy()[used])


def _gap(actual: "pd.DataFrame", system: "pd.DataFrame", steps: "pd.DataFrame") -> dict:
    """Return how many reviews counted on time by the meeting date are late in the system,
    or not recorded in it: the step of that child and review date still open, or none."""
    import numpy as np

    on_time = actual[actual["counted"] & actual["on_time"]]
    live = steps[(steps["status"] != "CANCELLED") & steps["review_date"].notna()]
    step = live.set_index(["child", "review_date"])
    system_on_time = system.set_index("rid")["on_time"]
    keys = list(zip(on_time["child"], on_time["review_date"]))
    found = step.index.isin(keys)
    matched = step[found]
    late = matched["rid"].map(system_on_time).eq(False) & (matched["status"] == "COMPLETED")
    still_open = matched["status"].isin(OPEN_STATUSES)
    return {"late_in_system": int(late.sum()), "step_open": int(still_open.sum()),
            "no_step": int(len(on_time) - np.count_nonzero(
                on_time.set_index(["child", "review_date"]).index.isin(step.index)))}


def figures(inputs: Inputs, period: Period, as_at: dt.date | None) -> Figures:
    """Return the figures of both views for the reporting period, as at as_at, marking
    every row of the ledger used, rejected, a duplicate or outside the period."""
    import numpy as np
    import pandas as pd

    ledger = inputs.ledger
    names = ", ".join(dict.fromkeys(part["file"] for part in ledger.parts))
    if inputs.reviews is None and inputs.steps is None:
        raise DataError(f"{names}: periods of care but no reviews; add the 903 reviews "
                        "(reviews.csv), an IRO review log or a Mosaic workflow-step export "
                        "of looked-after reviews for the same children")
    if inputs.episodes is None and inputs.care_rows is None:
        raise DataError(f"{names}: reviews need the periods of care they belong to; add "
                        "the 903 episodes (episodes.csv) or a Mosaic periods-of-care export "
                        "for the same children")
    periods, overlapping, row_period = periods_of_care(inputs)
    used: list = []

    system = steps_apart = gap = None
    steps = inputs.steps
    if steps is not None:
        steps = mark_duplicates(ledger, steps, ["step_id"], steps["step_id"] != "")
        live = (steps["status"] != "CANCELLED") & steps["review_date"].notna()
        # One meeting, one review: a second live step of the child's review date repeats it.
        steps = mark_duplicates(ledger, steps, ["child", "review_date"], live)
        live = (steps["status"] != "CANCELLED").to_numpy()
        by_review = live & steps["review_date"].notna().to_numpy()
        by_completion = live & ~by_review & steps["completed_on"].notna().to_numpy()
        steps = pd.concat([
            _place(inputs, periods, steps[by_review], "review_date", "LAC review date"),
            _place(inputs, periods, steps[by_completion], "completed_on",
                   "completed on date (no LAC review date)"),
            steps[~by_review & ~by_completion].assign(period=-1)], ignore_index=True)
        completed = steps[steps["status"] == "COMPLETED"]
        chain = _chain(completed, periods, "completed_on",
                       ["completed_on", "review_date", "rid"], period)
        system = view(chain, periods, as_at)
        steps_apart, counted_apart = _steps_apart(steps, period)
        used += [chain.loc[chain["counted"], "rid"].to_numpy(), counted_apart]

    if inputs.reviews is not None:
        held = _place(inputs, periods, inputs.reviews, "review_date", "review date")
        sources = list(held["source"].unique()) or ["903 reviews"]
        actual_source = " and ".join(sources)
    else:
        held = steps[(steps["status"] != "CANCELLED") & steps["review_date"].notna()]
        actual_source = "Mosaic workflow steps (LAC review date)"
    actual = _chain(held, periods, "review_date", ["review_date", "rid"], period)
    used.append(actual.loc[actual["counted"], "rid"].to_numpy())
    if system is not None:
        gap = _gap(actual, system.reviews, steps)

    codes = actual.loc[actual["counted"], "participation"].value_counts()
    participation = {code: int(codes.get(code, 0)) for code in PARTICIPATION_CODES}
    participation["not_recorded"] = int(actual["counted"].sum()) - sum(participation.values())

    window_end = max([d for d in (period.end, as_at) if d], default=None)
    _account(inputs, periods, row_period, np.concatenate(used), period.start, window_end)
    return Figures(period, as_at, periods, view(actual, periods, as_at),
                   actual_source, system, steps_apart, gap, participation,
                   [inputs.children[c] for c in overlapping], inputs.children)


def _account(inputs: Inputs, periods: "pd.DataFrame", row_period: "pd.Series",
             used: "np.ndarray", first: dt.date | None, last: dt.date | None) -> None:
    """Mark outside the period every row still counted as used that no figure used: a
    review or step not counted, an episode or period row whose period of care does not
    reach into the reporting period (up to the as-at date)."""
    import numpy as np

    ledger = inputs.ledger
    start = periods["start"].to_numpy().astype("datetime64[D]")
    end = periods["end"].to_numpy().astype("datetime64[D]")
    reaches = np.ones(len(periods), dtype=bool)
    if last:
        reaches &= start <= np.datetime64(last, "D")
    if first:
        reaches &= np.isnat(end) | (end >= np.datetime64(first, "D"))
    keep = np.zeros(ledger.size, dtype=bool)
    keep[np.asarray(used, dtype=np.int64)] = True
    keep[row_period.index.to_numpy()[reaches[row_period.to_numpy()]]] = True
    ledger.mark(np.flatnonzero(~keep & (ledger.status == USED)), OUTSIDE)
