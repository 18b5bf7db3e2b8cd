"""Row-level files for analysts: the rejects file (and, later, the cleaned export)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from iro_stats.render.output import atomic_path
from iro_stats.render.text import csv_safe

if TYPE_CHECKING:
    from iro_stats.clean import Dataset

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
    out = out.rename(columns=REJECT_COLUMNS)
    for name in out.columns:
        if out[name].dtype.kind in "OUT":  # text columns, whatever pandas calls them
            out[name] = out[name].map(csv_safe)
    with atomic_path(path, inputs) as temp:
        out.to_csv(temp, index=False, encoding="utf-8")
    return Path(path)
