"""Reason vocabularies and the crosswalk that puts legacy and Mosaic labels on one scale."""

from __future__ import annotations

import csv
import difflib
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from iro_stats.errors import MappingError, UsageError
from iro_stats.schema import SOURCES

CATEGORIES_FILE = "categories.csv"
CROSSWALK_FILE = "crosswalk.csv"
CATEGORY_COLUMNS = ("code", "name", "order", "like_for_like")
CROSSWALK_COLUMNS = ("source", "label", "category", "relation", "note")
RELATIONS = ("equivalent", "approximate", "broader", "narrower", "one-sided")
NOT_RECORDED = "not_recorded"
UNMAPPED = "unmapped"
NOT_RECORDED_LABEL = "Not recorded"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    order: int
    like_for_like: str


@dataclass(frozen=True)
class Label:
    """One crosswalk row: a source's label and the category it belongs to."""

    source: str
    label: str
    category: str
    relation: str
    note: str
    shown_as: str  # the vocabulary's spelling; differs from label for an alias
    line: int


def key(label: str) -> str:
    """Return the form labels are matched in: trimmed, case folded, spaces collapsed."""
    return " ".join(str(label).split()).casefold()


@dataclass
class Crosswalk:
    directory: Path
    categories: dict[str, Category]  # in display order, with not_recorded and unmapped
    labels: list[Label]
    sha256: str

    def __post_init__(self):
        self._index = {(row.source, key(row.label)): row for row in self.labels}

    def match(self, source: str | None, label: str) -> Label | None:
        """Return the crosswalk row a source's label matches, or None."""
        return self._index.get((source, key(label)))

    def vocabulary(self, source: str) -> list[str]:
        """Return a source's labels in its own spelling, aliases left out."""
        return [r.label for r in self.labels if r.source == source and r.shown_as == r.label]

    def name(self, code: str) -> str:
        return self.categories[code].name

    def suggestions(self, source: str | None, label: str, n: int = 3) -> list[str]:
        """Return the closest known labels to an unknown one, for a person to judge."""
        known = {key(l): l for l in self.vocabulary(source)} if source else {}
        if not known:
            known = {key(l.label): l.shown_as for l in self.labels}
        close = difflib.get_close_matches(key(label), list(known), n=n, cutoff=0.5)
        return [known[c] for c in close]


def default_directory() -> Path:
    """Return the folder of the crosswalk shipped with the package."""
    try:
        return Path(str(resources.files("iro_stats.mappings")))
    except ModuleNotFoundError:  # run from a checkout without installing
        return Path(__file__).resolve().parent.parent / "mappings"


