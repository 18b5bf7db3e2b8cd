"""Escalation extracts -> a Dataset: each file's source decided, each distinct cell
judged once (dates parsed, stages read, reasons put through the crosswalk), the row
rules applied, duplicates found and stage rows grouped into escalations.

Every row ends in exactly one bucket: rejected (with the reason), a duplicate (of a
named earlier row) or valid; periods are applied later, by `Dataset.select`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from iro_stats import escalations, rules
from iro_stats.columns import CODED, TEXT, decoded, encode, join, text_keys, text_of
from iro_stats.crosswalk import NOT_RECORDED, NOT_RECORDED_LABEL, UNMAPPED, Crosswalk, \
    decide_source
from iro_stats.crosswalk import load as load_crosswalk
from iro_stats.dataset import Dataset
from iro_stats.dates import DateProblem, parse_cell
from iro_stats.load import Extract, cell_text, read_extracts
from iro_stats.rows import BLANK, TEXTS, UNREADABLE_STAGE, Judged, Reasons, Rows, empty_text
from iro_stats.schema import ESCALATIONS, Profile

_STAGE = re.compile(r"(?:stage|level)\s*(\d)\b|^\s*(\d)(?:\.0+)?\s*$", re.I)


def load_dataset(paths: list, profile: Profile | None = None, source: str | None = None,
                 crosswalk: Crosswalk | None = None,
                 today: dt.date | None = None) -> Dataset:
    """Return the Dataset of the escalation extracts in the files (folders stand for the
    files in them; files of other kinds in a folder are skipped)."""
    profile = profile or Profile()
    crosswalk = crosswalk or load_crosswalk()
    reading = read_extracts(paths, (ESCALATIONS,), profile)
    rows = clean(reading.extracts, source or profile.source, crosswalk,
                 today or dt.date.today())
    problems = rules.apply(rows)
    grouped = escalations.group(rows, problems)
    return Dataset(rows, problems, grouped, crosswalk, reading.skipped)


def clean(extracts: list[Extract], source: str | None, crosswalk: Crosswalk,
          today: dt.date) -> Rows:
    """Return the extracts' rows cleaned (one extract at least): each file's source
    decided (the source given, else from its reason labels), each field over every file
    as one array."""
    sizes = [len(e) for e in extracts]
    texts = {name: _texts([_cells(e, name) for e in extracts]) for name in TEXTS}
    # The escalation and child IDs are keyed on a second core while the rest is cleaned
    # and the row rules applied (none of which reads them): pyarrow lets go of the
    # interpreter as it reads a column, and a million IDs take as long as the rest.
    pool = ThreadPoolExecutor(max_workers=1)
    ids = pool.submit(text_keys, texts["escalation_id"])
    # Child IDs of digits alone that differ only in leading zeros are one child: Excel
    # drops the zeros a case system's CSV keeps ('0012345' in one, 12345 in the other).
    children = pool.submit(text_keys, texts["child_id"], False)
    pool.shutdown(wait=False)  # its thread ends once the IDs are keyed
    coded = {name: [encode(_cells(e, name)) for e in extracts]
             for name in ("reason", "raised_on", "resolved_on", "stage")}
    files = []
    for extract, reason in zip(extracts, coded["reason"]):
        labels = list(dict.fromkeys(cell_text(v) for v in reason.objects()))
        found, why = decide_source(crosswalk, extract.info.path, labels, source)
        files.append(dataclasses.replace(extract.info, source=found, source_reason=why))
    return Rows(
        files=files,
        file=np.repeat(np.arange(len(extracts), dtype=np.int32), sizes),
        row=np.concatenate([e.rows for e in extracts]),
        has_stage=np.repeat(np.array(["stage" in e.cells for e in extracts], dtype=bool),
                            sizes),
        texts=texts,
        escalation_keys=ids,
        child_keys=children,
        raised_on=_dates(join(coded["raised_on"]), today),
        resolved_on=_dates(join(coded["resolved_on"]), today),
        stage=_stages(join(coded["stage"])),
        reason=_reasons(coded["reason"], [f.source for f in files], crosswalk),
        unusable={int(start) + i: why for e, start in zip(extracts, np.cumsum([0, *sizes]))
                  for i, why in e.unusable.items()},
    )


def _cells(extract: Extract, name: str):
    """Return an extract's cells of a field; empty texts where it lacks the field."""
    return extract.cells.get(name, empty_text(len(extract)))


