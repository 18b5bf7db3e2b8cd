"""How far escalations go and how quickly they end: stages, resolution and timeliness.

An escalation's stage is the highest stage it reached (0 = informal); it is resolved when
that stage has a resolution date. Everything is as at one date (`as_at`): by default the
latest date in the loaded data, since today's date would make a historic extract look
all overdue. The legacy log records no stages, so for it only escalations per child can
be given, and `escalations - children` is reported as what it is: an inference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable

from iro_stats import workdays
from iro_stats.errors import AsAtTooEarly
from iro_stats.reports.reconcile import counted_twice_note
from iro_stats.schema import STAGE_NAMES
from iro_stats.suppress import Link
from iro_stats.table import (COUNT, DATE, NOT_APPLICABLE, PERCENT, RATE, TEXT, Column, Note,
                             Ref, Shown, Table, round_half_up, share)

if TYPE_CHECKING:
    import pandas as pd

    from iro_stats.dataset import Selection

FORMAL_STAGES = (0, 1, 2, 3, 4)  # always shown, so months line up even when a stage is empty
TOTAL = "Total"


def stage_name(stage: int) -> str:
    return STAGE_NAMES.get(stage, f"Stage {stage}")


def _as_at(selection: Selection, as_at: dt.date) -> "pd.DataFrame":
    """Return the selection's escalations with stage and resolution as they stood on as_at.

    Stage rows started after as_at did not exist yet, and a resolution after as_at had not
    happened: an escalation resolved on 3 December was open as at 30 November.
    """
    import pandas as pd

    esc = selection.escalations.copy()
    when = pd.Timestamp(as_at)
    late = esc["raised_on"] > when
    if late.any():
        raise AsAtTooEarly(as_at, int(late.sum()), esc.loc[late, "raised_on"].max().date())
    # Each valid row of the escalations, in the order read, with `at`, its escalation's
    # position in esc.
    used = selection.escalation_rows(("raised_on", "resolved_on", "stage"))
    if not ((used["raised_on"] > when) | (used["resolved_on"] > when)).any():
        return esc  # nothing happened after as_at: the escalations stand as recorded
    started = used[used["raised_on"] <= when]
    # An escalation's highest-stage row as escalations.group finds it: highest stage,
    # then latest date raised, then last read (a stable sort keeps the order read).
    by_stage = started.sort_values(["at", "stage", "raised_on"], na_position="first",
                                   kind="stable")
    last = by_stage.groupby("at", sort=False).tail(1).set_index("at")
    key_of = pd.RangeIndex(len(esc))
    esc["stage"] = last["stage"].reindex(key_of).set_axis(esc.index)
    resolved = last["resolved_on"].reindex(key_of).set_axis(esc.index)
    esc["resolved_on"] = resolved.where(resolved <= when)
    return esc


def _applicable(value):
    return NOT_APPLICABLE if value is None else value


def _median(days: "pd.Series") -> float | int | None:
    if days.empty:
        return None
    value = round_half_up(float(days.median()), 1)
    return int(value) if value.is_integer() else value


@dataclass
class StagesReport:
    """Stage, resolution and timeliness figures for one period, as at one date."""

    selection: Selection
    overdue_days: int
    as_at: dt.date | None
    escalations: "pd.DataFrame"  # as at as_at, with staged/resolved/open/age/overdue/days

    # --- figures ----------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.escalations)

    @property
    def children(self) -> int:
        return int(self.escalations["child_id"].nunique())

    @cached_property
    def staged(self) -> "pd.DataFrame":
        # Chosen once: every table reads it several times over.
        return self.escalations[self.escalations["staged"]]

    @property
    def stage_recorded(self) -> bool:
        return bool(self.escalations["staged"].any())

    def stages_shown(self) -> list[int]:
        present = {int(s) for s in self.staged["stage"]}
        return sorted(set(FORMAL_STAGES) | present)

    def by_stage(self) -> dict[int, int]:
        counts = self.staged["stage"].value_counts()
        return {s: int(counts.get(s, 0)) for s in self.stages_shown()}

    def children_by_stage(self) -> dict[int, int]:
        highest = self.staged.groupby("child_id")["stage"].max().value_counts()
        return {s: int(highest.get(s, 0)) for s in self.stages_shown()}

    @cached_property
    def _per_child(self) -> "pd.Series":
        """Each child's escalations in the period (grouped once, read by several tables)."""
        return self.escalations.groupby("child_id").size()

    def per_child_counts(self) -> dict[int, int]:
        """Return {escalations a child had: how many children had that many}."""
        sizes = self._per_child.value_counts().sort_index()
        return {int(k): int(v) for k, v in sizes.items()}

    @property
    def repeat_children(self) -> int:
        return int((self._per_child > 1).sum())

    def count(self, column: str, stage: int | None = None) -> int:
        values = self.staged[column]  # one column chosen from, not the whole table
        if stage is not None:
            values = values[self.staged["stage"] == stage]
        return int(values.sum())

    def median_days(self, stage: int | None = None) -> float | int | None:
        done = self.staged["resolved"]
        if stage is not None:
            done = done & (self.staged["stage"] == stage)
        return _median(self.staged["days"][done])

    @property
    def resolved_early(self) -> int:
        """Return the resolved escalations whose highest stage was informal or stage 1."""
        staged = self.staged
        return int((staged["resolved"] & (staged["stage"] <= 1)).sum())

    # --- words ------------------------------------------------------------------

    def as_at_text(self) -> str:
        return f"{self.as_at:%d/%m/%Y}" if self.as_at else "no dates in the data"

    def overdue_label(self) -> str:
        return f"Open more than {self.overdue_days} working days"

    def heading(self) -> str:
        """Return the line under each title; the as-at date only where stages are recorded."""
        as_at = f" As at {self.as_at_text()}." if self.stage_recorded else ""
        # Each title names the period already.
        return f"Escalations: {self.total:,}; children: {self.children:,}.{as_at}"

    def _no_stage_notes(self, additional: int) -> list:
        """Return the notes of a summary where no stage is recorded; additional: the row
        of additional escalations."""
        if not self.total:
            return ["No escalations were raised in this period."]
        return [f"No stages are recorded for these {self.total} escalations (the legacy log "
                "and any file without a stage column), so stages reached, resolution and "
                "timeliness cannot be reported.",
                Note("Additional escalations beyond each child's first is escalations minus "
                     "children ({} - {} = {}). It is an inference about how many escalations "
                     "went further, not a recorded count of stages.",
                     (Shown(self.total), Shown(self.children), Ref(additional, 1)))]

    # --- tables -----------------------------------------------------------------

    def _summary_lines(self) -> list[tuple[str, str, int, float | None, str | None]]:
        """Return (JSON key, label, count, percent or None, the key of the line the
        percent is of) for each summary line."""
        staged, resolved, open_ = len(self.staged), self.count("resolved"), self.count("open")
        lines = [("escalations", "Escalations", self.total, None, None),
                 ("children", "Children", self.children, None, None)]
        if self.stage_recorded:
            of_staged = "escalations"
            if staged != self.total:
                of_staged = "escalations_with_stage"
                lines += [("escalations_with_stage", "Escalations with a stage recorded",
                           staged, share(staged, self.total), "escalations"),
                          ("escalations_without_stage", "Escalations with no stage recorded",
                           self.total - staged, share(self.total - staged, self.total),
                           "escalations")]
            lines += [("resolved", "Resolved", resolved, share(resolved, staged), of_staged),
                      ("resolved_at_or_before_stage_1",
                       "Resolved at informal stage or stage 1", self.resolved_early,
                       share(self.resolved_early, resolved), "resolved"),
                      ("open", "Open", open_, share(open_, staged), of_staged),
                      ("overdue", f"{self.overdue_label()} (as at {self.as_at_text()})",
                       self.count("overdue"), share(self.count("overdue"), open_), "open")]
        lines += [("children_with_repeat_escalations",
                   "Children with more than one escalation", self.repeat_children,
                   share(self.repeat_children, self.children), "children"),
                  ("additional_escalations_beyond_first",
                   "Additional escalations beyond each child's first"
                   + ("" if self.stage_recorded else " (inference)"),
                   self.total - self.children, None, None)]
        return lines

    def summary_table(self) -> Table:
        lines = self._summary_lines()
        at = {key: i for i, (key, *_) in enumerate(lines)}
        rows = [[label, n, share] for _, label, n, share, _ in lines]
        # How the lines add up, so that a hidden count cannot be worked out from the others.
        sums = [(at["escalations"], (at["children"],
                                     at["additional_escalations_beyond_first"]))]
        staged = at.get("escalations_with_stage", at["escalations"])
        if "escalations_with_stage" in at:
            sums.append((at["escalations"], (staged, at["escalations_without_stage"])))
        if "resolved" in at:
            sums.append((staged, (at["resolved"], at["open"])))
        if self.stage_recorded:
            notes = []
            if "escalations_without_stage" in at:
                sources = sorted(set(self.escalations.loc[~self.escalations["staged"],
                                                          "source"]))
                notes.append(Note("{} of the {} escalations (from " + " and ".join(sources)
                                  + " extracts) have no stage recorded and are left out of "
                                  "the stage and timeliness figures.",
                                  (Ref(at["escalations_without_stage"], 1),
                                   Shown(self.total))))
            notes.append("Percent: resolved and open of the escalations with a stage "
                         "recorded; resolved at informal stage or stage 1 of those resolved; "
                         "open more than the limit of those open; children with more than "
                         "one escalation of the children.")
            notes.append(f"Working days count from the day after an escalation was raised "
                         f"to the as-at date, {workdays.DESCRIPTION}; the IRO Handbook "
                         "gives the formal process 20 working days.")
        else:
            notes = self._no_stage_notes(at["additional_escalations_beyond_first"])
            notes.append("Percent: children with more than one escalation of the children.")
        twice = counted_twice_note(self.selection)
        if twice is not None:
            notes.append(twice)
        return Table(f"IRO escalation stages and timeliness, {self.selection.period.label()}",
                     [Column("Measure", TEXT), Column("Number", COUNT),
                      Column("Percent", PERCENT)], rows,
                     notes=notes, name="Stages summary",
                     # Escalations with a stage are the stage table's total: shown there.
                     headline=(0, 1, *([staged] if staged != at["escalations"] else [])),
                     percent_of={i: at[of] for i, (*_, of) in enumerate(lines) if of},
                     row_sums=sums)

    def stage_table(self) -> Table:
        staged_total = len(self.staged)
        rows = []
        for stage, n in self.by_stage().items():
            rows.append([stage_name(stage), n, share(n, staged_total),
                         self.count("resolved", stage), self.count("open", stage),
                         self.count("overdue", stage), _applicable(self.median_days(stage))])
        rows.append([TOTAL, staged_total, share(staged_total, staged_total),
                     self.count("resolved"), self.count("open"), self.count("overdue"),
                     _applicable(self.median_days())])
        notes = ["Resolved: the highest stage reached has a resolution date on or before "
                 f"{self.as_at_text()}. Median days: calendar days from the escalation being "
                 "raised to that resolution, over the escalations resolved."]
        if staged_total != self.total:
            notes.append("Escalations with no stage recorded are left out (see the summary).")
        return Table(f"IRO escalations by highest stage reached, "
                     f"{self.selection.period.label()}",
                     [Column("Highest stage", TEXT), Column("Escalations", COUNT),
                      Column("Percent", PERCENT), Column("Resolved", COUNT, of="Escalations"),
                      Column("Open", COUNT, of="Escalations"),
                      Column(f"Open > {self.overdue_days} working days", COUNT, of="Open"),
                      Column("Median days to resolve", RATE, of="Resolved")],
                     rows, total=True, notes=notes, name="Escalations by stage")

    def children_stage_table(self) -> Table:
        counts = self.children_by_stage()
        whole = sum(counts.values())
        rows = [[stage_name(s), n, share(n, whole)] for s, n in counts.items()]
        rows.append([TOTAL, whole, share(whole, whole)])
        return Table(f"Children by the highest stage any of their escalations reached, "
                     f"{self.selection.period.label()}",
                     [Column("Highest stage", TEXT), Column("Children", COUNT),
                      Column("Percent", PERCENT)],
                     rows, total=True, name="Children by stage")

    def per_child_table(self) -> Table:
        counts = self.per_child_counts()
        # No column of escalations (k x children): it would give away a suppressed count.
        rows = [[f"{k} escalation{'' if k == 1 else 's'}", n, share(n, self.children)]
                for k, n in counts.items()]
        rows.append([TOTAL, self.children, share(self.children, self.children)])
        return Table(f"Children by number of escalations, {self.selection.period.label()}",
                     [Column("Escalations in the period", TEXT), Column("Children", COUNT),
                      Column("Percent", PERCENT)],
                     rows, total=True, name="Escalations per child")

    def tables(self) -> list[Table]:
        """Return the committee's tables; the stage tables only where stages are recorded."""
        if self.stage_recorded:
            return [self.summary_table(), self.stage_table(), self.children_stage_table(),
                    self.per_child_table()]
        return [self.summary_table(), self.per_child_table()]

    def links(self) -> list[Link]:
        """Return the figures tables() shows twice, or as sums across tables, so that they
        are protected together (iro_stats.suppress.protect_tables)."""
        at = {key: i for i, (key, *_) in enumerate(self._summary_lines())}
        per_child = 3 if self.stage_recorded else 1
        links = []
        ones = list(self.per_child_counts()).index(1) if 1 in self.per_child_counts() else None
        if ones is not None:  # children = those with one escalation + those with more
            links.append(Link(((per_child, ones, 1),
                               (0, at["children_with_repeat_escalations"], 1)),
                              (0, at["children"], 1)))
        if self.stage_recorded:
            total = len(self.stages_shown())
            for key, column in (("resolved", 3), ("open", 4), ("overdue", 5)):
                links.append(Link(((1, total, column),), (0, at[key], 1)))
        return links

    def as_json(self, tables: list[Table]) -> dict:
        """Return the figures as JSON, each read from the cell of `tables` (the tables as
        shown, protected) that shows it, so the JSON hides what they hide."""
        from iro_stats.suppress import json_value

        s = self.selection
        recorded = self.stage_recorded
        shown = {t.name: t for t in tables}
        summary = dict(zip([key for key, *_ in self._summary_lines()],
                           [row[1] for row in shown["Stages summary"].rows]))
        per_child = dict(zip(self.per_child_counts(),
                             [row[1] for row in shown["Escalations per child"].rows]))
        without = summary.get("escalations_without_stage",
                              0 if recorded else summary["escalations"])
        value = {
            "period": s.period.as_json(),
            "as_at": self.as_at.isoformat() if self.as_at else None,
            "overdue_days": self.overdue_days,
            "working_days": workdays.DESCRIPTION,
            "totals": {"escalations": summary["escalations"], "children": summary["children"]},
            "stage_recorded": recorded,
            "escalations_with_stage": summary.get("escalations_with_stage",
                                                  summary["escalations"] if recorded else 0),
            "escalations_without_stage": without,
            "escalations_by_highest_stage": None,
            "children_by_highest_stage": None,
            "resolved_at_or_before_stage_1": None,
            "children_with_repeat_escalations": summary["children_with_repeat_escalations"],
            "escalations_per_child": {str(k): v for k, v in per_child.items()},
            "additional_escalations_beyond_first":
                summary["additional_escalations_beyond_first"],
            "resolved": None,
            "open": None,
            "median_days_to_resolve": None,
            "median_days_to_resolve_by_stage": None,
            "overdue": None,
        }
        twice = shown["Stages summary"].note("possible_duplicates")
        if twice is not None:
            value["possible_duplicates"] = twice.figures[0]
        if not shown["Stages summary"].threshold:  # row accounting, as stderr prints it
            value.update(s.accounting_json())
        if not recorded:
            return value
        stage_rows = shown["Escalations by stage"].rows
        keys = [str(stage) for stage in self.stages_shown()]
        children = shown["Children by stage"].rows
        value.update({
            "escalations_by_highest_stage": dict(zip(keys, [r[1] for r in stage_rows])),
            "children_by_highest_stage": dict(zip(keys, [r[1] for r in children])),
            "resolved_at_or_before_stage_1": summary["resolved_at_or_before_stage_1"],
            "resolved": summary["resolved"],
            "open": summary["open"],
            "median_days_to_resolve": json_value(stage_rows[-1][6]),
            "median_days_to_resolve_by_stage": dict(zip(keys, [json_value(r[6])
                                                               for r in stage_rows])),
            "overdue": summary["overdue"],
        })
        return value

    # --- the per-child detail (personal data: never a committee table) ----------

    def per_child(self, rename: Callable[[str], str] | None = None) -> Table:
        """Return one row per child; `rename` (a pseudonymiser) replaces the child ID."""
        esc = self.escalations
        groups = esc.groupby("child_id", sort=False)
        frame = groups.agg(escalations=("escalation", "size"),
                           first=("raised_on", "min"), last=("raised_on", "max"),
                           any_staged=("staged", "any"), open=("open", "sum"),
                           overdue=("overdue", "sum"))
        highest = esc[esc["staged"]].groupby("child_id")["stage"].max()
        rows = []
        for child, line in frame.iterrows():
            staged = bool(line["any_staged"])
            rows.append([rename(child) if rename else child, int(line["escalations"]),
                         int(highest[child]) if staged else None,
                         int(line["open"]) if staged else None,
                         int(line["overdue"]) if staged else None,
                         line["first"].date(), line["last"].date()])
        rows.sort(key=lambda r: r[0])
        label = "Pseudonym" if rename else "Child ID"
        return Table(f"Per-child detail, {self.selection.period.label()} (personal data)",
                     [Column(label, TEXT), Column("Escalations", COUNT),
                      Column("Highest stage", COUNT), Column("Open escalations", COUNT),
                      Column(self.overdue_label(), COUNT),
                      Column("First raised", DATE), Column("Last raised", DATE)],
                     rows, name="Per child")


def stages(selection: Selection, overdue_days: int = 20,
           as_at: dt.date | None = None) -> StagesReport:
    """Return stage and timeliness figures for the selection, as at as_at.

    as_at defaults to the latest raised or resolved date in the loaded data. An open
    escalation is overdue when more than overdue_days (0 or more) working days old on
    as_at. AsAtTooEarly when as_at is before some escalations were raised.
    """
    import pandas as pd

    if as_at is None:
        as_at = selection.dataset.latest_date()
    esc = _as_at(selection, as_at) if as_at else selection.escalations.copy()
    esc["staged"] = esc["stage"].notna().to_numpy(dtype=bool)
    esc["resolved"] = esc["staged"] & esc["resolved_on"].notna()
    esc["open"] = esc["staged"] & ~esc["resolved"]
    if as_at:
        age = workdays.working_days_since(esc["raised_on"].where(esc["open"]), as_at)
        esc["overdue"] = (age > overdue_days).fillna(False).to_numpy(dtype=bool)
    else:
        esc["overdue"] = False
    esc["days"] = (esc["resolved_on"] - esc["raised_on"]).dt.days.where(esc["resolved"])
    esc["days"] = pd.to_numeric(esc["days"])
    return StagesReport(selection, overdue_days, as_at, esc)
