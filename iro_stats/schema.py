"""The kinds of extract, their fields and header spellings (mappings/fields.toml), and
--profile files, which add a council's own spellings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from iro_stats.errors import UsageError

FIELDS_FILE = "fields.toml"
SOURCES = ("legacy", "mosaic")
STAGE_NAMES = {0: "Informal", 1: "Stage 1", 2: "Stage 2", 3: "Stage 3", 4: "Stage 4"}
VALUES = ("id", "date", "text", "label", "stage", "code")
ESCALATIONS = "escalations"


@dataclass(frozen=True)
class SourceName:
    """How the committee's papers name a source, the one place each form is spelt."""

    name: str     # in a sentence: "legacy log labels", "Mosaic 20 November 2018 to ..."
    short: str    # in brackets or before a noun: "one-sided (legacy only)", "legacy files"
    heading: str  # first word of a column heading: "Legacy Count"


SOURCE_NAMES = {"legacy": SourceName("legacy log", "legacy", "Legacy"),
                "mosaic": SourceName("Mosaic", "Mosaic", "Mosaic")}


@dataclass(frozen=True)
class Field:
    """One field of an extract kind, as fields.toml declares it."""

    name: str
    value: str  # what a cell holds: one of VALUES
    required: bool
    blank: str  # "reject" (a blank cell rejects its row) or "keep"
    label: str  # how messages name it
    headers: tuple[str, ...]  # spellings, most specific first


@dataclass(frozen=True)
class Kind:
    """One kind of extract: its fields in the order declared."""

    name: str
    about: str  # "903 episodes file", as a sentence names it
    read_by: str  # the command that reads it
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def identified_by(self) -> str:
        """Return the headers that identify the kind: the first spelling of each
        required field ("Child ID, Date Raised and Reason")."""
        names = [self.field(n).headers[0] for n in self.required]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def fields_file() -> Path:
    """Return the fields.toml shipped with the package (beside the crosswalk)."""
    from iro_stats.crosswalk import default_directory

    return default_directory() / FIELDS_FILE


@lru_cache(maxsize=None)
def kinds() -> dict[str, Kind]:
    """Return every extract kind, by name, in the order fields.toml declares them."""
    path = fields_file()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = {}
    for name, kind in data.items():
        fields = []
        for field_name, spec in kind["fields"].items():
            if spec["value"] not in VALUES or spec.get("blank", "keep") not in ("reject",
                                                                                 "keep"):
                raise ValueError(f"{path}: [{name}.fields.{field_name}] is malformed")
            fields.append(Field(field_name, spec["value"], spec.get("required", False),
                                spec.get("blank", "keep"), spec.get("label", field_name),
                                tuple(spec["headers"])))
        found[name] = Kind(name, kind["about"], kind["read_by"], tuple(fields))
    return found


def normalise_header(text: object) -> str:
    """Return a header cell reduced to lower-case letters and digits."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


@dataclass(frozen=True, eq=False)  # hashed by identity, so its lookups are cached
class Profile:
    """How one council's extracts name their columns, and their source if known.

    columns: kind -> field -> the council's own header spellings, which beat every
    built-in spelling."""

    columns: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    source: str | None = None
    path: str | None = None

    def lookup(self, kind: str) -> dict[str, tuple[str, int]]:
        """Return normalised header -> (field, priority) for one kind; lower wins."""
        return _lookup(self, kind)


@lru_cache(maxsize=64)
def _lookup(profile: Profile, kind: str) -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for f in kinds()[kind].fields:
        for rank, spelling in enumerate(f.headers):
            table.setdefault(normalise_header(spelling), (f.name, 100 + rank))
    for name, spellings in profile.columns.get(kind, {}).items():
        for rank, spelling in enumerate(spellings):
            table[normalise_header(spelling)] = (name, rank)
    return table


def load_profile(path: str | Path | None) -> Profile:
    """Return the Profile in a TOML file, or the built-in spellings when path is None.

    [columns] holds `field = "Header"` for escalations extracts, and [columns.KIND]
    the same for any kind; a field may be given a list of spellings."""
    if path is None:
        return Profile()
    path = Path(path)
    hint = "see 'Column names and --profile' in docs/inputs.md"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"{path}: profile not found; check the path given to --profile")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the profile ({exc}); save it as UTF-8 text")
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: the profile is not valid TOML ({exc}); {hint}")
    given = data.get("columns", {})
    if not isinstance(given, dict):
        raise UsageError(f"{path}: [columns] must be a table of field = \"header\"; {hint}")
    known = kinds()
    columns: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, value in given.items():
        if isinstance(value, dict):
            if name not in known:
                raise UsageError(f"{path}: unknown extract kind '{name}' in [columns.{name}]; "
                                 f"kinds are {', '.join(known)}")
            kind, table, where = name, value, f"[columns.{name}]"
        else:  # the first form: escalations fields straight under [columns]
            kind, table, where = ESCALATIONS, {name: value}, "[columns]"
        for field_name, spellings in table.items():
            if field_name not in known[kind].names:
                raise UsageError(f"{path}: unknown field '{field_name}' in {where}; fields "
                                 f"are {', '.join(known[kind].names)}")
            if isinstance(spellings, str):
                spellings = [spellings]
            if not (isinstance(spellings, list) and spellings and all(
                    isinstance(s, str) and s.strip() for s in spellings)):
                raise UsageError(f"{path}: {where} {field_name} must be a header name in "
                                 "quotes, or a list of them")
            columns.setdefault(kind, {})[field_name] = tuple(spellings)
    source = data.get("source")
    if source is not None and source not in SOURCES:
        raise UsageError(f"{path}: source must be \"legacy\" or \"mosaic\", not {source!r}")
    return Profile(columns=columns, source=source, path=str(path))
