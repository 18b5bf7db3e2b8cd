"""Legacy and Mosaic escalations side by side on the crosswalk's harmonised categories.

Each side is counted in its own window and turned into a rate per month, so an eight-month
legacy log and a six-week Mosaic extract can be compared. A cutover (go-live) date keeps
each system to its own days; escalations keyed into both systems are found and counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from iro_stats.crosswalk import Crosswalk, NOT_RECORDED, UNMAPPED
from iro_stats.periods import Period
from iro_stats.reports.crosswalk import unlisted_note, unmapped_labels
from iro_stats.schema import SOURCE_NAMES, SOURCES
from iro_stats.table import (COUNT, GRAND_TOTAL, NOT_AVAILABLE, PERCENT, RATE, TEXT, Column,
                             Note, Table, share)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from iro_stats.dataset import Dataset, Selection

DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
# A window that starts or ends this many days away from the side's own escalations is
# worth a note: its rate is spread over days the system was probably not in use.
LOOSE_WINDOW_DAYS = 31


def _fmt(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


@dataclass
class Side:
    """One source's escalations for the comparison and the window its rates use."""

    source: str
    escalations: "pd.DataFrame"
    start: dt.date | None
    end: dt.date | None
    first: dt.date | None  # its first and last escalation, for the notes
    last: dt.date | None

    @property
    def count(self) -> int:
        return len(self.escalations)

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    @property
    def months(self) -> float | None:
        days = self.days
        if days is None:
            return None
        return float((Decimal(days) / DAYS_PER_MONTH).quantize(Decimal("0.01"),
                                                               rounding=ROUND_HALF_UP))

    def per_month(self, count: int) -> float | None:
        """Return count / (days in the window / 30.4375), one place, rounded half up."""
        days = self.days
        if days is None:
            return None
        value = Decimal(count) * DAYS_PER_MONTH / Decimal(days)
        return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    def figures(self, count: int) -> dict:
        return {"count": count, "percent": share(count, self.count),
                "per_month": self.per_month(count)}

    def describe(self) -> str:
        name = SOURCE_NAMES[self.source].heading
        if self.days is None:
            return f"{name}: {self.count} escalations, no window (no escalations and no dates)."
        return (f"{name}: {self.count} escalations, {_fmt(self.start)} to {_fmt(self.end)} "
                f"({self.days} days, {self.months:.2f} months).")

    def as_json(self) -> dict:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None,
                "escalations": self.count, "days": self.days, "months": self.months}


