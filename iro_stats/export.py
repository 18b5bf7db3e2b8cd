"""Row-level files for analysts: the rejects file, the cleaned export and the
cross-system duplicates list. They carry child IDs: they are never committee papers, and
on POSIX systems they are created readable by their owner only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats.errors import UsageError
from iro_stats.render.output import atomic_path
from iro_stats.render.text import csv_safe

if TYPE_CHECKING:
    import pandas as pd

    from iro_stats.dataset import Dataset, Selection

# The rejects file shows each row as written, so an analyst can find and fix it.
REJECT_COLUMNS = {"status": "status", "problem": "problem", "detail": "detail",
                  "file": "file", "sheet": "sheet", "row": "row", "source": "source",
                  "child_id": "child_id", "escalation_id": "escalation_id",
                  "raised_on_as_written": "raised_on", "stage_as_written": "stage",
                  "resolved_on_as_written": "resolved_on", "reason_recorded": "reason"}


def write_rejects(dataset: "Dataset", path: str | Path, inputs=()) -> Path:
    """Write every rejected and duplicate row, with its reason and origin, as CSV."""
    rows = dataset.rows
    out = rows.loc[rows["status"].isin(["rejected", "duplicate"]), list(REJECT_COLUMNS)]
    return write_csv(out.rename(columns=REJECT_COLUMNS), path, inputs)


# The cleaned export: one row per escalation, for Excel or Power BI. Child IDs are in it:
# it is an analyst's file, never a committee paper.
ESCALATION_COLUMNS = {"source": "source", "file": "file", "sheet": "sheet", "row": "row",
                      "escalation_id": "escalation_id", "child_id": "child_id",
                      "raised_on": "raised_on", "stage": "highest_stage",
                      "resolved_on": "resolved_on", "reason_recorded": "reason_recorded",
                      "reason": "reason", "category": "category",
                      "category_name": "category_name", "relation": "relation",
                      "outcome": "outcome", "team": "team", "iro": "iro",
                      "stage_rows": "stage_rows"}
EXPORT_SUFFIXES = (".csv", ".xlsx")
PAIR_COLUMNS = ("pair", "days_apart", "source", "counted_in_table", "escalation_id",
                "child_id", "file", "sheet", "row", "raised_on", "reason_recorded", "reason",
                "category")


def export_kind(path: str | Path) -> str:
    """Return 'csv' or 'xlsx' from an output file's name, or a UsageError."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise UsageError(f"{path}: give a file name ending .csv or .xlsx")
    return suffix[1:]


def escalation_frame(escalations: "pd.DataFrame", crosswalk) -> "pd.DataFrame":
    """Return the escalations in the export's columns and order."""
    out = escalations.copy()
    out["category_name"] = [crosswalk.name(c) for c in out["category"]]
    out = out[list(ESCALATION_COLUMNS)].rename(columns=ESCALATION_COLUMNS)
    return out.reset_index(drop=True)


def write_escalations(selection: "Selection", path: str | Path, inputs=(),
                      progress=None) -> Path:
    """Write the selection's escalations, one row each, as .csv or .xlsx; progress(rows
    written, rows), when given, is told how a workbook's rows are going."""
    frame = escalation_frame(selection.escalations, selection.dataset.crosswalk)
    return write_frame(frame, path, inputs, "Escalations", progress)


def write_pairs(pairs: list[dict], path: str | Path, inputs=()) -> Path:
    """Write both escalations of each possible cross-system duplicate, pair by pair."""
    import pandas as pd

    records = []
    for number, pair in enumerate(pairs, start=1):
        for source in ("legacy", "mosaic"):
            side = pair[source]
            records.append({"pair": number, "days_apart": pair["days_apart"],
                            "source": source, "counted_in_table": side["counted"],
                            **{k: side[k] for k in PAIR_COLUMNS if k in side}})
    frame = pd.DataFrame(records, columns=list(PAIR_COLUMNS))
    if len(frame):
        frame["raised_on"] = pd.to_datetime(frame["raised_on"])
    return write_frame(frame, path, inputs, "Possible duplicates")


def write_frame(frame: "pd.DataFrame", path: str | Path, inputs=(), sheet: str = "Data",
                progress=None) -> Path:
    """Write a frame as CSV (ISO dates, formula-like text quoted) or as a workbook sheet
    (real dates, text never read as a formula), chosen by the file's suffix."""
    if export_kind(path) == "csv":
        return write_csv(frame, path, inputs)
    from iro_stats.render.sheet import write_sheet

    return write_sheet(frame, path, inputs, sheet, private=True, progress=progress)


def write_csv(frame: "pd.DataFrame", path: str | Path, inputs=()) -> Path:
    """Write a frame as UTF-8 CSV atomically: ISO dates, formula-like text quoted."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype.kind == "M":
            out[name] = out[name].dt.strftime("%Y-%m-%d")
        elif out[name].dtype.kind in "OUT":  # text columns, whatever pandas calls them
            out[name] = out[name].map(csv_safe)
    with atomic_path(path, inputs, private=True) as temp:
        out.to_csv(temp, index=False, encoding="utf-8")
    return Path(path)