def _read_csv(path: Path, columns: tuple[str, ...], problems: list[str]) -> list[tuple[int, dict]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(f"{path}: missing; copy the defaults with 'iro-stats mappings init'")
        return []
    except UnicodeDecodeError:
        text = path.read_bytes().decode("cp1252", errors="replace")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
        return []
    reader = csv.reader(text.splitlines())
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        problems.append(f"{path}:1: the file is empty; it needs a header row "
                        f"{','.join(columns)}")
        return []
    missing = [c for c in columns if c not in header]
    if missing:
        problems.append(f"{path}:1: header lacks {', '.join(missing)}; expected "
                        f"{','.join(columns)}")
        return []
    rows = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problems.append(f"{path}:{reader.line_num}: {len(row)} cells but the header "
                                f"has {len(header)}; a label with a comma needs quotes")
                continue
            cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        problems.append(f"{path}:{reader.line_num}: malformed CSV ({exc})")
    return rows


def check(directory: str | Path | None = None) -> tuple[Crosswalk | None, list[str]]:
    """Return the crosswalk in a folder and every problem found in its files."""
    directory = Path(directory) if directory else default_directory()
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such folder; give --mappings a folder holding "
                         f"{CATEGORIES_FILE} and {CROSSWALK_FILE}")
    problems: list[str] = []
    cat_path, walk_path = directory / CATEGORIES_FILE, directory / CROSSWALK_FILE
    categories: dict[str, Category] = {}
    cat_rows = _read_csv(cat_path, CATEGORY_COLUMNS, problems)
    for line, cells in cat_rows:
        code = cells["code"]
        where = f"{cat_path}:{line}"
        if not code:
            problems.append(f"{where}: a category without a code")
            continue
        if code in categories or code in (NOT_RECORDED, UNMAPPED):
            problems.append(f"{where}: category code '{code}' defined twice")
            continue
        try:
            order = int(cells["order"])
        except ValueError:
            problems.append(f"{where}: order '{cells['order']}' is not a whole number")
            order = 0
        categories[code] = Category(code, cells["name"] or code, order,
                                    cells["like_for_like"] or code)
    for line, cells in cat_rows:
        target = cells["like_for_like"]
        if target and cells["code"] in categories and target not in categories:
            problems.append(f"{cat_path}:{line}: like_for_like '{target}' is not a "
                            "category code")

    labels: list[Label] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in _read_csv(walk_path, CROSSWALK_COLUMNS, problems):
        where = f"{walk_path}:{line}"
        source, label, code, relation = (cells["source"].lower(), cells["label"],
                                         cells["category"], cells["relation"].lower())
        bad = False
        if source not in SOURCES:
            problems.append(f"{where}: source '{cells['source']}' is not legacy or mosaic")
            bad = True
        if not label:
            problems.append(f"{where}: a row without a label")
            bad = True
        if code not in categories:
            problems.append(f"{where}: category '{code}' is not in {CATEGORIES_FILE}")
            bad = True
        if relation not in RELATIONS:
            problems.append(f"{where}: relation '{cells['relation']}' is not one of "
                            f"{', '.join(RELATIONS)}")
            bad = True
        if (source, key(label)) in seen and label:
            problems.append(f"{where}: '{label}' is mapped twice for {source} (first on "
                            f"line {seen[(source, key(label))]})")
            bad = True
        if bad:
            continue
        seen[(source, key(label))] = line
        labels.append(Label(source, label, code, relation, cells["note"],
                            cells.get("shown_as") or label, line))
    used = {l.category for l in labels}
    for line, cells in cat_rows:
        if cells["code"] in categories and cells["code"] not in used:
            problems.append(f"{cat_path}:{line}: category '{cells['code']}' has no label "
                            f"mapped to it in {CROSSWALK_FILE}")
    if problems:
        return None, problems
    ordered = dict(sorted(categories.items(), key=lambda kv: kv[1].order))
    ordered[NOT_RECORDED] = Category(NOT_RECORDED, NOT_RECORDED_LABEL, 10_000, NOT_RECORDED)
    ordered[UNMAPPED] = Category(UNMAPPED, "Unmapped label", 10_001, UNMAPPED)
    digest = hashlib.sha256(cat_path.read_bytes() + b"\0" + walk_path.read_bytes()).hexdigest()
    return Crosswalk(directory, ordered, labels, digest), []


def load(directory: str | Path | None = None) -> Crosswalk:
    """Return the crosswalk, or raise MappingError listing every problem in its files."""
    crosswalk, problems = check(directory)
    if problems:
        raise MappingError(problems)
    return crosswalk


def detect_source(crosswalk: Crosswalk, labels: list[str]) -> tuple[str | None, str]:
    """Return (source, why) from the reason labels a file uses; source None if unclear."""
    hits = {source: set() for source in SOURCES}
    for label in labels:
        for source in SOURCES:
            if crosswalk.match(source, label):
                hits[source].add(key(label))
    only = {s: hits[s] - set().union(*(hits[o] for o in SOURCES if o != s)) for s in SOURCES}
    found = [s for s in SOURCES if only[s]]
    if len(found) == 1:
        source = found[0]
        return source, f"detected from {len(only[source])} {source}-only reason labels"
    if not found:
        return None, "its reason labels belong to neither vocabulary alone"
    return None, ("its reason labels mix both vocabularies (legacy: "
                  f"{sorted(only['legacy'])[0]!r}; mosaic: {sorted(only['mosaic'])[0]!r})")