@dataclass
class ReconcileReport:
    selection: "Selection"
    cutover: dt.date | None
    window: int
    like_for_like: bool
    sides: dict[str, Side]
    lines: list[dict]
    pairs: list[dict]  # possible duplicates: {"days_apart", "legacy": row, "mosaic": row}
    legacy_after_cutover: int
    mosaic_before_cutover: int
    unmapped: list[dict]
    extra_notes: list[str] = field(default_factory=list)
    show_unlisted: bool = False
    stretched: bool = False  # a side's window runs well beyond its escalations

    @property
    def crosswalk(self) -> Crosswalk:
        return self.selection.dataset.crosswalk

    @property
    def counted_twice(self) -> int:
        """Return how many possible duplicate pairs have both escalations in the table."""
        return sum(1 for p in self.pairs if p["legacy"]["counted"] and p["mosaic"]["counted"])

    def heading(self) -> str:
        return " ".join(self.sides[s].describe() for s in SOURCES) + \
            " Rate per month = count / (days in the window / 30.4375)."

    def table(self) -> Table:
        columns = [Column("Category", TEXT), Column("Relation", TEXT)]
        for source in SOURCES:
            name = SOURCE_NAMES[source].heading
            columns += [Column(f"{name} Count", COUNT), Column(f"{name} Percent", PERCENT),
                        Column(f"{name} Per month", RATE)]
        rows = []
        for line in self._shown_lines():
            row = [line["name"], line["relation"]]
            for source in SOURCES:
                f = line[source]
                row += [f["count"], f["percent"], _available(f["per_month"])]
            rows.append(row)
        total = [GRAND_TOTAL, ""]
        for source in SOURCES:
            side = self.sides[source]
            total += [side.count, share(side.count, side.count),
                      _available(side.per_month(side.count))]
        rows.append(total)
        title = ("IRO escalations by harmonised category, legacy log and Mosaic, "
                 f"{self.selection.period.label()}")
        if self.like_for_like:
            title += " (like-for-like)"
        return Table(title, columns, rows, total=True, notes=self.notes(), name="Reconcile")

    def _shown_lines(self) -> list[dict]:
        """Return the lines the table shows: Not recorded and the unlisted labels' row
        only when used (the JSON has every line)."""
        return [line for line in self.lines
                if line["category"] not in (NOT_RECORDED, UNMAPPED)
                or any(line[s]["count"] for s in SOURCES)]

    def notes(self) -> list:
        """Return the notes a member needs to read the table without being misled."""
        crosswalk = self.crosswalk
        notes = []
        for line in self.lines:
            if line["relation"] and line["relation"] != "equivalent" and line["notes"]:
                notes.append(f"{line['name']}, {line['relation']}: "
                             f"{'; '.join(line['notes'])}.")
            if line.get("includes"):
                names = [crosswalk.name(c) for c in line["includes"]]
                notes.append(f"{line['name']}, approximate: here it includes {_and(names)}, "
                             "folded in for a like-for-like comparison.")
        if self.cutover:
            notes.append(Note(f"Cutover (go-live) {_fmt(self.cutover)}: left out are {{}} "
                              "legacy escalations raised on or after it and {} Mosaic "
                              "escalations raised before it.",
                              (self.legacy_after_cutover, self.mosaic_before_cutover),
                              key="cutover"))
        notes.append(Note("Possible duplicates across the two systems (same child, same "
                          f"category, raised {_when(self.window)}): {{}}; {{}} of them "
                          "counted on both sides above.",
                          (len(self.pairs), self.counted_twice), key="possible_duplicates"))
        notes += self.extra_notes
        if self.unmapped:
            notes.append(unlisted_note(crosswalk, self.show_unlisted))
        if self.unmapped and self.show_unlisted:
            listed = "; ".join(
                f"{SOURCE_NAMES[u['source']].short} '{u['label']}' ({u['count']}"
                + (f"; closest: {', '.join(u['suggestions'])}" if u["suggestions"] else "")
                + ")" for u in self.unmapped)
            notes.append(f"Labels not in the crosswalk: {listed}. Add them to the crosswalk "
                         "(see 'iro-stats mappings unmapped').")
        return notes

    def as_json(self, table: Table) -> dict:
        """Return the comparison as JSON, each figure read from `table` as shown
        (protected); a category the table leaves out (unused) counts 0."""
        from iro_stats.suppress import json_value

        s = self.selection
        shown = {id(line): row for line, row in zip(self._shown_lines(), table.rows)}
        at = {src: table.column(f"{SOURCE_NAMES[src].heading} Count") for src in SOURCES}
        categories = []
        for line in self.lines:
            item = {k: line[k] for k in ("category", "name", "relation", "relations",
                                         "notes")}
            if self.like_for_like:
                item["includes"] = line.get("includes", [])
            row = shown.get(id(line))
            for src in SOURCES:
                item[src] = {k: json_value(v) for k, v in line[src].items()} \
                    if row is None else dict(zip(
                    ("count", "percent", "per_month"),
                    [json_value(v) for v in row[at[src]:at[src] + 3]]))
            categories.append(item)
        duplicates = table.note("possible_duplicates").figures
        value = {"period": s.period.as_json(),
                 "cutover": self.cutover.isoformat() if self.cutover else None,
                 "window": self.window,
                 "like_for_like": self.like_for_like,
                 **{src: self.sides[src].as_json() for src in SOURCES},
                 "categories": categories,
                 "possible_duplicates": duplicates[0],
                 "duplicates_counted_twice": duplicates[1]}
        cutover = table.note("cutover")
        value["legacy_after_cutover"] = cutover.figures[0] if cutover else 0
        value["mosaic_before_cutover"] = cutover.figures[1] if cutover else 0
        if self.show_unlisted:
            value["unmapped"] = self.unmapped
        if not table.threshold:  # row accounting, as stderr prints it
            value.update(s.accounting_json())
        return value


def _available(value):
    return NOT_AVAILABLE if value is None else value


def _when(window: int) -> str:
    return "on the same day" if window == 0 else \
        f"within {window} day{'s' if window != 1 else ''}"


