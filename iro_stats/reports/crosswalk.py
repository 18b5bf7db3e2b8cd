"""The crosswalk as an analyst reads it: its categories, its labels, and the labels in
the data it does not know, each with its count and the closest known labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iro_stats.crosswalk import (CROSSWALK_COLUMNS, NOT_RECORDED, NOT_RECORDED_LABEL, UNMAPPED,
                                 UNMAPPED_LABEL, Crosswalk)
from iro_stats.schema import SOURCES
from iro_stats.table import COUNT, TEXT, Column, Note, Table

if TYPE_CHECKING:
    import pandas as pd

    from iro_stats.periods import Period


def _labels(crosswalk: Crosswalk) -> list:
    """Return the crosswalk's labels by category (in display order), source, then file line."""
    order = list(crosswalk.categories)
    return sorted(crosswalk.labels, key=lambda l: (order.index(l.category),
                                                   SOURCES.index(l.source), l.line))


def tables(crosswalk: Crosswalk) -> list[Table]:
    """Return the categories table, then every label and its category."""
    categories = Table(
        f"Harmonised categories ({crosswalk.directory})",
        [Column("Code"), Column("Name"), Column("Order"),
         Column("Like-for-like"), Column("Relation")],
        [[c.code, c.name, str(c.order), c.like_for_like, crosswalk.relation_text(c.code)]
         for c in crosswalk.categories.values() if c.code not in (NOT_RECORDED, UNMAPPED)],
        name="Categories")
    labels = Table(
        "Crosswalk: each source label and its harmonised category",
        [Column("Source"), Column("Label"), Column("Shown as"), Column("Category"),
         Column("Relation"), Column("Note", TEXT)],
        [[l.source, l.label, l.shown_as if l.shown_as != l.label else "", l.category,
          l.relation, l.note] for l in _labels(crosswalk)],
        notes=[f"{len(crosswalk.labels)} labels; blank reasons count as "
               f"'{NOT_RECORDED_LABEL}', labels not listed as '{UNMAPPED_LABEL}'. "
               f"sha256 {crosswalk.sha256[:12]}."],
        name="Crosswalk")
    return [categories, labels]


def as_json(crosswalk: Crosswalk) -> dict:
    """Return the crosswalk's folder, checksum, categories and labels as JSON."""
    return {"directory": str(crosswalk.directory), "sha256": crosswalk.sha256,
            "categories": [{"code": c.code, "name": c.name, "order": c.order,
                            "like_for_like": c.like_for_like,
                            "relation": crosswalk.relation_text(c.code)}
                           for c in crosswalk.categories.values()],
            "labels": [{"source": l.source, "label": l.label, "shown_as": l.shown_as,
                        "category": l.category, "relation": l.relation, "note": l.note}
                       for l in _labels(crosswalk)]}


def unlisted_note(crosswalk, shown: bool) -> Note:
    """Return the note under a table with a row of labels not in the crosswalk."""
    name = crosswalk.name(UNMAPPED)
    if shown:
        return Note(f"Labels not in the crosswalk are shown as written, for the analyst's "
                    f"checking: not for a committee paper, where they are counted as "
                    f"'{name}'.", key="unlisted")
    return Note(f"{name}: reasons written with a label that is in neither the source's "
                "vocabulary nor the crosswalk. They are counted but not shown, as a typed "
                "label can carry a name; an analyst can add each to the crosswalk.",
                key="unlisted")


def unmapped_labels(frame: "pd.DataFrame", crosswalk: Crosswalk) -> list[dict]:
    """Return the reason labels the crosswalk does not know among frame's rows (columns
    source, reason, category), as {source, label, count, suggestions}: sources in order,
    then the most frequent first. A label is in the spelling the cleaning shows it in, one
    for all that differ only in case and spacing. Suggestions are never applied."""
    found = frame[frame["category"] == UNMAPPED]
    items = [{"source": source, "label": label, "count": int(count),
              "suggestions": crosswalk.suggestions(source, label)}
             for (source, label), count
             in found.groupby(["source", "reason"]).size().items()]
    items.sort(key=lambda u: (SOURCES.index(u["source"]), -u["count"],
                              u["label"].casefold()))
    return items


def unmapped_table(items: list[dict], crosswalk: Crosswalk, period: "Period") -> Table:
    """Return the unmapped labels (from unmapped_labels) as a table for the analyst."""
    return Table(f"Reason labels not in the crosswalk ({crosswalk.directory}), "
                 f"{period.label()}",
                 [Column("Source"), Column("Label"), Column("Escalations", COUNT),
                  Column("Closest known labels", TEXT)],
                 [[u["source"], u["label"], u["count"], "; ".join(u["suggestions"])]
                  for u in items],
                 notes=["Suggestions are never applied: add a row to crosswalk.csv for "
                        "each label (an alias names the label it shows as in shown_as)."]
                 if items else [], name="Unmapped")


def new_rows_table(items: list[dict]) -> Table:
    """Return unknown labels (from unmapped_labels) as crosswalk.csv rows, category and
    relation left for a person to fill in; the suggestions go in the note, never in the
    mapping. Written as CSV, a label a spreadsheet would run as a formula gets a ' first,
    which the crosswalk's reader takes off again."""
    return Table("New crosswalk rows",
                 [Column(name) for name in (*CROSSWALK_COLUMNS, "shown_as")],
                 [[u["source"], u["label"], "", "",
                   f"{u['count']} escalation{'s' if u['count'] != 1 else ''}; closest "
                   f"known: {'; '.join(u.get('suggestions') or []) or 'none'}", ""]
                  for u in items], name="New rows", disclosive=False)
