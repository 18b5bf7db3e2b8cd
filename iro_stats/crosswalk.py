"""Reason vocabularies and the crosswalk that puts legacy and Mosaic labels on one scale."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from iro_stats.errors import MappingError, UsageError
from iro_stats.schema import SOURCE_NAMES, SOURCES, default_directory

CATEGORIES_FILE = "categories.csv"
CROSSWALK_FILE = "crosswalk.csv"
CATEGORY_COLUMNS = ("code", "name", "order", "like_for_like")
CROSSWALK_COLUMNS = ("source", "label", "category", "relation", "note")
RELATIONS = ("equivalent", "approximate", "broader", "narrower", "one-sided")
NOT_RECORDED = "not_recorded"
UNMAPPED = "unmapped"
NOT_RECORDED_LABEL = "Not recorded"
UNMAPPED_LABEL = "Label not in the vocabulary"


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

    def fold(self, code: str, like_for_like: bool = False) -> str:
        """Return the category a code is counted under: itself, or its like-for-like fold."""
        return self.categories[code].like_for_like if like_for_like else code

    def folded_into(self, code: str) -> list[str]:
        """Return the other categories that fold into this one for like-for-like."""
        return [c for c, cat in self.categories.items()
                if cat.like_for_like == code and c != code]

    def relations(self, code: str) -> dict[str, list[str]]:
        """Return source -> the relations its labels in this category carry."""
        found: dict[str, list[str]] = {}
        for row in self.labels:
            if row.category == code and row.relation not in found.setdefault(row.source, []):
                found[row.source].append(row.relation)
        return {s: found[s] for s in SOURCES if s in found}

    def relation_text(self, code: str) -> str:
        """Return a category's relation as a member should read it, e.g. 'one-sided
        (Mosaic only)' or 'broader (legacy) / narrower (Mosaic)'."""
        found = self.relations(code)
        every = {r for rels in found.values() for r in rels}
        if not every:
            return ""
        if every == {"one-sided"} and len(found) == 1:
            return f"one-sided ({SOURCE_NAMES[next(iter(found))].short} only)"
        if len(every) == 1:
            return every.pop()
        return " / ".join(f"{'/'.join(rels)} ({SOURCE_NAMES[s].short})"
                          for s, rels in found.items())

    def notes(self, code: str) -> list[str]:
        """Return the distinct notes of the labels in a category, legacy first."""
        seen: list[str] = []
        for source in SOURCES:
            for row in self.labels:
                if row.category == code and row.source == source and row.note \
                        and row.note not in seen:
                    seen.append(row.note)
        return seen

    def suggestions(self, source: str | None, label: str, n: int = 3) -> list[str]:
        """Return the closest known labels to an unknown one, for a person to judge."""
        known = {key(l): l for l in self.vocabulary(source)} if source else {}
        if not known:
            known = {key(l.label): l.shown_as for l in self.labels}
        import difflib  # here: every command imports this module, --help included

        close = difflib.get_close_matches(key(label), list(known), n=n, cutoff=0.5)
        return [known[c] for c in close]


