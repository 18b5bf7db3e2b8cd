"""The kinds of extract, their fields and header spellings (mappings/fields.toml), and
--profile files, which add a council's own spellings."""

from __future__ import annotations

import re
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


def default_directory() -> Path:
    """Return the folder of the crosswalk and fields.toml shipped with the package."""
    package = Path(__file__).resolve().parent
    # pip installs the top-level mappings/ folder as iro_stats/mappings (pyproject's
    # package-dir); in a checkout, or an editable install, it stays beside the package.
    installed = package / "mappings"
    return installed if installed.is_dir() else package.parent / "mappings"


def fields_file() -> Path:
    """Return the fields.toml shipped with the package (beside the crosswalk)."""
    return default_directory() / FIELDS_FILE


@lru_cache(maxsize=None)
def kinds() -> dict[str, Kind]:
    """Return every extract kind, by name, in the order fields.toml declares them."""
    path = fields_file()
    import tomllib  # here, as in load_profile: --help never reads a TOML file

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
    delimiter: str | None = None  # between a CSV file's columns; None: told from its header
    sheets: tuple[str, ...] = ()  # the only sheets of a workbook read; (): every visible one

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


PROFILE_KEYS = ("columns", "source")


def load_profile(path: str | Path | None, delimiter: str | None = None,
                 sheets: tuple[str, ...] = ()) -> Profile:
    """Return the Profile in a TOML file, or the built-in spellings when path is None,
    with the files' layout: the CSV delimiter (None: told from each header) and the
    sheets to read (none named: every visible one).

    [columns] holds `field = "Header"` for escalations extracts, and [columns.KIND]
    the same for any kind; a field may be given a list of spellings. A problem is
    blamed on the profile and the line it is on."""
    if path is None:
        return Profile(delimiter=delimiter, sheets=tuple(sheets))
    import difflib
    import tomllib

    path = Path(path)
    hint = "see docs/inputs.md on column names and profiles"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: profile not found; check its path", option="profile")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the profile ({exc}); save it as UTF-8 text")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: the profile is not valid TOML ({exc}); {hint}")
    except RecursionError:  # tomllib parses nested arrays and tables by recursion
        raise UsageError(f"{_at(path, _deepest(text))}: the profile nests arrays or tables "
                         f"too deeply to be a profile; {hint}")

    def fail(message: str, table: str = "", key: str | None = None):
        raise UsageError(f"{_at(path, _line_of(text, table, key))}: {message}")

    for name in data:
        if name not in PROFILE_KEYS:
            close = difflib.get_close_matches(name, PROFILE_KEYS, n=1)
            guess = f" (did you mean '{close[0]}'?)" if close else ""
            fail(f"unknown '{name}' in the profile, which holds [columns] and source{guess}; "
                 f"{hint}", "", name)
    given = data.get("columns", {})
    if not isinstance(given, dict):
        fail(f"[columns] must be a table of field = \"header\"; {hint}", "", "columns")
    known = kinds()
    columns: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, value in given.items():
        if isinstance(value, dict):
            if name not in known:
                fail(f"unknown extract kind '{name}' in [columns.{name}]; kinds are "
                     f"{', '.join(known)}", "columns", name)
            kind, table, where, at = name, value, f"[columns.{name}]", f"columns.{name}"
        else:  # the first form: escalations fields straight under [columns]
            kind, table, where, at = ESCALATIONS, {name: value}, "[columns]", "columns"
        for field_name, spellings in table.items():
            if field_name not in known[kind].names:
                fail(f"unknown field '{field_name}' in {where}; fields are "
                     f"{', '.join(known[kind].names)}", at, field_name)
            if isinstance(spellings, str):
                spellings = [spellings]
            if not (isinstance(spellings, list) and spellings and all(
                    isinstance(s, str) and s.strip() for s in spellings)):
                fail(f"{where} {field_name} must be a header name in quotes, or a list of "
                     "them", at, field_name)
            columns.setdefault(kind, {})[field_name] = tuple(spellings)
    source = data.get("source")
    if source is not None and source not in SOURCES:
        fail(f"source must be \"legacy\" or \"mosaic\", not {source!r}", "", "source")
    return Profile(columns=columns, source=source, path=str(path), delimiter=delimiter,
                   sheets=tuple(sheets))


def _at(path: Path, line: int | None) -> str:
    """Return how a message names a place in the profile: FILE:LINE, or FILE."""
    return f"{path}:{line}" if line else str(path)


def _line_of(text: str, table: str, key: str | None) -> int | None:
    """Return the line that defines `key` in the TOML table `table` ("" for the top, or
    "columns.escalations"), or the table's own header line; None when not found (a key
    given in dotted or inline form is found by its name alone)."""
    current, header_line, fallback = "", None, None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        heading = re.fullmatch(r"\[\s*([^\[\]]+?)\s*\](\s*#.*)?", stripped)
        if heading:
            current = ".".join(p.strip().strip("\"'") for p in heading[1].split("."))
            if key is not None and table == "" and current.split(".")[0] == key:
                return number  # [colums] or [columns.x]: the key is a table
            if table and current == table:
                header_line = number
            if key is not None and table and current == f"{table}.{key}":
                return number
            continue
        match = re.match(r"\s*[\"']?([^\"'=\s]+)[\"']?\s*=", line)
        if match and key is not None and match[1].split(".")[-1] == key:
            if current == table:
                return number
            fallback = fallback or number
    return fallback or header_line


def _deepest(text: str) -> int | None:
    """Return the first line where brackets and braces nest more than 20 deep."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > 20:
                return number
    return None