def counted_twice_note(selection: "Selection", window: int = 0) -> Note | None:
    """Return the note for a table counting both systems' escalations as recorded: one
    keyed into both counts twice, with the number of possible duplicates; None when the
    selection holds escalations of one system only."""
    if len(selection.dataset.sources) < 2:  # one system: no table of escalations needed
        return None
    esc = selection.columns(("source", "child_id", "raised_on", "category"))
    if esc["source"].nunique() < 2:
        return None
    esc["harmonised"] = _harmonised(esc["category"], selection.dataset.crosswalk, False)
    esc["counted"] = True
    pairs = _pairs(esc, selection, window)
    return Note("Escalations from the legacy log and Mosaic are counted as recorded: one "
                "keyed into both systems counts twice. Possible duplicates (same child, "
                f"same category, raised {_when(window)}): {{}}, listed for checking by the "
                "reconciliation.", (len(pairs),), key="possible_duplicates")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reconcile(dataset: "Dataset", period: Period, cutover: dt.date | None = None,
              window: int = 0, like_for_like: bool = False,
              show_unlisted: bool = False) -> ReconcileReport:
    """Return legacy and Mosaic escalations raised in the period counted side by side by
    harmonised category, with each side's window, rates and the cross-system pairs
    (escalations raised `window` days apart or less; 0 or more)."""
    import pandas as pd

    crosswalk = dataset.crosswalk
    selection = dataset.select(period)
    # Only the columns compared and counted: a pair's other fields are read from the
    # selection's table by index, so the whole table is never copied or filtered.
    esc = selection.columns(("source", "child_id", "raised_on", "category", "reason"))
    esc["harmonised"] = _harmonised(esc["category"], crosswalk, like_for_like)
    esc["counted"] = True
    raised = esc["raised_on"]
    after = before = pd.Series(False, index=esc.index)
    if cutover:
        go_live = pd.Timestamp(cutover)
        after = (esc["source"] == "legacy") & (raised >= go_live)
        before = (esc["source"] == "mosaic") & (raised < go_live)
        esc.loc[after | before, "counted"] = False

    sides = {source: _side(source, esc[(esc["source"] == source) & esc["counted"]],
                           period, cutover) for source in SOURCES}
    codes = [c for c in crosswalk.categories if crosswalk.fold(c, like_for_like) == c]
    counts = {source: side.escalations["harmonised"].value_counts()
              for source, side in sides.items()}
    lines = []
    for code in codes:
        line = {"category": code, "name": crosswalk.name(code),
                "relation": crosswalk.relation_text(code),
                "relations": crosswalk.relations(code), "notes": crosswalk.notes(code)}
        if like_for_like:
            line["includes"] = crosswalk.folded_into(code)
            if line["includes"]:
                # Folding is meant to give both sides the same topics, but the labels were
                # never drawn up as one: close, not identical.
                line["relation"], line["notes"] = "approximate", []
        for source, side in sides.items():
            line[source] = side.figures(int(counts[source].get(code, 0)))
        lines.append(line)

    unmapped = unmapped_labels(esc[esc["counted"]], crosswalk)

    report = ReconcileReport(selection, cutover, window, like_for_like, sides, lines,
                             _pairs(esc, selection, window), int(after.sum()),
                             int(before.sum()),
                             unmapped, show_unlisted=show_unlisted)
    report.extra_notes, report.stretched = _window_notes(sides, period)
    return report