def _read_csv(path: Path, columns: tuple[str, ...],
              problems: list[str]) -> list[tuple[int, dict]] | None:
    """Return (line, cells) for each row, or None when the file or its header is unusable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(f"{path}: missing; copy the defaults with 'iro-stats mappings init'")
        return None
    except UnicodeDecodeError:
        text = path.read_bytes().decode("cp1252", errors="replace")
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror})")
        return None
    # Each line is one row, read on its own: a stray or unclosed quote is a problem of
    # its line, never a field that swallows the lines after it (labels and notes are
    # one line; iro-stats writes none with a line break). A malformed line is still
    # read, its quotes as ordinary characters, so its category counts as used and the
    # lines after it are checked as usual: every problem is listed, none twice.
    lines = text.splitlines()
    if not lines:
        problems.append(f"{path}:1: the file is empty; it needs a header row "
                        f"{','.join(columns)}")
        return None
    header, trouble = _cells(lines[0])
    if trouble:
        problems.append(f"{path}:1: malformed CSV ({trouble}); check the quotes in the header")
        return None
    header = [h.strip().lower() for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        problems.append(f"{path}:1: header lacks {', '.join(missing)}; expected "
                        f"{','.join(columns)}")
        return None
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        row, trouble = _cells(line)
        if trouble:
            problems.append(f"{path}:{number}: malformed CSV ({trouble}); check the quotes "
                            "on this line")
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            if trouble:  # its quotes, already named, are what split it wrongly
                continue
            problems.append(f"{path}:{number}: {len(row)} cells but the header "
                            f"has {len(header)}; a label with a comma needs quotes")
            continue
        cells = {h: _unquoted(row[i].strip() if i < len(row) else "")
                 for i, h in enumerate(header)}
        rows.append((number, cells))
    return rows


def _cells(line: str) -> tuple[list[str], str]:
    """Return one line's cells and what is wrong with its quoting ("" when nothing is);
    a malformed line's cells are read with its quotes as ordinary characters."""
    try:
        return next(csv.reader([line], strict=True)), ""
    except csv.Error as exc:
        trouble = "a quote is not closed on this line" if "end of data" in str(exc) \
            else str(exc)
        return next(csv.reader([line], quoting=csv.QUOTE_NONE)), trouble


