"""The committee's reasons table: count and percent of escalations by reason or category."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from iro_stats.table import COUNT, PERCENT, TEXT, Column, Table, percent

if TYPE_CHECKING:
    from iro_stats.dataset import Selection

GRAND_TOTAL = "Grand Total"


@dataclass
class ReasonsReport:
    selection: Selection
    by: str  # "reason" (the source's labels) or "category" (harmonised)
    lines: list[dict]

    @property
    def escalations(self) -> int:
        return self.selection.escalation_count

    def heading(self) -> str:
        s = self.selection
        return f"Escalations: {self.escalations}; children: {s.children}."

    def table(self) -> Table:
        label = "Reason" if self.by == "reason" else "Category"
        columns = [Column(label, TEXT), Column("Count", COUNT), Column("Percent", PERCENT)]
        key = "reason" if self.by == "reason" else "name"
        rows = [[line[key], line["count"], line["percent"]] for line in self.lines]
        total = 100.0 if self.escalations else 0.0
        rows.append([GRAND_TOTAL, self.escalations, total])
        title = (f"Reasons for IRO escalations, {self.selection.period.label()}"
                 if self.by == "reason" else
                 f"IRO escalations by harmonised category, {self.selection.period.label()}")
        notes = []
        unknown = [l for l in self.lines if l.get("category") == "unmapped"]
        if unknown:
            notes.append("Labels not in the crosswalk, counted as written: "
                         + "; ".join(f"'{l['reason']}' ({l['count']})" for l in unknown)
                         if self.by == "reason" else
                         f"Unmapped labels: {sum(l['count'] for l in unknown)} escalations; "
                         "see 'iro-stats mappings unmapped'.")
        return Table(title, columns, rows, total=True, notes=notes, name="Reasons")

    def as_json(self) -> dict:
        s = self.selection
        return {"period": s.period.as_json(),
                "by": self.by,
                "totals": {"escalations": self.escalations, "children": s.children},
                "reasons": self.lines,
                "rows": s.rows,
                "rejected_by_reason": s.problems,
                "unknown_labels": [l["reason"] for l in self.lines
                                   if l.get("category") == "unmapped"]}


def reasons(selection: Selection, by: str = "reason") -> ReasonsReport:
    """Return escalations counted by reason label (by='reason') or category ('category')."""
    total = selection.escalation_count
    crosswalk = selection.dataset.crosswalk
    lines = []
    if by == "reason":
        counts = selection.counts(("reason", "category"))
        for (reason, category), count in counts.items():
            lines.append({"reason": reason, "count": count,
                          "percent": percent(count, total), "category": category})
        lines.sort(key=lambda l: (-l["count"], l["reason"].casefold()))
    else:
        counts = selection.counts(("category",))
        order = list(crosswalk.categories)
        for (code,), count in counts.items():
            lines.append({"category": code, "name": crosswalk.name(code), "count": count,
                          "percent": percent(count, total)})
        lines.sort(key=lambda l: (-l["count"], order.index(l["category"])))
    return ReasonsReport(selection, by, lines)
