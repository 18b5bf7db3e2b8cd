"""Canonical fields, the header spellings that name them, and --profile files."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from iro_stats.errors import UsageError

REQUIRED = ("child_id", "raised_on", "reason")
OPTIONAL = ("escalation_id", "stage", "resolved_on", "outcome", "team", "iro")
FIELDS = REQUIRED + OPTIONAL
SOURCES = ("legacy", "mosaic")


@dataclass(frozen=True)
class SourceName:
    """How the committee's papers name a source, the one place each form is spelt."""

    name: str     # in a sentence: "legacy log labels", "Mosaic 20 November 2018 to ..."
    short: str    # in brackets or before a noun: "one-sided (legacy only)", "legacy files"
    heading: str  # first word of a column heading: "Legacy Count"


SOURCE_NAMES = {"legacy": SourceName("legacy log", "legacy", "Legacy"),
                "mosaic": SourceName("Mosaic", "Mosaic", "Mosaic")}

# Most specific spelling first: when two columns name the same field, the earlier
# spelling wins (a sheet with "Start Date" and "Date" takes "Start Date").
SYNONYMS: dict[str, tuple[str, ...]] = {
    "child_id": ("Child ID", "Person ID", "Mosaic ID", "Client ID", "Child Ref",
                 "Child Reference", "Child Number", "Person Ref"),
    "escalation_id": ("Escalation ID", "Escalation Ref", "Escalation Reference",
                      "Workflow ID", "Workflow Step ID"),
    "raised_on": ("Date Raised", "Escalation Date", "Date of Escalation", "Start Date",
                  "Started On", "Date Started", "Raised On", "Date"),
    "reason": ("Reason", "Reason for Escalation", "Escalation Reason", "Category"),
    "stage": ("Stage", "Escalation Stage"),
    "resolved_on": ("Date Resolved", "Resolution Date", "Resolved On", "Completed On",
                    "Date Completed", "End Date", "Date Closed"),
    "outcome": ("Outcome",),
    "team": ("Team", "Team Name"),
    "iro": ("IRO", "IRO Name"),
}


def normalise_header(text: object) -> str:
    """Return a header cell reduced to lower-case letters and digits."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


@dataclass(frozen=True)
class Profile:
    """How one council's extracts name their columns, and their source if known."""

    columns: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    path: str | None = None

    def lookup(self) -> dict[str, tuple[str, int]]:
        """Return normalised header -> (field, priority); lower priority wins."""
        table: dict[str, tuple[str, int]] = {}
        for name, spellings in SYNONYMS.items():
            for rank, spelling in enumerate(spellings):
                table.setdefault(normalise_header(spelling), (name, 100 + rank))
        # A profile's own names beat every built-in spelling.
        for name, header in self.columns.items():
            table[normalise_header(header)] = (name, 0)
        return table


def load_profile(path: str | Path | None) -> Profile:
    """Return the Profile in a TOML file, or the built-in spellings when path is None."""
    if path is None:
        return Profile()
    path = Path(path)
    hint = "see 'Column names and --profile' in the README"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"{path}: profile not found; check the path given to --profile")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the profile ({exc}); save it as UTF-8 text")
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: the profile is not valid TOML ({exc}); {hint}")
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise UsageError(f"{path}: [columns] must be a table of field = \"header\"; {hint}")
    for name, header in columns.items():
        if name not in FIELDS:
            raise UsageError(f"{path}: unknown field '{name}' in [columns]; fields are "
                             f"{', '.join(FIELDS)}")
        if not isinstance(header, str) or not header.strip():
            raise UsageError(f"{path}: [columns] {name} must be a header name in quotes")
    source = data.get("source")
    if source is not None and source not in SOURCES:
        raise UsageError(f"{path}: source must be \"legacy\" or \"mosaic\", not {source!r}")
    return Profile(columns=dict(columns), source=source, path=str(path))