def _texts(parts: list):
    """Return one text column of the parts (pyarrow text, or a workbook's cells, which
    become their cell_text), dictionary-encoded where every part is."""
    chunks = []
    for part in parts:
        if isinstance(part, np.ndarray):
            chunks.append(text_of(cell_text(v) for v in part))
        elif isinstance(part, pa.ChunkedArray):
            chunks.extend(part.chunks)
        else:
            chunks.append(part)
    if chunks and all(c.type == CODED for c in chunks):
        return pa.chunked_array(chunks, type=CODED)
    return pa.chunked_array([decoded(c) for c in chunks], type=TEXT)


def _dates(cells, today: dt.date) -> Judged:
    """Return a date field with each distinct cell parsed once."""
    values = cells.objects()
    parsed = [_parse_date(v, today) for v in values]
    day = np.array([p if isinstance(p, dt.date) else None for p in parsed],
                   dtype="datetime64[D]") if parsed else np.zeros(0, "datetime64[D]")
    return Judged(cells, _objects(cell_text(v) for v in values), day,
                  _objects(p.kind if isinstance(p, DateProblem) else
                           (BLANK if p is None else None) for p in parsed),
                  _objects(str(p) if isinstance(p, DateProblem) else "" for p in parsed))


def _parse_date(value: object, today: dt.date):
    try:
        return parse_cell(value, today)
    except DateProblem as problem:
        return problem


def parse_stage(value: object) -> int | None | str:
    """Return a stage number (0 = informal), None when blank, or the label when unreadable."""
    text = cell_text(value)
    if not text:
        return None
    if "informal" in text.lower():
        return 0
    m = _STAGE.search(text)
    return int(m[1] or m[2]) if m else text


def _stages(cells) -> Judged:
    """Return the stage field with each distinct cell read once."""
    read = [parse_stage(v) for v in cells.objects()]
    return Judged(cells, _objects(cell_text(v) for v in cells.objects()),
                  np.array([s if isinstance(s, int) else -1 for s in read], dtype=np.int8),
                  _objects(UNREADABLE_STAGE if isinstance(s, str) else
                           (BLANK if s is None else None) for s in read),
                  _objects(f"'{s}'" if isinstance(s, str) else "" for s in read))


def _reasons(parts: list, sources: list[str], crosswalk: Crosswalk) -> Reasons:
    """Return the reasons of every file, each distinct label of a file looked up once in
    its source's vocabulary."""
    recorded, shown, category, relation = [], [], [], []
    for part, source in zip(parts, sources):
        for value in part.objects():
            label = cell_text(value)
            hit = crosswalk.match(source, label) if label else None
            recorded.append(label)
            if not label:
                shown.append(NOT_RECORDED_LABEL), category.append(NOT_RECORDED)
                relation.append("")
            elif hit:
                shown.append(hit.shown_as), category.append(hit.category)
                relation.append(hit.relation)
            else:
                shown.append(label), category.append(UNMAPPED), relation.append("")
    codes = join(parts).codes
    _one_spelling(codes, [s for part, s in zip(parts, sources) for _ in part.objects()],
                  shown, category)
    return Reasons(codes, _objects(recorded), _objects(shown), _objects(category),
                   _objects(relation))


def _one_spelling(codes: np.ndarray, sources: list[str], shown: list[str],
                  category: list[str]) -> None:
    """Show a source's labels that are not in the crosswalk, and differ only in case and
    spacing, in one spelling (in place): the one most rows read have, as breakdowns
    show teams, so they are one label wherever they are counted or listed."""
    from iro_stats.crosswalk import key
    from iro_stats.spellings import most_common

    unknown = [i for i, c in enumerate(category) if c == UNMAPPED]
    if len({(sources[i], key(shown[i])) for i in unknown}) == \
            len({(sources[i], shown[i]) for i in unknown}):
        return  # no two spellings of one label
    rows = np.bincount(codes, minlength=len(shown))
    for source in set(sources[i] for i in unknown):
        mine = [i for i in unknown if sources[i] == source]
        spelled = most_common([shown[i] for i in mine], rows[mine], key)
        for i in mine:
            shown[i] = spelled[shown[i]]


def _objects(values) -> np.ndarray:
    values = list(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