def _unquoted(cell: str) -> str:
    """Return a cell without the ' that iro-stats and spreadsheets put before text that
    would otherwise run as a formula ('=...), so a label written that way still matches."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def check(directory: str | Path | None = None) -> tuple[Crosswalk | None, list[str]]:
    """Return the crosswalk in a folder and every problem found in its files."""
    directory = Path(directory) if directory else default_directory()
    if not directory.is_dir():
        raise UsageError(f"{directory}: no such folder; give a folder holding "
                         f"{CATEGORIES_FILE} and {CROSSWALK_FILE}", option="mappings")
    problems: list[str] = []
    cat_path, walk_path = directory / CATEGORIES_FILE, directory / CROSSWALK_FILE
    categories: dict[str, Category] = {}
    cat_rows = _read_csv(cat_path, CATEGORY_COLUMNS, problems) or []
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
    elsewhere: set[tuple[str, str]] = set()  # (source, category) of rows with problems
    seen: dict[tuple[str, str], int] = {}
    walk_rows = _read_csv(walk_path, CROSSWALK_COLUMNS, problems)
    for line, cells in walk_rows or []:
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
        if not code:
            problems.append(f"{where}: '{label}' has no category; fill in a code from "
                            f"{CATEGORIES_FILE}")
            bad = True
        elif code not in categories:
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
            if source in SOURCES and code in categories:  # it still maps to its category:
                elsewhere.add((source, code))  # so no other line is blamed for its lack
            continue
        seen[(source, key(label))] = line
        labels.append(Label(source, label, code, relation, cells["note"],
                            cells.get("shown_as") or label, line))
    if walk_rows is None:  # every category would be unused: one problem says it all
        return None, sorted(problems, key=_where)
    used = {l.category for l in labels} | {code for _, code in elsewhere}
    for line, cells in cat_rows:
        if cells["code"] in categories and cells["code"] not in used:
            problems.append(f"{cat_path}:{line}: category '{cells['code']}' has no label "
                            f"mapped to it in {CROSSWALK_FILE}")
    problems += _check_meaning(cat_path, walk_path, cat_rows, categories, labels, elsewhere)
    if problems:
        return None, sorted(problems, key=_where)
    ordered = dict(sorted(categories.items(), key=lambda kv: kv[1].order))
    ordered[NOT_RECORDED] = Category(NOT_RECORDED, NOT_RECORDED_LABEL, 10_000, NOT_RECORDED)
    ordered[UNMAPPED] = Category(UNMAPPED, UNMAPPED_LABEL, 10_001, UNMAPPED)
    import hashlib  # here: every command imports this module, --help included

    digest = hashlib.sha256(cat_path.read_bytes() + b"\0" + walk_path.read_bytes()).hexdigest()
    return Crosswalk(directory, ordered, labels, digest), []


def _check_meaning(cat_path: Path, walk_path: Path, cat_rows: list[tuple[int, dict]],
                   categories: dict[str, Category], labels: list[Label],
                   elsewhere: set[tuple[str, str]]) -> list[str]:
    """Return the problems of rows that read well one by one but contradict each other."""
    problems = []
    for line, cells in cat_rows:
        target = categories.get(cells["like_for_like"])
        if cells["code"] in categories and target and target.like_for_like != target.code:
            problems.append(f"{cat_path}:{line}: like_for_like '{target.code}' itself folds "
                            f"into '{target.like_for_like}'; name the final category")
    own = {(l.source, key(l.label)): l for l in labels if l.shown_as == l.label}
    sources_of: dict[str, set[str]] = {}
    for source, code in [(l.source, l.category) for l in labels] + sorted(elsewhere):
        sources_of.setdefault(code, set()).add(source)
    for l in labels:
        where = f"{walk_path}:{l.line}"
        if l.relation == "approximate" and not l.note:
            problems.append(f"{where}: '{l.label}' is approximate but has no note; say in "
                            "the note how the two sides differ")
        if l.shown_as != l.label:
            target = own.get((l.source, key(l.shown_as)))
            if target is None:
                problems.append(f"{where}: shown_as '{l.shown_as}' is not a {l.source} label "
                                f"in {CROSSWALK_FILE}; an alias must show as a label of its "
                                "own source")
            elif target.category != l.category:
                problems.append(f"{where}: alias '{l.label}' maps to '{l.category}' but "
                                f"'{l.shown_as}' maps to '{target.category}'; use the same "
                                "category")
        others = sources_of[l.category] - {l.source}
        if l.relation == "one-sided" and others:
            problems.append(f"{where}: '{l.label}' is one-sided but {sorted(others)[0]} also "
                            f"has a label in '{l.category}'; choose another relation")
        elif l.relation != "one-sided" and not others:
            other = [s for s in SOURCES if s != l.source][0]
            problems.append(f"{where}: '{l.label}' is {l.relation} but no {other} label "
                            f"maps to '{l.category}'; use one-sided, or map a {other} label")
    return problems


def init(directory: str | Path, force: bool = False) -> list[Path]:
    """Copy the default categories and crosswalk files into a folder; return their paths."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: is a file; give a folder for the crosswalk files")
    if not directory.parent.exists():
        raise UsageError(f"{directory}: the folder {directory.parent} does not exist; "
                         "create it first")
    targets = [directory / name for name in (CATEGORIES_FILE, CROSSWALK_FILE)]
    present = [t for t in targets if t.exists()]
    if present and not force:
        raise UsageError(f"{present[0]}: already exists; edit it, or replace it with the "
                         "default", option="force")
    directory.mkdir(exist_ok=True)
    source = default_directory()
    for target in targets:
        target.write_bytes((source / target.name).read_bytes())
    return targets


def _where(problem: str) -> tuple:
    """Return a problem's sort key: categories file first, then by line number."""
    match = re.match(r"(.*?):(\d+): ", problem)
    if not match:
        return (0, problem, 0)
    return (1 if match[1].endswith(CROSSWALK_FILE) else 0, match[1], int(match[2]))


def load(directory: str | Path | None = None) -> Crosswalk:
    """Return the crosswalk, or raise MappingError listing every problem in its files."""
    crosswalk, problems = check(directory)
    if problems:
        raise MappingError(problems)
    return crosswalk


def decide_source(crosswalk: Crosswalk, path: str, labels: list[str],
                  given: str | None = None) -> tuple[str, str]:
    """Return (source, why) of a file: the source given, else the one its reason labels
    belong to; raise UsageError when they do not tell."""
    if given:
        return given, "as stated"
    found, why = _detect_source(crosswalk, labels)
    if found is None:
        raise UsageError(f"{path}: cannot tell whether this is a legacy log or a Mosaic "
                         f"extract: {why}; say which it is", option="source")
    return found, why


def _detect_source(crosswalk: Crosswalk, labels: list[str]) -> tuple[str | None, str]:
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