def _harmonised(categories: "pd.Series", crosswalk: Crosswalk,
                like_for_like: bool) -> "np.ndarray":
    """Return each escalation's category as counted, folding each distinct category once."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(categories, use_na_sentinel=False)
    folded = np.empty(len(uniques), dtype=object)
    folded[:] = [crosswalk.fold(c, like_for_like) for c in uniques]
    return folded[codes]


def _side(source: str, esc: "pd.DataFrame", period: Period, cutover: dt.date | None) -> Side:
    """Return a source's side: window from --from (or its first escalation) to --to (or
    its last), kept to its own side of the cutover."""
    first = esc["raised_on"].min().date() if len(esc) else None
    last = esc["raised_on"].max().date() if len(esc) else None
    start = period.start or first
    end = period.end or last
    if cutover and source == "legacy" and end and end >= cutover:
        end = cutover - dt.timedelta(days=1)
    if cutover and source == "mosaic" and start and start < cutover:
        start = cutover
    if start and end and end < start:
        start = end = None
    if start is None or end is None:
        start = end = None
    return Side(source, esc, start, end, first, last)


def _window_notes(sides: dict[str, Side], period: Period) -> tuple[list, bool]:
    """Return a note for each window stretched well beyond its side's escalations, and
    whether there is one (the notes are the committee's: what to do about it is not)."""
    notes, stretched = [], False
    for side in sides.values():
        name = SOURCE_NAMES[side.source].heading
        if side.days is None or not side.count:
            if period.start or period.end or side.count:
                notes.append(f"No {name} escalations in the period: its side is empty.")
            continue
        gap_start = (side.first - side.start).days
        gap_end = (side.end - side.last).days
        if gap_start > LOOSE_WINDOW_DAYS:
            notes.append(f"{name} window starts {_fmt(side.start)} but its first escalation "
                         f"was raised {_fmt(side.first)}, so its rates are spread over "
                         f"{gap_start} days without any.")
        if gap_end > LOOSE_WINDOW_DAYS:
            notes.append(f"{name} window ends {_fmt(side.end)} but its last escalation was "
                         f"raised {_fmt(side.last)}, so its rates are spread over {gap_end} "
                         f"days without any.")
        stretched = stretched or max(gap_start, gap_end) > LOOSE_WINDOW_DAYS
    return notes, stretched


PAIR_FIELDS = ("escalation_id", "child_id", "file", "sheet", "row", "raised_on",
               "reason_recorded", "reason", "category", "counted")


def _pairs(esc: "pd.DataFrame", selection: "Selection", window: int) -> list[dict]:
    """Return legacy/Mosaic escalations of one child, in one category, raised within
    `window` days of each other; each escalation in at most one pair, closest first.
    esc: the selection's escalations' columns compared, harmonised and counted."""
    import numpy as np
    import pandas as pd

    mapped = esc[~esc["harmonised"].isin([NOT_RECORDED, UNMAPPED])]
    mapped = mapped[["source", "child_id", "harmonised", "raised_on"]]
    legacy = mapped[mapped["source"] == "legacy"].drop(columns="source")
    mosaic = mapped[mapped["source"] == "mosaic"].drop(columns="source")
    if legacy.empty or mosaic.empty:
        return []
    # Only escalations raised within `window` days of some on the other side can pair:
    # the others need not be matched child by child.
    reach = pd.Timedelta(days=window)
    legacy = legacy[legacy["raised_on"].between(mosaic["raised_on"].min() - reach,
                                                mosaic["raised_on"].max() + reach)]
    mosaic = mosaic[mosaic["raised_on"].between(legacy["raised_on"].min() - reach,
                                                legacy["raised_on"].max() + reach)]
    both = legacy.reset_index().merge(mosaic.reset_index(), on=["child_id", "harmonised"],
                                      suffixes=("_l", "_m"))
    both["days_apart"] = (both["raised_on_m"] - both["raised_on_l"]).dt.days.abs()
    both = both[both["days_apart"] <= window].sort_values(
        ["days_apart", "raised_on_l", "raised_on_m", "index_l", "index_m"], kind="stable")
    used_l, used_m, found = set(), set(), []
    for _, hit in both.iterrows():
        if hit["index_l"] in used_l or hit["index_m"] in used_m:
            continue
        used_l.add(hit["index_l"])
        used_m.add(hit["index_m"])
        found.append((int(hit["days_apart"]), hit["index_l"], hit["index_m"]))
    # The other fields, of the escalations paired alone.
    names = tuple(name for name in PAIR_FIELDS if name != "counted")
    fields = selection.columns(names, np.array([i for _, l, m in found for i in (l, m)],
                                               dtype=np.int64))
    pairs = [{"days_apart": days,
              "legacy": _pair_side(fields.loc[l], esc.at[l, "counted"]),
              "mosaic": _pair_side(fields.loc[m], esc.at[m, "counted"])}
             for days, l, m in found]
    pairs.sort(key=lambda p: (p["legacy"]["raised_on"], p["mosaic"]["raised_on"]))
    return pairs


def _pair_side(row: "pd.Series", counted: bool) -> dict:
    item = {name: row[name] for name in PAIR_FIELDS if name != "counted"}
    item["raised_on"] = row["raised_on"].date()
    item["row"] = int(row["row"])
    item["counted"] = bool(counted)
    return item
