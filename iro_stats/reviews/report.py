"""The reviews tables for the committee, their JSON, and the per-child detail.

The JSON is read from the tables as shown, so that whatever --suppress hides in a table
is hidden in the JSON too. No table carries a child ID; the per-child detail does, and
is never a committee paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from iro_stats import workdays
from iro_stats.reviews.views import Figures
from iro_stats.table import (COUNT, DATE, NOT_APPLICABLE, PERCENT, POINTS, TEXT, Column, Table,
                             round_half_up, share)

if TYPE_CHECKING:
    import pandas as pd

# The DfE's code set for the 903 REVIEW_CODE field, "method of participation".
PARTICIPATION = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Child physically attends and speaks for him or herself (Attendance)",
    "PN2": "Child physically attends and an advocate speaks on his or her behalf "
           "(Attendance views represented by advocate or independent reviewing officer "
           "(IRO))",
    "PN3": "Child attends and conveys his or her view symbolically (non-verbally) "
           "(Attendance symbols)",
    "PN4": "Child physically attends but does not speak for him or herself, does not "
           "convey his or her view symbolically (non-verbally) and does not ask an "
           "advocate to speak for him or her (Attendance without contribution)",
    "PN5": "Child does not attend physically but briefs an advocate to speak for him or "
           "her (Views represented by advocate or independent reviewing officer (IRO) "
           "through texting, written format, phone, audio/video, viewpoint)",
    "PN6": "Child does not attend but conveys his or her feelings to the review by a "
           "facilitative medium (Texting the chair, written format, phone, audio/video, "
           "viewpoint)",
    "PN7": "Child does not attend nor are his or her views conveyed to the review",
}
NOT_RECORDED = "Not recorded, or not one of these codes"
REVIEW_ROWS = (("first", "First review"), ("second", "Second review"),
               ("subsequent", "Subsequent reviews"))
ALL_REVIEWS = "All reviews"
RULE = (f"Review 1 is due 20 working days after the period of care starts "
        f"({workdays.DESCRIPTION}), review 2 three months after review 1 was held, each "
        "later one six months after the one before; in a short-breaks period review 1 is "
        "due three months after the start, each later one six months after the one "
        "before. A review is on time when held on or before the day it is due. Reviews are "
        "numbered within their period of care, counting those held before this period.")


def _yes(flag) -> str:
    return "" if flag is None or flag != flag else ("Yes" if flag else "No")


@dataclass
class ReviewsReport:
    """The reviews figures of one reporting period as the committee's tables."""

    figures: Figures

    @property
    def label(self) -> str:
        return self.figures.period.label()

    def as_at_text(self) -> str:
        return f"{self.figures.as_at:%d/%m/%Y}" if self.figures.as_at else "no date"

    def heading(self) -> str:
        """Return the line under each title (no count: a count here would escape
        --suppress)."""
        return f"As at {self.as_at_text()}; actual view from the {self.figures.actual_source}."

    # --- tables -----------------------------------------------------------------

    def view_table(self, name: str) -> Table:
        """Return held, on time, late and percent by first, second, subsequent review."""
        view = self.figures.actual if name == "actual" else self.figures.system
        f = view.figures()
        rows = []
        for key, label in REVIEW_ROWS:
            held, on_time = f["by_review"][key]["held"], f["by_review"][key]["on_time"]
            rows.append([label, held, on_time, share(on_time, held), held - on_time])
        rows.append([ALL_REVIEWS, f["held"], f["on_time"], share(f["on_time"], f["held"]),
                     f["late"]])
        if name == "actual":
            title = f"Looked-after reviews on time by the meeting date (actual), {self.label}"
            held = "Held"
            notes = [f"Actual: the dates the review meetings were held, from the "
                     f"{self.figures.actual_source}.", RULE]
        else:
            title = (f"Looked-after reviews on time as the system records them (workflow "
                     f"steps completed), {self.label}")
            held = "Completed"
            notes = ["System: the dates COMPLETED workflow steps were completed, in that "
                     "order; each is numbered and due as in the actual view, but from the "
                     "completion dates before it, as a system report computes them."]
        # On time and late are parts of those held. The percent is of the row's own
        # reviews, and gives away a hidden one of held, on time and late whenever any is
        # hidden: tied to Late in its own row, it is hidden with it, and Late is hidden
        # whenever another is (they add up), unless it is 0 and the percent is 100.
        return Table(title, [Column("Review", TEXT), Column(held, COUNT),
                             Column("On time", COUNT, of=held),
                             Column("% on time", PERCENT, of="Late"),
                             Column("Late", COUNT, of=held)],
                     rows, total=True, notes=notes,
                     percent_of={i: i for i in range(len(rows))},
                     name="Actual" if name == "actual" else "System")

    def children_table(self) -> Table:
        views = [("Actual", self.figures.actual)]
        if self.figures.system is not None:
            views.append(("System", self.figures.system))
        figures = [v.figures() for _, v in views]
        measures = [("children_reviewed", "Children reviewed in the period"),
                    ("children_all_on_time", "Children whose every review was on time"),
                    ("overdue_not_held", "Children with a review overdue and not held at "
                                         + self.as_at_text())]
        rows = [[label] + [f[key] for f in figures] for key, label in measures]
        return Table(f"Children reviewed and reviews overdue, {self.label}",
                     [Column("Measure", TEXT)] + [Column(n, COUNT) for n, _ in views], rows,
                     notes=["Overdue and not held: the child's period of care was open at "
                            f"{self.as_at_text()} (care that ended on or before that day is "
                            "closed) and the next review, counted from the reviews held up "
                            "to that day, was due before it."],
                     name="Children")

    def gap_table(self) -> Table:
        """Return each view's reviews and those on time, the percentage points between
        the views, and the reviews on time by the meeting date that the system shows late
        or not at all."""
        gap = self.figures.gap
        a, s = self.figures.actual.figures(), self.figures.system.figures()
        pa, ps = share(a["on_time"], a["held"]), share(s["on_time"], s["held"])
        # No reviews on one side: no percentage, so no gap in points either.
        points = NOT_APPLICABLE if NOT_APPLICABLE in (pa, ps) else round_half_up(pa - ps, 1)
        rows = [["Reviews held (by the meeting date)", a["held"], None, None],
                ["On time by the meeting date", a["on_time"], pa, None],
                ["Reviews completed (in the system)", s["held"], None, None],
                ["On time in the system", s["on_time"], ps, points],
                ["On time by the meeting date but late in the system",
                 gap["late_in_system"], None, None],
                ["On time by the meeting date but not recorded: the step is still open",
                 gap["step_open"], None, None],
                ["On time by the meeting date but not recorded: no step of that child and "
                 "review date", gap["no_step"], None, None],
                ["On time by the meeting date but late or unrecorded in the system",
                 sum(gap.values()), None, None]]
        # The difference gives either view's percent away, given the other: in the
        # system's row and a percent "of" the meeting-date row, it is hidden when either
        # on-time count is (so is the system's percent, then: more than needed, not less).
        return Table(f"The gap between the views, {self.label}",
                     [Column("Measure", TEXT), Column("Reviews", COUNT),
                      Column("Percent", PERCENT),
                      Column("Difference, percentage points", POINTS, of="Reviews")],
                     rows, headline=(0, 2), percent_of={1: 0, 3: 1},
                     row_sums=[(7, (4, 5, 6))],
                     notes=["The difference is the meeting-date percent less the system's. "
                            "A meeting is matched to the workflow step of the same child "
                            "and LAC review date."],
                     name="Gap")

    def steps_table(self) -> Table:
        steps = self.figures.steps
        rows = [["Cancelled (not reviews)", steps["cancelled"]],
                ["Still open with a review date: held but not recorded",
                 steps["held_not_recorded"]],
                ["Still open with no review date yet", steps["open_no_review_date"]]]
        return Table(f"Workflow steps that are not completed reviews, {self.label}",
                     [Column("Workflow steps", TEXT), Column("Steps", COUNT)], rows,
                     notes=["Counted in the period by the day cancelled (else the review or "
                            "start date), the LAC review date, or the day started."],
                     name="Steps")

    def participation_table(self) -> Table:
        counts = self.figures.participation
        held = sum(counts.values())
        rows = [[code, words, counts[code], share(counts[code], held)]
                for code, words in PARTICIPATION.items()]
        rows.append(["", NOT_RECORDED, counts["not_recorded"],
                     share(counts["not_recorded"], held)])
        rows.append(["Total", "", held, share(held, held)])
        return Table(f"Children's participation in their reviews (actual), {self.label}",
                     [Column("Code", TEXT), Column("Method of participation (DfE)", TEXT),
                      Column("Reviews", COUNT), Column("Percent", PERCENT)],
                     rows, total=True, name="Participation")

    def trend_table(self, months: list) -> Table:
        """Return, for each month (a Period), each view's reviews, those on time and late,
        and the percent on time: in the month they were held (actual) or their workflow
        step was completed (system)."""
        f = self.figures
        views = [("", "Held", f.actual)]
        if f.system is not None:
            views.append((" (system)", "Completed (system)", f.system))
        columns = [Column("Month", TEXT)]
        for suffix, held, _ in views:
            # As in view_table: the percent goes with Late, hidden whenever any is.
            columns += [Column(held, COUNT), Column(f"On time{suffix}", COUNT, of=held),
                        Column(f"% on time{suffix}", PERCENT, of=f"Late{suffix}"),
                        Column(f"Late{suffix}", COUNT, of=held)]
        rows = []
        for month in months:
            row = [f"{month.start:%B %Y}"]
            for _, _, view in views:
                held, on_time = view.held_in(month.start, month.end)
                row += [held, on_time, share(on_time, held), held - on_time]
            rows.append(row)
        title = "Looked-after reviews on time by month"
        if rows:
            title += f", {rows[0][0]} to {rows[-1][0]}"
        return Table(title, columns, rows, name="Reviews trend",
                     percent_of={i: i for i in range(len(rows))},
                     notes=["Each review counted in the month it was held (actual) or its "
                            "workflow step was completed (system), due as in the tables "
                            "before."])

    def pack_tables(self, months: list) -> tuple[list[Table], list]:
        """Return the monthly pack's reviews tables (each view, the gap, the trend over
        `months`) and the links between them: the gap's on-time counts are the views'
        totals, and the months of the reporting period add up to them."""
        from iro_stats.suppress import Link

        f = self.figures
        tables = [self.view_table("actual")]
        if f.system is not None:
            tables += [self.view_table("system"), self.gap_table()]
        for table in tables:  # the pack's sheets: named apart from the escalations' own
            table.name = f"Reviews {table.name.lower()}"
        tables.append(self.trend_table(months))
        at_trend, total = len(tables) - 1, len(REVIEW_ROWS)
        inside = [i for i, m in enumerate(months)
                  if (f.period.start is None or m.start >= f.period.start)
                  and (f.period.end is None or m.end <= f.period.end)]
        links = []
        # The months add up to the period's figures only where they make the whole of it.
        if inside and months[inside[0]].start == f.period.start \
                and months[inside[-1]].end == f.period.end:
            for view in range(1 + (f.system is not None)):
                base = 1 + 4 * view  # the view's Held column in the trend table
                # Held, On time and Late in the view's table -> the same in the trend.
                for column, at in ((1, base), (2, base + 1), (4, base + 3)):
                    links.append(Link(tuple((at_trend, i, at) for i in inside),
                                      (view, total, column)))
        if f.system is not None:
            links += _gap_links(0, 1, 2)
        return tables, links

    def links(self) -> list:
        """Return the figures shown in two of self.tables() (see _gap_links)."""
        return _gap_links(0, 1, 3) if self.figures.system is not None else []

    def tables(self) -> list[Table]:
        """Return the committee's tables: each view, children, the gap, participation."""
        tables = [self.view_table("actual")]
        if self.figures.system is not None:
            tables.append(self.view_table("system"))
        tables.append(self.children_table())
        if self.figures.system is not None:
            tables += [self.gap_table(), self.steps_table()]
        tables.append(self.participation_table())
        return tables

    # --- JSON -------------------------------------------------------------------

    def as_json(self, tables: list[Table] | None = None, rows: dict | None = None,
                problems: dict | None = None) -> dict:
        """Return the figures as JSON, each read from the cell of `tables` that shows it
        (default: self.tables()); give the tables as shown after --suppress. `rows` and
        `problems`: the row accounting and the rejected rows by reason."""
        from iro_stats.suppress import json_value

        shown = {t.name: t for t in (self.tables() if tables is None else tables)}
        children = shown["Children"].rows

        def view(name: str, column: int):
            if name not in shown:
                return None
            body = shown[name].rows
            total = body[-1]
            return {"held": total[1], "on_time": total[2], "late": total[4],
                    "percent_on_time": json_value(total[3]),
                    "by_review": {key: {"held": r[1], "on_time": r[2], "late": r[4]}
                                  for (key, _), r in zip(REVIEW_ROWS, body)},
                    "children_reviewed": children[0][column],
                    "children_all_on_time": children[1][column],
                    "overdue_not_held": children[2][column]}

        f = self.figures
        value = {"period": f.period.as_json(),
                 "as_at": f.as_at.isoformat() if f.as_at else None,
                 "actual_source": f.actual_source,
                 "actual": view("Actual", 1), "system": view("System", 2),
                 "gap": None, "steps": None}
        if "Gap" in shown:
            gap = shown["Gap"].rows
            value["gap"] = {"percentage_points": json_value(gap[3][3]), "late_in_system": gap[4][1],
                            "step_open": gap[5][1], "no_step": gap[6][1],
                            "on_time_but_late_or_unrecorded": gap[7][1]}
            steps = shown["Steps"].rows
            value["steps"] = {"cancelled": steps[0][1], "held_not_recorded": steps[1][1],
                              "open_no_review_date": steps[2][1]}
        participation = shown["Participation"].rows
        value["participation"] = {r[0]: r[2] for r in participation[:8]}
        value["participation"]["not_recorded"] = participation[8][2]
        value["periods_of_care"] = len(f.periods)
        if rows is not None:
            value["rows"] = rows
            value["rejected_by_reason"] = problems or {}
        return value

    # --- the per-child detail (personal data: never a committee table) ----------

    def per_child(self, rename: Callable[[str], str] | None = None) -> Table:
        """Return one row per review counted in the period (actual or system), by child
        and period of care, with its due, held and completed dates and on-time flags;
        and a row for each period of care reaching into the period with none. Each row
        also gives its period's next review due at the as-at date, and whether it was
        overdue and not held then."""
        import numpy as np
        import pandas as pd

        f = self.figures
        keys = ["child", "period", "review_date"]
        actual = f.actual.counted[keys + ["number", "due", "held", "on_time"]]
        if f.system is not None:
            system = f.system.counted[keys + ["number", "due", "held", "on_time"]]
            rows = actual.merge(system, on=keys, how="outer", suffixes=("", "_system"))
        else:
            rows = actual.assign(number_system=None, due_system=pd.NaT, held_system=pd.NaT,
                                 on_time_system=None)
        periods = f.periods
        start = periods["start"].to_numpy().astype("datetime64[D]")
        end = periods["end"].to_numpy().astype("datetime64[D]")
        reaches = np.ones(len(periods), dtype=bool)
        if f.period.end:
            reaches &= start <= np.datetime64(f.period.end, "D")
        if f.period.start:
            reaches &= np.isnat(end) | (end >= np.datetime64(f.period.start, "D"))
        empty = np.setdiff1d(np.flatnonzero(reaches), rows["period"].to_numpy(dtype=np.int64))
        rows = pd.concat([rows, pd.DataFrame({"period": empty,
                                              "child": periods["child"].to_numpy()[empty]})],
                         ignore_index=True)
        views = [f.actual] + ([f.system] if f.system is not None else [])
        out = []
        for r in rows.itertuples(index=False):
            at = int(r.period)
            child = f.children[int(r.child)]
            line = [rename(child) if rename else child, _day(start[at]), _day(end[at]),
                    _yes(bool(periods["short_breaks"].iat[at])),
                    _int(r.number), _day(r.due), _day(r.held), _yes(r.on_time),
                    _int(r.number_system), _day(r.due_system), _day(r.held_system),
                    _yes(r.on_time_system)]
            for v in views:
                overdue = _yes(bool(v.overdue[at])) if not np.isnat(v.next_due[at]) else ""
                line += [_day(v.next_due[at]), overdue]
            out.append(line)
        out.sort(key=lambda row: (row[0], row[1], row[6] or row[10] or row[1]))
        as_at = self.as_at_text()
        columns = [Column("Pseudonym" if rename else "Child ID", TEXT),
                   Column("Period of care start", DATE), Column("Period of care end", DATE),
                   Column("Short breaks", TEXT), Column("Review", COUNT), Column("Due", DATE),
                   Column("Held", DATE), Column("On time", TEXT),
                   Column("System review", COUNT), Column("System due", DATE),
                   Column("Completed", DATE), Column("On time in system", TEXT),
                   Column(f"Next due at {as_at}", DATE),
                   Column(f"Overdue and not held at {as_at}", TEXT)]
        if f.system is not None:
            columns += [Column(f"System next due at {as_at}", DATE),
                        Column(f"Overdue in system at {as_at}", TEXT)]
        return Table(f"Reviews per child, {self.label} (personal data)", columns, out,
                     name="Per child")


def _gap_links(actual: int, system: int, gap: int) -> list:
    """Return the links saying each view's reviews on time in the gap table (the tables
    at these positions) are its view table's total, so one is hidden wherever the other
    is."""
    from iro_stats.suppress import Link

    total, on_time = len(REVIEW_ROWS), 2
    return [Link(((gap, 1, 1),), (actual, total, on_time)),
            Link(((gap, 3, 1),), (system, total, on_time))]


def _day(value):
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _int(value):
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)
