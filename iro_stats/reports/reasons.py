"""The committee's reasons table: count and percent of escalations by reason or category."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from iro_stats.crosswalk import UNMAPPED
from iro_stats.reports.crosswalk import unlisted_note
from iro_stats.table import (COUNT, GRAND_TOTAL, PERCENT, TEXT, Column, Note, Table, percent,
                             share)

if TYPE_CHECKING:
    from iro_stats.dataset import Selection

@dataclass
class ReasonsReport:
    selection: Selection
    by: str  # "reason" (the source's labels) or "category" (harmonised)
    lines: list[dict]
    show_unlisted: bool = False
    duplicates: Note | None = None  # possible duplicates across the two systems

    @property
    def escalations(self) -> int:
        return self.selection.escalation_count

    def heading(self) -> str:
        s = self.selection
        return f"Escalations: {self.escalations:,}; children: {s.children:,}."

    def categories(self) -> list[str]:
        """Return the category of each row of table() above its Grand Total: by it the
        rows add up to a table by category (iro_stats.reports.pack_links)."""
        return [line["category"] for line in self.lines]

    def table(self) -> Table:
        label = "Reason" if self.by == "reason" else "Category"
        columns = [Column(label, TEXT), Column("Count", COUNT), Column("Percent", PERCENT)]
        key = "reason" if self.by == "reason" else "name"
        rows = [[line[key], line["count"], line["percent"]] for line in self.lines]
        rows.append([GRAND_TOTAL, self.escalations, share(self.escalations, self.escalations)])
        title = (f"Reasons for IRO escalations, {self.selection.period.label()}"
                 if self.by == "reason" else
                 f"IRO escalations by harmonised category, {self.selection.period.label()}")
        notes = []
        if any(line.get("category") == UNMAPPED for line in self.lines):
            notes.append(unlisted_note(self.selection.dataset.crosswalk, self.show_unlisted))
        if self.duplicates is not None:
            notes.append(self.duplicates)
        return Table(title, columns, rows, total=True, notes=notes, name="Reasons")

    def as_json(self, table: Table) -> dict:
        """Return the report as JSON, each figure read from `table` as shown (protected)."""
        from iro_stats.suppress import json_value

        s = self.selection
        key = "reason" if self.by == "reason" else "name"
        lines = []
        for line, row in zip(self.lines, table.rows):
            lines.append({**line, key: row[0], "count": row[1], "percent": json_value(row[2])})
        value = {"period": s.period.as_json(),
                 "by": self.by,
                 "totals": {"escalations": table.rows[-1][1], "children": s.children},
                 "reasons": lines}
        if self.duplicates is not None:
            value["possible_duplicates"] = table.note("possible_duplicates").figures[0]
        if self.show_unlisted:
            value["unlisted_labels"] = [line["reason"] for line in self.lines
                                        if line.get("category") == UNMAPPED]
        if not table.threshold:  # row accounting, as stderr prints it
            value.update(s.accounting_json())
        return value


def reasons(selection: "Selection", by: str = "reason",
            show_unlisted: bool = False) -> ReasonsReport:
    """Return escalations counted by reason label (by='reason') or category ('category').

    A label that is not in the crosswalk is counted under the crosswalk's name for such
    labels, not shown, unless show_unlisted (for the analyst's own checking).
    """
    from iro_stats.reports.reconcile import counted_twice_note

    total = selection.escalation_count
    crosswalk = selection.dataset.crosswalk
    lines = []
    if by == "reason":
        merged: dict[tuple[str, str], int] = {}
        for (reason, category), count in selection.counts(("reason", "category")).items():
            if category == UNMAPPED and not show_unlisted:
                reason = crosswalk.name(UNMAPPED)
            merged[(reason, category)] = merged.get((reason, category), 0) + count
        for (reason, category), count in merged.items():
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
    return ReasonsReport(selection, by, lines, show_unlisted, counted_twice_note(selection))
